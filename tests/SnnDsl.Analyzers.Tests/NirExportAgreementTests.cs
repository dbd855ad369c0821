using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SnnDsl.Export.Nir;

namespace SnnDsl.Analyzers.Tests;

/// <summary>
/// SNN0407 and the runtime's NIR export decide alike (both read the one table in src/SnnDsl/Export/Nir/NirNeurons.cs;
/// this test holds them to it end to end): for a [NirExportable] network of each built-in neuron, of a copy of Lif
/// declared in another namespace, and of custom neurons, SNN0407 is reported exactly when <see cref="NirExporter"/>
/// refuses the compiled network at run time.
/// </summary>
public class NirExportAgreementTests
{
    private const string Custom = """
        using SnnDsl;
        using SnnDsl.Surrogates;

        namespace Custom;

        [Neuron] public partial struct Leaky
        {
            [State] public float U;
            [Param(0.9f)] public float Beta;
            public void Integrate(float input) => U = Beta * U + input;
            [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            public void Reset() => U -= 1f;
        }

        // Lif's name, parameters and ports, but another reset.
        [Neuron] public partial struct Lif
        {
            [State] public float U;
            [Param(0.9048f, Trainable = true)] public float Beta;
            [Param(1f)] public float Threshold;
            public void Integrate(float input) => U = Beta * U + input;
            [Spike(typeof(FastSigmoid))] public bool Fires() => U > Threshold;
            public void Reset() => U = 0f;
        }
        """;

    [Fact]
    public async Task SNN0407_is_reported_for_exactly_the_networks_the_NIR_export_refuses()
    {
        string[] builtIns = [.. typeof(NeuronAttribute).Assembly.GetTypes().Where(t => t.GetCustomAttribute<NeuronAttribute>() is not null)
            .Select(t => t.FullName!).Order(StringComparer.Ordinal)];
        Assert.True(builtIns.Length > NirNeuronCount, $"only the built-ins {string.Join(", ", builtIns)}");
        // The built-in's own source under another namespace: the same model, so both sides map it.
        string copy = File.ReadAllText(Path.Combine(DocumentationTests.Root, "src", "SnnDsl", "Neurons", "Lif.cs"))
            .Replace("namespace SnnDsl.Neurons;", "namespace SnnDsl.Copies;", StringComparison.Ordinal);
        string[] neurons = [.. builtIns, "SnnDsl.Copies.Lif", "Custom.Leaky", "Custom.Lif"];
        string networks = "using SnnDsl;\n\nnamespace Probes;\n\n" + string.Concat(neurons.Select((neuron, k) => $$"""
            [NirExportable]
            [Network]
            public partial class Net{{k}}
            {
                [Input(3)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<global::{{neuron}}> P { get; }
                [Dense(nameof(In), nameof(P))] public partial DenseSynapses InToP { get; }
            }

            """));
        CSharpParseOptions parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        (Compilation output, ImmutableArray<Diagnostic> diagnostics) = await DocumentationTests.Build(
            [CSharpSyntaxTree.ParseText(copy, parse, "Copy.cs"), CSharpSyntaxTree.ParseText(Custom, parse, "Custom.cs"), CSharpSyntaxTree.ParseText(networks, parse, "Networks.cs")],
            OutputKind.DynamicallyLinkedLibrary);
        Assert.All(diagnostics, d => Assert.Equal("SNN0407", d.Id));
        HashSet<string> flagged = [.. diagnostics.Select(d => d.GetMessage(CultureInfo.InvariantCulture).Split('\'')[1])];

        HashSet<string> refused = Refused(output);

        string Verdicts(Func<string, bool> refuses) => string.Join("\n", neurons.Select((neuron, k) => $"{neuron}: {(refuses("Net" + k) ? "refused" : "exported")}"));
        Assert.Equal(Verdicts(refused.Contains), Verdicts(flagged.Contains));
        // Neither side may pass by refusing everything or nothing.
        Assert.Equal(NirNeuronCount + 1, neurons.Length - refused.Count);
        Assert.DoesNotContain("Net" + Array.IndexOf(neurons, "SnnDsl.Copies.Lif"), refused);
        Assert.Contains("Net" + Array.IndexOf(neurons, "Custom.Lif"), refused);
    }

    /// <summary>The built-ins NirNeurons maps: Lif, CubaLif, NorseLif, LeakyReadout.</summary>
    private const int NirNeuronCount = 4;

    /// <summary>Which of the compiled networks the runtime export refuses: <see cref="NirExportException"/>.</summary>
    private static HashSet<string> Refused(Compilation output)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var context = new AssemblyLoadContext(nameof(NirExportAgreementTests), isCollectible: true);
        try
        {
            image.Position = 0;
            var refused = new HashSet<string>();
            foreach (Type type in context.LoadFromStream(image).GetTypes().Where(t => typeof(ISpikingNetwork).IsAssignableFrom(t)))
            {
                var network = (ISpikingNetwork)Activator.CreateInstance(type)!;
                network.InitializeWeights(seed: 1);
                try
                {
                    NirExporter.Export(network);
                }
                catch (NirExportException e)
                {
                    Assert.Contains("Population 'P'", e.Message, StringComparison.Ordinal);   // refused for its neuron, nothing else
                    refused.Add(type.Name);
                }
            }
            return refused;
        }
        finally
        {
            context.Unload();
        }
    }
}
