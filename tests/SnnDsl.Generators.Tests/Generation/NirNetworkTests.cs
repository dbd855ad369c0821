using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SnnDsl.Export;
using SnnDsl.Export.Nir;
using SnnDsl.Generators.Nir;
using SnnDsl.Generators.Tests.Infrastructure;

namespace SnnDsl.Generators.Tests.Generation;

/// <summary>
/// [NirNetwork]: the build-time NIR import. The generator gets the file as SnnDsl.targets hands it over (an encoded
/// AdditionalFiles item, <see cref="NirAdditionalFile"/>), emits the declaration the runtime importer writes and runs
/// the [Network] pipeline on it; the compiled class simulates exactly as the original network (round trip) and as the
/// runtime importer's network (braille fixture). Problems are one diagnostic at the attribute.
/// </summary>
public class NirNetworkTests
{
    private sealed class Text(string path, string content) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(content, System.Text.Encoding.UTF8);
    }

    /// <summary>The fixtures folder beside the repository, read in place.</summary>
    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(dir.FullName, "shared", "fixtures", "nir", name), Path.Combine(dir.FullName, "..", "shared", "fixtures", "nir", name) })
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new FileNotFoundException($"NIR fixture '{name}' not found in shared/fixtures/nir beside the repository.");
    }

    /// <summary>An AdditionalFiles item as SnnDsl.targets writes it for the .nir file <paramref name="path"/>.</summary>
    private static AdditionalText Encoded(string path, byte[] bytes) =>
        new Text($"/project/obj/snndsl-nir/{Path.GetFileName(path)}.0.snndsl-nir", NirAdditionalFile.Encode(bytes, path));

    private static GeneratorRun Run(string source, params AdditionalText[] files)
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver().AddAdditionalTexts([.. files]).RunGeneratorsAndUpdateCompilation(
            GeneratorHarness.CreateCompilation([GeneratorHarness.Parse(source)]), out Compilation output, out _);
        return new GeneratorRun(driver.GetRunResult(), output, TimeSpan.Zero);
    }

    private static string Declaration(string attribute, string name = "Imported") => $$"""
        using SnnDsl;

        namespace Models;

        [{{attribute}}]
        public partial class {{name}};
        """;

    private static string Generated(GeneratorRun run, string kind) =>
        run.GeneratedSources.Single(g => g.HintName.EndsWith("." + kind + ".g.cs", StringComparison.Ordinal)).SourceText.ToString();

    public static TheoryData<string, double> Importable() => new()
    {
        { "braille_noDelay_bias_zero.nir", 1e-4 },
        { "lif_norse.nir", 1e-4 },
        { "lif_rockpool.nir", 1e-4 },
    };

    [Theory]
    [MemberData(nameof(Importable))]
    public void A_fixture_generates_the_declaration_the_runtime_importer_writes(string name, double dt)
    {
        string path = Fixture(name);
        GeneratorRun run = Run(Declaration($"NirNetwork(\"models/{name}\", TimeStep = {dt:R})"), Encoded("/project/models/" + name, File.ReadAllBytes(path)));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        NirImport runtime = NirImporter.Import(path, new NirImportOptions { TimeStep = dt, ClassName = "Imported", Namespace = "Models" });
        Assert.Equal(runtime.Source, Generated(run, "NirDeclaration"));
        Assert.Contains("public void LoadNirParameters()", Generated(run, "NirParameters"));
    }

    [Theory]
    [InlineData("cnn_sinabs.nir", "SNN0409", "NIR file 'models/cnn_sinabs.nir' cannot become network 'Imported': NIR node '0', field 'type': 'Conv2d' has no SnnDsl equivalent")]
    [InlineData("braille_noDelay_bias_zero_subgraph.nir", "SNN0409", "field 'edges': edge input → lif names node 'lif', which does not exist in this graph (nodes: input, lif1, lin, output).")]
    public void A_fixture_that_does_not_import_gives_the_runtime_importer_s_message_at_the_attribute(string name, string id, string message)
    {
        GeneratorRun run = Run(Declaration($"NirNetwork(\"models/{name}\", TimeStep = 1e-4)"), Encoded("/project/models/" + name, File.ReadAllBytes(Fixture(name))));
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(message, diagnostic.GetMessage());
        Assert.Equal($"NirNetwork(\"models/{name}\", TimeStep = 1e-4)", run.LocatedText(diagnostic));
        Assert.Empty(run.CompileErrors);                                       // nothing emitted, nothing dangling
        if (name.StartsWith("cnn", StringComparison.Ordinal)) Assert.Throws<NirImportException>(() => NirImporter.Import(Fixture(name), new NirImportOptions { TimeStep = 1e-4 }));
    }

    [Fact]
    public void Problems_are_one_diagnostic_at_the_attribute()
    {
        byte[] braille = File.ReadAllBytes(Fixture("braille_noDelay_bias_zero.nir"));
        (string Source, AdditionalText[] Files, string Id, string Message)[] cases =
        [
            (Declaration("NirNetwork(\"models/missing.nir\")"), [Encoded("/project/models/braille.nir", braille)], "SNN0408",
                "NIR file 'models/missing.nir' of [NirNetwork] on 'Imported' is not an AdditionalFiles item of the project (its NIR files are /project/models/braille.nir); add <AdditionalFiles Include=\"models/missing.nir\" />"),
            (Declaration("NirNetwork(\"braille.nir\")"), [Encoded("/project/a/braille.nir", braille), Encoded("/project/b/braille.nir", braille)], "SNN0408",
                "is not an AdditionalFiles item of the project unambiguously: it matches /project/a/braille.nir, /project/b/braille.nir (give more of the path)"),
            (Declaration("NirNetwork(\"models/braille.nir\")"), [new Text("/project/models/braille.nir", "\u0089HDF")], "SNN0409",
                "it reached the compiler as a binary AdditionalFiles item"),
            (Declaration("NirNetwork(\"models/notes.nir\")"), [Encoded("/project/models/notes.nir", "just text"u8.ToArray())], "SNN0409",
                "NIR file 'models/notes.nir', node '/', field '(file)': not a readable HDF5 file: not an HDF5 file: no superblock signature"),
            (Declaration("NirNetwork(\"models/braille.nir\")"), [Encoded("/project/models/braille.nir", braille)], "SNN0409",
                "NIR node '(graph)', field 'metadata/dt': the file records no time step"),
            (Declaration("NirNetwork(\"models/braille.nir\", TimeStep = 1e-3)"), [Encoded("/project/models/braille.nir", braille)], "SNN0409",
                "field 'tau_syn': is 0.00022222222"),
            (Declaration("NirNetwork(\"models/braille.nir\", TimeStep = -1)"), [], "SNN0409",
                "NIR file 'models/braille.nir' cannot become network 'Imported': NIR node '(graph)', field 'metadata/dt': time step -1 is not positive and finite."),
            (Declaration("NirNetwork(\"models/braille.nir\", TimeStep = 1e-4)").Replace("partial class", "class"), [Encoded("/project/models/braille.nir", braille)], "SNN0410",
                "'Imported' must be a 'partial class'"),
            (Declaration("NirNetwork(\"models/braille.nir\", TimeStep = 1e-4), Network"), [Encoded("/project/models/braille.nir", braille)], "SNN0410",
                "'Imported' also has [Network]"),
        ];
        foreach ((string source, AdditionalText[] files, string id, string message) in cases)
        {
            GeneratorRun run = Run(source, files);
            Diagnostic diagnostic = Assert.Single(run.Diagnostics, d => d.Id.StartsWith("SNN", StringComparison.Ordinal));
            Assert.Equal(id, diagnostic.Id);
            Assert.Contains(message, diagnostic.GetMessage());
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.StartsWith("NirNetwork(", run.LocatedText(diagnostic));
            Assert.DoesNotContain(run.GeneratedSources, g => g.HintName.Contains("Imported.", StringComparison.Ordinal) && !g.HintName.Contains("Persistence", StringComparison.Ordinal));
            Assert.Empty(run.ErrorsInGeneratedCode);
        }
    }

    // ---- runtime --------------------------------------------------------------------------------------------------

    /// <summary>Compiles <paramref name="run"/>'s output, loads it and passes it to <paramref name="use"/>.</summary>
    private static void Load(Compilation compilation, string name, Action<Assembly> use)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var context = new AssemblyLoadContext(name, isCollectible: true);
        try
        {
            image.Position = 0;
            use(context.LoadFromStream(image));
        }
        finally
        {
            context.Unload();
        }
    }

    private const string Original = """
        using SnnDsl;
        using SnnDsl.Neurons;

        namespace Models;

        [Network(TimeStep = 1e-3)]
        public partial class Original
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
        """;

    [Fact]
    public void An_export_imported_at_build_time_spikes_bit_for_bit_as_the_original()
    {
        GeneratorRun original = GeneratorHarness.Run(Original);
        Assert.Empty(original.CompileErrors);
        string folder = Directory.CreateTempSubdirectory("snndsl-nirgen").FullName;
        try
        {
            string nir = Path.Combine(folder, "original.nir");
            SpikeRaster input = SpikeRaster.Bernoulli(4, 80, 12, 0.2, seed: 3);
            SimulationResult? expected = null;
            Load(original.Output, "original", assembly =>
            {
                var network = (ISpikingNetwork)Activator.CreateInstance(assembly.GetType("Models.Original")!)!;
                network.InitializeWeights(seed: 11, scale: 3f);
                Population hidden = network.Populations.Single(p => p.Name == "Hidden");
                hidden.Parameter("Alpha")[0] = 0.7f;
                hidden.Parameter("Beta")[0] = 0.93f;
                hidden.Parameter("Threshold")[0] = 0.8f;
                network.Populations.Single(p => p.Name == "Second").Parameter("Threshold")[0] = 0.6f;
                Population norse = network.Populations.Single(p => p.Name == "Norse");
                norse.Parameter("TauMemInv")[0] = 120f;
                norse.Parameter("VLeak")[0] = 0.05f;
                norse.Parameter("VTh")[0] = 0.3f;
                norse.Parameter("VReset")[0] = -0.1f;
                float[] bias = network.Biases.Single().Values;
                for (int i = 0; i < bias.Length; i++) bias[i] = 0.01f * i;
                NirExporter.Write(network, nir);
                expected = network.Simulate(input);
            });

            GeneratorRun imported = Run(Declaration("NirNetwork(\"models/original.nir\")", "Original").Replace("namespace Models;", "namespace Models;\n\n// The class a user declares."),
                Encoded("/project/models/original.nir", File.ReadAllBytes(nir)));
            Assert.Empty(imported.Diagnostics);
            Assert.Empty(imported.CompileErrors);
            Assert.Equal(NirImporter.Import(nir, new NirImportOptions { ClassName = "Original", Namespace = "Models" }).Source, Generated(imported, "NirDeclaration"));
            Load(imported.Output, "imported", assembly =>
            {
                var network = (ISpikingNetwork)assembly.GetType("Models.Original")!.GetMethod("FromNir")!.Invoke(null, null)!;
                SimulationResult actual = network.Simulate(input);
                foreach (string population in new[] { "Hidden", "Second", "Norse" })
                {
                    Assert.True(expected!.Spikes(population).Count() > 0, $"{population} must spike for the comparison to mean something");
                    Assert.Equal(expected.Spikes(population).Bits, actual.Spikes(population).Bits);
                }
                Assert.Equal(expected!.States("Readout", "U").Values, actual.States("Readout", "U").Values);
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_braille_fixture_imported_at_build_time_simulates_as_the_runtime_importer_s_network()
    {
        string path = Fixture("braille_noDelay_bias_zero.nir");
        GeneratorRun run = Run(Declaration("NirNetwork(\"braille_noDelay_bias_zero.nir\", TimeStep = 1e-4)", "Braille"), Encoded("/project/" + Path.GetFileName(path), File.ReadAllBytes(path)));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        string folder = Directory.CreateTempSubdirectory("snndsl-nirgen").FullName;
        try
        {
            string model = Path.Combine(folder, "braille.snnm");
            NirImporter.Import(path, new NirImportOptions { TimeStep = 1e-4, ClassName = "Braille", Namespace = "Models" }).WriteModel(model);
            Load(run.Output, "braille", assembly =>
            {
                Type type = assembly.GetType("Models.Braille")!;
                var runtime = (ISpikingNetwork)Activator.CreateInstance(type)!;
                ModelFile.Load(runtime, model);                                // the fingerprint matches: the same declaration
                var buildTime = (ISpikingNetwork)type.GetMethod("FromNir")!.Invoke(null, null)!;
                SpikeRaster input = SpikeRaster.Bernoulli(4, 150, 12, 0.3, seed: 21);
                SimulationResult x = runtime.Simulate(input), y = buildTime.Simulate(input);
                foreach (string population in new[] { "Lif1Lif", "lif2" })
                {
                    Assert.True(x.Spikes(population).Count() > 0, $"{population} must spike");
                    Assert.Equal(x.Spikes(population).Bits, y.Spikes(population).Bits);
                }
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
