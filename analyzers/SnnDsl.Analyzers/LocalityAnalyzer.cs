using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SnnDsl.Analyzers.Analysis;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Model;

namespace SnnDsl.Analyzers;

/// <summary>
/// Locality (SNN0501): a [LearningRule] meant to run on-line (not <c>Offline</c>) that reads a quantity the synapse does
/// not have — another neuron's state or an error from a backward pass — by the classification of the generator's own
/// locality pass (<c>Passes/RuleLocality</c>, after Neftci, Mostafa &amp; Zenke 2019). One warning per non-local read, at
/// its first use in the method body, naming the quantity and why it is not local. A rule with a Structure or
/// Translation error has no model and draws nothing here: the generator's error is the only one.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LocalityAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.NonLocalRule];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        DeclaredModel.Register(context, Analyze);
    }

    private static void Analyze(DeclaredModel declared)
    {
        if (declared.LearningRule is not { Offline: false } rule) return;
        foreach (LocalityRead read in rule.Reads.Where(r => r.Locality == Locality.NonLocal))
        {
            string method = read.Method.ToString();
            declared.Report(DiagnosticDescriptors.NonLocalRule, FirstRead(declared, method, read.Name), rule.Type.Name, method, read.Quantity, read.Reason);
        }
    }

    /// <summary>The first use of parameter <paramref name="name"/> in the body of <paramref name="method"/> (the parameter itself if none is found).</summary>
    private static Location? FirstRead(DeclaredModel declared, string method, string name)
    {
        IMethodSymbol? symbol = declared.Type.GetMembers(method).OfType<IMethodSymbol>().FirstOrDefault();
        IParameterSymbol? parameter = symbol?.Parameters.FirstOrDefault(p => p.Name == name);
        if (symbol is null || parameter is null) return null;
        MethodDeclarationSyntax? syntax = declared.Syntax<MethodDeclarationSyntax>(symbol);
        SyntaxNode? body = (SyntaxNode?)syntax?.Body ?? syntax?.ExpressionBody;
        if (body is not null)
        {
            SemanticModel semantics = declared.SemanticsOf(body);
            IdentifierNameSyntax? use = body.DescendantNodes().OfType<IdentifierNameSyntax>()
                .FirstOrDefault(i => i.Identifier.ValueText == name && SymbolEqualityComparer.Default.Equals(semantics.GetSymbolInfo(i).Symbol, parameter));
            if (use is not null) return use.GetLocation();
        }
        return parameter.Locations.FirstOrDefault();
    }
}
