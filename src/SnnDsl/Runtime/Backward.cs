namespace SnnDsl;

/// <summary>Options of a backward pass.</summary>
public sealed class BackwardOptions
{
    /// <summary>
    /// Sparse backward (Perez-Nieves &amp; Goodman, NeurIPS 2021): at a step where a spiking neuron's surrogate
    /// derivative σ′ is below this value, its adjoints are cut to zero, so the error propagation and weight-gradient
    /// accumulation skip it. 0 (the default) computes the exact surrogate gradient.
    /// </summary>
    public float SparseEpsilon { get; init; }

    /// <summary>Upper bound on worker threads; 0 uses every core. The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// The upstream gradient of a backward pass (the "cotangent"): ∂L/∂(state trace) for any recorded
/// (population, state) and ∂L/∂S for any spiking population, each laid out [batch, steps, neurons] like the
/// forward's <see cref="StateRecording"/>. A loss writes these (e.g. cross-entropy on the readout membrane).
/// </summary>
public sealed class BackwardUpstream
{
    private readonly Dictionary<string, float[]> _states = new();
    private readonly Dictionary<string, float[]> _spikes = new();

    /// <summary>Sets ∂L/∂(population.state) after each step.</summary>
    public BackwardUpstream WithState(string population, string state, float[] gradient)
    {
        _states[population + "." + state] = gradient;
        return this;
    }

    /// <summary>Sets ∂L/∂S of a spiking population.</summary>
    public BackwardUpstream WithSpikes(string population, float[] gradient)
    {
        _spikes[population] = gradient;
        return this;
    }

    /// <summary>The state gradient or null, checked against the network and the batch shape.</summary>
    public float[]? State(NetworkDescriptor network, string population, string state, int batch, int steps)
    {
        Validate(network);
        return _states.TryGetValue(population + "." + state, out float[]? g) ? Checked(g, $"state gradient '{population}.{state}'", batch, steps, network.Layer(population).Size) : null;
    }

    /// <summary>The spike gradient or null, checked against the network and the batch shape.</summary>
    public float[]? Spikes(NetworkDescriptor network, string population, int batch, int steps)
    {
        Validate(network);
        return _spikes.TryGetValue(population, out float[]? g) ? Checked(g, $"spike gradient '{population}'", batch, steps, network.Layer(population).Size) : null;
    }

    private void Validate(NetworkDescriptor network)
    {
        foreach (string key in _states.Keys)
        {
            string[] parts = key.Split('.');
            LayerDescriptor layer = network.Layer(parts[0]);
            if (layer.Neuron is null || !layer.Neuron.States.Contains(parts[1]))
                throw new ArgumentException($"Upstream gradient for '{key}', but population '{parts[0]}' has no state '{parts[1]}'.");
        }
        foreach (string key in _spikes.Keys)
        {
            if (network.Layer(key).Neuron is not { IsSpiking: true })
                throw new ArgumentException($"Upstream spike gradient for '{key}', which is not a spiking population.");
        }
    }

    private static float[] Checked(float[] gradient, string what, int batch, int steps, int neurons)
    {
        long expected = (long)batch * steps * neurons;
        if (gradient.Length != expected)
            throw new ArgumentException($"The {what} has {gradient.Length} values, but batch {batch} × steps {steps} × neurons {neurons} = {expected}.");
        return gradient;
    }
}

/// <summary>
/// Gradients of a loss with respect to every weight matrix (same [pre, post] layout as <see cref="Synapses.Weights"/>)
/// and every trainable parameter (length 1 when shared, one per neuron otherwise).
/// </summary>
public sealed class NetworkGradients
{
    private readonly ISpikingNetwork _network;
    private readonly (Population Population, int Index)[] _parameters;

    /// <summary>Zero gradients shaped like <paramref name="network"/>'s weights and trainable parameters.</summary>
    public NetworkGradients(ISpikingNetwork network)
    {
        _network = network;
        Weights = network.Connections.Select(c => new float[c.Weights.Length]).ToArray();
        _parameters = network.Populations
            .SelectMany(p => p.Neuron.Parameters.Select((d, i) => (p, d, i)).Where(x => x.d.Trainable).Select(x => (x.p, x.i)))
            .ToArray();
        Parameters = _parameters.Select(x => new float[x.Population.Parameter(x.Index).Length]).ToArray();
    }

    /// <summary>∂L/∂W per connection, in declaration order.</summary>
    public float[][] Weights { get; }

    /// <summary>∂L/∂θ per trainable parameter, populations in declaration order, parameters in declaration order.</summary>
    public float[][] Parameters { get; }

    /// <summary>∂L/∂W of a connection.</summary>
    public float[] Weight(string connection)
    {
        for (int c = 0; c < Weights.Length; c++)
            if (_network.Connections[c].Name == connection) return Weights[c];
        throw new ArgumentException($"No connection '{connection}'. Connections: {string.Join(", ", _network.Connections.Select(c => c.Name))}.", nameof(connection));
    }

    /// <summary>∂L/∂θ of a trainable parameter.</summary>
    public float[] Parameter(string population, string parameter)
    {
        for (int k = 0; k < _parameters.Length; k++)
        {
            (Population p, int index) = _parameters[k];
            if (p.Name == population && p.Neuron.Parameters[index].Name == parameter) return Parameters[k];
        }
        throw new ArgumentException($"No trainable parameter '{population}.{parameter}'.", nameof(parameter));
    }

    /// <summary>Every (name, value array, gradient array) triple, for optimizers.</summary>
    public IEnumerable<(string Name, float[] Value, float[] Gradient)> Tensors()
    {
        for (int c = 0; c < Weights.Length; c++)
            yield return (_network.Connections[c].Name, _network.Connections[c].Weights, Weights[c]);
        for (int k = 0; k < _parameters.Length; k++)
        {
            (Population p, int index) = _parameters[k];
            yield return ($"{p.Name}.{p.Neuron.Parameters[index].Name}", p.Parameter(index), Parameters[k]);
        }
    }

    /// <summary>Adds <paramref name="other"/> element-wise (used to reduce per-chunk gradients in a fixed order).</summary>
    public void Add(NetworkGradients other)
    {
        for (int c = 0; c < Weights.Length; c++) SpikeOps.AddInPlace(Weights[c], other.Weights[c]);
        for (int k = 0; k < Parameters.Length; k++) SpikeOps.AddInPlace(Parameters[k], other.Parameters[k]);
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void Clear()
    {
        foreach (float[] w in Weights) Array.Clear(w);
        foreach (float[] p in Parameters) Array.Clear(p);
    }
}
