using System.CommandLine;
using System.Globalization;
using SnnDsl.Export;
using SnnDsl.Export.Hardware;
using SnnDsl.Export.Nir;
using SnnDsl.FixedPoint;

namespace SnnDsl.Cli;

/// <summary>Exit codes of <c>snn</c> (docs/exports.md lists them too).</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>The command line is wrong (unknown command or option, missing argument).</summary>
    public const int Usage = 1;

    /// <summary>An input file does not exist.</summary>
    public const int FileNotFound = 2;

    /// <summary>An input file is not a valid model file, checkpoint or NIR file (corrupted, truncated, newer version, dangling edge, …).</summary>
    public const int InvalidInput = 3;

    /// <summary>The file is valid but cannot be converted (a neuron without a NIR primitive, a NIR node without a SnnDsl equivalent, no time step, a network a chip cannot hold, …).</summary>
    public const int NotConvertible = 4;

    /// <summary>An output could not be written (missing folder, no permission, disk full).</summary>
    public const int WriteFailed = 5;
}

/// <summary>
/// The commands of <c>snn</c>: <c>export nir|netx|xylo</c>, <c>import nir</c>, <c>inspect</c>. A model file carries its network's
/// declaration, so exporting needs no assembly: <c>snn export nir model.snnm --out model.nir</c>.
/// </summary>
public static class SnnCommands
{
    /// <summary>Runs <c>snn</c> with <paramref name="args"/>, writing to the given writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = Build(output);
        ParseResult parsed = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return parsed.Invoke(configuration);
        }
        catch (FileNotFoundException e)
        {
            error.WriteLine($"snn: {e.Message}");
            return ExitCodes.FileNotFound;
        }
        catch (Exception e) when (e is ModelFileException or NirFormatException)
        {
            error.WriteLine($"snn: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception e) when (e is NirExportException or NirImportException or HardwareLimitException or ProfileLimitException)
        {
            error.WriteLine($"snn: {e.Message}");
            return ExitCodes.NotConvertible;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"snn: cannot write the output: {e.Message}");
            return ExitCodes.WriteFailed;
        }
    }

    private static RootCommand Build(TextWriter output)
    {
        var root = new RootCommand(
            "snn: SnnDsl's model tool. Exit codes: 0 done, 1 usage, 2 file not found, 3 invalid input file, 4 not convertible, 5 write failed.");

        var exportModel = new Argument<FileInfo>("model-file") { Description = "A SnnDsl model file (.snnm) or checkpoint; it carries the network's declaration." };
        var exportOut = new Option<FileInfo>("--out", "-o") { Description = "The NIR file to write (HDF5).", Required = true };
        var exportNir = new Command("nir", "Write a model file's network as a NIR graph (forward-Euler mapping, Δt in the metadata).") { exportModel, exportOut };
        exportNir.SetAction(result =>
        {
            FileInfo model = result.GetValue(exportModel)!, target = result.GetValue(exportOut)!;
            StoredNetwork network = StoredNetwork.Open(model.FullName);
            NirExporter.Write(network, target.FullName);
            output.WriteLine($"wrote {target.FullName}: network '{network.Descriptor.Name}', {network.Populations.Count} populations, {network.Connections.Count} connections, Δt = {network.Descriptor.TimeStep.ToString("R", CultureInfo.InvariantCulture)} s");
            return ExitCodes.Success;
        });

        // Hardware configurations: quantize the model file's network for the chip (post-training, docs/fixed-point.md), check the device's limits, write.
        var netxModel = new Argument<FileInfo>("model-file") { Description = "A SnnDsl model file (.snnm) or checkpoint of CubaLif, CubaLifZeroReset, Lif and LeakyReadout populations." };
        var netxOut = new Option<FileInfo>("--out", "-o") { Description = "The netx file to write (HDF5, lava-dl's .net layout).", Required = true };
        var exportNetx = new Command("netx", "Quantize for Loihi (NetxExporter.Profile) and write lava-dl's netx HDF5 network.") { netxModel, netxOut };
        exportNetx.SetAction(result =>
        {
            FileInfo model = result.GetValue(netxModel)!, target = result.GetValue(netxOut)!;
            StoredNetwork network = StoredNetwork.Open(model.FullName);
            var loihi = (LoihiNetwork)Quantizer.Quantize(network, NetxExporter.Profile);
            NetxExporter.Write(loihi, target.FullName);
            output.WriteLine($"wrote {target.FullName}: network '{network.Descriptor.Name}' for Loihi, layers {string.Join(" → ", loihi.Layers.Select(l => $"{l.Name} ({l.Size})"))}");
            return ExitCodes.Success;
        });
        var xyloModel = new Argument<FileInfo>("model-file") { Description = "A SnnDsl model file (.snnm) or checkpoint of CubaLif, CubaLifZeroReset, Lif and LeakyReadout populations." };
        var xyloOut = new Option<FileInfo>("--out", "-o") { Description = "The Xylo specification to write (JSON).", Required = true };
        var xyloDevice = new Option<string>("--device") { Description = "audio2 (default), audio3 or imu.", DefaultValueFactory = _ => "audio2" };
        xyloDevice.AcceptOnlyFromAmong("audio2", "audio3", "imu");
        var xyloDecayError = new Option<double>("--max-decay-error") { Description = "Largest relative error of a decay snapped to 1 − 2^−dash (QuantizationOptions.MaxDecayError).", DefaultValueFactory = _ => 0.10 };
        var exportXylo = new Command("xylo", "Quantize for a Xylo device and write its hardware specification (Rockpool's config_from_specification fields) as JSON.") { xyloModel, xyloOut, xyloDevice, xyloDecayError };
        exportXylo.SetAction(result =>
        {
            FileInfo model = result.GetValue(xyloModel)!, target = result.GetValue(xyloOut)!;
            XyloProfile profile = result.GetValue(xyloDevice) switch { "audio3" => TargetProfiles.XyloAudio3, "imu" => TargetProfiles.XyloImu, _ => TargetProfiles.XyloAudio2 };
            StoredNetwork network = StoredNetwork.Open(model.FullName);
            QuantizedNetwork xylo = Quantizer.Quantize(network, profile, new QuantizationOptions { MaxDecayError = result.GetValue(xyloDecayError) });
            XyloSpecification.Write(xylo, target.FullName, network.Descriptor.TimeStep);
            output.WriteLine($"wrote {target.FullName}: network '{network.Descriptor.Name}' for {profile.Device}, dt = {network.Descriptor.TimeStep.ToString("R", CultureInfo.InvariantCulture)} s");
            return ExitCodes.Success;
        });
        root.Subcommands.Add(new Command("export", "Export a model file to another format.") { exportNir, exportNetx, exportXylo });

        var importFile = new Argument<FileInfo>("nir-file") { Description = "The NIR file to import." };
        var importOut = new Option<DirectoryInfo>("--out", "-o") { Description = "The folder for <Class>.cs and <Class>.snnm (created if missing).", Required = true };
        var importDt = new Option<double?>("--dt") { Description = "Time step in seconds, when the file records none (snnTorch writes with 1e-4, Norse assumes 1e-3)." };
        var importClass = new Option<string>("--class") { Description = "Name of the generated network class.", DefaultValueFactory = _ => "ImportedNetwork" };
        var importNamespace = new Option<string>("--namespace") { Description = "Namespace of the generated class.", DefaultValueFactory = _ => "Imported" };
        var importNir = new Command("nir", "Turn a NIR graph into a C# [Network] declaration over built-in neurons and a model file with its weights.")
            { importFile, importOut, importDt, importClass, importNamespace };
        importNir.SetAction(result =>
        {
            FileInfo file = result.GetValue(importFile)!;
            DirectoryInfo folder = result.GetValue(importOut)!;
            string className = result.GetValue(importClass)!;
            NirImport imported = NirImporter.Import(file.FullName,
                new NirImportOptions { TimeStep = result.GetValue(importDt), ClassName = className, Namespace = result.GetValue(importNamespace)! });
            folder.Create();
            string source = Path.Combine(folder.FullName, className + ".cs"), model = Path.Combine(folder.FullName, className + ".snnm");
            SnnDsl.Data.AtomicFile.WriteAllBytes(source, System.Text.Encoding.UTF8.GetBytes(imported.Source));
            imported.WriteModel(model);
            foreach (string conversion in imported.Conversions) output.WriteLine(conversion);
            output.WriteLine($"wrote {source} and {model}");
            return ExitCodes.Success;
        });
        root.Subcommands.Add(new Command("import", "Import a file from another format.") { importNir });

        var inspectFile = new Argument<FileInfo>("file") { Description = "A NIR file, a model file or a checkpoint." };
        var inspect = new Command("inspect", "Print a NIR graph, or a model file's or checkpoint's declaration and tensors.") { inspectFile };
        inspect.SetAction(result =>
        {
            FileInfo file = result.GetValue(inspectFile)!;
            if (!file.Exists) throw new FileNotFoundException($"'{file.FullName}' does not exist.", file.FullName);
            if (IsHdf5(file.FullName)) Inspection.Nir(NirFile.Read(file.FullName), file.FullName, output);
            else Inspection.Model(ModelFile.Read(file.FullName), output);
            return ExitCodes.Success;
        });
        root.Subcommands.Add(inspect);
        return root;
    }

    /// <summary>Whether the file starts with the HDF5 signature (at offset 0; user blocks are not used by NIR writers).</summary>
    private static bool IsHdf5(string path)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];
        Span<byte> head = stackalloc byte[8];
        using FileStream stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(signature);
    }
}
