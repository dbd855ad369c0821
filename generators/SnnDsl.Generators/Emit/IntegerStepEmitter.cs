using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits a neuron's integer step on a chip (<see cref="IntegerKernel"/>, lowered by Passes/FixedPointLowering.cs):
/// <c>Step{Chip}(Span&lt;int&gt; state…, ReadOnlySpan&lt;int&gt; input, int register…, Span&lt;ulong&gt; spikes)</c> (or
/// <c>Span&lt;int&gt; spikeCounts</c> for a chip that spikes several times a step), a Vector512 loop, a Vector256 loop and a
/// scalar tail like the float kernels, each line commented with the chip's equation. Every width calls the same
/// <c>SnnDsl.FixedPoint.IntegerLanes</c> operations, whose lanes give the scalar bits.
/// </summary>
internal static class IntegerStepEmitter
{
    private const string Lanes = "global::SnnDsl.FixedPoint.IntegerLanes";

    public static void Write(IndentedWriter writer, IntegerKernel kernel)
    {
        // Sub-expressions of the arguments only (a decay factor, the shifted threshold) are computed once per call.
        var invariants = new List<(string Name, IntExpr Value)>();
        var updates = kernel.Updates.Select(a => a with { Value = Hoist(a.Value, invariants) }).ToList();
        IntExpr? threshold = kernel.Threshold is { } test ? Hoist(test, invariants) : null;
        IntExpr? cap = kernel.SpikeCap is { } spikeCap ? Hoist(spikeCap, invariants) : null;
        var reset = kernel.Reset.Select(a => a with { Value = Hoist(a.Value, invariants) }).ToList();
        var after = kernel.AfterSpike.Select(a => a with { Value = Hoist(a.Value, invariants) }).ToList();

        string port = kernel.Ports[0];
        List<(string Name, string Argument)> inputs = [(port, "synapticInput"), .. kernel.MoreInputs.Select(i => (i.Name, i.Argument))];
        List<string> loopReads = updates.Select(u => u.Value).Concat(threshold is null ? [] : [threshold]).Concat(reset.Select(r => r.Value)).Concat(after.Select(a => a.Value))
            .Concat(cap is null ? [] : [cap]).SelectMany(Reads).Distinct().ToList();
        writer.Line($"/// <summary>");
        writer.Line($"/// One step on {kernel.Chip}, bit for bit as {Xml(kernel.Source)} computes it: the integer lowering of");
        writer.Line($"/// <see cref=\"Step\"/> (docs/fixed-point.md, \"Generated integer kernels\"). States are the chip's {Xml(kernel.StateWidth)} integers.");
        writer.Line($"/// </summary>");
        foreach (string state in kernel.States) writer.Line($"/// <param name=\"state{state}\">State {state}, one int per neuron, updated in place.</param>");
        writer.Line($"/// <param name=\"synapticInput\">The port '{port}' of this step ({Xml(kernel.InputMeaning)}), one int per neuron.</param>");
        foreach (IntPort more in kernel.MoreInputs)
            writer.Line($"/// <param name=\"{more.Argument}\">The port '{more.Name}' of this step ({Xml(more.Meaning)}), one int per neuron.</param>");
        foreach (IntParameter p in kernel.Parameters)
            writer.Line($"/// <param name=\"{p.Name}\">The {Xml(p.Meaning)}{(p.Unsigned || (p.Min == int.MinValue && p.Max == int.MaxValue) ? "" : $"; {p.Min}…{p.Max}")}.</param>");
        if (!kernel.Readout)
            writer.Line(cap is null
                ? "/// <param name=\"spikes\">Bit-packed spikes of this step, one bit per neuron.</param>"
                : "/// <param name=\"spikeCounts\">Spikes of this step, one count per neuron.</param>");
        writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">An argument is outside the chip's range.</exception>");
        writer.Line(SourceFile.GeneratedCode);
        writer.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        string arguments = string.Join(", ", kernel.States.Select(s => $"global::System.Span<int> state{s}")
            .Concat(inputs.Select(i => $"global::System.ReadOnlySpan<int> {i.Argument}"))
            .Concat(kernel.Parameters.Select(p => $"{(p.Unsigned ? "uint" : "int")} {p.Name}"))
            .Concat(kernel.Readout ? [] : [cap is null ? "global::System.Span<ulong> spikes" : "global::System.Span<int> spikeCounts"]));
        using (writer.Block($"public static void {kernel.MethodName}({arguments})"))
        {
            writer.Line("int __n = synapticInput.Length;");
            foreach (string state in kernel.States) writer.Line($"global::SnnDsl.KernelGuard.RequireLength(state{state}.Length, __n, \"state{state}\");");
            foreach (IntPort more in kernel.MoreInputs) writer.Line($"global::SnnDsl.KernelGuard.RequireLength({more.Argument}.Length, __n, \"{more.Argument}\");");
            if (!kernel.Readout)
                writer.Line(cap is null
                    ? "global::SnnDsl.KernelGuard.RequireLength(spikes.Length, (__n + 63) >> 6, \"spikes\");"
                    : "global::SnnDsl.KernelGuard.RequireLength(spikeCounts.Length, __n, \"spikeCounts\");");
            foreach (IntParameter p in kernel.Parameters.Where(p => !p.Unsigned && (p.Min > int.MinValue || p.Max < int.MaxValue)))
                writer.Line($"{Lanes}.RequireRange({p.Name}, {p.Min}, {p.Max}, \"{p.Name}\");");
            if (cap is null && !kernel.Readout) writer.Line("spikes.Clear();");
            foreach (string state in kernel.States)
                writer.Line($"ref int __{state} = ref {SimdFlavor.MemoryMarshal}.GetReference(state{state});");
            foreach ((string name, string argument) in inputs) writer.Line($"ref int __{name} = ref {SimdFlavor.MemoryMarshal}.GetReference({argument});");
            if (cap is not null && !kernel.Readout) writer.Line($"ref int __spikeCounts = ref {SimdFlavor.MemoryMarshal}.GetReference(spikeCounts);");
            foreach ((string name, IntExpr value) in invariants) writer.Line($"int {name} = {Expression(value, null)};");
            writer.Line("int __k = 0;");
            foreach (string vector in new[] { "Vector512", "Vector256" })
            {
                writer.Line();
                string type = $"global::System.Runtime.Intrinsics.{vector}";
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    foreach (string name in loopReads) writer.Line($"{type}<int> {name}Lanes = {type}.Create({name});");
                    using (writer.Block($"for (; __k <= __n - {type}<int>.Count; __k += {type}<int>.Count)"))
                    {
                        foreach (string state in kernel.States) writer.Line($"{type}<int> {state} = {type}.LoadUnsafe(ref __{state}, (uint)__k);");
                        foreach ((string name, _) in inputs) writer.Line($"{type}<int> {name} = {type}.LoadUnsafe(ref __{name}, (uint)__k);");
                        foreach (IntAssign update in updates) Assign(writer, kernel, update, vector);
                        if (threshold is not null) VectorSpikes(writer, kernel, threshold, cap, reset, type, vector);
                        else writer.Line($"// {kernel.SpikeEquation}");
                        foreach (IntAssign update in after) Assign(writer, kernel, update, vector);
                        foreach (string state in kernel.States) writer.Line($"{type}.StoreUnsafe({state}, ref __{state}, (uint)__k);");
                    }
                }
            }
            writer.Line();
            writer.Line("// Scalar tail (and the whole population where no SIMD is available): the same operations, the same bits.");
            using (writer.Block("for (; __k < __n; __k++)"))
            {
                foreach (string state in kernel.States) writer.Line($"int {state} = {SimdFlavor.Unsafe}.Add(ref __{state}, __k);");
                foreach ((string name, _) in inputs) writer.Line($"int {name} = {SimdFlavor.Unsafe}.Add(ref __{name}, __k);");
                foreach (IntAssign update in updates) Assign(writer, kernel, update, null);
                if (threshold is not null) ScalarSpikes(writer, kernel, threshold, cap, reset);
                else writer.Line($"// {kernel.SpikeEquation}");
                foreach (IntAssign update in after) Assign(writer, kernel, update, null);
                foreach (string state in kernel.States) writer.Line($"{SimdFlavor.Unsafe}.Add(ref __{state}, __k) = {state};");
            }
        }
    }

    /// <summary>
    /// The spike test and reset of a Vector512/Vector256 iteration: bit-packed spikes, or the multi-spike loop that counts;
    /// a readout runs the chip's test and reset and writes nothing.
    /// </summary>
    private static void VectorSpikes(IndentedWriter writer, IntegerKernel kernel, IntExpr threshold, IntExpr? cap, List<IntAssign> reset, string type, string vector)
    {
        writer.Line($"// {kernel.SpikeEquation}");
        string test = $"{type}.{(kernel.StrictComparison ? "GreaterThan" : "GreaterThanOrEqual")}({kernel.Membrane}, {Expression(threshold, vector)})";
        if (cap is null)
        {
            writer.Line($"{type}<int> fired = {test};");
            VectorReset(writer, reset, type, vector);
            if (!kernel.Readout)
                writer.Line($"spikes[__k >> 6] |= {(vector == "Vector512" ? "" : "(ulong)")}{type}.ExtractMostSignificantBits(fired) << (__k & 63);");
            return;
        }
        // Lanes that may still spike step together; a mask is −1 where true, so n − mask counts a spike.
        writer.Line($"{type}<int> __count = {type}<int>.Zero;");
        writer.Line($"{type}<int> fired = {test} & {type}.LessThan(__count, {Expression(cap, vector)});");
        using (writer.Block($"while (fired != {type}<int>.Zero)"))
        {
            writer.Line("__count -= fired;");
            VectorReset(writer, reset, type, vector);
            writer.Line($"fired = {test} & {type}.LessThan(__count, {Expression(cap, vector)});");
        }
        if (!kernel.Readout) writer.Line($"{type}.StoreUnsafe(__count, ref __spikeCounts, (uint)__k);");
    }

    /// <summary>The spike test and reset of the scalar tail, as <see cref="VectorSpikes"/>.</summary>
    private static void ScalarSpikes(IndentedWriter writer, IntegerKernel kernel, IntExpr threshold, IntExpr? cap, List<IntAssign> reset)
    {
        writer.Line($"// {kernel.SpikeEquation}");
        string scalarTest = $"{kernel.Membrane} {(kernel.StrictComparison ? ">" : ">=")} {Expression(threshold, null)}";
        if (cap is not null) writer.Line("int __count = 0;");
        using (writer.Block(cap is null ? $"if ({scalarTest})" : $"while ({scalarTest} && __count < {Expression(cap, null)})"))
        {
            foreach (IntAssign r in reset)
            {
                writer.Line($"// {r.Equation}");
                writer.Line($"{r.State} = {Scalar(kernel, r.Value)};");
            }
            if (cap is not null) writer.Line("__count++;");
            else if (!kernel.Readout) writer.Line("spikes[__k >> 6] |= 1UL << (__k & 63);");
        }
        if (cap is not null && !kernel.Readout) writer.Line($"{SimdFlavor.Unsafe}.Add(ref __spikeCounts, __k) = __count;");
    }

    /// <summary>Each reset assignment where <c>fired</c>.</summary>
    private static void VectorReset(IndentedWriter writer, IEnumerable<IntAssign> reset, string type, string vector)
    {
        foreach (IntAssign r in reset)
        {
            writer.Line($"// {r.Equation}");
            writer.Line($"{r.State} = {type}.ConditionalSelect(fired, {Expression(r.Value, vector)}, {r.State});");
        }
    }

    /// <summary>An update of a state, or the declaration of a temporary of the step.</summary>
    private static void Assign(IndentedWriter writer, IntegerKernel kernel, IntAssign update, string? vector)
    {
        writer.Line($"// {update.Equation}");
        string value = vector is null ? Scalar(kernel, update.Value) : Expression(update.Value, vector);
        string declaration = kernel.States.Contains(update.State) ? "" : vector is null ? "int " : $"global::System.Runtime.Intrinsics.{vector}<int> ";
        writer.Line($"{declaration}{update.State} = {value};");
    }

    /// <summary>A scalar expression, unchecked where it adds and the chip's additions wrap (vector lanes always do).</summary>
    private static string Scalar(IntegerKernel kernel, IntExpr expr) =>
        kernel.Wrapping && Adds(expr) ? $"unchecked({Expression(expr, null)})" : Expression(expr, null);

    private static bool Adds(IntExpr expr) => expr switch
    {
        IntAdd or IntSubtract => true,
        IntMultiplyRoundNearest m => Adds(m.Value),
        IntMultiplyUnsignedFraction m => Adds(m.Value),
        IntMultiplyShift m => Adds(m.Value),
        _ => false,
    };

    /// <summary>Replaces each largest sub-expression that reads only arguments and constants (and is not one itself) by a local.</summary>
    private static IntExpr Hoist(IntExpr expr, List<(string Name, IntExpr Value)> invariants)
    {
        if (expr is not (IntConst or IntParam) && IsInvariant(expr))
        {
            int existing = invariants.FindIndex(i => i.Value == expr);
            if (existing >= 0) return new IntParam(invariants[existing].Name);
            string name = "__invariant" + invariants.Count;
            invariants.Add((name, expr));
            return new IntParam(name);
        }
        return expr switch
        {
            IntAdd a => new IntAdd(Hoist(a.Left, invariants), Hoist(a.Right, invariants)),
            IntSubtract s => new IntSubtract(Hoist(s.Left, invariants), Hoist(s.Right, invariants)),
            IntShiftLeft l => l with { Value = Hoist(l.Value, invariants) },
            IntShiftLeftBy l => l with { Value = Hoist(l.Value, invariants), Shift = Hoist(l.Shift, invariants) },
            IntMultiplyShiftTowardZero m => m with { Value = Hoist(m.Value, invariants), Factor = Hoist(m.Factor, invariants) },
            IntWrap w => w with { Value = Hoist(w.Value, invariants) },
            IntSaturate s => s with { Value = Hoist(s.Value, invariants) },
            IntClamp c => c with { Value = Hoist(c.Value, invariants) },
            IntTruncate t => t with { Value = Hoist(t.Value, invariants) },
            IntShiftDecrement d => d with { Value = Hoist(d.Value, invariants), Shift = Hoist(d.Shift, invariants) },
            IntMultiplyRoundNearest m => m with { Value = Hoist(m.Value, invariants), Factor = Hoist(m.Factor, invariants) },
            IntMultiplyUnsignedFraction m => m with { Value = Hoist(m.Value, invariants), Factor = Hoist(m.Factor, invariants) },
            IntMultiplyShift m => m with { Value = Hoist(m.Value, invariants), Factor = Hoist(m.Factor, invariants) },
            _ => expr,
        };
    }

    private static bool IsInvariant(IntExpr expr) => expr switch
    {
        IntConst or IntParam => true,
        IntState or IntInput => false,
        IntAdd a => IsInvariant(a.Left) && IsInvariant(a.Right),
        IntSubtract s => IsInvariant(s.Left) && IsInvariant(s.Right),
        IntShiftLeft l => IsInvariant(l.Value),
        IntShiftLeftBy l => IsInvariant(l.Value) && IsInvariant(l.Shift),
        IntMultiplyShiftTowardZero m => IsInvariant(m.Value) && IsInvariant(m.Factor),
        IntWrap w => IsInvariant(w.Value),
        IntSaturate s => IsInvariant(s.Value),
        IntClamp c => IsInvariant(c.Value),
        IntTruncate t => IsInvariant(t.Value),
        IntShiftDecrement d => IsInvariant(d.Value) && IsInvariant(d.Shift),
        IntMultiplyRoundNearest m => IsInvariant(m.Value) && IsInvariant(m.Factor),
        IntMultiplyUnsignedFraction m => IsInvariant(m.Value) && IsInvariant(m.Factor),
        IntMultiplyShift m => IsInvariant(m.Value) && IsInvariant(m.Factor),
        _ => false,
    };

    /// <summary>The arguments and hoisted locals an expression reads.</summary>
    private static IEnumerable<string> Reads(IntExpr expr) => expr switch
    {
        IntParam p => [p.Name],
        IntAdd a => Reads(a.Left).Concat(Reads(a.Right)),
        IntSubtract s => Reads(s.Left).Concat(Reads(s.Right)),
        IntShiftLeft l => Reads(l.Value),
        IntShiftLeftBy l => Reads(l.Value),
        IntMultiplyShiftTowardZero m => Reads(m.Value).Concat(Reads(m.Factor)),
        IntWrap w => Reads(w.Value),
        IntSaturate s => Reads(s.Value),
        IntClamp c => Reads(c.Value),
        IntTruncate t => Reads(t.Value),
        IntShiftDecrement d => Reads(d.Value),
        IntMultiplyRoundNearest m => Reads(m.Value),
        IntMultiplyUnsignedFraction m => Reads(m.Value),
        IntMultiplyShift m => Reads(m.Value),
        _ => [],
    };

    /// <summary>C# for an integer expression: scalar ints (<paramref name="vector"/> null), or lanes of Vector512/Vector256.</summary>
    private static string Expression(IntExpr expr, string? vector)
    {
        string E(IntExpr e) => Expression(e, vector);
        return expr switch
        {
            IntConst c => vector is null ? c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : $"global::System.Runtime.Intrinsics.{vector}.Create({c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
            IntParam p => vector is null ? p.Name : p.Name + "Lanes",
            IntState s => s.Name,
            IntInput i => i.Name,
            IntAdd a => $"({E(a.Left)} + {E(a.Right)})",
            IntSubtract s => $"({E(s.Left)} - {E(s.Right)})",
            IntShiftLeft l => $"({E(l.Value)} << {l.Shift})",
            IntShiftLeftBy l => $"({E(l.Value)} << {Expression(l.Shift, null)})",
            IntMultiplyShiftTowardZero m => $"{Lanes}.MultiplyShiftTowardZero({E(m.Value)}, {E(m.Factor)}, {m.Shift})",
            IntWrap w => $"{Lanes}.Wrap({E(w.Value)}, {w.Bits})",
            IntSaturate s => $"{Lanes}.Saturate({E(s.Value)}, {s.Bits})",
            IntClamp c => $"{Lanes}.Clamp({E(c.Value)}, {Int(c.Min)}, {Int(c.Max)})",
            IntTruncate t => $"{Lanes}.Truncate({E(t.Value)}, {t.Bits})",
            IntShiftDecrement d => $"{Lanes}.ShiftDecrement({E(d.Value)}, {Expression(d.Shift, null)})",
            IntMultiplyRoundNearest m => $"{Lanes}.MultiplyRoundNearest({E(m.Value)}, {Expression(m.Factor, null)}, {m.Shift})",
            IntMultiplyUnsignedFraction m => $"{Lanes}.MultiplyUnsignedFraction({E(m.Value)}, {Expression(m.Factor, null)})",
            IntMultiplyShift m => $"{Lanes}.MultiplyShift({E(m.Value)}, {Expression(m.Factor, null)}, {m.Shift}, global::SnnDsl.FixedPoint.Rounding.{m.Rounding})",
            _ => throw new System.ArgumentOutOfRangeException(nameof(expr)),
        };
    }

    private static string Int(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
