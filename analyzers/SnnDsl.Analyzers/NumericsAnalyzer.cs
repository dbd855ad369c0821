using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SnnDsl.Analyzers.Analysis;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Analyzers;

/// <summary>
/// Numerics (SNN0301–SNN0304): models that compile but compute NaN, a growing or sign-flipping state, or a gradient
/// that points the wrong way, found in the IR of each neuron, synapse and surrogate.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NumericsAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.DivisionByZeroDefault, DiagnosticDescriptors.DecayOutOfRange,
        DiagnosticDescriptors.NegativeSurrogate, DiagnosticDescriptors.DivisionByConstant,
    ];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        DeclaredModel.Register(context, Analyze);
    }

    private static void Analyze(DeclaredModel declared)
    {
        if (declared.Neuron is { } neuron)
        {
            CheckDivisions(declared, neuron.Parameters, IrQueries.Expressions(neuron));
            CheckDecays(declared, neuron.Parameters, neuron.Integrate);
        }
        else if (declared.Synapse is { } synapse)
        {
            CheckDivisions(declared, synapse.Parameters, IrQueries.Expressions(synapse));
            CheckDecays(declared, synapse.Parameters, synapse.Deliver);
        }
        else if (declared.Surrogate is { } surrogate)
        {
            CheckDivisions(declared, surrogate.Parameters, [surrogate.Derivative]);
            CheckSurrogate(declared, surrogate);
        }
        else
        {
            return;
        }
        CheckConstantDivisions(declared);
    }

    /// <summary>SNN0301: x / P with P's default 0.</summary>
    private static void CheckDivisions(DeclaredModel declared, EquatableArray<ParamInfo> parameters, System.Collections.Generic.IEnumerable<Expr> expressions)
    {
        var zero = parameters.Where(p => p.DefaultValue == 0f).Select(p => p.Name).ToList();
        var divisors = expressions.SelectMany(IrQueries.Nodes).OfType<Binary>()
            .Where(b => b.Op == BinaryOp.Divide && b.Right is ParamRef p && zero.Contains(p.Name))
            .Select(b => ((ParamRef)b.Right).Name).Distinct().ToList();
        foreach (string parameter in divisors)
        {
            foreach ((SyntaxNode division, string method) in Divisions(declared).Where(d => d.Symbol is IFieldSymbol { Name: var n } && n == parameter).Select(d => (d.Node, d.Method)))
                declared.Report(DiagnosticDescriptors.DivisionByZeroDefault, division.GetLocation(), method, parameter);
        }
    }

    /// <summary>SNN0302: S = P·S + … with P's default outside (0, 1].</summary>
    private static void CheckDecays(DeclaredModel declared, EquatableArray<ParamInfo> parameters, Block update)
    {
        foreach (Assign assign in update.Statements.Where(s => s.IsState))
        {
            foreach (Binary product in IrQueries.Nodes(assign.Value).OfType<Binary>().Where(b => b.Op == BinaryOp.Multiply))
            {
                ParamRef? decay = (product.Left, product.Right) switch
                {
                    (ParamRef p, StateRef s) when s.Name == assign.Name => p,
                    (StateRef s, ParamRef p) when s.Name == assign.Name => p,
                    _ => null,
                };
                if (decay is null || parameters.FirstOrDefault(p => p.Name == decay.Name) is not { } parameter) continue;
                float value = parameter.DefaultValue;
                if (value > 0f && value <= 1f) continue;
                string effect = value > 1f ? "the state grows without bound" : value < 0f ? "the state flips sign every step" : "the state forgets itself every step";
                IFieldSymbol? field = declared.Type.GetMembers(parameter.Name).OfType<IFieldSymbol>().FirstOrDefault();
                declared.Report(DiagnosticDescriptors.DecayOutOfRange, field?.Locations.FirstOrDefault(), parameter.Name, assign.Name,
                    value.ToString("R", CultureInfo.InvariantCulture), effect);
            }
        }
    }

    /// <summary>SNN0303: σ′(x) sampled on [−10, 10] with the default parameters; the first value that is negative or not finite.</summary>
    private static void CheckSurrogate(DeclaredModel declared, SurrogateModel surrogate)
    {
        float Parameter(string name) => surrogate.Parameters.First(p => p.Name == name).DefaultValue;
        for (int k = -2000; k <= 2000; k++)
        {
            float x = k / 200f;
            float value = IrQueries.Evaluate(surrogate.Derivative, Parameter, x);
            if (value >= 0f && !float.IsInfinity(value)) continue;
            IMethodSymbol? derivative = declared.Type.GetMembers("Derivative").OfType<IMethodSymbol>().FirstOrDefault();
            declared.Report(DiagnosticDescriptors.NegativeSurrogate, derivative?.Locations.FirstOrDefault(), surrogate.Type.Name,
                value.ToString("G4", CultureInfo.InvariantCulture), x.ToString("G4", CultureInfo.InvariantCulture));
            return;
        }
    }

    /// <summary>SNN0304: x / c with c a power of two, whose reciprocal is exact.</summary>
    private static void CheckConstantDivisions(DeclaredModel declared)
    {
        foreach ((SyntaxNode node, ExpressionSyntax divisor, _, _) in Divisions(declared))
        {
            if (declared.SemanticsOf(divisor).GetConstantValue(divisor) is not { HasValue: true, Value: { } constant }) continue;
            double value = Convert.ToDouble(constant, CultureInfo.InvariantCulture);
            if (!IsExactReciprocal(value)) continue;
            declared.Report(DiagnosticDescriptors.DivisionByConstant, node.GetLocation(),
                divisor.ToString(), FloatLiteral((float)(1.0 / value)));
        }
    }

    /// <summary>Whether 1/value is a float with no rounding: ±2^k within range.</summary>
    public static bool IsExactReciprocal(double value)
    {
        if (value == 0 || double.IsNaN(value) || double.IsInfinity(value)) return false;
        double magnitude = Math.Abs(value), exponent = Math.Log(magnitude, 2);
        return Math.Abs(exponent - Math.Round(exponent)) < 1e-12 && Math.Abs(Math.Round(exponent)) <= 126;
    }

    /// <summary>A C# float literal for a reciprocal (exact for powers of two).</summary>
    public static string FloatLiteral(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>Every division in the dynamics methods of the type: x / d and x /= d, with the divisor's symbol.</summary>
    private static System.Collections.Generic.IEnumerable<(SyntaxNode Node, ExpressionSyntax Divisor, ISymbol? Symbol, string Method)> Divisions(DeclaredModel declared)
    {
        foreach (IMethodSymbol method in declared.Type.GetMembers().OfType<IMethodSymbol>()
                     .Where(m => m.Name is "Integrate" or "Reset" or "Deliver" or "Derivative" || m.GetAttributes().Any(a => a.AttributeClass?.Name == "SpikeAttribute")))
        {
            foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
            {
                SyntaxNode body = reference.GetSyntax();
                SemanticModel semantics = declared.SemanticsOf(body);
                foreach (SyntaxNode node in body.DescendantNodes())
                {
                    ExpressionSyntax? divisor = node switch
                    {
                        BinaryExpressionSyntax b when b.IsKind(SyntaxKind.DivideExpression) => b.Right,
                        AssignmentExpressionSyntax a when a.IsKind(SyntaxKind.DivideAssignmentExpression) => a.Right,
                        _ => null,
                    };
                    if (divisor is null) continue;
                    ExpressionSyntax bare = divisor;
                    while (bare is ParenthesizedExpressionSyntax p) bare = p.Expression;
                    yield return (node, bare, semantics.GetSymbolInfo(bare).Symbol, method.Name);
                }
            }
        }
    }
}
