using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Passes;

namespace SnnDsl.Generators.Emit;

/// <summary>Which of a neuron's kernels an emitter method writes (they name their spans differently).</summary>
internal enum KernelMode { Step, Backward, Jacobian }

internal static partial class StepEmitter
{
    /// <summary>
    /// <c>StepJacobian</c>: recomputes a neuron's step from h_{t−1} and writes the non-zero entries of its Jacobian
    /// (<see cref="StepTangents"/>) for every neuron, entry-major — what forward-mode learning needs each step.
    /// </summary>
    public static void WriteStepJacobian(IndentedWriter writer, StepKernel k, StepTangents tangents)
    {
        NameScope names = MethodScope(k, KernelMode.Jacobian);
        writer.Line("/// <summary>");
        writer.Line($"/// Forward mode of <see cref=\"{k.Kernels.Step}\"/>: recomputes the step from the states before it and writes, for every");
        writer.Line("/// neuron, the non-zero entries of the step's Jacobian (∂h_t/∂h_{t−1}, ∂h_t/∂x_t, ∂h_t/∂θ and ∂S_t/∂·, σ′ in place of Θ′;");
        writer.Line($"/// reset gradient {(k.AttachResetGradient ? "attached" : "detached")}), derived at compile time. Entry e of neuron i is jacobian[e·n + i]:");
        writer.Line("/// <code>");
        for (int e = 0; e < tangents.Entries.Count; e++)
            writer.Line($"/// {e,2}: {Xml(EntryLabel(tangents.Entries[e]))}{(tangents.Entries[e].Uniform ? " (uniform)" : "")}");
        if (k.IsSpiking) writer.Line($"/// {tangents.Entries.Count,2}: σ′, the surrogate derivative itself");
        writer.Line("/// </code>");
        writer.Line("/// </summary>");
        foreach (string state in k.States)
            writer.Line($"/// <param name=\"{names["previous:" + state]}\">State {state} before the step (h at t−1).</param>");
        foreach (KernelInput input in k.Inputs)
            writer.Line($"/// <param name=\"{names["span-input:" + input.Name]}\">{Xml(StepKernel.Capitalized(input.Description))} in the step.</param>");
        foreach (ParamInfo p in k.Parameters)
            writer.Line($"/// <param name=\"{names["span-param:" + p.Name]}\">Parameter {p.Name}.</param>");
        int slots = Slots(k, tangents);
        writer.Line($"/// <param name=\"{names["jacobian"]}\">Receives the {slots} values of every neuron, entry-major (length {slots}·n).</param>");

        var signature = new List<string>();
        signature.AddRange(k.States.Select(s => $"{SimdFlavor.ReadOnlySpan} {names["previous:" + s]}"));
        signature.AddRange(k.Inputs.Select(i => $"{SimdFlavor.ReadOnlySpan} {names["span-input:" + i.Name]}"));
        signature.AddRange(k.Parameters.Select(p => p.PerNeuron ? $"{SimdFlavor.ReadOnlySpan} {names["span-param:" + p.Name]}" : $"float {names["span-param:" + p.Name]}"));
        signature.Add($"{SimdFlavor.Span} {names["jacobian"]}");
        writer.Line(SourceFile.GeneratedCode);
        writer.Line(SourceFile.Optimized);
        using (writer.Block($"public static void {k.Kernels.StepJacobian}({string.Join(", ", signature)})"))
        {
            string n = names["n"], index = names["k"];
            writer.Line($"int {n} = {names["span-input:" + k.Inputs[0].Name]}.Length;");
            var lengthChecked = k.States.Select(s => names["previous:" + s])
                .Concat(k.Inputs.Skip(1).Select(i => names["span-input:" + i.Name]))
                .Concat(k.Parameters.Where(p => p.PerNeuron).Select(p => names["span-param:" + p.Name]));
            foreach (string span in lengthChecked) writer.Line(RequireLength(span, n));
            writer.Line(RequireLength(names["jacobian"], $"{slots} * {n}"));
            foreach ((string key, string span, string preferred) in References(k, names, KernelMode.Jacobian))
                writer.Line($"ref float {names["ref:" + key, preferred]} = ref {SimdFlavor.MemoryMarshal}.GetReference({span});");
            writer.Line($"int {index} = 0;");
            foreach (SimdFlavor flavor in VectorFlavors)
            {
                writer.Line();
                string count = $"{flavor.FloatType}.Count";
                var emitter = new ExprEmitter(flavor, names.Nested());
                using (writer.Block($"if ({flavor.Vector}.IsHardwareAccelerated)"))
                {
                    foreach (ParamInfo p in k.Parameters.Where(p => !p.PerNeuron))
                        writer.Line($"{flavor.FloatType} {emitter.Param(p.Name)} = {flavor.Splat(names["span-param:" + p.Name])};");
                    using (writer.Block($"for (; {index} <= {n} - {count}; {index} += {count})"))
                        WriteJacobianUpdate(writer, k, tangents, emitter);
                }
            }
            writer.Line();
            writer.Line("// Scalar tail (and the whole population where no SIMD is available).");
            using (writer.Block($"for (; {index} < {n}; {index}++)"))
            {
                var emitter = new ExprEmitter(SimdFlavor.Scalar, names.Nested());
                foreach (ParamInfo p in k.Parameters.Where(p => !p.PerNeuron))
                    writer.Line($"float {emitter.Param(p.Name)} = {names["span-param:" + p.Name]};");
                WriteJacobianUpdate(writer, k, tangents, emitter);
            }
        }
    }

    /// <summary>Values per neuron: the entries, then σ′ for a spiking neuron.</summary>
    internal static int Slots(StepKernel k, StepTangents tangents) => tangents.Entries.Count + (k.IsSpiking ? 1 : 0);

    /// <summary>"∂U/∂I", "∂S/∂input": the entry's row and seed as a reader writes them.</summary>
    internal static string EntryLabel(JacobianEntry entry) => $"∂{entry.Row ?? "S"}/∂{entry.Seed.Name}";

    private static void WriteJacobianUpdate(IndentedWriter writer, StepKernel k, StepTangents t, ExprEmitter emitter)
    {
        SimdFlavor flavor = emitter.Flavor;
        NameScope names = emitter.Names;
        StepDerivatives d = t.Derivatives;
        string type = flavor.FloatType, index = names["k"], n = names["n"];

        writer.Line($"// Recompute the step from h_{{t−1}}: Integrate{(k.IsSpiking ? ", S = Fires(), reset candidates" : "")} (SSA).");
        for (int s = 0; s < k.States.Count; s++)
            writer.Line($"{type} {emitter.Local(d.StateInputs[s])} = {flavor.Load(Ref(names, "state:" + k.States[s]), index)};");
        foreach (ParamInfo p in k.Parameters.Where(p => p.PerNeuron))
            writer.Line($"{type} {emitter.Param(p.Name)} = {flavor.Load(Ref(names, "param:" + p.Name), index)};");
        foreach (KernelInput input in k.Inputs.Where(i => Reads(k, e => e is InputRef r && r.Name == i.Name)))
            writer.Line($"{type} {emitter.Input(input.Name)} = {flavor.Load(Ref(names, "input:" + input.Name), index)};");
        foreach (Assign assign in d.Recomputation(t.Tangents.Select(a => a.Value).Concat(t.Entries.Select(e => e.Value)), []).Recomputed)
            writer.Line($"{type} {emitter.Local(assign.Name)} = {emitter.Emit(assign.Value)};");
        if (d.Fired is not null)
        {
            writer.Line($"{flavor.MaskType} {emitter.Local(StepDerivatives.FiredMask)} = {emitter.Emit(d.Fired)};");
            writer.Line($"{type} {emitter.Local(StepDerivatives.SurrogateValue)} = {k.Surrogate}.Derivative({emitter.Emit(d.SurrogateArgument!)});");
        }

        if (t.Tangents.Count > 0)
            writer.Line("// Tangents of the step's values along each state, port and trainable parameter (structural zeros left out).");
        foreach (Assign assign in t.Tangents)
            writer.Line($"{type} {emitter.Local(assign.Name)} = {emitter.Emit(assign.Value)};");

        writer.Line("// The Jacobian's entries.");
        string jacobian = Ref(names, "jacobian");
        for (int e = 0; e < t.Entries.Count; e++)
            writer.Line(flavor.Store(emitter.Emit(t.Entries[e].Value), jacobian, $"({e} * {n} + {index})") + $" // {EntryLabel(t.Entries[e])}");
        if (k.IsSpiking)
            writer.Line(flavor.Store(emitter.Local(StepDerivatives.SurrogateValue), jacobian, $"({t.Entries.Count} * {n} + {index})") + " // σ′");
    }
}
