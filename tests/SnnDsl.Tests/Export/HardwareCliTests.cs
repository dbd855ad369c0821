using SnnDsl.Cli;
using SnnDsl.Export;
using SnnDsl.Export.Hardware;
using SnnDsl.FixedPoint;
using SnnDsl.Tests.Data;
using SnnDsl.Tests.FixedPoint;

namespace SnnDsl.Tests.Export;

/// <summary><c>snn export netx|xylo</c>: quantize a model file's network for the chip and write its configuration.</summary>
public class HardwareCliTests
{
    private static (int Code, string Output, string Error) Snn(params string[] args) => CliTests.Snn(args);

    [Fact]
    public void Export_netx_and_xylo_work_from_the_model_file_alone()
    {
        using var folder = new TempFolder();
        var loihiNet = new HardwareLoihiNet();
        loihiNet.InitializeWeights(seed: 3, scale: 2f);
        ModelFile.Save(loihiNet, folder.File("loihi.snnm"));
        (int code, string output, string error) = Snn("export", "netx", folder.File("loihi.snnm"), "--out", folder.File("loihi.net"));
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("for Loihi, layers In (6) → Hidden (16) → Readout (3)", output);
        LoihiNetwork fromCli = NetxExporter.Read(folder.File("loihi.net"), new NetxReadOptions { LayerNames = ["In", "Hidden", "Readout"] });
        LoihiNetwork direct = HardwareExportTests.QuantizedLoihi();
        SpikeRaster input = SpikeRaster.Bernoulli(2, 40, 6, 0.3, seed: 5);
        Assert.Equal(direct.Simulate(input).Spikes("Hidden").Bits, fromCli.Simulate(input).Spikes("Hidden").Bits);

        var xyloNet = new HardwareXyloNet();
        xyloNet.InitializeWeights(seed: 4, scale: 2f);
        ModelFile.Save(xyloNet, folder.File("xylo.snnm"));
        (code, output, error) = Snn("export", "xylo", folder.File("xylo.snnm"), "--out", folder.File("xylo.json"), "--device", "imu", "--max-decay-error", "0.5");
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("for XyloIMU, dt = 0.001 s", output);
        XyloSpecificationFile read = XyloSpecification.Read(folder.File("xylo.json"));
        Assert.Equal("XyloIMU", ((XyloProfile)read.Network.Profile).Device);
        Assert.Equal(XyloSpecification.ToJson(HardwareExportTests.QuantizedXylo(TargetProfiles.XyloImu), 1e-3), File.ReadAllText(folder.File("xylo.json")));
    }

    [Fact]
    public void Export_netx_and_xylo_errors_have_documented_exit_codes()
    {
        using var folder = new TempFolder();
        Assert.Equal(ExitCodes.Usage, Snn("export", "xylo", "x.snnm").Code);                          // --out is required
        Assert.Equal(ExitCodes.Usage, Snn("export", "xylo", "x.snnm", "--out", "x.json", "--device", "loihi").Code);
        Assert.Equal(ExitCodes.FileNotFound, Snn("export", "netx", folder.File("absent.snnm"), "--out", folder.File("x.net")).Code);

        // 20 input channels: Xylo has 16 (quantization already refuses it) — not convertible, and no file.
        var wide = new WideInputNet();
        wide.InitializeWeights(seed: 1, scale: 2f);
        ModelFile.Save(wide, folder.File("wide.snnm"));
        (int code, _, string error) = Snn("export", "xylo", folder.File("wide.snnm"), "--out", folder.File("wide.json"), "--max-decay-error", "0.5");
        Assert.Equal(ExitCodes.NotConvertible, code);
        Assert.Contains("20 input channels", error);
        Assert.False(File.Exists(folder.File("wide.json")));

        // A skip connection: netx layers are sequential.
        var skip = new SkipNet();
        skip.InitializeWeights(seed: 1);
        ModelFile.Save(skip, folder.File("skip.snnm"));
        (code, _, error) = Snn("export", "netx", folder.File("skip.snnm"), "--out", folder.File("skip.net"));
        Assert.Equal(ExitCodes.NotConvertible, code);
        Assert.Contains("connection 'InToOut'", error);
        Assert.Contains("sequential layers", error);
        Assert.False(File.Exists(folder.File("skip.net")));
    }
}
