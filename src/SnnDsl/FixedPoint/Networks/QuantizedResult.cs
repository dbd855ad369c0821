namespace SnnDsl.FixedPoint;

/// <summary>What steps the populations of a <see cref="QuantizedNetwork"/>.</summary>
public enum QuantizedEngine
{
    /// <summary>
    /// The generated integer kernels of the chip's neuron (<c>CubaLifZeroReset.StepLoihi</c>, <c>StepSpiNNaker</c>,
    /// <c>StepSpiNNakerExcInh</c>, <c>CubaLif.StepXylo…</c>) over whole populations, and the synaptic accumulation with SIMD adds of the weight rows
    /// of the active presynaptic neurons. A population whose parameters the kernel does not have runs on the reference
    /// (<see cref="QuantizedNetwork.KernelFallback"/> says why), so the result is bit for bit the reference's.
    /// </summary>
    Kernels,

    /// <summary>The scalar integer reference simulators (<c>LoihiLif</c>, <c>XyloNeuron</c>, <c>SpiNNakerLif</c>, <c>FixedNeurons</c>), neuron by neuron.</summary>
    Reference,
}

/// <summary>Settings of <see cref="QuantizedNetwork.Simulate(IReadOnlyList{SpikeRaster}, QuantizedSimulationOptions)"/>.</summary>
public sealed class QuantizedSimulationOptions
{
    /// <summary>The generated kernels (default) or the scalar references; both give the same result.</summary>
    public QuantizedEngine Engine { get; init; } = QuantizedEngine.Kernels;

    /// <summary>
    /// Report each population's step t + latency as step t, so the result lines up with the float network: a chip whose
    /// connections add a step (Loihi, SpiNNaker, Xylo's readout) is run for the extra steps with zero input, and population
    /// p's chip step t + <see cref="QuantizedNetwork.Latency"/>(p) is reported as step t. Default true.
    /// </summary>
    public bool AlignToFloatTiming { get; init; } = true;

    /// <summary>States to record as "Population.State" (the float names, e.g. "Hidden.U"); readout (non-spiking) populations are always recorded.</summary>
    public IReadOnlyList<string> RecordStates { get; init; } = [];

    /// <summary>Record every state of every population.</summary>
    public bool RecordAllStates { get; init; }

    /// <summary>Upper bound on worker threads over the batch; 0 uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// Integer states of one population over a batch, [batch, steps, neurons], in the chip's raw units, with the scale that
/// maps them to the float network's units (float = raw / <see cref="Scale"/>, per neuron when the scale is per neuron).
/// </summary>
public sealed class IntegerRecording
{
    /// <summary>A zero recording.</summary>
    public IntegerRecording(string population, string state, int batch, int steps, int neurons, double[] scale)
    {
        Population = population;
        State = state;
        Batch = batch;
        Steps = steps;
        Neurons = neurons;
        Scale = scale;
        Values = new int[checked(batch * steps * neurons)];
    }

    /// <summary>Population name.</summary>
    public string Population { get; }

    /// <summary>The float network's name of the state (I, U).</summary>
    public string State { get; }

    /// <summary>Samples.</summary>
    public int Batch { get; }

    /// <summary>Steps.</summary>
    public int Steps { get; }

    /// <summary>Neurons.</summary>
    public int Neurons { get; }

    /// <summary>Raw units per float unit: one value for the population, or one per neuron.</summary>
    public double[] Scale { get; }

    /// <summary>The raw values, sample-major, then step, then neuron.</summary>
    public int[] Values { get; }

    /// <summary>The raw value of a neuron at a step.</summary>
    public int this[int sample, int step, int neuron] => Values[(sample * Steps + step) * Neurons + neuron];

    /// <summary>The float-unit view: raw / scale.</summary>
    public StateRecording ToFloat()
    {
        var recording = new StateRecording(Population, State, Batch, Steps, Neurons);
        for (int k = 0; k < Values.Length; k++)
            recording.Values[k] = (float)(Values[k] / Scale[Scale.Length == 1 ? 0 : k % Neurons]);
        return recording;
    }
}

/// <summary>
/// The outcome of simulating a <see cref="QuantizedNetwork"/>: spike rasters (a spike count ≥ 1 is a spike), spike counts
/// (Xylo emits several per step), integer state recordings, and a float view for losses and predictions.
/// </summary>
public sealed class QuantizedResult
{
    private readonly Dictionary<string, SpikeRaster> _spikes;
    private readonly Dictionary<string, byte[]> _counts;
    private readonly Dictionary<(string, string), IntegerRecording> _states;

    /// <summary>Collects the outputs.</summary>
    public QuantizedResult(IEnumerable<KeyValuePair<string, SpikeRaster>> spikes, IEnumerable<KeyValuePair<string, byte[]>> counts,
        IEnumerable<IntegerRecording> states, int steps, long peakSynapticInput)
    {
        _spikes = new Dictionary<string, SpikeRaster>(spikes);
        _counts = new Dictionary<string, byte[]>(counts);
        _states = states.ToDictionary(s => (s.Population, s.State));
        Steps = steps;
        PeakSynapticInput = peakSynapticInput;
        Float = new SimulationResult(_spikes, _states.Values.Select(s => s.ToFloat()));
    }

    /// <summary>Steps reported.</summary>
    public int Steps { get; }

    /// <summary>
    /// The largest |synaptic input| a neuron received in one step, in the chip's units before any shift into the state
    /// (Loihi: a_in, which the Dense annotates as 16-bit; Xylo: the largest |Σ i_syn|; SpiNNaker: the largest ring-buffer
    /// sum; Fixed: the largest raw input).
    /// </summary>
    public long PeakSynapticInput { get; }

    /// <summary>The float view: spikes, and every recorded state divided by its scale.</summary>
    public SimulationResult Float { get; }

    /// <summary>Spiking populations.</summary>
    public IEnumerable<string> SpikingPopulations => _spikes.Keys;

    /// <summary>The spikes of a population (count ≥ 1).</summary>
    /// <exception cref="ArgumentException">Not a spiking population.</exception>
    public SpikeRaster Spikes(string population) =>
        _spikes.TryGetValue(population, out SpikeRaster? raster) ? raster
            : throw new ArgumentException($"'{population}' is not a spiking population of this network. Spiking populations: {string.Join(", ", _spikes.Keys)}.", nameof(population));

    /// <summary>Spike counts [batch, steps, neurons] of a population (only Xylo emits more than one per step).</summary>
    /// <exception cref="ArgumentException">Not a spiking population.</exception>
    public byte[] SpikeCounts(string population)
    {
        if (_counts.TryGetValue(population, out byte[]? counts)) return counts;
        SpikeRaster raster = Spikes(population);
        var ones = new byte[checked(raster.Batch * raster.Steps * raster.Neurons)];
        for (int b = 0, k = 0; b < raster.Batch; b++)
            for (int t = 0; t < raster.Steps; t++)
                for (int i = 0; i < raster.Neurons; i++, k++)
                    ones[k] = raster[b, t, i] ? (byte)1 : (byte)0;
        return ones;
    }

    /// <summary>A recorded integer state.</summary>
    /// <exception cref="ArgumentException">It was not recorded.</exception>
    public IntegerRecording States(string population, string state) =>
        _states.TryGetValue((population, state), out IntegerRecording? r) ? r
            : throw new ArgumentException($"State '{population}.{state}' was not recorded. Recorded: {(_states.Count == 0 ? "none" : string.Join(", ", _states.Keys.Select(k => k.Item1 + "." + k.Item2)))}; ask for it with QuantizedSimulationOptions.RecordStates.", nameof(state));
}
