namespace SnnDsl;

/// <summary>Conveniences over <see cref="ISpikingNetwork"/>.</summary>
public static class NetworkExtensions
{
    /// <summary>Runs the forward pass of a network with a single input layer.</summary>
    public static SimulationResult Simulate(this ISpikingNetwork network, SpikeRaster input, SimulationOptions? options = null) =>
        network.Simulate([input], options);

    /// <summary>
    /// Draws every weight from Normal(0, (scale / √fan_in)²), as SpyTorch does, connection by connection in
    /// declaration order from one seeded generator (reproducible).
    /// </summary>
    public static void InitializeWeights(this ISpikingNetwork network, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        foreach (Synapses synapses in network.Connections)
        {
            float std = scale / MathF.Sqrt(synapses.Pre);
            float[] w = synapses.Weights;
            for (int k = 0; k < w.Length; k++) w[k] = std * (float)NextGaussian(random);
        }
    }

    /// <summary>A standard normal deviate (Box–Muller).</summary>
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
        LayerDescriptor[] layers = network.Layers.Where(l => l.IsInput).ToArray();
        if (inputs.Count != layers.Length)
            throw new ArgumentException($"Network '{network.Name}' has {layers.Length} input layer(s) ({string.Join(", ", layers.Select(l => l.Name))}) but {inputs.Count} raster(s) were given.", nameof(inputs));
        int batch = inputs[0].Batch, steps = inputs[0].Steps;
        for (int k = 0; k < layers.Length; k++)
        {
            SpikeRaster raster = inputs[k] ?? throw new ArgumentNullException(nameof(inputs), $"Raster for input '{layers[k].Name}' is null.");
            if (raster.Neurons != layers[k].Size)
                throw new ArgumentException($"Input '{layers[k].Name}' of network '{network.Name}' has {layers[k].Size} channels but its raster has {raster.Neurons}.", nameof(inputs));
            if (raster.Batch != batch || raster.Steps != steps)
                throw new ArgumentException($"Input '{layers[k].Name}' has shape [batch {raster.Batch}, steps {raster.Steps}] but input '{layers[0].Name}' has [batch {batch}, steps {steps}].", nameof(inputs));
        }
        return (batch, steps);
    }

    /// <summary>
    /// The recording for "Population.State" when it is requested in <paramref name="options"/> or
    /// <paramref name="always"/> recorded (readouts); null otherwise. Called by the generated <c>Simulate</c>.
    /// </summary>
    public static StateRecording? Recording(NetworkDescriptor network, SimulationOptions? options, string population, string state, int batch, int steps, bool always)
    {
        if (!always && options is not { RecordAllStates: true } && !IsRecorded(network, options, population, state)) return null;
        int size = network.Layer(population).Size;
        return options?.Reuse?.Trace(population, state, batch, steps, size) ?? new StateRecording(population, state, batch, steps, size);
    }

    /// <summary>The spike raster of a population for a forward pass, reused from <see cref="SimulationOptions.Reuse"/> when possible.</summary>
    public static SpikeRaster Raster(NetworkDescriptor network, SimulationOptions? options, string population, int batch, int steps)
    {
        int size = network.Layer(population).Size;
        return options?.Reuse?.Raster(population, batch, steps, size) ?? new SpikeRaster(batch, steps, size);
    }

    /// <summary>
    /// Whether the trace "Population.State" is requested in <paramref name="options"/>; throws for a name that the
    /// network does not have, so a typo is not silently ignored.
    /// </summary>
    public static bool IsRecorded(NetworkDescriptor network, SimulationOptions? options, string population, string state)
    {
        if (options is null) return false;
        bool found = false;
        foreach (string name in options.RecordStates)
        {
            int dot = name.IndexOf('.');
            string p = dot < 0 ? name : name[..dot], s = dot < 0 ? "" : name[(dot + 1)..];
            LayerDescriptor layer = network.Layer(p);
            if (layer.Neuron is null || !layer.Neuron.States.Contains(s))
                throw new ArgumentException($"SimulationOptions.RecordStates has '{name}', but population '{p}' has no state '{s}'.", nameof(options));
            found |= p == population && s == state;
        }
        return found;
    }
}
