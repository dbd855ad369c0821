using SnnDsl.Cli;
using SnnDsl.Export;
using SnnDsl.Export.Nir;
using SnnDsl.Tests.Data;

namespace SnnDsl.Tests.Export;

public class CliTests
{
    /// <summary>Runs <c>snn</c> in process: exit code, standard output, standard error.</summary>
    internal static (int Code, string Output, string Error) Snn(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = SnnCommands.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Export_nir_works_from_the_model_file_alone()
    {
        using var folder = new TempFolder();
        NirRoundTripNet network = NirTests.Trained();
        ModelFile.Save(network, folder.File("net.snnm"));
        (int code, string output, string error) = Snn("export", "nir", folder.File("net.snnm"), "--out", folder.File("net.nir"));
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("network 'NirRoundTripNet', 4 populations, 7 connections, Δt = 0.001 s", output);
        NirGraph fromCli = NirFile.Read(folder.File("net.nir")), direct = NirExporter.Export(network);
        Assert.Equal(direct.Edges, fromCli.Edges);
        Assert.Equal(direct.Node("Recurrent")!.Field("weight")!.Numbers, fromCli.Node("Recurrent")!.Field("weight")!.Numbers);
    }

    [Fact]
    public void Import_nir_writes_the_declaration_and_its_model_file()
    {
        using var folder = new TempFolder();
        string outDir = Path.Combine(folder.Path, "out");
        (int code, string output, string error) = Snn("import", "nir", NirTests.Fixture("braille_noDelay_bias_zero.nir"), "--out", outDir, "--dt", "1e-4", "--class", "BrailleImported");
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("node 'lif2' (CubaLIF) → NorseLif", output);
        string source = File.ReadAllText(Path.Combine(outDir, "BrailleImported.cs"));
        Assert.Contains("public partial class BrailleImported", source);
        var network = new BrailleImported();                        // the test project declares what the tool writes
        ModelFile.Load(network, Path.Combine(outDir, "BrailleImported.snnm"));
        Assert.NotEqual(0f, network.Lif1WRec.Weights.Select(MathF.Abs).Max());
    }

    [Fact]
    public void Inspect_prints_a_graph_a_model_and_a_checkpoint()
    {
        (int code, string output, _) = Snn("inspect", NirTests.Fixture("braille_noDelay_bias_zero.nir"));
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("version 0.2.0", output);
        Assert.Contains("  lif1.lif: CubaLIF (r float64 [38] all ", output);
        Assert.Contains(", tau_mem float64 [38] all ", output);
        Assert.Contains("  lif1.w_rec -> lif1.lif", output);

        using var folder = new TempFolder();
        ModelFile.Save(NirTests.Trained(), folder.File("m.snnm"));
        (code, output, _) = Snn("inspect", folder.File("m.snnm"));
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("  connection HiddenToSecond: Hidden -> Second, dense, delay 2, port input", output);
        Assert.Contains("  connection/Recurrent/weights float32 [20, 20] min ", output);
    }

    [Fact]
    public void Errors_have_documented_exit_codes_and_name_the_problem()
    {
        using var folder = new TempFolder();
        Assert.Equal(ExitCodes.Success, Snn("--help").Code);
        Assert.Equal(ExitCodes.Usage, Snn("frobnicate").Code);
        Assert.Equal(ExitCodes.Usage, Snn("export", "nir", "x.snnm").Code);             // --out is required

        (int code, _, string error) = Snn("inspect", folder.File("absent.snnm"));
        Assert.Equal(ExitCodes.FileNotFound, code);
        Assert.Contains("absent.snnm", error);

        (code, _, error) = Snn("import", "nir", NirTests.Fixture("braille_noDelay_bias_zero_subgraph.nir"), "--out", folder.Path, "--dt", "1e-4");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("node 'node/nodes/lif1', field 'edges'", error);

        (code, _, error) = Snn("import", "nir", NirTests.Fixture("cnn_sinabs.nir"), "--out", folder.Path, "--dt", "1");
        Assert.Equal(ExitCodes.NotConvertible, code);
        Assert.Contains("NIR node '0', field 'type': 'Conv2d' has no SnnDsl equivalent", error);

        File.WriteAllBytes(folder.File("broken.snnm"), [0x89, (byte)'S', (byte)'N', (byte)'N', 0x0D]);
        (code, _, error) = Snn("export", "nir", folder.File("broken.snnm"), "--out", folder.File("x.nir"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("truncated", error);

        ModelFile.Save(new Kernels.PeerNet(), folder.File("peer.snnm"));
        (code, _, error) = Snn("export", "nir", folder.File("peer.snnm"), "--out", folder.File("peer.nir"));
        Assert.Equal(ExitCodes.NotConvertible, code);
        Assert.Contains("uses neuron PaperCubaLif, which has no NIR primitive", error);
        Assert.False(File.Exists(folder.File("peer.nir")));

        ModelFile.Save(NirTests.Trained(), folder.File("ok.snnm"));
        (code, _, error) = Snn("export", "nir", folder.File("ok.snnm"), "--out", Path.Combine(folder.Path, "missing", "x.nir"));
        Assert.Equal(ExitCodes.WriteFailed, code);
        Assert.Contains("cannot write the output", error);
    }
}
