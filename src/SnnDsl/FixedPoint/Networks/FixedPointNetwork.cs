using System.Numerics;

namespace SnnDsl.FixedPoint;

/// <summary>The built-in neuron equations a <see cref="FixedPointNetwork"/> runs.</summary>
public enum FixedNeuronKind
{
    /// <summary><c>CubaLif</c>: I = αI + x; U = βU + I; spike U &gt; ϑ; U −= ϑ.</summary>
    CubaLif,

    /// <summary><c>Lif</c>: U = βU + x; spike U &gt; ϑ; U −= ϑ.</summary>
    Lif,

    /// <summary><c>LeakyReadout</c>: I = αI + x; U = βU + I; no spike.</summary>
    LeakyReadout,

    /// <summary><c>CubaLifZeroReset</c>: I = αI + x; U = βU + I; spike U &gt; ϑ; U ← 0.</summary>
    CubaLifZeroReset,
}

/// <summary>A population in a fixed-point profile: raw decays (decay format), raw threshold and biases (state format).</summary>
/// <param name="Name">Population name.</param>
/// <param name="Size">Neurons.</param>
/// <param name="Kind">Which built-in's equations.</param>
/// <param name="Alpha">Raw α (ignored for <see cref="FixedNeuronKind.Lif"/>).</param>
/// <param name="Beta">Raw β.</param>
/// <param name="Threshold">Raw ϑ (ignored for <see cref="FixedNeuronKind.LeakyReadout"/>).</param>
/// <param name="Bias">Raw bias per neuron added to the input, or null.</param>
public sealed record FixedPopulation(string Name, int Size, FixedNeuronKind Kind, long Alpha, long Beta, long Threshold, long[]? Bias = null)
{
    /// <summary>Whether it emits spikes.</summary>
    public bool IsSpiking => Kind != FixedNeuronKind.LeakyReadout;
}

/// <summary>A connection: raw weights [pre, post] in the weight format and the float network's delay.</summary>
/// <param name="Name">Connection name.</param>
/// <param name="From">Presynaptic layer.</param>
/// <param name="To">Postsynaptic population.</param>
/// <param name="Weights">Raw weights [pre, post].</param>
/// <param name="Delay">Steps from a spike to its arrival (0 from an input or an earlier population, ≥ 1 otherwise).</param>
public sealed record FixedConnection(string Name, string From, string To, long[] Weights, int Delay);

/// <summary>
/// The float network's semantics (docs/semantics.md: populations in declaration order, delays, subtractive reset, U &gt; ϑ)
/// in the arithmetic of a <see cref="FixedProfile"/> (<see cref="FixedNeurons"/>): the exact integer twin of the float
/// kernels, up to the profile's rounding and overflow. Both engines run <see cref="FixedNeurons"/>: the profile is chosen at
/// run time, and a generated <c>StepFixed</c> bakes its format at compile time (<see cref="QuantizedNetwork.KernelFallback"/>).
/// </summary>
public sealed class FixedPointNetwork : QuantizedNetwork
{
    private readonly FixedProfile _profile;
    private readonly int[] _from, _to;
    private readonly int _history;

    /// <summary>Builds and validates a network.</summary>
    /// <exception cref="ProfileLimitException">A raw value is outside its format, or the formats are too wide.</exception>
    public FixedPointNetwork(IReadOnlyList<(string Name, int Size)> inputs, IReadOnlyList<FixedPopulation> populations, IReadOnlyList<FixedConnection> connections,
        FixedProfile profile, QuantizationReport? report = null)
        : base(profile, Describe(inputs, populations), report)
    {
        _profile = profile;
        Populations = populations;
        Connections = connections;
        if (profile.StateFormat.TotalBits > 32 || !profile.StateFormat.IsSigned)
            throw new ProfileLimitException(profile.Name, "profile", "StateFormat", $"{profile.StateFormat} must be signed and at most 32 bits wide.");
        if (profile.WeightFormat.TotalBits > 32 || !profile.WeightFormat.IsSigned)
            throw new ProfileLimitException(profile.Name, "profile", "WeightFormat", $"{profile.WeightFormat} must be signed and at most 32 bits wide.");
        if (profile.DecayFormat.TotalBits > 31 || profile.DecayFormat.IsSigned)
            throw new ProfileLimitException(profile.Name, "profile", "DecayFormat", $"{profile.DecayFormat} must be unsigned and at most 31 bits wide.");
        foreach (FixedPopulation p in populations)
        {
            if (p.Kind != FixedNeuronKind.Lif) CheckRaw(p.Alpha, profile.DecayFormat, p.Name, "Alpha");
            CheckRaw(p.Beta, profile.DecayFormat, p.Name, "Beta");
            if (p.IsSpiking) CheckRaw(p.Threshold, profile.StateFormat, p.Name, "Threshold");
            if (p.Bias is { } bias)
            {
                if (bias.Length != p.Size) throw new ArgumentException($"Population '{p.Name}': {bias.Length} biases for {p.Size} neurons.");
                foreach (long b in bias) CheckRaw(b, profile.StateFormat, p.Name, "bias");
            }
        }
        var layers = Layers.ToList();
        _from = new int[connections.Count];
        _to = new int[connections.Count];
        for (int c = 0; c < connections.Count; c++)
        {
            FixedConnection connection = connections[c];
            QuantizedLayer from = Layer(connection.From), to = Layer(connection.To);
            if (to.IsInput) throw new ArgumentException($"Connection '{connection.Name}' targets input '{to.Name}'.");
            if (!from.IsInput && !from.IsSpiking) throw new ArgumentException($"Connection '{connection.Name}' leaves '{from.Name}', which does not spike.");
            if (connection.Weights.Length != from.Size * to.Size)
                throw new ArgumentException($"Connection '{connection.Name}' has {connection.Weights.Length} weights; {from.Name} → {to.Name} needs {from.Size}·{to.Size}.");
            _from[c] = layers.IndexOf(from);
            _to[c] = layers.IndexOf(to) - InputCount;
            int minimum = from.IsInput || _from[c] < _to[c] + InputCount ? 0 : 1;
            if (connection.Delay < minimum)
                throw new ArgumentException($"Connection '{connection.Name}' from '{from.Name}' to '{to.Name}' needs a delay of at least {minimum} (the source updates after the target).");
            foreach (long w in connection.Weights) CheckRaw(w, profile.WeightFormat, connection.Name, "weight");
        }
        _history = connections.Count == 0 ? 1 : connections.Max(c => c.Delay) + 1;
    }

    /// <summary>The populations.</summary>
    public IReadOnlyList<FixedPopulation> Populations { get; }

    /// <summary>The connections.</summary>
    public IReadOnlyList<FixedConnection> Connections { get; }

    private void CheckRaw(long raw, FixedFormat format, string owner, string parameter)
    {
        if (raw < format.MinRaw || raw > format.MaxRaw)
            throw new ProfileLimitException(Profile.Name, owner, parameter, $"raw {raw} is outside {format} ({format.MinRaw}…{format.MaxRaw}).");
    }

    private static List<QuantizedLayer> Describe(IReadOnlyList<(string Name, int Size)> inputs, IReadOnlyList<FixedPopulation> populations)
    {
        var layers = inputs.Select(i => new QuantizedLayer(i.Name, i.Size, true, false, [], 0)).ToList();
        layers.AddRange(populations.Select(p => new QuantizedLayer(p.Name, p.Size, false, p.IsSpiking, p.Kind == FixedNeuronKind.Lif ? ["U"] : ["I", "U"], 0)));
        return layers;
    }

    private protected override double[] StateScale(int population, int state) => [Math.Pow(2, _profile.StateFormat.FractionBits)];

    // A FixedProfile's formats, rounding and overflow are chosen at run time, while [FixedPointFormat(…)] bakes them into a
    // generated StepFixed at compile time, and the runtime declares no neuron with one: every engine runs FixedNeurons.
    private protected override string? FallbackReason(int population) =>
        "a FixedProfile's formats are chosen at run time, while a generated StepFixed bakes one format at compile time";

    private sealed class Worker
    {
        public Worker(FixedPointNetwork network)
        {
            Current = network.Populations.Select(p => new long[p.Size]).ToArray();
            Membrane = network.Populations.Select(p => new long[p.Size]).ToArray();
            Input = network.Populations.Select(p => new long[p.Size]).ToArray();
            // Spike history of every population: the last (max delay + 1) steps, one row each.
            History = network.Populations.Select(p => new ulong[network._history][]).ToArray();
            for (int p = 0; p < History.Length; p++)
                for (int k = 0; k < network._history; k++) History[p][k] = new ulong[SpikeRaster.WordsFor(network.Populations[p].Size)];
        }

        public long[][] Current { get; }
        public long[][] Membrane { get; }
        public long[][] Input { get; }
        public ulong[][][] History { get; }
    }

    private protected override object CreateWorker(QuantizedEngine engine) => new Worker(this);

    private protected override void RunSample(SampleRun sample, object scratch)
    {
        var w = (Worker)scratch;
        for (int p = 0; p < Populations.Count; p++)
        {
            Array.Clear(w.Current[p]);
            Array.Clear(w.Membrane[p]);
            foreach (ulong[] row in w.History[p]) Array.Clear(row);
        }
        StochasticRounder? random = _profile.Rounding == Rounding.Stochastic ? StochasticRounder.ForSample(_profile.Seed, sample.Sample) : null;
        int shift = _profile.StateFormat.FractionBits - _profile.WeightFormat.FractionBits;
        for (int t = 0; t < sample.ChipSteps; t++)
        {
            int slot = t % _history;
            for (int p = 0; p < Populations.Count; p++)
            {
                FixedPopulation population = Populations[p];
                long[] input = w.Input[p];
                Array.Clear(input);

                // Weighted spikes of every incoming connection, S_pre[t − delay], in raw weight units.
                for (int c = 0; c < Connections.Count; c++)
                {
                    if (_to[c] != p) continue;
                    int delay = Connections[c].Delay;
                    if (t - delay < 0) continue;
                    ReadOnlySpan<ulong> active = _from[c] < InputCount
                        ? sample.InputRow(_from[c], t - delay)
                        : w.History[_from[c] - InputCount][(t - delay) % _history];
                    long[] weights = Connections[c].Weights;
                    int post = population.Size;
                    for (int word = 0; word < active.Length; word++)
                        for (ulong bits = active[word]; bits != 0; bits &= bits - 1)
                        {
                            int j = (word << 6) + BitOperations.TrailingZeroCount(bits);
                            ReadOnlySpan<long> row = weights.AsSpan(j * post, post);
                            for (int i = 0; i < post; i++) input[i] += row[i];
                        }
                }

                // Into the state format (shift by the difference in fraction bits), plus the bias.
                long[] current = w.Current[p], membrane = w.Membrane[p];
                ulong[] spikes = w.History[p][slot];
                Array.Clear(spikes);
                bool recordFirst = sample.Records(p, 0), recordSecond = population.Kind != FixedNeuronKind.Lif && sample.Records(p, 1);
                for (int i = 0; i < population.Size; i++)
                {
                    long x = shift >= 0 ? input[i] << shift : FixedArithmetic.ShiftRight(input[i], -shift, _profile.Rounding, random);
                    if (population.Bias is { } bias) x += bias[i];
                    sample.ObserveInput(x);
                    x = FixedNeurons.Fit(x, _profile);
                    bool spiked = false;
                    switch (population.Kind)
                    {
                        case FixedNeuronKind.CubaLif:
                            spiked = FixedNeurons.CubaLif(ref current[i], ref membrane[i], x, population.Alpha, population.Beta, population.Threshold, _profile, random);
                            break;
                        case FixedNeuronKind.CubaLifZeroReset:
                            spiked = FixedNeurons.CubaLifZeroReset(ref current[i], ref membrane[i], x, population.Alpha, population.Beta, population.Threshold, _profile, random);
                            break;
                        case FixedNeuronKind.Lif:
                            spiked = FixedNeurons.Lif(ref membrane[i], x, population.Beta, population.Threshold, _profile, random);
                            break;
                        case FixedNeuronKind.LeakyReadout:
                            FixedNeurons.LeakyReadout(ref current[i], ref membrane[i], x, population.Alpha, population.Beta, _profile, random);
                            break;
                    }
                    if (spiked)
                    {
                        spikes[i >> 6] |= 1UL << (i & 63);
                        sample.Spike(p, t, i, 1);
                    }
                    if (population.Kind == FixedNeuronKind.Lif)
                    {
                        if (recordFirst) sample.Record(p, 0, t, i, (int)membrane[i]);
                    }
                    else
                    {
                        if (recordFirst) sample.Record(p, 0, t, i, (int)current[i]);
                        if (recordSecond) sample.Record(p, 1, t, i, (int)membrane[i]);
                    }
                }
            }
        }
    }
}
