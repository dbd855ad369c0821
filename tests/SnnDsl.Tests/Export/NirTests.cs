using PureHDF;
using PureHDF.VOL.Native;
using SnnDsl.Export;
using SnnDsl.Export.Nir;
using SnnDsl.Neurons;
using SnnDsl.Tests.Data;
using SnnDsl.Tests.Kernels;

namespace SnnDsl.Tests.Export;

/// <summary>
/// Every NIR-exportable neuron and connection form together: CUBA LIF with recurrence, bias and a backward connection,
/// LIF behind a delay, Norse's LIF, and a two-state readout. Connections are grouped by target, as an import lists them.
/// </summary>
[Network(TimeStep = 1e-3)]
public partial class NirRoundTripNet
{
    [Input(12)] public partial SpikeInput In { get; }
    [Population(20)] public partial Population<CubaLif> Hidden { get; }
    [Population(10)] public partial Population<Lif> Second { get; }
    [Population(8)] public partial Population<NorseLif> Norse { get; }
    [Population(4)] public partial Population<LeakyReadout> Readout { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
    [Dense(nameof(Second), nameof(Hidden))] public partial DenseSynapses SecondToHidden { get; }
    [Dense(nameof(Hidden), nameof(Second), Delay = 2)] public partial DenseSynapses HiddenToSecond { get; }
    [Dense(nameof(In), nameof(Norse))] public partial DenseSynapses InToNorse { get; }
    [Dense(nameof(Second), nameof(Readout))] public partial DenseSynapses SecondToReadout { get; }
    [Dense(nameof(Norse), nameof(Readout))] public partial DenseSynapses NorseToReadout { get; }
    [Bias(nameof(Hidden))] public partial Bias HiddenBias { get; }
}

/// <summary>A 1-D convolution front end (2 channels × 8 → 3 channels × 4) into a LIF layer and a readout.</summary>
[Network(TimeStep = 5e-4)]
public partial class NirConvNet
{
    [Input(16)] public partial SpikeInput In { get; }
    [Population(12)] public partial Population<Lif> Front { get; }
    [Population(3)] public partial Population<LeakyReadout> Out { get; }
    [Conv1d(nameof(In), nameof(Front), InChannels = 2, OutChannels = 3, KernelSize = 3, Stride = 2, Padding = 1)] public partial Conv1dSynapses Filters { get; }
    [Dense(nameof(Front), nameof(Out))] public partial DenseSynapses FrontToOut { get; }
}

/// <summary>What the importer writes for braille_noDelay_bias_zero.nir at Δt = 10⁻⁴ s (NirTests checks the source and the fingerprint).</summary>
[Network(TimeStep = 0.0001)]
public partial class BrailleImported
{
    [Input(12)] public partial SpikeInput input { get; }
    [Population(38)] public partial Population<NorseLif> Lif1Lif { get; }
    [Population(7)] public partial Population<NorseLif> lif2 { get; }
    [Dense(nameof(input), nameof(Lif1Lif))] public partial DenseSynapses fc1 { get; }
    [Dense(nameof(Lif1Lif), nameof(Lif1Lif))] public partial DenseSynapses Lif1WRec { get; }
    [Dense(nameof(Lif1Lif), nameof(lif2))] public partial DenseSynapses fc2 { get; }
    [Bias(nameof(Lif1Lif))] public partial Bias fc1Bias { get; }
    [Bias(nameof(Lif1Lif))] public partial Bias Lif1WRecBias { get; }
    [Bias(nameof(lif2))] public partial Bias fc2Bias { get; }
}

public class NirTests
{
    /// <summary>The fixtures folder, read in place (never copied into the repository).</summary>
    internal static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "fixtures", "nir", name);
            if (File.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "..", "shared", "fixtures", "nir", name);
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new FileNotFoundException($"NIR fixture '{name}' not found in shared/fixtures/nir beside the repository.");
    }

    /// <summary>A file of this repository, found from the test's output folder.</summary>
    internal static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SnnDsl.sln"))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException("SnnDsl.sln not found above the test folder.");
    }

    /// <summary>The [Network] line and the member lines of class <paramref name="name"/> in C# text.</summary>
    internal static string[] DeclarationLines(string text, string name)
    {
        string[] lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int start = Array.FindIndex(lines, l => l == $"public partial class {name}");
        int end = Array.FindIndex(lines, start, l => l == "}");
        return [lines[start - 1], .. lines[(start + 2)..end].Where(l => l.StartsWith("    [", StringComparison.Ordinal))];
    }

    internal static NirRoundTripNet Trained()
    {
        var network = new NirRoundTripNet();
        network.InitializeWeights(seed: 11, scale: 3f);
        network.Hidden.Parameter("Alpha")[0] = 0.7f;
        network.Hidden.Parameter("Beta")[0] = 0.93f;
        network.Hidden.Parameter("Threshold")[0] = 0.8f;
        network.Second.Parameter("Beta")[0] = 0.85f;
        network.Second.Parameter("Threshold")[0] = 0.6f;
        network.Norse.Parameter("TauMemInv")[0] = 120f;
        network.Norse.Parameter("VLeak")[0] = 0.05f;
        network.Norse.Parameter("VTh")[0] = 0.3f;
        network.Norse.Parameter("VReset")[0] = -0.1f;
        network.Readout.Parameter("Alpha")[0] = 0.6f;
        for (int i = 0; i < network.HiddenBias.Values.Length; i++) network.HiddenBias.Values[i] = 0.01f * i;
        return network;
    }

    [Fact]
    public void Export_then_import_gives_the_same_declaration_and_identical_spikes()
    {
        using var folder = new TempFolder();
        NirRoundTripNet original = Trained();
        string nir = folder.File("net.nir");
        NirExporter.Write(original, nir);

        NirImport imported = NirImporter.Import(nir, new NirImportOptions { ClassName = "NirRoundTripNet" });
        Assert.Equal(NetworkDeclaration.ToText(NirRoundTripNet.Descriptor), NetworkDeclaration.ToText(imported.Declaration));
        string model = folder.File("net.snnm");
        imported.WriteModel(model);
        var loaded = new NirRoundTripNet();
        ModelFile.Load(loaded, model);                       // the fingerprint matches: the declaration is the same

        SpikeRaster input = SpikeRaster.Bernoulli(4, 80, 12, 0.2, seed: 3);
        SimulationResult x = original.Simulate(input), y = loaded.Simulate(input);
        foreach (string population in new[] { "Hidden", "Second", "Norse" })
        {
            Assert.True(x.Spikes(population).Count() > 0, $"{population} must spike for the comparison to mean something");
            Assert.Equal(x.Spikes(population).Bits, y.Spikes(population).Bits);
        }
        Assert.Equal(x.States("Readout", "U").Values, y.States("Readout", "U").Values);
        Assert.Contains("[Dense(nameof(Hidden), nameof(Second), Delay = 2)] public partial DenseSynapses HiddenToSecond { get; }", imported.Source);
        Assert.Contains("[Population(8)] public partial Population<NorseLif> Norse { get; }", imported.Source);
    }

    [Fact]
    public void A_convolution_round_trips_through_Conv1d_and_Flatten()
    {
        using var folder = new TempFolder();
        var original = new NirConvNet();
        original.InitializeWeights(seed: 5, scale: 4f);
        original.Front.Parameter("Threshold")[0] = 0.5f;
        string nir = folder.File("conv.nir");
        NirExporter.Write(original, nir);
        NirGraph graph = NirFile.Read(nir);
        Assert.Equal("Conv1d", graph.Node("Filters")!.Type);
        Assert.Equal("Flatten", graph.Node("FrontToOut_flatten")!.Type);
        Assert.Equal([2L, 8], graph.Node("In")!.Field("shape")!.Numbers.Select(v => (long)v));

        NirImport imported = NirImporter.Import(nir, new NirImportOptions { ClassName = "NirConvNet" });
        Assert.Equal(NetworkDeclaration.ToText(NirConvNet.Descriptor), NetworkDeclaration.ToText(imported.Declaration));
        imported.WriteModel(folder.File("conv.snnm"));
        var loaded = new NirConvNet();
        ModelFile.Load(loaded, folder.File("conv.snnm"));
        SpikeRaster input = SpikeRaster.Bernoulli(3, 60, 16, 0.3, seed: 9);
        SimulationResult x = original.Simulate(input), y = loaded.Simulate(input);
        Assert.True(x.Spikes("Front").Count() > 0);
        Assert.Equal(x.Spikes("Front").Bits, y.Spikes("Front").Bits);
        Assert.Equal(x.States("Out", "U").Values, y.States("Out", "U").Values);
    }

    [Fact]
    public void Parameters_map_to_NIR_by_forward_Euler_with_unit_input_gain()
    {
        NirRoundTripNet network = Trained();
        NirGraph graph = NirExporter.Export(network);
        double dt = 1e-3;
        Assert.Equal(dt, graph.Metadata["dt"].Numbers[0]);
        NirNode hidden = graph.Node("Hidden")!;
        Assert.Equal("CubaLIF", hidden.Type);
        double tauSyn = dt / (1 - 0.7f), tauMem = dt / (1 - 0.93f);
        Assert.Equal(tauSyn, hidden.Field("tau_syn")!.Numbers[0]);
        Assert.Equal(tauMem, hidden.Field("tau_mem")!.Numbers[0]);
        Assert.Equal(tauMem / dt, hidden.Field("r")!.Numbers[0]);             // r·dt/τ_mem = 1
        Assert.Equal(tauSyn / dt, hidden.Field("w_in")!.Numbers[0]);          // w_in·dt/τ_syn = 1
        Assert.Equal(0.8f, (float)hidden.Field("v_threshold")!.Numbers[0]);
        Assert.Equal("subtract", hidden.Metadata[NirExporter.ResetKey].Text);
        Assert.Equal("LIF", graph.Node("Second")!.Type);
        Assert.Equal(dt / (1 - 0.85f), graph.Node("Second")!.Field("tau")!.Numbers[0]);
        NirNode norse = graph.Node("Norse")!;
        Assert.Equal("CubaLIF", norse.Type);
        Assert.Equal(dt / ((double)0.001f * 120f), norse.Field("tau_mem")!.Numbers[0]);
        Assert.Equal(1.0, norse.Field("r")!.Numbers[0]);
        Assert.Equal(-0.1f, (float)norse.Field("v_reset")!.Numbers[0]);
        Assert.Equal("to-v-reset", norse.Metadata[NirExporter.ResetKey].Text);
        Assert.Equal("LI", graph.Node("Readout_syn")!.Type);
        Assert.Equal("LI", graph.Node("Readout")!.Type);
        Assert.Equal("Delay", graph.Node("HiddenToSecond_delay")!.Type);
        Assert.All(graph.Node("HiddenToSecond_delay")!.Field("delay")!.Numbers, d => Assert.Equal(2 * dt, d));
        NirNode affine = graph.Node("InToHidden")!;
        Assert.Equal("Affine", affine.Type);
        Assert.Equal([20L, 12], affine.Field("weight")!.Shape);
        Assert.Equal(network.InToHidden[3, 5], (float)affine.Field("weight")!.Numbers[5 * 12 + 3]);   // (post, pre)
        Assert.Equal(network.HiddenBias.Values.Select(v => (double)v), affine.Field("bias")!.Numbers);
        Assert.Equal("Linear", graph.Node("Recurrent")!.Type);
    }

    [Fact]
    public void A_recurrent_connection_is_a_top_level_cycle_through_an_Affine_as_in_the_snnTorch_fixture()
    {
        NirGraph fixture = NirFile.Read(Fixture("braille_noDelay_bias_zero.nir"));
        Assert.Contains(("lif1.lif", "lif1.w_rec"), fixture.Edges);
        Assert.Contains(("lif1.w_rec", "lif1.lif"), fixture.Edges);
        NirGraph ours = NirExporter.Export(Trained());
        Assert.Contains(("Hidden", "Recurrent"), ours.Edges);
        Assert.Contains(("Recurrent", "Hidden"), ours.Edges);
        Assert.Equal(fixture.Node("lif1.w_rec")!.Field("weight")!.DataType, ours.Node("Recurrent")!.Field("weight")!.DataType);
    }

    [Fact]
    public void Neurons_without_a_NIR_primitive_and_synapse_models_are_refused_by_name()
    {
        var e = Assert.Throws<NirExportException>(() => NirExporter.Export(new PeerNet()));
        Assert.Contains("Population 'Paper' uses neuron PaperCubaLif, which has no NIR primitive", e.Message);
        var network = new NirRoundTripNet();
        network.Second.Parameter("Beta")[0] = 1.5f;
        e = Assert.Throws<NirExportException>(() => NirExporter.Export(network));
        Assert.Contains("Population 'Second': Beta = 1.5 is outside [0, 1)", e.Message);
        e = Assert.Throws<NirExportException>(() => NirExporter.Export(new SynapseNet()));
        Assert.Contains("Population 'Exc': neuron EiLif has 2 ports; NIR nodes have one input", e.Message);
    }

    [Fact]
    public void Every_fixture_loads_or_is_refused_naming_node_and_field()
    {
        NirGraph norse = NirFile.Read(Fixture("lif_norse.nir"));
        Assert.Equal("0.1.1", norse.Version);
        Assert.Equal(["0", "1", "input", "output"], norse.Nodes.Select(n => n.Name).Order());
        Assert.Null(norse.Node("1")!.Field("v_reset"));                            // older layout: no v_reset
        Assert.False(norse.Node("0")!.Field("weight")!.Compressed);                // older layout: contiguous

        NirGraph rockpool = NirFile.Read(Fixture("lif_rockpool.nir"));
        Assert.Equal([1.0, 1, 1], rockpool.Node("output")!.Field("shape")!.Numbers);
        Assert.Equal(24.019737, rockpool.Node("1_LIFNeuronTorch")!.Field("r")!.Numbers[0], 5);

        NirGraph cnn = NirFile.Read(Fixture("cnn_sinabs.nir"));
        Assert.Equal("Conv2d", cnn.Node("0")!.Type);
        Assert.Equal([8.0, 4, 4], cnn.Nodes.Single(n => n.Type == "Flatten").Field("input_type")!.Numbers);

        NirGraph braille = NirFile.Read(Fixture("braille_noDelay_bias_zero.nir"));
        Assert.Equal("CubaLIF", braille.Node("lif1.lif")!.Type);
        Assert.Equal(NirDataType.Float64, braille.Node("lif1.lif")!.Field("tau_mem")!.DataType);

        var e = Assert.Throws<NirFormatException>(() => NirFile.Read(Fixture("braille_noDelay_bias_zero_subgraph.nir")));
        Assert.Equal("node/nodes/lif1", e.Node);
        Assert.Equal("edges", e.Field);
        Assert.Contains("names node 'lif', which does not exist in this graph", e.Message);
    }

    [Fact]
    public void Fixtures_convert_to_declarations_or_name_what_has_no_equivalent()
    {
        NirImport braille = NirImporter.Import(Fixture("braille_noDelay_bias_zero.nir"), new NirImportOptions { TimeStep = 1e-4, ClassName = "BrailleImported" });
        Assert.Equal(NetworkDeclaration.ToText(BrailleImported.Descriptor), NetworkDeclaration.ToText(braille.Declaration));
        Assert.Contains("[Dense(nameof(Lif1Lif), nameof(Lif1Lif))] public partial DenseSynapses Lif1WRec { get; }", braille.Source);
        // The emitted members are, line for line, those of BrailleImported above, which compiles: so does the source.
        string[] declared = DeclarationLines(File.ReadAllText(RepositoryFile("tests/SnnDsl.Tests/Export/NirTests.cs")), "BrailleImported");
        Assert.Equal(declared, DeclarationLines(braille.Source, "BrailleImported"));
        Assert.Contains(braille.Conversions, c => c.StartsWith("node 'lif1.lif' (CubaLIF) → NorseLif: Dt = 0.0001, TauMemInv = 1000.00024, TauSynInv = 4500,", StringComparison.Ordinal));
        using (var folder = new TempFolder())
        {
            braille.WriteModel(folder.File("braille.snnm"));
            var network = new BrailleImported();
            ModelFile.Load(network, folder.File("braille.snnm"));
            NirGraph graph = NirFile.Read(Fixture("braille_noDelay_bias_zero.nir"));
            NirNode lif = graph.Node("lif1.lif")!;
            double gain = lif.Field("r")!.Numbers[0] * lif.Field("w_in")!.Numbers[0] * 1e-4 / lif.Field("tau_syn")!.Numbers[0];    // r·w_in·Δt/τ_syn
            Assert.Equal(10.0, gain, 4);
            Assert.Equal((float)(graph.Node("fc1")!.Field("weight")!.Numbers[0] * gain), network.fc1[0, 0]);
        }

        NirImport norse = NirImporter.Import(Fixture("lif_norse.nir"), new NirImportOptions { TimeStep = 1e-4 });
        Assert.Contains("[Population(1)] public partial Population<NorseLif> N1 { get; }", norse.Source);
        NirImport rockpool = NirImporter.Import(Fixture("lif_rockpool.nir"), new NirImportOptions { TimeStep = 1e-4 });
        Assert.Single(rockpool.Declaration.Connections);

        var e = Assert.Throws<NirImportException>(() => NirImporter.Import(Fixture("cnn_sinabs.nir"), new NirImportOptions { TimeStep = 1 }));
        Assert.Equal("type", e.Field);
        Assert.Contains("'Conv2d' has no SnnDsl equivalent", e.Message);
        e = Assert.Throws<NirImportException>(() => NirImporter.Import(Fixture("braille_noDelay_bias_zero.nir")));
        Assert.Equal("metadata/dt", e.Field);
        e = Assert.Throws<NirImportException>(() => NirImporter.Import(Fixture("braille_noDelay_bias_zero.nir"), new NirImportOptions { TimeStep = 1e-3 }));
        Assert.Equal("lif1.lif", e.Node);
        Assert.Equal("tau_syn", e.Field);
        Assert.Contains("shorter than the time step", e.Message);
    }

    [Fact]
    public void A_nested_graph_is_flattened_with_its_ports()
    {
        // The recurrent layer of the braille network as snnTorch nests it ({input, lif, w_rec, output}), edges valid this time.
        using var folder = new TempFolder();
        NirGraph source = NirFile.Read(Fixture("braille_noDelay_bias_zero.nir"));
        NirNode lif = source.Node("lif1.lif")!, rec = source.Node("lif1.w_rec")!;
        var inner = new NirGraph(
        [
            new NirNode("input", "Input", new Dictionary<string, NirValue> { ["shape"] = NirValue.Vector(NirDataType.Int64, [38]) }),
            new NirNode("lif", "CubaLIF", lif.Fields), new NirNode("w_rec", "Affine", rec.Fields),
            new NirNode("output", "Output", new Dictionary<string, NirValue> { ["shape"] = NirValue.Vector(NirDataType.Int64, [38]) }),
        ], [("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")]);
        var nodes = source.Nodes.Where(n => !n.Name.StartsWith("lif1.", StringComparison.Ordinal)).Append(new NirNode("lif1", "NIRGraph", subgraph: inner)).ToList();
        List<(string, string)> edges = [("input", "fc1"), ("fc1", "lif1"), ("lif1", "fc2"), ("fc2", "lif2"), ("lif2", "output")];
        NirFile.Write(folder.File("nested.nir"), new NirGraph(nodes, edges, null, "0.2.0"));

        NirGraph nested = NirFile.Read(folder.File("nested.nir"));
        Assert.Equal("NIRGraph", nested.Node("lif1")!.Type);
        NirImport imported = NirImporter.Convert(nested, new NirImportOptions { TimeStep = 1e-4 });
        ConnectionDescriptor recurrent = imported.Declaration.Connections.Single(c => c.From == c.To);
        Assert.Equal("Lif1Lif", recurrent.From);
        Assert.Equal(1, recurrent.Delay);
        Assert.Equal(38, imported.Declaration.Layer("Lif1Lif").Size);
    }

    [Fact]
    public void Our_export_follows_the_NIR_layout_read_with_the_raw_HDF5_API()
    {
        using var folder = new TempFolder();
        string path = folder.File("raw.nir");
        NirExporter.Write(Trained(), path);
        using NativeFile file = H5File.OpenRead(path);

        static void IsString(IH5Dataset d, string expected)
        {
            Assert.Equal(H5DataspaceType.Scalar, d.Space.Type);
            Assert.Equal(H5DataTypeClass.VariableLength, d.Type.Class);     // vlen string, as h5py's string_dtype()
            Assert.Equal(expected, d.Read<string>());
        }
        static void IsArray(IH5Dataset d, H5DataTypeClass type, int size, ulong[] shape, bool gzip = true)
        {
            Assert.Equal(type, d.Type.Class);
            Assert.Equal(size, (int)d.Type.Size);
            Assert.Equal(shape, d.Space.Dimensions);
            Assert.Equal(gzip ? H5DataLayoutClass.Chunked : H5DataLayoutClass.Compact, d.Layout.Class);   // gzip needs chunks
        }
        static void IsScalar(IH5Dataset d, H5DataTypeClass type, int size)
        {
            Assert.Equal(H5DataspaceType.Scalar, d.Space.Type);
            Assert.Equal(type, d.Type.Class);
            Assert.Equal(size, (int)d.Type.Size);
        }

        IsString(file.Dataset("version"), NirFile.LayoutVersion);
        IH5Group node = file.Group("node");
        IsString(node.Dataset("type"), "NIRGraph");
        IH5Dataset edges = node.Dataset("edges");
        Assert.Equal(H5DataTypeClass.VariableLength, edges.Type.Class);
        Assert.Equal(2ul, edges.Space.Dimensions[1]);
        string[] pairs = edges.Read<string[]>();
        Assert.Contains("Recurrent", pairs);
        IH5Group nodes = node.Group("nodes");
        IsString(nodes.Group("In").Dataset("type"), "Input");
        IsArray(nodes.Group("In").Dataset("shape"), H5DataTypeClass.FixedPoint, 8, [1]);
        Assert.Equal([12L], nodes.Group("In").Dataset("shape").Read<long[]>());
        IsString(nodes.Group("output").Dataset("type"), "Output");

        IH5Group hidden = nodes.Group("Hidden");
        IsString(hidden.Dataset("type"), "CubaLIF");
        foreach (string field in new[] { "tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "w_in" })
            IsArray(hidden.Dataset(field), H5DataTypeClass.FloatingPoint, 8, [20]);
        Assert.Equal(new[] { "metadata", "r", "tau_mem", "tau_syn", "type", "v_leak", "v_reset", "v_threshold", "w_in" }, hidden.Children().Select(c => c.Name).Order());
        IH5Group second = nodes.Group("Second");
        IsString(second.Dataset("type"), "LIF");
        Assert.Equal(new[] { "metadata", "r", "tau", "type", "v_leak", "v_reset", "v_threshold" }, second.Children().Select(c => c.Name).Order());
        Assert.Equal(new[] { "metadata", "r", "tau", "type", "v_leak" }, nodes.Group("Readout").Children().Select(c => c.Name).Order());
        IsString(nodes.Group("Readout").Dataset("type"), "LI");

        IH5Group affine = nodes.Group("InToHidden");
        IsString(affine.Dataset("type"), "Affine");
        IsArray(affine.Dataset("weight"), H5DataTypeClass.FloatingPoint, 4, [20, 12]);
        IsArray(affine.Dataset("bias"), H5DataTypeClass.FloatingPoint, 4, [20]);
        IsString(nodes.Group("Recurrent").Dataset("type"), "Linear");
        Assert.False(nodes.Group("Recurrent").LinkExists("bias"));
        IsString(nodes.Group("HiddenToSecond_delay").Dataset("type"), "Delay");
        IsArray(nodes.Group("HiddenToSecond_delay").Dataset("delay"), H5DataTypeClass.FloatingPoint, 8, [20]);

        IH5Group metadata = node.Group("metadata");
        IsScalar(metadata.Dataset("dt"), H5DataTypeClass.FloatingPoint, 8);
        Assert.Equal(1e-3, metadata.Dataset("dt").Read<double>());

        // nir.write uses datasets only, never attributes.
        static void NoAttributes(IH5Group g)
        {
            Assert.Empty(g.Attributes());
            foreach (IH5Object child in g.Children())
            {
                Assert.Empty(child.Attributes());
                if (child is IH5Group sub) NoAttributes(sub);
            }
        }
        NoAttributes(file);

        using var convFolder = new TempFolder();
        var conv = new NirConvNet();
        NirExporter.Write(conv, convFolder.File("conv.nir"));
        using NativeFile convFile = H5File.OpenRead(convFolder.File("conv.nir"));
        IH5Group filters = convFile.Group("node").Group("nodes").Group("Filters");
        IsString(filters.Dataset("type"), "Conv1d");
        IsArray(filters.Dataset("weight"), H5DataTypeClass.FloatingPoint, 4, [3, 2, 3]);
        IsArray(filters.Dataset("bias"), H5DataTypeClass.FloatingPoint, 4, [3]);
        foreach (string field in new[] { "input_shape", "stride", "padding", "dilation", "groups" }) IsScalar(filters.Dataset(field), H5DataTypeClass.FixedPoint, 8);
        Assert.Equal(8L, filters.Dataset("input_shape").Read<long>());
        IH5Group flatten = convFile.Group("node").Group("nodes").Group("FrontToOut_flatten");
        IsString(flatten.Dataset("type"), "Flatten");
        IsScalar(flatten.Dataset("start_dim"), H5DataTypeClass.FixedPoint, 8);
        IsScalar(flatten.Dataset("end_dim"), H5DataTypeClass.FixedPoint, 8);
        Assert.Equal([3L, 4], flatten.Dataset("input_type").Read<long[]>());
    }
}
