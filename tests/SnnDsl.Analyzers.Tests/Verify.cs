using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace SnnDsl.Analyzers.Tests;

/// <summary>
/// The Roslyn analyzer and code-fix test harness, offline: the .NET 10 reference assemblies come from
/// Basic.Reference.Assemblies and the SnnDsl runtime from the build, instead of a NuGet download.
/// </summary>
internal static class Verify<TAnalyzer, TFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFix : CodeFixProvider, new()
{
    public const string Usings = "using System;\nusing SnnDsl;\nusing SnnDsl.Surrogates;\n\n";

    /// <summary>The analyzer on <paramref name="source"/> reports exactly <paramref name="expected"/> (spans in {|ID:…|} or [|…|] markup).</summary>
    public static Task Analyzer(string source, params DiagnosticResult[] expected) => Run(new AnalyzerTest(), source, null, expected);

    /// <summary>As <see cref="Analyzer(string, DiagnosticResult[])"/>, with an .editorconfig option set for the source.</summary>
    public static Task Analyzer(string source, (string Key, string Value) option, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest();
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n\n[*]\n{option.Key} = {option.Value}\n"));
        return Run(test, source, null, expected);
    }

    /// <summary>The fix turns <paramref name="source"/> into <paramref name="fixedSource"/>.</summary>
    public static Task Fix(string source, string fixedSource, params DiagnosticResult[] expected) => Run(new FixTest(), source, fixedSource, expected);

    private static Task Run(CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier> test, string source, string? fixedSource, DiagnosticResult[] expected)
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        test.TestState.AdditionalReferences.AddRange(Net100.References.All);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(NeuronAttribute).Assembly.Location));
        test.TestCode = Usings + source;
        if (fixedSource is not null) test.FixedCode = Usings + fixedSource;
        test.ExpectedDiagnostics.AddRange(expected);
        // The generator's own Structure/Translation errors do not run here; the analyzers see only the user's code.
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        // SNN errors (the generator's) cannot be silenced by #pragma, which the harness would otherwise check.
        test.TestBehaviors |= TestBehaviors.SkipSuppressionCheck;
        return test.RunAsync();
    }

    private sealed class AnalyzerTest : CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>;

    private sealed class FixTest : CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>;
}

/// <summary>An analyzer with no fix (the harness needs a provider type).</summary>
internal sealed class NoFix : CodeFixProvider
{
    public override System.Collections.Immutable.ImmutableArray<string> FixableDiagnosticIds => [];

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Task.CompletedTask;
}
