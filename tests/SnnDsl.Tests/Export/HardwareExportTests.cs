using System.Text.Json;
using PureHDF;
using PureHDF.VOL.Native;
using SnnDsl.Export.Hardware;
using SnnDsl.FixedPoint;
using SnnDsl.Neurons;
using SnnDsl.Tests.Data;
using SnnDsl.Tests.FixedPoint;

namespace SnnDsl.Tests.Export;

/// <summary>Input → recurrent CUBA LIF with Lava's reset → leaky readout: a netx <c>dense_rec</c> and a <c>dense</c> layer.</summary>
[Network(TimeStep = 1e-3)]
public partial class HardwareLoihiNet
{
    [Input(6)] public partial SpikeInput In { get; }
    [Population(16)] public partial Population<CubaLifZeroReset> Hidden { get; }
    [Population(3)] public partial Population<LeakyReadout> Readout { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
    [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
}

/// <summary>Input → recurrent CUBA LIF → leaky readout, small enough for every Xylo device.</summary>
[Network(TimeStep = 1e-3)]
public partial class HardwareXyloNet
{
    [Input(5)] public partial SpikeInput In { get; }
    [Population(20)] public partial Population<CubaLif> Hidden { get; }
    [Population(4)] public partial Population<LeakyReadout> Readout { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
    [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
}

/// <summary>Hardware configurations: netx (Loihi) and the Xylo specification, written, read back and simulated.</summary>
public class HardwareExportTests
{
    private static readonly SpikeRaster Input6 = SpikeRaster.Bernoulli(4, 60, 6, 0.3, seed: 11);
    private static readonly SpikeRaster Input5 = SpikeRaster.Bernoulli(4, 60, 5, 0.3, seed: 12);

    internal static LoihiNetwork QuantizedLoihi()
    {
        var net = new HardwareLoihiNet();
        net.InitializeWeights(seed: 3, scale: 2f);
        return (LoihiNetwork)Quantizer.Quantize(net, NetxExporter.Profile);
    }

    internal static XyloNetwork QuantizedXylo(XyloProfile profile)
    {
        var net = new HardwareXyloNet();
        net.InitializeWeights(seed: 4, scale: 2f);
        return (XyloNetwork)Quantizer.Quantize(net, profile, new QuantizationOptions { MaxDecayError = 0.5 });
    }

    private static void SameBehaviour(QuantizedNetwork expected, QuantizedNetwork actual, SpikeRaster input, string spiking, string readout, bool aligned = true)
    {
        foreach (bool align in aligned ? new[] { false, true } : [false])
        {
            var options = new QuantizedSimulationOptions { RecordAllStates = true, AlignToFloatTiming = align };
            QuantizedResult a = expected.Simulate(input, options), b = actual.Simulate(input, options);
            Assert.Equal(a.Spikes(spiking).Bits, b.Spikes(spiking).Bits);
            foreach (string state in new[] { "I", "U" })
            {
                Assert.Equal(a.States(spiking, state).Values, b.States(spiking, state).Values);
                Assert.Equal(a.States(readout, state).Values, b.States(readout, state).Values);
            }
            Assert.True(a.Spikes(spiking).Count() > 50, "the test must exercise spikes");
        }
    }

    // ---- netx (Loihi) ------------------------------------------------------------------------------------------------

    [Fact]
    public void Netx_round_trip_reproduces_the_quantized_network_exactly()
    {
        using var folder = new TempFolder();
        LoihiNetwork quantized = QuantizedLoihi();
        NetxExporter.Write(quantized, folder.File("net.net"));
        LoihiNetwork read = NetxExporter.Read(folder.File("net.net"), new NetxReadOptions { LayerNames = ["In", "Hidden", "Readout"] });

        Assert.Equal(quantized.Layers.Select(l => (l.Name, l.Size, l.Latency)), read.Layers.Select(l => (l.Name, l.Size, l.Latency)));
        for (int p = 0; p < 2; p++)
        {
            Assert.Equal(quantized.Populations[p].Du, read.Populations[p].Du);
            Assert.Equal(quantized.Populations[p].Dv, read.Populations[p].Dv);
            Assert.Equal(quantized.Populations[p].IsSpiking, read.Populations[p].IsSpiking);
        }
        Assert.Equal(quantized.Populations[0].Threshold, read.Populations[0].Threshold);
        SameBehaviour(quantized, read, Input6, "Hidden", "Readout");
    }

    [Fact]
    public void Netx_round_trip_of_a_feed_forward_network_at_the_default_Loihi_profile()
    {
        using var folder = new TempFolder();
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 2, scale: 2f);
        var quantized = (LoihiNetwork)Quantizer.Quantize(net, TargetProfiles.Loihi);
        NetxExporter.Write(quantized, folder.File("ff.net"));
        LoihiNetwork read = NetxExporter.Read(folder.File("ff.net"), new NetxReadOptions { LayerNames = ["In", "Hidden", "Out"] });
        SameBehaviour(quantized, read, SpikeRaster.Bernoulli(3, 50, 5, 0.4, seed: 2), "Hidden", "Out");
    }

    [Fact]
    public void Netx_carries_biases_at_bias_exp_6_and_weights_at_positive_exponents()
    {
        using var folder = new TempFolder();
        var random = new Random(7);
        int[] input = Enumerable.Range(0, 4 * 5).Select(_ => random.Next(0, 100)).ToArray();               // excitatory, weight_exp 1 → 0…198
        int[] hidden = Enumerable.Range(0, 5 * 2).Select(_ => 2 * random.Next(-60, 60)).ToArray();       // mixed, even
        var network = new LoihiNetwork([("In", 4)],
            [new LoihiPopulation("Hidden", 5, du: 1023, dv: 512, threshold: 40, biasMantissa: [5, -3, 0, 64, 1], biasExponent: [6, 6, 0, 0, 6]),
             new LoihiPopulation("Out", 2, du: 2047, dv: 256, threshold: 0, isSpiking: false)],
            [new LoihiConnection("InToHidden", "In", "Hidden", input, weightExponent: 1),
             new LoihiConnection("HiddenToOut", "Hidden", "Out", hidden)]);
        NetxExporter.Write(network, folder.File("b.net"));
        LoihiNetwork read = NetxExporter.Read(folder.File("b.net"), new NetxReadOptions { LayerNames = ["In", "Hidden", "Out"] });
        Assert.Equal([5 << 6, -3 << 6, 0, 64, 1 << 6], read.Populations[0].BiasMantissa.Select((m, i) => m << read.Populations[0].BiasExponent[i]));
        // Built without latencies (the file's layers lag by 1 and 2 steps): compare the chip's own steps.
        SameBehaviour(network, read, SpikeRaster.Bernoulli(3, 40, 4, 0.5, seed: 3), "Hidden", "Out", aligned: false);
    }

    [Fact]
    public void Netx_limit_violations_name_the_limit_and_leave_no_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("x.net");

        // A recurrent network at the default profile: the smaller recurrent weights get weight_exp < 0, which netx cannot store.
        var net = new HardwareLoihiNet();
        net.InitializeWeights(seed: 3, scale: 2f);
        for (int k = 0; k < net.Recurrent.Weights.Length; k++) net.Recurrent.Weights[k] *= 0.1f;
        var fine = (LoihiNetwork)Quantizer.Quantize(net, TargetProfiles.Loihi);
        Assert.True(fine.Connections.Single(c => c.Name == "Recurrent").WeightExponent < 0);
        var e = Assert.Throws<HardwareLimitException>(() => NetxExporter.Write(fine, path));
        Assert.Contains("netx integer weights", e.Limit);
        Assert.Contains("connection 'Recurrent'", e.Owner);
        Assert.Contains("NetxExporter.Profile", e.Message);
        Assert.False(File.Exists(path));

        // An existing file is left as it was.
        File.WriteAllText(path, "previous");
        var skip = new SkipNet();
        skip.InitializeWeights(seed: 1);
        e = Assert.Throws<HardwareLimitException>(() => NetxExporter.Write(Quantizer.Quantize(skip, NetxExporter.Profile), path));
        Assert.Contains("sequential layers", e.Limit);
        Assert.Equal("connection 'InToOut'", e.Owner);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));          // no temporary file either
        File.Delete(path);

        LoihiNetwork Hand(int biasMantissa = 0, int biasExponent = 0, int weight = 100, int exponent = 0, int threshold = 10) =>
            new([("In", 2)], [new LoihiPopulation("Hidden", 2, 0, 0, threshold, [biasMantissa], [biasExponent])],
                [new LoihiConnection("InToHidden", "In", "Hidden", [weight, 2, 4, 6], exponent)]);
        e = Assert.Throws<HardwareLimitException>(() => NetxExporter.Write(Hand(biasMantissa: 37), path));
        Assert.StartsWith("netx bias", e.Limit);
        Assert.Equal("population 'Hidden', neuron 0", e.Owner);
        Assert.Contains("37", e.Value);
        e = Assert.Throws<HardwareLimitException>(() => NetxExporter.Write(Hand(weight: 200, exponent: 1), path));
        Assert.Equal("netx weight range (excitatory sign mode: 0…255)", e.Limit);
        Assert.Equal("weight 400", e.Value);
        e = Assert.Throws<HardwareLimitException>(() => NetxExporter.Write(Hand(threshold: 0), path));
        Assert.StartsWith("threshold mantissa vThMant in 1…131071", e.Limit);
        var wide = new LoihiNetwork([("In", 5000)], [new LoihiPopulation("Hidden", 1, 0, 0, 10)],
            [new LoihiConnection("InToHidden", "In", "Hidden", Enumerable.Repeat(2, 5000).ToArray())]);
        e = Assert.Throws<HardwareLimitException>(() => NetxExporter.Write(wide, path));
        Assert.Equal("input axons per core (4096)", e.Limit);
        Assert.Equal("fan-in 5000", e.Value);
        Assert.Throws<ArgumentException>(() => NetxExporter.Write(QuantizedXylo(TargetProfiles.XyloAudio2), path));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Netx_file_follows_the_lava_dl_layout_field_for_field()
    {
        using var folder = new TempFolder();
        LoihiNetwork quantized = QuantizedLoihi();
        NetxExporter.Write(quantized, folder.File("net.net"));

        using NativeFile file = H5File.OpenRead(folder.File("net.net"));
        Assert.Equal(["layer"], file.Children().Select(c => c.Name));
        IH5Group layers = file.Group("layer");
        Assert.Equal(["0", "1", "2"], layers.Children().Select(c => c.Name).Order());

        static void FixedString(IH5Dataset d, string expected)
        {
            Assert.Equal(H5DataTypeClass.String, d.Type.Class);          // fixed-length ASCII 'S10', shape (1,)
            Assert.Equal(10, d.Type.Size);
            Assert.Equal([1UL], d.Space.Dimensions);
            Assert.Equal(expected, d.Read<string[]>()[0].TrimEnd('\0'));
        }
        static long Int64Scalar(IH5Group g, string name)
        {
            IH5Dataset d = g.Dataset(name);
            Assert.Equal(H5DataspaceType.Scalar, d.Space.Type);
            Assert.Equal(H5DataTypeClass.FixedPoint, d.Type.Class);
            Assert.Equal(8, d.Type.Size);
            return d.Read<long>();
        }
        static float[] Float32(IH5Group g, string name, ulong[] shape)
        {
            IH5Dataset d = g.Dataset(name);
            Assert.Equal(H5DataTypeClass.FloatingPoint, d.Type.Class);
            Assert.Equal(4, d.Type.Size);
            Assert.Equal(shape, d.Space.Dimensions);
            float[] values = d.Read<float[]>();
            Assert.All(values, v => Assert.Equal(MathF.Round(v), v));     // integer-valued
            return values;
        }

        IH5Group input = layers.Group("0");
        FixedString(input.Dataset("type"), "input");
        Assert.Equal(H5DataTypeClass.FixedPoint, input.Dataset("shape").Type.Class);
        Assert.Equal(8, input.Dataset("shape").Type.Size);
        Assert.Equal([6L], input.Dataset("shape").Read<long[]>());
        Assert.Equal(["shape", "type"], input.Children().Select(c => c.Name).Order());

        foreach ((string index, string type, LoihiPopulation p, int inFeatures) in new[] { ("1", "dense_rec", quantized.Populations[0], 6), ("2", "dense", quantized.Populations[1], 16) })
        {
            IH5Group layer = layers.Group(index);
            FixedString(layer.Dataset("type"), type);
            Assert.Equal([(long)p.Size], layer.Dataset("shape").Read<long[]>());
            Assert.Equal(inFeatures, Int64Scalar(layer, "inFeatures"));
            Assert.Equal(p.Size, Int64Scalar(layer, "outFeatures"));
            float[] weight = Float32(layer, "weight", [(ulong)p.Size, (ulong)inFeatures]);
            IH5Group neuron = layer.Group("neuron");
            Assert.Equal(["gradedSpike", "iDecay", "refDelay", "type", "vDecay", "vThMant"], neuron.Children().Select(c => c.Name).Order());
            Assert.Equal(H5DataTypeClass.String, neuron.Dataset("type").Type.Class);
            Assert.Equal("CUBA", neuron.Dataset("type").Read<string>().TrimEnd('\0'));
            Assert.Equal(p.Du + 1, Int64Scalar(neuron, "iDecay"));                 // lava-dl: du = iDecay − 1
            Assert.Equal(p.Dv, Int64Scalar(neuron, "vDecay"));
            Assert.Equal(p.IsSpiking ? p.Threshold : 1 << 17, Int64Scalar(neuron, "vThMant"));
            Assert.Equal(1, Int64Scalar(neuron, "refDelay"));
            Assert.Equal(1, neuron.Dataset("gradedSpike").Type.Size);
            Assert.Equal(0, neuron.Dataset("gradedSpike").Read<byte>());
            Assert.False(layer.LinkExists("bias"));
            Assert.False(layer.LinkExists("delay"));

            // weight[out, in] is the integer contribution of one spike of input 'in' to a_in of neuron 'out'.
            LoihiConnection c = quantized.Connections.First(c => c.To == p.Name && c.From != p.Name);
            int k = quantized.Connections.ToList().IndexOf(c);
            int post = p.Size, pre = inFeatures;
            for (int j = 0; j < pre; j++)
                for (int i = 0; i < post; i++)
                    Assert.Equal(quantized.PreparedWeights(k)[j * post + i] << c.WeightExponent, (int)weight[i * pre + j]);
        }
        Assert.True(layers.Group("1").LinkExists("weight_rec"));
        Float32(layers.Group("1"), "weight_rec", [16, 16]);
        Assert.False(layers.Group("2").LinkExists("weight_rec"));
        static void NoAttributes(IH5Group g)
        {
            Assert.Empty(g.Attributes());
            foreach (IH5Object child in g.Children())
            {
                Assert.Empty(child.Attributes());
                if (child is IH5Group sub) NoAttributes(sub);
            }
        }
        NoAttributes(file);                                  // netx files keep everything in datasets
    }

    [Fact]
    public void Malformed_netx_files_give_errors_naming_the_file_and_field()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("text.net"), "not hdf5");
        var e = Assert.Throws<InvalidDataException>(() => NetxExporter.Read(folder.File("text.net")));
        Assert.Contains("text.net", e.Message);
        Assert.Contains("not a readable HDF5 file", e.Message);
        Assert.Throws<FileNotFoundException>(() => NetxExporter.Read(folder.File("absent.net")));

        NetxExporter.Write(QuantizedLoihi(), folder.File("good.net"));
        byte[] bytes = File.ReadAllBytes(folder.File("good.net"));
        File.WriteAllBytes(folder.File("cut.net"), bytes[..(bytes.Length / 2)]);
        e = Assert.Throws<InvalidDataException>(() => NetxExporter.Read(folder.File("cut.net")));
        Assert.Contains("cut.net", e.Message);

        void Write(string name, H5Group layer1)
        {
            var file = new H5File { ["layer"] = new H5Group { ["0"] = new H5Group { ["type"] = new[] { "input" }, ["shape"] = new long[] { 2 } }, ["1"] = layer1 } };
            file.Write(folder.File(name), new H5WriteOptions(DefaultStringLength: 10));
        }
        H5Group Neuron(long iDecay = 1, long vThMant = 10) => new() { ["type"] = "CUBA", ["iDecay"] = iDecay, ["vDecay"] = 0L, ["vThMant"] = vThMant };
        H5Group Dense(H5Group? neuron = null, string type = "dense", bool weight = true)
        {
            var g = new H5Group { ["type"] = new[] { type }, ["shape"] = new long[] { 3 }, ["neuron"] = neuron ?? Neuron() };
            if (weight) g["weight"] = new H5Dataset(new float[] { 2, 4, 6, 8, 10, 12 }, fileDims: [3, 2]);
            return g;
        }

        Write("conv.net", Dense(type: "conv"));
        e = Assert.Throws<InvalidDataException>(() => NetxExporter.Read(folder.File("conv.net")));
        Assert.Contains("field 'layer/1/type': is 'conv'", e.Message);
        Write("noweight.net", Dense(weight: false));
        e = Assert.Throws<InvalidDataException>(() => NetxExporter.Read(folder.File("noweight.net")));
        Assert.Contains("field 'layer/1/weight': missing", e.Message);
        Write("decay.net", Dense(Neuron(iDecay: 0)));
        e = Assert.Throws<InvalidDataException>(() => NetxExporter.Read(folder.File("decay.net")));
        Assert.Contains("field 'layer/1/neuron/iDecay': is 0; one integer in 1…4096", e.Message);
        var shape = Dense();
        shape["weight"] = new H5Dataset(new float[] { 2, 4, 6, 8 }, fileDims: [2, 2]);
        Write("shape.net", shape);
        e = Assert.Throws<InvalidDataException>(() => NetxExporter.Read(folder.File("shape.net")));
        Assert.Contains("field 'layer/1/weight': has shape [2, 2]; (out, in) = (3, 2)", e.Message);
        var sdnn = Dense(new H5Group { ["type"] = "SDNN", ["vThMant"] = 10L });
        Write("sdnn.net", sdnn);
        e = Assert.Throws<InvalidDataException>(() => NetxExporter.Read(folder.File("sdnn.net")));
        Assert.Contains("field 'layer/1/neuron/type'", e.Message);

        // A well-formed foreign file without our optional fields (no inFeatures, outFeatures, refDelay, gradedSpike) loads.
        Write("ok.net", Dense());
        LoihiNetwork ok = NetxExporter.Read(folder.File("ok.net"));
        Assert.Equal(["input", "layer1"], ok.Layers.Select(l => l.Name));
    }

    // ---- Xylo ----------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("XyloAudio2")]
    [InlineData("XyloAudio3")]
    [InlineData("XyloIMU")]
    public void Xylo_round_trip_reproduces_the_quantized_network_exactly(string device)
    {
        using var folder = new TempFolder();
        XyloProfile profile = new[] { TargetProfiles.XyloAudio2, TargetProfiles.XyloAudio3, TargetProfiles.XyloImu }.Single(p => p.Device == device);
        XyloNetwork quantized = QuantizedXylo(profile);
        XyloSpecification.Write(quantized, folder.File("xylo.json"), 1e-3);
        XyloSpecificationFile read = XyloSpecification.Read(folder.File("xylo.json"));
        Assert.Equal(1e-3, read.TimeStep);
        Assert.Equal(device, ((XyloProfile)read.Network.Profile).Device);
        Assert.Equal(quantized.Layers.Select(l => (l.Name, l.Size, l.Latency)), read.Network.Layers.Select(l => (l.Name, l.Size, l.Latency)));
        SameBehaviour(quantized, read.Network, Input5, "Hidden", "Readout");
        QuantizedResult a = quantized.Simulate(Input5), b = read.Network.Simulate(Input5);
        Assert.Equal(a.SpikeCounts("Hidden"), b.SpikeCounts("Hidden"));
    }

    [Fact]
    public void Xylo_specification_has_the_rockpool_field_names_and_types()
    {
        using var folder = new TempFolder();
        XyloNetwork quantized = QuantizedXylo(TargetProfiles.XyloAudio2);
        XyloSpecification.Write(quantized, folder.File("xylo.json"), 1e-3);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(folder.File("xylo.json")));
        JsonElement root = document.RootElement;
        Assert.Equal(["weights_in", "weights_rec", "weights_out", "dash_mem", "dash_mem_out", "dash_syn", "dash_syn_2", "dash_syn_out", "threshold", "threshold_out",
            "bias_hidden", "bias_out", "weight_shift_in", "weight_shift_rec", "weight_shift_out", "aliases", "dt", "snndsl"], root.EnumerateObject().Select(p => p.Name));

        static int[] Shape(JsonElement e)
        {
            var shape = new List<int>();
            for (; e.ValueKind == JsonValueKind.Array; e = e[0]) shape.Add(e.GetArrayLength());
            Assert.Equal(JsonValueKind.Number, e.ValueKind);
            return shape.ToArray();
        }
        static IEnumerable<JsonElement> Leaves(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Leaves) : [e];

        int synapses = quantized.Hidden[0].Synapses;
        Assert.Equal([5, 20, synapses], Shape(root.GetProperty("weights_in")));
        Assert.Equal([20, 20, synapses], Shape(root.GetProperty("weights_rec")));
        Assert.Equal([20, 4], Shape(root.GetProperty("weights_out")));
        foreach (string matrix in new[] { "weights_in", "weights_rec", "weights_out" })
            Assert.All(Leaves(root.GetProperty(matrix)), w => Assert.InRange(w.GetInt32(), -128, 127));     // int8, as integers
        Assert.Equal(quantized.WeightsIn.Select(w => (int)w), Leaves(root.GetProperty("weights_in")).Select(w => w.GetInt32()));
        foreach ((string name, int length) in new[] { ("dash_mem", 20), ("dash_syn", 20), ("threshold", 20), ("dash_mem_out", 4), ("dash_syn_out", 4), ("threshold_out", 4) })
        {
            Assert.Equal([length], Shape(root.GetProperty(name)));
            Assert.All(root.GetProperty(name).EnumerateArray(), v => Assert.True(v.TryGetInt32(out _)));
        }
        Assert.Equal(quantized.Hidden[0].DashMem, root.GetProperty("dash_mem").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(quantized.Hidden[0].Threshold, root.GetProperty("threshold").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("dash_syn_2").ValueKind);      // one synaptic state: Rockpool's default
        Assert.Equal(JsonValueKind.Null, root.GetProperty("bias_hidden").ValueKind);     // no bias (XyloAudio 2 has none)
        Assert.Equal(JsonValueKind.Null, root.GetProperty("aliases").ValueKind);
        foreach (string shift in new[] { "weight_shift_in", "weight_shift_rec", "weight_shift_out" })
            Assert.InRange(root.GetProperty(shift).GetInt32(), 0, 8);
        Assert.Equal(quantized.ShiftIn, root.GetProperty("weight_shift_in").GetInt32());
        Assert.Equal(1e-3, root.GetProperty("dt").GetDouble());
        Assert.Equal("XyloAudio2", root.GetProperty("snndsl").GetProperty("device").GetString());
    }

    [Fact]
    public void Xylo_limit_violations_name_the_limit_and_leave_no_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("x.json");

        // Randman's lifted limits measure the arithmetic; the published device has 16 input channels.
        var wide = new WideInputNet();
        wide.InitializeWeights(seed: 1, scale: 2f);
        QuantizedNetwork lifted = Quantizer.Quantize(wide, TargetProfiles.XyloAudio2 with { InputChannels = 20 }, new QuantizationOptions { MaxDecayError = 0.5 });
        var e = Assert.Throws<HardwareLimitException>(() => XyloSpecification.Write(lifted, path, 1e-3));
        Assert.Equal("SNN input channels (16)", e.Limit);
        Assert.Equal("input 'In'", e.Owner);
        Assert.Equal("20", e.Value);
        Assert.False(File.Exists(path));

        XyloNetwork quantized = QuantizedXylo(TargetProfiles.XyloAudio2);
        e = Assert.Throws<HardwareLimitException>(() => XyloSpecification.Write(quantized, path, 0));
        Assert.StartsWith("dt > 0", e.Limit);

        // XyloIMU stores at most 31,744 recurrent weights: a fully recurrent 200-neuron layer has 40,000.
        var rec = new sbyte[200 * 200];
        Array.Fill(rec, (sbyte)1);
        for (int j = 0; j < 200; j++)
            for (int i = 0; i < 200; i++)
                if (Math.Abs(i - j) > 90 && Math.Abs(i - j) < 110) rec[j * 200 + i] = 0;      // keep fan-outs ≤ 512, total > 31,744
        var imu = new XyloNetwork(("In", 2), [new XyloNeuronGroup("Hidden", 200, [2], [[1]], [100])], [new XyloNeuronGroup("Out", 1, [2], [[1]], [100])],
            new sbyte[2 * 200], rec, new sbyte[200], 0, 0, 0, TargetProfiles.XyloImu);
        e = Assert.Throws<HardwareLimitException>(() => XyloSpecification.Write(imu, path, 1e-3));
        Assert.Equal("recurrent weights in total (31,744)", e.Limit);
        Assert.Throws<ArgumentException>(() => XyloSpecification.Write(QuantizedLoihi(), path, 1e-3));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Malformed_xylo_specifications_give_errors_naming_the_file_and_field()
    {
        using var folder = new TempFolder();
        XyloSpecification.Write(QuantizedXylo(TargetProfiles.XyloAudio2), folder.File("good.json"), 1e-3);
        string good = File.ReadAllText(folder.File("good.json"));

        InvalidDataException Fails(string name, string text)
        {
            File.WriteAllText(folder.File(name), text);
            var e = Assert.Throws<InvalidDataException>(() => XyloSpecification.Read(folder.File(name)));
            Assert.Contains(name, e.Message);
            return e;
        }
        Assert.Contains("not valid JSON", Fails("cut.json", good[..(good.Length / 2)]).Message);
        Assert.Contains("field '(root)'", Fails("array.json", "[1, 2]").Message);
        Assert.Contains("field 'weights_out': missing", Fails("noout.json", "{\"weights_in\": [[[1]]]}").Message);

        JsonElement root = JsonDocument.Parse(good).RootElement;
        string With(string field, string value) =>
            "{" + string.Join(",", root.EnumerateObject().Select(p => JsonSerializer.Serialize(p.Name) + ":" + (p.Name == field ? value : p.Value.GetRawText()))) + "}";
        Assert.Contains("field 'dash_mem': Xylo", Fails("dash.json", With("dash_mem", "[" + string.Join(",", Enumerable.Repeat(16, 20)) + "]")).Message);
        Assert.Contains("field 'dash_mem': has 3 entries; 20 were expected", Fails("short.json", With("dash_mem", "[1, 2, 3]")).Message);
        Assert.Contains("field 'weights_out': element 0 is 300", Fails("big.json", With("weights_out", "[[300, 1, 1, 1]" + string.Concat(Enumerable.Repeat(", [1, 1, 1, 1]", 19)) + "]")).Message);
        string row = "[" + string.Join(", ", Enumerable.Repeat("[0]", 20)) + "]";
        Assert.Contains("field 'weights_rec': element [1] is not a list of 20 entries", Fails("ragged.json", With("weights_rec", "[" + row + ", [[1]]" + string.Concat(Enumerable.Repeat(", " + row, 18)) + "]")).Message);
        Assert.Contains("field 'threshold_out'", Fails("theta.json", With("threshold_out", "[0, 1, 1, 1]")).Message);
        Assert.Contains("field 'dt'", Fails("dt.json", With("dt", "\"1 ms\"")).Message);
        Assert.Contains("field 'aliases'", Fails("alias.json", With("aliases", "[[1]" + string.Concat(Enumerable.Repeat(", []", 19)) + "]")).Message);

        // Rockpool's own minimal form (no snndsl object, 2-D weights, defaults): one hidden and one readout group.
        File.WriteAllText(folder.File("min.json"), "{\"weights_in\": [[3, 0], [0, 3]], \"weights_out\": [[5], [5]], \"threshold\": [4, 4], \"threshold_out\": [9]}");
        XyloSpecificationFile minimal = XyloSpecification.Read(folder.File("min.json"));
        Assert.Null(minimal.TimeStep);
        Assert.Equal(["input", "hidden", "readout"], minimal.Network.Layers.Select(l => l.Name));
        Assert.Equal([1, 1], minimal.Network.Hidden[0].DashMem);
    }
}
