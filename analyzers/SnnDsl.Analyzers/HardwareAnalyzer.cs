using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SnnDsl.Analyzers.Analysis;
using SnnDsl.Diagnostics;
using SnnDsl.FixedPoint;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Parsing;

namespace SnnDsl.Analyzers;

/// <summary>
/// Hardware (SNN0601–SNN0608): a network, neuron, synapse or learning rule marked <c>[Hardware(Chip.…)]</c> that the chip
/// cannot run as written, checked against the chip's target profile (the runtime's profile files, compiled into this
/// assembly): operations its step (or its learning engine) lacks, decays and other values its formats cannot represent,
/// neuron shapes it does not have, sizes, fan-in and synapse memory beyond its limits, connections its architecture has
/// no place for, delays out of its range, learning rules that need state memory it does not keep. A network also checks
/// the neurons and synapses it uses, at the population or connection that uses them, unless they are marked for the
/// same chip themselves (then they report on their own declaration).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HardwareAnalyzer : DiagnosticAnalyzer
{
    /// <summary>
    /// The .editorconfig key of the largest relative error of a decay that SNN0602 lets pass (default
    /// <see cref="DefaultDecayTolerance"/>); 0 reports every decay the chip does not hold exactly.
    /// </summary>
    public const string DecayToleranceOption = "snndsl.hardware_decay_tolerance";

    /// <summary>1 %: Loihi's 12-bit decays pass for any decay above about 0.0125 (half a step of 1/4096 is 1 % of it), Xylo's bit-shift decays only near 1 − 2^−dash.</summary>
    public const double DefaultDecayTolerance = 0.01;

    /// <summary>The property of an SNN0602 diagnostic holding the nearest representable decay as a C# float literal.</summary>
    public const string NearestDecayProperty = "NearestDecay";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.UnsupportedStepOperation, DiagnosticDescriptors.UnrepresentableDecay, DiagnosticDescriptors.UnsupportedNeuronShape,
        DiagnosticDescriptors.DeviceLimitExceeded, DiagnosticDescriptors.DelayOutOfRange, DiagnosticDescriptors.LearningStateMemory,
        DiagnosticDescriptors.UnsupportedTopology, DiagnosticDescriptors.UnrepresentableValue,
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
        if (HardwareTarget.Of(declared.Type) is not { } target) return;
        if (declared.Neuron is { } neuron)
            CheckNeuron(new Site(declared, target, declared.Type), neuron);
        else if (declared.Synapse is { } synapse)
            CheckSynapse(new Site(declared, target, declared.Type), synapse);
        else if (declared.LearningRule is { Offline: false } rule)
            CheckRule(declared, target, rule);
        else if (declared.Network is { } network)
            CheckNetwork(declared, target, network);
    }

    /// <summary>
    /// Where a model's findings go: on its own declaration (<see cref="Model"/> is the type, in source), or on the network
    /// member that uses it — the population or connection <see cref="MemberName"/> — named in the message by
    /// <see cref="Context"/>; there <see cref="Model"/>, when known, only names the model's methods.
    /// </summary>
    private sealed record Site(DeclaredModel Declared, HardwareTarget Target, INamedTypeSymbol? Model, string? MemberKind = null, string? MemberName = null, Location? Member = null)
    {
        public bool OnDeclaration => MemberName is null;

        public string Context => OnDeclaration ? "" : $" ({MemberKind} '{MemberName}')";

        public void Report(DiagnosticDescriptor descriptor, Location? own, params object[] arguments) =>
            Declared.Report(descriptor, OnDeclaration ? own : Member, arguments);

        public void Report(DiagnosticDescriptor descriptor, Location? own, ImmutableDictionary<string, string?> properties, params object[] arguments) =>
            Declared.Report(descriptor, OnDeclaration ? own : Member, properties, arguments);

        public Location? Field(string name) => Model?.GetMembers(name).OfType<IFieldSymbol>().FirstOrDefault()?.Locations.FirstOrDefault();

        public Location? Method(string name) => Model?.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault()?.Locations.FirstOrDefault();
    }

    // ---- Neurons and synapses ----

    private static void CheckNeuron(Site site, NeuronModel neuron)
    {
        string kind = site.OnDeclaration ? "" : "neuron ";
        string Subject(string method) => $"'{method}' of {kind}'{neuron.Type.Name}'{site.Context}";
        string fires = site.Model is null ? "Fires" : SymbolReader.SpikeMethods(site.Model).FirstOrDefault()?.Name ?? "Fires";
        CheckOperations(site, StepAnalysis.Operations(neuron), m => Subject(m switch { DynamicsMethod.Fires => fires, _ => m.ToString() }));

        NeuronShape shape = StepAnalysis.Shape(neuron);
        CheckDecays(site, neuron.Parameters, StepAnalysis.Decays(neuron.Integrate), $"{kind}'{neuron.Type.Name}'", state => state == shape.Membrane);
        CheckPrecision(site, neuron.Parameters, StepAnalysis.Values(neuron), StepAnalysis.Threshold(neuron), $"{kind}'{neuron.Type.Name}'");
        if (!site.Target.HasCompartmentShape) return;
        string neuronSubject = site.OnDeclaration ? $"Neuron '{neuron.Type.Name}'" : $"Population '{site.MemberName}' (neuron '{neuron.Type.Name}')";
        foreach (ShapeIssue issue in shape.Issues)
        {
            Location? own = issue.Kind switch
            {
                ShapeIssueKind.AdaptiveThreshold => site.Method(fires),
                ShapeIssueKind.ResetOfCurrent => site.Method("Reset"),
                _ => site.Field(issue.State),
            };
            site.Report(DiagnosticDescriptors.UnsupportedNeuronShape, own, neuronSubject, issue.Text, site.Target.Instead(issue.Kind));
        }
        if (site.Target.SynapticCurrents(neuron.IsSpiking) is ({ } limit, { } words) && shape.Currents.Count > limit)
            site.Report(DiagnosticDescriptors.UnsupportedNeuronShape, site.Field(shape.Currents[limit]), neuronSubject,
                $"it keeps {shape.Currents.Count} synaptic currents besides the membrane '{shape.Membrane}' ({Names(shape.Currents)})", words);
    }

    private static void CheckSynapse(Site site, SynapseModel synapse)
    {
        string kind = site.OnDeclaration ? "" : "synapse ";
        CheckOperations(site, StepAnalysis.Operations(synapse), _ => $"'Deliver' of {kind}'{synapse.Type.Name}'{site.Context}");
        CheckDecays(site, synapse.Parameters, StepAnalysis.Decays(synapse.Deliver), $"{kind}'{synapse.Type.Name}'", _ => false);
        CheckPrecision(site, synapse.Parameters, StepAnalysis.Values(synapse), null, $"{kind}'{synapse.Type.Name}'");
        if (!site.Target.HasCompartmentShape) return;
        string subject = site.OnDeclaration ? $"Synapse '{synapse.Type.Name}'" : $"Synapse '{synapse.Type.Name}'{site.Context}";
        foreach ((string state, string driver) in StepAnalysis.CoupledStates(synapse))
            site.Report(DiagnosticDescriptors.UnsupportedNeuronShape, site.Field(state), subject,
                $"its state '{state}' is driven by state '{driver}'", site.Target.Instead(ShapeIssueKind.CoupledCurrent));
    }

    /// <summary>
    /// SNN0601: the operations on per-step values the chip's step does not perform, each at its syntax. A learning rule
    /// passes its engine instead: what it executes, its name and its arithmetic.
    /// </summary>
    private static void CheckOperations(Site site, IEnumerable<StepOperation> operations, Func<DynamicsMethod, string> subject,
        (StepOperations Operations, string Engine, string Arithmetic)? engine = null)
    {
        (StepOperations executes, string name, string arithmetic) = engine ?? (site.Target.Profile.Operations, site.Target.Name, site.Target.StepArithmetic);
        var unsupported = operations.Where(o => (executes & o.Needs) != o.Needs).ToList();
        if (unsupported.Count == 0) return;
        if (!site.OnDeclaration)
        {
            // On a network member, once per distinct operation.
            foreach (StepOperation operation in unsupported.GroupBy(o => (o.Method, o.What, Reads(o.Reads))).Select(g => g.First()))
                site.Report(DiagnosticDescriptors.UnsupportedStepOperation, null, subject(operation.Method), operation.What, Reads(operation.Reads), name, arithmetic);
            return;
        }
        var candidates = OperationSyntax(site.Declared, site.Model!).GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => new Queue<SyntaxNode>(g.Select(c => c.Node)));
        var located = new HashSet<string>();
        foreach (StepOperation operation in unsupported)
        {
            string key = Kind(operation);
            Location? location;
            if (candidates.TryGetValue(key, out Queue<SyntaxNode>? nodes) && nodes.Count > 0) location = nodes.Dequeue().GetLocation();
            else if (!candidates.ContainsKey(key) && located.Add(key)) location = site.Method(MethodName(site, operation.Method));
            else continue;   // a helper inlined twice: its operation is reported once, where it is written
            site.Report(DiagnosticDescriptors.UnsupportedStepOperation, location, subject(operation.Method), operation.What, Reads(operation.Reads), name, arithmetic);
        }
    }

    /// <summary>SNN0602: decays (parameter defaults or constants) the chip cannot represent within the tolerance.</summary>
    private static void CheckDecays(Site site, Generators.Helpers.EquatableArray<ParamInfo> parameters, IEnumerable<DecayUse> decays, string owner, Func<string, bool> isMembrane)
    {
        double tolerance = Tolerance(site.Declared);
        foreach (DecayUse decay in decays)
        {
            float value = decay.Parameter is { } name ? parameters.FirstOrDefault(p => p.Name == name)?.DefaultValue ?? float.NaN : decay.Constant!.Value;
            if (!(value > 0f && value <= 1f)) continue;   // outside (0, 1]: SNN0302's concern
            if (site.Target.NearestDecay(value, isMembrane(decay.State)) is not { } snapped) continue;
            double error = Math.Abs(snapped.Value - value) / value;
            if (error <= tolerance) continue;
            string literal = ((float)snapped.Value).ToString("R", CultureInfo.InvariantCulture) + "f";
            ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty.Add(NearestDecayProperty, literal);
            string subject = decay.Parameter is { } parameter
                ? $"Parameter '{parameter}'{(site.OnDeclaration ? "" : $" of {owner}{site.Context}")}"
                : $"The constant {value.ToString("R", CultureInfo.InvariantCulture)}{(site.OnDeclaration ? "" : $" in {owner}{site.Context}")}";
            Location? own = !site.OnDeclaration ? null : decay.Parameter is { } field ? site.Field(field) : ConstantDecaySyntax(site, decay) ?? site.Field(decay.State);
            site.Report(DiagnosticDescriptors.UnrepresentableDecay, own, properties, subject, decay.State, value.ToString("R", CultureInfo.InvariantCulture),
                site.Target.Name, snapped.Format, snapped.Value.ToString("G6", CultureInfo.InvariantCulture), snapped.Encoding, Percent(error));
        }
    }

    /// <summary>
    /// SNN0608: values fixed before the run — parameter defaults and constants of the step, decays aside — that the chip
    /// cannot hold: on SpiNNaker one whose nearest s16.15 value is beyond the tolerance (saturated, or rounded away); on
    /// Loihi and Xylo a spike threshold that is not positive. Trained values (weights, and thresholds and biases at the
    /// weights' scale) are the quantizer's to check at run time.
    /// </summary>
    private static void CheckPrecision(Site site, Generators.Helpers.EquatableArray<ParamInfo> parameters, IEnumerable<ValueUse> values, ValueUse? threshold, string owner)
    {
        float ValueOf(ValueUse use) => use.Parameter is { } name ? parameters.FirstOrDefault(p => p.Name == name)?.DefaultValue ?? float.NaN : use.Constant!.Value;
        string Subject(ValueUse use, bool isThreshold) => use.Parameter is { } parameter
            ? $"{(isThreshold ? "The threshold" : "Parameter")} '{parameter}'{(site.OnDeclaration ? "" : $" of {owner}{site.Context}")}"
            : $"{(isThreshold ? "The threshold" : "A constant")} of {owner}{site.Context}";
        // A constant a helper writes (the IR inlines it) is reported at the type.
        Location? Own(ValueUse use) => !site.OnDeclaration ? null
            : use.Parameter is { } field ? site.Field(field)
            : ConstantSyntax(site, use.Constant!.Value) ?? site.Model?.Locations.FirstOrDefault();

        if (threshold is not null && site.Target.PositiveThreshold is ({ } range, { } smallest) && ValueOf(threshold) is var theta && theta <= 0f)
            site.Report(DiagnosticDescriptors.UnrepresentableValue, Own(threshold), Subject(threshold, true), Text(theta), site.Target.Name, range, smallest);
        double tolerance = Tolerance(site.Declared);
        foreach (ValueUse use in values)
        {
            float value = ValueOf(use);
            if (value == 0f || float.IsNaN(value) || site.Target.NearestValue(value) is not { } snapped) continue;
            double error = Math.Abs(snapped.Value - value) / Math.Abs(value);
            if (error <= tolerance) continue;
            site.Report(DiagnosticDescriptors.UnrepresentableValue, Own(use), Subject(use, false), Text(value), site.Target.Name, snapped.Format,
                $"{snapped.Value.ToString("R", CultureInfo.InvariantCulture)}, a relative error of {Percent(error)}");
        }
    }

    // ---- Learning rules ----

    /// <summary>
    /// SNN0601 for the operations of the rule's methods the chip's learning engine does not compute; SNN0603 for traces
    /// that read more than the engine's; SNN0606: states per synapse, per presynaptic and per postsynaptic neuron beyond
    /// what it keeps.
    /// </summary>
    private static void CheckRule(DeclaredModel declared, HardwareTarget target, LearningRuleModel rule)
    {
        if (target.LearningEngine is { } engine)
            CheckOperations(new Site(declared, target, declared.Type), StepAnalysis.Operations(rule), m => $"'{m}' of learning rule '{rule.Type.Name}'", engine);
        // SNN0603 for a trace that reads more than its own spike, where the engine's traces read nothing else.
        if (target.TraceDynamics is { } traces)
            foreach (RuleMethod method in rule.Methods.Where(m => m.Kind != RuleMethodKind.Update))
                foreach ((string trace, IReadOnlyList<string> reads) in StepAnalysis.TraceReads(method))
                    declared.Report(DiagnosticDescriptors.UnsupportedNeuronShape, declared.Type.GetMembers(trace).OfType<IFieldSymbol>().FirstOrDefault()?.Locations.FirstOrDefault(),
                        $"Learning rule '{rule.Type.Name}'", $"its {(method.Kind == RuleMethodKind.Presynaptic ? "presynaptic" : "postsynaptic")} trace '{trace}' reads {Reads(reads)}", traces);
        if (target.Learning is not { } learning) return;
        void Check(Generators.Helpers.EquatableArray<string> states, LearningCapacity capacity, string noun, string unit)
        {
            if (states.Count <= capacity.Kept) return;
            int bytes = (states.Count * capacity.Bits + 7) / 8;
            Location? location = declared.Type.GetMembers(states[capacity.Kept]).OfType<IFieldSymbol>().FirstOrDefault()?.Locations.FirstOrDefault();
            declared.Report(DiagnosticDescriptors.LearningStateMemory, location, rule.Type.Name,
                $"{states.Count} {noun}{(states.Count == 1 ? "" : "s")} per {unit}", Names(states), bytes, unit, capacity.Bits, capacity.What);
        }
        Check(rule.SynapticStates, learning.Synapse, "state", "synapse");
        Check(rule.PresynapticStates, learning.Presynaptic, "trace", "presynaptic neuron");
        Check(rule.PostsynapticStates, learning.Postsynaptic, "trace", "postsynaptic neuron");
    }

    // ---- Networks ----

    private static void CheckNetwork(DeclaredModel declared, HardwareTarget target, NetworkModel network)
    {
        IPropertySymbol? Property(string name) => declared.Type.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault();
        Location? At(string name) => Property(name)?.Locations.FirstOrDefault();

        // The neurons and synapses the network uses, at the members that use them.
        foreach (LayerModel population in network.Layers.Where(l => l.Neuron is not null))
        {
            INamedTypeSymbol? type = (Property(population.Name)?.Type as INamedTypeSymbol)?.TypeArguments.FirstOrDefault() as INamedTypeSymbol;
            if (type is null || HardwareTarget.Of(type)?.Chip != target.Chip)
                CheckNeuron(new Site(declared, target, type, "population", population.Name, At(population.Name)), population.Neuron!);
            if (target.HasCompartmentShape) CheckComposition(declared, target, network, population, At);
        }
        if (target.HasCompartmentShape)
            foreach (BiasModel bias in network.Biases)
                CheckBias(declared, target, network, bias, At);
        foreach (ConnectionModel connection in network.Connections.Where(c => c.Synapse is not null))
        {
            var type = Property(connection.Name)?.GetAttributes().Select(a => a.NamedArgument<ITypeSymbol>("Synapse")).FirstOrDefault(t => t is not null) as INamedTypeSymbol;
            if (type is null || HardwareTarget.Of(type)?.Chip != target.Chip)
                CheckSynapse(new Site(declared, target, type, "connection", connection.Name, At(connection.Name)), connection.Synapse!);
        }

        // SNN0605: delays beyond the chip's, never below the delay the declaration order needs.
        if (target.MaxDelaySteps is { } maxDelay)
        {
            foreach (ConnectionModel connection in network.Connections)
            {
                List<string> order = [.. network.Layers.Select(l => l.Name)];
                int from = order.IndexOf(connection.From), to = order.IndexOf(connection.To);
                int minimum = network.Layers[from].IsInput || from < to ? 0 : 1;
                int delay = Math.Max(connection.Delay, connection.MaxDelay);
                if (delay > Math.Max(maxDelay, minimum))
                    declared.Report(DiagnosticDescriptors.DelayOutOfRange, At(connection.Name), connection.Name, delay, target.DelayRange);
            }
        }

        // SNN0607: connections the chip's architecture has no place for.
        foreach (TopologyIssue issue in target.Topology(network))
            declared.Report(DiagnosticDescriptors.UnsupportedTopology, issue.Member is null ? target.Location : At(issue.Member), issue.Subject, issue.What, issue.Instead);

        // SNN0604: sizes, fan-in and fan-out, synapse memory.
        foreach (LimitExcess excess in target.Limits(network))
        {
            string subject = excess.Member is null ? $"Network '{network.Type.Name}'"
                : network.Layers.First(l => l.Name == excess.Member).IsInput ? $"Input '{excess.Member}'" : $"Population '{excess.Member}'";
            declared.Report(DiagnosticDescriptors.DeviceLimitExceeded, excess.Member is null ? target.Location : At(excess.Member), subject, excess.Needs, target.Name, excess.Limit);
        }
    }

    /// <summary>
    /// SNN0603 for a population with its incoming synapses: the currents its connections' synapses add (beyond the
    /// chip's count), and a synapse whose output feeds a current of the neuron (a chain of two filters).
    /// </summary>
    private static void CheckComposition(DeclaredModel declared, HardwareTarget target, NetworkModel network, LayerModel population, Func<string, Location?> at)
    {
        NeuronModel neuron = population.Neuron!;
        NeuronShape shape = StepAnalysis.Shape(neuron);
        var filtered = network.Connections.Where(c => c.To == population.Name && c.Synapse is { States.Count: > 0 }).ToList();
        if (filtered.Count == 0) return;
        string subject = $"Population '{population.Name}' (neuron '{neuron.Type.Name}')";
        if (target.SynapticCurrents(neuron.IsSpiking) is ({ } limit, { } words) && shape.Currents.Count <= limit
            && shape.Currents.Count + filtered.Sum(c => c.Synapse!.States.Count) is var total && total > limit)
        {
            IEnumerable<string> currents = shape.Currents.Select(c => $"'{c}'")
                .Concat(filtered.SelectMany(c => c.Synapse!.States.Select(s => $"'{s}' of synapse '{c.Synapse!.Type.Name}' on '{c.Name}'")));
            declared.Report(DiagnosticDescriptors.UnsupportedNeuronShape, at(population.Name), subject,
                $"with the synapses of its connections it keeps {total} synaptic currents besides the membrane '{shape.Membrane}' ({string.Join(", ", currents)})", words);
        }
        foreach (ConnectionModel connection in filtered)
        {
            string[] fed = [.. (shape.PortTargets.TryGetValue(connection.Port, out IReadOnlyList<string>? targets) ? targets : []).Where(shape.Currents.Contains)];
            if (fed.Length == 0) continue;
            declared.Report(DiagnosticDescriptors.UnsupportedNeuronShape, at(connection.Name), $"Connection '{connection.Name}'",
                $"it filters its spikes through synapse '{connection.Synapse!.Type.Name}' into current {Names(fed)} of neuron '{neuron.Type.Name}', a chain of two filters",
                target.Instead(ShapeIssueKind.CoupledCurrent));
        }
    }

    /// <summary>SNN0603 for a bias the population's neuron cannot take on the chip: none at all, or one into a current.</summary>
    private static void CheckBias(DeclaredModel declared, HardwareTarget target, NetworkModel network, BiasModel bias, Func<string, Location?> at)
    {
        if (network.Layers.FirstOrDefault(l => l.Name == bias.To)?.Neuron is not { } neuron) return;
        (bool none, string words) = target.Bias;
        NeuronShape shape = StepAnalysis.Shape(neuron);
        if (none)
            declared.Report(DiagnosticDescriptors.UnsupportedNeuronShape, at(bias.Name), $"Bias '{bias.Name}'", $"it adds a bias to population '{bias.To}'", words);
        else if (shape.PortTargets.TryGetValue(bias.Port, out IReadOnlyList<string>? targets) && targets.Count > 0 && !targets.Contains(shape.Membrane))
            declared.Report(DiagnosticDescriptors.UnsupportedNeuronShape, at(bias.Name), $"Bias '{bias.Name}'",
                $"it adds to current {Names(targets)} of neuron '{neuron.Type.Name}' (population '{bias.To}'), which decays", words);
    }

    // ---- Where the operations are written ----

    /// <summary>The kind of syntax an operation is written with: "MathF.Exp", "/" or "*".</summary>
    private static string Kind(StepOperation operation) =>
        operation.Function is { } function ? "MathF." + function : operation.Needs == StepOperations.Divide ? "/" : "*";

    private static string MethodName(Site site, DynamicsMethod method) =>
        method == DynamicsMethod.Fires && site.Model is not null ? SymbolReader.SpikeMethods(site.Model).FirstOrDefault()?.Name ?? "Fires" : method.ToString();

    /// <summary>
    /// The calls, divisions and products in the type's dynamics methods and the helpers they call whose operands may
    /// change every step (they name a state, a method parameter or a local), in the order the IR walks them: Integrate,
    /// the firing condition, Reset (or Deliver; or a rule's Presynaptic, Postsynaptic and Update), then the helpers as they
    /// are first called. Only what the dynamics reach is searched, so the generated kernels of the same partial type
    /// never are.
    /// </summary>
    private static IEnumerable<(string Kind, SyntaxNode Node)> OperationSyntax(DeclaredModel declared, INamedTypeSymbol type)
    {
        IMethodSymbol? spike = SymbolReader.SpikeMethods(type).FirstOrDefault();
        List<IMethodSymbol> methods = [.. new[] { "Integrate", spike?.Name, "Reset", "Deliver", "Presynaptic", "Postsynaptic", "Update" }.Where(n => n is not null)
            .SelectMany(n => type.GetMembers(n!).OfType<IMethodSymbol>())];
        for (int k = 0; k < methods.Count; k++)
        {
            foreach (SyntaxReference reference in methods[k].DeclaringSyntaxReferences)
            {
                SyntaxNode body = reference.GetSyntax();
                SemanticModel semantics = declared.SemanticsOf(body);
                foreach (InvocationExpressionSyntax call in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (semantics.GetSymbolInfo(call).Symbol is IMethodSymbol { IsStatic: true, MethodKind: MethodKind.Ordinary } helper
                        && SymbolEqualityComparer.Default.Equals(helper.ContainingType, type) && !methods.Contains(helper.OriginalDefinition, SymbolEqualityComparer.Default))
                        methods.Add(helper.OriginalDefinition);
                }
            }
        }
        foreach (IMethodSymbol method in methods)
        {
            foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
            {
                SyntaxNode body = reference.GetSyntax();
                SemanticModel semantics = declared.SemanticsOf(body);
                bool PerStep(ExpressionSyntax expression) => expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(name => semantics.GetSymbolInfo(name).Symbol switch
                {
                    ILocalSymbol or IParameterSymbol => true,
                    IFieldSymbol field => SymbolEqualityComparer.Default.Equals(field.ContainingType, type) && !field.HasAttribute(KnownNames.PreviousSpikeAttribute)
                                          && new[] { KnownNames.StateAttribute, KnownNames.PresynapticStateAttribute, KnownNames.PostsynapticStateAttribute, KnownNames.SynapticStateAttribute }.Any(field.HasAttribute),
                    _ => false,
                });
                foreach (SyntaxNode node in body.DescendantNodes())
                {
                    switch (node)
                    {
                        case InvocationExpressionSyntax call when semantics.GetSymbolInfo(call).Symbol is IMethodSymbol { ContainingType: { Name: "MathF", ContainingNamespace.Name: "System" } } math
                                                                  && call.ArgumentList.Arguments.Any(a => PerStep(a.Expression)):
                            yield return ("MathF." + math.Name, node);
                            break;
                        case BinaryExpressionSyntax divide when divide.IsKind(SyntaxKind.DivideExpression) && PerStep(divide.Right):
                        case AssignmentExpressionSyntax divideBy when divideBy.IsKind(SyntaxKind.DivideAssignmentExpression) && PerStep(divideBy.Right):
                            yield return ("/", node);
                            break;
                        case BinaryExpressionSyntax multiply when multiply.IsKind(SyntaxKind.MultiplyExpression) && PerStep(multiply.Left) && PerStep(multiply.Right):
                        case AssignmentExpressionSyntax multiplyBy when multiplyBy.IsKind(SyntaxKind.MultiplyAssignmentExpression) && PerStep(multiplyBy.Right):
                            yield return ("*", node);
                            break;
                    }
                }
            }
        }
    }

    /// <summary>The literal of a constant decay c·S in the update of S, if it is written as one.</summary>
    private static Location? ConstantDecaySyntax(Site site, DecayUse decay)
    {
        if (site.Model is null) return null;
        foreach (SyntaxReference reference in new[] { "Integrate", "Deliver" }.SelectMany(n => site.Model.GetMembers(n).OfType<IMethodSymbol>()).SelectMany(m => m.DeclaringSyntaxReferences))
        {
            SyntaxNode body = reference.GetSyntax();
            SemanticModel semantics = site.Declared.SemanticsOf(body);
            foreach (BinaryExpressionSyntax product in body.DescendantNodes().OfType<BinaryExpressionSyntax>().Where(b => b.IsKind(SyntaxKind.MultiplyExpression)))
            {
                foreach ((ExpressionSyntax factor, ExpressionSyntax other) in new[] { (product.Left, product.Right), (product.Right, product.Left) })
                {
                    if (other is IdentifierNameSyntax { Identifier.ValueText: var state } && state == decay.State
                        && factor is LiteralExpressionSyntax && semantics.GetConstantValue(factor).Value is float value && value == decay.Constant)
                        return factor.GetLocation();
                }
            }
        }
        return null;
    }

    /// <summary>The first literal (or negated literal) of the value in the type's dynamics methods, if it is written as one.</summary>
    private static Location? ConstantSyntax(Site site, float value)
    {
        if (site.Model is null) return null;
        string[] names = ["Integrate", MethodName(site, DynamicsMethod.Fires), "Reset", "Deliver"];
        foreach (SyntaxReference reference in names.SelectMany(n => site.Model.GetMembers(n).OfType<IMethodSymbol>()).SelectMany(m => m.DeclaringSyntaxReferences))
        {
            SyntaxNode body = reference.GetSyntax();
            SemanticModel semantics = site.Declared.SemanticsOf(body);
            foreach (ExpressionSyntax literal in body.DescendantNodes().OfType<ExpressionSyntax>().Where(e => e is LiteralExpressionSyntax
                         || e is PrefixUnaryExpressionSyntax { Operand: LiteralExpressionSyntax } && e.IsKind(SyntaxKind.UnaryMinusExpression)))
            {
                if (semantics.GetConstantValue(literal) is { HasValue: true, Value: { } constant and (float or double or int or long) }
                    && (float)Convert.ToDouble(constant, CultureInfo.InvariantCulture) == value)
                    return literal.GetLocation();
            }
        }
        return null;
    }

    // ---- Words ----

    private static double Tolerance(DeclaredModel declared) =>
        declared.ConfigOptions.TryGetValue(DecayToleranceOption, out string? text)
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double tolerance) && tolerance >= 0
            ? tolerance
            : DefaultDecayTolerance;

    private static string Reads(IReadOnlyList<string> reads) =>
        reads.Count == 0 ? "nothing" : reads.Count == 1 ? reads[0] : string.Join(", ", reads.Take(reads.Count - 1)) + " and " + reads.Last();

    private static string Text(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static string Percent(double fraction) => (100 * fraction).ToString("G3", CultureInfo.InvariantCulture) + "%";
}
