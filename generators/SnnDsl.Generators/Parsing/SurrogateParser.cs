using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Parsing;

/// <summary>Parses a [Surrogate] static class into a <see cref="SurrogateModel"/>.</summary>
internal static class SurrogateParser
{
    public static ParseResult<SurrogateModel> Parse(INamedTypeSymbol type, SemanticModel semantics, CancellationToken cancellation)
    {
        var diagnostics = new List<DiagnosticInfo>();
        Location? location = type.Locations.FirstOrDefault();
        if (!type.IsStatic || !type.IsPartialEverywhere())
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MustBePartial, location, "Surrogate", type.Name, "'static partial class' (and every containing type partial)"));
            return new ParseResult<SurrogateModel>(null, diagnostics.ToEquatableArray());
        }

        List<IFieldSymbol> parameters = NeuronParser.CheckFields(SymbolReader.ParamFields(type), "Param", isStatic: true, diagnostics);

        // σ′(x), x = U − ϑ.
        IMethodSymbol? derivative = type.GetMembers("Derivative").OfType<IMethodSymbol>().FirstOrDefault();
        var declaration = derivative is null ? null : NeuronParser.Declaration(derivative);
        if (derivative is null || declaration is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingDerivative, location, type.Name));
        else if (derivative.ReturnType.SpecialType != SpecialType.System_Single || derivative.Parameters.Length != 1 ||
                 derivative.Parameters[0].Type.SpecialType != SpecialType.System_Single)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, derivative.Locations.FirstOrDefault(), "Derivative", "'public static float Derivative(float x)'"));
        if (diagnostics.Count > 0) return new ParseResult<SurrogateModel>(null, diagnostics.ToEquatableArray());

        var translator = new DynamicsTranslator(NeuronParser.SemanticsFor(declaration!, semantics), type, [(derivative!.Parameters[0], new ArgRef())],
            states: [], new Dictionary<string, string>(), parameters.Select(p => p.Name), diagnostics, cancellation);
        Expr? body = translator.TranslateValueBody(declaration!);
        if (body is null || diagnostics.Count > 0) return new ParseResult<SurrogateModel>(null, diagnostics.ToEquatableArray());

        var model = new SurrogateModel(SymbolReader.DeclaredTypeOf(type), parameters.Select(SymbolReader.ParamInfoOf).ToEquatableArray(),
            derivative.Parameters[0].Name, body, SymbolReader.MemberNames(type));
        return new ParseResult<SurrogateModel>(model, EquatableArray<DiagnosticInfo>.Empty);
    }
}
