using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Parsing;
using VerifyDerivative = SnnDsl.Analyzers.Tests.Verify<SnnDsl.Analyzers.Tests.SurrogateStructure, SnnDsl.CodeFixes.AddDerivativeFix>;

namespace SnnDsl.Analyzers.Tests;

/// <summary>
/// Reports what the generator reports for [Surrogate] types, through the same parser: the generator is not an
/// analyzer, so the code-fix harness needs this to produce SNN0009 where the generator does.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SurrogateStructure : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [SnnDsl.Diagnostics.DiagnosticDescriptors.MissingDerivative];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(node =>
        {
            if (node.SemanticModel.GetDeclaredSymbol(node.Node) is not INamedTypeSymbol type || !type.HasAttribute(KnownNames.SurrogateAttribute)) return;
            // The parser records plain file positions; the harness finds documents through syntax-tree locations.
            foreach (DiagnosticInfo diagnostic in SurrogateParser.Parse(type, node.SemanticModel, node.CancellationToken).Diagnostics)
                node.ReportDiagnostic(Diagnostic.Create(diagnostic.Descriptor, Location.Create(node.Node.SyntaxTree, diagnostic.Location!.Span), [.. diagnostic.Arguments]));
        }, Microsoft.CodeAnalysis.CSharp.SyntaxKind.ClassDeclaration);
    }
}

public class StructureFixTests
{
    [Fact]
    public Task Surrogate_without_Derivative_gets_a_fast_sigmoid_skeleton() =>
        VerifyDerivative.Fix("""
            [Surrogate]
            public static partial class {|SNN0009:Smooth|}
            {
                [Param(2f)] public static float Width;
            }
            """, """
            [Surrogate]
            public static partial class Smooth
            {
                [Param(2f)] public static float Width;

                /// <summary>σ′(x), x = U − ϑ: the fast sigmoid of SuperSpike (Zenke &amp; Ganguli 2018), peak 1 at x = 0.</summary>
                public static float Derivative(float x) => 1f / ((10f * MathF.Abs(x) + 1f) * (10f * MathF.Abs(x) + 1f));
            }
            """);
}
