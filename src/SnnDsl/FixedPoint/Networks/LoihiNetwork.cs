using System.Numerics;

namespace SnnDsl.FixedPoint;

/// <summary>
/// A Lava LIF process on Loihi: one du, dv and threshold for the whole population (Lava's <c>du</c>, <c>dv</c>, <c>vth</c>
/// have shape (1,)), a bias per neuron.
/// </summary>
public sealed class LoihiPopulation
{
    /// <summary>A population; <paramref name="biasMantissa"/>/<paramref name="biasExponent"/> default to 0, one value or one per neuron.</summary>
    /// <param name="name">Population name.</param>
    /// <param name="size">Neurons.</param>
    /// <param name="du">Current decay, 0…4095 (the factor is (4096 − du − 1)/4096).</param>
    /// <param name="dv">Voltage decay, 0…4095 (the factor is (4096 − dv)/4096).</param>
    /// <param name="threshold">Threshold mantissa vth, 0…131071 (v spikes when &gt; vth·2^6); ignored when not spiking.</param>
    /// <param name="biasMantissa">bias_mant, −4096…4095.</param>
    /// <param name="biasExponent">bias_exp, 0…7.</param>
    /// <param name="isSpiking">False for a readout: the threshold is netx's never-spike 2^17.</param>
    /// <param name="scale">Raw state units per float unit (for the float view of u and v).</param>
    public LoihiPopulation(string name, int size, int du, int dv, int threshold, int[]? biasMantissa = null, int[]? biasExponent = null, bool isSpiking = true, double scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        Size = size;
        Du = du;
        Dv = dv;
        Threshold = threshold;
        BiasMantissa = PerNeuron(biasMantissa, size, name, "bias_mant");
        BiasExponent = PerNeuron(biasExponent, size, name, "bias_exp");
        IsSpiking = isSpiking;
        Scale = scale;
    }

    /// <summary>Population name.</summary>
    public string Name { get; }

    /// <summary>Neurons.</summary>
    public int Size { get; }

    /// <summary>Current decay du.</summary>
    public int Du { get; }

    /// <summary>Voltage decay dv.</summary>
    public int Dv { get; }

    /// <summary>Threshold mantissa vth (for a spiking population).</summary>
    public int Threshold { get; }

    /// <summary>bias_mant per neuron.</summary>
    public int[] BiasMantissa { get; }

    /// <summary>bias_exp per neuron.</summary>
    public int[] BiasExponent { get; }

    /// <summary>Whether it spikes.</summary>
    public bool IsSpiking { get; }

    /// <summary>Raw units of u and v per float unit.</summary>
    public double Scale { get; }

    private static int[] PerNeuron(int[]? values, int size, string owner, string parameter)
    {
        if (values is null) return new int[size];
        if (values.Length == 1) return Enumerable.Repeat(values[0], size).ToArray();
        if (values.Length != size) throw new ArgumentException($"Population '{owner}': {parameter} has {values.Length} values for {size} neurons; give one or {size}.");
        return (int[])values.Clone();
    }
}

/// <summary>A Lava Dense process: integer weights [pre, post] (row of presynaptic neuron j contiguous; Lava stores the transpose), a weight exponent, the number of weight bits and a sign mode.</summary>
public sealed class LoihiConnection
{
    /// <summary>A connection; the sign mode defaults to Lava's <c>determine_sign_mode</c>.</summary>
    /// <param name="name">Connection name.</param>
    /// <param name="from">Presynaptic input or population.</param>
    /// <param name="to">Postsynaptic population.</param>
    /// <param name="weights">Weights [pre, post], before Lava's clipping and truncation.</param>
    /// <param name="weightExponent">The accumulation is shifted left by this (right when negative), −7…7.</param>
    /// <param name="numWeightBits">Weight precision, 1…8.</param>
    /// <param name="signMode">Mixed, excitatory or inhibitory.</param>
    public LoihiConnection(string name, string from, string to, int[] weights, int weightExponent = 0, int numWeightBits = 8, LoihiSignMode? signMode = null)
    {
        Name = name;
        From = from;
        To = to;
        Weights = (int[])weights.Clone();
        WeightExponent = weightExponent;
        NumWeightBits = numWeightBits;
        SignMode = signMode ?? LoihiDense.DetermineSignMode(weights);
    }

    /// <summary>Connection name.</summary>
    public string Name { get; }

    /// <summary>Presynaptic layer.</summary>
    public string From { get; }

    /// <summary>Postsynaptic population.</summary>
    public string To { get; }

    /// <summary>The weights as given, [pre, post].</summary>
    public int[] Weights { get; }

    /// <summary>weight_exp.</summary>
    public int WeightExponent { get; }

    /// <summary>num_weight_bits.</summary>
    public int NumWeightBits { get; }

    /// <summary>sign_mode.</summary>
    public LoihiSignMode SignMode { get; }
}

/// <summary>
/// A network of Lava LIF processes joined by Dense processes, simulated as Lava's bit-accurate models compute them
/// (<see cref="LoihiLif"/>, tested against Lava's golden vectors; <see cref="LoihiDense"/>): at step t every population
/// takes the Dense outputs computed at t − 1, updates, spikes, and every Dense accumulates the spikes of step t for t + 1.
/// With <see cref="QuantizedEngine.Kernels"/> a population steps with <c>CubaLifZeroReset.StepLoihi</c> (a readout with
/// the never-spike threshold) unless it has a bias, its a_in could leave the kernel's int range, or the profile's
/// arithmetic is not the published Loihi's (<see cref="QuantizedNetwork.KernelFallback"/>).
/// </summary>
public sealed class LoihiNetwork : QuantizedNetwork
{
    private readonly LoihiProfile _profile;
    private readonly int[][] _prepared;
    private readonly int[] _from;    // layer index of each connection's source
    private readonly int[] _to;      // population index of each connection's target
    private readonly int[][] _effectiveBias;
    private readonly string?[] _fallback;   // why each population runs on LoihiLif under the kernel engine, or null

    /// <summary>Builds and validates a network.</summary>
    /// <param name="inputs">Input layers (name, channels).</param>
    /// <param name="populations">Populations in update order.</param>
    /// <param name="connections">Dense connections.</param>
    /// <param name="profile">The Loihi profile (default <see cref="TargetProfiles.Loihi"/>).</param>
    /// <param name="latency">Per population, the steps it lags the float network (for aligned results); default 0.</param>
    /// <param name="report">What quantization changed, if this came from a float network.</param>
    /// <exception cref="ProfileLimitException">A parameter is outside the profile's range.</exception>
    public LoihiNetwork(IReadOnlyList<(string Name, int Size)> inputs, IReadOnlyList<LoihiPopulation> populations, IReadOnlyList<LoihiConnection> connections,
        LoihiProfile? profile = null, IReadOnlyDictionary<string, int>? latency = null, QuantizationReport? report = null)
        : base(profile ?? TargetProfiles.Loihi, Describe(inputs, populations, latency), report)
    {
        _profile = (LoihiProfile)Profile;
        Populations = populations;
        Connections = connections;
        foreach (LoihiPopulation p in populations) Validate(p);
        _effectiveBias = populations.Select(p => p.BiasMantissa.Select((m, i) => LoihiLif.EffectiveBias(m, p.BiasExponent[i])).ToArray()).ToArray();
        _from = new int[connections.Count];
        _to = new int[connections.Count];
        _prepared = new int[connections.Count][];
        for (int c = 0; c < connections.Count; c++)
        {
            LoihiConnection connection = connections[c];
            QuantizedLayer from = Layer(connection.From), to = Layer(connection.To);
            _from[c] = Layers.ToList().IndexOf(from);
            _to[c] = Layers.ToList().IndexOf(to) - InputCount;
            if (to.IsInput) throw new ArgumentException($"Connection '{connection.Name}' targets input '{to.Name}'.");
            if (!from.IsInput && !from.IsSpiking) throw new ArgumentException($"Connection '{connection.Name}' leaves '{from.Name}', which does not spike.");
            if (connection.Weights.Length != from.Size * to.Size)
                throw new ArgumentException($"Connection '{connection.Name}' has {connection.Weights.Length} weights; {from.Name} → {to.Name} needs {from.Size}·{to.Size}.");
            Check(connection.WeightExponent, _profile.WeightExponentMin, _profile.WeightExponentMax, connection.Name, "weight_exp");
            Check(connection.NumWeightBits, 1, _profile.WeightBits, connection.Name, "num_weight_bits");
            _prepared[c] = LoihiDense.Prepare(connection.Weights, connection.SignMode, connection.NumWeightBits, _profile.WeightBits);
        }
        _fallback = Enumerable.Range(0, populations.Count).Select(KernelObstacle).ToArray();
    }

    /// <summary>The populations.</summary>
    public IReadOnlyList<LoihiPopulation> Populations { get; }

    /// <summary>The Dense connections.</summary>
    public IReadOnlyList<LoihiConnection> Connections { get; }

    /// <summary>The weights the Dense of connection <paramref name="index"/> uses after clipping and truncation, [pre, post].</summary>
    public ReadOnlySpan<int> PreparedWeights(int index) => _prepared[index];

    private static List<QuantizedLayer> Describe(IReadOnlyList<(string Name, int Size)> inputs, IReadOnlyList<LoihiPopulation> populations, IReadOnlyDictionary<string, int>? latency)
    {
        var layers = inputs.Select(i => new QuantizedLayer(i.Name, i.Size, true, false, [], 0)).ToList();
        layers.AddRange(populations.Select(p => new QuantizedLayer(p.Name, p.Size, false, p.IsSpiking, ["I", "U"], latency?.GetValueOrDefault(p.Name) ?? 0)));
        return layers;
    }

    private void Validate(LoihiPopulation p)
    {
        Check(p.Du, 0, _profile.MaxDecay, p.Name, "du");
        Check(p.Dv, 0, _profile.MaxDecay, p.Name, "dv");
        if (p.IsSpiking) Check(p.Threshold, 0, _profile.MaxThresholdMantissa, p.Name, "vth");
        for (int i = 0; i < p.Size; i++)
        {
            Check(p.BiasMantissa[i], _profile.MinBiasMantissa, _profile.MaxBiasMantissa, p.Name, $"bias_mant[{i}]");
            Check(p.BiasExponent[i], 0, _profile.BiasExponentMax, p.Name, $"bias_exp[{i}]");
        }
    }

    private void Check(int value, int min, int max, string owner, string parameter)
    {
        if (value < min || value > max)
            throw new ProfileLimitException(Profile.Name, owner, parameter, $"{value} is outside {min}…{max}.");
    }

    private protected override double[] StateScale(int population, int state) => [Populations[population].Scale];

    private protected override string? FallbackReason(int population) => _fallback[population];

    /// <summary>What keeps population <paramref name="p"/> off the generated <c>StepLoihi</c>, or null.</summary>
    private string? KernelObstacle(int p)
    {
        LoihiProfile published = TargetProfiles.Loihi;
        if (_profile.DecayBits != published.DecayBits || _profile.DecayShift != published.DecayShift || _profile.CurrentDecayOffset != published.CurrentDecayOffset
            || _profile.VoltageDecayOffset != published.VoltageDecayOffset || _profile.StateBits != published.StateBits
            || _profile.CurrentOverflow != published.CurrentOverflow || _profile.VoltageOverflow != published.VoltageOverflow
            || _profile.ActivationShift != published.ActivationShift || _profile.ThresholdShift != published.ThresholdShift)
            return "the profile's arithmetic differs from the published Loihi's, which StepLoihi was generated for";
        LoihiPopulation population = Populations[p];
        int vth = population.IsSpiking ? population.Threshold : _profile.NeverSpikeThreshold;
        if (vth > published.NeverSpikeThreshold)
            return $"its threshold mantissa vth = {vth} is beyond StepLoihi's 0…{published.NeverSpikeThreshold}";
        if (_effectiveBias[p].Any(b => b != 0))
            return "it has a bias (bias_mant, bias_exp); CubaLifZeroReset's StepLoihi has none";

        // StepLoihi computes a_in << 6 in int: exact while |a_in| < 2^24. Bound |a_in| of each neuron by Σ|w| of its Dense inputs.
        long largest = 0;
        for (int i = 0; i < population.Size; i++)
        {
            long bound = 0;
            for (int c = 0; c < Connections.Count; c++)
            {
                if (_to[c] != p) continue;
                long sum = 0;
                for (int j = 0, pre = Layers[_from[c]].Size; j < pre; j++) sum += Math.Abs(_prepared[c][j * population.Size + i]);
                int exponent = Connections[c].WeightExponent;
                bound += exponent > 0 ? sum << exponent : (sum >> -exponent) + 1;
            }
            largest = Math.Max(largest, bound);
        }
        return largest < 1 << 24 ? null : $"its a_in can reach {largest}, and StepLoihi takes |a_in| < 2^24";
    }

    private sealed class Worker
    {
        public Worker(LoihiNetwork network)
        {
            U = network.Populations.Select(p => new int[p.Size]).ToArray();
            V = network.Populations.Select(p => new int[p.Size]).ToArray();
            Activation = network.Populations.Select(p => new int[p.Size]).ToArray();
            Spikes = network.Populations.Select(p => new ulong[SpikeRaster.WordsFor(p.Size)]).ToArray();
            Buffer = network.Connections.Select(c => new int[network.Layer(c.To).Size]).ToArray();
            Accumulation = network.Connections.Select(c => new int[network.Layer(c.To).Size]).ToArray();
        }

        public int[][] U { get; }
        public int[][] V { get; }
        public int[][] Activation { get; }
        public ulong[][] Spikes { get; }
        public int[][] Buffer { get; }          // a_buff: what each Dense sends at the next step
        public int[][] Accumulation { get; }    // a_accum of this step
    }

    private protected override object CreateWorker(QuantizedEngine engine) => new Worker(this);

    private protected override void RunSample(SampleRun sample, object scratch)
    {
        var w = (Worker)scratch;
        bool kernels = sample.UsesKernels;
        foreach (int[] a in w.U.Concat(w.V).Concat(w.Buffer)) Array.Clear(a);
        for (int t = 0; t < sample.ChipSteps; t++)
        {
            // Each LIF receives a_in: the sum of the a_out its Dense processes send this step (computed at t − 1).
            for (int p = 0; p < Populations.Count; p++) Array.Clear(w.Activation[p]);
            for (int c = 0; c < Connections.Count; c++)
            {
                int[] activation = w.Activation[_to[c]], buffer = w.Buffer[c];
                if (kernels) IntegerSynapses.Add(activation, buffer);
                else for (int i = 0; i < activation.Length; i++) activation[i] += buffer[i];
            }

            // Each LIF updates every compartment and sends its spikes.
            for (int p = 0; p < Populations.Count; p++)
            {
                if (kernels && _fallback[p] is null) StepKernel(sample, w, p, t);
                else StepReference(sample, w, p, t);
            }

            // Each Dense accumulates the weight rows of this step's active presynaptic neurons, shifted by weight_exp.
            for (int c = 0; c < Connections.Count; c++)
            {
                int[] accumulation = w.Accumulation[c], weights = _prepared[c];
                Array.Clear(accumulation);
                ReadOnlySpan<ulong> active = _from[c] < InputCount ? sample.InputRow(_from[c], t) : w.Spikes[_from[c] - InputCount];
                int post = accumulation.Length;
                for (int word = 0; word < active.Length; word++)
                {
                    for (ulong bits = active[word]; bits != 0; bits &= bits - 1)
                    {
                        int j = (word << 6) + BitOperations.TrailingZeroCount(bits);
                        ReadOnlySpan<int> row = weights.AsSpan(j * post, post);
                        if (kernels) IntegerSynapses.Add(accumulation, row);
                        else for (int i = 0; i < post; i++) accumulation[i] += row[i];
                    }
                }
                int[] buffer = w.Buffer[c];
                int exponent = Connections[c].WeightExponent;
                for (int i = 0; i < post; i++) buffer[i] = LoihiDense.ScaleAccumulation(accumulation[i], exponent);
            }
        }
    }

    /// <summary>Population <paramref name="p"/>'s step with the generated kernel, over the whole population.</summary>
    private void StepKernel(SampleRun sample, Worker w, int p, int t)
    {
        LoihiPopulation population = Populations[p];
        int[] u = w.U[p], v = w.V[p], activation = w.Activation[p];
        sample.ObserveInputs(activation);
        CubaLifZeroReset.StepLoihi(u, v, activation, population.Du, population.Dv,
            population.IsSpiking ? population.Threshold : _profile.NeverSpikeThreshold, w.Spikes[p]);
        if (population.IsSpiking) sample.Spikes(p, t, w.Spikes[p]);
        sample.Record(p, 0, t, u);
        sample.Record(p, 1, t, v);
    }

    /// <summary>Population <paramref name="p"/>'s step with <see cref="LoihiLif"/>, neuron by neuron.</summary>
    private void StepReference(SampleRun sample, Worker w, int p, int t)
    {
        LoihiPopulation population = Populations[p];
        int threshold = LoihiLif.EffectiveThreshold(population.IsSpiking ? population.Threshold : _profile.NeverSpikeThreshold, _profile);
        int[] u = w.U[p], v = w.V[p], activation = w.Activation[p], bias = _effectiveBias[p];
        ulong[] spikes = w.Spikes[p];
        Array.Clear(spikes);
        bool recordU = sample.Records(p, 0), recordV = sample.Records(p, 1);
        for (int i = 0; i < population.Size; i++)
        {
            sample.ObserveInput(activation[i]);
            if (LoihiLif.Step(ref u[i], ref v[i], activation[i], population.Du, population.Dv, bias[i], threshold, _profile))
            {
                spikes[i >> 6] |= 1UL << (i & 63);
                sample.Spike(p, t, i, 1);
            }
            if (recordU) sample.Record(p, 0, t, i, u[i]);
            if (recordV) sample.Record(p, 1, t, i, v[i]);
        }
    }
}
