using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SnnDsl.Analyzers.Tests;

/// <summary>The built-in neurons, synapses, surrogates and learning rules and every sample's models draw no analyzer diagnostic.</summary>
public class CleanModelsTests
{
    private static string Root => typeof(CleanModelsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public static TheoryData<string> Folders =>
    [
        "src/SnnDsl/Neurons", "src/SnnDsl/Synapses", "src/SnnDsl/Surrogates", "src/SnnDsl/Rules",
        .. Directory.GetDirectories(Path.Combine(Root, "samples")).Where(d => Path.GetFileName(d) != "Shared").Select(d => "samples/" + Path.GetFileName(d)).Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Models_in_the_folder_draw_no_analyzer_diagnostics(string folder)
    {
        string[] files = [.. Directory.GetFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))];
        Assert.NotEmpty(files);
        CSharpCompilation compilation = CSharpCompilation.Create("Models",
            files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), f))
                .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Linq; global using System.Collections.Generic;")),
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(NeuronAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        // The folder's models bind (the analyzers would see nothing otherwise); a [NirNetwork] class is a network whose
        // members the generator declares from its NIR file.
        string[] models = [.. compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type).OfType<INamedTypeSymbol>()
            .Where(t => t.GetAttributes().Any(a => a.AttributeClass?.Name is "NeuronAttribute" or "SynapseAttribute" or "SurrogateAttribute" or "LearningRuleAttribute" or "NetworkAttribute" or "NirNetworkAttribute"))
            .Select(t => t.Name)];
        Assert.NotEmpty(models);
        ImmutableArray<Diagnostic> diagnostics = await compilation
            .WithAnalyzers([new NumericsAnalyzer(), new UsageAnalyzer(), new LocalityAnalyzer(), new HardwareAnalyzer()])
            .GetAnalyzerDiagnosticsAsync();
        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics));
    }
}
