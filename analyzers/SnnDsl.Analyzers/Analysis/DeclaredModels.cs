using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Parsing;

namespace SnnDsl.Analyzers.Analysis;

/// <summary>
/// A [Neuron], [Synapse], [Surrogate], [LearningRule] or [Network] type as the analyzers see it: parsed by the generator's own front
/// end (the same files, compiled into this assembly), once per type — on its first declaration, so that a partial type
/// spread over several files is analyzed once.
/// </summary>
internal sealed class DeclaredModel
{
    private readonly SyntaxNodeAnalysisContext _context;

    private DeclaredModel(SyntaxNodeAnalysisContext context, INamedTypeSymbol type)
    {
        _context = context;
        Type = type;
    }

    public INamedTypeSymbol Type { get; }

    public SemanticModel Semantics => _context.SemanticModel;

    public NeuronModel? Neuron => Type.HasAttribute(KnownNames.NeuronAttribute) ? NeuronParser.Parse(Type, Semantics, _context.CancellationToken).Model : null;

    public SynapseModel? Synapse => Type.HasAttribute(KnownNames.SynapseAttribute) ? SynapseParser.Parse(Type, Semantics, _context.CancellationToken).Model : null;

    public SurrogateModel? Surrogate => Type.HasAttribute(KnownNames.SurrogateAttribute) ? SurrogateParser.Parse(Type, Semantics, _context.CancellationToken).Model : null;

    public LearningRuleModel? LearningRule =>
        Type.HasAttribute(KnownNames.LearningRuleAttribute) ? LearningRuleParser.Parse(Type, Semantics, _context.CancellationToken).Model : null;

    public NetworkModel? Network =>
        Type.Attribute(KnownNames.NetworkAttribute) is { } attribute ? NetworkParser.Parse(Type, attribute, Semantics, _context.CancellationToken).Model : null;

    public CancellationToken Cancellation => _context.CancellationToken;

    public void Report(DiagnosticDescriptor descriptor, Location? location, params object[] arguments) =>
        _context.ReportDiagnostic(Diagnostic.Create(descriptor, location, arguments));

    /// <summary>A diagnostic at <paramref name="location"/> that also points at <paramref name="related"/> (the member it is about).</summary>
    public void Report(DiagnosticDescriptor descriptor, Location? location, Location? related, params object[] arguments) =>
        _context.ReportDiagnostic(Diagnostic.Create(descriptor, location, related is null ? null : new[] { related }, arguments));

    /// <summary>A diagnostic with properties for its code fix.</summary>
    public void Report(DiagnosticDescriptor descriptor, Location? location, System.Collections.Immutable.ImmutableDictionary<string, string?> properties, params object[] arguments) =>
        _context.ReportDiagnostic(Diagnostic.Create(descriptor, location, properties, arguments));

    /// <summary>The syntax of a member of the type (a field, a method), from whichever file declares it.</summary>
    public T? Syntax<T>(ISymbol member) where T : SyntaxNode =>
        member.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_context.CancellationToken)).OfType<T>().FirstOrDefault()
        ?? member.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_context.CancellationToken)).SelectMany(n => n.AncestorsAndSelf()).OfType<T>().FirstOrDefault();

    /// <summary>The .editorconfig options of the file the analyzed declaration is in.</summary>
    public AnalyzerConfigOptions ConfigOptions => _context.Options.AnalyzerConfigOptionsProvider.GetOptions(_context.Node.SyntaxTree);

    /// <summary>The semantic model of the tree a node lives in.</summary>
    public SemanticModel SemanticsOf(SyntaxNode node) => NeuronParser.SemanticsFor(node, Semantics);

    /// <summary>Calls <paramref name="analyze"/> for every SnnDsl model type, once, on its first declaration.</summary>
    public static void Register(AnalysisContext context, Action<DeclaredModel> analyze)
    {
        context.RegisterSyntaxNodeAction(node =>
        {
            if (node.SemanticModel.GetDeclaredSymbol(node.Node, node.CancellationToken) is not INamedTypeSymbol type) return;
            if (type.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(node.CancellationToken) != node.Node) return;
            if (!new[] { KnownNames.NeuronAttribute, KnownNames.SynapseAttribute, KnownNames.SurrogateAttribute, KnownNames.LearningRuleAttribute, KnownNames.NetworkAttribute }.Any(type.HasAttribute)) return;
            analyze(new DeclaredModel(node, type));
        }, SyntaxKind.StructDeclaration, SyntaxKind.ClassDeclaration);
    }
}
