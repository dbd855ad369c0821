using System.Collections.Generic;
using System.Linq;
using SnnDsl.FixedPoint;
using SnnDsl.Generators.Model;

namespace SnnDsl.Analyzers.Analysis;

/// <summary>A method whose body is a step: a neuron's, a synapse's, or a learning rule's (named as the rule's methods).</summary>
internal enum DynamicsMethod { Integrate, Fires, Reset, Deliver, Presynaptic, Postsynaptic, Update }

/// <summary>
/// An operation of a step on values that change every step: what it needs of the chip's arithmetic, in words, and what
/// it reads (states and inputs, through locals).
/// </summary>
/// <param name="Function">The MathF function, for a call; null for a division or a product.</param>
internal sealed record StepOperation(StepOperations Needs, string What, DynamicsMethod Method, IReadOnlyList<string> Reads, MathFunction? Function);

/// <summary>A state of a step multiplied by a parameter (or a constant) in its own update: a decay.</summary>
/// <param name="Parameter">The parameter, or null for a constant factor.</param>
/// <param name="Constant">The constant factor, or null for a parameter.</param>
internal sealed record DecayUse(string State, string? Parameter, float? Constant);

/// <summary>A value a step computes with that is fixed before the run: a parameter (its default) or a constant.</summary>
internal sealed record ValueUse(string? Parameter, float? Constant);

/// <summary>How a neuron departs from the CUBA LIF shape the chips implement, and where.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="State">The state concerned (a current, or the state a reset or spike test touches).</param>
/// <param name="Text">The departure in words.</param>
internal sealed record ShapeIssue(ShapeIssueKind Kind, string State, string Text);

internal enum ShapeIssueKind { AdaptiveThreshold, CoupledCurrent, ResetOfCurrent }

/// <summary>
/// A neuron read as the chips' CUBA LIF compartment: the membrane (the state its spike test compares, or for a non-spiking
/// neuron the state no other state reads) and the synaptic currents (every other state but the previous spike).
/// </summary>
/// <param name="PortTargets">Per input port, the states whose update reads it.</param>
internal sealed record NeuronShape(string Membrane, IReadOnlyList<string> Currents, IReadOnlyList<ShapeIssue> Issues, IReadOnlyDictionary<string, IReadOnlyList<string>> PortTargets);

/// <summary>
/// What a step computes, read from its IR (the generator's own model): the operations it performs on values that change
/// every step, the decays of its states, and its shape as a compartment. Values that depend only on parameters and
/// constants are fixed before the run; a value that depends only on the previous spike S[t−1] ∈ {0, 1} takes one of two
/// fixed values, so a product or a call on it is a selection.
/// </summary>
internal static class StepAnalysis
{
    private enum Variation { Fixed, PreviousSpike, PerStep }

    private readonly record struct Value(Variation Variation, IReadOnlyList<string> Reads)
    {
        public static Value Fixed { get; } = new(Variation.Fixed, []);

        public bool PerStep => Variation == Variation.PerStep;

        public static Value Join(params Value[] values) =>
            new(values.Select(v => v.Variation).DefaultIfEmpty(Variation.Fixed).Max(), [.. values.SelectMany(v => v.Reads).Distinct()]);
    }

    /// <summary>The operations on per-step values of a neuron's Integrate, firing condition and Reset, in that order.</summary>
    public static IEnumerable<StepOperation> Operations(NeuronModel neuron)
    {
        var found = new List<StepOperation>();
        new Walker(neuron.PreviousSpike, DynamicsMethod.Integrate, found).Visit(neuron.Integrate);
        if (neuron.Fires is { } fires) new Walker(neuron.PreviousSpike, DynamicsMethod.Fires, found).Visit(fires);
        new Walker(neuron.PreviousSpike, DynamicsMethod.Reset, found).Visit(neuron.Reset);
        return found;
    }

    /// <summary>The operations on per-step values of a synapse's Deliver and the current it returns.</summary>
    public static IEnumerable<StepOperation> Operations(SynapseModel synapse)
    {
        var found = new List<StepOperation>();
        var walker = new Walker(null, DynamicsMethod.Deliver, found);
        walker.Visit(synapse.Deliver);
        walker.Visit(synapse.Current);
        return found;
    }

    /// <summary>The operations on per-step values of a learning rule's Presynaptic, Postsynaptic and Update (with the Δw it returns).</summary>
    public static IEnumerable<StepOperation> Operations(LearningRuleModel rule)
    {
        var found = new List<StepOperation>();
        foreach (RuleMethod method in rule.Methods)
        {
            var walker = new Walker(null, method.Kind switch
            {
                RuleMethodKind.Presynaptic => DynamicsMethod.Presynaptic,
                RuleMethodKind.Postsynaptic => DynamicsMethod.Postsynaptic,
                _ => DynamicsMethod.Update,
            }, found);
            walker.Visit(method.Body);
            if (method.Result is { } result) walker.Visit(result);
        }
        return found;
    }

    /// <summary>
    /// The parameters and constants a neuron's Integrate, firing condition and Reset compute with, in order of first use,
    /// but its decays (SNN0602's): a parameter used as a decay, and a constant equal to a decay constant, are left out.
    /// </summary>
    public static IEnumerable<ValueUse> Values(NeuronModel neuron)
    {
        IEnumerable<Expr> nodes = Nodes(neuron.Integrate).Concat(neuron.Fires is { } fires ? IrQueries.Nodes(fires).SelectMany(IrQueries.Nodes) : []).Concat(Nodes(neuron.Reset));
        return ValuesBut(nodes, Decays(neuron.Integrate));
    }

    /// <summary>The parameters and constants of a synapse's Deliver and its current, but its decays.</summary>
    public static IEnumerable<ValueUse> Values(SynapseModel synapse) =>
        ValuesBut(Nodes(synapse.Deliver).Concat(IrQueries.Nodes(synapse.Current)), Decays(synapse.Deliver));

    private static IEnumerable<Expr> Nodes(Block block) => block.Statements.SelectMany(a => IrQueries.Nodes(a.Value));

    private static IEnumerable<ValueUse> ValuesBut(IEnumerable<Expr> nodes, IEnumerable<DecayUse> decays)
    {
        List<DecayUse> skipped = [.. decays];
        return nodes.Select(e => e switch
            {
                ParamRef p when !skipped.Any(d => d.Parameter == p.Name) => new ValueUse(p.Name, null),
                Const c when !skipped.Any(d => d.Constant == c.Value) => new ValueUse(null, c.Value),
                _ => null,
            })
            .OfType<ValueUse>().Distinct();
    }

    /// <summary>
    /// The threshold of a neuron's spike test — the parameter or constant its membrane is compared with (U &gt; ϑ, ϑ &lt; U,
    /// or ≥) — or null when the test is not of that form.
    /// </summary>
    public static ValueUse? Threshold(NeuronModel neuron)
    {
        if (neuron.Fires is not Compare test) return null;
        string membrane = Shape(neuron).Membrane;
        Expr? threshold = (test.Op, test.Left, test.Right) switch
        {
            (CompareOp.Greater or CompareOp.GreaterOrEqual, StateRef s, var other) when s.Name == membrane => other,
            (CompareOp.Less or CompareOp.LessOrEqual, var other, StateRef s) when s.Name == membrane => other,
            _ => null,
        };
        return threshold switch
        {
            ParamRef p => new ValueUse(p.Name, null),
            Const c => new ValueUse(null, c.Value),
            _ => null,
        };
    }

    /// <summary>Every S = P·S + … (or c·S) of a block: the decays of its states, in statement order.</summary>
    public static IEnumerable<DecayUse> Decays(Block update) =>
        update.Statements.Where(s => s.IsState).SelectMany(assign => IrQueries.Nodes(assign.Value).OfType<Binary>()
            .Where(b => b.Op == BinaryOp.Multiply)
            .Select(b => (b.Left, b.Right) switch
            {
                (ParamRef p, StateRef s) when s.Name == assign.Name => new DecayUse(assign.Name, p.Name, null),
                (StateRef s, ParamRef p) when s.Name == assign.Name => new DecayUse(assign.Name, p.Name, null),
                (Const c, StateRef s) when s.Name == assign.Name => new DecayUse(assign.Name, null, c.Value),
                (StateRef s, Const c) when s.Name == assign.Name => new DecayUse(assign.Name, null, c.Value),
                _ => null,
            })
            .OfType<DecayUse>())
        .Distinct();

    /// <summary>The neuron as a compartment: membrane, currents, and where it is not a CUBA LIF.</summary>
    public static NeuronShape Shape(NeuronModel neuron)
    {
        var states = neuron.States.Where(s => s != neuron.PreviousSpike).ToList();
        var issues = new List<ShapeIssue>();
        if (states.Count == 0) return new NeuronShape("", [], issues, new Dictionary<string, IReadOnlyList<string>>());
        Dictionary<string, HashSet<string>> reads = states.ToDictionary(s => s, s => Read(neuron.Integrate, s, e => e is StateRef r && r.Name != neuron.PreviousSpike ? r.Name : null));
        string membrane;
        if (neuron.Fires is Compare test)
        {
            List<string> left = StateNames(test.Left, neuron.PreviousSpike), right = StateNames(test.Right, neuron.PreviousSpike);
            membrane = left.Concat(right).FirstOrDefault() ?? states.Last();
            foreach (string other in left.Concat(right).Distinct().Where(s => s != membrane))
                issues.Add(new ShapeIssue(ShapeIssueKind.AdaptiveThreshold, other,
                    $"its spike test compares the membrane '{membrane}' with a threshold that reads state '{other}' (an adaptive threshold)"));
        }
        else
        {
            // A non-spiking neuron's output is the state no other state reads (a leaky readout's U); the last one if several.
            List<string> unread = [.. states.Where(s => !states.Any(o => o != s && reads[o].Contains(s)))];
            membrane = unread.Count == 1 ? unread[0] : IrQueries.AssignedStates(neuron.Integrate).LastOrDefault() ?? states.Last();
        }
        List<string> currents = [.. states.Where(s => s != membrane)];
        foreach (string current in currents)
        {
            string[] drivers = [.. reads[current].Where(s => s != current).OrderBy(s => states.IndexOf(s))];
            if (drivers.Length > 0)
                issues.Add(new ShapeIssue(ShapeIssueKind.CoupledCurrent, current,
                    $"its current '{current}' is driven by state{(drivers.Length > 1 ? "s" : "")} {string.Join(", ", drivers.Select(d => $"'{d}'"))}"));
        }
        foreach (string reset in IrQueries.AssignedStates(neuron.Reset).Distinct().Where(s => s != membrane))
            issues.Add(new ShapeIssue(ShapeIssueKind.ResetOfCurrent, reset, $"its Reset changes state '{reset}' besides the membrane '{membrane}'"));
        var ports = neuron.Ports.ToDictionary(p => p,
            p => (IReadOnlyList<string>)[.. states.Where(s => Read(neuron.Integrate, s, e => e is InputRef i ? i.Name : null).Contains(p))]);
        return new NeuronShape(membrane, currents, issues, ports);
    }

    /// <summary>
    /// What each trace a rule's Presynaptic or Postsynaptic method assigns reads besides itself, its own spike and fixed
    /// values: other states and other inputs, directly or through locals, in words ("state 'Y'", "input 'u'").
    /// </summary>
    public static IEnumerable<(string Trace, IReadOnlyList<string> Reads)> TraceReads(RuleMethod method)
    {
        RuleInputKind spike = method.Kind == RuleMethodKind.Presynaptic ? RuleInputKind.PreSpike : RuleInputKind.PostSpike;
        HashSet<string> own = [.. method.Inputs.Where(i => i.Kind == spike).Select(i => i.Name)];
        foreach (string trace in IrQueries.AssignedStates(method.Body).Distinct())
        {
            List<string> reads = [.. Read(method.Body, trace, e => e switch
            {
                StateRef r when r.Name != trace => $"state '{r.Name}'",
                InputRef i when !own.Contains(i.Name) => $"input '{i.Name}'",
                _ => null,
            })];
            if (reads.Count > 0) yield return (trace, reads);
        }
    }

    /// <summary>The states of a synapse that read another of its states (a chain of filters instead of parallel currents).</summary>
    public static IEnumerable<(string State, string Driver)> CoupledStates(SynapseModel synapse) =>
        synapse.States.SelectMany(s => Read(synapse.Deliver, s, e => e is StateRef r ? r.Name : null).Where(o => o != s).Select(o => (s, o)));

    /// <summary>
    /// What the assignments of <paramref name="state"/> in a block read — the names <paramref name="leaf"/> picks out
    /// (states, or inputs) — directly or through the block's locals.
    /// </summary>
    private static HashSet<string> Read(Block block, string state, System.Func<Expr, string?> leaf)
    {
        var locals = new Dictionary<string, HashSet<string>>();
        var read = new HashSet<string>();
        foreach (Assign assign in block.Statements)
        {
            var names = new HashSet<string>(IrQueries.Nodes(assign.Value).SelectMany(e => e is LocalRef l && locals.TryGetValue(l.Name, out HashSet<string>? through)
                ? through
                : leaf(e) is { } name ? [name] : (IEnumerable<string>)[]));
            if (!assign.IsState) locals[assign.Name] = names;
            else if (assign.Name == state) read.UnionWith(names);
        }
        return read;
    }

    private static List<string> StateNames(Expr expr, string? previousSpike) =>
        [.. IrQueries.Nodes(expr).OfType<StateRef>().Select(s => s.Name).Where(s => s != previousSpike).Distinct()];

    /// <summary>Walks a method's IR in order, with the variation of each local, and records the operations on per-step values.</summary>
    private sealed class Walker(string? previousSpike, DynamicsMethod method, List<StepOperation> found)
    {
        private readonly Dictionary<string, Value> _locals = [];

        public void Visit(Block block)
        {
            foreach (Assign assign in block.Statements)
            {
                Value value = Visit(assign.Value);
                if (!assign.IsState) _locals[assign.Name] = value;
            }
        }

        public Value Visit(Cond cond) => cond switch
        {
            Compare c => Value.Join(Visit(c.Left), Visit(c.Right)),
            Logical l => Value.Join(Visit(l.Left), Visit(l.Right)),
            Not n => Visit(n.Operand),
            _ => Value.Fixed,
        };

        public Value Visit(Expr expr)
        {
            switch (expr)
            {
                case StateRef s when s.Name == previousSpike:
                    return new Value(Variation.PreviousSpike, []);
                case StateRef s:
                    return new Value(Variation.PerStep, [$"state '{s.Name}'"]);
                case InputRef i:
                    return new Value(Variation.PerStep, [$"input '{i.Name}'"]);
                case LocalRef l:
                    return _locals.TryGetValue(l.Name, out Value local) ? local : new Value(Variation.PerStep, [$"local '{l.Name}'"]);
                case Unary u:
                    return Visit(u.Operand);
                case Binary b:
                {
                    Value left = Visit(b.Left), right = Visit(b.Right);
                    if (b.Op == BinaryOp.Divide && right.PerStep)
                        Add(StepOperations.Divide, "a division by a value that changes every step", right, null);
                    else if (b.Op == BinaryOp.Multiply && left.PerStep && right.PerStep)
                        Add(StepOperations.MultiplyStates, "a product of two values that change every step", Value.Join(left, right), null);
                    return Value.Join(left, right);
                }
                case Select s:
                    return Value.Join(Visit(s.Condition), Visit(s.WhenTrue), Visit(s.WhenFalse));
                case Call c:
                {
                    Value arguments = Value.Join([.. c.Arguments.Select(Visit)]);
                    if (c.Function is MathFunction.Exp or MathFunction.Log or MathFunction.Sqrt or MathFunction.Tanh or MathFunction.Pow && arguments.PerStep)
                        Add(StepOperations.Transcendental, $"MathF.{c.Function} of a value that changes every step", arguments, c.Function);
                    return arguments;
                }
                default:
                    return Value.Fixed;
            }
        }

        private void Add(StepOperations needs, string what, Value operand, MathFunction? function) =>
            found.Add(new StepOperation(needs, what, method, operand.Reads, function));
    }
}
