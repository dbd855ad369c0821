using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Passes;

namespace SnnDsl.Generators.Parsing;

/// <summary>Parses a [LearningRule] struct into a <see cref="LearningRuleModel"/>, with the locality of what it reads.</summary>
internal static class LearningRuleParser
{
    /// <summary>The role attributes of a method parameter, and the kind each gives.</summary>
    private static readonly (string Attribute, string Spelling, RuleInputKind Kind)[] Roles =
    [
        (KnownNames.PreSpikeAttribute, "[PreSpike]", RuleInputKind.PreSpike),
        (KnownNames.PostSpikeAttribute, "[PostSpike]", RuleInputKind.PostSpike),
        (KnownNames.PresynapticAttribute, "[Presynaptic(\"State\")]", RuleInputKind.PresynapticState),
        (KnownNames.PostsynapticAttribute, "[Postsynaptic(\"State\")]", RuleInputKind.PostsynapticState),
        (KnownNames.WeightAttribute, "[Weight]", RuleInputKind.Weight),
        (KnownNames.ModulatorAttribute, "[Modulator]", RuleInputKind.Modulator),
        (KnownNames.TargetAttribute, "[Target]", RuleInputKind.Target),
        (KnownNames.ErrorAttribute, "[Error]", RuleInputKind.Error),
    ];

    /// <summary>What each method can read: the presynaptic method runs per presynaptic neuron, the postsynaptic per postsynaptic neuron.</summary>
    private static readonly Dictionary<RuleMethodKind, RuleInputKind[]> Allowed = new()
    {
        [RuleMethodKind.Presynaptic] = [RuleInputKind.PreSpike, RuleInputKind.PresynapticState, RuleInputKind.Modulator],
        [RuleMethodKind.Postsynaptic] = [RuleInputKind.PostSpike, RuleInputKind.PostsynapticState, RuleInputKind.Modulator, RuleInputKind.Target, RuleInputKind.Error],
        [RuleMethodKind.Update] = [.. Roles.Select(r => r.Kind)],
    };

    public static ParseResult<LearningRuleModel> Parse(INamedTypeSymbol type, SemanticModel semantics, CancellationToken cancellation)
    {
        var diagnostics = new List<DiagnosticInfo>();
        Location? location = type.Locations.FirstOrDefault();
        if (!SymbolReader.IsPartialStruct(type, "LearningRule", diagnostics)) return ParseResult<LearningRuleModel>.Failed(diagnostics);
        var shell = new ShellModel(SymbolReader.DeclaredTypeOf(type), ShellKind.LearningRule, EquatableArray<ShellProperty>.Empty);

        // States per presynaptic neuron, per postsynaptic neuron and per synapse; shared parameters.
        List<IFieldSymbol> pre = States(type, KnownNames.PresynapticStateAttribute, "PresynapticState", diagnostics);
        List<IFieldSymbol> post = States(type, KnownNames.PostsynapticStateAttribute, "PostsynapticState", diagnostics);
        List<IFieldSymbol> synaptic = States(type, KnownNames.SynapticStateAttribute, "SynapticState", diagnostics);
        foreach (IFieldSymbol field in SymbolReader.StateFields(type, includePreviousSpike: true))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongField, field.Locations.FirstOrDefault(), field.HasAttribute(KnownNames.StateAttribute) ? "State" : "PreviousSpike", field.Name,
                "[PresynapticState], [PostsynapticState] or [SynapticState] in a learning rule"));
        List<IFieldSymbol> parameters = NeuronParser.CheckFields(SymbolReader.ParamFields(type), "Param", isStatic: false, diagnostics);
        foreach (IFieldSymbol parameter in parameters.ToList())
        {
            ParamInfo info = SymbolReader.ParamInfoOf(parameter);
            if (!info.PerNeuron && !info.Trainable) continue;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongField, parameter.Locations.FirstOrDefault(), "Param", parameter.Name,
                "a shared, fixed value in a learning rule (PerNeuron and Trainable do not apply: the rule's parameters are set once per connection)"));
        }

        // float Update(…) is required; void Presynaptic(…) and void Postsynaptic(…) are optional.
        var methods = new Dictionary<RuleMethodKind, (MethodDeclarationSyntax Syntax, List<(IParameterSymbol Parameter, RuleInput Input)> Inputs)>();
        foreach (RuleMethodKind kind in new[] { RuleMethodKind.Presynaptic, RuleMethodKind.Postsynaptic, RuleMethodKind.Update })
        {
            IMethodSymbol? method = type.GetMembers(kind.ToString()).OfType<IMethodSymbol>().FirstOrDefault();
            MethodDeclarationSyntax? syntax = method is null ? null : NeuronParser.Declaration(method);
            if (method is null || syntax is null)
            {
                if (kind == RuleMethodKind.Update) diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingUpdate, location, type.Name));
                continue;
            }
            bool update = kind == RuleMethodKind.Update;
            if (method.IsStatic || (update ? method.ReturnType.SpecialType != SpecialType.System_Single : !method.ReturnsVoid) ||
                method.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Single || p.RefKind != RefKind.None))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, method.Locations.FirstOrDefault(), kind.ToString(),
                    $"'public {(update ? "float" : "void")} {kind}(…)' whose parameters are floats, each marked with what it reads"));
                continue;
            }
            var inputs = new List<(IParameterSymbol, RuleInput)>();
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (Role(parameter, kind, diagnostics) is { } input) inputs.Add((parameter, input));
            }
            methods[kind] = (syntax, inputs);
        }
        if (diagnostics.Count > 0) return ParseResult<LearningRuleModel>.Failed(diagnostics, shell);

        // Each method sees the states that exist where it runs.
        string[] preNames = [.. pre.Select(f => f.Name)], postNames = [.. post.Select(f => f.Name)], synapticNames = [.. synaptic.Select(f => f.Name)];
        RuleMethod? Translate(RuleMethodKind kind)
        {
            if (!methods.TryGetValue(kind, out var method)) return null;
            var visible = new List<string>();
            var readOnly = new Dictionary<string, string>();
            var hidden = new Dictionary<string, string>();
            void Add(IEnumerable<string> names, string what, bool visibleHere, bool writable, string owner)
            {
                foreach (string name in names)
                {
                    if (!visibleHere) hidden[name] = $"it is {what}, and {kind} runs once per {RunsPer(kind)}; read it in {owner}";
                    else
                    {
                        visible.Add(name);
                        if (!writable) readOnly[name] = $"it is {what}, shared by many synapses; only {owner} updates it";
                    }
                }
            }
            Add(preNames, "a presynaptic state, one per presynaptic neuron", kind != RuleMethodKind.Postsynaptic, kind == RuleMethodKind.Presynaptic, kind == RuleMethodKind.Update ? "Presynaptic" : "Presynaptic or Update");
            Add(postNames, "a postsynaptic state, one per postsynaptic neuron", kind != RuleMethodKind.Presynaptic, kind == RuleMethodKind.Postsynaptic, kind == RuleMethodKind.Update ? "Postsynaptic" : "Postsynaptic or Update");
            Add(synapticNames, "a synaptic state, one per synapse", kind == RuleMethodKind.Update, true, "Update");
            var translator = new DynamicsTranslator(NeuronParser.SemanticsFor(method.Syntax, semantics), type,
                method.Inputs.Select(i => (i.Parameter, (Expr)new InputRef(i.Input.Name))), visible, readOnly, parameters.Select(p => p.Name), diagnostics, cancellation, hidden);
            var inputs = method.Inputs.Select(i => i.Input).ToEquatableArray();
            if (kind != RuleMethodKind.Update)
                return translator.TranslateStatements(method.Syntax) is { } body ? new RuleMethod(kind, inputs, body, null) : null;
            return translator.TranslateStatementsAndResult(method.Syntax) is { } update ? new RuleMethod(kind, inputs, update.Statements, update.Result) : null;
        }
        RuleMethod? presynaptic = Translate(RuleMethodKind.Presynaptic), postsynaptic = Translate(RuleMethodKind.Postsynaptic), updateMethod = Translate(RuleMethodKind.Update);
        if (diagnostics.Count > 0 || updateMethod is null) return ParseResult<LearningRuleModel>.Failed(diagnostics, shell);

        EquatableArray<string> members = SymbolReader.MemberNames(type);
        var scope = new NameScope(members);
        var model = new LearningRuleModel(
            SymbolReader.DeclaredTypeOf(type),
            type.Attribute(KnownNames.LearningRuleAttribute)!.NamedArgument("Offline", false),
            preNames.ToEquatableArray(), postNames.ToEquatableArray(), synapticNames.ToEquatableArray(),
            parameters.Select(SymbolReader.ParamInfoOf).ToEquatableArray(),
            presynaptic, postsynaptic, updateMethod,
            EquatableArray<LocalityRead>.Empty,
            new RuleKernelNames(scope["Descriptor", "Descriptor"], scope["PresynapticStep", "PresynapticStep"], scope["PostsynapticStep", "PostsynapticStep"], scope["UpdateStep", "UpdateStep"]),
            members);
        return new ParseResult<LearningRuleModel>(model with { Reads = RuleLocality.Of(model) }, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static string RunsPer(RuleMethodKind kind) => kind switch
    {
        RuleMethodKind.Presynaptic => "presynaptic neuron",
        RuleMethodKind.Postsynaptic => "postsynaptic neuron",
        _ => "synapse",
    };

    /// <summary>Fields with one state attribute (instance, mutable float); a field with another state attribute too is reported.</summary>
    private static List<IFieldSymbol> States(INamedTypeSymbol type, string attribute, string spelling, List<DiagnosticInfo> diagnostics)
    {
        string[] others = [KnownNames.PresynapticStateAttribute, KnownNames.PostsynapticStateAttribute, KnownNames.SynapticStateAttribute];
        var fields = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasAttribute(attribute)).ToList();
        foreach (IFieldSymbol both in fields.Where(f => others.Count(f.HasAttribute) > 1 && others.First(f.HasAttribute) == attribute))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongField, both.Locations.FirstOrDefault(), spelling, both.Name,
                "marked with one of [PresynapticState], [PostsynapticState] and [SynapticState]"));
        return NeuronParser.CheckFields(fields, spelling, isStatic: false, diagnostics);
    }

    /// <summary>The one role attribute of a method parameter, checked against what the method can read.</summary>
    private static RuleInput? Role(IParameterSymbol parameter, RuleMethodKind method, List<DiagnosticInfo> diagnostics)
    {
        var roles = Roles.Where(r => parameter.HasAttribute(r.Attribute)).ToList();
        string[] allowed = [.. Roles.Where(r => Allowed[method].Contains(r.Kind)).Select(r => r.Spelling)];
        string? problem = null;
        if (roles.Count == 0) problem = $"it says nothing about what it reads; mark it with one of {string.Join(", ", allowed)}";
        else if (roles.Count > 1) problem = $"it has {roles.Count} roles ({string.Join(", ", roles.Select(r => r.Spelling))}); keep one";
        else if (!Allowed[method].Contains(roles[0].Kind))
            problem = $"{roles[0].Spelling} exists {Per(roles[0].Kind)}, and {method} runs once per {RunsPer(method)}; it can read {string.Join(", ", allowed)}";
        string? state = null;
        if (problem is null && roles[0].Kind is RuleInputKind.PresynapticState or RuleInputKind.PostsynapticState)
        {
            state = parameter.Attribute(roles[0].Attribute)!.ConstructorArguments.FirstOrDefault().Value as string;
            if (string.IsNullOrEmpty(state)) problem = "name the neuron state it reads, e.g. \"U\"";
        }
        if (problem is null) return new RuleInput(parameter.Name, roles[0].Kind, state);
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RuleInputWithoutRole, parameter.Locations.FirstOrDefault(), parameter.Name, method.ToString(), problem));
        return null;
    }

    private static string Per(RuleInputKind kind) => kind switch
    {
        RuleInputKind.PreSpike or RuleInputKind.PresynapticState => "per presynaptic neuron",
        RuleInputKind.Weight => "per synapse",
        RuleInputKind.Modulator => "once per step",
        _ => "per postsynaptic neuron",
    };
}
