using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SnnDsl.Diagnostics;
using SnnDsl.FixedPoint;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Passes;

namespace SnnDsl.Generators.Parsing;

/// <summary>Parses a [Neuron] struct into a <see cref="NeuronModel"/>; shared by the generator and the analyzers.</summary>
internal static class NeuronParser
{
    public static ParseResult<NeuronModel> Parse(INamedTypeSymbol type, SemanticModel semantics, CancellationToken cancellation)
    {
        // A neuron declared in integer arithmetic is IntegerNeuronParser's: it has no float model.
        if (IntegerNeuronParser.Declares(type)) return new ParseResult<NeuronModel>(null, EquatableArray<DiagnosticInfo>.Empty);
        var diagnostics = new List<DiagnosticInfo>();
        Location? location = type.Locations.FirstOrDefault();

        if (!SymbolReader.IsPartialStruct(type, "Neuron", diagnostics)) return ParseResult<NeuronModel>.Failed(diagnostics);
        var shell = new ShellModel(SymbolReader.DeclaredTypeOf(type), ShellKind.Neuron, EquatableArray<ShellProperty>.Empty);

        // States in declaration order, the [PreviousSpike] field among them.
        List<IFieldSymbol> states = CheckFields(SymbolReader.StateFields(type, includePreviousSpike: true), "State", isStatic: false, diagnostics);
        List<IFieldSymbol> parameters = CheckFields(SymbolReader.ParamFields(type), "Param", isStatic: false, diagnostics);
        List<IFieldSymbol> previousSpikes = states.Where(f => f.HasAttribute(KnownNames.PreviousSpikeAttribute)).ToList();
        foreach (IFieldSymbol both in previousSpikes.Where(f => f.HasAttribute(KnownNames.StateAttribute)))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongField, both.Locations.FirstOrDefault(), "PreviousSpike", both.Name, "marked [PreviousSpike] or [State], not both"));
        if (previousSpikes.Count > 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongField, previousSpikes[1].Locations.FirstOrDefault(), "PreviousSpike", previousSpikes[1].Name, "the only [PreviousSpike] field of the neuron"));
        if (states.Count == previousSpikes.Count && diagnostics.Count == 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoState, location, type.Name));
        List<float> initial = states.Select(s => InitialValue(s, supported: true, diagnostics)).ToList();

        // Integrate(float input, …): each parameter is a port.
        MethodDeclarationSyntax? integrate = null;
        IMethodSymbol? integrateSymbol = type.GetMembers("Integrate").OfType<IMethodSymbol>().FirstOrDefault();
        if (integrateSymbol is null || (integrate = Declaration(integrateSymbol)) is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingIntegrate, location, type.Name));
        else if (integrateSymbol.IsStatic || !integrateSymbol.ReturnsVoid || integrateSymbol.Parameters.Length == 0 ||
                 integrateSymbol.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Single || p.RefKind != RefKind.None))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, integrateSymbol.Locations.FirstOrDefault(), "Integrate",
                "'public void Integrate(float input)', with one float parameter per input port"));

        // The firing condition S = Θ(a − b), and its surrogate.
        List<IMethodSymbol> spikeMethods = SymbolReader.SpikeMethods(type).ToList();
        IMethodSymbol? fires = spikeMethods.FirstOrDefault();
        MethodDeclarationSyntax? firesSyntax = null;
        string? surrogate = null, surrogateDescriptor = null;
        bool attachReset = false;
        if (spikeMethods.Count > 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleFiringConditions, spikeMethods[1].Locations.FirstOrDefault(), type.Name));
        if (fires is not null)
        {
            AttributeData spike = fires.Attribute(KnownNames.SpikeAttribute)!;
            attachReset = spike.NamedArgument("AttachResetGradient", false);
            firesSyntax = Declaration(fires);
            if (fires.IsStatic || fires.ReturnType.SpecialType != SpecialType.System_Boolean || fires.Parameters.Length != 0 || firesSyntax is null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, fires.Locations.FirstOrDefault(), fires.Name, $"'public bool {fires.Name}()' with a body"));
            var surrogateType = spike.ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol;
            if (surrogateType is not null && surrogateType.HasAttribute(KnownNames.SurrogateAttribute) &&
                surrogateType.DeclaringSyntaxReferences.Length > 0 && SurrogateParser.Parse(surrogateType, semantics, cancellation).Model is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSurrogate, AttributeLocation(spike) ?? fires.Locations.FirstOrDefault(), surrogateType.Name, type.Name));
            }
            else if (surrogateType is not null && surrogateType.HasAttribute(KnownNames.SurrogateAttribute))
            {
                surrogate = surrogateType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                surrogateDescriptor = SymbolReader.SurrogateDescriptorName(surrogateType);
            }
            else
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotASurrogate, AttributeLocation(spike) ?? fires.Locations.FirstOrDefault(),
                    (spike.ConstructorArguments.FirstOrDefault().Value as ITypeSymbol)?.Name ?? "?"));
        }
        else if (previousSpikes.Count > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongField, previousSpikes[0].Locations.FirstOrDefault(), "PreviousSpike", previousSpikes[0].Name,
                "in a spiking neuron (this one has no [Spike] firing condition)"));
        }

        // Reset(): applied where S[t] = 1.
        IMethodSymbol? resetSymbol = type.GetMembers("Reset").OfType<IMethodSymbol>().FirstOrDefault();
        MethodDeclarationSyntax? reset = resetSymbol is null ? null : Declaration(resetSymbol);
        if (resetSymbol is not null)
        {
            if (resetSymbol.IsStatic || !resetSymbol.ReturnsVoid || resetSymbol.Parameters.Length != 0 || reset is null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, resetSymbol.Locations.FirstOrDefault(), "Reset", "'public void Reset()' with a body"));
            else if (fires is null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ResetWithoutSpike, resetSymbol.Locations.FirstOrDefault(), type.Name));
        }
        if (diagnostics.Count > 0) return ParseResult<NeuronModel>.Failed(diagnostics, shell);

        var stateNames = states.Select(s => s.Name).ToList();
        var paramNames = parameters.Select(p => p.Name).ToList();
        string? previousSpike = previousSpikes.FirstOrDefault()?.Name;
        var readOnly = new Dictionary<string, string>();
        if (previousSpike is not null) readOnly[previousSpike] = "it holds the neuron's spike of the previous step; the generated kernel sets it after each step";
        var ports = integrateSymbol!.Parameters.Select(p => (p, (Expr)new InputRef(p.Name))).ToList();
        Block? integrateIr = Translator(integrate!, ports).TranslateStatements(integrate!);
        Cond? firesIr = null;
        if (firesSyntax is not null)
        {
            firesIr = Translator(firesSyntax, []).TranslateConditionBody(firesSyntax);
            if (firesIr is not null and not Compare { Op: CompareOp.Greater or CompareOp.GreaterOrEqual or CompareOp.Less or CompareOp.LessOrEqual })
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FiringConditionNotComparison, FiresExpression(firesSyntax), type.Name));
                firesIr = null;
            }
        }
        Block? resetIr = reset is null ? Block.Empty : Translator(reset, []).TranslateStatements(reset);
        foreach (IFieldSymbol parameter in parameters) CheckBounds(parameter, diagnostics);
        if (diagnostics.Count > 0 || integrateIr is null || resetIr is null) return ParseResult<NeuronModel>.Failed(diagnostics, shell);

        EquatableArray<string> members = SymbolReader.MemberNames(type);
        var model = new NeuronModel(
            SymbolReader.DeclaredTypeOf(type),
            stateNames.ToEquatableArray(),
            initial.ToEquatableArray(),
            parameters.Select(SymbolReader.ParamInfoOf).ToEquatableArray(),
            integrateSymbol.Parameters.Select(p => p.Name).ToEquatableArray(),
            previousSpike,
            integrateIr, firesIr, resetIr,
            surrogate,
            surrogateDescriptor,
            attachReset,
            SymbolReader.KernelNamesFor(members),
            members);
        model = model with { IntegerKernels = IntegerKernels(type, model, diagnostics) };
        return new ParseResult<NeuronModel>(model, diagnostics.ToEquatableArray());

        DynamicsTranslator Translator(MethodDeclarationSyntax method, IEnumerable<(IParameterSymbol, Expr)> arguments) =>
            new(SemanticsFor(method, semantics), type, arguments, stateNames, readOnly, paramNames, diagnostics, cancellation);
    }

    /// <summary>
    /// The neuron lowered to the chip of each [FixedPoint(Chip.…)] and to the format of its [FixedPointFormat(m, n)]
    /// (<see cref="FixedPointLowering"/>); SNN0114 at the
    /// attribute, with every reason, where it cannot be. The float kernels are generated either way.
    /// </summary>
    private static EquatableArray<IntegerKernel> IntegerKernels(INamedTypeSymbol type, NeuronModel model, List<DiagnosticInfo> diagnostics)
    {
        var kernels = new List<IntegerKernel>();
        foreach (AttributeData attribute in type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.FixedPointAttribute))
        {
            if (attribute.ConstructorArguments is not [{ Value: int value }] || !System.Enum.IsDefined(typeof(Chip), value)) continue;   // C# reports it
            var chip = (Chip)value;
            LoweringResult lowered = model.Members.Contains("Step" + chip)
                ? new LoweringResult(null, new[] { $"the neuron declares a member 'Step{chip}', the name of the generated integer kernel" }.ToEquatableArray())
                : FixedPointLowering.Lower(model, chip);
            if (lowered.Kernel is { } kernel)
            {
                if (!kernels.Any(k => k.Chip == kernel.Chip)) kernels.AddRange(lowered.Companions.Prepend(kernel));
            }
            else
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotLowerable, AttributeLocation(attribute) ?? type.Locations.FirstOrDefault(),
                    type.Name, chip.ToString(), string.Join("; ", lowered.Reasons)));
        }
        foreach (AttributeData attribute in type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.FixedPointFormatAttribute))
        {
            if (attribute.ConstructorArguments is not [{ Value: int integerBits }, { Value: int fractionBits }]) continue;   // C# reports it
            var rounding = Rounding.NearestEven;
            var overflow = Overflow.Saturate;
            int decayFractionBits = 16;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                if (named.Key == "Rounding" && named.Value.Value is int r) rounding = (Rounding)r;
                else if (named.Key == "Overflow" && named.Value.Value is int o) overflow = (Overflow)o;
                else if (named.Key == "DecayFractionBits" && named.Value.Value is int d) decayFractionBits = d;
            }
            LoweringResult lowered = model.Members.Contains(FixedPointLowering.FixedMethodName)
                ? new LoweringResult(null, new[] { $"the neuron declares a member '{FixedPointLowering.FixedMethodName}', the name of the generated integer kernel" }.ToEquatableArray())
                : FixedPointLowering.LowerToFixed(model, integerBits, fractionBits, rounding, overflow, decayFractionBits);
            if (lowered.Kernel is { } kernel)
                kernels.Add(kernel);
            else
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotLowerable, AttributeLocation(attribute) ?? type.Locations.FirstOrDefault(),
                    type.Name, $"Fixed(s{integerBits}.{fractionBits})", string.Join("; ", lowered.Reasons)));
        }
        return kernels.ToEquatableArray();
    }

    /// <summary>Checks [State]/[Param] fields: float, instance (neurons, synapses) or static (surrogates), mutable.</summary>
    public static List<IFieldSymbol> CheckFields(IEnumerable<IFieldSymbol> fields, string attribute, bool isStatic, List<DiagnosticInfo> diagnostics)
    {
        var valid = new List<IFieldSymbol>();
        foreach (IFieldSymbol field in fields)
        {
            if (field.Type.SpecialType != SpecialType.System_Single || field.IsStatic != isStatic || field.IsConst || field.IsReadOnly)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongField, field.Locations.FirstOrDefault(), attribute, field.Name,
                    isStatic ? "a mutable 'public static float' field" : "a mutable instance 'float' field"));
            else
                valid.Add(field);
        }
        return valid;
    }

    /// <summary>
    /// A state's declared <c>[State(Initial = …)]</c> (0 when not given). C# already makes it a constant; SNN0032 at
    /// the argument when it is NaN or infinite, or when it is given where initial values are not supported (<paramref name="supported"/>: synapse states).
    /// </summary>
    public static float InitialValue(IFieldSymbol state, bool supported, List<DiagnosticInfo> diagnostics)
    {
        AttributeData? attribute = state.Attribute(KnownNames.StateAttribute);
        if (attribute is null || !attribute.NamedArguments.Any(a => a.Key == "Initial")) return 0f;
        float value = attribute.NamedArgument("Initial", 0f);
        string? problem = !supported ? "cannot be declared: synapse states start at 0 (only neuron states have initial values)"
            : float.IsNaN(value) || float.IsInfinity(value) ? $"is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; declare a finite constant"
            : null;
        if (problem is null) return value;
        SyntaxNode? argument = (attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Initial");
        diagnostics.Add(argument is null
            ? DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInitialValue, state.Locations.FirstOrDefault(), state.Name, problem)
            : DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInitialValue, argument, state.Name, problem));
        return 0f;
    }

    /// <summary>
    /// SNN0033 at a parameter's <c>Min</c> or <c>Max</c> argument when a bound is NaN, when Min lies above Max, or when
    /// the default value lies outside [Min, Max] (training projects onto that interval, which must hold the start).
    /// </summary>
    public static void CheckBounds(IFieldSymbol parameter, List<DiagnosticInfo> diagnostics)
    {
        AttributeData? attribute = parameter.Attribute(KnownNames.ParamAttribute);
        if (attribute is null || !attribute.NamedArguments.Any(a => a.Key is "Min" or "Max")) return;
        ParamInfo p = SymbolReader.ParamInfoOf(parameter);
        string Text(float value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        (string? problem, string at) = float.IsNaN(p.Min) ? ("are not numbers: Min is NaN", "Min")
            : float.IsNaN(p.Max) ? ("are not numbers: Max is NaN", "Max")
            : p.Min > p.Max ? ($"leave no value: Min = {Text(p.Min)} lies above Max = {Text(p.Max)}", "Min")
            : p.DefaultValue < p.Min ? ($"leave out its default value {Text(p.DefaultValue)}: it lies below Min = {Text(p.Min)}", "Min")
            : p.DefaultValue > p.Max ? ($"leave out its default value {Text(p.DefaultValue)}: it lies above Max = {Text(p.Max)}", "Max")
            : (null, "");
        if (problem is null) return;
        SyntaxNode? argument = (attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == at);
        diagnostics.Add(argument is null
            ? DiagnosticInfo.Create(DiagnosticDescriptors.InvalidParameterBounds, parameter.Locations.FirstOrDefault(), parameter.Name, problem)
            : DiagnosticInfo.Create(DiagnosticDescriptors.InvalidParameterBounds, argument, parameter.Name, problem));
    }

    public static MethodDeclarationSyntax? Declaration(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);

    /// <summary>The semantic model of the tree a method lives in (a partial type may span files).</summary>
    public static SemanticModel SemanticsFor(SyntaxNode node, SemanticModel semantics) =>
        node.SyntaxTree == semantics.SyntaxTree ? semantics : semantics.Compilation.GetSemanticModel(node.SyntaxTree);

    private static SyntaxNode FiresExpression(MethodDeclarationSyntax method) =>
        (SyntaxNode?)method.ExpressionBody?.Expression
        ?? (SyntaxNode?)method.Body?.Statements.OfType<ReturnStatementSyntax>().LastOrDefault()?.Expression
        ?? method;

    public static Location? AttributeLocation(AttributeData attribute) => attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();

}
