using System.Runtime.Intrinsics.X86;

namespace SnnDsl;

/// <summary>Options of a forward pass.</summary>
public sealed class SimulationOptions
{
    /// <summary>
    /// State traces to record, as "Population.State" (e.g. "Hidden.U") or "Connection.State" for the state of a
    /// connection's synapse. The states of non-spiking populations (readouts) are always recorded.
    /// </summary>
    public IReadOnlyList<string> RecordStates { get; init; } = [];

    /// <summary>
    /// Records the states of non-spiking populations (readouts) even when <see cref="RecordStates"/> does not name them
    /// (default true; a pass whose outputs nobody reads, such as forward mode's trace pass, turns it off).
    /// </summary>
    public bool RecordReadouts { get; init; } = true;

    /// <summary>
    /// Records every state of every population, and the port inputs of the populations whose incoming connections
    /// are all delta synapses where the neuron's backward kernel reads the input (what
    /// <see cref="ISpikingNetwork.Backward"/> needs: it reads those inputs instead of recomputing them; a neuron such as
    /// <see cref="Neurons.CubaLif"/>, whose backward kernel takes the states after the step instead, has none recorded).
    /// </summary>
    public bool RecordAllStates { get; init; }

    /// <summary>Upper bound on worker threads over the batch; 0 uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>
    /// A previous result whose rasters and traces are overwritten where their shapes match, instead of allocating
    /// new ones (a training loop saves the allocation and page faults of every step). Its contents are replaced; when
    /// the pass records into every one of its buffers and no others, the pass returns this same object.
    /// </summary>
    public SimulationResult? Reuse { get; init; }

    /// <summary>
    /// Sees every population's step of every sample (forward-mode learning reads the step's inputs through it). With
    /// an observer, each worker runs a fixed run of consecutive samples (<see cref="BatchParallel.ChunkCount"/>), so
    /// an observer can keep one accumulator per run and reduce them in order.
    /// </summary>
    public IStepObserver? Observer { get; init; }
}

/// <summary>
/// Watches a forward pass step by step, on the worker threads that run it: every call for one sample comes from one
/// thread, in time order; calls for different runs of samples (the chunk argument of each method) come
/// concurrently.
/// </summary>
public interface IStepObserver
{
    /// <summary>Before the first step of <paramref name="sample"/>, which belongs to run <paramref name="chunk"/>.</summary>
    void BeginSample(int chunk, int sample);

    /// <summary>
    /// Before population <paramref name="population"/> (index into <see cref="ISpikingNetwork.Populations"/>) steps:
    /// <paramref name="states"/> hold h_{t−1} and <paramref name="ports"/> the inputs x_t, both in declaration order.
    /// The arrays are the worker's own buffers: read them, do not keep them.
    /// </summary>
    void Integrating(int chunk, int sample, int step, int population, float[][] states, float[][] ports);

    /// <summary>After the population stepped: its spikes of this step, bit-packed (empty for a non-spiking population).</summary>
    void Stepped(int chunk, int sample, int step, int population, ReadOnlySpan<ulong> spikes);

    /// <summary>After the last step of <paramref name="sample"/>.</summary>
    void EndSample(int chunk, int sample);
}

/// <summary>A recorded state trace, [batch, steps, neurons], the value after the step (after reset).</summary>
public sealed class StateRecording
{
    /// <summary>Creates a zero recording.</summary>
    public StateRecording(string population, string state, int batch, int steps, int neurons)
    {
        Population = population;
        State = state;
        Batch = batch;
        Steps = steps;
        Neurons = neurons;
        Values = new float[checked(batch * steps * neurons)];
    }

    /// <summary>Population name.</summary>
    public string Population { get; }

    /// <summary>State name.</summary>
    public string State { get; }

    /// <summary>Samples.</summary>
    public int Batch { get; }

    /// <summary>Steps.</summary>
    public int Steps { get; }

    /// <summary>Neurons.</summary>
    public int Neurons { get; }

    /// <summary>Values, sample-major, then step, then neuron.</summary>
    public float[] Values { get; }

    /// <summary>The value of neuron <paramref name="neuron"/> after step <paramref name="step"/>.</summary>
    public float this[int sample, int step, int neuron] => Values[(sample * Steps + step) * Neurons + neuron];

    /// <summary>The values of one (sample, step).</summary>
    public Span<float> Row(int sample, int step) => Values.AsSpan((sample * Steps + step) * Neurons, Neurons);

    /// <summary>
    /// The values of one (sample, step), for a pass that walks back in time (the backward pass): also asks L2 for the
    /// row <see cref="PrefetchSteps"/> steps earlier, which that pass reads next, so that it need not wait for memory
    /// then (a recording is read back long after it was written, from memory rather than cache). Into L2, not L1: in L1
    /// the rows of every sample of a chunk evicted what the steps in between work on, and the SHD-shaped backward pass
    /// took up to 1.07x longer, up to 1.19x with the sparse backward (docs/benchmarks.md).
    /// </summary>
    public ReadOnlySpan<float> RowWalkingBack(int sample, int step)
    {
        Span<float> row = Row(sample, step);   // checks the arguments first
        if (step >= PrefetchSteps) SpikeOps.PrefetchRow(Row(sample, step - PrefetchSteps), intoL2: true);
        return row;
    }

    /// <summary>
    /// The values of one (sample, step), for a pass that writes the steps in order (the forward pass): also asks the
    /// cache for the row <see cref="PrefetchSteps"/> steps later, so that writing it then does not wait for memory.
    /// </summary>
    public Span<float> RowWalkingForward(int sample, int step)
    {
        Span<float> row = Row(sample, step);   // checks the arguments first
        if (step + PrefetchSteps < Steps) SpikeOps.PrefetchRow(Row(sample, step + PrefetchSteps), intoL2: false);
        return row;
    }

    /// <summary>
    /// How many steps ahead of a pass <see cref="RowWalkingBack"/>, <see cref="RowWalkingForward"/> and
    /// <see cref="BackwardUpstream.AddWalkingBack"/> ask for a row (2 and 4 measured the same on the SHD-shaped
    /// training step; docs/benchmarks.md).
    /// </summary>
    internal const int PrefetchSteps = 2;

    /// <summary>Copies the population's state after step <paramref name="step"/> into the trace (steps in order).</summary>
    public void Record(int sample, int step, ReadOnlySpan<float> state) => state.CopyTo(RowWalkingForward(sample, step));

    /// <summary>
    /// <see cref="Record"/> for a forward pass over a whole batch: a recording that <see cref="Streams"/> is written
    /// past the caches (non-temporal stores), so that it does not evict the weights the pass reads at every step. The
    /// thread that streams must call <see cref="FinishStreaming"/> before another thread reads the rows.
    /// </summary>
    public void Stream(int sample, int step, ReadOnlySpan<float> state)
    {
        if (Streams)
        {
            StreamingCopy(state, Row(sample, step));
            if (step + PrefetchSteps < Steps) PrefetchSharedLine(sample, step + PrefetchSteps);
        }
        else Record(sample, step, state);
    }

    /// <summary>
    /// Asks the cache for the line that the row of (sample, step) shares with the next row, when the row does not end
    /// at a line boundary (the array's offset in a line decides). <see cref="StreamingCopy"/> writes that line with
    /// ordinary stores, the row's last values and the next row's first: without the line in cache the first of those
    /// stores waits for memory, and the stores behind it with it. On Zen 4, with its hidden traces off a line boundary,
    /// the SHD-shaped forward pass took 1.07-1.25x longer without this prefetch (docs/benchmarks.md).
    /// </summary>
    private unsafe void PrefetchSharedLine(int sample, int step)
    {
        fixed (float* last = &Values[(sample * Steps + step) * Neurons + Neurons - 1])
            if (SpikeOps.FloatsToLineBoundary((nuint)(last + 1)) != 0) Sse.Prefetch0(last);
    }

    /// <summary>
    /// Makes this thread's streamed rows (<see cref="Stream"/>) visible to other threads: non-temporal stores are weakly
    /// ordered, so they need a store fence before whatever tells another thread that the rows are written.
    /// </summary>
    public static void FinishStreaming()
    {
        if (Sse.IsSupported) Sse.StoreFence();
    }

    /// <summary>
    /// Bytes above which a recording streams: a core's L2 on the hosts measured (1 MiB on Zen 4). Such a recording leaves
    /// L2 before the backward pass reads it back in any case; written through the caches, it evicted the forward pass's
    /// weights and made the SHD-shaped forward pass 1.11-1.28x slower (docs/benchmarks.md).
    /// </summary>
    internal const long StreamingBytes = 1 << 20;

    /// <summary>
    /// The shortest row that streams, 16 cache lines. On Zen 4 streaming the 20-value rows of the SHD readout made the
    /// forward pass about 1.3x slower, and so did 32-byte stores (the AVX2 path) on the 256-value hidden rows
    /// (docs/benchmarks.md): only rows of whole 64-byte stores were measured to gain.
    /// </summary>
    internal const int StreamingRowFloats = 256;

    /// <summary>
    /// Whether <see cref="Stream"/> writes this recording with non-temporal stores: larger than
    /// <see cref="StreamingBytes"/>, rows of at least <see cref="StreamingRowFloats"/>, and a store that writes a whole
    /// cache line (AVX-512).
    /// </summary>
    internal bool Streams => Avx512F.IsSupported && Neurons >= StreamingRowFloats && (long)Values.Length * sizeof(float) > StreamingBytes;

    /// <summary>
    /// destination[..n] = source, whole cache lines with non-temporal 64-byte stores from the first line boundary; the
    /// values before it and after the last whole line are copied as usual.
    /// </summary>
    private static unsafe void StreamingCopy(ReadOnlySpan<float> source, Span<float> destination)
    {
        const int L = 16;
        int n = source.Length;
        destination = destination[..n];
        fixed (float* from = source, to = destination)
        {
            int head = Math.Min(n, SpikeOps.FloatsToLineBoundary((nuint)to)), end = head + (n - head) / L * L;
            source[..head].CopyTo(destination);
            for (int i = head; i < end; i += L) Avx512F.StoreAlignedNonTemporal(to + i, Avx512F.LoadVector512(from + i));
            source[end..].CopyTo(destination[end..]);
        }
    }
}

/// <summary>The outputs of a forward pass.</summary>
public sealed class SimulationResult
{
    private readonly Dictionary<string, SpikeRaster> _spikes;
    // Keyed by (population, state) and (population, port): a lookup forms no string.
    private readonly Dictionary<(string, string), StateRecording> _states;
    private readonly Dictionary<(string, string), StateRecording> _inputs;

    /// <summary>Creates a result from the rasters of the spiking populations and the recorded states.</summary>
    public SimulationResult(IEnumerable<KeyValuePair<string, SpikeRaster>> spikes, IEnumerable<StateRecording> states)
        : this(spikes, states, [])
    {
    }

    /// <summary>
    /// Creates a result from the rasters of the spiking populations, the recorded states and the recorded port inputs
    /// (each a <see cref="StateRecording"/> whose <see cref="StateRecording.State"/> is the port's name).
    /// </summary>
    public SimulationResult(IEnumerable<KeyValuePair<string, SpikeRaster>> spikes, IEnumerable<StateRecording> states, IEnumerable<StateRecording> inputs)
    {
        _spikes = new Dictionary<string, SpikeRaster>(spikes);
        _states = states.ToDictionary(s => (s.Population, s.State));
        _inputs = inputs.ToDictionary(s => (s.Population, s.State));
    }

    /// <summary>
    /// The result of a forward pass: <paramref name="reuse"/> itself when it holds exactly these rasters and
    /// recordings (the pass overwrote its buffers, so a training loop's step allocates no result), else a new one.
    /// Null recordings (states not recorded) are left out.
    /// </summary>
    public static SimulationResult Of(SimulationResult? reuse, ReadOnlySpan<KeyValuePair<string, SpikeRaster>> spikes,
        ReadOnlySpan<StateRecording?> states, ReadOnlySpan<StateRecording?> inputs = default)
    {
        if (reuse is not null && reuse.Holds(spikes, states, inputs)) return reuse;
        var kept = new List<StateRecording>(states.Length);
        foreach (StateRecording? s in states) if (s is not null) kept.Add(s);
        var keptInputs = new List<StateRecording>(inputs.Length);
        foreach (StateRecording? s in inputs) if (s is not null) keptInputs.Add(s);
        return new SimulationResult(spikes.ToArray(), kept, keptInputs);
    }

    private bool Holds(ReadOnlySpan<KeyValuePair<string, SpikeRaster>> spikes, ReadOnlySpan<StateRecording?> states, ReadOnlySpan<StateRecording?> inputs)
    {
        if (spikes.Length != _spikes.Count) return false;
        foreach ((string population, SpikeRaster raster) in spikes)
            if (!_spikes.TryGetValue(population, out SpikeRaster? held) || !ReferenceEquals(held, raster)) return false;
        return Holds(_states, states) && Holds(_inputs, inputs);
    }

    private static bool Holds(Dictionary<(string, string), StateRecording> held, ReadOnlySpan<StateRecording?> recordings)
    {
        int count = 0;
        foreach (StateRecording? r in recordings)
        {
            if (r is null) continue;
            if (!held.TryGetValue((r.Population, r.State), out StateRecording? mine) || !ReferenceEquals(mine, r)) return false;
            count++;
        }
        return count == held.Count;
    }

    /// <summary>The raster of <paramref name="population"/> if present with this shape.</summary>
    internal SpikeRaster? Raster(string population, int batch, int steps, int neurons) =>
        _spikes.TryGetValue(population, out SpikeRaster? r) && r.Batch == batch && r.Steps == steps && r.Neurons == neurons ? r : null;

    /// <summary>The trace of "population.state" if present with this shape.</summary>
    internal StateRecording? Trace(string population, string state, int batch, int steps, int neurons) =>
        _states.TryGetValue((population, state), out StateRecording? r) && r.Batch == batch && r.Steps == steps && r.Neurons == neurons ? r : null;

    /// <summary>The recorded input of "population.port" if present with this shape.</summary>
    internal StateRecording? InputTrace(string population, string port, int batch, int steps, int neurons) =>
        _inputs.TryGetValue((population, port), out StateRecording? r) && r.Batch == batch && r.Steps == steps && r.Neurons == neurons ? r : null;

    /// <summary>Spiking populations with a raster.</summary>
    public IEnumerable<string> SpikingPopulations => _spikes.Keys;

    /// <summary>All recorded traces.</summary>
    public IEnumerable<StateRecording> RecordedStates => _states.Values;

    /// <summary>The spike raster of a spiking population.</summary>
    /// <exception cref="ArgumentException">The population does not spike or does not exist.</exception>
    public SpikeRaster Spikes(string population) =>
        _spikes.TryGetValue(population, out SpikeRaster? raster)
            ? raster
            : throw new ArgumentException($"No spike raster for '{population}'. Spiking populations: {string.Join(", ", _spikes.Keys)}.", nameof(population));

    /// <summary>The recorded port inputs x_t (what the population's Step received at each step).</summary>
    public IEnumerable<StateRecording> RecordedInputs => _inputs.Values;

    /// <summary>
    /// The inputs x_t a population's port received at every step (recorded with <see cref="SimulationOptions.RecordAllStates"/>
    /// where the population's backward kernel reads them).
    /// </summary>
    /// <exception cref="ArgumentException">That input was not recorded.</exception>
    public StateRecording Inputs(string population, string port) =>
        _inputs.TryGetValue((population, port), out StateRecording? recording)
            ? recording
            : throw new ArgumentException(
                $"The input '{port}' of '{population}' was not recorded (recorded inputs: {(_inputs.Count == 0 ? "none" : Names(_inputs.Keys))}). " +
                "A forward pass with SimulationOptions.RecordAllStates records a port's input where the population's backward kernel reads it, and no other.",
                nameof(port));

    /// <summary>A recorded state trace.</summary>
    /// <exception cref="ArgumentException">That state was not recorded (see <see cref="SimulationOptions.RecordStates"/>).</exception>
    public StateRecording States(string population, string state) =>
        _states.TryGetValue((population, state), out StateRecording? recording)
            ? recording
            : throw new ArgumentException(
                $"State '{population}.{state}' was not recorded. Recorded: {Names(_states.Keys)}; add it to SimulationOptions.RecordStates (Backward needs SimulationOptions.RecordAllStates).",
                nameof(state));

    /// <summary>"population.state, …" for an error message.</summary>
    private static string Names(IEnumerable<(string Owner, string Name)> keys) => string.Join(", ", keys.Select(k => $"{k.Owner}.{k.Name}"));
}
