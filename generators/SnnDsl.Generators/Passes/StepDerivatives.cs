using System;
using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Passes;

/// <summary>
/// The local derivatives of one time step of a neuron, as IR: the step h_{t−1} → h_t rewritten in SSA form (every
/// assignment a new version), and the reverse-mode adjoint statements that map ∂L/∂h_t and ∂L/∂S_t to ∂L/∂h_{t−1},
/// ∂L/∂x_t and ∂L/∂θ. Θ′ of the spike is replaced by the surrogate's σ′(a − b) (Neftci, Mostafa &amp; Zenke 2019).
/// The backward kernel emitter turns this into code for every SIMD width; a forward-mode (eligibility trace) pass
/// can compose the same SSA statements forwards.
/// </summary>
/// <param name="Forward">SSA recomputation of the step: Integrate then the reset candidates.</param>
/// <param name="Fired">The firing condition over the SSA values after Integrate (null: non-spiking).</param>
/// <param name="SurrogateArgument">x = a − b of the firing condition a &gt; b (or b − a for a &lt; b).</param>
/// <param name="Backward">Adjoint statements, in execution order; every target starts at zero.</param>
/// <param name="Adjoints">All adjoint variable names (declared and zeroed before <paramref name="Backward"/>).</param>
/// <param name="StateInputs">Per state, its SSA name at h_{t−1} (version 0).</param>
/// <param name="AdjointOfStateInput">Per state, the adjoint name that ends as ∂L/∂h_{t−1}.</param>
/// <param name="AdjointOfStateOutput">Per state, the adjoint name seeded with ∂L/∂h_t.</param>
internal sealed record StepDerivatives(
    EquatableArray<Assign> Forward,
    Cond? Fired,
    Expr? SurrogateArgument,
    EquatableArray<Assign> Backward,
    EquatableArray<string> Adjoints,
    EquatableArray<string> StateInputs,
    EquatableArray<string> AdjointOfStateInput,
    EquatableArray<string> AdjointOfStateOutput)
{
    public const string SpikeAdjoint = "adjS";
    public const string InputAdjoint = "adjInput";
    public const string SurrogateValue = "surrogate";
    public const string FiredMask = "fired";

    /// <summary>The name that accumulates ∂L/∂θ for a trainable parameter.</summary>
    public static string GradientOf(string parameter) => "grad" + parameter;

    public static StepDerivatives Of(NeuronModel neuron)
    {
        var builder = new Builder(neuron);
        return builder.Build();
    }

    private sealed class Builder
    {
        private readonly NeuronModel _neuron;
        private readonly HashSet<string> _trainable;
        private readonly Dictionary<string, int> _version = new();
        private readonly List<Assign> _forward = new();
        private readonly List<(Assign Assign, bool InReset)> _ssa = new();
        private readonly List<Assign> _backward = new();
        private readonly List<string> _adjoints = new();

        public Builder(NeuronModel neuron)
        {
            _neuron = neuron;
            _trainable = new HashSet<string>(neuron.Parameters.Where(p => p.Trainable).Select(p => p.Name));
        }

        private string Current(string name) => name + "_" + _version[name];

        private string Next(string name)
        {
            _version[name] = _version.TryGetValue(name, out int v) ? v + 1 : 0;
            return Current(name);
        }

        /// <summary>Rewrites reads of states and locals to their current SSA versions.</summary>
        private Expr Rename(Expr expr) => expr switch
        {
            StateRef s => new LocalRef(Current(s.Name)),
            LocalRef l => new LocalRef(Current("local_" + l.Name)),
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
                string target = Next(assign.IsState ? assign.Name : "local_" + assign.Name);
                var ssa = new Assign(false, target, value);
                _forward.Add(ssa);
                _ssa.Add((ssa, inReset));
            }
        }

        public StepDerivatives Build()
        {
            // Forward: h_{t−1} as version 0, Integrate, the firing condition on h', the reset candidates.
            var stateInputs = new List<string>();
            foreach (string state in _neuron.States) stateInputs.Add(Next(state));
            AppendSsa(_neuron.Integrate, inReset: false);
            var integrated = _neuron.States.ToDictionary(s => s, Current);

            Cond? fired = null;
            Expr? argument = null;
            if (_neuron.Fires is Compare compare)
            {
                fired = Rename(compare);
                var c = (Compare)fired;
                // S = Θ(a − b) for a > b; for a < b the argument is b − a.
                argument = compare.Op is CompareOp.Greater or CompareOp.GreaterOrEqual
                    ? new Binary(BinaryOp.Subtract, c.Left, c.Right)
                    : new Binary(BinaryOp.Subtract, c.Right, c.Left);
            }
            AppendSsa(_neuron.Reset, inReset: true);
            var resetValue = _neuron.States.ToDictionary(s => s, Current);

            // Seeds: ∂L/∂h_t. Where the neuron fired h_t is the reset value, elsewhere the integrated value.
            var seeds = new List<string>();
            foreach (string state in _neuron.States)
            {
                string seed = "adj" + state;
                seeds.Add(seed);
                Declare(seed);
                if (resetValue[state] == integrated[state])
                {
                    Accumulate(AdjointOf(integrated[state]), Seed(seed));
                    continue;
                }
                var firedRef = new CondRef(FiredMask);
                Accumulate(AdjointOf(resetValue[state]), new Select(firedRef, Seed(seed), new Const(0f)));
                Accumulate(AdjointOf(integrated[state]), new Select(firedRef, new Const(0f), Seed(seed)));
                if (_neuron.AttachResetGradient)
                {
                    // Attached reset: h_t = S·r(h') + (1 − S)·h' also carries ∂h_t/∂S = r(h') − h'.
                    Accumulate(SpikeAdjoint, new Binary(BinaryOp.Multiply, Seed(seed),
                        new Binary(BinaryOp.Subtract, new LocalRef(resetValue[state]), new LocalRef(integrated[state]))));
                }
            }

            // Reverse through the reset statements, then the spike, then Integrate.
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
                _forward.ToEquatableArray(), fired, argument, _backward.ToEquatableArray(), _adjoints.ToEquatableArray(),
                stateInputs.ToEquatableArray(),
                stateInputs.Select(AdjointOf).ToEquatableArray(),
                seeds.ToEquatableArray());
        }

        /// <summary>The adjoint variable of an SSA value.</summary>
        private static string AdjointOf(string ssaName) => "adj_" + ssaName;

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
                case InputRef:
                    Accumulate(InputAdjoint, adjoint);
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
