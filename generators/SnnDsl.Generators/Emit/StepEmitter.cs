using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Passes;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits the two kernels of a neuron or synapse type. <c>Step</c>: one time step of every neuron of a population (or
/// every postsynaptic neuron of a connection), the translated body fused with the spike test and the reset (or the
/// delivered current), with a Vector512 loop, a Vector256 loop and a scalar tail, all written from the same IR.
/// <c>StepBackward</c>: its mirror for BPTT, which recomputes the step and runs the reverse-mode adjoint statements of
/// <see cref="StepDerivatives"/>.
/// </summary>
internal static partial class StepEmitter
{
    private static readonly SimdFlavor[] VectorFlavors = [SimdFlavor.Vector512, SimdFlavor.Vector256];

    /// <summary>The names every kernel method shares: its parameters and plumbing, then the user's names as locals.</summary>
    /// <param name="reads">For the backward kernel: the states it reads after the step.</param>
    private static NameScope MethodScope(StepKernel k, KernelMode mode, BackwardReads? reads = null)
    {
        // Locals may shadow the type's fields (they carry the same names on purpose), so only the type's other
        // generated members are off limits.
        var scope = new NameScope([k.Type.Name, k.Kernels.Descriptor, k.Kernels.Step, k.Kernels.StepBackward, k.Kernels.StepJacobian]);
        bool backward = mode == KernelMode.Backward, recompute = mode != KernelMode.Step;
        foreach (string state in k.States) scope.Claim((recompute ? "previous:" : "span:") + state, (recompute ? "previous" : "state") + StepKernel.Capitalized(state));
        foreach (KernelInput input in k.Inputs) scope.Claim("span-input:" + input.Name, input.Span);
        foreach (ParamInfo p in k.Parameters) scope.Claim("span-param:" + p.Name, "param" + StepKernel.Capitalized(p.Name));
        if (backward)
        {
            foreach (string state in AfterStep(k, reads!)) scope.Claim("after:" + state, "updated" + StepKernel.Capitalized(state));
            foreach (string state in k.States) scope.Claim("adjoint:" + state, "adjoint" + StepKernel.Capitalized(state));
            if (k.IsSpiking) scope.Claim("adjoint-spikes", "adjointSpikes");
            if (k.IsSynapse) scope.Claim("adjoint-current", "adjointCurrent");
            foreach (KernelInput input in k.Inputs) scope.Claim("adjoint-input:" + input.Name, input.AdjointSpan);
            foreach (ParamInfo p in k.Parameters.Where(p => p.Trainable)) scope.Claim("gradient:" + p.Name, "gradient" + StepKernel.Capitalized(p.Name));
            if (k.IsSpiking) scope.Claim("epsilon", "sparseEpsilon");
        }
        else if (mode == KernelMode.Jacobian) scope.Claim("jacobian", "jacobian");
        else if (k.IsSpiking) scope.Claim("spikes", "spikes");
        else if (k.IsSynapse) scope.Claim("current", "current");
        scope.Claim("n", "__n");
        scope.Claim("k", "__k");
        // The user's names as locals, so that the kernel reads like the declaration.
        foreach (string state in k.States) scope.Claim("state:" + state, state);
        foreach (ParamInfo p in k.Parameters) scope.Claim("param:" + p.Name, p.Name);
        foreach (KernelInput input in k.Inputs) scope.Claim("input:" + input.Name, input.Name);
        return scope;
    }

    /// <summary>
    /// The step's dynamics as C#-like lines (the IR printed back, helpers inlined): the kernel's doc comment and the
    /// equations of a neuron's runtime summary.
    /// </summary>
    public static List<string> Equations(StepKernel k)
    {
        var scalar = new ExprEmitter(SimdFlavor.Scalar, MethodScope(k, KernelMode.Step).Nested());
        var lines = new List<string> { $"{BodyName(k)}({string.Join(", ", k.Inputs.Select(i => i.Name))}): {Describe(k.Body, scalar)}" };
        if (k.Output is not null) lines.Add($"current += {scalar.Emit(k.Output)}");
        if (k.Fires is not null)
        {
            lines.Add($"S = Fires():       {scalar.Emit(k.Fires)}");
            if (k.Reset.Statements.Count > 0) lines.Add($"Reset() where S:  {Describe(k.Reset, scalar)}");
            if (k.SpikeState is not null) lines.Add($"{k.SpikeState} = S (the previous spike, for the next step)");
        }
        return lines.ConvertAll(line => line.Replace("global::System.", ""));   // MathF.Exp reads better than its full name
    }

    internal static string Describe(Block block, ExprEmitter scalar) =>
        string.Join("; ", block.Statements.Select(s => $"{s.Name} = {scalar.Emit(s.Value)}"));

    internal static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string BodyName(StepKernel k) => k.IsSynapse ? "Deliver" : "Integrate";

    // ---------------------------------------------------------------- forward

    public static void WriteStep(IndentedWriter writer, StepKernel k)
    {
        NameScope names = MethodScope(k, KernelMode.Step);
        var scalar = new ExprEmitter(SimdFlavor.Scalar, names.Nested());
        string inputs = string.Join(", ", k.Inputs.Select(i => i.Name));
        writer.Line("/// <summary>");
        writer.Line(k.IsSynapse
            ? $"/// Advances the synapses of a connection of <see cref=\"{k.Type.Identifier}\"/> by one time step and adds the delivered current to the postsynaptic port (docs/semantics.md):"
            : $"/// Advances every neuron of a population of <see cref=\"{k.Type.Identifier}\"/> by one time step (docs/semantics.md):");
        writer.Line("/// <code>");
        foreach (string equation in Equations(k)) writer.Line("/// " + Xml(equation));
        writer.Line("/// </code>");
        writer.Line("/// </summary>");
        foreach (string state in k.States)
            writer.Line($"/// <param name=\"{names["span:" + state]}\">State {state} of each {(k.IsSynapse ? "postsynaptic neuron's synapse" : "neuron")}, updated in place.</param>");
        foreach (KernelInput input in k.Inputs)
            writer.Line($"/// <param name=\"{names["span-input:" + input.Name]}\">Per {(k.IsSynapse ? "postsynaptic " : "")}neuron, {Xml(input.Description)} in this step; its length is the {(k.IsSynapse ? "target population" : "population")} size.</param>");
        foreach (ParamInfo p in k.Parameters)
            writer.Line($"/// <param name=\"{names["span-param:" + p.Name]}\">Parameter {p.Name}{(p.PerNeuron ? ", one value per neuron" : ", shared")}.</param>");
        if (k.IsSpiking) writer.Line($"/// <param name=\"{names["spikes"]}\">Receives S, bit-packed (bit i of word i/64 is neuron i).</param>");
        if (k.IsSynapse) writer.Line($"/// <param name=\"{names["current"]}\">The port's input; the delivered current is added to it.</param>");

        var signature = new List<string>();
        signature.AddRange(k.States.Select(s => $"{SimdFlavor.Span} {names["span:" + s]}"));
        signature.AddRange(k.Inputs.Select(i => $"{SimdFlavor.ReadOnlySpan} {names["span-input:" + i.Name]}"));
        signature.AddRange(k.Parameters.Select(p => p.PerNeuron ? $"{SimdFlavor.ReadOnlySpan} {names["span-param:" + p.Name]}" : $"float {names["span-param:" + p.Name]}"));
        if (k.IsSpiking) signature.Add($"global::System.Span<ulong> {names["spikes"]}");
        if (k.IsSynapse) signature.Add($"{SimdFlavor.Span} {names["current"]}");
        writer.Line(SourceFile.GeneratedCode);
        writer.Line(SourceFile.Optimized);
        using (writer.Block($"public static void {k.Kernels.Step}({string.Join(", ", signature)})"))
        {
            string n = names["n"], index = names["k"];
            writer.Line($"int {n} = {names["span-input:" + k.Inputs[0].Name]}.Length;");
            var spans = k.States.Select(s => names["span:" + s]).Concat(k.Inputs.Skip(1).Select(i => names["span-input:" + i.Name]))
                .Concat(k.Parameters.Where(p => p.PerNeuron).Select(p => names["span-param:" + p.Name]))
                .Concat(k.IsSynapse ? [names["current"]] : []);
            foreach (string span in spans) writer.Line(RequireLength(span, n));
            if (k.IsSpiking)
            {
                writer.Line(RequireLength(names["spikes"], $"({n} + 63) >> 6"));
                writer.Line($"{names["spikes"]}.Clear();");
            }
            foreach ((string key, string span, string preferred) in References(k, names, KernelMode.Step))
                writer.Line($"ref float {names["ref:" + key, preferred]} = ref {SimdFlavor.MemoryMarshal}.GetReference({span});");
            writer.Line($"int {index} = 0;");
            foreach (SimdFlavor flavor in VectorFlavors)
            {
                writer.Line();
                string count = $"{flavor.FloatType}.Count";
                var emitter = new ExprEmitter(flavor, names.Nested());
                using (writer.Block($"if ({flavor.Vector}.IsHardwareAccelerated)"))
                {
                    foreach (ParamInfo p in k.Parameters.Where(p => !p.PerNeuron && Uses(k, p.Name)))
                        writer.Line($"{flavor.FloatType} {emitter.Param(p.Name)} = {flavor.Splat(names["span-param:" + p.Name])};");
                    // S is gathered a 64-neuron word at a time in a register, and each word is written once.
                    string? word = k.Fires is null ? null : emitter.Names["spike-word", "__spikeWord"];
                    if (word is not null) writer.Line($"ulong {word} = 0;");
                    using (writer.Block($"for (; {index} <= {n} - {count}; {index} += {count})"))
                        WriteUpdate(writer, k, emitter);
                    if (word is not null) writer.Line($"if (({index} & 63) != 0) {names["spikes"]}[{index} >> 6] |= {word};");
                }
            }
            writer.Line();
            writer.Line("// Scalar tail (and the whole population where no SIMD is available).");
            using (writer.Block($"for (; {index} < {n}; {index}++)"))
                WriteUpdate(writer, k, new ExprEmitter(SimdFlavor.Scalar, names.Nested()));
        }
    }

    /// <summary>The spans a kernel reads and writes through ref locals: (key, span parameter, preferred ref name).</summary>
    /// <param name="reads">For the backward kernel: the states it reads after the step and the inputs it reads.</param>
    private static IEnumerable<(string Key, string Span, string Preferred)> References(StepKernel k, NameScope names, KernelMode mode, BackwardReads? reads = null)
    {
        bool backward = mode == KernelMode.Backward;
        foreach (string state in k.States) yield return ("state:" + state, names[(mode == KernelMode.Step ? "span:" : "previous:") + state], "__" + state);
        if (backward)
            foreach (string state in AfterStep(k, reads!)) yield return ("after:" + state, names["after:" + state], "__updated" + StepKernel.Capitalized(state));
        foreach (KernelInput input in k.Inputs.Where(i => !backward || reads!.ReadsInput(i.Name)))
            yield return ("input:" + input.Name, names["span-input:" + input.Name], "__" + input.Name);
        foreach (ParamInfo p in k.Parameters.Where(p => p.PerNeuron)) yield return ("param:" + p.Name, names["span-param:" + p.Name], "__" + p.Name);
        if (mode == KernelMode.Step && k.IsSynapse) yield return ("current", names["current"], "__current");
        if (mode == KernelMode.Jacobian) yield return ("jacobian", names["jacobian"], "__jacobian");
        if (!backward) yield break;
        foreach (string state in k.States) yield return ("adjoint:" + state, names["adjoint:" + state], "__adjoint" + StepKernel.Capitalized(state));
        if (k.IsSpiking) yield return ("adjoint-spikes", names["adjoint-spikes"], "__adjointSpikes");
        if (k.IsSynapse) yield return ("adjoint-current", names["adjoint-current"], "__adjointCurrent");
        foreach (KernelInput input in k.Inputs) yield return ("adjoint-input:" + input.Name, names["adjoint-input:" + input.Name], "__adjoint" + StepKernel.Capitalized(input.Name));
        foreach (ParamInfo p in k.Parameters.Where(p => p.Trainable && p.PerNeuron)) yield return ("gradient:" + p.Name, names["gradient:" + p.Name], "__gradient" + StepKernel.Capitalized(p.Name));
    }

    private static string Ref(NameScope names, string key) => names["ref:" + key];

    internal static string RequireLength(string span, string length) =>
        $"global::SnnDsl.KernelGuard.RequireLength({span}.Length, {length}, {SourceFile.Quote(span.TrimStart('@'))});";

    /// <summary>The fused update of one vector (or one element): load, body, Fires, Reset where fired (or deliver), store.</summary>
    private static void WriteUpdate(IndentedWriter writer, StepKernel k, ExprEmitter emitter)
    {
        SimdFlavor flavor = emitter.Flavor;
        NameScope names = emitter.Names;
        string type = flavor.FloatType, index = names["k"];
        foreach (string state in k.States)
            writer.Line($"{type} {emitter.State(state)} = {flavor.Load(Ref(names, "state:" + state), index)};");
        foreach (ParamInfo p in k.Parameters.Where(p => Uses(k, p.Name)))
        {
            if (p.PerNeuron) writer.Line($"{type} {emitter.Param(p.Name)} = {flavor.Load(Ref(names, "param:" + p.Name), index)};");
            else if (flavor.IsScalar) writer.Line($"float {emitter.Param(p.Name)} = {names["span-param:" + p.Name]};");
        }
        foreach (KernelInput input in k.Inputs.Where(i => Reads(k, e => e is InputRef r && r.Name == i.Name)))
            writer.Line($"{type} {emitter.Input(input.Name)} = {flavor.Load(Ref(names, "input:" + input.Name), index)};");

        writer.Line($"// {BodyName(k)}({string.Join(", ", k.Inputs.Select(i => i.Name))})");
        WriteStatements(writer, k.Body, emitter);

        if (k.Output is not null)
        {
            writer.Line("// The delivered current, added to the port.");
            string current = Ref(names, "current");
            writer.Line(flavor.Store($"{flavor.Load(current, index)} + ({emitter.Emit(k.Output)})", current, index));
        }
        if (k.Fires is not null)
        {
            string fired = emitter.Local(StepDerivatives.FiredMask), spikes = names["spikes"];
            writer.Line("// S = Fires()");
            writer.Line($"{flavor.MaskType} {fired} = {emitter.Emit(k.Fires)};");
            if (flavor.IsScalar)
            {
                using (writer.Block($"if ({fired})"))
                {
                    if (k.Reset.Statements.Count > 0) writer.Line("// Reset() where S = 1");
                    WriteStatements(writer, k.Reset, emitter, braces: false);
                    writer.Line($"{spikes}[{index} >> 6] |= 1UL << ({index} & 63);");
                }
            }
            else
            {
                WriteMaskedReset(writer, k, emitter, fired);
                string word = emitter.Names["spike-word"];
                writer.Line($"{word} |= {flavor.SpikeBits(fired)} << ({index} & 63);");
                using (writer.Block($"if ((({index} + {flavor.FloatType}.Count) & 63) == 0)"))
                {
                    writer.Line($"{spikes}[{index} >> 6] |= {word};");
                    writer.Line($"{word} = 0;");
                }
            }
            if (k.SpikeState is not null)
            {
                writer.Line("// The previous spike of the next step.");
                writer.Line($"{emitter.State(k.SpikeState)} = {flavor.Select(fired, flavor.Literal(1f), flavor.Literal(0f))};");
            }
        }

        foreach (string state in k.States.Where(s => Assigns(k.Body, s) || Assigns(k.Reset, s) || s == k.SpikeState))
            writer.Line(flavor.Store(emitter.State(state), Ref(names, "state:" + state), index));
    }

    /// <summary>Vector lanes: run Reset on every lane, then keep the result only where S = 1.</summary>
    private static void WriteMaskedReset(IndentedWriter writer, StepKernel k, ExprEmitter emitter, string fired)
    {
        if (k.Reset.Statements.Count == 0) return;
        SimdFlavor flavor = emitter.Flavor;
        List<string> reset = k.States.Where(s => Assigns(k.Reset, s)).ToList();
        writer.Line("// Reset() where S = 1");
        using (writer.Block())
        {
            var before = reset.ToDictionary(s => s, s => emitter.Names["before:" + s, "__" + s + "Before"]);
            foreach (string state in reset) writer.Line($"{flavor.FloatType} {before[state]} = {emitter.State(state)};");
            WriteStatements(writer, k.Reset, emitter, braces: false);
            foreach (string state in reset) writer.Line($"{emitter.State(state)} = {flavor.Select(fired, emitter.State(state), before[state])};");
        }
    }

    internal static void WriteStatements(IndentedWriter writer, Block block, ExprEmitter emitter, bool braces = true)
    {
        bool scoped = braces && block.Statements.Any(s => !s.IsState);
        IndentedWriter.Scope? scope = scoped ? writer.Block() : null;
        var declared = new HashSet<string>();
        foreach (Assign assign in block.Statements)
        {
            string value = emitter.Emit(assign.Value);
            string target = assign.IsState ? emitter.State(assign.Name) : emitter.Local(assign.Name);
            bool declare = !assign.IsState && declared.Add(assign.Name);
            writer.Line($"{(declare ? emitter.Flavor.FloatType + " " : "")}{target} = {value};");
        }
        scope?.Dispose();
    }

    private static bool Uses(StepKernel k, string parameter) =>
        Reads(k, e => e is ParamRef p && p.Name == parameter);

    private static bool Reads(StepKernel k, System.Func<Expr, bool> predicate) =>
        Reads(k.Body, predicate) || Reads(k.Reset, predicate) ||
        (k.Fires is not null && IrWalker.Any(k.Fires, predicate)) ||
        (k.Output is not null && IrWalker.Any(k.Output, predicate));

    private static bool Reads(Block block, System.Func<Expr, bool> predicate) => block.Statements.Any(s => IrWalker.Any(s.Value, predicate));

    private static bool Assigns(Block block, string state) => block.Statements.Any(s => s.IsState && s.Name == state);

    // ---------------------------------------------------------------- backward

    public static void WriteStepBackward(IndentedWriter writer, StepKernel k)
    {
        StepDerivatives d = k.Derivatives();
        BackwardReads reads = d.ReadsOf(k.States, k.SpikeState, k.IsSynapse);
        List<KernelInput> inputs = k.Inputs.Where(i => reads.ReadsInput(i.Name)).ToList();
        NameScope names = MethodScope(k, KernelMode.Backward, reads);
        List<ParamInfo> trainable = k.Parameters.Where(p => p.Trainable).ToList();

        writer.Line("/// <summary>");
        writer.Line($"/// Backward pass of <see cref=\"{k.Kernels.Step}\"/> for backpropagation through time: recomputes the step from the states");
        writer.Line("/// before it, then applies the chain rule in reverse" + (k.IsSpiking
            ? ", with the surrogate's derivative in place of Θ′"
            : "."));
        if (k.IsSpiking)
            writer.Line($"/// (reset gradient {(k.AttachResetGradient ? "attached" : "detached: S is a constant in the reset, as in SpyTorch")}).");
        writer.Line("/// </summary>");
        foreach (string state in k.States)
            writer.Line($"/// <param name=\"{names["previous:" + state]}\">State {state} before the step (h at t−1).</param>");
        foreach (string state in AfterStep(k, reads))
            writer.Line($"/// <param name=\"{names["after:" + state]}\">State {state} after the step (h at t, as the forward pass recorded it): h′ of {state}, which no reset statement assigns.</param>");
        foreach (KernelInput input in inputs)
            writer.Line($"/// <param name=\"{names["span-input:" + input.Name]}\">{Xml(StepKernel.Capitalized(input.Description))} in the step.</param>");
        foreach (ParamInfo p in k.Parameters)
            writer.Line($"/// <param name=\"{names["span-param:" + p.Name]}\">Parameter {p.Name}.</param>");
        foreach (string state in k.States)
            writer.Line($"/// <param name=\"{names["adjoint:" + state]}\">In: ∂L/∂{state} after the step. Out: ∂L/∂{state} before it.</param>");
        if (k.IsSpiking) writer.Line($"/// <param name=\"{names["adjoint-spikes"]}\">∂L/∂S of the step.</param>");
        if (k.IsSynapse) writer.Line($"/// <param name=\"{names["adjoint-current"]}\">∂L/∂(delivered current) of the step: the port's adjoint.</param>");
        foreach (KernelInput input in k.Inputs)
            writer.Line($"/// <param name=\"{names["adjoint-input:" + input.Name]}\">{(input.AccumulateAdjoint ? "Accumulates" : "Out:")} ∂L/∂{input.Name} of the step.</param>");
        foreach (ParamInfo p in trainable)
            writer.Line($"/// <param name=\"{names["gradient:" + p.Name]}\">Accumulates ∂L/∂{p.Name} ({(p.PerNeuron ? "per neuron" : "length 1, summed over neurons")}).</param>");
        if (k.IsSpiking)
            writer.Line($"/// <param name=\"{names["epsilon"]}\">Sparse backward (Perez-Nieves &amp; Goodman 2021): where σ′ &lt; ε the neuron's adjoints are cut to zero; 0 keeps the exact gradient.</param>");

        var signature = new List<string>();
        signature.AddRange(k.States.Select(s => $"{SimdFlavor.ReadOnlySpan} {names["previous:" + s]}"));
        signature.AddRange(AfterStep(k, reads).Select(s => $"{SimdFlavor.ReadOnlySpan} {names["after:" + s]}"));
        signature.AddRange(inputs.Select(i => $"{SimdFlavor.ReadOnlySpan} {names["span-input:" + i.Name]}"));
        signature.AddRange(k.Parameters.Select(p => p.PerNeuron ? $"{SimdFlavor.ReadOnlySpan} {names["span-param:" + p.Name]}" : $"float {names["span-param:" + p.Name]}"));
        signature.AddRange(k.States.Select(s => $"{SimdFlavor.Span} {names["adjoint:" + s]}"));
        if (k.IsSpiking) signature.Add($"{SimdFlavor.ReadOnlySpan} {names["adjoint-spikes"]}");
        if (k.IsSynapse) signature.Add($"{SimdFlavor.ReadOnlySpan} {names["adjoint-current"]}");
        signature.AddRange(k.Inputs.Select(i => $"{SimdFlavor.Span} {names["adjoint-input:" + i.Name]}"));
        signature.AddRange(trainable.Select(p => $"{SimdFlavor.Span} {names["gradient:" + p.Name]}"));
        if (k.IsSpiking) signature.Add($"float {names["epsilon"]}");

        writer.Line(SourceFile.GeneratedCode);
        writer.Line(SourceFile.Optimized);
        using (writer.Block($"public static void {k.Kernels.StepBackward}({string.Join(", ", signature)})"))
        {
            string n = names["n"], index = names["k"];
            // The population size: the length of ∂L/∂(first input), which the kernel always writes.
            writer.Line($"int {n} = {names["adjoint-input:" + k.Inputs[0].Name]}.Length;");
            var lengthChecked = k.States.Select(s => names["previous:" + s]).Concat(AfterStep(k, reads).Select(s => names["after:" + s]))
                .Concat(k.States.Select(s => names["adjoint:" + s]))
                .Concat(inputs.Select(i => names["span-input:" + i.Name]))
                .Concat(k.Parameters.Where(p => p.PerNeuron).Select(p => names["span-param:" + p.Name]))
                .Concat(trainable.Where(p => p.PerNeuron).Select(p => names["gradient:" + p.Name]))
                .Concat(k.IsSpiking ? [names["adjoint-spikes"]] : [])
                .Concat(k.IsSynapse ? [names["adjoint-current"]] : [])
                .Concat(k.Inputs.Skip(1).Select(i => names["adjoint-input:" + i.Name]));
            foreach (string span in lengthChecked) writer.Line(RequireLength(span, n));
            foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                writer.Line(RequireLength(names["gradient:" + p.Name], "1"));
            foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                writer.Line($"float {names["total:" + p.Name, "__total" + p.Name]} = 0f;");
            foreach ((string key, string span, string preferred) in References(k, names, KernelMode.Backward, reads))
                writer.Line($"ref float {names["ref:" + key, preferred]} = ref {SimdFlavor.MemoryMarshal}.GetReference({span});");
            writer.Line($"int {index} = 0;");
            foreach (SimdFlavor flavor in VectorFlavors)
            {
                writer.Line();
                string count = $"{flavor.FloatType}.Count";
                if (k.IsSpiking) names.Claim("vector-epsilon", "__epsilon");
                foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron)) names.Claim("sum:" + p.Name, "__sum" + p.Name);
                var emitter = new ExprEmitter(flavor, names.Nested());
                using (writer.Block($"if ({flavor.Vector}.IsHardwareAccelerated)"))
                {
                    foreach (ParamInfo p in k.Parameters.Where(p => !p.PerNeuron))
                        writer.Line($"{flavor.FloatType} {emitter.Param(p.Name)} = {flavor.Splat(names["span-param:" + p.Name])};");
                    if (k.IsSpiking) writer.Line($"{flavor.FloatType} {names["vector-epsilon"]} = {flavor.Splat(names["epsilon"])};");
                    foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                        writer.Line($"{flavor.FloatType} {names["sum:" + p.Name]} = {flavor.Zero};");
                    using (writer.Block($"for (; {index} <= {n} - {count}; {index} += {count})"))
                        WriteBackwardUpdate(writer, k, d, reads, trainable, emitter);
                    foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                        writer.Line($"{names["total:" + p.Name]} += {flavor.Vector}.Sum({names["sum:" + p.Name]});");
                }
            }
            writer.Line();
            writer.Line("// Scalar tail (and the whole population where no SIMD is available).");
            using (writer.Block($"for (; {index} < {n}; {index}++)"))
            {
                var emitter = new ExprEmitter(SimdFlavor.Scalar, names.Nested());
                foreach (ParamInfo p in k.Parameters.Where(p => !p.PerNeuron))
                    writer.Line($"float {emitter.Param(p.Name)} = {names["span-param:" + p.Name]};");
                WriteBackwardUpdate(writer, k, d, reads, trainable, emitter);
            }
            foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                writer.Line($"{names["gradient:" + p.Name]}[0] += {names["total:" + p.Name]};");
        }
    }

    private static void WriteBackwardUpdate(IndentedWriter writer, StepKernel k, StepDerivatives d, BackwardReads reads, List<ParamInfo> trainable, ExprEmitter emitter)
    {
        SimdFlavor flavor = emitter.Flavor;
        NameScope names = emitter.Names;
        string type = flavor.FloatType, index = names["k"];

        writer.Line($"// Recompute the step from h_{{t−1}}: {BodyName(k)}{(k.IsSpiking ? ", S = Fires(), reset candidates" : "")} (SSA).");
        for (int s = 0; s < k.States.Count; s++)
            writer.Line($"{type} {emitter.Local(d.StateInputs[s])} = {flavor.Load(Ref(names, "state:" + k.States[s]), index)};");
        for (int s = 0; s < k.States.Count; s++)
        {
            if (reads.AfterStep[s])
                writer.Line($"{type} {emitter.Local(d.Integrated[s])} = {flavor.Load(Ref(names, "after:" + k.States[s]), index)};   // h′ = h_t: no reset statement assigns {k.States[s]}");
        }
        foreach (ParamInfo p in k.Parameters.Where(p => p.PerNeuron))
            writer.Line($"{type} {emitter.Param(p.Name)} = {flavor.Load(Ref(names, "param:" + p.Name), index)};");
        foreach (KernelInput input in k.Inputs.Where(i => reads.ReadsInput(i.Name)))
            writer.Line($"{type} {emitter.Input(input.Name)} = {flavor.Load(Ref(names, "input:" + input.Name), index)};");
        foreach (Assign assign in reads.Recomputed)
            writer.Line($"{type} {emitter.Local(assign.Name)} = {emitter.Emit(assign.Value)};");
        string surrogate = emitter.Local(StepDerivatives.SurrogateValue);
        if (d.Fired is not null)
        {
            writer.Line($"{flavor.MaskType} {emitter.Local(StepDerivatives.FiredMask)} = {emitter.Emit(d.Fired)};");
            writer.Line($"{type} {surrogate} = {k.Surrogate}.Derivative({emitter.Emit(d.SurrogateArgument!)});");
        }

        writer.Line($"// Adjoints: seeds ∂L/∂h_t{(k.IsSpiking ? " and ∂L/∂S_t" : "")}{(k.IsSynapse ? " and ∂L/∂(current)" : "")}, the rest start at zero.");
        var seeded = new HashSet<string>();
        for (int s = 0; s < k.States.Count; s++)
        {
            writer.Line($"{type} {emitter.Local(d.AdjointOfStateOutput[s])} = {flavor.Load(Ref(names, "adjoint:" + k.States[s]), index)};");
            seeded.Add(d.AdjointOfStateOutput[s]);
        }
        if (k.IsSpiking)
        {
            writer.Line($"{type} {emitter.Local(StepDerivatives.SpikeAdjoint)} = {flavor.Load(Ref(names, "adjoint-spikes"), index)};");
            seeded.Add(StepDerivatives.SpikeAdjoint);
        }
        if (k.IsSynapse)
        {
            writer.Line($"{type} {emitter.Local(StepDerivatives.OutputAdjoint)} = {flavor.Load(Ref(names, "adjoint-current"), index)};");
            seeded.Add(StepDerivatives.OutputAdjoint);
        }
        var results = d.AdjointOfStateInput.Concat(k.Inputs.Select(i => StepDerivatives.InputAdjoint(i.Name)))
            .Concat(trainable.Select(p => StepDerivatives.GradientOf(p.Name)));
        foreach (string adjoint in d.Adjoints.Concat(results).Distinct().Where(a => !seeded.Contains(a)))
            writer.Line($"{type} {emitter.Local(adjoint)} = {flavor.Zero};");

        writer.Line($"// Reverse mode: {(k.IsSynapse ? "the delivered current, " : "")}{(k.IsSpiking ? "reset (where S), spike (σ′ for Θ′), " : "")}{BodyName(k)}.");
        foreach (Assign assign in d.Backward)
            writer.Line($"{emitter.Local(assign.Name)} = {emitter.Emit(assign.Value)};");

        var cut = d.AdjointOfStateInput.Concat(k.Inputs.Select(i => StepDerivatives.InputAdjoint(i.Name))).ToList();
        if (k.IsSpiking)
        {
            writer.Line("// Sparse backward: cut the adjoints where σ′ < ε (a no-op for ε = 0).");
            string keep = names["keep", "__keep"];
            writer.Line($"{flavor.MaskType} {keep} = {(flavor.IsScalar ? $"{surrogate} >= {names["epsilon"]}" : $"{flavor.Vector}.GreaterThanOrEqual({surrogate}, {names["vector-epsilon"]})")};");
            foreach (string adjoint in cut)
                writer.Line($"{emitter.Local(adjoint)} = {flavor.Select(keep, emitter.Local(adjoint), flavor.Zero)};");
        }

        for (int s = 0; s < k.States.Count; s++)
            writer.Line(flavor.Store(emitter.Local(d.AdjointOfStateInput[s]), Ref(names, "adjoint:" + k.States[s]), index));
        foreach (KernelInput input in k.Inputs)
        {
            string target = Ref(names, "adjoint-input:" + input.Name), adjoint = emitter.Local(StepDerivatives.InputAdjoint(input.Name));
            writer.Line(flavor.Store(input.AccumulateAdjoint ? $"{flavor.Load(target, index)} + {adjoint}" : adjoint, target, index));
        }
        foreach (ParamInfo p in trainable)
        {
            string gradient = emitter.Local(StepDerivatives.GradientOf(p.Name));
            if (p.PerNeuron)
            {
                string target = Ref(names, "gradient:" + p.Name);
                writer.Line(flavor.Store($"{flavor.Load(target, index)} + {gradient}", target, index));
            }
            else
            {
                writer.Line(flavor.IsScalar ? $"{names["total:" + p.Name]} += {gradient};" : $"{names["sum:" + p.Name]} += {gradient};");
            }
        }
    }

    /// <summary>The states whose value after the step the backward kernel reads (<see cref="StepDerivatives.ReadsOf"/>), in declaration order.</summary>
    internal static IEnumerable<string> AfterStep(StepKernel k, BackwardReads reads) => k.States.Where((_, s) => reads.AfterStep[s]);
}
