using System;
using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Passes;

/// <summary>
/// The local derivatives of one time step of a neuron or a synapse, as IR: the step h_{t−1} → h_t rewritten in SSA
/// form (every assignment a new version), and the reverse-mode adjoint statements that map ∂L/∂h_t (and ∂L/∂S_t of a
/// neuron, ∂L/∂(delivered current) of a synapse) to ∂L/∂h_{t−1}, ∂L/∂(each input) and ∂L/∂θ. Θ′ of the spike is
/// replaced by the surrogate's σ′(a − b) (Neftci, Mostafa &amp; Zenke 2019). The backward kernel emitters turn this
/// into code for every SIMD width; <see cref="StepTangents"/> differentiates the same SSA statements forwards.
/// </summary>
/// <remarks>
/// Names the pass introduces contain '#', which no C# identifier can, so they never meet a user's name; the emitters
/// give them readable identifiers through <see cref="Readable"/> and a <see cref="Helpers.NameScope"/>.
/// </remarks>
/// <param name="Forward">SSA recomputation of the step: the body (Integrate or Deliver), then the reset candidates.</param>
/// <param name="Fired">The firing condition over the SSA values after Integrate (null: non-spiking, or a synapse).</param>
/// <param name="SurrogateArgument">x = a − b of the firing condition a &gt; b (or b − a for a &lt; b).</param>
/// <param name="Output">A synapse's delivered current over the SSA values (null for a neuron).</param>
/// <param name="Backward">Adjoint statements, in execution order; every target starts at zero.</param>
/// <param name="Adjoints">All adjoint variable names (declared and zeroed before <paramref name="Backward"/>).</param>
/// <param name="StateInputs">Per state, its SSA name at h_{t−1} (version 0).</param>
/// <param name="AdjointOfStateInput">Per state, the adjoint name that ends as ∂L/∂h_{t−1}.</param>
/// <param name="AdjointOfStateOutput">Per state, the adjoint name seeded with ∂L/∂h_t.</param>
/// <param name="Integrated">Per state, its SSA name after the body (h′, before the reset).</param>
/// <param name="ResetValues">Per state, its SSA name after the reset statements (equal to <paramref name="Integrated"/> where Reset does not assign it).</param>
internal sealed record StepDerivatives(
    EquatableArray<Assign> Forward,
    Cond? Fired,
    Expr? SurrogateArgument,
    Expr? Output,
    EquatableArray<Assign> Backward,
    EquatableArray<string> Adjoints,
    EquatableArray<string> StateInputs,
    EquatableArray<string> AdjointOfStateInput,
    EquatableArray<string> AdjointOfStateOutput,
    EquatableArray<string> Integrated,
    EquatableArray<string> ResetValues)
{
    public const string SpikeAdjoint = "spike#adj";
    public const string OutputAdjoint = "current#adj";
    public const string SurrogateValue = "surrogate#";
    public const string FiredMask = "fired#";

    /// <summary>The name that accumulates ∂L/∂θ for a trainable parameter.</summary>
    public static string GradientOf(string parameter) => "grad#" + parameter;

    /// <summary>The name that accumulates ∂L/∂(input) for a port or a synapse input.</summary>
    public static string InputAdjoint(string input) => "a#in#" + input;

    /// <summary>The identifier an emitter prefers for a name of this pass ("s#U#1" → "U_1", "a#s#U#1" → "adj_U_1").</summary>
    public static string Readable(string name)
    {
        if (StepTangents.IsTangent(name)) return StepTangents.Readable(name);
        if (name.StartsWith("s#", StringComparison.Ordinal) || name.StartsWith("l#", StringComparison.Ordinal))
            return name.Substring(2).Replace('#', '_');
        if (name.StartsWith("a#in#", StringComparison.Ordinal)) return "adj_" + name.Substring(5);
        if (name.StartsWith("a#", StringComparison.Ordinal)) return "adj_" + Readable(name.Substring(2));
        if (name.StartsWith("seed#", StringComparison.Ordinal)) return "adj" + name.Substring(5);
        if (name.StartsWith("grad#", StringComparison.Ordinal)) return "grad" + name.Substring(5);
        return name switch
        {
            SpikeAdjoint => "adjSpike",
            OutputAdjoint => "adjCurrent",
            SurrogateValue => "surrogate",
            FiredMask => "fired",
            _ => name,
        };
    }

    /// <summary>
    /// What the backward kernel of this step reads besides h_{t−1} and the adjoints. A state that the body assigns and
    /// no reset statement does leaves the step as h′ bit for bit, so the kernel loads h′ from h_t (which the forward
    /// pass records) instead of recomputing it; what h′ alone needed, often the step's input, is then not read at all.
    /// A synapse's states are not recorded alongside its drive, so a synapse recomputes everything.
    /// </summary>
    /// <param name="states">The states, in declaration order (as in <see cref="StateInputs"/>).</param>
    /// <param name="spikeState">The [PreviousSpike] state, whose h_t is S_t rather than h′.</param>
    /// <param name="isSynapse">Whether this is a synapse's Deliver.</param>
    public BackwardReads ReadsOf(EquatableArray<string> states, string? spikeState, bool isSynapse)
    {
        var afterStep = new HashSet<string>();
        for (int s = 0; s < states.Count && !isSynapse; s++)
        {
            if (states[s] != spikeState && Integrated[s] != StateInputs[s] && ResetValues[s] == Integrated[s])
                afterStep.Add(Integrated[s]);
        }
        (List<Assign> recomputed, HashSet<string> live, HashSet<string> inputs) = Recomputation(Backward.Select(a => a.Value), afterStep);
        return new BackwardReads(
            Integrated.Select(h => afterStep.Contains(h) && live.Contains(h)).ToEquatableArray(),
            recomputed.ToEquatableArray(),
            inputs.OrderBy(i => i, StringComparer.Ordinal).ToEquatableArray());
    }

    /// <summary>
    /// What recomputing the step takes for <paramref name="roots"/>: liveness, backwards over the SSA statements, from
    /// the roots, the spike test, the surrogate's argument and a synapse's current. The values in
    /// <paramref name="loaded"/> end the walk (the kernel loads them instead of recomputing them).
    /// </summary>
    /// <returns>The statements to recompute, in order; every value read (live); the inputs read.</returns>
    public (List<Assign> Recomputed, HashSet<string> Live, HashSet<string> Inputs) Recomputation(IEnumerable<Expr> roots, ICollection<string> loaded)
    {
        var live = new HashSet<string>();
        var inputs = new HashSet<string>();
        bool Note(Expr x)
        {
            if (x is LocalRef l) live.Add(l.Name);
            else if (x is InputRef i) inputs.Add(i.Name);
            return false;
        }
        void Read(Expr e) => IrWalker.Any(e, Note);
        foreach (Expr root in roots) Read(root);
        if (SurrogateArgument is not null) Read(SurrogateArgument);
        if (Fired is not null) IrWalker.Any(Fired, Note);
        if (Output is not null) Read(Output);
        var recomputed = new List<Assign>();
        foreach (Assign assign in Enumerable.Reverse(Forward))
        {
            if (!live.Contains(assign.Name) || loaded.Contains(assign.Name)) continue;
            recomputed.Insert(0, assign);
            Read(assign.Value);
        }
        return (recomputed, live, inputs);
    }

    public static StepDerivatives Of(NeuronModel neuron) =>
        Of(neuron.States, neuron.Parameters, neuron.Integrate, neuron.Fires, neuron.Reset, neuron.AttachResetGradient, neuron.PreviousSpike, output: null);

    public static StepDerivatives Of(SynapseModel synapse) =>
        Of(synapse.States, synapse.Parameters, synapse.Deliver, fires: null, Block.Empty, attachReset: false, spikeState: null, synapse.Current);

    /// <param name="body">Integrate (neuron) or Deliver's statements (synapse).</param>
    /// <param name="spikeState">The [PreviousSpike] state, which becomes S_t at the end of the step.</param>
    /// <param name="output">The current a synapse delivers; null for a neuron.</param>
    public static StepDerivatives Of(EquatableArray<string> states, EquatableArray<ParamInfo> parameters, Block body, Cond? fires, Block reset,
        bool attachReset, string? spikeState, Expr? output) =>
        new Builder(states, parameters, body, fires, reset, attachReset, spikeState, output).Build();

    private sealed class Builder(
        EquatableArray<string> states, EquatableArray<ParamInfo> parameters, Block body, Cond? fires, Block reset, bool attachReset,
        string? spikeState, Expr? output)
    {
        private readonly HashSet<string> _trainable = new(parameters.Where(p => p.Trainable).Select(p => p.Name));
        private readonly Dictionary<string, int> _version = new();
        private readonly List<Assign> _forward = new();
        private readonly List<(Assign Assign, bool InReset)> _ssa = new();
        private readonly List<Assign> _backward = new();
        private readonly List<string> _adjoints = new();

        private string Current(string name) => name + "#" + _version[name];

        private string Next(string name)
        {
            _version[name] = _version.TryGetValue(name, out int v) ? v + 1 : 0;
            return Current(name);
        }

        private static string StateKey(string state) => "s#" + state;

        private static string LocalKey(string local) => "l#" + local;

        /// <summary>Rewrites reads of states and locals to their current SSA versions.</summary>
        private Expr Rename(Expr expr) => expr switch
        {
            StateRef s => new LocalRef(Current(StateKey(s.Name))),
            LocalRef l => new LocalRef(Current(LocalKey(l.Name))),
            Unary u => u with { Operand = Rename(u.Operand) },
            Binary b => b with { Left = Rename(b.Left), Right = Rename(b.Right) },
            Select s => new Select(Rename(s.Condition), Rename(s.WhenTrue), Rename(s.WhenFalse)),
            Call c => c with { Arguments = c.Arguments.Select(Rename).ToEquatableArray() },
            _ => expr,
        };

        private Cond Rename(Cond cond) => cond switch
        {
            Compare c => c with { Left = Rename(c.Left), Right = Rename(c.Right) },
            Logical l => l with { Left = Rename(l.Left), Right = Rename(l.Right) },
            Not n => n with { Operand = Rename(n.Operand) },
            _ => cond,
        };

        private void AppendSsa(Block block, bool inReset)
        {
            foreach (Assign assign in block.Statements)
            {
                Expr value = Rename(assign.Value);
                string target = Next(assign.IsState ? StateKey(assign.Name) : LocalKey(assign.Name));
                var ssa = new Assign(false, target, value);
                _forward.Add(ssa);
                _ssa.Add((ssa, inReset));
            }
        }

        public StepDerivatives Build()
        {
            // Forward: h_{t−1} as version 0, the body, the firing condition on h', the reset candidates.
            var stateInputs = new List<string>();
            foreach (string state in states) stateInputs.Add(Next(StateKey(state)));
            AppendSsa(body, inReset: false);
            var integrated = states.ToDictionary(s => s, s => Current(StateKey(s)));

            Cond? fired = null;
            Expr? argument = null;
            if (fires is Compare compare)
            {
                fired = Rename(compare);
                var c = (Compare)fired;
                // S = Θ(a − b) for a > b; for a < b the argument is b − a.
                argument = compare.Op is CompareOp.Greater or CompareOp.GreaterOrEqual
                    ? new Binary(BinaryOp.Subtract, c.Left, c.Right)
                    : new Binary(BinaryOp.Subtract, c.Right, c.Left);
            }
            AppendSsa(reset, inReset: true);
            var resetValue = states.ToDictionary(s => s, s => Current(StateKey(s)));
            Expr? delivered = output is null ? null : Rename(output);

            // Seeds: ∂L/∂h_t. Where the neuron fired h_t is the reset value, elsewhere the integrated value.
            var seeds = new List<string>();
            foreach (string state in states)
            {
                string seed = "seed#" + state;
                seeds.Add(seed);
                Declare(seed);
                if (state == spikeState)
                {
                    // The previous-spike state becomes S_t itself: ∂h_t/∂S = 1 when attached, a constant when detached.
                    if (attachReset) Accumulate(SpikeAdjoint, Seed(seed));
                    continue;
                }
                if (resetValue[state] == integrated[state])
                {
                    Accumulate(AdjointOf(integrated[state]), Seed(seed));
                    continue;
                }
                var firedRef = new CondRef(FiredMask);
                Accumulate(AdjointOf(resetValue[state]), new Select(firedRef, Seed(seed), new Const(0f)));
                Accumulate(AdjointOf(integrated[state]), new Select(firedRef, new Const(0f), Seed(seed)));
                if (attachReset)
                {
                    // Attached reset: h_t = S·r(h') + (1 − S)·h' also carries ∂h_t/∂S = r(h') − h'.
                    Accumulate(SpikeAdjoint, new Binary(BinaryOp.Multiply, Seed(seed),
                        new Binary(BinaryOp.Subtract, new LocalRef(resetValue[state]), new LocalRef(integrated[state]))));
                }
            }

            // Reverse through the delivered current (synapse), the reset statements, the spike, then the body.
            if (delivered is not null)
            {
                Declare(OutputAdjoint);
                Propagate(delivered, Seed(OutputAdjoint));
            }
            foreach ((Assign assign, bool inReset) in Enumerable.Reverse(_ssa))
            {
                if (!inReset) continue;
                Propagate(assign.Value, Seed(AdjointOf(assign.Name)));
            }
            if (argument is not null)
            {
                Declare(SpikeAdjoint);
                // ∂S/∂x ≈ σ′(x): the surrogate derivative replaces Θ′.
                Propagate(argument, new Binary(BinaryOp.Multiply, Seed(SpikeAdjoint), new LocalRef(SurrogateValue)));
            }
            foreach ((Assign assign, bool inReset) in Enumerable.Reverse(_ssa))
            {
                if (inReset) continue;
                Propagate(assign.Value, Seed(AdjointOf(assign.Name)));
            }

            return new StepDerivatives(
                _forward.ToEquatableArray(), fired, argument, delivered, _backward.ToEquatableArray(), _adjoints.ToEquatableArray(),
                stateInputs.ToEquatableArray(),
                stateInputs.Select(AdjointOf).ToEquatableArray(),
                seeds.ToEquatableArray(),
                states.Select(s => integrated[s]).ToEquatableArray(),
                states.Select(s => resetValue[s]).ToEquatableArray());
        }

        /// <summary>The adjoint variable of an SSA value.</summary>
        private static string AdjointOf(string ssaName) => "a#" + ssaName;

        private static Expr Seed(string adjoint) => new LocalRef(adjoint);

        private void Declare(string adjoint)
        {
            if (!_adjoints.Contains(adjoint)) _adjoints.Add(adjoint);
        }

        /// <summary>adjoint += contribution.</summary>
        private void Accumulate(string adjoint, Expr contribution)
        {
            Declare(adjoint);
            _backward.Add(new Assign(false, adjoint, new Binary(BinaryOp.Add, new LocalRef(adjoint), contribution)));
        }

        /// <summary>Reverse mode through an expression: distributes its adjoint to the leaves by the chain rule.</summary>
        private void Propagate(Expr expr, Expr adjoint)
        {
            switch (expr)
            {
                case Const:
                case ArgRef:
                    return;
                case LocalRef l:
                    Accumulate(AdjointOf(l.Name), adjoint);
                    return;
                case InputRef i:
                    Accumulate(InputAdjoint(i.Name), adjoint);
                    return;
                case ParamRef p:
                    if (_trainable.Contains(p.Name)) Accumulate(GradientOf(p.Name), adjoint);
                    return;
                case Unary { Op: UnaryOp.Negate } u:
                    Propagate(u.Operand, new Unary(UnaryOp.Negate, adjoint));
                    return;
                case Binary b:
                    PropagateBinary(b, adjoint);
                    return;
                case Select s:
                    // Only the taken branch receives gradient; the condition has derivative zero.
                    Propagate(s.WhenTrue, new Select(s.Condition, adjoint, new Const(0f)));
                    Propagate(s.WhenFalse, new Select(s.Condition, new Const(0f), adjoint));
                    return;
                case Call c:
                    PropagateCall(c, adjoint);
                    return;
                default:
                    throw new ArgumentOutOfRangeException(nameof(expr), expr.GetType().Name);
            }
        }

        private void PropagateBinary(Binary b, Expr adjoint)
        {
            switch (b.Op)
            {
                case BinaryOp.Add:
                    Propagate(b.Left, adjoint);
                    Propagate(b.Right, adjoint);
                    break;
                case BinaryOp.Subtract:
                    Propagate(b.Left, adjoint);
                    Propagate(b.Right, new Unary(UnaryOp.Negate, adjoint));
                    break;
                case BinaryOp.Multiply:
                    Propagate(b.Left, Mul(adjoint, b.Right));
                    Propagate(b.Right, Mul(adjoint, b.Left));
                    break;
                case BinaryOp.Divide:
                    // d(l/r) = dl/r − l·dr/r²
                    Propagate(b.Left, new Binary(BinaryOp.Divide, adjoint, b.Right));
                    Propagate(b.Right, new Unary(UnaryOp.Negate, new Binary(BinaryOp.Divide, Mul(adjoint, b.Left), Mul(b.Right, b.Right))));
                    break;
            }
        }

        private void PropagateCall(Call c, Expr adjoint)
        {
            Expr a = c.Arguments[0];
            switch (c.Function)
            {
                case MathFunction.Exp:
                    Propagate(a, Mul(adjoint, c));
                    break;
                case MathFunction.Log:
                    Propagate(a, new Binary(BinaryOp.Divide, adjoint, a));
                    break;
                case MathFunction.Abs:
                    // d|a| = sign(a), 0 at a = 0.
                    Propagate(a, new Select(new Compare(CompareOp.Greater, a, new Const(0f)), adjoint,
                        new Select(new Compare(CompareOp.Less, a, new Const(0f)), new Unary(UnaryOp.Negate, adjoint), new Const(0f))));
                    break;
                case MathFunction.Sqrt:
                    Propagate(a, new Binary(BinaryOp.Divide, adjoint, Mul(new Const(2f), c)));
                    break;
                case MathFunction.Tanh:
                    Propagate(a, Mul(adjoint, new Binary(BinaryOp.Subtract, new Const(1f), Mul(c, c))));
                    break;
                case MathFunction.Max:
                case MathFunction.Min:
                {
                    // The larger (smaller) argument receives the gradient; ties go to the first.
                    Expr b = c.Arguments[1];
                    var first = new Compare(c.Function == MathFunction.Max ? CompareOp.GreaterOrEqual : CompareOp.LessOrEqual, a, b);
                    Propagate(a, new Select(first, adjoint, new Const(0f)));
                    Propagate(b, new Select(first, new Const(0f), adjoint));
                    break;
                }
                case MathFunction.Pow:
                {
                    // d(a^b) = b·a^(b−1) da + a^b·ln a db
                    Expr b = c.Arguments[1];
                    var powMinusOne = new Call(MathFunction.Pow, new[] { a, new Binary(BinaryOp.Subtract, b, new Const(1f)) }.ToEquatableArray());
                    Propagate(a, Mul(adjoint, Mul(b, powMinusOne)));
                    Propagate(b, Mul(adjoint, Mul(c, new Call(MathFunction.Log, new[] { a }.ToEquatableArray()))));
                    break;
                }
            }
        }

        private static Expr Mul(Expr left, Expr right) => new Binary(BinaryOp.Multiply, left, right);
    }
}

/// <summary>What a backward kernel reads besides h_{t−1} and the adjoints (<see cref="StepDerivatives.ReadsOf"/>).</summary>
/// <param name="AfterStep">Per state, whether h′ is loaded from h_t, the state after the step.</param>
/// <param name="Recomputed">The forward SSA statements the kernel still recomputes, in order.</param>
/// <param name="Inputs">The inputs (ports, a synapse's drive) that those statements and the adjoint statements read.</param>
internal sealed record BackwardReads(EquatableArray<bool> AfterStep, EquatableArray<Assign> Recomputed, EquatableArray<string> Inputs)
{
    public bool ReadsInput(string input) => Inputs.Contains(input);
}
