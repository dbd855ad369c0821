namespace SnnDsl.Tests.Reference;

/// <summary>Options of <see cref="ReferenceInterpreter.Gradients"/>.</summary>
public sealed class ReferenceOptions
{
    /// <summary>
    /// Current values of surrogate parameters (static fields in user code), keyed "Surrogate.Parameter", e.g.
    /// "FastSigmoid.Slope". A parameter not listed takes its declared default.
    /// </summary>
    public IReadOnlyDictionary<string, float> SurrogateParameters { get; init; } = new Dictionary<string, float>();
}

/// <summary>The forward pass of the reference: arrays [batch, steps, neurons], states after the step (after reset).</summary>
public sealed class ReferenceTrace
{
    private readonly PopulationModel[] _populations;
    private readonly Dictionary<string, bool[,,]> _spikes = [];
    private readonly Dictionary<string, float[,,]> _states = [];

    internal ReferenceTrace(NetworkModel model)
    {
        Batch = model.Batch;
        Steps = model.Steps;
        _populations = model.Populations;
        foreach (PopulationModel p in _populations)
        {
            string name = p.Population.Name;
            if (p.Fires is not null) _spikes[name] = new bool[Batch, Steps, p.Size];
            foreach (string state in p.States) _states[name + "." + state] = new float[Batch, Steps, p.Size];
        }
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

    /// <summary>The trace of one state of a population.</summary>
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
    }
}

/// <summary>
/// ∂L/∂W per connection (row-major [pre, post] like <see cref="Synapses.Weights"/>) and ∂L/∂θ per trainable parameter
/// (length 1 when shared, summed over neurons; one per neuron otherwise), accumulated in float64; and the forward pass.
/// </summary>
public sealed class ReferenceGradients
{
    private readonly NetworkModel _model;
    private readonly double[][] _weights;
    private readonly double[]?[][] _parameters; // [population][parameter], null when not trainable

    internal ReferenceGradients(NetworkModel model)
    {
        _model = model;
        Forward = new ReferenceTrace(model);
        _weights = model.Network.Connections.Select(c => new double[c.Weights.Length]).ToArray();
        _parameters = model.Populations
            .Select(p => p.Population.Neuron.Parameters.Select((d, k) => d.Trainable ? new double[p.Population.Parameter(k).Length] : null).ToArray())
            .ToArray();
    }

    /// <summary>The forward pass the gradient was taken on.</summary>
    public ReferenceTrace Forward { get; }

    /// <summary>∂L/∂W of a connection.</summary>
    /// <exception cref="ArgumentException">No connection has that name.</exception>
    public double[] Weight(string connection)
    {
        IReadOnlyList<Synapses> connections = _model.Network.Connections;
        for (int c = 0; c < connections.Count; c++)
            if (connections[c].Name == connection) return _weights[c];
        throw new ArgumentException($"No connection '{connection}'. Connections: {string.Join(", ", connections.Select(c => c.Name))}.", nameof(connection));
    }

    /// <summary>∂L/∂θ of a trainable parameter.</summary>
    /// <exception cref="ArgumentException">No such population or parameter, or the parameter is not trainable.</exception>
    public double[] Parameter(string population, string parameter)
    {
        int p = Array.FindIndex(_model.Populations, m => m.Population.Name == population);
        if (p < 0) throw new ArgumentException($"No population '{population}'.", nameof(population));
        IReadOnlyList<ParamDescriptor> declared = _model.Populations[p].Population.Neuron.Parameters;
        for (int k = 0; k < declared.Count; k++)
        {
            if (declared[k].Name == parameter)
                return _parameters[p][k] ?? throw new ArgumentException($"'{population}.{parameter}' is not trainable.", nameof(parameter));
        }
        throw new ArgumentException($"Population '{population}' has no parameter '{parameter}'.", nameof(parameter));
    }

    /// <summary>Adds one sample's leaf adjoints.</summary>
    internal void Accumulate(Bindings leaves, double[] adjoint)
    {
        for (int c = 0; c < _weights.Length; c++)
            for (int k = 0; k < _weights[c].Length; k++) _weights[c][k] += adjoint[leaves.Weights[c][k].Node];
        for (int p = 0; p < _parameters.Length; p++)
            for (int k = 0; k < _parameters[p].Length; k++)
                if (_parameters[p][k] is { } gradient)
                    for (int n = 0; n < gradient.Length; n++) gradient[n] += adjoint[leaves.Parameters[p][k][n].Node];
    }
}
