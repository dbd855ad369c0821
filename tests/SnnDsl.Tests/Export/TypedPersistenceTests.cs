using SnnDsl.Export;
using SnnDsl.Tests.Data;
using SnnDsl.Tests.Kernels;

namespace SnnDsl.Tests.Export;

/// <summary>
/// The <c>Save</c> and static <c>Load</c> the generator emits on every network: the model file of <see cref="ModelFile"/>
/// and nothing else — the same bytes, the same checks, the same specific errors (which names they are generated under is
/// tested in tests/SnnDsl.Generators.Tests/Generation/PersistenceTests.cs).
/// </summary>
public class TypedPersistenceTests
{
    [Fact]
    public void Save_and_Load_round_trip_every_tensor_and_the_same_spikes()
    {
        using var folder = new TempFolder();
        SynapseNet trained = ModelFileTests.TrainedSynapseNet(seed: 11);
        string path = folder.File("typed.snnm");
        trained.Save(path, new Dictionary<string, string> { ["dataset"] = "unit test" });

        SynapseNet loaded = SynapseNet.Load(path);

        ModelFileTests.AssertSameTensors(NetworkTensors.Collect(trained), NetworkTensors.Collect(loaded));
        SpikeRaster a = SpikeRaster.Bernoulli(2, 30, 24, 0.3, seed: 12), b = SpikeRaster.Bernoulli(2, 30, 9, 0.3, seed: 13);
        SimulationResult x = trained.Simulate([a, b]), y = loaded.Simulate([a, b]);
        Assert.True(x.Spikes("Exc").Count() > 0, "the comparison needs spikes");
        Assert.Equal(x.Spikes("Exc").Bits, y.Spikes("Exc").Bits);
        Assert.Equal(x.States("Out", "U").Values, y.States("Out", "U").Values);
        Assert.Equal("unit test", ModelFile.Read(path).Metadata["dataset"]);
    }

    [Fact]
    public void Save_writes_the_file_ModelFile_writes_and_Load_reads_what_ModelFile_saved()
    {
        using var folder = new TempFolder();
        var network = new FeedForwardNet();
        network.InitializeWeights(seed: 14);
        network.Save(folder.File("typed.snnm"));
        ModelFile.Save(network, folder.File("untyped.snnm"));

        Assert.Equal(File.ReadAllBytes(folder.File("untyped.snnm")), File.ReadAllBytes(folder.File("typed.snnm")));
        Assert.Equal(network.InToHidden.Weights, FeedForwardNet.Load(folder.File("untyped.snnm")).InToHidden.Weights);
    }

    [Fact]
    public void Load_of_a_file_saved_from_another_declaration_is_a_mismatch_naming_the_difference()
    {
        using var folder = new TempFolder();
        string path = folder.File("ff.snnm");
        var network = new FeedForwardNet();
        network.InitializeWeights(seed: 15);
        network.Save(path);

        var e = Assert.Throws<ModelMismatchException>(() => FeedForwardNetWider.Load(path));

        Assert.Equal(path, e.FilePath);
        Assert.Equal("population 'Hidden': 46 neurons in network 'FeedForwardNetWider', 45 in '" + path + "'", Assert.Single(e.Differences));
        Assert.Equal(network.HiddenToOut.Weights, FeedForwardNetRenamed.Load(path).HiddenToOut.Weights);   // the same declaration under another name
    }

    [Fact]
    public void Load_of_a_missing_or_damaged_file_is_the_model_files_specific_error()
    {
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => FeedForwardNet.Load(folder.File("missing.snnm")));

        string path = folder.File("ff.snnm");
        new FeedForwardNet().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<ModelFileCorruptedException>(() => FeedForwardNet.Load(path));
        Assert.Contains("checksum", e.Message);
    }
}
