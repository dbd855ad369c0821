using System.Numerics;

namespace SnnDsl.FixedPoint;

/// <summary>An sPyNNaker IF_curr_exp population: parameters (one set or one per neuron) and the ring-buffer left shift per receptor.</summary>
public sealed class SpiNNakerPopulation
{
    /// <summary>A population.</summary>
    /// <param name="name">Population name.</param>
    /// <param name="size">Neurons.</param>
    /// <param name="parameters">One parameter set for all neurons, or one per neuron.</param>
    /// <param name="excitatoryShift">ring_buffer_to_input_left_shift of the excitatory receptor, 0…15.</param>
    /// <param name="inhibitoryShift">The same for the inhibitory receptor.</param>
    /// <param name="isSpiking">False for a readout (its spikes, if any, are not recorded or sent).</param>
    /// <param name="scale">Raw s16.15 units per float unit of the states (for the float view).</param>
    /// <param name="shape">Exponential (IF_curr_exp) or delta (IF_curr_delta) synapses.</param>
    public SpiNNakerPopulation(string name, int size, SpiNNakerLifParameters[] parameters, int excitatoryShift, int inhibitoryShift, bool isSpiking = true, double scale = 1 << 15,
        SpiNNakerSynapseShape shape = SpiNNakerSynapseShape.Exponential)
    {
        Shape = shape;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (parameters.Length != 1 && parameters.Length != size)
            throw new ArgumentException($"Population '{name}': {parameters.Length} parameter sets for {size} neurons; give one or {size}.", nameof(parameters));
        Name = name;
        Size = size;
        Parameters = parameters.Length == 1 ? Enumerable.Repeat(parameters[0], size).ToArray() : (SpiNNakerLifParameters[])parameters.Clone();
        ExcitatoryShift = excitatoryShift;
        InhibitoryShift = inhibitoryShift;
        IsSpiking = isSpiking;
        Scale = scale;
    }

    /// <summary>Population name.</summary>
    public string Name { get; }

    /// <summary>Neurons.</summary>
    public int Size { get; }

    /// <summary>Parameters per neuron.</summary>
    public SpiNNakerLifParameters[] Parameters { get; }

    /// <summary>Excitatory ring-buffer left shift.</summary>
    public int ExcitatoryShift { get; }

    /// <summary>Inhibitory ring-buffer left shift.</summary>
    public int InhibitoryShift { get; }

    /// <summary>Whether its spikes are sent and recorded.</summary>
    public bool IsSpiking { get; }

    /// <summary>Raw units per float unit.</summary>
    public double Scale { get; }

    /// <summary>The synapse shaping.</summary>
    public SpiNNakerSynapseShape Shape { get; }
}

/// <summary>
/// A projection: weights [pre, post] as 16-bit magnitudes with a sign that picks the receptor (positive: excitatory,
/// negative: inhibitory), delay 1 step.
/// </summary>
/// <param name="Name">Connection name.</param>
/// <param name="From">Presynaptic layer.</param>
/// <param name="To">Postsynaptic population.</param>
/// <param name="Weights">Signed weights [pre, post], |w| ≤ 65535.</param>
public sealed record SpiNNakerConnection(string Name, string From, string To, int[] Weights);

/// <summary>
/// A network of sPyNNaker IF_curr_exp populations (<see cref="SpiNNakerLif"/>): spikes of step t are summed per target and
/// receptor into a 16-bit saturating ring buffer for step t + 1; at each step the buffer is shifted into s16.15 and added
/// to the synaptic inputs, every neuron updates, and the inputs decay. With <see cref="QuantizedEngine.Kernels"/> the ring
/// buffers fill a weight row at a time with SIMD, and a population steps with the generated kernels of
/// <c>CubaLifZeroReset</c> when it is what they compute: exponential synapses, one parameter set, V_rest = V_reset =
/// I_offset = 0 and no refractory period (<see cref="QuantizedNetwork.KernelFallback"/>) — <c>StepSpiNNakerExcInh</c>,
/// both receptors, where a connection sends it inhibitory (negative) weights, and <c>StepSpiNNaker</c>, the excitatory
/// receptor alone, where none does.
/// </summary>
public sealed class SpiNNakerNetwork : QuantizedNetwork
{
    private readonly SpiNNakerProfile _profile;
    private readonly int[] _from, _to;
    private readonly string?[] _fallback;   // why each population runs on SpiNNakerLif under the kernel engine, or null
    private readonly bool[] _inhibitory;    // whether a connection sends the population negative weights (StepSpiNNakerExcInh)

    /// <summary>Builds and validates a network.</summary>
    /// <exception cref="ProfileLimitException">A weight or shift is outside the profile's range.</exception>
    public SpiNNakerNetwork(IReadOnlyList<(string Name, int Size)> inputs, IReadOnlyList<SpiNNakerPopulation> populations, IReadOnlyList<SpiNNakerConnection> connections,
        SpiNNakerProfile? profile = null, IReadOnlyDictionary<string, int>? latency = null, QuantizationReport? report = null)
        : base(profile ?? TargetProfiles.SpiNNaker, Describe(inputs, populations, latency), report)
    {
        _profile = (SpiNNakerProfile)Profile;
        Populations = populations;
        Connections = connections;
        foreach (SpiNNakerPopulation p in populations)
        {
            // 16-bit ring-buffer values shifted into a 32-bit accum: the shift must keep 65535 << shift below 2^31.
            int maxShift = 31 - _profile.RingBufferBits;
            if (p.ExcitatoryShift < 0 || p.ExcitatoryShift > maxShift)
                throw new ProfileLimitException(Profile.Name, p.Name, "excitatory ring-buffer shift", $"{p.ExcitatoryShift} is outside 0…{maxShift}.");
            if (p.InhibitoryShift < 0 || p.InhibitoryShift > maxShift)
                throw new ProfileLimitException(Profile.Name, p.Name, "inhibitory ring-buffer shift", $"{p.InhibitoryShift} is outside 0…{maxShift}.");
            foreach (SpiNNakerLifParameters q in p.Parameters)
                if (q.RefractorySteps < 0) throw new ProfileLimitException(Profile.Name, p.Name, "T_refract", $"{q.RefractorySteps} is negative.");
        }
        _from = new int[connections.Count];
        _to = new int[connections.Count];
        var layers = Layers.ToList();
        for (int c = 0; c < connections.Count; c++)
        {
            SpiNNakerConnection connection = connections[c];
            QuantizedLayer from = Layer(connection.From), to = Layer(connection.To);
            if (to.IsInput) throw new ArgumentException($"Connection '{connection.Name}' targets input '{to.Name}'.");
            if (!from.IsInput && !from.IsSpiking) throw new ArgumentException($"Connection '{connection.Name}' leaves '{from.Name}', which does not spike.");
            if (connection.Weights.Length != from.Size * to.Size)
                throw new ArgumentException($"Connection '{connection.Name}' has {connection.Weights.Length} weights; {from.Name} → {to.Name} needs {from.Size}·{to.Size}.");
            for (int k = 0; k < connection.Weights.Length; k++)
                if (Math.Abs((long)connection.Weights[k]) > _profile.WeightMax)
                    throw new ProfileLimitException(Profile.Name, connection.Name, "weight", $"weight {k} = {connection.Weights[k]} exceeds the {_profile.WeightBits}-bit synaptic word (|w| ≤ {_profile.WeightMax}).");
            _from[c] = layers.IndexOf(from);
            _to[c] = layers.IndexOf(to) - InputCount;
        }
        _inhibitory = Enumerable.Range(0, populations.Count)
            .Select(p => Enumerable.Range(0, connections.Count).Any(c => _to[c] == p && connections[c].Weights.Any(weight => weight < 0))).ToArray();
        _fallback = Enumerable.Range(0, populations.Count).Select(KernelObstacle).ToArray();
    }

    /// <summary>The populations.</summary>
    public IReadOnlyList<SpiNNakerPopulation> Populations { get; }

    /// <summary>The projections.</summary>
    public IReadOnlyList<SpiNNakerConnection> Connections { get; }

    private static List<QuantizedLayer> Describe(IReadOnlyList<(string Name, int Size)> inputs, IReadOnlyList<SpiNNakerPopulation> populations, IReadOnlyDictionary<string, int>? latency)
    {
        var layers = inputs.Select(i => new QuantizedLayer(i.Name, i.Size, true, false, [], 0)).ToList();
        layers.AddRange(populations.Select(p => new QuantizedLayer(p.Name, p.Size, false, p.IsSpiking, ["I", "U"], latency?.GetValueOrDefault(p.Name) ?? 0)));
        return layers;
    }

    private protected override double[] StateScale(int population, int state) => [Populations[population].Scale];

    private protected override string? FallbackReason(int population) => _fallback[population];

    /// <summary>What keeps population <paramref name="p"/> off the generated <c>StepSpiNNaker</c> and <c>StepSpiNNakerExcInh</c>, or null.</summary>
    private string? KernelObstacle(int p)
    {
        SpiNNakerPopulation population = Populations[p];
        SpiNNakerLifParameters q = population.Parameters[0];
        if (population.Shape != SpiNNakerSynapseShape.Exponential)
            return "it has delta synapses, and StepSpiNNaker is IF_curr_exp's exponential synapse";
        if (population.Parameters.Any(other => other != q))
            return "its neurons have different parameters, and StepSpiNNaker takes one set per population";
        if (q.RestingVoltage != 0 || q.ResetVoltage != 0 || q.OffsetCurrent != 0)
            return "V_rest, V_reset or I_offset is not 0, as StepSpiNNaker has them";
        if (q.RefractorySteps != 0)
            return $"it is refractory for {q.RefractorySteps} steps, and StepSpiNNaker has no refractory period";
        if (q.ExpTc is < 0 or > 1 << 15)
            return $"exp_TC = {q.ExpTc} is outside StepSpiNNaker's 0…2^15";
        return null;
    }

    private sealed class Worker
    {
        public Worker(SpiNNakerNetwork network)
        {
            States = network.Populations.Select(p => new SpiNNakerLifState[p.Size]).ToArray();
            Current = network.Populations.Select(p => new int[p.Size]).ToArray();
            Voltage = network.Populations.Select(p => new int[p.Size]).ToArray();
            Input = network.Populations.Select(p => new int[p.Size]).ToArray();
            CurrentInh = network.Populations.Select(p => new int[p.Size]).ToArray();
            InputInh = network.Populations.Select(p => new int[p.Size]).ToArray();
            Net = network.Populations.Select(p => new int[p.Size]).ToArray();
            Excitatory = network.Populations.Select(p => new int[p.Size]).ToArray();
            Inhibitory = network.Populations.Select(p => new int[p.Size]).ToArray();
            Spikes = network.Populations.Select(p => new ulong[SpikeRaster.WordsFor(p.Size)]).ToArray();
        }

        public SpiNNakerLifState[][] States { get; }   // the reference's states
        public int[][] Current { get; }                 // the kernel's I (the excitatory input) and V
        public int[][] Voltage { get; }
        public int[][] Input { get; }                   // the kernel's s16.15 input of the step
        public int[][] CurrentInh { get; }              // the inhibitory input and its s16.15 input of the step (StepSpiNNakerExcInh)
        public int[][] InputInh { get; }
        public int[][] Net { get; }                     // exc − inh as recorded
        public int[][] Excitatory { get; }   // ring buffer of the next step, per target
        public int[][] Inhibitory { get; }
        public ulong[][] Spikes { get; }
    }

    private protected override object CreateWorker(QuantizedEngine engine) => new Worker(this);

    private protected override void RunSample(SampleRun sample, object scratch)
    {
        var w = (Worker)scratch;
        bool kernels = sample.UsesKernels;
        for (int p = 0; p < Populations.Count; p++)
        {
            Array.Clear(w.States[p]);
            Array.Clear(w.Current[p]);
            Array.Clear(w.CurrentInh[p]);
            Array.Clear(w.Voltage[p]);
            Array.Clear(w.Excitatory[p]);
            Array.Clear(w.Inhibitory[p]);
        }
        int ringMax = (1 << _profile.RingBufferBits) - 1;
        for (int t = 0; t < sample.ChipSteps; t++)
        {
            for (int p = 0; p < Populations.Count; p++)
            {
                if (kernels && _fallback[p] is null) StepKernel(sample, w, p, t);
                else StepReference(sample, w, p, t);
            }

            // Spikes of step t land in the ring buffers of step t + 1 (delay 1), summed per receptor with saturation.
            for (int c = 0; c < Connections.Count; c++)
            {
                ReadOnlySpan<ulong> active = _from[c] < InputCount ? sample.InputRow(_from[c], t) : w.Spikes[_from[c] - InputCount];
                int[] weights = Connections[c].Weights, excitatory = w.Excitatory[_to[c]], inhibitory = w.Inhibitory[_to[c]];
                int post = excitatory.Length;
                for (int word = 0; word < active.Length; word++)
                {
                    for (ulong bits = active[word]; bits != 0; bits &= bits - 1)
                    {
                        int j = (word << 6) + BitOperations.TrailingZeroCount(bits);
                        ReadOnlySpan<int> row = weights.AsSpan(j * post, post);
                        if (kernels)
                        {
                            IntegerSynapses.AddToRingBuffers(excitatory, inhibitory, row, ringMax);
                            continue;
                        }
                        for (int i = 0; i < post; i++)
                        {
                            int weight = row[i];
                            if (weight > 0) excitatory[i] = Math.Min(ringMax, excitatory[i] + weight);
                            else if (weight < 0) inhibitory[i] = Math.Min(ringMax, inhibitory[i] - weight);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Population <paramref name="p"/>'s step with a generated kernel, over the whole population: <c>StepSpiNNakerExcInh</c>
    /// where it receives inhibitory weights, else <c>StepSpiNNaker</c> (its inhibitory buffer and input stay 0, so its net
    /// input is the excitatory one).
    /// </summary>
    private void StepKernel(SampleRun sample, Worker w, int p, int t)
    {
        SpiNNakerPopulation population = Populations[p];
        SpiNNakerLifParameters q = population.Parameters[0];
        int[] current = w.Current[p], voltage = w.Voltage[p], input = w.Input[p], excitatory = w.Excitatory[p];
        int[] currentInh = w.CurrentInh[p], inputInh = w.InputInh[p], inhibitory = w.Inhibitory[p];
        ulong[] spikes = w.Spikes[p];
        bool inhibited = _inhibitory[p];

        // neuron_transfer: each receptor's ring-buffer sums become s16.15 inputs.
        sample.ObserveInputs(excitatory);
        for (int i = 0; i < input.Length; i++) input[i] = SpiNNakerLif.ConvertWeightToInput(excitatory[i], population.ExcitatoryShift);
        Array.Clear(excitatory);
        if (inhibited)
        {
            sample.ObserveInputs(inhibitory);
            for (int i = 0; i < inputInh.Length; i++) inputInh[i] = SpiNNakerLif.ConvertWeightToInput(inhibitory[i], population.InhibitoryShift);
            Array.Clear(inhibitory);
        }

        // The input recorded is the net synaptic input the update uses (exc − inh), so a recorded I enters the synapses before the kernel runs.
        if (sample.Records(p, 0))
        {
            for (int i = 0; i < input.Length; i++) current[i] = unchecked(current[i] + SpiNNakerLif.DecayS1615(input[i], q.ExcitatoryInit));
            Array.Clear(input);
            if (inhibited)
            {
                int[] net = w.Net[p];
                for (int i = 0; i < inputInh.Length; i++)
                {
                    currentInh[i] = unchecked(currentInh[i] + SpiNNakerLif.DecayS1615(inputInh[i], q.InhibitoryInit));
                    net[i] = unchecked(current[i] - currentInh[i]);
                }
                Array.Clear(inputInh);
                sample.Record(p, 0, t, net);
            }
            else
                sample.Record(p, 0, t, current);
        }
        if (inhibited)
            CubaLifZeroReset.StepSpiNNakerExcInh(current, currentInh, voltage, input, inputInh, q.ExpTc, q.Resistance, q.Threshold,
                q.ExcitatoryDecay, q.ExcitatoryInit, q.InhibitoryDecay, q.InhibitoryInit, spikes);
        else
            CubaLifZeroReset.StepSpiNNaker(current, voltage, input, q.ExpTc, q.Resistance, q.Threshold, q.ExcitatoryDecay, q.ExcitatoryInit, spikes);
        if (population.IsSpiking) sample.Spikes(p, t, spikes);
        else Array.Clear(spikes);
        sample.Record(p, 1, t, voltage);
    }

    /// <summary>Population <paramref name="p"/>'s step with <see cref="SpiNNakerLif"/>, neuron by neuron.</summary>
    private void StepReference(SampleRun sample, Worker w, int p, int t)
    {
        SpiNNakerPopulation population = Populations[p];
        SpiNNakerLifState[] states = w.States[p];
        int[] excitatory = w.Excitatory[p], inhibitory = w.Inhibitory[p];
        ulong[] spikes = w.Spikes[p];
        Array.Clear(spikes);
        bool recordI = sample.Records(p, 0), recordU = sample.Records(p, 1);
        for (int i = 0; i < population.Size; i++)
        {
            // neuron_transfer: non-zero ring-buffer entries become s16.15 inputs and enter the synapses.
            ref SpiNNakerLifParameters parameters = ref population.Parameters[i];
            sample.ObserveInput(Math.Max(excitatory[i], inhibitory[i]));
            if (excitatory[i] > 0) SpiNNakerLif.AddExcitatory(ref states[i], SpiNNakerLif.ConvertWeightToInput(excitatory[i], population.ExcitatoryShift), parameters, population.Shape);
            if (inhibitory[i] > 0) SpiNNakerLif.AddInhibitory(ref states[i], SpiNNakerLif.ConvertWeightToInput(inhibitory[i], population.InhibitoryShift), parameters, population.Shape);
            excitatory[i] = inhibitory[i] = 0;

            // The input recorded is the net synaptic input the update uses (exc − inh), before shaping.
            int net = unchecked(states[i].Excitatory - states[i].Inhibitory);
            if (SpiNNakerLif.Step(ref states[i], parameters, population.Shape) && population.IsSpiking)
            {
                spikes[i >> 6] |= 1UL << (i & 63);
                sample.Spike(p, t, i, 1);
            }
            if (recordI) sample.Record(p, 0, t, i, net);
            if (recordU) sample.Record(p, 1, t, i, states[i].Voltage);
        }
    }
}
