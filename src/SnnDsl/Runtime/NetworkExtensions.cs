namespace SnnDsl;

/// <summary>Conveniences over <see cref="ISpikingNetwork"/>.</summary>
public static class NetworkExtensions
{
    /// <summary>
    /// Runs the forward pass of a network with a single input layer, after <see cref="NumericalChecks.CheckModel"/>:
    /// a NaN parameter or weight, or a parameter value that makes the dynamics undefined, is reported before the run.
    /// </summary>
    /// <exception cref="NumericalFaultException">A parameter or weight is unusable; the message names it.</exception>
    public static SimulationResult Simulate(this ISpikingNetwork network, SpikeRaster input, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.CheckModel();
        return network.Simulate([input], options);
    }

    /// <summary>
    /// Draws every weight from Normal(0, (scale / √fan_in)²), as SpyTorch does, connection by connection in
    /// declaration order from one seeded generator (reproducible).
    /// </summary>
    public static void InitializeWeights(this ISpikingNetwork network, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        foreach (Connection connection in network.Connections)
        {
            float std = scale / MathF.Sqrt((float)connection.FanIn);
            float[] w = connection.Weights;
            for (int k = 0; k < w.Length; k++) w[k] = std * (float)NextGaussian(random);
        }
    }

    internal static double NextGaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>
    /// Checks the inputs of a forward pass against the declaration and returns (batch, steps).
    /// Called by the generated <c>Simulate</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong count, or a raster whose shape does not match its layer.</exception>
    public static (int Batch, int Steps) ValidateInputs(NetworkDescriptor network, IReadOnlyList<SpikeRaster> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        // Index loops over the layers: neither LINQ nor an interface enumerator allocates on every call.
        IReadOnlyList<LayerDescriptor> layers = network.Layers;
        int inputLayers = 0;
        for (int l = 0; l < layers.Count; l++) if (layers[l].IsInput) inputLayers++;
        if (inputs.Count != inputLayers)
            throw new ArgumentException($"Network '{network.Name}' has {inputLayers} input layer(s) ({string.Join(", ", layers.Where(l => l.IsInput).Select(l => l.Name))}) but {inputs.Count} raster(s) were given.", nameof(inputs));
        int batch = inputs[0].Batch, steps = inputs[0].Steps, k = 0;
        LayerDescriptor? first = null;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerDescriptor layer = layers[l];
            if (!layer.IsInput) continue;
            first ??= layer;
            SpikeRaster raster = inputs[k++] ?? throw new ArgumentNullException(nameof(inputs), $"Raster for input '{layer.Name}' is null.");
            if (raster.Neurons != layer.Size)
                throw new ArgumentException($"Input '{layer.Name}' of network '{network.Name}' has {layer.Size} channels but its raster has {raster.Neurons}.", nameof(inputs));
            if (raster.Batch != batch || raster.Steps != steps)
                throw new ArgumentException($"Input '{layer.Name}' has shape [batch {raster.Batch}, steps {raster.Steps}] but input '{first.Name}' has [batch {batch}, steps {steps}].", nameof(inputs));
        }
        return (batch, steps);
    }

    /// <summary>
    /// The trace of a state of a population (or of a connection's synapse) for a forward pass, or null when it is not
    /// recorded; reused from <see cref="SimulationOptions.Reuse"/> when possible.
    /// </summary>
    public static StateRecording? Recording(NetworkDescriptor network, SimulationOptions? options, string owner, string state, int batch, int steps, int size, bool always)
    {
        if ((!always || options is { RecordReadouts: false }) && options is not { RecordAllStates: true } && !IsRecorded(network, options, owner, state)) return null;
        return options?.Reuse?.Trace(owner, state, batch, steps, size) ?? new StateRecording(owner, state, batch, steps, size);
    }

    /// <summary>
    /// The recording of a port's inputs for a forward pass with <see cref="SimulationOptions.RecordAllStates"/> (which
    /// the backward pass reads instead of recomputing them), or null; reused from <see cref="SimulationOptions.Reuse"/>
    /// when possible.
    /// </summary>
    public static StateRecording? InputRecording(SimulationOptions? options, string population, string port, int batch, int steps, int size) =>
        options is not { RecordAllStates: true } ? null
            : options.Reuse?.InputTrace(population, port, batch, steps, size) ?? new StateRecording(population, port, batch, steps, size);

    /// <summary>The spike raster of a population for a forward pass, reused from <see cref="SimulationOptions.Reuse"/> when possible.</summary>
    public static SpikeRaster Raster(NetworkDescriptor network, SimulationOptions? options, string population, int batch, int steps)
    {
        int size = network.Layer(population).Size;
        return options?.Reuse?.Raster(population, batch, steps, size) ?? new SpikeRaster(batch, steps, size);
    }

    /// <summary>Whether <see cref="SimulationOptions.RecordStates"/> names "owner.state"; every name there must exist.</summary>
    /// <exception cref="ArgumentException">A name is not a state of a population or of a connection's synapse.</exception>
    public static bool IsRecorded(NetworkDescriptor network, SimulationOptions? options, string owner, string state)
    {
        if (options is null) return false;
        bool found = false;
        foreach (string name in options.RecordStates)
        {
            int dot = name.IndexOf('.');
            string o = dot < 0 ? name : name[..dot], s = dot < 0 ? "" : name[(dot + 1)..];
            string? problem = (network.Layers.FirstOrDefault(l => l.Name == o), network.Connections.FirstOrDefault(c => c.Name == o)) switch
            {
                ({ Neuron: { } neuron }, _) when !neuron.States.Contains(s) => $"population '{o}' has no state '{s}' (states: {string.Join(", ", neuron.States)})",
                ({ Neuron: not null }, _) => null,
                (_, { Synapse: { } synapse }) when !synapse.States.Contains(s) =>
                    $"the synapse of connection '{o}' has no state '{s}' (states: {(synapse.States.Count == 0 ? "none" : string.Join(", ", synapse.States))})",
                (_, { Synapse: not null }) => null,
                (_, { }) => $"connection '{o}' is a delta synapse, which has no states",
                _ => $"there is no population or connection named '{o}'",
            };
            if (problem is not null)
                throw new ArgumentException($"SimulationOptions.RecordStates has '{name}', but {problem}; write 'Population.State' or 'Connection.State'.", nameof(options));
            found |= o == owner && s == state;
        }
        return found;
    }
}
