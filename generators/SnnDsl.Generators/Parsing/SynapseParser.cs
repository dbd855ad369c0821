using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Parsing;

/// <summary>Parses a [Synapse] struct into a <see cref="SynapseModel"/>.</summary>
internal static class SynapseParser
{
    private const string Signature = "'public float Deliver(float weightedSpikes)', optionally with further float parameters marked [Postsynaptic(\"State\")]";

    public static ParseResult<SynapseModel> Parse(INamedTypeSymbol type, SemanticModel semantics, CancellationToken cancellation)
    {
        var diagnostics = new List<DiagnosticInfo>();
        Location? location = type.Locations.FirstOrDefault();
        if (!SymbolReader.IsPartialStruct(type, "Synapse", diagnostics)) return ParseResult<SynapseModel>.Failed(diagnostics);

        List<IFieldSymbol> states = NeuronParser.CheckFields(SymbolReader.StateFields(type), "State", isStatic: false, diagnostics);
        List<IFieldSymbol> parameters = NeuronParser.CheckFields(SymbolReader.ParamFields(type), "Param", isStatic: false, diagnostics);
        foreach (IFieldSymbol state in states) NeuronParser.InitialValue(state, supported: false, diagnostics);

        // float Deliver(float weightedSpikes, [Postsynaptic("U")] float u, …)
        IMethodSymbol? deliver = type.GetMembers("Deliver").OfType<IMethodSymbol>().FirstOrDefault();
        var declaration = deliver is null ? null : NeuronParser.Declaration(deliver);
        if (deliver is null || declaration is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingDeliver, location, type.Name));
            return ParseResult<SynapseModel>.Failed(diagnostics);
        }
        var postReads = new List<PostRead>();
        if (deliver.IsStatic || deliver.ReturnType.SpecialType != SpecialType.System_Single || deliver.Parameters.Length == 0 ||
            deliver.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Single || p.RefKind != RefKind.None) ||
            deliver.Parameters[0].HasAttribute(KnownNames.PostsynapticAttribute))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, deliver.Locations.FirstOrDefault(), "Deliver", Signature));
        }
        else
        {
            foreach (IParameterSymbol parameter in deliver.Parameters.Skip(1))
            {
                if (parameter.Attribute(KnownNames.PostsynapticAttribute) is { ConstructorArguments: [{ Value: string state }] } && state.Length > 0)
                    postReads.Add(new PostRead(parameter.Name, state));
                else
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, parameter.Locations.FirstOrDefault(), $"Deliver's parameter '{parameter.Name}'", Signature));
            }
        }
        if (diagnostics.Count > 0) return ParseResult<SynapseModel>.Failed(diagnostics);

        var inputs = deliver.Parameters.Select(p => (p, (Expr)new InputRef(p.Name)));
        var translator = new DynamicsTranslator(NeuronParser.SemanticsFor(declaration, semantics), type, inputs,
            states.Select(s => s.Name), new Dictionary<string, string>(), parameters.Select(p => p.Name), diagnostics, cancellation);
        (Block Statements, Expr Result)? body = translator.TranslateStatementsAndResult(declaration);
        foreach (IFieldSymbol parameter in parameters) NeuronParser.CheckBounds(parameter, diagnostics);
        if (body is null || diagnostics.Count > 0) return ParseResult<SynapseModel>.Failed(diagnostics);

        EquatableArray<string> members = SymbolReader.MemberNames(type);
        var model = new SynapseModel(
            SymbolReader.DeclaredTypeOf(type),
            states.Select(s => s.Name).ToEquatableArray(),
            parameters.Select(SymbolReader.ParamInfoOf).ToEquatableArray(),
            deliver.Parameters[0].Name,
            postReads.ToEquatableArray(),
            body.Value.Statements,
            body.Value.Result,
            SymbolReader.KernelNamesFor(members),
            members);
        return new ParseResult<SynapseModel>(model, EquatableArray<DiagnosticInfo>.Empty);
    }

}
