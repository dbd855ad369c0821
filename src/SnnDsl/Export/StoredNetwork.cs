namespace SnnDsl.Export;

/// <summary>
/// A network rebuilt from a model file alone: the declaration the file carries, with its layers, connections, biases,
/// weights, sparse patterns and parameters. It can be exported (NIR), inspected and saved again without the assembly
/// that declared the network; simulating it needs the generated kernels, i.e. the compiled <c>[Network]</c> class.
/// </summary>
public sealed class StoredNetwork : ISpikingNetwork
{
    private StoredNetwork(NetworkDescriptor descriptor)
    {
        Descriptor = descriptor;
        Inputs = descriptor.Layers.Where(l => l.IsInput).Select(l => new SpikeInput(l.Name, l.Size)).ToList();
        Populations = descriptor.Layers.Where(l => !l.IsInput).Select(l => (Population)new StoredPopulation(l.Name, l.Size, l.Neuron!)).ToList();
        Connections = descriptor.Connections.Select(c =>
        {
            int pre = descriptor.Layer(c.From).Size, post = descriptor.Layer(c.To).Size;
            return c.Kind switch
            {
                ConnectionKind.Dense => (Connection)new DenseSynapses(c, pre, post),
                ConnectionKind.Sparse => new SparseSynapses(c, pre, post),
                ConnectionKind.OneToOne => new OneToOneSynapses(c, pre, post),
                _ => new Conv1dSynapses(c, pre, post),
            };
        }).ToList();
        Biases = descriptor.Biases.Select(b => new Bias(b, descriptor.Layer(b.To).Size)).ToList();
    }

    /// <summary>Reads a model file (or a checkpoint's model) into a network of its own declaration.</summary>
    /// <exception cref="ModelFileException">The file is corrupted or newer (see <see cref="ModelFile.Load"/>).</exception>
    public static StoredNetwork Open(string path)
    {
        SnnFileContents contents = ModelFile.Read(path);
        var network = new StoredNetwork(contents.Declaration);
        NetworkTensors.Apply(network, contents.Tensors.Where(t => NetworkTensors.IsModelTensor(t.Name)));
        return network;
    }

    /// <inheritdoc/>
    public NetworkDescriptor Descriptor { get; }

    /// <inheritdoc/>
    public IReadOnlyList<SpikeInput> Inputs { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Population> Populations { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Connection> Connections { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Bias> Biases { get; }

    /// <summary>Not available: simulation runs the kernels the generator emits for the compiled network class.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public SimulationResult Simulate(IReadOnlyList<SpikeRaster> inputs, SimulationOptions? options = null) =>
        throw new NotSupportedException($"Network '{Descriptor.Name}' was read from a model file; simulate the compiled [Network] class and load the file into it (ModelFile.Load).");

    /// <summary>Not available: the backward pass runs the kernels the generator emits for the compiled network class.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public NetworkGradients Backward(IReadOnlyList<SpikeRaster> inputs, SimulationResult forward, BackwardUpstream upstream, BackwardOptions? options = null, NetworkGradients? into = null) =>
        throw new NotSupportedException($"Network '{Descriptor.Name}' was read from a model file; train the compiled [Network] class and load the file into it (ModelFile.Load).");

    private sealed class StoredPopulation(string name, int size, NeuronDescriptor neuron) : Population(name, size, neuron);
}
