using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits the step of a neuron declared in integer arithmetic (<see cref="IntegerNeuronModel"/>):
/// <c>Step(Span&lt;short|int&gt; state…, ReadOnlySpan&lt;int&gt; port…, parameter…, Span&lt;ulong&gt; spikes)</c>, a
/// Vector512 loop, a Vector256 loop and a scalar tail. Every value is an int lane, as C# promotes shorts to int; the
/// vector operations wrap as unchecked C# does, and an if selects lanes where the scalar code branches, so every width
/// computes what the struct's own Integrate, Fires and Reset compute, neuron by neuron. Each line carries the C# it
/// implements as a comment.
/// </summary>
internal static class IntegerNeuronEmitter
{
    private const string Intrinsics = "global::System.Runtime.Intrinsics.";

    public static string Emit(IntegerNeuronModel neuron) => SourceFile.Write(neuron.Type, writer =>
    {
        using (writer.Block($"partial struct {neuron.Type.Identifier}"))
            WriteStep(writer, neuron);
    });

    private static void WriteStep(IndentedWriter writer, IntegerNeuronModel neuron)
    {
        bool spiking = neuron.Fires is not null;
        IEnumerable<IntStatement> all = neuron.Integrate.Concat(neuron.Reset);
        var laneParameters = neuron.Parameters.Where(p => Statements(all).SelectMany(LaneReads).Concat(neuron.Fires is null ? [] : ConditionReads(neuron.Fires)).Contains(p.Name)).ToList();
        string firstPort = neuron.Ports[0];

        writer.Line("/// <summary>");
        writer.Line($"/// One step of every neuron, bit for bit what <see cref=\"Integrate\"/>{(spiking ? ", <see cref=\"Fires\"/>" : "")}{(neuron.Reset.Count > 0 ? " and <see cref=\"Reset\"/>" : "")}");
        writer.Line("/// compute when called on each neuron in plain C# (docs/fixed-point.md, \"Neurons declared in integer arithmetic\").");
        writer.Line("/// </summary>");
        foreach (IntegerField state in neuron.States) writer.Line($"/// <param name=\"state{state.Name}\">State {state.Name}, one {state.TypeName} per neuron, updated in place.</param>");
        foreach (string port in neuron.Ports) writer.Line($"/// <param name=\"{IntegerNeuronModel.PortSpan(port)}\">The input '{port}' of this step (Integrate's argument), one int per neuron.</param>");
        foreach (IntegerField p in neuron.Parameters) writer.Line($"/// <param name=\"{p.Name}\">Parameter {p.Name}, the same for every neuron.</param>");
        if (spiking) writer.Line("/// <param name=\"spikes\">Bit-packed spikes of this step, one bit per neuron.</param>");
        writer.Line(SourceFile.GeneratedCode);
        writer.Line(SourceFile.Optimized);
        string arguments = string.Join(", ", neuron.States.Select(s => $"global::System.Span<{s.TypeName}> state{s.Name}")
            .Concat(neuron.Ports.Select(p => $"global::System.ReadOnlySpan<int> {IntegerNeuronModel.PortSpan(p)}"))
            .Concat(neuron.Parameters.Select(p => $"{p.TypeName} {Id(p.Name)}"))
            .Concat(spiking ? ["global::System.Span<ulong> spikes"] : []));
        using (writer.Block($"public static void {neuron.StepName}({arguments})"))
        using (writer.Block("unchecked"))
        {
            writer.Line($"int __n = {IntegerNeuronModel.PortSpan(firstPort)}.Length;");
            foreach (IntegerField state in neuron.States) writer.Line($"global::SnnDsl.KernelGuard.RequireLength(state{state.Name}.Length, __n, \"state{state.Name}\");");
            foreach (string port in neuron.Ports.Skip(1)) writer.Line($"global::SnnDsl.KernelGuard.RequireLength({IntegerNeuronModel.PortSpan(port)}.Length, __n, \"{IntegerNeuronModel.PortSpan(port)}\");");
            if (spiking)
            {
                writer.Line("global::SnnDsl.KernelGuard.RequireLength(spikes.Length, (__n + 63) >> 6, \"spikes\");");
                writer.Line("spikes.Clear();");
            }
            foreach (IntClampBetween clamp in Statements(all).SelectMany(s => Expressions(s)).SelectMany(Clamps).Distinct().Where(c => c.Min is not IntConst || c.Max is not IntConst))
            {
                string min = Scalar(clamp.Min), max = Scalar(clamp.Max);
                writer.Line($"// Math.Clamp throws where its minimum exceeds its maximum; the bounds are the same for every neuron, so checked once.");
                writer.Line($"if ({min} > {max}) throw new global::System.ArgumentException($\"Math.Clamp in {neuron.Type.Name}: the minimum {{{min}}} exceeds the maximum {{{max}}}.\");");
            }
            foreach (IntegerField state in neuron.States)
                writer.Line($"ref {state.TypeName} __{state.Name} = ref {SimdFlavor.MemoryMarshal}.GetReference(state{state.Name});");
            foreach (string port in neuron.Ports) writer.Line($"ref int __{port} = ref {SimdFlavor.MemoryMarshal}.GetReference({IntegerNeuronModel.PortSpan(port)});");
            writer.Line("int __k = 0;");

            foreach (string vector in new[] { "Vector512", "Vector256" })
            {
                writer.Line();
                string type = Intrinsics + vector;
                var lanes = new Lanes(vector);
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    foreach (IntegerField p in laneParameters) writer.Line($"{type}<int> __{p.Name}Lanes = {type}.Create((int){Id(p.Name)});");
                    using (writer.Block($"for (; __k <= __n - {type}<int>.Count; __k += {type}<int>.Count)"))
                    {
                        foreach (IntegerField state in neuron.States)
                            writer.Line(state.Bits == 16
                                ? $"{type}<int> {Id(state.Name)} = global::SnnDsl.FixedPoint.ShortLanes.Load{vector.Substring(6)}(ref __{state.Name}, (uint)__k);"
                                : $"{type}<int> {Id(state.Name)} = {type}.LoadUnsafe(ref __{state.Name}, (uint)__k);");
                        foreach (string port in neuron.Ports) writer.Line($"{type}<int> {Id(port)} = {type}.LoadUnsafe(ref __{port}, (uint)__k);");
                        writer.Line("// Integrate");
                        lanes.Statements(writer, neuron.Integrate, mask: null, []);
                        if (neuron.Fires is not null)
                        {
                            writer.Line($"// Fires: {neuron.FiresSource}");
                            writer.Line($"{type}<int> __fired = {lanes.Condition(neuron.Fires)};");
                            if (neuron.Reset.Count > 0)
                            {
                                writer.Line("// Reset where fired");
                                lanes.Statements(writer, neuron.Reset, "__fired", []);
                            }
                            writer.Line($"spikes[__k >> 6] |= {(vector == "Vector512" ? "" : "(ulong)")}{type}.ExtractMostSignificantBits(__fired) << (__k & 63);");
                        }
                        foreach (IntegerField state in neuron.States)
                            writer.Line(state.Bits == 16
                                ? $"global::SnnDsl.FixedPoint.ShortLanes.Store({Id(state.Name)}, ref __{state.Name}, (uint)__k);"
                                : $"{type}.StoreUnsafe({Id(state.Name)}, ref __{state.Name}, (uint)__k);");
                    }
                }
            }

            writer.Line();
            writer.Line("// Scalar tail (and the whole population where no SIMD is available): the methods as written.");
            using (writer.Block("for (; __k < __n; __k++)"))
            {
                foreach (IntegerField state in neuron.States) writer.Line($"int {Id(state.Name)} = {SimdFlavor.Unsafe}.Add(ref __{state.Name}, __k);");
                foreach (string port in neuron.Ports) writer.Line($"int {Id(port)} = {SimdFlavor.Unsafe}.Add(ref __{port}, __k);");
                writer.Line("// Integrate");
                ScalarStatements(writer, neuron.Integrate);
                if (neuron.Fires is not null)
                {
                    writer.Line($"// Fires: {neuron.FiresSource}");
                    using (writer.Block($"if ({ScalarCondition(neuron.Fires)})"))
                    {
                        if (neuron.Reset.Count > 0) writer.Line("// Reset");
                        ScalarStatements(writer, neuron.Reset);
                        writer.Line("spikes[__k >> 6] |= 1UL << (__k & 63);");
                    }
                }
                foreach (IntegerField state in neuron.States)
                    writer.Line($"{SimdFlavor.Unsafe}.Add(ref __{state.Name}, __k) = {(state.Bits == 16 ? "(short)" : "")}{Id(state.Name)};");
            }
        }
    }

    /// <summary>Vector code of one width: every value a Vector{512,256}&lt;int&gt;, every branch a lane mask.</summary>
    private sealed class Lanes(string vector)
    {
        private readonly string _type = Intrinsics + vector;
        private int _masks;

        /// <summary>
        /// Statements under <paramref name="mask"/> (null: every lane): an assignment to a value declared outside the
        /// masked block keeps the other lanes' value; an if computes its branches' masks and runs both.
        /// </summary>
        public void Statements(IndentedWriter writer, IEnumerable<IntStatement> statements, string? mask, HashSet<string> declaredHere)
        {
            foreach (IntStatement statement in statements)
            {
                writer.Line($"// {statement.Source}");
                switch (statement)
                {
                    case IntLet let:
                        writer.Line($"{_type}<int> {Id(let.Name)} = {Value(let.Value)};");
                        declaredHere.Add(let.Name);
                        break;
                    case IntSet set when mask is null || declaredHere.Contains(set.Target):
                        writer.Line($"{Id(set.Target)} = {Value(set.Value)};");
                        break;
                    case IntSet set:
                        writer.Line($"{Id(set.Target)} = {_type}.ConditionalSelect({mask}, {Value(set.Value)}, {Id(set.Target)});");
                        break;
                    case IntIf branch:
                    {
                        string then = $"__then{_masks}", otherwise = $"__else{_masks}";
                        _masks++;
                        string condition = Condition(branch.Condition);
                        writer.Line($"{_type}<int> {then} = {(mask is null ? condition : $"{mask} & {condition}")};");
                        using (writer.Block()) Statements(writer, branch.Then, then, []);
                        if (branch.Else.Count > 0)
                        {
                            writer.Line("// else");
                            writer.Line($"{_type}<int> {otherwise} = {(mask is null ? $"~{then}" : $"{_type}.AndNot({mask}, {then})")};");
                            using (writer.Block()) Statements(writer, branch.Else, otherwise, []);
                        }
                        break;
                    }
                }
            }
        }

        public string Value(IntExpr expr) => expr switch
        {
            IntConst c => $"{_type}.Create({Literal(c.Value)})",
            IntParam p => $"__{p.Name}Lanes",
            IntState s => Id(s.Name),
            IntInput i => Id(i.Name),
            IntAdd a => $"({Value(a.Left)} + {Value(a.Right)})",
            IntSubtract s => $"({Value(s.Left)} - {Value(s.Right)})",
            IntMultiply m => $"({Value(m.Left)} * {Value(m.Right)})",
            IntBitwise b => $"({Value(b.Left)} {Operator(b.Op)} {Value(b.Right)})",
            IntNegate n => $"(-{Value(n.Value)})",
            IntComplement c => $"(~{Value(c.Value)})",
            IntShiftLeftBy l => $"{_type}.ShiftLeft({Value(l.Value)}, {ShiftCount(l.Shift)})",
            IntShiftRightBy r => $"{_type}.{(r.Logical ? "ShiftRightLogical" : "ShiftRightArithmetic")}({Value(r.Value)}, {ShiftCount(r.Shift)})",
            IntTruncate t => $"global::SnnDsl.FixedPoint.IntegerLanes.Truncate({Value(t.Value)}, {t.Bits})",
            IntMin m => $"{_type}.Min({Value(m.Left)}, {Value(m.Right)})",
            IntMax m => $"{_type}.Max({Value(m.Left)}, {Value(m.Right)})",
            IntClampBetween c => $"{_type}.Min({_type}.Max({Value(c.Value)}, {Value(c.Min)}), {Value(c.Max)})",
            IntSelect s => $"{_type}.ConditionalSelect({Condition(s.Condition)}, {Value(s.WhenTrue)}, {Value(s.WhenFalse)})",
            _ => throw new System.ArgumentOutOfRangeException(nameof(expr)),
        };

        /// <summary>A lane mask: all ones where the condition holds.</summary>
        public string Condition(IntCondition condition) => condition switch
        {
            IntCompare { Op: IntComparison.Equal } c => $"{_type}.Equals({Value(c.Left)}, {Value(c.Right)})",
            IntCompare { Op: IntComparison.NotEqual } c => $"~{_type}.Equals({Value(c.Left)}, {Value(c.Right)})",
            IntCompare c => $"{_type}.{c.Op switch { IntComparison.Less => "LessThan", IntComparison.LessOrEqual => "LessThanOrEqual", IntComparison.Greater => "GreaterThan", _ => "GreaterThanOrEqual" }}({Value(c.Left)}, {Value(c.Right)})",
            IntBoth b => $"({Condition(b.Left)} & {Condition(b.Right)})",
            IntEither e => $"({Condition(e.Left)} | {Condition(e.Right)})",
            IntNot { Condition: IntCompare c } => Condition(c with { Op = Negation(c.Op) }),
            IntNot n => $"~{Condition(n.Condition)}",
            _ => throw new System.ArgumentOutOfRangeException(nameof(condition)),
        };
    }

    /// <summary>The comparison that holds where <paramref name="op"/> does not (exact on ints, which have no NaN).</summary>
    private static IntComparison Negation(IntComparison op) => op switch
    {
        IntComparison.Less => IntComparison.GreaterOrEqual,
        IntComparison.LessOrEqual => IntComparison.Greater,
        IntComparison.Greater => IntComparison.LessOrEqual,
        IntComparison.GreaterOrEqual => IntComparison.Less,
        IntComparison.Equal => IntComparison.NotEqual,
        _ => IntComparison.Equal,
    };

    /// <summary>The scalar statements: the methods' own C#, on ints.</summary>
    private static void ScalarStatements(IndentedWriter writer, IEnumerable<IntStatement> statements)
    {
        foreach (IntStatement statement in statements)
        {
            switch (statement)
            {
                case IntLet let:
                    writer.Line($"// {let.Source}");
                    writer.Line($"int {Id(let.Name)} = {Scalar(let.Value)};");
                    break;
                case IntSet set:
                    writer.Line($"// {set.Source}");
                    writer.Line($"{Id(set.Target)} = {Scalar(set.Value)};");
                    break;
                case IntIf branch:
                    writer.Line($"// {branch.Source}");
                    using (writer.Block($"if ({ScalarCondition(branch.Condition)})")) ScalarStatements(writer, branch.Then);
                    if (branch.Else.Count > 0)
                        using (writer.Block("else")) ScalarStatements(writer, branch.Else);
                    break;
            }
        }
    }

    private static string Scalar(IntExpr expr) => expr switch
    {
        IntConst c => Literal(c.Value),
        IntParam p => Id(p.Name),
        IntState s => Id(s.Name),
        IntInput i => Id(i.Name),
        IntAdd a => $"({Scalar(a.Left)} + {Scalar(a.Right)})",
        IntSubtract s => $"({Scalar(s.Left)} - {Scalar(s.Right)})",
        IntMultiply m => $"({Scalar(m.Left)} * {Scalar(m.Right)})",
        IntBitwise b => $"({Scalar(b.Left)} {Operator(b.Op)} {Scalar(b.Right)})",
        IntNegate n => $"(-{Scalar(n.Value)})",
        IntComplement c => $"(~{Scalar(c.Value)})",
        IntShiftLeftBy l => $"({Scalar(l.Value)} << {Scalar(l.Shift)})",
        IntShiftRightBy { Logical: false } r => $"({Scalar(r.Value)} >> {Scalar(r.Shift)})",
        IntShiftRightBy r => $"(int)((uint){Scalar(r.Value)} >> {Scalar(r.Shift)})",
        IntTruncate { Bits: 16 } t => $"(short){Scalar(t.Value)}",
        IntMin m => $"global::System.Math.Min({Scalar(m.Left)}, {Scalar(m.Right)})",
        IntMax m => $"global::System.Math.Max({Scalar(m.Left)}, {Scalar(m.Right)})",
        IntClampBetween c => $"global::System.Math.Clamp({Scalar(c.Value)}, {Scalar(c.Min)}, {Scalar(c.Max)})",
        IntSelect s => $"({ScalarCondition(s.Condition)} ? {Scalar(s.WhenTrue)} : {Scalar(s.WhenFalse)})",
        _ => throw new System.ArgumentOutOfRangeException(nameof(expr)),
    };

    private static string ScalarCondition(IntCondition condition) => condition switch
    {
        IntCompare c => $"{Scalar(c.Left)} {c.Op switch { IntComparison.Less => "<", IntComparison.LessOrEqual => "<=", IntComparison.Greater => ">", IntComparison.GreaterOrEqual => ">=", IntComparison.Equal => "==", _ => "!=" }} {Scalar(c.Right)}",
        IntBoth b => $"({ScalarCondition(b.Left)} && {ScalarCondition(b.Right)})",
        IntEither e => $"({ScalarCondition(e.Left)} || {ScalarCondition(e.Right)})",
        IntNot n => $"!({ScalarCondition(n.Condition)})",
        _ => throw new System.ArgumentOutOfRangeException(nameof(condition)),
    };

    /// <summary>A vector shift's count: C# shifts an int by the count's low 5 bits, so the kernel masks it (a constant here).</summary>
    private static string ShiftCount(IntExpr shift) => shift is IntConst c ? Literal(c.Value & 31) : $"{Scalar(shift)} & 31";

    /// <summary>A user's name as an identifier (escaped where it is a keyword: a state declared @event).</summary>
    private static string Id(string name) => NameScope.Escape(name);

    private static string Operator(IntBitwiseOp op) => op switch { IntBitwiseOp.And => "&", IntBitwiseOp.Or => "|", _ => "^" };

    private static string Literal(int value) => value == int.MinValue ? "int.MinValue" : value.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<IntStatement> Statements(IEnumerable<IntStatement> statements) =>
        statements.SelectMany(s => s is IntIf branch ? Statements(branch.Then).Concat(Statements(branch.Else)).Prepend(s) : [s]);

    private static IEnumerable<IntExpr> Expressions(IntStatement statement) => statement switch
    {
        IntLet let => [let.Value],
        IntSet set => [set.Value],
        IntIf branch => Operands(branch.Condition),
        _ => [],
    };

    private static IEnumerable<IntExpr> Operands(IntCondition condition) => condition switch
    {
        IntCompare c => [c.Left, c.Right],
        IntBoth b => Operands(b.Left).Concat(Operands(b.Right)),
        IntEither e => Operands(e.Left).Concat(Operands(e.Right)),
        IntNot n => Operands(n.Condition),
        _ => [],
    };

    private static IEnumerable<IntExpr> Children(IntExpr expr) => expr switch
    {
        IntAdd a => [a.Left, a.Right],
        IntSubtract s => [s.Left, s.Right],
        IntMultiply m => [m.Left, m.Right],
        IntBitwise b => [b.Left, b.Right],
        IntNegate n => [n.Value],
        IntComplement c => [c.Value],
        IntShiftLeftBy l => [l.Value, l.Shift],
        IntShiftRightBy r => [r.Value, r.Shift],
        IntTruncate t => [t.Value],
        IntMin m => [m.Left, m.Right],
        IntMax m => [m.Left, m.Right],
        IntClampBetween c => [c.Value, c.Min, c.Max],
        IntSelect s => Operands(s.Condition).Concat([s.WhenTrue, s.WhenFalse]),
        _ => [],
    };

    private static IEnumerable<IntClampBetween> Clamps(IntExpr expr) =>
        (expr is IntClampBetween c ? [c] : Enumerable.Empty<IntClampBetween>()).Concat(Children(expr).SelectMany(Clamps));

    /// <summary>The parameters an expression reads as lanes (a shift count is read as a scalar).</summary>
    private static IEnumerable<string> LaneReads(IntStatement statement) => Expressions(statement).SelectMany(LaneReads);

    private static IEnumerable<string> LaneReads(IntExpr expr) => expr switch
    {
        IntParam p => [p.Name],
        IntShiftLeftBy l => LaneReads(l.Value),
        IntShiftRightBy r => LaneReads(r.Value),
        _ => Children(expr).SelectMany(LaneReads),
    };

    private static IEnumerable<string> ConditionReads(IntCondition condition) => Operands(condition).SelectMany(LaneReads);
}
