using System.Collections.Concurrent;

namespace SnnDsl;

/// <summary>
/// Finds parameter values that make a neuron's or synapse's dynamics undefined, by walking the IR of its bodies
/// (docs/ir.md) with the parameters' current values and every state, input and local that depends on them unknown.
/// An operation is reported when its result follows from parameters alone and is not finite although its operands
/// are (a division by a parameter that is 0, Log of a non-positive value, Sqrt of a negative one, Exp overflow), or is
/// NaN although no operand is (∞ − ∞, 0·∞); and when a state-dependent value is divided by a parameter expression
/// that is 0, or raised by Pow to a parameter base that is negative (NaN in the vector kernels, which compute
/// x^y = exp(y·ln x)). A <c>select</c> whose condition follows from parameters alone is walked only on the branch it
/// takes. Costs a walk of the IR per parameter element; no state is touched.
/// <para>
/// The same walk with states and inputs known replays one neuron's or synapse's step in scalar arithmetic and names
/// the first operation whose result is not finite although its operands are (<see cref="ReplayNeuron"/>,
/// <see cref="ReplaySynapse"/>), which is how a NaN or ∞ found in a recorded state is traced to its cause.
/// </para>
/// </summary>
internal sealed class ParameterHazards
{
    private static readonly ConcurrentDictionary<string, IrNode> s_parsed = new();

    private readonly string _owner;
    private readonly Func<string, float[]?> _parameter;
    private readonly Func<string, float[]?>? _state;
    private readonly Func<string, float[]?>? _input;
    private readonly Dictionary<string, float[]?> _assigned = [];
    private readonly Dictionary<string, float[]?> _locals = [];
    private readonly Dictionary<string, IrNode> _localDefinitions = [];
    private string _body = "";
    private (IrNode Node, int Element, float Value, string Problem, IrNode Blame)? _found;

    private ParameterHazards(string owner, Func<string, float[]?> parameter, Func<string, float[]?>? state = null, Func<string, float[]?>? input = null)
    {
        _owner = owner;
        _parameter = parameter;
        _state = state;
        _input = input;
    }

    /// <summary>
    /// Replays one step of one neuron — Integrate, Fires, and Reset where it fires — from its states before the step
    /// and its port inputs; returns the first operation whose result is not finite although its operands are, as
    /// "in Integrate, (call Exp (state U)) overflows: Exp(95.1) = ∞", or null when the replay stays finite.
    /// </summary>
    public static string? ReplayNeuron(NeuronDescriptor neuron, Func<string, float> parameter, Func<string, float> stateBefore, Func<string, float> input)
    {
        var walker = new ParameterHazards(neuron.Name, n => [parameter(n)], n => [stateBefore(n)], n => [input(n)]);
        walker.Statements("Integrate", neuron.Integrate);
        bool fired = false;
        if (neuron.Fires is { } fires && walker._found is null)
        {
            walker._body = "Fires";
            walker._locals.Clear();
            fired = walker.Cond(Parse(fires)) is [true];
        }
        if (fired && neuron.Reset is { } reset) walker.Statements("Reset", reset);
        return walker.Replayed();
    }

    /// <summary>
    /// Replays one step of one synapse (one postsynaptic neuron of a connection): Deliver's statements and the current
    /// it returns, from its states before the step, its drive and the postsynaptic states it reads. Returns the first
    /// operation whose result is not finite although its operands are (or null), and the current (NaN when unknown).
    /// </summary>
    public static (string? Problem, float Current) ReplaySynapse(SynapseDescriptor synapse, Func<string, float> parameter, Func<string, float> stateBefore, Func<string, float> input)
    {
        var walker = new ParameterHazards(synapse.Name, n => [parameter(n)], n => [stateBefore(n)], n => [input(n)]);
        walker.Statements("Deliver", synapse.Deliver);
        float[]? current = walker._found is null ? walker.Expr(Parse(synapse.Current)) : null;
        return (walker.Replayed(), current?[0] ?? float.NaN);
    }

    private string? Replayed() => _found is { } f ? $"in {_body}, {f.Node.Text} {f.Problem}" : null;

    /// <summary>The first hazard in a neuron's Integrate, Fires and Reset, or null.</summary>
    public static NumericalFault? Neuron(string population, NeuronDescriptor neuron, Func<string, float[]?> parameter)
    {
        var walker = new ParameterHazards($"Population '{population}' ({neuron.Name})", parameter);
        walker.Statements("Integrate", neuron.Integrate);
        if (neuron.Fires is { } fires) walker.Condition("Fires", fires);
        if (neuron.Reset is { } reset) walker.Statements("Reset", reset);
        return walker.Fault(population);
    }

    /// <summary>The first hazard in a synapse's Deliver (statements and returned current), or null.</summary>
    public static NumericalFault? Synapse(string connection, SynapseDescriptor synapse, Func<string, float[]?> parameter)
    {
        var walker = new ParameterHazards($"Connection '{connection}' (synapse {synapse.Name})", parameter);
        walker.Statements("Deliver", synapse.Deliver);
        // The returned current reads Deliver's locals: keep them.
        if (walker._found is null) walker.Expr(Parse(synapse.Current));
        return walker.Fault(connection);
    }

    private static IrNode Parse(string text) => s_parsed.GetOrAdd(text, IrNode.Parse);

    private void Statements(string body, string ir)
    {
        if (Begin(body)) Statement(Parse(ir));
    }

    private void Condition(string body, string ir)
    {
        if (Begin(body)) Cond(Parse(ir));
    }

    /// <summary>Starts walking <paramref name="body"/> with no locals; false once a hazard has been found.</summary>
    private bool Begin(string body)
    {
        if (_found is not null) return false;
        _body = body;
        _locals.Clear();
        _localDefinitions.Clear();
        return true;
    }

    private NumericalFault? Fault(string owner)
    {
        if (_found is not { } f) return null;
        var parameters = new SortedSet<string>(StringComparer.Ordinal);
        CollectParameters(f.Blame, parameters);
        string names = string.Join(", ", parameters);
        string element = f.Element >= 0 ? FormattableString.Invariant($" (neuron {f.Element})") : "";
        string values = string.Join(", ", parameters.Select(p => $"{p} = {Format(At(_parameter(p)!, Math.Max(f.Element, 0)))}"));
        string remedy = parameters.Count == 0
            ? "it does not depend on any parameter: fix the declaration."
            : $"the parameter values are {values}. Change {(parameters.Count == 1 ? "this parameter" : "these parameters")} before simulating or training.";
        return new NumericalFault(NumericalFaultKind.Parameter, owner, names, f.Value,
            $"{_owner}: in {_body}, {f.Node.Text} {f.Problem}{element}, so the dynamics are undefined; {remedy}")
        {
            Index = f.Element,
        };
    }

    /// <summary>The parameters an expression reads, through the definitions of the locals it reads.</summary>
    private void CollectParameters(IrNode node, ISet<string> names)
    {
        if (node.Head == "param" && node.Arguments == 1 && node[1].Atom is { } name) names.Add(name);
        if (node.Head == "local" && node.Arguments == 1 && _localDefinitions.TryGetValue(node[1].Atom ?? "", out IrNode? definition)) CollectParameters(definition, names);
        foreach (IrNode item in node.Items) CollectParameters(item, names);
    }

    private void Statement(IrNode node)
    {
        if (_found is not null) return;
        switch (node.Head)
        {
            case "block":
                for (int k = 1; k < node.Items.Length; k++) Statement(node.Items[k]);
                break;
            case "set-state":
                _assigned[node[1].Atom ?? ""] = Expr(node[2]);
                break;
            case "set-local":
                _locals[node[1].Atom ?? ""] = Expr(node[2]);
                _localDefinitions[node[1].Atom ?? ""] = node[2];
                break;
            default:
                throw new FormatException($"IR '{node.Text}' is not a statement.");
        }
    }

    /// <summary>The values of an expression when they follow from parameters alone (one per element), else null.</summary>
    private float[]? Expr(IrNode node)
    {
        if (_found is not null) return null;
        if (node.Atom is not null) return node.Number is { } constant ? [constant] : null;
        switch (node.Head)
        {
            case "param":
                return _parameter(node[1].Atom ?? "");
            case "local":
                return _locals.TryGetValue(node[1].Atom ?? "", out float[]? local) ? local : null;
            case "state":
                return _assigned.TryGetValue(node[1].Atom ?? "", out float[]? assigned) ? assigned : _state?.Invoke(node[1].Atom ?? "");
            case "input":
                return _input?.Invoke(node[1].Atom ?? "");
            case "arg":
                return null;
            case "neg":
                return Expr(node[1]) is { } operand ? Array.ConvertAll(operand, x => -x) : null;
            case "+" or "-" or "*" or "/":
                return Binary(node);
            case "select":
                return Select(node);
            case "call":
                return Call(node);
            default:
                throw new FormatException($"IR '{node.Text}' is not an expression.");
        }
    }

    private float[]? Binary(IrNode node)
    {
        float[]? left = Expr(node[1]);
        float[]? right = Expr(node[2]);
        string op = node.Head!;
        if (op == "/" && right is not null)
        {
            for (int k = 0; k < right.Length; k++)
                if (right[k] == 0f && float.IsFinite(left is null ? 0f : At(left, k)))
                    return Report(node, Element(k, right, left), right[k], $"divides by {node[2].Text} = 0", node[2]);
        }
        if (left is null || right is null) return null;
        return Combine(node, left, right, op switch
        {
            "+" => (a, b) => a + b,
            "-" => (a, b) => a - b,
            "*" => (a, b) => a * b,
            _ => (a, b) => a / b,
        }, "overflows");
    }

    private float[]? Select(IrNode node)
    {
        bool[]? condition = Cond(node[1]);
        if (condition is not null && condition.All(c => c == condition[0]))
        {
            // Decided by parameters alone: only the branch taken runs.
            return Expr(condition[0] ? node[2] : node[3]);
        }
        float[]? whenTrue = Expr(node[2]);
        float[]? whenFalse = Expr(node[3]);
        if (condition is null || whenTrue is null || whenFalse is null) return null;
        int n = Math.Max(condition.Length, Math.Max(whenTrue.Length, whenFalse.Length));
        var result = new float[n];
        for (int k = 0; k < n; k++) result[k] = At(condition, k) ? At(whenTrue, k) : At(whenFalse, k);
        return result;
    }

    private float[]? Call(IrNode node)
    {
        string function = node[1].Atom ?? "";
        float[]? x = Expr(node[2]);
        float[]? y = node.Arguments >= 3 ? Expr(node[3]) : null;
        switch (function)
        {
            case "Exp":
                return x is null ? null : Unary(node, x, MathF.Exp, v => $"overflows: Exp({Format(v)}) = ∞");
            case "Log":
                return x is null ? null : Unary(node, x, MathF.Log, v => $"takes the logarithm of {Format(v)} ≤ 0");
            case "Sqrt":
                return x is null ? null : Unary(node, x, MathF.Sqrt, v => $"takes the square root of {Format(v)} < 0");
            case "Abs":
                return x is null ? null : Array.ConvertAll(x, MathF.Abs);
            case "Tanh":
                return x is null ? null : Array.ConvertAll(x, MathF.Tanh);
            case "Max" or "Min":
                return x is null || y is null ? null : Combine(node, x, y, function == "Max" ? MathF.Max : MathF.Min, "is not finite");
            case "Pow":
                if (x is not null && y is null)
                {
                    for (int k = 0; k < x.Length; k++)
                        if (x[k] < 0f)
                            return Report(node, Element(k, x, null), x[k], $"raises the negative base {node[2].Text} = {Format(x[k])} to a state-dependent power (NaN in the vector kernels, which compute exp(y·ln x))", node[2]);
                    return null;
                }
                if (x is null || y is null) return null;
                for (int k = 0; k < Math.Max(x.Length, y.Length); k++)
                    if (At(x, k) < 0f)
                        return Report(node, Element(k, x, y), At(x, k), $"raises the negative base {node[2].Text} = {Format(At(x, k))} to a power (NaN in the vector kernels, which compute exp(y·ln x))", node[2]);
                return Combine(node, x, y, MathF.Pow, "is not finite");
            default:
                throw new FormatException($"IR '{node.Text}' calls an unknown function '{function}'.");
        }
    }

    private float[]? Unary(IrNode node, float[] x, Func<float, float> f, Func<float, string> problem)
    {
        var result = new float[x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            result[k] = f(x[k]);
            if (!float.IsFinite(result[k]) && float.IsFinite(x[k]))
                return Report(node, Element(k, x, null), x[k], problem(x[k]), node);
        }
        return result;
    }

    private float[]? Combine(IrNode node, float[] a, float[] b, Func<float, float, float> f, string problem)
    {
        int n = Math.Max(a.Length, b.Length);
        var result = new float[n];
        for (int k = 0; k < n; k++)
        {
            float x = At(a, k), y = At(b, k);
            result[k] = f(x, y);
            bool overflow = !float.IsFinite(result[k]) && float.IsFinite(x) && float.IsFinite(y);
            bool invalid = float.IsNaN(result[k]) && !float.IsNaN(x) && !float.IsNaN(y);
            if (overflow || invalid)
                return Report(node, Element(k, a, b), result[k],
                    overflow ? $"{problem}: it evaluates to {Format(result[k])} from {Format(x)} and {Format(y)}" : $"is NaN: it combines {Format(x)} and {Format(y)}", node);
        }
        return result;
    }

    private bool[]? Cond(IrNode node)
    {
        if (_found is not null) return null;
        if (node.Atom is "true" or "false") return [node.Atom == "true"];
        switch (node.Head)
        {
            case "<" or "<=" or ">" or ">=" or "==" or "!=":
            {
                float[]? a = Expr(node[1]);
                float[]? b = Expr(node[2]);
                if (a is null || b is null) return null;
                string op = node.Head!;
                return Zip(a, b, (x, y) => op switch
                {
                    "<" => x < y,
                    "<=" => x <= y,
                    ">" => x > y,
                    ">=" => x >= y,
                    "==" => x == y,
                    _ => x != y,
                });
            }
            case "and" or "or":
            {
                bool[]? a = Cond(node[1]);
                bool[]? b = Cond(node[2]);
                if (a is null || b is null) return null;
                bool and = node.Head == "and";
                return Zip(a, b, (x, y) => and ? x && y : x || y);
            }
            case "not":
                return Cond(node[1]) is { } operand ? Array.ConvertAll(operand, x => !x) : null;
            default:
                throw new FormatException($"IR '{node.Text}' is not a condition.");
        }
    }

    private float[]? Report(IrNode node, int element, float value, string problem, IrNode blame)
    {
        _found ??= (node, element, value, problem, blame);
        return null;
    }

    /// <summary>The neuron index of element k when a per-neuron array is involved, else −1.</summary>
    private static int Element(int k, float[]? a, float[]? b) => (a?.Length ?? 1) > 1 || (b?.Length ?? 1) > 1 ? k : -1;

    private static T At<T>(T[] values, int k) => values.Length == 1 ? values[0] : values[k];

    private static TResult[] Zip<T, TResult>(T[] a, T[] b, Func<T, T, TResult> f)
    {
        int n = Math.Max(a.Length, b.Length);
        var result = new TResult[n];
        for (int k = 0; k < n; k++) result[k] = f(At(a, k), At(b, k));
        return result;
    }

    private static string Format(float value) => NumericalChecks.Format(value);
}
