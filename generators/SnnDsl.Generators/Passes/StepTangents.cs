using System;
using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Passes;

/// <summary>What a tangent is taken with respect to: a state before the step, a port input, or a trainable parameter.</summary>
internal enum SeedKind { State, Input, Param }

/// <summary>One direction of forward-mode differentiation.</summary>
internal sealed record Seed(SeedKind Kind, string Name)
{
    public string Key => Kind switch { SeedKind.State => "h:", SeedKind.Input => "x:", _ => "p:" } + Name;
}

/// <summary>
/// A structurally non-zero entry of a step's Jacobian: ∂(row)/∂(seed), where the row is a state after the step
/// (h_t[d]) or, for <paramref name="Row"/> = null, the spike S_t.
/// </summary>
/// <param name="Value">The entry over the recomputed step's SSA values, the tangent locals and <see cref="StepDerivatives.SurrogateValue"/>.</param>
/// <param name="Uniform">Whether it reads only literals and shared parameters: the same for every neuron at every step.</param>
internal sealed record JacobianEntry(string? Row, Seed Seed, Expr Value, bool Uniform);

/// <summary>
/// Forward-mode (tangent) differentiation of one neuron step h_t = f(h_{t−1}, x_t; θ), S_t = Θ(a − b) (Neftci,
/// Mostafa &amp; Zenke 2019, §"forward-mode"): the per-step Jacobians ∂h_t/∂h_{t−1}, ∂h_t/∂x_t, ∂h_t/∂θ and the
/// spike's ∂S_t/∂(h_{t−1}, x_t, θ), with σ′(a − b) for Θ′ and the reset composed as declared — h_t = r(h′) where S,
/// h′ elsewhere, plus (r − h′)·∂S when the reset gradient is attached. Built with <see cref="Algebra"/>, so entries
/// that vanish are absent and entries that read only constants are marked uniform. The eligibility-trace recursion
/// e_t = J_t e_{t−1} + (∂h_t/∂x_t)·(presynaptic activity) runs over these entries at run time.
/// </summary>
/// <param name="Derivatives">The SSA form of the step this pass differentiates (its forward statements are recomputed).</param>
/// <param name="Tangents">Intermediate tangents ∂v/∂seed of SSA values, in execution order, each a new local.</param>
/// <param name="Entries">The Jacobian's non-zero entries: rows in state order then S, seeds in state, port, parameter order.</param>
/// <param name="Factorizable">
/// Whether every entry of ∂h_t/∂h_{t−1} and ∂h_t/∂x_t is uniform: then a weight's trace does not depend on its
/// postsynaptic neuron and factors into presynaptic traces (one per presynaptic neuron and state).
/// </param>
/// <param name="SpikeFollows">
/// A state d with ∂S_t/∂(h_{t−1}, x_t) = σ′ · ∂h_t[d]/∂(h_{t−1}, x_t) (the firing argument moves with state d after the
/// step, e.g. U − ϑ with a detached reset by subtraction), or null: then the spike's eligibility is σ′ times the trace
/// of state d, one term instead of one per state.
/// </param>
internal sealed record StepTangents(
    StepDerivatives Derivatives,
    EquatableArray<Assign> Tangents,
    EquatableArray<JacobianEntry> Entries,
    bool Factorizable,
    string? SpikeFollows)
{
    private const string Prefix = "d#";

    public static StepTangents Of(NeuronModel n) => new Builder(n).Build();

    /// <summary>The identifier an emitter prefers for a tangent local ("d#s#U#1@h:I" → "dU_1_dI").</summary>
    public static string Readable(string name)
    {
        int at = name.LastIndexOf('@');
        return "d" + StepDerivatives.Readable(name.Substring(Prefix.Length, at - Prefix.Length)) + "_d" + name.Substring(at + 3);
    }

    public static bool IsTangent(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    private sealed class Builder(NeuronModel n)
    {
        private readonly StepDerivatives _d = StepDerivatives.Of(n);
        private readonly HashSet<string> _trainable = new(n.Parameters.Where(p => p.Trainable).Select(p => p.Name));
        private readonly Dictionary<string, Dictionary<Seed, Expr>> _tangent = new();
        private readonly Dictionary<string, Expr> _definitions = new();
        private readonly List<Assign> _tangents = new();
        private readonly List<Seed> _seeds = n.States.Select(s => new Seed(SeedKind.State, s))
            .Concat(n.Ports.Select(p => new Seed(SeedKind.Input, p)))
            .Concat(n.Parameters.Where(p => p.Trainable).Select(p => new Seed(SeedKind.Param, p.Name)))
            .ToList();

        public StepTangents Build()
        {
            // ∂h_{t−1}[e]/∂h_{t−1}[e] = 1: each state's version 0 is its own seed.
            for (int s = 0; s < n.States.Count; s++)
                _tangent[_d.StateInputs[s]] = new Dictionary<Seed, Expr> { [new Seed(SeedKind.State, n.States[s])] = Algebra.One };
            foreach (Assign assign in _d.Forward) _tangent[assign.Name] = Name(assign.Name, Differentiate(assign.Value));

            // ∂S = σ′(a − b)·∂(a − b), the surrogate for Θ′.
            var spike = new Dictionary<Seed, Expr>();
            if (_d.SurrogateArgument is not null)
                foreach (KeyValuePair<Seed, Expr> t in Differentiate(_d.SurrogateArgument))
                    spike[t.Key] = Algebra.Multiply(new LocalRef(StepDerivatives.SurrogateValue), t.Value);

            var entries = new List<JacobianEntry>();
            for (int s = 0; s < n.States.Count; s++) AddRow(entries, n.States[s], StateRow(s, spike));
            if (_d.SurrogateArgument is not null) AddRow(entries, null, spike);

            bool factorizable = entries.Where(e => e.Row is not null && e.Seed.Kind != SeedKind.Param).All(e => e.Uniform);
            return new StepTangents(_d, Live(entries).ToEquatableArray(), entries.ToEquatableArray(), factorizable, SpikeFollows(spike));
        }

        /// <summary>The state whose tangent after the step is the firing argument's, along states and ports (see <see cref="StepTangents.SpikeFollows"/>).</summary>
        private string? SpikeFollows(Dictionary<Seed, Expr> spike)
        {
            if (_d.SurrogateArgument is null) return null;
            Dictionary<Seed, Expr> argument = Differentiate(_d.SurrogateArgument);
            bool Same(Dictionary<Seed, Expr> a, Dictionary<Seed, Expr> b) =>
                _seeds.Where(s => s.Kind != SeedKind.Param).All(s => Equals(Get(a, s), Get(b, s)));
            for (int s = 0; s < n.States.Count; s++)
            {
                if (n.States[s] == n.PreviousSpike) continue;
                Dictionary<Seed, Expr> integrated = _tangent[_d.Integrated[s]];
                if (Same(argument, integrated) && Same(StateRow(s, spike), integrated)) return n.States[s];
            }
            return null;
        }

        /// <summary>∂h_t[d]: the reset composed with the integrated value (Select on S), plus (r − h′)·∂S when attached.</summary>
        private Dictionary<Seed, Expr> StateRow(int s, Dictionary<Seed, Expr> spike)
        {
            string state = n.States[s];
            // The previous-spike state becomes S_t: its tangent is ∂S when the reset gradient is attached, else 0.
            if (state == n.PreviousSpike) return n.AttachResetGradient ? spike : new Dictionary<Seed, Expr>();
            Dictionary<Seed, Expr> integrated = _tangent[_d.Integrated[s]];
            if (_d.ResetValues[s] == _d.Integrated[s]) return integrated;
            Dictionary<Seed, Expr> reset = _tangent[_d.ResetValues[s]];
            var fired = new CondRef(StepDerivatives.FiredMask);
            var row = new Dictionary<Seed, Expr>();
            foreach (Seed seed in _seeds)
            {
                Expr value = Algebra.Select(fired, Get(reset, seed), Get(integrated, seed));
                if (n.AttachResetGradient)
                {
                    Expr jump = Algebra.Subtract(new LocalRef(_d.ResetValues[s]), new LocalRef(_d.Integrated[s]));
                    value = Algebra.Add(value, Algebra.Multiply(jump, Get(spike, seed)));
                }
                if (!Algebra.IsZero(value)) row[seed] = value;
            }
            return row;
        }

        private void AddRow(List<JacobianEntry> entries, string? row, Dictionary<Seed, Expr> tangent)
        {
            foreach (Seed seed in _seeds)
                if (tangent.TryGetValue(seed, out Expr? value))
                    entries.Add(new JacobianEntry(row, seed, value, Algebra.IsUniform(Expand(value), IsShared)));
        }

        private bool IsShared(string parameter) => n.Parameters.Any(p => p.Name == parameter && !p.PerNeuron);

        private static Expr Get(Dictionary<Seed, Expr> tangent, Seed seed) => tangent.TryGetValue(seed, out Expr? e) ? e : Algebra.Zero;

        /// <summary>Gives every non-trivial tangent of an SSA value its own local, so that generated code reads step by step.</summary>
        private Dictionary<Seed, Expr> Name(string ssa, Dictionary<Seed, Expr> tangent)
        {
            var named = new Dictionary<Seed, Expr>();
            foreach (KeyValuePair<Seed, Expr> t in tangent)
            {
                if (t.Value is Const or ParamRef or LocalRef or InputRef) { named[t.Key] = t.Value; continue; }
                string local = $"{Prefix}{ssa}@{t.Key.Key}";
                _tangents.Add(new Assign(false, local, t.Value));
                _definitions[local] = t.Value;
                named[t.Key] = new LocalRef(local);
            }
            return named;
        }

        /// <summary>An entry with the tangent locals it reads substituted, for the uniformity test.</summary>
        private Expr Expand(Expr e) => e switch
        {
            LocalRef l when _definitions.TryGetValue(l.Name, out Expr? d) => Expand(d),
            Unary u => u with { Operand = Expand(u.Operand) },
            Binary b => b with { Left = Expand(b.Left), Right = Expand(b.Right) },
            Select s => new Select(s.Condition, Expand(s.WhenTrue), Expand(s.WhenFalse)),
            Call c => c with { Arguments = c.Arguments.Select(Expand).ToEquatableArray() },
            _ => e,
        };

        /// <summary>The tangent locals the entries read, directly or through each other, in execution order.</summary>
        private IEnumerable<Assign> Live(List<JacobianEntry> entries)
        {
            var live = new HashSet<string>();
            void Read(Expr e) => IrWalker.Any(e, x => { if (x is LocalRef l) live.Add(l.Name); return false; });
            foreach (JacobianEntry entry in entries) Read(entry.Value);
            var kept = new List<Assign>();
            foreach (Assign assign in Enumerable.Reverse(_tangents))
            {
                if (!live.Contains(assign.Name)) continue;
                kept.Insert(0, assign);
                Read(assign.Value);
            }
            return kept;
        }

        /// <summary>Forward mode through an expression: its tangent along every seed it depends on.</summary>
        private Dictionary<Seed, Expr> Differentiate(Expr expr)
        {
            switch (expr)
            {
                case LocalRef l:
                    return _tangent.TryGetValue(l.Name, out Dictionary<Seed, Expr>? t) ? t : new Dictionary<Seed, Expr>();
                case InputRef i:
                    return new Dictionary<Seed, Expr> { [new Seed(SeedKind.Input, i.Name)] = Algebra.One };
                case ParamRef p when _trainable.Contains(p.Name):
                    return new Dictionary<Seed, Expr> { [new Seed(SeedKind.Param, p.Name)] = Algebra.One };
                case Unary { Op: UnaryOp.Negate } u:
                    return Map(Differentiate(u.Operand), Algebra.Negate);
                case Binary b:
                    return DifferentiateBinary(b);
                case Select s:
                {
                    // The condition has derivative zero; each branch's tangent where it is taken.
                    Dictionary<Seed, Expr> whenTrue = Differentiate(s.WhenTrue), whenFalse = Differentiate(s.WhenFalse);
                    return Combine(whenTrue, whenFalse, (x, y) => Algebra.Select(s.Condition, x, y));
                }
                case Call c:
                    return DifferentiateCall(c);
                default:
                    return new Dictionary<Seed, Expr>();
            }
        }

        private Dictionary<Seed, Expr> DifferentiateBinary(Binary b)
        {
            Dictionary<Seed, Expr> left = Differentiate(b.Left), right = Differentiate(b.Right);
            return b.Op switch
            {
                BinaryOp.Add => Combine(left, right, Algebra.Add),
                BinaryOp.Subtract => Combine(left, right, Algebra.Subtract),
                // d(l·r) = dl·r + l·dr
                BinaryOp.Multiply => Combine(left, right, (dl, dr) => Algebra.Add(Algebra.Multiply(dl, b.Right), Algebra.Multiply(b.Left, dr))),
                // d(l/r) = dl/r − l·dr/r²
                _ => Combine(left, right, (dl, dr) => Algebra.Subtract(Algebra.Divide(dl, b.Right),
                    Algebra.Divide(Algebra.Multiply(b.Left, dr), Algebra.Multiply(b.Right, b.Right)))),
            };
        }

        private Dictionary<Seed, Expr> DifferentiateCall(Call c)
        {
            Expr a = c.Arguments[0];
            Dictionary<Seed, Expr> da = Differentiate(a);
            switch (c.Function)
            {
                case MathFunction.Exp:
                    return Map(da, x => Algebra.Multiply(x, c));
                case MathFunction.Log:
                    return Map(da, x => Algebra.Divide(x, a));
                case MathFunction.Abs:
                    // d|a| = sign(a)·da, 0 at a = 0.
                    return Map(da, x => Algebra.Select(new Compare(CompareOp.Greater, a, Algebra.Zero), x,
                        Algebra.Select(new Compare(CompareOp.Less, a, Algebra.Zero), Algebra.Negate(x), Algebra.Zero)));
                case MathFunction.Sqrt:
                    return Map(da, x => Algebra.Divide(x, Algebra.Multiply(new Const(2f), c)));
                case MathFunction.Tanh:
                    return Map(da, x => Algebra.Multiply(x, Algebra.Subtract(Algebra.One, Algebra.Multiply(c, c))));
                case MathFunction.Max:
                case MathFunction.Min:
                {
                    // The larger (smaller) argument's tangent; ties go to the first, as in reverse mode.
                    var first = new Compare(c.Function == MathFunction.Max ? CompareOp.GreaterOrEqual : CompareOp.LessOrEqual, a, c.Arguments[1]);
                    return Combine(da, Differentiate(c.Arguments[1]), (x, y) => Algebra.Select(first, x, y));
                }
                default:
                {
                    // d(a^b) = b·a^(b−1)·da + a^b·ln a·db
                    Expr b = c.Arguments[1];
                    Expr powMinusOne = Algebra.Call(MathFunction.Pow, a, Algebra.Subtract(b, Algebra.One));
                    return Combine(da, Differentiate(b), (x, y) => Algebra.Add(
                        Algebra.Multiply(x, Algebra.Multiply(b, powMinusOne)),
                        Algebra.Multiply(y, Algebra.Multiply(c, Algebra.Call(MathFunction.Log, a)))));
                }
            }
        }

        private static Dictionary<Seed, Expr> Map(Dictionary<Seed, Expr> tangent, Func<Expr, Expr> f)
        {
            var result = new Dictionary<Seed, Expr>();
            foreach (KeyValuePair<Seed, Expr> t in tangent)
            {
                Expr value = f(t.Value);
                if (!Algebra.IsZero(value)) result[t.Key] = value;
            }
            return result;
        }

        /// <summary>f(da, db) along every seed either depends on (a missing tangent is a structural zero).</summary>
        private Dictionary<Seed, Expr> Combine(Dictionary<Seed, Expr> a, Dictionary<Seed, Expr> b, Func<Expr, Expr, Expr> f)
        {
            var result = new Dictionary<Seed, Expr>();
            foreach (Seed seed in _seeds)
            {
                bool inA = a.TryGetValue(seed, out Expr? x), inB = b.TryGetValue(seed, out Expr? y);
                if (!inA && !inB) continue;
                Expr value = f(x ?? Algebra.Zero, y ?? Algebra.Zero);
                if (!Algebra.IsZero(value)) result[seed] = value;
            }
            return result;
        }
    }
}
