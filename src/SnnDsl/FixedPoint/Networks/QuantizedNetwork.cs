namespace SnnDsl.FixedPoint;

/// <summary>A layer of a quantized network: an input, or a population with its recordable states.</summary>
/// <param name="Name">The float network's name.</param>
/// <param name="Size">Channels or neurons.</param>
/// <param name="IsInput">An input layer.</param>
/// <param name="IsSpiking">A population that emits spikes (false for inputs and readouts).</param>
/// <param name="States">The states it can record, with the float network's names (e.g. I, U).</param>
/// <param name="Latency">Steps by which the chip's population lags the float network's (0 for inputs).</param>
public sealed record QuantizedLayer(string Name, int Size, bool IsInput, bool IsSpiking, IReadOnlyList<string> States, int Latency);

/// <summary>
/// A network in a chip's integer arithmetic over a whole SNN, with event-driven integer synaptic accumulation (the weight
/// rows of the active presynaptic neurons) and bit-packed spikes. <see cref="QuantizedEngine.Kernels"/> (the default)
/// steps each population with the generated integer kernel of its chip and adds weight rows with SIMD;
/// <see cref="QuantizedEngine.Reference"/> runs the scalar integer reference of its <see cref="Profile"/> neuron by
/// neuron. Both give the same bits. Build one from a trained float network with <c>Quantizer.Quantize</c>, or from
/// integers directly.
/// </summary>
public abstract class QuantizedNetwork
{
    private readonly Dictionary<string, int> _layerIndex;

    /// <summary>Stores the layers; population <c>k</c> of the subclass is layer <c>inputs + k</c>.</summary>
    private protected QuantizedNetwork(TargetProfile profile, IReadOnlyList<QuantizedLayer> layers, QuantizationReport? report)
    {
        Profile = profile;
        Layers = layers;
        Report = report ?? QuantizationReport.Empty(profile);
        _layerIndex = new Dictionary<string, int>();
        for (int k = 0; k < layers.Count; k++)
        {
            if (!_layerIndex.TryAdd(layers[k].Name, k))
                throw new ArgumentException($"Two layers are named '{layers[k].Name}'.", nameof(layers));
            if (layers[k].IsInput && k > 0 && !layers[k - 1].IsInput)
                throw new ArgumentException($"Input '{layers[k].Name}' comes after a population; list the inputs first.", nameof(layers));
        }
        InputCount = layers.TakeWhile(l => l.IsInput).Count();
    }

    /// <summary>The arithmetic.</summary>
    public TargetProfile Profile { get; }

    /// <summary>Inputs first, then populations in update order.</summary>
    public IReadOnlyList<QuantizedLayer> Layers { get; }

    /// <summary>What quantization changed (empty for a network built from integers).</summary>
    public QuantizationReport Report { get; }

    /// <summary>Number of input layers.</summary>
    public int InputCount { get; }

    /// <summary>Steps by which the chip's population lags the float network's.</summary>
    /// <exception cref="ArgumentException">No such population.</exception>
    public int Latency(string population) => Layer(population).Latency;

    /// <summary>Finds a layer by name.</summary>
    /// <exception cref="ArgumentException">No layer has that name.</exception>
    public QuantizedLayer Layer(string name) =>
        _layerIndex.TryGetValue(name, out int k) ? Layers[k]
            : throw new ArgumentException($"The quantized network has no layer '{name}'. Layers: {string.Join(", ", Layers.Select(l => l.Name))}.", nameof(name));

    /// <summary>
    /// Why population <paramref name="population"/> runs on the scalar reference under <see cref="QuantizedEngine.Kernels"/>
    /// (a parameter or profile the generated kernel does not have), or null when it runs on the generated kernel.
    /// </summary>
    /// <exception cref="ArgumentException">No such population.</exception>
    public string? KernelFallback(string population)
    {
        QuantizedLayer layer = Layer(population);
        if (layer.IsInput) throw new ArgumentException($"'{population}' is an input, not a population.", nameof(population));
        return FallbackReason(_layerIndex[population] - InputCount);
    }

    /// <summary>Runs one input raster (a network with one input layer).</summary>
    public QuantizedResult Simulate(SpikeRaster input, QuantizedSimulationOptions? options = null) => Simulate([input], options);

    /// <summary>
    /// Runs the batch: one raster per input layer, all with the same batch size and steps. Samples run in parallel; each
    /// sample's arithmetic is sequential and deterministic.
    /// </summary>
    /// <exception cref="ArgumentException">The rasters do not match the input layers.</exception>
    public QuantizedResult Simulate(IReadOnlyList<SpikeRaster> inputs, QuantizedSimulationOptions? options = null)
    {
        options ??= new QuantizedSimulationOptions();
        if (inputs.Count != InputCount)
            throw new ArgumentException($"The network has {InputCount} input layer(s) but {inputs.Count} raster(s) were given.", nameof(inputs));
        for (int k = 0; k < InputCount; k++)
        {
            if (inputs[k].Neurons != Layers[k].Size)
                throw new ArgumentException($"Input '{Layers[k].Name}' has {Layers[k].Size} channels but raster {k} has {inputs[k].Neurons}.", nameof(inputs));
            if (inputs[k].Batch != inputs[0].Batch || inputs[k].Steps != inputs[0].Steps)
                throw new ArgumentException("Every input raster must have the same batch size and number of steps.", nameof(inputs));
        }

        int batch = inputs[0].Batch, steps = inputs[0].Steps;
        int maxLatency = options.AlignToFloatTiming ? Layers.Max(l => l.Latency) : 0;
        var run = new Run(this, inputs, batch, steps, steps + maxLatency, options);
        long[] peaks = new long[batch];
        BatchParallel.For(batch, options.MaxDegreeOfParallelism, () => CreateWorker(options.Engine), (b, worker) =>
        {
            var sample = new SampleRun(run, b);
            RunSample(sample, worker);
            peaks[b] = sample.PeakInput;
        });
        return run.ToResult(peaks.Length == 0 ? 0 : peaks.Max());
    }

    /// <summary>Per-thread scratch (states, accumulators) for an engine, reused across samples.</summary>
    private protected abstract object CreateWorker(QuantizedEngine engine);

    /// <summary>Runs one sample for <see cref="SampleRun.ChipSteps"/> steps from zero states.</summary>
    private protected abstract void RunSample(SampleRun sample, object worker);

    /// <summary>Why population <paramref name="population"/> cannot run on its generated kernel, or null when it can.</summary>
    private protected abstract string? FallbackReason(int population);

    /// <summary>Whether the profile can emit more than one spike per neuron per step.</summary>
    private protected virtual bool CountsSpikes => false;

    /// <summary>The scale of a population's state (raw units per float unit): one value, or one per neuron.</summary>
    private protected abstract double[] StateScale(int population, int state);

    /// <summary>The scale of state <paramref name="state"/> of population <paramref name="population"/> (raw units per float unit; one value or one per neuron).</summary>
    internal double[] ScaleOf(int population, int state) => StateScale(population, state);

    /// <summary>The recording buffers of one batch.</summary>
    private protected sealed class Run
    {
        public Run(QuantizedNetwork network, IReadOnlyList<SpikeRaster> inputs, int batch, int steps, int chipSteps, QuantizedSimulationOptions options)
        {
            Network = network;
            Inputs = inputs;
            Batch = batch;
            Steps = steps;
            ChipSteps = chipSteps;
            Align = options.AlignToFloatTiming;
            Engine = options.Engine;
            int populations = network.Layers.Count - network.InputCount;
            Spikes = new SpikeRaster?[populations];
            Counts = new byte[]?[populations];
            States = new IntegerRecording?[populations][];
            for (int p = 0; p < populations; p++)
            {
                QuantizedLayer layer = network.Layers[network.InputCount + p];
                if (layer.IsSpiking)
                {
                    Spikes[p] = new SpikeRaster(batch, steps, layer.Size);
                    if (network.CountsSpikes) Counts[p] = new byte[checked(batch * steps * layer.Size)];
                }
                States[p] = new IntegerRecording?[layer.States.Count];
                for (int s = 0; s < layer.States.Count; s++)
                {
                    bool record = options.RecordAllStates || !layer.IsSpiking || options.RecordStates.Contains(layer.Name + "." + layer.States[s]);
                    if (record) States[p][s] = new IntegerRecording(layer.Name, layer.States[s], batch, steps, layer.Size, network.StateScale(p, s));
                }
            }
            foreach (string requested in options.RecordStates)
            {
                int dot = requested.IndexOf('.');
                QuantizedLayer? layer = dot < 0 ? null : network.Layers.FirstOrDefault(l => !l.IsInput && l.Name == requested[..dot]);
                if (layer is null || !layer.States.Contains(requested[(dot + 1)..]))
                    throw new ArgumentException($"Cannot record '{requested}': write \"Population.State\" with one of {string.Join(", ", network.Layers.Where(l => !l.IsInput).SelectMany(l => l.States.Select(s => l.Name + "." + s)))}.", nameof(options));
            }
        }

        public QuantizedNetwork Network { get; }
        public IReadOnlyList<SpikeRaster> Inputs { get; }
        public int Batch { get; }
        public int Steps { get; }
        public int ChipSteps { get; }
        public bool Align { get; }
        public QuantizedEngine Engine { get; }
        public SpikeRaster?[] Spikes { get; }
        public byte[]?[] Counts { get; }
        public IntegerRecording?[][] States { get; }

        public QuantizedResult ToResult(long peak)
        {
            var spikes = new List<KeyValuePair<string, SpikeRaster>>();
            var counts = new List<KeyValuePair<string, byte[]>>();
            for (int p = 0; p < Spikes.Length; p++)
            {
                string name = Network.Layers[Network.InputCount + p].Name;
                if (Spikes[p] is { } raster) spikes.Add(new(name, raster));
                if (Counts[p] is { } c) counts.Add(new(name, c));
            }
            return new QuantizedResult(spikes, counts, States.SelectMany(s => s).OfType<IntegerRecording>(), Steps, peak);
        }
    }

    /// <summary>One sample's view of the run: input rows, and the sinks for spikes and states (aligned when asked).</summary>
    private protected sealed class SampleRun
    {
        private readonly Run _run;
        private readonly ulong[] _zeroRow;

        public SampleRun(Run run, int sample)
        {
            _run = run;
            Sample = sample;
            _zeroRow = new ulong[run.Inputs.Count == 0 ? 1 : run.Inputs.Max(r => r.WordsPerRow)];
        }

        /// <summary>The sample index.</summary>
        public int Sample { get; }

        /// <summary>Whether the populations that can run on their generated kernels do.</summary>
        public bool UsesKernels => _run.Engine == QuantizedEngine.Kernels;

        /// <summary>Steps to run (the input's steps plus the largest latency when aligning).</summary>
        public int ChipSteps => _run.ChipSteps;

        /// <summary>The largest |synaptic input| seen.</summary>
        public long PeakInput { get; private set; }

        /// <summary>The input spikes of input layer <paramref name="input"/> at chip step <paramref name="t"/> (zeros after the input ends).</summary>
        public ReadOnlySpan<ulong> InputRow(int input, int t)
        {
            SpikeRaster raster = _run.Inputs[input];
            return t < raster.Steps ? raster.Row(Sample, t) : _zeroRow.AsSpan(0, raster.WordsPerRow);
        }

        /// <summary>Notes a synaptic input's magnitude.</summary>
        public void ObserveInput(long value)
        {
            long magnitude = Math.Abs(value);
            if (magnitude > PeakInput) PeakInput = magnitude;
        }

        /// <summary>Notes the magnitudes of a population's synaptic inputs.</summary>
        public void ObserveInputs(ReadOnlySpan<int> values)
        {
            foreach (int value in values) ObserveInput(value);
        }

        /// <summary>The reported step of chip step <paramref name="t"/> of population <paramref name="population"/>, or −1 outside the report.</summary>
        public int ReportedStep(int population, int t)
        {
            int step = _run.Align ? t - _run.Network.Layers[_run.Network.InputCount + population].Latency : t;
            return step >= 0 && step < _run.Steps ? step : -1;
        }

        /// <summary>Records <paramref name="count"/> spikes (≥ 1) of a neuron at chip step <paramref name="t"/>.</summary>
        public void Spike(int population, int t, int neuron, int count)
        {
            int step = ReportedStep(population, t);
            if (step < 0) return;
            _run.Spikes[population]![Sample, step, neuron] = true;
            if (_run.Counts[population] is { } counts)
                counts[(Sample * _run.Steps + step) * _run.Spikes[population]!.Neurons + neuron] = (byte)count;
        }

        /// <summary>Records a population's bit-packed spikes (one per neuron at most) at chip step <paramref name="t"/>.</summary>
        public void Spikes(int population, int t, ReadOnlySpan<ulong> spikes)
        {
            int step = ReportedStep(population, t);
            if (step >= 0) spikes.CopyTo(_run.Spikes[population]!.Row(Sample, step));
        }

        /// <summary>Records the spike counts of a population at chip step <paramref name="t"/>.</summary>
        public void SpikeCounts(int population, int t, ReadOnlySpan<int> counts)
        {
            for (int i = 0; i < counts.Length; i++)
                if (counts[i] > 0) Spike(population, t, i, counts[i]);
        }

        /// <summary>Whether state <paramref name="state"/> of a population is recorded.</summary>
        public bool Records(int population, int state) => _run.States[population][state] is not null;

        /// <summary>Records a state's raw value at chip step <paramref name="t"/>.</summary>
        public void Record(int population, int state, int t, int neuron, int value)
        {
            IntegerRecording? recording = _run.States[population][state];
            int step = ReportedStep(population, t);
            if (recording is null || step < 0) return;
            recording.Values[(Sample * recording.Steps + step) * recording.Neurons + neuron] = value;
        }

        /// <summary>Records the raw values of state <paramref name="state"/> of every neuron of a population at chip step <paramref name="t"/>.</summary>
        public void Record(int population, int state, int t, ReadOnlySpan<int> values)
        {
            IntegerRecording? recording = _run.States[population][state];
            int step = ReportedStep(population, t);
            if (recording is null || step < 0) return;
            values.CopyTo(recording.Values.AsSpan((Sample * recording.Steps + step) * recording.Neurons, recording.Neurons));
        }
    }
}
