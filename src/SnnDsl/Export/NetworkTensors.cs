using System.Globalization;

namespace SnnDsl.Export;

/// <summary>
/// The tensors a model file holds for a network, and their names:
/// <c>population/P/Param</c> (float32, [1] shared or [size] per neuron),
/// <c>connection/C/weights</c> (float32; dense [pre, post], sparse [synapses], one-to-one [n], conv1d [out, in, kernel]),
/// <c>connection/C/pre</c>, <c>/post</c>, <c>/delays</c> (int32 [synapses], sparse connections only),
/// <c>connection/C/synapse/Param</c> (float32, [1] or [post]) and <c>bias/B</c> (float32 [size]).
/// </summary>
public static class NetworkTensors
{
    /// <summary>Prefixes of the model's tensors; a checkpoint adds tensors under other prefixes.</summary>
    public static readonly IReadOnlyList<string> ModelPrefixes = ["population/", "connection/", "bias/"];

    /// <summary>Whether <paramref name="name"/> is a model tensor (weights, parameters, biases, sparse pattern).</summary>
    public static bool IsModelTensor(string name) => ModelPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The weight tensor's name of a connection.</summary>
    public static string Weights(string connection) => $"connection/{connection}/weights";

    /// <summary>The name of a population parameter's tensor.</summary>
    public static string PopulationParameter(string population, string parameter) => $"population/{population}/{parameter}";

    /// <summary>The name of a synapse parameter's tensor.</summary>
    public static string SynapseParameter(string connection, string parameter) => $"connection/{connection}/synapse/{parameter}";

    /// <summary>The name of a bias tensor.</summary>
    public static string Bias(string bias) => $"bias/{bias}";

    /// <summary>
    /// Every model tensor a network of this declaration has, with its shape; a sparse connection's tensors have
    /// shape null (the number of synapses is data).
    /// </summary>
    public static IEnumerable<(string Name, TensorElementType Type, long[]? Shape)> Expected(NetworkDescriptor network)
    {
        foreach (LayerDescriptor layer in network.Layers)
        {
            if (layer.Neuron is not { } neuron) continue;
            foreach (ParamDescriptor p in neuron.Parameters)
                yield return (PopulationParameter(layer.Name, p.Name), TensorElementType.Float32, [p.PerNeuron ? layer.Size : 1]);
        }
        foreach (ConnectionDescriptor c in network.Connections)
        {
            int pre = network.Layer(c.From).Size, post = network.Layer(c.To).Size;
            switch (c.Kind)
            {
                case ConnectionKind.Dense:
                    yield return (Weights(c.Name), TensorElementType.Float32, [pre, post]);
                    break;
                case ConnectionKind.OneToOne:
                    yield return (Weights(c.Name), TensorElementType.Float32, [post]);
                    break;
                case ConnectionKind.Conv1d:
                    ConvShape s = c.Convolution!;
                    yield return (Weights(c.Name), TensorElementType.Float32, [s.OutChannels, s.InChannels, s.KernelSize]);
                    break;
                case ConnectionKind.Sparse:
                    yield return (Weights(c.Name), TensorElementType.Float32, null);
                    yield return ($"connection/{c.Name}/pre", TensorElementType.Int32, null);
                    yield return ($"connection/{c.Name}/post", TensorElementType.Int32, null);
                    yield return ($"connection/{c.Name}/delays", TensorElementType.Int32, null);
                    break;
            }
            if (c.Synapse is { } synapse)
                foreach (ParamDescriptor p in synapse.Parameters)
                    yield return (SynapseParameter(c.Name, p.Name), TensorElementType.Float32, [p.PerNeuron ? post : 1]);
        }
        foreach (BiasDescriptor b in network.Biases)
            yield return (Bias(b.Name), TensorElementType.Float32, [network.Layer(b.To).Size]);
    }

    /// <summary>Copies of every model tensor of <paramref name="network"/>, in the order of <see cref="Expected"/>.</summary>
    public static IReadOnlyList<StoredTensor> Collect(ISpikingNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var tensors = new List<StoredTensor>();
        foreach (Population p in network.Populations)
            for (int k = 0; k < p.Neuron.Parameters.Count; k++)
                tensors.Add(new StoredTensor(PopulationParameter(p.Name, p.Neuron.Parameters[k].Name), [p.Parameter(k).Length], (float[])p.Parameter(k).Clone()));
        foreach (Connection c in network.Connections)
        {
            long[] shape = c switch
            {
                DenseSynapses => [c.Pre, c.Post],
                Conv1dSynapses conv => [conv.Convolution.OutChannels, conv.Convolution.InChannels, conv.Convolution.KernelSize],
                _ => [c.Weights.Length],
            };
            tensors.Add(new StoredTensor(Weights(c.Name), shape, (float[])c.Weights.Clone()));
            if (c is SparseSynapses sparse)
            {
                tensors.Add(new StoredTensor($"connection/{c.Name}/pre", [sparse.Count], (int[])sparse.PreIndex.Clone()));
                tensors.Add(new StoredTensor($"connection/{c.Name}/post", [sparse.Count], (int[])sparse.PostIndex.Clone()));
                tensors.Add(new StoredTensor($"connection/{c.Name}/delays", [sparse.Count], (int[])sparse.Delays.Clone()));
            }
            if (c.Descriptor.Synapse is { } synapse)
                for (int k = 0; k < synapse.Parameters.Count; k++)
                    tensors.Add(new StoredTensor(SynapseParameter(c.Name, synapse.Parameters[k].Name), [c.SynapseParameter(k).Length], (float[])c.SynapseParameter(k).Clone()));
        }
        foreach (Bias b in network.Biases)
            tensors.Add(new StoredTensor(Bias(b.Name), [b.Values.Length], (float[])b.Values.Clone()));
        return tensors;
    }

    /// <summary>
    /// Checks that <paramref name="tensors"/> are exactly the model tensors of <paramref name="network"/>: every one
    /// present, with its element type and shape; sparse patterns with equal lengths, indices inside the layers,
    /// delays within the declared range and no synapse twice. Returns one sentence per problem (empty when they fit).
    /// </summary>
    public static IReadOnlyList<string> Problems(NetworkDescriptor network, IEnumerable<StoredTensor> tensors)
    {
        var problems = new List<string>();
        var byName = tensors.Where(t => IsModelTensor(t.Name)).ToDictionary(t => t.Name);
        var expected = Expected(network).ToList();
        foreach ((string name, TensorElementType type, long[]? shape) in expected)
        {
            if (!byName.TryGetValue(name, out StoredTensor? t))
            {
                problems.Add($"tensor '{name}' is missing");
                continue;
            }
            if (t.ElementType != type)
                problems.Add($"tensor '{name}' is {t.ElementType}, expected {type}");
            else if (shape is not null && !t.Shape.SequenceEqual(shape))
                problems.Add($"tensor '{name}' has shape {StoredTensor.ShapeText(t.Shape)}, expected {StoredTensor.ShapeText(shape)}");
            else if (shape is null && t.Shape.Count != 1)
                problems.Add($"tensor '{name}' has shape {StoredTensor.ShapeText(t.Shape)}, expected one dimension (the synapses)");
        }
        foreach (string extra in byName.Keys.Except(expected.Select(e => e.Name)))
            problems.Add($"tensor '{extra}' belongs to no layer, connection or bias of the declaration");
        if (problems.Count > 0) return problems;

        foreach (ConnectionDescriptor c in network.Connections.Where(c => c.Kind == ConnectionKind.Sparse))
        {
            int[] pre = byName[$"connection/{c.Name}/pre"].AsInt32(), post = byName[$"connection/{c.Name}/post"].AsInt32(), delays = byName[$"connection/{c.Name}/delays"].AsInt32();
            int weights = byName[Weights(c.Name)].Values.Length;
            if (pre.Length != weights || post.Length != weights || delays.Length != weights)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"sparse connection '{c.Name}' stores {weights} weights, {pre.Length} presynaptic and {post.Length} postsynaptic indices and {delays.Length} delays; they must have the same length"));
                continue;
            }
            int preSize = network.Layer(c.From).Size, postSize = network.Layer(c.To).Size;
            var seen = new HashSet<long>();
            for (int k = 0; k < weights; k++)
            {
                string? problem =
                    (uint)pre[k] >= (uint)preSize ? $"presynaptic index {pre[k]} is outside 0…{preSize - 1}"
                    : (uint)post[k] >= (uint)postSize ? $"postsynaptic index {post[k]} is outside 0…{postSize - 1}"
                    : delays[k] < c.Delay || delays[k] > c.MaxDelay ? $"delay {delays[k]} is outside the declared {c.Delay}…{c.MaxDelay}"
                    : !seen.Add((long)pre[k] * postSize + post[k]) ? $"{pre[k]} → {post[k]} appears twice"
                    : null;
                if (problem is not null)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"sparse connection '{c.Name}', synapse {k}: {problem}"));
                    break;
                }
            }
        }
        return problems;
    }

    /// <summary>
    /// Writes checked tensors into the network (call <see cref="Problems"/> first; nothing here can fail half-way).
    /// A sparse connection whose stored pattern differs from its current one gets the stored pattern
    /// (<see cref="SparseSynapses.Connect(int[], int[], int[])"/>, which replaces its weight array); every other array is
    /// overwritten in place, so optimizers that hold references keep seeing it.
    /// </summary>
    internal static void Apply(ISpikingNetwork network, IEnumerable<StoredTensor> tensors)
    {
        var byName = tensors.ToDictionary(t => t.Name);
        foreach (Population p in network.Populations)
            for (int k = 0; k < p.Neuron.Parameters.Count; k++)
                byName[PopulationParameter(p.Name, p.Neuron.Parameters[k].Name)].AsFloat32().CopyTo(p.Parameter(k), 0);
        foreach (Connection c in network.Connections)
        {
            if (c is SparseSynapses sparse)
            {
                int[] pre = byName[$"connection/{c.Name}/pre"].AsInt32(), post = byName[$"connection/{c.Name}/post"].AsInt32(), delays = byName[$"connection/{c.Name}/delays"].AsInt32();
                if (!SamePattern(sparse, pre, post, delays)) sparse.Connect(pre, post, delays);
            }
            byName[Weights(c.Name)].AsFloat32().CopyTo(c.Weights, 0);
            if (c.Descriptor.Synapse is { } synapse)
                for (int k = 0; k < synapse.Parameters.Count; k++)
                    byName[SynapseParameter(c.Name, synapse.Parameters[k].Name)].AsFloat32().CopyTo(c.SynapseParameter(k), 0);
        }
        foreach (Bias b in network.Biases) byName[Bias(b.Name)].AsFloat32().CopyTo(b.Values, 0);
    }

    /// <summary>Whether a sparse connection already has exactly this pattern (same synapses in the same order).</summary>
    internal static bool SamePattern(SparseSynapses sparse, int[] pre, int[] post, int[] delays) =>
        sparse.PreIndex.AsSpan().SequenceEqual(pre) && sparse.PostIndex.AsSpan().SequenceEqual(post) && sparse.Delays.AsSpan().SequenceEqual(delays);
}
