using SnnDsl.Neurons;

namespace SnnDsl.FixedPoint;

/// <summary>The built-in neurons that have an integer mapping.</summary>
public enum BuiltInNeuron
{
    /// <summary><see cref="Neurons.CubaLif"/>.</summary>
    CubaLif,

    /// <summary><see cref="Neurons.Lif"/>.</summary>
    Lif,

    /// <summary><see cref="Neurons.LeakyReadout"/>.</summary>
    LeakyReadout,

    /// <summary><see cref="FixedPoint.CubaLifZeroReset"/>.</summary>
    CubaLifZeroReset,
}

/// <summary>
/// A float network read for quantization: its inputs, its populations of mappable built-ins with their parameter values,
/// and every connection as a dense [pre, post] matrix with its delay.
/// </summary>
internal sealed class FloatModel
{
    public sealed record Layer(string Name, int Size, bool IsInput, BuiltInNeuron Kind, float Alpha, float Beta, float Threshold, float[]? Bias, Population? Population)
    {
        public bool IsSpiking => !IsInput && Kind != BuiltInNeuron.LeakyReadout;
    }

    public sealed record Link(string Name, int From, int To, float[] Weights, int Delay, int MinimumDelay, Connection Connection);

    private FloatModel(ISpikingNetwork network, List<Layer> layers, List<Link> links)
    {
        Network = network;
        Layers = layers;
        Links = links;
    }

    public ISpikingNetwork Network { get; }

    /// <summary>Inputs first, then populations in update order.</summary>
    public List<Layer> Layers { get; }

    public List<Link> Links { get; }

    public int InputCount => Layers.Count(l => l.IsInput);

    public IEnumerable<Link> Into(int layer) => Links.Where(l => l.To == layer);

    /// <summary>Reads a network; every population must be a mappable built-in and every connection a delta synapse.</summary>
    /// <exception cref="ProfileLimitException">Something has no integer mapping.</exception>
    public static FloatModel Read(ISpikingNetwork network, TargetProfile profile)
    {
        var layers = network.Inputs.Select(i => new Layer(i.Name, i.Size, true, default, 0, 0, 0, null, null)).ToList();
        foreach (Population p in network.Populations)
        {
            BuiltInNeuron kind = p switch
            {
                Population<CubaLif> => BuiltInNeuron.CubaLif,
                Population<Lif> => BuiltInNeuron.Lif,
                Population<LeakyReadout> => BuiltInNeuron.LeakyReadout,
                Population<CubaLifZeroReset> => BuiltInNeuron.CubaLifZeroReset,
                _ when ByDescriptor(p.Neuron) is { } builtIn => builtIn,     // e.g. a network read from a model file (StoredNetwork)
                _ => throw new ProfileLimitException(profile.Name, p.Name, "", $"neuron '{p.Neuron.Name}' has no integer mapping yet; CubaLif, Lif, LeakyReadout and CubaLifZeroReset have one (docs/fixed-point.md)."),
            };
            foreach (string state in p.Neuron.States.Where(s => s != p.Neuron.PreviousSpike))
                if (p.InitialState(state).Any(v => v != 0f))
                    throw new ProfileLimitException(profile.Name, p.Name, state, $"state {state} starts at a value other than 0; the integer simulators start every state at 0.");
            float alpha = kind == BuiltInNeuron.Lif ? 0f : Shared(p, "Alpha", profile);
            float beta = Shared(p, "Beta", profile);
            float threshold = kind == BuiltInNeuron.LeakyReadout ? 0f : Shared(p, "Threshold", profile);
            float[]? bias = null;
            foreach (Bias b in network.Biases.Where(b => b.Descriptor.To == p.Name))
            {
                bias ??= new float[p.Size];
                for (int i = 0; i < p.Size; i++) bias[i] += b.Values[i];
            }
            layers.Add(new Layer(p.Name, p.Size, false, kind, alpha, beta, threshold, bias, p));
        }

        var links = new List<Link>();
        foreach (Connection c in network.Connections)
        {
            int from = layers.FindIndex(l => l.Name == c.From), to = layers.FindIndex(l => l.Name == c.To);
            if (c.Descriptor.Synapse is { } synapse)
                throw new ProfileLimitException(profile.Name, c.Name, "Synapse", $"synapse model '{synapse.Name}' has no integer mapping; connections must be delta synapses (no Synapse =).");
            if (!layers[from].IsInput && !layers[from].IsSpiking)
                throw new ProfileLimitException(profile.Name, c.Name, "", $"it leaves '{layers[from].Name}', a non-spiking readout.");
            int minimum = layers[from].IsInput || from < to ? 0 : 1;
            links.Add(new Link(c.Name, from, to, Dense(c, profile), c.Delay, minimum, c));
        }
        return new FloatModel(network, layers, links);
    }

    /// <summary>The built-in a neuron descriptor is (same name, parameters and dynamics), or null.</summary>
    private static BuiltInNeuron? ByDescriptor(NeuronDescriptor neuron)
    {
        foreach ((NeuronDescriptor d, BuiltInNeuron kind) in new[] { (CubaLif.Descriptor, BuiltInNeuron.CubaLif), (Lif.Descriptor, BuiltInNeuron.Lif),
                     (LeakyReadout.Descriptor, BuiltInNeuron.LeakyReadout), (CubaLifZeroReset.Descriptor, BuiltInNeuron.CubaLifZeroReset) })
        {
            if (d.Name == neuron.Name && d.Integrate == neuron.Integrate && d.Fires == neuron.Fires && d.Reset == neuron.Reset
                && d.Parameters.Select(x => x.Name).SequenceEqual(neuron.Parameters.Select(x => x.Name)))
                return kind;
        }
        return null;
    }

    private static float Shared(Population p, string name, TargetProfile profile)
    {
        float[] values = p.Parameter(name);
        if (values.Length != 1)
            throw new ProfileLimitException(profile.Name, p.Name, name, "per-neuron values have no mapping; the chip models share it across a population.");
        if (!float.IsFinite(values[0]))
            throw new ProfileLimitException(profile.Name, p.Name, name, $"{values[0]} is not finite.");
        return values[0];
    }

    /// <summary>The weights as a dense [pre, post] matrix (sparse, one-to-one and convolutional connections expanded).</summary>
    private static float[] Dense(Connection c, TargetProfile profile)
    {
        if (c is DenseSynapses) return (float[])c.Weights.Clone();
        var dense = new float[c.Pre * c.Post];
        var mapped = (MappedConnection)c;
        for (int g = 0; g < mapped.Rows.Length; g++)
        {
            SynapseRows rows = mapped.Rows[g];
            if (g > 0 && rows.Target.Length > 0)
                throw new ProfileLimitException(profile.Name, c.Name, "Delay", $"synapses with delays {c.Delay}…{c.Descriptor.MaxDelay} have no mapping; give every synapse one delay.");
            for (int j = 0; j < c.Pre; j++)
                for (int k = rows.RowStart[j]; k < rows.RowStart[j + 1]; k++)
                    dense[j * c.Post + rows.Target[k]] += c.Weights[rows.WeightIndex[k]];
        }
        return dense;
    }

    /// <summary>The largest |I| and |U| of every population over a calibration batch (float units), or null without one.</summary>
    public Dictionary<string, (double Current, double Membrane)>? Peaks(SpikeRaster? calibration) => Peaks(Network, calibration);

    /// <summary>The largest |I| and |U| of every population of <paramref name="network"/> over a calibration batch.</summary>
    public static Dictionary<string, (double Current, double Membrane)>? Peaks(ISpikingNetwork network, SpikeRaster? calibration)
    {
        if (calibration is null) return null;
        SimulationResult result = network.Simulate([calibration], new SimulationOptions { RecordAllStates = true });
        var peaks = new Dictionary<string, (double, double)>();
        foreach (Population p in network.Populations)
        {
            double current = p.Neuron.States.Contains("I") ? result.States(p.Name, "I").Values.Max(v => Math.Abs((double)v)) : 0;
            double membrane = result.States(p.Name, "U").Values.Max(v => Math.Abs((double)v));
            peaks[p.Name] = (current, membrane);
        }
        return peaks;
    }

    /// <summary>
    /// Per population, the steps by which the chip lags the float network when every connection takes
    /// <paramref name="chipDelay"/>(link) steps on the chip; notes where paths disagree.
    /// </summary>
    public Dictionary<string, int> Latencies(Func<Link, int> chipDelay, List<string> notes)
    {
        var latency = Layers.ToDictionary(l => l.Name, _ => 0);
        for (int p = InputCount; p < Layers.Count; p++)
        {
            // Feed-forward links come from inputs or earlier populations, whose latency is known.
            var feedForward = Into(p).Where(l => l.From < p).ToList();
            if (feedForward.Count > 0)
                latency[Layers[p].Name] = feedForward.Max(l => latency[Layers[l.From].Name] + chipDelay(l) - l.Delay);
        }
        foreach (Link link in Links)
        {
            int expected = latency[Layers[link.From].Name] + chipDelay(link) - link.Delay, actual = latency[Layers[link.To].Name];
            if (expected != actual)
                notes.Add($"Connection '{link.Name}' arrives {Math.Abs(actual - expected)} step(s) {(expected < actual ? "earlier" : "later")} on the chip than in the float network (chip delay {chipDelay(link)}, float delay {link.Delay}, '{Layers[link.To].Name}' lags by {actual}).");
        }
        return latency;
    }
}
