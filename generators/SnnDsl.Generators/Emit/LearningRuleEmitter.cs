using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits, for a [LearningRule] struct, its <c>Descriptor</c> (states, parameters, the IR of its methods, the locality
/// of what it reads, and adapters from a runtime <c>LearningRuleStep</c> to the kernels) and one kernel per method:
/// <c>PresynapticStep</c> over the presynaptic neurons, <c>PostsynapticStep</c> over the postsynaptic neurons and
/// <c>UpdateStep</c> over the synapses, one weight row (a presynaptic neuron j) after another and vectorized along the
/// row, where the weights, the synaptic states and Δw are contiguous. Vector512 → Vector256 → scalar tail, as the
/// neuron kernels.
/// </summary>
internal static class LearningRuleEmitter
{
    private static readonly SimdFlavor[] VectorFlavors = [SimdFlavor.Vector512, SimdFlavor.Vector256];

    /// <summary>What a quantity is indexed by in a kernel.</summary>
    private enum Axis { Presynaptic, Postsynaptic, Synapse, Scalar }

    /// <summary>A parameter of a generated kernel and the expression the descriptor's adapter passes for it.</summary>
    private sealed record KernelParameter(string Key, string Type, string Name, string Argument, Axis Axis, string Doc);

    public static string Emit(LearningRuleModel rule) => SourceFile.Write(rule.Type, writer =>
    {
        using (writer.Block($"partial struct {rule.Type.Identifier} : global::SnnDsl.ILearningRule"))
        {
            WriteDescriptor(writer, rule);
            foreach (RuleMethod method in rule.Methods)
            {
                writer.Line();
                WriteKernel(writer, rule, method);
            }
        }
    });

    // ---------------------------------------------------------------- descriptor

    private static void WriteDescriptor(IndentedWriter writer, LearningRuleModel rule)
    {
        string name = rule.Kernels.Descriptor;
        writer.Line($"/// <summary>The rule <see cref=\"{rule.Type.Identifier}\"/> as the generator parsed it: the IR of its methods (docs/ir.md) and the locality of what it reads (docs/learning-rules.md).</summary>");
        writer.Line($"public static global::SnnDsl.LearningRuleDescriptor {name} {{ get; }} = new(");
        using (writer.Indent())
        {
            writer.Line(SourceFile.Quote(rule.Type.Name) + ",");
            writer.Line((rule.Offline ? "true" : "false") + ",");
            foreach (EquatableArray<string> names in new[] { rule.PresynapticStates, rule.PostsynapticStates, rule.SynapticStates })
                writer.Line(SourceFile.List(names.Select(SourceFile.Quote)) + ",");
            writer.Line(SourceFile.List(rule.Parameters.Select(NeuronEmitter.ParamDescriptor)) + ",");
            writer.Line(SourceFile.List(rule.PresynapticReads.Select(SourceFile.Quote)) + ",");
            writer.Line(SourceFile.List(rule.PostsynapticReads.Select(SourceFile.Quote)) + ",");
            foreach (RuleMethod? method in new[] { rule.Presynaptic, rule.Postsynaptic, rule.Update })
                writer.Line(MethodDescriptor(method) + ",");
            writer.Line("[");
            using (writer.Indent())
            {
                foreach (LocalityRead read in rule.Reads)
                    writer.Line($"new global::SnnDsl.LocalityRead({SourceFile.Quote(read.Quantity)}, {SourceFile.Quote(read.Method.ToString())}, {SourceFile.Quote(read.Name)}, " +
                                $"global::SnnDsl.Locality.{read.Locality}, {SourceFile.Quote(read.Reason)}),");
            }
            writer.Line("],");
            writer.Line("new global::SnnDsl.LearningRuleKernels(");
            using (writer.Indent())
            {
                string Adapter(RuleMethod? method)
                {
                    if (method is null) return "null";
                    List<KernelParameter> parameters = Signature(rule, method, KernelScope(rule, method));
                    return $"static step => {KernelName(rule, method.Kind)}({string.Join(", ", parameters.Select(p => p.Argument))})";
                }
                writer.Line(Adapter(rule.Presynaptic) + ",");
                writer.Line(Adapter(rule.Postsynaptic) + ",");
                writer.Line(Adapter(rule.Update) + "));");
            }
        }
        if (name != "Descriptor")
            writer.Line($"static global::SnnDsl.LearningRuleDescriptor global::SnnDsl.ILearningRule.Descriptor => {name};");
    }

    private static string MethodDescriptor(RuleMethod? method)
    {
        if (method is null) return "null";
        var inputs = method.Inputs.Select(i =>
            $"new global::SnnDsl.RuleInputDescriptor({SourceFile.Quote(i.Name)}, global::SnnDsl.RuleInputKind.{i.Kind}{(i.State is null ? "" : ", " + SourceFile.Quote(i.State))})");
        string result = method.Result is null ? "null" : SourceFile.Quote(IrText.Print(method.Result));
        return $"new global::SnnDsl.RuleMethodDescriptor({SourceFile.List(inputs)}, {SourceFile.Quote(IrText.Print(method.Body))}, {result})";
    }

    private static string KernelName(LearningRuleModel rule, RuleMethodKind kind) => kind switch
    {
        RuleMethodKind.Presynaptic => rule.Kernels.Presynaptic,
        RuleMethodKind.Postsynaptic => rule.Kernels.Postsynaptic,
        _ => rule.Kernels.Update,
    };

    // ---------------------------------------------------------------- names and signature

    /// <summary>The kernel's parameters and plumbing first, then the user's names as locals, so the loop reads like the rule.</summary>
    private static NameScope KernelScope(LearningRuleModel rule, RuleMethod method)
    {
        var scope = new NameScope([rule.Type.Name, rule.Kernels.Descriptor, rule.Kernels.Presynaptic, rule.Kernels.Postsynaptic, rule.Kernels.Update]);
        _ = Signature(rule, method, scope);
        foreach (string state in States(rule, method).Select(s => s.Name)) scope.Claim("state:" + state, state);
        foreach (ParamInfo p in rule.Parameters) scope.Claim("param:" + p.Name, p.Name);
        foreach (RuleInput input in method.Inputs) scope.Claim("input:" + input.Name, input.Name);
        foreach (string index in new[] { "j", "i", "k" }) scope.Claim(index, index);
        return scope;
    }

    /// <summary>The states a method sees, with what they are indexed by and whether it may assign them.</summary>
    private static IEnumerable<(string Name, Axis Axis, bool Writable)> States(LearningRuleModel rule, RuleMethod method) => method.Kind switch
    {
        RuleMethodKind.Presynaptic => rule.PresynapticStates.Select(s => (s, Axis.Presynaptic, true)),
        RuleMethodKind.Postsynaptic => rule.PostsynapticStates.Select(s => (s, Axis.Postsynaptic, true)),
        _ => rule.PresynapticStates.Select(s => (s, Axis.Presynaptic, false))
            .Concat(rule.PostsynapticStates.Select(s => (s, Axis.Postsynaptic, false)))
            .Concat(rule.SynapticStates.Select(s => (s, Axis.Synapse, true))),
    };

    private static List<KernelParameter> Signature(LearningRuleModel rule, RuleMethod method, NameScope names)
    {
        var list = new List<KernelParameter>();
        void Add(string key, string type, string preferred, string argument, Axis axis, string doc) =>
            list.Add(new KernelParameter(key, type, names[key, preferred], argument, axis, doc));

        if (method.Kind != RuleMethodKind.Postsynaptic) Add("pre", "int", "preCount", "step.Pre", Axis.Scalar, "Presynaptic neurons.");
        if (method.Kind != RuleMethodKind.Presynaptic) Add("post", "int", "postCount", "step.Post", Axis.Scalar, "Postsynaptic neurons.");
        foreach ((string state, Axis axis, bool writable) in States(rule, method))
        {
            (string field, string what) = axis switch
            {
                Axis.Presynaptic => ("PresynapticStates", "presynaptic neuron"),
                Axis.Postsynaptic => ("PostsynapticStates", "postsynaptic neuron"),
                _ => ("SynapticStates", "synapse, row-major [pre, post]"),
            };
            int index = axis switch
            {
                Axis.Presynaptic => rule.PresynapticStates.IndexOf(state),
                Axis.Postsynaptic => rule.PostsynapticStates.IndexOf(state),
                _ => rule.SynapticStates.IndexOf(state),
            };
            string prefix = axis switch { Axis.Presynaptic => "presynaptic", Axis.Postsynaptic => "postsynaptic", _ => "synaptic" };
            Add("span:" + state, writable ? SimdFlavor.Span : SimdFlavor.ReadOnlySpan, prefix + StepKernel.Capitalized(state), $"step.{field}[{index}]", axis,
                $"State {state} of each {what}{(writable ? ", updated in place" : "")}.");
        }
        foreach (RuleInput input in method.Inputs)
        {
            (string preferred, string argument, Axis axis, string doc) = input.Kind switch
            {
                RuleInputKind.PreSpike => ("preSpikes", "step.PreSpikes", Axis.Presynaptic, "s_j(t − d) of each presynaptic neuron, 0 or 1"),
                RuleInputKind.PostSpike => ("postSpikes", "step.PostSpikes", Axis.Postsynaptic, "S_i(t) of each postsynaptic neuron, 0 or 1"),
                RuleInputKind.PresynapticState => ("presynapticNeuron" + StepKernel.Capitalized(input.State!), $"step.PresynapticReads[{rule.PresynapticReads.IndexOf(input.State!)}]",
                    Axis.Presynaptic, $"State {input.State} of each presynaptic neuron after its step"),
                RuleInputKind.PostsynapticState => ("postsynapticNeuron" + StepKernel.Capitalized(input.State!), $"step.PostsynapticReads[{rule.PostsynapticReads.IndexOf(input.State!)}]",
                    Axis.Postsynaptic, $"State {input.State} of each postsynaptic neuron after its step"),
                RuleInputKind.Weight => ("weights", "step.Weights", Axis.Synapse, "W_ij, row-major [pre, post]"),
                RuleInputKind.Modulator => ("modulator", "step.Modulator", Axis.Scalar, "The modulatory signal of the step"),
                RuleInputKind.Target => ("target", "step.Target", Axis.Postsynaptic, "The target delivered to each postsynaptic neuron"),
                _ => ("error", "step.Error", Axis.Postsynaptic, "The error signal of each postsynaptic neuron"),
            };
            Add("span-input:" + input.Name, axis == Axis.Scalar ? "float" : SimdFlavor.ReadOnlySpan, preferred, argument, axis, $"{doc} ('{input.Name}').");
        }
        for (int p = 0; p < rule.Parameters.Count; p++)
            Add("span-param:" + rule.Parameters[p].Name, "float", "param" + StepKernel.Capitalized(rule.Parameters[p].Name),
                $"step.Parameters[{p.ToString(CultureInfo.InvariantCulture)}]", Axis.Scalar, $"Parameter {rule.Parameters[p].Name}.");
        if (method.Kind == RuleMethodKind.Update)
            Add("weight-changes", SimdFlavor.Span, "weightChanges", "step.WeightChanges", Axis.Synapse, "Accumulates Δw_ij of the step, row-major [pre, post].");
        return list;
    }

    // ---------------------------------------------------------------- kernels

    private static void WriteKernel(IndentedWriter writer, LearningRuleModel rule, RuleMethod method)
    {
        NameScope names = KernelScope(rule, method);
        List<KernelParameter> parameters = Signature(rule, method, names);
        var scalar = new ExprEmitter(SimdFlavor.Scalar, names.Nested());
        string inputs = string.Join(", ", method.Inputs.Select(i => i.Name));
        bool update = method.Kind == RuleMethodKind.Update;

        writer.Line("/// <summary>");
        writer.Line(method.Kind switch
        {
            RuleMethodKind.Presynaptic => $"/// Runs <c>Presynaptic</c> of <see cref=\"{rule.Type.Identifier}\"/> for every presynaptic neuron j of a connection (docs/learning-rules.md):",
            RuleMethodKind.Postsynaptic => $"/// Runs <c>Postsynaptic</c> of <see cref=\"{rule.Type.Identifier}\"/> for every postsynaptic neuron i of a connection (docs/learning-rules.md):",
            _ => $"/// Runs <c>Update</c> of <see cref=\"{rule.Type.Identifier}\"/> for every synapse (j, i) of a connection, row by row, and adds Δw_ij to the weight changes (docs/learning-rules.md):",
        });
        writer.Line("/// <code>");
        writer.Line($"/// {method.Kind}({inputs}): {StepEmitter.Xml(StepEmitter.Describe(method.Body, scalar))}");
        if (method.Result is not null) writer.Line($"/// Δw_ij += {StepEmitter.Xml(scalar.Emit(method.Result))}");
        writer.Line("/// </code>");
        writer.Line("/// </summary>");
        foreach (KernelParameter p in parameters) writer.Line($"/// <param name=\"{p.Name.TrimStart('@')}\">{StepEmitter.Xml(p.Doc)}</param>");
        writer.Line(SourceFile.GeneratedCode);
        writer.Line(SourceFile.Optimized);
        using (writer.Block($"public static void {KernelName(rule, method.Kind)}({string.Join(", ", parameters.Select(p => $"{p.Type} {p.Name}"))})"))
        {
            string pre = update || method.Kind == RuleMethodKind.Presynaptic ? names["pre"] : "", post = method.Kind != RuleMethodKind.Presynaptic ? names["post"] : "";
            string synapses = update ? names["synapses", "synapses"] : "";
            if (update) writer.Line($"int {synapses} = checked({pre} * {post});");
            foreach (KernelParameter p in parameters.Where(p => p.Type != "int" && p.Type != "float"))
                writer.Line(StepEmitter.RequireLength(p.Name, p.Axis switch { Axis.Presynaptic => pre, Axis.Postsynaptic => post, _ => synapses }));
            foreach (KernelParameter p in parameters.Where(p => p.Type != "int" && p.Type != "float" && Used(method, p)))
                writer.Line($"ref float {names["ref:" + p.Key, "__" + p.Name.TrimStart('@')]} = ref {SimdFlavor.MemoryMarshal}.GetReference({p.Name});");
            if (!update)
            {
                WriteLoop(writer, rule, method, names, parameters, method.Kind == RuleMethodKind.Presynaptic ? pre : post, names["k"], row: null);
                return;
            }
            using (writer.Block($"for (int {names["j"]} = 0; {names["j"]} < {pre}; {names["j"]}++)"))
            {
                string j = names["j"];
                writer.Line($"// Presynaptic neuron j: what it contributes is the same along its row; the row's synapses are contiguous.");
                foreach (KernelParameter p in parameters.Where(p => p.Axis == Axis.Presynaptic && Used(method, p)))
                    writer.Line($"float {names["row:" + p.Key, "__" + p.Name.TrimStart('@') + "J"]} = {SimdFlavor.Unsafe}.Add(ref {names["ref:" + p.Key]}, {j});");
                foreach (KernelParameter p in parameters.Where(p => p.Axis == Axis.Synapse && (Used(method, p) || p.Key == "weight-changes")))
                    writer.Line($"ref float {names["row:" + p.Key, "__" + p.Name.TrimStart('@') + "Row"]} = ref {SimdFlavor.Unsafe}.Add(ref {names["ref:" + p.Key]}, {j} * {post});");
                WriteLoop(writer, rule, method, names, parameters, post, names["i"], row: j);
            }
        }
    }

    /// <summary>Whether the method's IR reads or writes what a kernel parameter holds.</summary>
    private static bool Used(RuleMethod method, KernelParameter p)
    {
        string name = p.Key.Substring(p.Key.IndexOf(':') + 1);
        bool Reads(System.Func<Expr, bool> predicate) =>
            method.Body.Statements.Any(s => IrWalker.Any(s.Value, predicate)) || (method.Result is not null && IrWalker.Any(method.Result, predicate));
        return p.Key switch
        {
            _ when p.Key.StartsWith("span:", System.StringComparison.Ordinal) =>
                Reads(e => e is StateRef s && s.Name == name) || method.Body.Statements.Any(s => s.IsState && s.Name == name),
            _ when p.Key.StartsWith("span-input:", System.StringComparison.Ordinal) => Reads(e => e is InputRef i && i.Name == name),
            _ when p.Key.StartsWith("span-param:", System.StringComparison.Ordinal) => Reads(e => e is ParamRef q && q.Name == name),
            "weight-changes" => true,
            _ => false,
        };
    }

    /// <summary>
    /// The loop over one axis — the presynaptic or postsynaptic neurons, or the synapses of row <paramref name="row"/> —
    /// with a Vector512 loop, a Vector256 loop and a scalar tail: load, the method's statements, store.
    /// </summary>
    private static void WriteLoop(IndentedWriter writer, LearningRuleModel rule, RuleMethod method, NameScope names, List<KernelParameter> parameters,
        string count, string index, string? row)
    {
        writer.Line($"int {index} = 0;");
        foreach (SimdFlavor flavor in VectorFlavors.Append(SimdFlavor.Scalar))
        {
            writer.Line();
            var emitter = new ExprEmitter(flavor, names.Nested());
            IndentedWriter.Scope outer = flavor.IsScalar
                ? writer.Block($"for (; {index} < {count}; {index}++)")
                : writer.Block($"if ({flavor.Vector}.IsHardwareAccelerated)");
            if (flavor.IsScalar) writer.Line("// Scalar tail (and the whole loop where no SIMD is available).");
            // What is the same for every element: parameters, the modulator and, in Update, the presynaptic neuron's values.
            foreach (KernelParameter p in parameters.Where(p => (p.Type == "float" || (row is not null && p.Axis == Axis.Presynaptic)) && Used(method, p)))
            {
                string value = p.Type == "float" ? p.Name : names["row:" + p.Key];
                writer.Line($"{flavor.FloatType} {Local(emitter, p)} = {flavor.Splat(value)};");
            }
            IndentedWriter.Scope? inner = flavor.IsScalar ? null : writer.Block($"for (; {index} <= {count} - {flavor.FloatType}.Count; {index} += {flavor.FloatType}.Count)");
            WriteElement(writer, rule, method, names, parameters, emitter, index, row);
            inner?.Dispose();
            outer.Dispose();
        }
    }

    private static string Local(ExprEmitter emitter, KernelParameter p)
    {
        string name = p.Key.Substring(p.Key.IndexOf(':') + 1);
        return p.Key.StartsWith("span:", System.StringComparison.Ordinal) ? emitter.State(name)
            : p.Key.StartsWith("span-param:", System.StringComparison.Ordinal) ? emitter.Param(name)
            : emitter.Input(name);
    }

    /// <summary>One element (or one vector of elements): load what varies along the loop, run the statements, store.</summary>
    private static void WriteElement(IndentedWriter writer, LearningRuleModel rule, RuleMethod method, NameScope names, List<KernelParameter> parameters,
        ExprEmitter emitter, string index, string? row)
    {
        SimdFlavor flavor = emitter.Flavor;
        Axis along = row is not null ? Axis.Postsynaptic : method.Kind == RuleMethodKind.Presynaptic ? Axis.Presynaptic : Axis.Postsynaptic;
        string Reference(KernelParameter p) => p.Axis == Axis.Synapse ? names["row:" + p.Key] : names["ref:" + p.Key];
        var loaded = parameters.Where(p => (p.Axis == along || p.Axis == Axis.Synapse) && p.Key != "weight-changes" && Used(method, p)).ToList();
        foreach (KernelParameter p in loaded)
            writer.Line($"{flavor.FloatType} {Local(emitter, p)} = {flavor.Load(Reference(p), index)};");
        writer.Line($"// {method.Kind}({string.Join(", ", method.Inputs.Select(i => i.Name))})");
        StepEmitter.WriteStatements(writer, method.Body, emitter, braces: false);
        foreach (KernelParameter p in loaded.Where(p => p.Key.StartsWith("span:", System.StringComparison.Ordinal) && method.Body.Statements.Any(s => s.IsState && "span:" + s.Name == p.Key)))
            writer.Line(flavor.Store(Local(emitter, p), Reference(p), index));
        if (method.Result is null) return;
        string changes = names["row:weight-changes"];
        writer.Line($"// Δw_ij of the step");
        writer.Line(flavor.Store($"{flavor.Load(changes, index)} + {emitter.Emit(method.Result)}", changes, index));
    }
}
