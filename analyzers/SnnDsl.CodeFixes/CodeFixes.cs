using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using SnnDsl.Analyzers;
using SnnDsl.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SnnDsl.CodeFixes;

/// <summary>SNN0401: adds <c>[Spike(typeof(FastSigmoid))]</c> to a firing condition that has none.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddSpikeAttributeFix)), Shared]
public sealed class AddSpikeAttributeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticDescriptors.FiresWithoutSpike.Id];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span) is not { } node || node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is not { } method) return;
        context.RegisterCodeFix(
            CodeAction.Create("Add [Spike(typeof(FastSigmoid))]", token => AddAsync(context.Document, root, method, token), nameof(AddSpikeAttributeFix)),
            context.Diagnostics);
    }

    private static Task<Document> AddAsync(Document document, SyntaxNode root, MethodDeclarationSyntax method, CancellationToken cancellation)
    {
        AttributeSyntax spike = ParseAttribute("global::SnnDsl.Spike(typeof(global::SnnDsl.Surrogates.FastSigmoid))").WithAdditionalAnnotations(Simplifier.Annotation);
        MethodDeclarationSyntax fixedMethod = method.AddAttributeLists(AttributeList(SingletonSeparatedList(spike)).WithTrailingTrivia(ElasticMarker))
            .WithAdditionalAnnotations(Formatter.Annotation);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(method, fixedMethod)));
    }

    private static AttributeSyntax ParseAttribute(string text) => ((AttributeListSyntax)ParseCompilationUnit($"[{text}] class C {{ }}").Members[0].AttributeLists[0]).Attributes[0];
}

/// <summary>SNN0304: replaces a division by a power-of-two constant with the (exact) multiplication by its reciprocal.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MultiplyByReciprocalFix)), Shared]
public sealed class MultiplyByReciprocalFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticDescriptors.DivisionByConstant.Id];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? semantics = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not { } node || semantics is null) return;
        SyntaxNode? division = node.AncestorsAndSelf().FirstOrDefault(n => n.IsKind(SyntaxKind.DivideExpression) || n.IsKind(SyntaxKind.DivideAssignmentExpression));
        ExpressionSyntax? divisor = division switch
        {
            BinaryExpressionSyntax b => b.Right,
            AssignmentExpressionSyntax a => a.Right,
            _ => null,
        };
        if (divisor is null || semantics.GetConstantValue(divisor, context.CancellationToken) is not { HasValue: true, Value: { } constant }) return;
        double value = System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture);
        if (!NumericsAnalyzer.IsExactReciprocal(value)) return;
        string reciprocal = NumericsAnalyzer.FloatLiteral((float)(1.0 / value));
        context.RegisterCodeFix(
            CodeAction.Create($"Multiply by {reciprocal}", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(division!, Multiply(division!, reciprocal)))), nameof(MultiplyByReciprocalFix)),
            context.Diagnostics);
    }

    private static SyntaxNode Multiply(SyntaxNode division, string reciprocal)
    {
        ExpressionSyntax literal = ParseExpression(reciprocal);
        return division switch
        {
            BinaryExpressionSyntax b => BinaryExpression(SyntaxKind.MultiplyExpression, b.Left, Token(SyntaxKind.AsteriskToken).WithTriviaFrom(b.OperatorToken), literal.WithTriviaFrom(b.Right)),
            AssignmentExpressionSyntax a => AssignmentExpression(SyntaxKind.MultiplyAssignmentExpression, a.Left, Token(SyntaxKind.AsteriskEqualsToken).WithTriviaFrom(a.OperatorToken), literal.WithTriviaFrom(a.Right)),
            _ => division,
        };
    }
}

/// <summary>SNN0009: adds a <c>Derivative</c> to a surrogate that lacks one — the fast sigmoid of SuperSpike, to edit.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddDerivativeFix)), Shared]
public sealed class AddDerivativeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticDescriptors.MissingDerivative.Id];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span) is not { } node || node.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault() is not { } surrogate) return;
        context.RegisterCodeFix(
            CodeAction.Create("Add Derivative (fast sigmoid, SuperSpike)", _ =>
            {
                var method = (MethodDeclarationSyntax)ParseMemberDeclaration(
                    "\n/// <summary>σ′(x), x = U − ϑ: the fast sigmoid of SuperSpike (Zenke &amp; Ganguli 2018), peak 1 at x = 0.</summary>\n" +
                    "public static float Derivative(float x) => 1f / ((10f * MathF.Abs(x) + 1f) * (10f * MathF.Abs(x) + 1f));\n")!;
                return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(surrogate, surrogate.AddMembers(method.WithAdditionalAnnotations(Formatter.Annotation)))));
            }, nameof(AddDerivativeFix)),
            context.Diagnostics);
    }
}

/// <summary>SNN0501: declares a rule that reads a non-local quantity <c>[LearningRule(Offline = true)]</c>, for a rule not meant to run on-line.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkRuleOfflineFix)), Shared]
public sealed class MarkRuleOfflineFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticDescriptors.NonLocalRule.Id];

    /// <inheritdoc/>
    /// <remarks>None: one fix of the attribute clears every SNN0501 of the rule.</remarks>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? semantics = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span) is not { } node || semantics is null ||
            node.AncestorsAndSelf().OfType<StructDeclarationSyntax>().FirstOrDefault() is not { } rule) return;
        AttributeSyntax? attribute = rule.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a =>
            semantics.GetSymbolInfo(a, context.CancellationToken).Symbol?.ContainingType?.ToDisplayString() == "SnnDsl.LearningRuleAttribute");
        if (attribute is null) return;
        // Offline is the attribute's only property: the argument list becomes (Offline = true) whatever it was.
        AttributeSyntax offline = attribute.WithArgumentList(ParseAttributeArgumentList("(Offline = true)"));
        context.RegisterCodeFix(
            CodeAction.Create("Declare the rule [LearningRule(Offline = true)]", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(attribute, offline))), nameof(MarkRuleOfflineFix)),
            context.Diagnostics);
    }
}

/// <summary>
/// SNN0602: replaces a decay the chip cannot represent — a [Param] default or a constant factor — by the nearest one it
/// can (the analyzer's <see cref="HardwareAnalyzer.NearestDecayProperty"/>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SnapDecayFix)), Shared]
public sealed class SnapDecayFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticDescriptors.UnrepresentableDecay.Id];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not { } node) return;
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(HardwareAnalyzer.NearestDecayProperty, out string? nearest) || nearest is null) continue;
            // The constant itself, or the default of the [Param] field the diagnostic is on.
            ExpressionSyntax? value = node as LiteralExpressionSyntax ?? node.AncestorsAndSelf().OfType<FieldDeclarationSyntax>().FirstOrDefault()?.AttributeLists
                .SelectMany(l => l.Attributes).FirstOrDefault(a => a.Name.ToString() is "Param" or "ParamAttribute" or "SnnDsl.Param" or "SnnDsl.ParamAttribute")
                ?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null && a.NameColon is null)?.Expression;
            if (value is null) continue;
            ExpressionSyntax literal = ParseExpression(nearest).WithTriviaFrom(value);
            context.RegisterCodeFix(
                CodeAction.Create($"Use the nearest representable decay, {nearest}", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(value, literal))), nameof(SnapDecayFix)),
                diagnostic);
        }
    }
}
