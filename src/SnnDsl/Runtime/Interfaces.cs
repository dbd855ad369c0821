namespace SnnDsl;

/// <summary>Implemented by the generator for every <see cref="NeuronAttribute"/> type.</summary>
public interface INeuron
{
    /// <summary>The parsed model.</summary>
    static abstract NeuronDescriptor Descriptor { get; }
}

/// <summary>Implemented by the generator for every <see cref="NetworkAttribute"/> type.</summary>
public interface ISpikingNetwork
{
    /// <summary>The declared structure.</summary>
    NetworkDescriptor Descriptor { get; }

    /// <summary>Input layers in declaration order.</summary>
    IReadOnlyList<SpikeInput> Inputs { get; }

    /// <summary>Populations in update order.</summary>
    IReadOnlyList<Population> Populations { get; }

    /// <summary>Connections in declaration order.</summary>
    IReadOnlyList<Connection> Connections { get; }

    /// <summary>Biases in declaration order.</summary>
    IReadOnlyList<Bias> Biases { get; }

    /// <summary>
    /// Runs the forward pass over a batch. <paramref name="inputs"/> holds one raster per input layer, in
    /// declaration order, all with the same batch size and number of steps.
    /// </summary>
    SimulationResult Simulate(IReadOnlyList<SpikeRaster> inputs, SimulationOptions? options = null);

    /// <summary>
    /// Backpropagation through time with surrogate gradients: given the inputs, the forward result (run with
    /// <see cref="SimulationOptions.RecordAllStates"/>) and the upstream gradient of a loss, returns ∂L/∂W for every
    /// connection, ∂L/∂b for every bias and ∂L/∂θ for every trainable neuron and synapse parameter. Deterministic: samples are reduced in a fixed order,
    /// whatever the number of threads. When <paramref name="into"/> is given, it is overwritten and returned (an
    /// optimizer keeps references to its arrays); otherwise new gradients are allocated.
    /// </summary>
    NetworkGradients Backward(IReadOnlyList<SpikeRaster> inputs, SimulationResult forward, BackwardUpstream upstream, BackwardOptions? options = null, NetworkGradients? into = null);
}
