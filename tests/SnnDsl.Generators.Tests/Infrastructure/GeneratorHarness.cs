using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SnnDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="SnnGenerator"/> over C# sources the way the compiler does: a compilation against the .NET 10
/// reference assemblies and SnnDsl.dll, a <see cref="CSharpGeneratorDriver"/> with step tracking, then the output
/// compilation with the generated files added.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    // What an SDK project with ImplicitUsings gets (the built-in models rely on it, e.g. for MathF).
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(NeuronAttribute).Assembly.Location),
    ];

    /// <summary>Parses <paramref name="source"/> as one file of the user's project.</summary>
    public static SyntaxTree Parse([StringSyntax("C#")] string source, string path = "Model.cs") =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>Compiles <paramref name="sources"/> (one file each) and runs the generator once.</summary>
    public static GeneratorRun Run([StringSyntax("C#")] params string[] sources) =>
        Run(sources.Select((source, i) => Parse(source, $"Model{i}.cs")));

    /// <summary>Compiles <paramref name="trees"/> and runs the generator once.</summary>
    public static GeneratorRun Run(IEnumerable<SyntaxTree> trees)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(
            CreateCompilation(trees), out Compilation output, out _);
        return new GeneratorRun(driver.GetRunResult(), output, driver.GetTimingInfo().ElapsedTime);
    }

    public static CSharpCompilation CreateCompilation(IEnumerable<SyntaxTree> trees) => CSharpCompilation.Create(
        "UserModels",
        [Parse(ImplicitUsings, "GlobalUsings.g.cs"), .. trees],
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new SnnGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
}

/// <summary>The result of one generator run over a compilation.</summary>
/// <param name="Result">The driver's run result (one generator: <c>Results[0]</c>).</param>
/// <param name="Output">The input compilation with the generated files added.</param>
/// <param name="GeneratorTime">How long the generator ran (parsing the declarations and emitting the code; not the compilation).</param>
internal sealed record GeneratorRun(GeneratorDriverRunResult Result, Compilation Output, TimeSpan GeneratorTime)
{
    /// <summary>The diagnostics the generator reported.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>The generated files, in the order the generator added them.</summary>
    public ImmutableArray<GeneratedSourceResult> GeneratedSources => Result.Results.Single().GeneratedSources;

    /// <summary>Errors of the output compilation: the user's code with the generated code.</summary>
    public ImmutableArray<Diagnostic> CompileErrors =>
        [.. Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];

    /// <summary>
    /// The errors located in generated files, from binding those files only (the user's code is bound as far as they use
    /// it): what the generator must never produce, whatever the user wrote.
    /// </summary>
    public ImmutableArray<Diagnostic> ErrorsInGeneratedCode => [.. DiagnosticsInGeneratedCode(Output).Where(d => d.Severity == DiagnosticSeverity.Error)];

    /// <summary>The diagnostics of warning or error severity located in the generated files of <paramref name="compilation"/> (this run's output, possibly with other options).</summary>
    public ImmutableArray<Diagnostic> DiagnosticsInGeneratedCode(Compilation compilation) =>
        [.. GeneratedSources.SelectMany(g => compilation.GetSemanticModel(g.SyntaxTree).GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    /// <summary>The source text a diagnostic points at.</summary>
    public string LocatedText(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        SyntaxTree tree = Output.SyntaxTrees.Single(t => t.FilePath == span.Path);
        return tree.GetText().ToString(diagnostic.Location.SourceSpan);
    }

    /// <summary>Warnings of the output compilation, except <paramref name="ignoredIds"/>.</summary>
    public ImmutableArray<Diagnostic> CompileWarnings(params string[] ignoredIds) =>
        [.. Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Warning && !ignoredIds.Contains(d.Id))];
}
