namespace SnnDsl.Tests.Reference;

/// <summary>A population of a hand-written neuron descriptor (<see cref="Population{TNeuron}"/> needs a generated neuron type).</summary>
internal sealed class FakePopulation(string name, int size, NeuronDescriptor neuron) : Population(name, size, neuron);

/// <summary>
/// A network assembled by hand, as the generator would declare it, for testing the reference on its own. Running it
/// is the generated code's job, so <see cref="Simulate"/> and <see cref="Backward"/> are not supported.
/// </summary>
internal sealed class FakeNetwork : ISpikingNetwork
{
    private readonly List<LayerDescriptor> _layers = [];
    private readonly List<SpikeInput> _inputs = [];
    private readonly List<Population> _populations = [];
    private readonly List<Connection> _connections = [];
    private readonly List<Bias> _biases = [];

    public NetworkDescriptor Descriptor => new("FakeNetwork", 1e-3, _layers.ToArray(), _connections.Select(c => c.Descriptor).ToArray(), _biases.Select(b => b.Descriptor).ToArray());

    public IReadOnlyList<SpikeInput> Inputs => _inputs;

    public IReadOnlyList<Population> Populations => _populations;

    public IReadOnlyList<Connection> Connections => _connections;

    public IReadOnlyList<Bias> Biases => _biases;

    public FakeNetwork Input(string name, int size)
    {
        _layers.Add(new LayerDescriptor(name, size, null));
        _inputs.Add(new SpikeInput(name, size));
        return this;
    }

    public FakeNetwork Population(string name, int size, NeuronDescriptor neuron)
    {
        _layers.Add(new LayerDescriptor(name, size, neuron));
        _populations.Add(new FakePopulation(name, size, neuron));
        return this;
    }

    /// <summary>
    /// Dense synapses with row-major [pre, post] <paramref name="weights"/> (zero when omitted) on the target's first
    /// port. As the generator infers it when no delay is given: 1 when the source is the target or a population
    /// declared after it, else 0.
    /// </summary>
    public FakeNetwork Dense(string from, string to, float[]? weights = null, string? name = null, int? delay = null, SynapseDescriptor? synapse = null)
    {
        name ??= from + "To" + to;
        int source = _populations.FindIndex(p => p.Name == from), target = _populations.FindIndex(p => p.Name == to);
        int pre = _layers.Single(l => l.Name == from).Size, post = _layers.Single(l => l.Name == to).Size;
        int d = delay ?? (source >= target ? 1 : 0);
        var synapses = new DenseSynapses(new ConnectionDescriptor(name, from, to, ConnectionKind.Dense, d, d, _populations[target].Neuron.Ports[0], synapse), pre, post);
        weights?.CopyTo(synapses.Weights, 0);
        _connections.Add(synapses);
        return this;
    }

    /// <summary>A bias on the first port of <paramref name="to"/>.</summary>
    public FakeNetwork Bias(string to, float[] values, string? name = null)
    {
        Population target = _populations.Single(p => p.Name == to);
        var bias = new Bias(new BiasDescriptor(name ?? to + "Bias", to, target.Neuron.Ports[0]), target.Size);
        values.CopyTo(bias.Values, 0);
        _biases.Add(bias);
        return this;
    }

    public Population this[string population] => _populations.Single(p => p.Name == population);

    public DenseSynapses Synapses(string connection) => (DenseSynapses)_connections.Single(c => c.Name == connection);

    public SimulationResult Simulate(IReadOnlyList<SpikeRaster> inputs, SimulationOptions? options = null) =>
        throw new NotSupportedException("FakeNetwork only describes a network for the reference interpreter.");

    public NetworkGradients Backward(IReadOnlyList<SpikeRaster> inputs, SimulationResult forward, BackwardUpstream upstream, BackwardOptions? options = null, NetworkGradients? into = null) =>
        throw new NotSupportedException("FakeNetwork only describes a network for the reference interpreter.");
}

/// <summary>Neuron and surrogate descriptors written by hand in the IR of docs/ir.md.</summary>
internal static class TestModels
{
    /// <summary>SuperSpike: σ′(x) = 1 / (k|x| + 1)², k = Slope.</summary>
    public static SurrogateDescriptor FastSigmoid { get; } = new(
        "FastSigmoid",
        [new ParamDescriptor("Slope", 100f, false, false)],
        "(/ 1 (* (+ (* (param Slope) (call Abs (arg))) 1) (+ (* (param Slope) (call Abs (arg))) 1)))");

    /// <summary>
    /// Current-based LIF: I = αI + input; U = βU + I; fires when U > ϑ; U ← U − ϑ. α = 0.5 and β = 0.75 keep hand
    /// computations exact in binary; all three parameters trainable.
    /// </summary>
    public static NeuronDescriptor CubaLif(bool perNeuronThreshold = false, bool attachResetGradient = false) => new(
        "CubaLif",
        ["I", "U"],
        [new ParamDescriptor("Alpha", 0.5f, false, true), new ParamDescriptor("Beta", 0.75f, false, true), new ParamDescriptor("Threshold", 1f, perNeuronThreshold, true)],
        ["input"],
        null,
        "(block (set-state I (+ (* (param Alpha) (state I)) (input input))) (set-state U (+ (* (param Beta) (state U)) (state I))))",
        "(> (state U) (param Threshold))",
        "(block (set-state U (- (state U) (param Threshold))))",
        FastSigmoid,
        attachResetGradient);

    /// <summary>Non-spiking leaky integrator U = βU + input.</summary>
    public static NeuronDescriptor LeakyReadout { get; } = new(
        "LeakyReadout",
        ["U"],
        [new ParamDescriptor("Beta", 0.5f, false, true)],
        ["input"],
        null,
        "(block (set-state U (+ (* (param Beta) (state U)) (input input))))",
        null,
        null,
        null,
        false);
}
