using System.Buffers.Binary;
using System.Security.Cryptography;
using SnnDsl.Export;
using SnnDsl.Neurons;
using SnnDsl.Tests.Data;
using SnnDsl.Tests.Kernels;

namespace SnnDsl.Tests.Export;

/// <summary>FeedForwardNet with one hidden neuron more: a declaration that differs in one size.</summary>
[Network]
public partial class FeedForwardNetWider
{
    [Input(37)] public partial SpikeInput In { get; }
    [Population(46)] public partial Population<CubaLif> Hidden { get; }
    [Population(11)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>FeedForwardNet with a Lif hidden layer and a recurrent connection: differs in a model and a connection.</summary>
[Network]
public partial class FeedForwardNetLif
{
    [Input(37)] public partial SpikeInput In { get; }
    [Population(45)] public partial Population<Lif> Hidden { get; }
    [Population(11)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out), Delay = 2)] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>FeedForwardNet under another class name: the same declaration.</summary>
[Network]
public partial class FeedForwardNetRenamed
{
    [Input(37)] public partial SpikeInput In { get; }
    [Population(45)] public partial Population<CubaLif> Hidden { get; }
    [Population(11)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

public class ModelFileTests
{
    /// <summary>A SynapseNet with every tensor set to a distinct value and a sparse pattern with per-synapse delays.</summary>
    internal static SynapseNet TrainedSynapseNet(int seed)
    {
        var network = new SynapseNet();
        var random = new Random(seed);
        int n = 0;
        int[] pre = [0, 0, 3, 7, 12, 29, 29, 15], post = [0, 5, 12, 3, 3, 0, 11, 7], delays = [0, 3, 1, 2, 0, 3, 1, 2];
        network.ExcToInh.Connect(pre, post, delays);
        foreach (Connection c in network.Connections)
            for (int k = 0; k < c.Weights.Length; k++) c.Weights[k] = (float)(random.NextDouble() - 0.5);
        foreach (Population p in network.Populations)
            for (int k = 0; k < p.Neuron.Parameters.Count; k++)
                for (int i = 0; i < p.Parameter(k).Length; i++) p.Parameter(k)[i] = 0.5f + 0.01f * n++;
        network.BToExc.SynapseParameter("AlphaDecay")[0] = 0.77f;
        network.ExcSelf.SynapseParameter("Reversal")[0] = 4.5f;
        foreach (Bias b in network.Biases)
            for (int i = 0; i < b.Values.Length; i++) b.Values[i] = (float)random.NextDouble();
        return network;
    }

    internal static void AssertSameTensors(IReadOnlyList<StoredTensor> expected, IReadOnlyList<StoredTensor> actual)
    {
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (int k = 0; k < expected.Count; k++)
        {
            Assert.Equal(expected[k].Shape, actual[k].Shape);
            Assert.Equal(expected[k].ElementType, actual[k].ElementType);
            Assert.Equal(expected[k].Values.Cast<object>(), actual[k].Values.Cast<object>());
        }
    }

    [Fact]
    public void Save_and_load_restore_every_tensor_and_the_same_spikes()
    {
        using var folder = new TempFolder();
        SynapseNet trained = TrainedSynapseNet(seed: 1);
        string path = folder.File("synapse.snnm");
        ModelFile.Save(trained, path);

        var loaded = new SynapseNet();
        Assert.NotEqual(trained.ExcToInh.PreIndex, loaded.ExcToInh.PreIndex);   // the declared random pattern differs
        ModelFile.Load(loaded, path);

        AssertSameTensors(NetworkTensors.Collect(trained), NetworkTensors.Collect(loaded));
        Assert.Equal(trained.ExcToInh.Delays, loaded.ExcToInh.Delays);
        SpikeRaster a = SpikeRaster.Bernoulli(3, 40, 24, 0.3, seed: 5), b = SpikeRaster.Bernoulli(3, 40, 9, 0.3, seed: 6);
        SimulationResult x = trained.Simulate([a, b]), y = loaded.Simulate([a, b]);
        Assert.Equal(x.Spikes("Exc").Bits, y.Spikes("Exc").Bits);
        Assert.Equal(x.Spikes("Inh").Bits, y.Spikes("Inh").Bits);
        Assert.Equal(x.States("Out", "U").Values, y.States("Out", "U").Values);
        Assert.True(x.Spikes("Exc").Count() > 0, "the comparison needs spikes");
    }

    [Fact]
    public void Loading_keeps_weight_arrays_in_place_when_the_pattern_is_the_same()
    {
        using var folder = new TempFolder();
        SynapseNet trained = TrainedSynapseNet(seed: 2);
        ModelFile.Save(trained, folder.File("m.snnm"));
        SynapseNet target = TrainedSynapseNet(seed: 3);           // same pattern, other values
        float[] dense = target.InhToExc.Weights, sparse = target.ExcToInh.Weights;
        ModelFile.Load(target, folder.File("m.snnm"));
        Assert.Same(dense, target.InhToExc.Weights);
        Assert.Same(sparse, target.ExcToInh.Weights);               // an optimizer holding them keeps working
        Assert.Equal(trained.ExcToInh.Weights, target.ExcToInh.Weights);
    }

    [Fact]
    public void Saving_is_atomic_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("net.snnm");
        var first = new FeedForwardNet();
        first.InitializeWeights(seed: 1);
        ModelFile.Save(first, path);
        var second = new FeedForwardNet();
        second.InitializeWeights(seed: 2);
        ModelFile.Save(second, path);                              // replaces the file
        Assert.Equal(["net.snnm"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        var loaded = new FeedForwardNet();
        ModelFile.Load(loaded, path);
        Assert.Equal(second.InToHidden.Weights, loaded.InToHidden.Weights);
        Assert.Throws<DirectoryNotFoundException>(() => ModelFile.Save(first, Path.Combine(folder.Path, "missing", "net.snnm")));
    }

    [Fact]
    public void A_renamed_network_class_with_the_same_declaration_loads_the_file()
    {
        using var folder = new TempFolder();
        var network = new FeedForwardNet();
        network.InitializeWeights(seed: 4);
        ModelFile.Save(network, folder.File("m.snnm"));
        var renamed = new FeedForwardNetRenamed();
        ModelFile.Load(renamed, folder.File("m.snnm"));
        Assert.Equal(network.HiddenToOut.Weights, renamed.HiddenToOut.Weights);
    }

    [Fact]
    public void Loading_into_a_different_declaration_names_every_difference_and_changes_nothing()
    {
        using var folder = new TempFolder();
        var network = new FeedForwardNet();
        network.InitializeWeights(seed: 5);
        string path = folder.File("ff.snnm");
        ModelFile.Save(network, path);

        var wider = new FeedForwardNetWider();
        wider.InitializeWeights(seed: 6);
        IReadOnlyList<StoredTensor> before = NetworkTensors.Collect(wider);
        var e = Assert.Throws<ModelMismatchException>(() => ModelFile.Load(wider, path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
        Assert.Contains("population 'Hidden': 46 neurons in network 'FeedForwardNetWider', 45 in", e.Message);
        AssertSameTensors(before, NetworkTensors.Collect(wider));

        var lif = new FeedForwardNetLif();
        before = NetworkTensors.Collect(lif);
        e = Assert.Throws<ModelMismatchException>(() => ModelFile.Load(lif, path));
        Assert.Contains(e.Differences, d => d.StartsWith("population 'Hidden': neuron Lif in network 'FeedForwardNetLif', CubaLif in", StringComparison.Ordinal));
        Assert.Contains(e.Differences, d => d.StartsWith("connection 'HiddenToOut': delay 2 in network 'FeedForwardNetLif', 0 in", StringComparison.Ordinal));
        AssertSameTensors(before, NetworkTensors.Collect(lif));

        var other = new SynapseNet();
        e = Assert.Throws<ModelMismatchException>(() => ModelFile.Load(other, path));
        Assert.Contains(e.Differences, d => d.StartsWith("layers: A, B, Exc, Inh, Out in network 'SynapseNet', In, Hidden, Out in", StringComparison.Ordinal));
    }

    [Fact]
    public void A_truncated_file_is_refused_and_changes_nothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.snnm");
        ModelFile.Save(TrainedSynapseNet(seed: 7), path);
        byte[] whole = File.ReadAllBytes(path);
        SynapseNet target = TrainedSynapseNet(seed: 8);
        IReadOnlyList<StoredTensor> before = NetworkTensors.Collect(target);
        foreach (int length in new[] { 0, 5, 20, 31, whole.Length / 2, whole.Length - 33, whole.Length - 1 })
        {
            File.WriteAllBytes(path, whole[..length]);
            var e = Assert.Throws<ModelFileCorruptedException>(() => ModelFile.Load(target, path));
            Assert.Contains(path, e.Message);
            Assert.Contains("truncated", e.Message);
            AssertSameTensors(before, NetworkTensors.Collect(target));
        }
    }

    [Fact]
    public void A_changed_byte_fails_the_checksum_and_changes_nothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.snnm");
        ModelFile.Save(TrainedSynapseNet(seed: 9), path);
        byte[] whole = File.ReadAllBytes(path);
        SynapseNet target = TrainedSynapseNet(seed: 10);
        IReadOnlyList<StoredTensor> before = NetworkTensors.Collect(target);
        foreach (int position in new[] { 40, whole.Length / 2, whole.Length - 40, whole.Length - 1 })
        {
            byte[] corrupted = (byte[])whole.Clone();
            corrupted[position] ^= 0x10;
            File.WriteAllBytes(path, corrupted);
            var e = Assert.Throws<ModelFileCorruptedException>(() => ModelFile.Load(target, path));
            Assert.Contains("SHA-256 checksum does not match", e.Message);
            AssertSameTensors(before, NetworkTensors.Collect(target));
        }
    }

    [Fact]
    public void A_newer_format_version_is_refused_by_version_and_changes_nothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.snnm");
        ModelFile.Save(TrainedSynapseNet(seed: 11), path);
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), ModelFile.FormatVersion + 1);
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes, bytes.Length - 32);   // a well-formed newer file
        File.WriteAllBytes(path, bytes);
        SynapseNet target = TrainedSynapseNet(seed: 12);
        IReadOnlyList<StoredTensor> before = NetworkTensors.Collect(target);
        var e = Assert.Throws<ModelFileVersionException>(() => ModelFile.Load(target, path));
        Assert.Equal(ModelFile.FormatVersion + 1, e.FileVersion);
        Assert.Contains($"'{path}' is format version {ModelFile.FormatVersion + 1}", e.Message);
        AssertSameTensors(before, NetworkTensors.Collect(target));
    }

    [Fact]
    public void Another_kind_of_file_is_not_taken_for_a_model()
    {
        using var folder = new TempFolder();
        string path = folder.File("notes.txt");
        File.WriteAllText(path, "weights: 1, 2, 3 — definitely not a model");
        var e = Assert.Throws<ModelFileCorruptedException>(() => ModelFile.Load(new FeedForwardNet(), path));
        Assert.Contains("is not an SnnDsl model file", e.Message);
        Assert.Throws<FileNotFoundException>(() => ModelFile.Load(new FeedForwardNet(), folder.File("absent.snnm")));
    }

    [Fact]
    public void Out_of_range_sparse_indices_in_a_well_formed_file_are_refused_before_anything_is_written()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.snnm");
        SynapseNet source = TrainedSynapseNet(seed: 13);
        var tensors = NetworkTensors.Collect(source).ToList();
        int index = tensors.FindIndex(t => t.Name == "connection/ExcToInh/post");
        int[] post = tensors[index].AsInt32().ToArray();
        post[4] = 13;                                                    // Inh has 13 neurons: 0…12
        tensors[index] = new StoredTensor(tensors[index].Name, [post.Length], post);
        var argument = Assert.Throws<ArgumentException>(() => ModelFile.Write(path, SynapseNet.Descriptor, tensors));
        Assert.Contains("sparse connection 'ExcToInh', synapse 4: postsynaptic index 13 is outside 0…12", argument.Message);

        SnnFileFormat.Write(path, SnnFileFormat.ModelKind, SynapseNet.Descriptor, new Dictionary<string, string>(), tensors);   // bypass the writer's check
        SynapseNet target = TrainedSynapseNet(seed: 14);
        IReadOnlyList<StoredTensor> before = NetworkTensors.Collect(target);
        var e = Assert.Throws<ModelFileCorruptedException>(() => ModelFile.Load(target, path));
        Assert.Contains("sparse connection 'ExcToInh', synapse 4: postsynaptic index 13 is outside 0…12", e.Message);
        AssertSameTensors(before, NetworkTensors.Collect(target));
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_named_with_both_shapes()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.snnm");
        var network = new FeedForwardNet();
        var tensors = NetworkTensors.Collect(network).ToList();
        int index = tensors.FindIndex(t => t.Name == "connection/HiddenToOut/weights");
        tensors[index] = new StoredTensor(tensors[index].Name, [11, 45], new float[45 * 11]);
        SnnFileFormat.Write(path, SnnFileFormat.ModelKind, FeedForwardNet.Descriptor, new Dictionary<string, string>(), tensors);
        var e = Assert.Throws<ModelFileCorruptedException>(() => ModelFile.Load(new FeedForwardNet(), path));
        Assert.Contains("tensor 'connection/HiddenToOut/weights' has shape [11, 45], expected [45, 11]", e.Message);
    }

    [Fact]
    public void The_declaration_text_parses_back_to_the_same_fingerprint_for_every_test_network()
    {
        ISpikingNetwork[] networks = [new FeedForwardNet(), new RecurrentNet(), new WideRecurrentNet(), new SynapseNet(), new PeerNet()];
        foreach (ISpikingNetwork network in networks)
        {
            string text = NetworkDeclaration.ToText(network.Descriptor);
            NetworkDescriptor parsed = NetworkDeclaration.Parse(text);
            Assert.Equal(text, NetworkDeclaration.ToText(parsed));
            Assert.Equal(NetworkDeclaration.FingerprintHex(network.Descriptor), NetworkDeclaration.FingerprintHex(parsed));
            Assert.Empty(NetworkDeclaration.Differences(network.Descriptor, parsed));
        }
        Assert.Equal(NetworkDeclaration.FingerprintHex(FeedForwardNet.Descriptor), NetworkDeclaration.FingerprintHex(FeedForwardNetRenamed.Descriptor));
        Assert.NotEqual(NetworkDeclaration.FingerprintHex(FeedForwardNet.Descriptor), NetworkDeclaration.FingerprintHex(FeedForwardNetWider.Descriptor));
        NetworkDescriptor otherStep = FeedForwardNet.Descriptor with { TimeStep = 1e-4 };
        Assert.Contains("time step: 0.001 s in the network, 0.0001 s in the file", NetworkDeclaration.Differences(FeedForwardNet.Descriptor, otherStep));
    }

    [Fact]
    public void Read_exposes_the_declaration_and_the_tensors_without_a_network()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.snnm");
        SynapseNet network = TrainedSynapseNet(seed: 15);
        ModelFile.Save(network, path, new Dictionary<string, string> { ["dataset"] = "none" });
        SnnFileContents contents = ModelFile.Read(path);
        Assert.Equal("MODL", contents.Kind);
        Assert.Equal("SynapseNet", contents.Declaration.Name);
        Assert.Equal("none", contents.Metadata["dataset"]);
        Assert.StartsWith("SnnDsl ", contents.Metadata["writer"], StringComparison.Ordinal);
        Assert.Equal([3L, 2, 3], contents.Tensor("connection/AToExc/weights")!.Shape);
        Assert.Equal(network.ExcToInh.Delays, contents.Tensor("connection/ExcToInh/delays")!.AsInt32());
        Assert.Equal(new FileInfo(path).Length, contents.Length);
    }
}
