using SnnDsl.Neurons;

namespace SnnDsl.Export.Nir;

/// <summary>
/// The result of an import: the NIR graph, the declaration of an equivalent SnnDsl network (as a descriptor and as C#
/// source of a <c>[Network]</c> class over built-in neurons), and the weights and parameters of that declaration as
/// model-file tensors.
/// </summary>
public sealed class NirImport
{
    internal NirImport(NirGraph graph, NetworkDescriptor declaration, IReadOnlyList<StoredTensor> tensors, string source, IReadOnlyList<string> conversions)
    {
        Graph = graph;
        Declaration = declaration;
        Tensors = tensors;
        Source = source;
        Conversions = conversions;
    }

    /// <summary>The graph as read.</summary>
    public NirGraph Graph { get; }

    /// <summary>The declaration the generated source compiles to (its fingerprint is the model file's).</summary>
    public NetworkDescriptor Declaration { get; }

    /// <summary>Every model tensor of the declaration (weights with the NIR gains folded in, converted parameters, biases).</summary>
    public IReadOnlyList<StoredTensor> Tensors { get; }

    /// <summary>C# source of the <c>[Network]</c> declaration.</summary>
    public string Source { get; }

    /// <summary>One sentence per node: which built-in it became and with which converted parameters.</summary>
    public IReadOnlyList<string> Conversions { get; }

    /// <summary>Writes the model file of <see cref="Declaration"/> (load it with <see cref="ModelFile.Load"/> into the compiled class).</summary>
    public void WriteModel(string path) => ModelFile.Write(path, Declaration, Tensors,
        new Dictionary<string, string> { ["imported-from"] = "NIR " + (Graph.Version ?? "?") });
}

/// <summary>
/// Turns a NIR graph into a SnnDsl declaration over built-in neurons (docs/exports.md has the table): the conversion
/// itself is <see cref="NirConversion"/>, shared with the generator's build-time import (<c>[NirNetwork]</c>); this
/// maps its result onto the runtime's descriptors (<see cref="NorseLif"/>, <see cref="SnnTorchLeakyZeroReset"/>,
/// <see cref="LeakyReadout"/>, <see cref="Lif"/>, <see cref="CubaLif"/>) and model-file tensors.
/// </summary>
public static class NirImporter
{
    /// <summary>Reads a NIR file and converts it.</summary>
    /// <exception cref="NirFormatException">The file cannot be read (see <see cref="NirFile.Read"/>).</exception>
    /// <exception cref="NirImportException">A node has no SnnDsl equivalent or a field cannot be converted (node and field named).</exception>
    public static NirImport Import(string path, NirImportOptions? options = null) => Convert(NirFile.Read(path), options);

    /// <summary>Converts a graph.</summary>
    /// <exception cref="NirImportException">A node has no SnnDsl equivalent or a field cannot be converted (node and field named).</exception>
    public static NirImport Convert(NirGraph graph, NirImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        NirDeclaration d = NirConversion.Convert(graph, options ?? new NirImportOptions());
        var layers = d.Layers.Select(l => new LayerDescriptor(l.Name, l.Size, l.Neuron is null ? null : Descriptor(l.Neuron))).ToList();
        var connections = d.Connections.Select(c => new ConnectionDescriptor(c.Name, c.From, c.To, Kind(c.Kind), c.Delay, c.Delay, c.Port, null,
            c.Convolution is { } s ? new ConvShape(s.InChannels, s.InLength, s.OutChannels, s.OutLength, s.KernelSize, s.Stride, s.Padding) : null)).ToList();
        var biases = d.Biases.Select(b => new BiasDescriptor(b.Name, b.To, b.Port)).ToList();
        var declaration = new NetworkDescriptor(d.ClassName, d.TimeStep, layers, connections, biases);

        var tensors = new List<StoredTensor>();
        foreach (NirLayer layer in d.Layers)
            foreach ((string name, float[] values) in layer.Parameters) tensors.Add(new StoredTensor(NetworkTensors.PopulationParameter(layer.Name, name), [values.Length], values));
        foreach (NirConnection c in d.Connections) tensors.Add(new StoredTensor(NetworkTensors.Weights(c.Name), c.Shape, c.Weights));
        foreach (NirBias b in d.Biases) tensors.Add(new StoredTensor(NetworkTensors.Bias(b.Name), [b.Values.Length], b.Values));
        IReadOnlyList<string> problems = NetworkTensors.Problems(declaration, tensors);
        if (problems.Count > 0) throw new InvalidOperationException("The importer built tensors that do not fit its declaration: " + string.Join("; ", problems));
        var byName = tensors.ToDictionary(t => t.Name);
        List<StoredTensor> ordered = NetworkTensors.Expected(declaration).Select(e => byName[e.Name]).ToList();
        return new NirImport(graph, declaration, ordered, d.Source, d.Conversions);
    }

    /// <summary>The runtime descriptor of a built-in the conversion chose, checked against the conversion's view of it.</summary>
    private static NeuronDescriptor Descriptor(NirBuiltIn builtIn)
    {
        NeuronDescriptor descriptor = builtIn.Name switch
        {
            "Lif" => Lif.Descriptor,
            "CubaLif" => CubaLif.Descriptor,
            "NorseLif" => NorseLif.Descriptor,
            "SnnTorchLeakyZeroReset" => SnnTorchLeakyZeroReset.Descriptor,
            "LeakyReadout" => LeakyReadout.Descriptor,
            _ => throw new InvalidOperationException($"The NIR conversion chose '{builtIn.Name}', which the importer does not know."),
        };
        if (!descriptor.Parameters.Select(p => p.Name).SequenceEqual(builtIn.Parameters) || descriptor.Ports[0] != builtIn.Port)
            throw new InvalidOperationException($"NirBuiltIn.{builtIn.Name} lists parameters ({string.Join(", ", builtIn.Parameters)}) and port '{builtIn.Port}', but the neuron declares ({string.Join(", ", descriptor.Parameters.Select(p => p.Name))}) and '{descriptor.Ports[0]}'.");
        return descriptor;
    }

    private static ConnectionKind Kind(NirConnectionKind kind) => kind switch
    {
        NirConnectionKind.Dense => ConnectionKind.Dense,
        NirConnectionKind.OneToOne => ConnectionKind.OneToOne,
        _ => ConnectionKind.Conv1d,
    };
}
