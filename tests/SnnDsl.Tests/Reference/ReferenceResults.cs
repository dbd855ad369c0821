namespace SnnDsl.Tests.Reference;

/// <summary>Options of <see cref="ReferenceInterpreter.Gradients"/>.</summary>
public sealed class ReferenceOptions
{
    /// <summary>
    /// Current values of surrogate parameters (static fields in user code), keyed "Surrogate.Parameter", e.g.
    /// "FastSigmoid.Slope". A parameter not listed takes its declared default.
    /// </summary>
    public IReadOnlyDictionary<string, float> SurrogateParameters { get; init; } = new Dictionary<string, float>();

    /// <summary>
    /// The sparse backward's ε (<see cref="BackwardOptions.SparseEpsilon"/>): at a step where a spiking neuron's σ′ is
    /// below it, nothing flows from the step back to the neuron's states before it or to its port inputs; its parameters
    /// still receive the step's derivative. 0 is the exact surrogate gradient.
    /// </summary>
    public float SparseEpsilon { get; init; }
}

/// <summary>The forward pass of the reference: arrays [batch, steps, neurons], states after the step (after reset).</summary>
public sealed class ReferenceTrace
{
    private readonly PopulationModel[] _populations;
    private readonly Dictionary<string, bool[,,]> _spikes = [];
    private readonly Dictionary<string, float[,,]> _states = [];

    private readonly ConnectionModel[] _connections;

    internal ReferenceTrace(NetworkModel model)
    {
        Batch = model.Batch;
        Steps = model.Steps;
        _populations = model.Populations;
        _connections = model.Connections;
        foreach (PopulationModel p in _populations)
        {
            string name = p.Population.Name;
            if (p.Fires is not null) _spikes[name] = new bool[Batch, Steps, p.Size];
            foreach (string state in p.States) _states[name + "." + state] = new float[Batch, Steps, p.Size];
        }
        foreach (ConnectionModel c in _connections)
            foreach (string state in c.Synapse?.Descriptor.States ?? [])
                _states[c.Connection.Name + "." + state] = new float[Batch, Steps, c.Connection.Post];
    }

    /// <summary>Samples.</summary>
    public int Batch { get; }

    /// <summary>Time steps.</summary>
    public int Steps { get; }

    /// <summary>The spikes of a spiking population.</summary>
    /// <exception cref="ArgumentException">No spiking population has that name.</exception>
    public bool[,,] Spikes(string population) =>
        _spikes.TryGetValue(population, out bool[,,]? spikes)
            ? spikes
            : throw new ArgumentException($"No spiking population '{population}'. Spiking: {string.Join(", ", _spikes.Keys)}.", nameof(population));

    /// <summary>The trace of one state of a population, or of a connection's synapse.</summary>
    /// <exception cref="ArgumentException">No such population or state.</exception>
    public float[,,] State(string population, string state) =>
        _states.TryGetValue(population + "." + state, out float[,,]? values)
            ? values
            : throw new ArgumentException($"No state '{population}.{state}'. States: {string.Join(", ", _states.Keys)}.", nameof(state));

    internal void Record(int sample, History history)
    {
        for (int p = 0; p < _populations.Length; p++)
        {
            PopulationModel population = _populations[p];
            string name = population.Population.Name;
            for (int t = 0; t < Steps; t++)
            {
                for (int i = 0; i < population.Size; i++)
                {
                    int j = t * population.Size + i;
                    for (int k = 0; k < population.States.Count; k++) _states[name + "." + population.States[k]][sample, t, i] = history.States[p][k][j].Value;
                    if (history.Spikes[p] is { } spikes) _spikes[name][sample, t, i] = spikes[j].Value == 1f;
                }
            }
        }
        for (int c = 0; c < _connections.Length; c++)
        {
            IReadOnlyList<string> states = _connections[c].Synapse?.Descriptor.States ?? [];
            int n = _connections[c].Connection.Post;
            for (int k = 0; k < states.Count; k++)
                for (int t = 0; t < Steps; t++)
                    for (int i = 0; i < n; i++)
                        _states[_connections[c].Connection.Name + "." + states[k]][sample, t, i] = history.SynapseStates[c][k][t * n + i].Value;
        }
    }
}

/// <summary>
/// ∂L/∂W per connection (the layout of <see cref="Connection.Weights"/>), ∂L/∂b per bias, and ∂L/∂θ per trainable neuron
/// or synapse parameter (length 1 when shared, summed over neurons; one per neuron otherwise), accumulated in float64;
/// and the forward pass.
/// </summary>
public sealed class ReferenceGradients
{
    private readonly NetworkModel _model;
    private readonly double[][] _weights;
    private readonly double[][] _biases;
    private readonly double[]?[][] _neuronParameters; // [population][parameter], null when not trainable
    private readonly double[]?[][] _synapseParameters; // [connection][parameter], null when not trainable

    internal ReferenceGradients(NetworkModel model)
    {
        _model = model;
        Forward = new ReferenceTrace(model);
        _weights = model.Network.Connections.Select(c => new double[c.Weights.Length]).ToArray();
        _biases = model.Network.Biases.Select(b => new double[b.Values.Length]).ToArray();
        _neuronParameters = model.Populations
            .Select(p => p.Population.Neuron.Parameters.Select((d, k) => d.Trainable ? new double[p.Population.Parameter(k).Length] : null).ToArray())
            .ToArray();
        _synapseParameters = model.Connections
            .Select(c => (c.Synapse?.Descriptor.Parameters ?? []).Select((d, k) => d.Trainable ? new double[c.Connection.SynapseParameter(k).Length] : null).ToArray())
            .ToArray();
    }

    /// <summary>The forward pass the gradient was taken on.</summary>
    public ReferenceTrace Forward { get; }

    /// <summary>∂L/∂W of a connection.</summary>
    /// <exception cref="ArgumentException">No connection has that name.</exception>
    public double[] Weight(string connection)
    {
        IReadOnlyList<Connection> connections = _model.Network.Connections;
        for (int c = 0; c < connections.Count; c++)
            if (connections[c].Name == connection) return _weights[c];
        throw new ArgumentException($"No connection '{connection}'. Connections: {string.Join(", ", connections.Select(c => c.Name))}.", nameof(connection));
    }

    /// <summary>∂L/∂b of a bias.</summary>
    /// <exception cref="ArgumentException">No bias has that name.</exception>
    public double[] Bias(string bias)
    {
        IReadOnlyList<Bias> biases = _model.Network.Biases;
        for (int b = 0; b < biases.Count; b++)
            if (biases[b].Name == bias) return _biases[b];
        throw new ArgumentException($"No bias '{bias}'.", nameof(bias));
    }

    /// <summary>∂L/∂θ of a trainable parameter of a population or of a connection's synapse.</summary>
    /// <exception cref="ArgumentException">No such owner or parameter, or the parameter is not trainable.</exception>
    public double[] Parameter(string owner, string parameter)
    {
        int p = Array.FindIndex(_model.Populations, m => m.Population.Name == owner);
        if (p >= 0) return Find(_model.Populations[p].Population.Neuron.Parameters, _neuronParameters[p]);
        int c = Array.FindIndex(_model.Connections, m => m.Connection.Name == owner);
        if (c >= 0 && _model.Connections[c].Synapse is { } synapse) return Find(synapse.Descriptor.Parameters, _synapseParameters[c]);
        throw new ArgumentException($"No population or synapse connection '{owner}'.", nameof(owner));

        double[] Find(IReadOnlyList<ParamDescriptor> declared, double[]?[] gradients)
        {
            for (int k = 0; k < declared.Count; k++)
                if (declared[k].Name == parameter)
                    return gradients[k] ?? throw new ArgumentException($"'{owner}.{parameter}' is not trainable.", nameof(parameter));
            throw new ArgumentException($"'{owner}' has no parameter '{parameter}'.", nameof(parameter));
        }
    }

    /// <summary>Adds one sample's leaf adjoints.</summary>
    internal void Accumulate(Bindings leaves, double[] adjoint)
    {
        static void Add(double[] gradient, Scalar[] leaves, double[] adjoint)
        {
            for (int k = 0; k < gradient.Length; k++) gradient[k] += adjoint[leaves[k].Node];
        }
        for (int c = 0; c < _weights.Length; c++) Add(_weights[c], leaves.Weights[c], adjoint);
        for (int b = 0; b < _biases.Length; b++) Add(_biases[b], leaves.Biases[b], adjoint);
        for (int p = 0; p < _neuronParameters.Length; p++)
            for (int k = 0; k < _neuronParameters[p].Length; k++)
                if (_neuronParameters[p][k] is { } gradient) Add(gradient, leaves.NeuronParameters[p][k], adjoint);
        for (int c = 0; c < _synapseParameters.Length; c++)
            for (int k = 0; k < _synapseParameters[c].Length; k++)
                if (_synapseParameters[c][k] is { } gradient) Add(gradient, leaves.SynapseParameters[c][k], adjoint);
    }
}
