using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Parsing;

/// <summary>
/// Parses a [Neuron] struct declared in integer arithmetic (its states are <c>int</c> or <c>short</c>) into an
/// <see cref="IntegerNeuronModel"/>: Integrate(int input, …), Fires() and Reset() read as C# integer code, from Roslyn's
/// bound operations, so that every implicit promotion and every cast is what C# does. Anything the vector kernel could
/// not compute exactly as the plain C# methods do is SNN0115 at its source; uses that need gradients are SNN0116.
/// </summary>
internal static class IntegerNeuronParser
{
    /// <summary>
    /// Whether a [Neuron] type is an integer neuron: some [State] field is an <c>int</c> or a <c>short</c> and none is a
    /// <c>float</c> (a float neuron with an int state is the float neuron's SNN0005 at that field).
    /// </summary>
    public static bool Declares(INamedTypeSymbol type) =>
        SymbolReader.StateFields(type).Any(f => BitsOf(f.Type) is not null) && !SymbolReader.StateFields(type).Any(f => f.Type.SpecialType == SpecialType.System_Single);

    private static int? BitsOf(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Int32 => 32,
        SpecialType.System_Int16 => 16,
        _ => null,
    };

    /// <summary>The integer neuron's model and diagnostics; nothing for a float neuron (NeuronParser reads those).</summary>
    public static ParseResult<IntegerNeuronModel> ParseIfInteger(INamedTypeSymbol type, SemanticModel semantics, CancellationToken cancellation) =>
        Declares(type) ? Parse(type, semantics, cancellation) : new ParseResult<IntegerNeuronModel>(null, EquatableArray<DiagnosticInfo>.Empty);

    public static ParseResult<IntegerNeuronModel> Parse(INamedTypeSymbol type, SemanticModel semantics, CancellationToken cancellation)
    {
        var diagnostics = new List<DiagnosticInfo>();
        Location? location = type.Locations.FirstOrDefault();
        if (!SymbolReader.IsPartialStruct(type, "Neuron", diagnostics)) return ParseResult<IntegerNeuronModel>.Failed(diagnostics);

        // The chip attributes lower a float neuron; this one is integer already.
        foreach (AttributeData attribute in type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() is KnownNames.FixedPointAttribute or KnownNames.FixedPointFormatAttribute))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.IntegerNeuronNotDifferentiable, NeuronParser.AttributeLocation(attribute) ?? location, type.Name,
                $"take [{attribute.AttributeClass!.Name.Replace("Attribute", "")}] (it is integer already: its Step is the integer kernel)"));

        var states = new List<IntegerField>();
        foreach (IFieldSymbol field in SymbolReader.StateFields(type, includePreviousSpike: true))
        {
            if (field.HasAttribute(KnownNames.PreviousSpikeAttribute))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedIntegerConstruct, field.Locations.FirstOrDefault(), $"[PreviousSpike] field '{field.Name}'", type.Name,
                    "keep the previous spike in an int state that Reset sets to 1 and Integrate to 0"));
            else if (Field(field, "State", diagnostics) is { } state)
            {
                states.Add(state);
                if (field.Attribute(KnownNames.StateAttribute)!.NamedArguments.Any(a => a.Key == "Initial"))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInitialValue, field.Locations.FirstOrDefault(), field.Name,
                        "cannot be declared in an integer neuron: its Step kernel updates the caller's spans, which start where the caller sets them"));
            }
        }
        var parameters = new List<IntegerField>();
        foreach (IFieldSymbol field in SymbolReader.ParamFields(type))
        {
            if (Field(field, "Param", diagnostics) is not { } parameter) continue;
            AttributeData attribute = field.Attribute(KnownNames.ParamAttribute)!;
            float value = attribute.ConstructorArguments is [{ Value: float f }] ? f : 0f;
            int min = parameter.Bits == 16 ? short.MinValue : int.MinValue, max = parameter.Bits == 16 ? short.MaxValue : int.MaxValue;
            if (attribute.NamedArgument("Trainable", false))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.IntegerNeuronNotDifferentiable, NeuronParser.AttributeLocation(attribute) ?? location, type.Name, $"train parameter '{field.Name}'"));
            else if (attribute.NamedArgument("PerNeuron", false))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedIntegerConstruct, NeuronParser.AttributeLocation(attribute) ?? location, $"PerNeuron parameter '{field.Name}'", type.Name,
                    "a parameter of the Step kernel is one value for every neuron (a shift by it is one vector shift); keep a per-neuron value in a state"));
            else if (value != System.Math.Floor(value) || value < min || value > max)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedIntegerConstruct, NeuronParser.AttributeLocation(attribute) ?? location,
                    $"The default {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} of parameter '{field.Name}'", type.Name, $"declare an integer in the range of '{parameter.TypeName}'"));
            else
                parameters.Add(parameter);
        }

        // Integrate(int input, …): each parameter is a port.
        IMethodSymbol? integrateSymbol = type.GetMembers("Integrate").OfType<IMethodSymbol>().FirstOrDefault();
        MethodDeclarationSyntax? integrate = integrateSymbol is null ? null : NeuronParser.Declaration(integrateSymbol);
        if (integrateSymbol is null || integrate is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingIntegrate, location, type.Name));
        else if (integrateSymbol.IsStatic || !integrateSymbol.ReturnsVoid || integrateSymbol.Parameters.Length == 0 ||
                 integrateSymbol.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Int32 || p.RefKind != RefKind.None))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, integrateSymbol.Locations.FirstOrDefault(), "Integrate",
                "'public void Integrate(int input)' in an integer neuron, with one int parameter per input port"));

        // Fires(): the spike test, found by its name; there is no surrogate, so no [Spike].
        foreach (IMethodSymbol spike in SymbolReader.SpikeMethods(type))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.IntegerNeuronNotDifferentiable,
                NeuronParser.AttributeLocation(spike.Attribute(KnownNames.SpikeAttribute)!) ?? spike.Locations.FirstOrDefault(), type.Name,
                "take [Spike] (it has no surrogate gradient: write 'public bool Fires()' without the attribute)"));
        IMethodSymbol? firesSymbol = type.GetMembers("Fires").OfType<IMethodSymbol>().FirstOrDefault();
        MethodDeclarationSyntax? fires = firesSymbol is null ? null : NeuronParser.Declaration(firesSymbol);
        if (firesSymbol is not null && (firesSymbol.IsStatic || firesSymbol.ReturnType.SpecialType != SpecialType.System_Boolean || firesSymbol.Parameters.Length != 0 || fires is null))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, firesSymbol.Locations.FirstOrDefault(), "Fires", "'public bool Fires()' with a body"));

        // Reset(): applied where Fires() holds.
        IMethodSymbol? resetSymbol = type.GetMembers("Reset").OfType<IMethodSymbol>().FirstOrDefault();
        MethodDeclarationSyntax? reset = resetSymbol is null ? null : NeuronParser.Declaration(resetSymbol);
        if (resetSymbol is not null)
        {
            if (resetSymbol.IsStatic || !resetSymbol.ReturnsVoid || resetSymbol.Parameters.Length != 0 || reset is null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, resetSymbol.Locations.FirstOrDefault(), "Reset", "'public void Reset()' with a body"));
            else if (firesSymbol is null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ResetWithoutSpike, resetSymbol.Locations.FirstOrDefault(), type.Name));
        }
        if (diagnostics.Count > 0) return ParseResult<IntegerNeuronModel>.Failed(diagnostics);

        var ports = integrateSymbol!.Parameters.Select(p => p.Name).ToList();
        var translator = new IntegerDynamicsTranslator(type, states, parameters, diagnostics, cancellation);
        EquatableArray<IntStatement>? integrateIr = translator.Method(integrate!, NeuronParser.SemanticsFor(integrate!, semantics), ports);
        IntCondition? firesIr = fires is null ? null : translator.Condition(fires, NeuronParser.SemanticsFor(fires, semantics));
        EquatableArray<IntStatement>? resetIr = reset is null ? EquatableArray<IntStatement>.Empty : translator.Method(reset, NeuronParser.SemanticsFor(reset, semantics), []);
        if (diagnostics.Count > 0 || integrateIr is null || resetIr is null || (fires is not null && firesIr is null))
            return ParseResult<IntegerNeuronModel>.Failed(diagnostics);

        // The kernel names its spans state{S} and its arguments by the ports' and parameters' names; locals sit beside them.
        string stepName = SymbolReader.KernelNamesFor(SymbolReader.MemberNames(type)).Step;
        var names = states.Select(s => "state" + s.Name).Concat(states.Select(s => s.Name)).Concat(ports).Concat(ports.Select(IntegerNeuronModel.PortSpan)).Concat(parameters.Select(p => p.Name))
            .Concat(translator.Locals).Append(firesSymbol is null ? "" : "spikes").Where(n => n.Length > 0).ToList();
        string? clash = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1 || g.Key.StartsWith("__", System.StringComparison.Ordinal))?.Key;
        if (clash is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedIntegerConstruct, location, $"The name '{clash}' in the Step kernel", type.Name,
                "the kernel names its spans state{S}, its input spans port{P}, its arguments by the parameters, its spikes 'spikes', holds states and locals by their names, and keeps names beginning with '__' for itself: rename it"));
            return ParseResult<IntegerNeuronModel>.Failed(diagnostics);
        }

        var model = new IntegerNeuronModel(
            SymbolReader.DeclaredTypeOf(type),
            states.ToEquatableArray(),
            parameters.ToEquatableArray(),
            ports.ToEquatableArray(),
            integrateIr.Value,
            firesIr,
            fires is null ? "" : IntegerDynamicsTranslator.Text(FiresExpression(fires)),
            resetIr.Value,
            stepName);
        return new ParseResult<IntegerNeuronModel>(model, diagnostics.ToEquatableArray());
    }

    /// <summary>A [State] or [Param] field of an integer neuron: a mutable instance int or short; SNN0005 otherwise.</summary>
    private static IntegerField? Field(IFieldSymbol field, string attribute, List<DiagnosticInfo> diagnostics)
    {
        if (BitsOf(field.Type) is { } bits && !field.IsStatic && !field.IsConst && !field.IsReadOnly) return new IntegerField(field.Name, bits);
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongField, field.Locations.FirstOrDefault(), attribute, field.Name,
            "a mutable instance 'int' or 'short' field in an integer neuron (a neuron with an int or short state)"));
        return null;
    }

    private static SyntaxNode FiresExpression(MethodDeclarationSyntax method) =>
        (SyntaxNode?)method.ExpressionBody?.Expression
        ?? (SyntaxNode?)method.Body?.Statements.OfType<ReturnStatementSyntax>().LastOrDefault()?.Expression
        ?? method;
}
