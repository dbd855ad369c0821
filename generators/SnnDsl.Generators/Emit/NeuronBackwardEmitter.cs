using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Passes;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits <c>StepBackward</c>, the mirror of <c>Step</c> for BPTT: it recomputes one step from h_{t−1} and the input,
/// then runs the reverse-mode adjoint statements of <see cref="StepDerivatives"/>: ∂L/∂h_t and ∂L/∂S_t in,
/// ∂L/∂h_{t−1}, ∂L/∂x_t and ∂L/∂θ out. Same Vector512 → Vector256 → scalar structure as the forward kernel.
/// </summary>
internal static class NeuronBackwardEmitter
{
    public static void Write(IndentedWriter writer, NeuronModel neuron)
    {
        StepDerivatives d = StepDerivatives.Of(neuron);
        List<ParamInfo> trainable = neuron.Parameters.Where(p => p.Trainable).ToList();

        writer.Line("/// <summary>");
        writer.Line("/// Backward pass of <see cref=\"Step\"/> for backpropagation through time: recomputes the step from the states");
        writer.Line("/// before it, then applies the chain rule in reverse, with the surrogate's derivative in place of Θ′");
        writer.Line($"/// (reset gradient {(neuron.AttachResetGradient ? "attached" : "detached: S is a constant in the reset, as in SpyTorch")}).");
        writer.Line("/// </summary>");
        foreach (string state in neuron.States)
            writer.Line($"/// <param name=\"previous{state}\">State {state} of each neuron before the step (h at t−1).</param>");
        writer.Line("/// <param name=\"synapticInput\">The step's synaptic input.</param>");
        foreach (ParamInfo p in neuron.Parameters)
            writer.Line($"/// <param name=\"param{p.Name}\">Parameter {p.Name}.</param>");
        foreach (string state in neuron.States)
            writer.Line($"/// <param name=\"adjoint{state}\">In: ∂L/∂{state} after the step. Out: ∂L/∂{state} before it.</param>");
        if (neuron.IsSpiking) writer.Line("/// <param name=\"adjointSpikes\">∂L/∂S of the step.</param>");
        writer.Line("/// <param name=\"adjointInput\">Out: ∂L/∂(synaptic input) of the step.</param>");
        foreach (ParamInfo p in trainable)
            writer.Line($"/// <param name=\"gradient{p.Name}\">Accumulates ∂L/∂{p.Name} ({(p.PerNeuron ? "per neuron" : "length 1, summed over neurons")}).</param>");
        if (neuron.IsSpiking)
            writer.Line("/// <param name=\"sparseEpsilon\">Sparse backward (Perez-Nieves &amp; Goodman 2021): where σ′ &lt; ε the neuron's adjoints are cut to zero; 0 keeps the exact gradient.</param>");

        var signature = new List<string>();
        signature.AddRange(neuron.States.Select(s => $"ReadOnlySpan<float> previous{s}"));
        signature.Add("ReadOnlySpan<float> synapticInput");
        signature.AddRange(neuron.Parameters.Select(p => p.PerNeuron ? $"ReadOnlySpan<float> param{p.Name}" : $"float param{p.Name}"));
        signature.AddRange(neuron.States.Select(s => $"Span<float> adjoint{s}"));
        if (neuron.IsSpiking) signature.Add("ReadOnlySpan<float> adjointSpikes");
        signature.Add("Span<float> adjointInput");
        signature.AddRange(trainable.Select(p => $"Span<float> gradient{p.Name}"));
        if (neuron.IsSpiking) signature.Add("float sparseEpsilon");

        writer.Line(SourceFile.GeneratedCode);
        writer.Line(SourceFile.Optimized);
        using (writer.Block($"public static void StepBackward({string.Join(", ", signature)})"))
        {
            writer.Line("int __n = synapticInput.Length;");
            var lengthChecked = neuron.States.Select(s => "previous" + s).Concat(neuron.States.Select(s => "adjoint" + s))
                .Concat(neuron.Parameters.Where(p => p.PerNeuron).Select(p => "param" + p.Name))
                .Concat(trainable.Where(p => p.PerNeuron).Select(p => "gradient" + p.Name))
                .Concat(neuron.IsSpiking ? new[] { "adjointSpikes" } : new string[0])
                .Concat(new[] { "adjointInput" });
            foreach (string span in lengthChecked)
                writer.Line($"KernelGuard.RequireLength({span}.Length, __n, nameof({span}));");
            foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                writer.Line($"KernelGuard.RequireLength(gradient{p.Name}.Length, 1, nameof(gradient{p.Name}));");
            foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                writer.Line($"float __total{p.Name} = 0f;");
            writer.Line("int __k = 0;");
            writer.Line();
            foreach (SimdFlavor flavor in new[] { SimdFlavor.Vector512, SimdFlavor.Vector256 })
            {
                string count = $"{flavor.FloatType}.Count";
                using (writer.Block($"if ({flavor.Vector}.IsHardwareAccelerated)"))
                {
                    foreach (ParamInfo p in neuron.Parameters.Where(p => !p.PerNeuron))
                        writer.Line($"{flavor.FloatType} {p.Name} = {flavor.Splat("param" + p.Name)};");
                    if (neuron.IsSpiking) writer.Line($"{flavor.FloatType} __epsilon = {flavor.Splat("sparseEpsilon")};");
                    foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                        writer.Line($"{flavor.FloatType} __sum{p.Name} = {flavor.FloatType}.Zero;");
                    using (writer.Block($"for (; __k <= __n - {count}; __k += {count})"))
                        WriteNeuron(writer, neuron, d, trainable, new ExprEmitter(flavor));
                    foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                        writer.Line($"__total{p.Name} += {flavor.Vector}.Sum(__sum{p.Name});");
                }
                writer.Line();
            }
            writer.Line("// Scalar tail (and the whole population where no SIMD is available).");
            using (writer.Block("for (; __k < __n; __k++)"))
            {
                foreach (ParamInfo p in neuron.Parameters.Where(p => !p.PerNeuron))
                    writer.Line($"float {p.Name} = param{p.Name};");
                WriteNeuron(writer, neuron, d, trainable, new ExprEmitter(SimdFlavor.Scalar));
            }
            foreach (ParamInfo p in trainable.Where(p => !p.PerNeuron))
                writer.Line($"gradient{p.Name}[0] += __total{p.Name};");
        }
    }

    private static void WriteNeuron(IndentedWriter writer, NeuronModel neuron, StepDerivatives d, List<ParamInfo> trainable, ExprEmitter emitter)
    {
        SimdFlavor flavor = emitter.Flavor;
        string type = flavor.FloatType;
        string zero = flavor.IsScalar ? "0f" : $"{type}.Zero";

        writer.Line("// Recompute the step from h_{t−1}: Integrate, S = Fires(), reset candidates (SSA).");
        for (int s = 0; s < neuron.States.Count; s++)
            writer.Line($"{type} {d.StateInputs[s]} = {LoadSpan(flavor, "previous" + neuron.States[s])};");
        foreach (ParamInfo p in neuron.Parameters.Where(p => p.PerNeuron))
            writer.Line($"{type} {p.Name} = {LoadSpan(flavor, "param" + p.Name)};");
        writer.Line($"{type} input = {LoadSpan(flavor, "synapticInput")};");
        foreach (Assign assign in LiveForward(d))
            writer.Line($"{type} {assign.Name} = {emitter.Emit(assign.Value)};");
        if (d.Fired is not null)
        {
            writer.Line($"{flavor.MaskType} {StepDerivatives.FiredMask} = {emitter.Emit(d.Fired)};");
            string x = emitter.Emit(d.SurrogateArgument!);
            writer.Line($"{type} {StepDerivatives.SurrogateValue} = {neuron.Surrogate}.Derivative({x});");
        }

        writer.Line("// Adjoints: seeds ∂L/∂h_t and ∂L/∂S_t, the rest start at zero.");
        foreach (string state in neuron.States)
            writer.Line($"{type} adj{state} = {LoadSpan(flavor, "adjoint" + state)};");
        var seeded = new HashSet<string>(neuron.States.Select(s => "adj" + s));
        if (neuron.IsSpiking)
        {
            writer.Line($"{type} {StepDerivatives.SpikeAdjoint} = {LoadSpan(flavor, "adjointSpikes")};");
            seeded.Add(StepDerivatives.SpikeAdjoint);
        }
        foreach (string adjoint in d.Adjoints.Where(a => !seeded.Contains(a)))
            writer.Line($"{type} {adjoint} = {zero};");
        foreach (string input in d.AdjointOfStateInput.Concat(new[] { StepDerivatives.InputAdjoint }).Where(a => !d.Adjoints.Contains(a)))
            writer.Line($"{type} {input} = {zero};");
        foreach (ParamInfo p in trainable.Where(p => !d.Adjoints.Contains(StepDerivatives.GradientOf(p.Name))))
            writer.Line($"{type} {StepDerivatives.GradientOf(p.Name)} = {zero};");

        writer.Line("// Reverse mode: reset (where S), spike (σ′ for Θ′), Integrate.");
        foreach (Assign assign in d.Backward)
            writer.Line($"{assign.Name} = {emitter.Emit(assign.Value)};");

        if (neuron.IsSpiking)
        {
            writer.Line("// Sparse backward: cut the adjoints where σ′ < ε (a no-op for ε = 0).");
            string keep = flavor.IsScalar ? $"{StepDerivatives.SurrogateValue} >= sparseEpsilon" : $"{flavor.Vector}.GreaterThanOrEqual({StepDerivatives.SurrogateValue}, __epsilon)";
            writer.Line($"{flavor.MaskType} __keep = {keep};");
            foreach (string adjoint in d.AdjointOfStateInput.Concat(new[] { StepDerivatives.InputAdjoint }))
                writer.Line($"{adjoint} = {flavor.Select("__keep", adjoint, zero)};");
        }

        for (int s = 0; s < neuron.States.Count; s++)
            writer.Line(flavor.Store(d.AdjointOfStateInput[s], $"MemoryMarshal.GetReference(adjoint{neuron.States[s]})", "__k"));
        writer.Line(flavor.Store(StepDerivatives.InputAdjoint, "MemoryMarshal.GetReference(adjointInput)", "__k"));
        foreach (ParamInfo p in trainable)
        {
            string gradient = StepDerivatives.GradientOf(p.Name);
            if (p.PerNeuron)
                writer.Line(flavor.Store($"{LoadSpan(flavor, "gradient" + p.Name)} + {gradient}", $"MemoryMarshal.GetReference(gradient{p.Name})", "__k"));
            else
                writer.Line(flavor.IsScalar ? $"__total{p.Name} += {gradient};" : $"__sum{p.Name} += {gradient};");
        }
    }

    /// <summary>The forward SSA assignments that the spike test or the adjoint statements read (directly or not).</summary>
    private static IEnumerable<Assign> LiveForward(StepDerivatives d)
    {
        var live = new HashSet<string>();
        void Read(Expr e) => IrWalker.Any(e, x => { if (x is LocalRef l) live.Add(l.Name); return false; });
        foreach (Assign assign in d.Backward) Read(assign.Value);
        if (d.SurrogateArgument is not null) Read(d.SurrogateArgument);
        if (d.Fired is not null) IrWalker.Any(d.Fired, x => { if (x is LocalRef l) live.Add(l.Name); return false; });
        var kept = new List<Assign>();
        foreach (Assign assign in Enumerable.Reverse(d.Forward))
        {
            if (!live.Contains(assign.Name)) continue;
            kept.Insert(0, assign);
            Read(assign.Value);
        }
        return kept;
    }

    private static string LoadSpan(SimdFlavor flavor, string span) => flavor.Load($"MemoryMarshal.GetReference({span})", "__k");
}
