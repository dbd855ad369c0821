using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SnnDsl.Generators.Helpers;

namespace SnnDsl.Generators.Model;

/// <summary>
/// The IR as S-expressions (docs/ir.md): printed into the runtime descriptors, and printed and read back for the
/// compiled-model attribute, through which a network sees the dynamics of a neuron or synapse declared in a
/// referenced assembly.
/// </summary>
internal static class IrText
{
    public static string Print(Block block) =>
        "(block" + string.Concat(block.Statements.Select(s => " " + Print(s))) + ")";

    public static string Print(Assign assign) =>
        $"({(assign.IsState ? "set-state" : "set-local")} {assign.Name} {Print(assign.Value)})";

    public static string Print(Expr expr) => expr switch
    {
        Const c => Number(c.Value),
        StateRef s => $"(state {s.Name})",
        ParamRef p => $"(param {p.Name})",
        LocalRef l => $"(local {l.Name})",
        InputRef i => $"(input {i.Name})",
        ArgRef => "(arg)",
        Unary u => $"(neg {Print(u.Operand)})",
        Binary b => $"({b.Op.Symbol()} {Print(b.Left)} {Print(b.Right)})",
        Select s => $"(select {Print(s.Condition)} {Print(s.WhenTrue)} {Print(s.WhenFalse)})",
        Call c => $"(call {c.Function}{string.Concat(c.Arguments.Select(a => " " + Print(a)))})",
        _ => throw new ArgumentOutOfRangeException(nameof(expr), expr.GetType().Name),
    };

    public static string Print(Cond cond) => cond switch
    {
        Compare c => $"({c.Op.Symbol()} {Print(c.Left)} {Print(c.Right)})",
        Logical l => $"({(l.Op == LogicalOp.And ? "and" : "or")} {Print(l.Left)} {Print(l.Right)})",
        Not n => $"(not {Print(n.Operand)})",
        BoolConst b => b.Value ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(cond), cond.GetType().Name),
    };

    /// <summary>
    /// A neuron's dynamics as its runtime <c>NeuronDescriptor</c> holds them: Integrate, Fires (null for a non-spiking
    /// neuron) and Reset (null when it has none).
    /// </summary>
    public static (string Integrate, string? Fires, string? Reset) Dynamics(NeuronModel n) =>
        (Print(n.Integrate), n.Fires is null ? null : Print(n.Fires), n.Reset.Statements.Count == 0 ? null : Print(n.Reset));

    /// <summary>A float in invariant culture with round-trip precision.</summary>
    public static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    // ---- The compiled-model text: a neuron or a synapse as one S-expression. ----

    public static string Print(NeuronModel n)
    {
        var text = new StringBuilder("(neuron");
        text.Append(" (kernels ").Append(Print(n.Kernels)).Append(')');
        text.Append(" (states").Append(Names(n.States)).Append(')');
        if (n.HasInitialValues)
            text.Append(" (initial").Append(string.Concat(n.States.Select((s, k) => n.Initial[k] == 0f ? "" : $" ({s} {Number(n.Initial[k])})"))).Append(')');
        if (n.PreviousSpike is not null) text.Append(" (previous-spike ").Append(n.PreviousSpike).Append(')');
        text.Append(" (params").Append(string.Concat(n.Parameters.Select(p => " " + Print(p)))).Append(')');
        text.Append(" (ports").Append(Names(n.Ports)).Append(')');
        text.Append(" (integrate ").Append(Print(n.Integrate)).Append(')');
        if (n.Fires is not null) text.Append(" (fires ").Append(Print(n.Fires)).Append(')');
        text.Append(" (reset ").Append(Print(n.Reset)).Append(')');
        if (n.Surrogate is not null) text.Append(" (surrogate ").Append(n.Surrogate).Append(' ').Append(n.SurrogateDescriptor).Append(')');
        text.Append(" (attach-reset-gradient ").Append(n.AttachResetGradient ? "true" : "false").Append("))");
        return text.ToString();
    }

    public static string Print(SynapseModel s) =>
        $"(synapse (kernels {Print(s.Kernels)}) (states{Names(s.States)}) (params{string.Concat(s.Parameters.Select(p => " " + Print(p)))})" +
        $" (drive {s.Drive}) (postsynaptic{string.Concat(s.PostReads.Select(r => $" ({r.Input} {r.State})"))}) (deliver {Print(s.Deliver)}) (current {Print(s.Current)}))";

    private static string Print(KernelNames k) => $"{k.Descriptor} {k.Step} {k.StepBackward} {k.StepJacobian}";

    private static string Print(ParamInfo p) =>
        $"({p.Name} {Number(p.DefaultValue)} {(p.PerNeuron ? "per-neuron" : "shared")} {(p.Trainable ? "trainable" : "fixed")}" +
        $"{(p.HasMin ? $" (min {Number(p.Min)})" : "")}{(p.HasMax ? $" (max {Number(p.Max)})" : "")})";

    private static string Names(IEnumerable<string> names) => string.Concat(names.Select(n => " " + n));

    /// <summary>Reads a neuron printed by <see cref="Print(NeuronModel)"/>; null when the text is not one.</summary>
    public static NeuronModel? ReadNeuron(string text, DeclaredType type)
    {
        try
        {
            Node root = Node.Parse(text);
            if (root.Head != "neuron") return null;
            Node? fires = root.Find("fires"), previous = root.Find("previous-spike"), surrogate = root.Find("surrogate"), initial = root.Find("initial");
            EquatableArray<string> states = root.Get("states").Atoms();
            var declared = initial?.Items.Skip(1).ToDictionary(i => i.Items[0].Atom ?? throw new FormatException("Expected a state."), i => ParseNumber(i.Items[1].Atom!));
            return new NeuronModel(
                type,
                states,
                states.Select(s => declared is not null && declared.TryGetValue(s, out float v) ? v : 0f).ToEquatableArray(),
                root.Get("params").Items.Skip(1).Select(ReadParam).ToEquatableArray(),
                root.Get("ports").Atoms(),
                previous?.Items[1].Atom,
                ReadBlock(root.Get("integrate").Items[1]),
                fires is null ? null : ReadCond(fires.Items[1]),
                ReadBlock(root.Get("reset").Items[1]),
                surrogate?.Items[1].Atom,
                surrogate?.Items[2].Atom,
                root.Get("attach-reset-gradient").Items[1].Atom == "true",
                ReadKernels(root.Get("kernels")),
                EquatableArray<string>.Empty);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Reads a synapse printed by <see cref="Print(SynapseModel)"/>; null when the text is not one.</summary>
    public static SynapseModel? ReadSynapse(string text, DeclaredType type)
    {
        try
        {
            Node root = Node.Parse(text);
            if (root.Head != "synapse") return null;
            return new SynapseModel(
                type,
                root.Get("states").Atoms(),
                root.Get("params").Items.Skip(1).Select(ReadParam).ToEquatableArray(),
                root.Get("drive").Items[1].Atom!,
                root.Get("postsynaptic").Items.Skip(1).Select(r => new PostRead(r.Items[0].Atom!, r.Items[1].Atom!)).ToEquatableArray(),
                ReadBlock(root.Get("deliver").Items[1]),
                ReadExpr(root.Get("current").Items[1]),
                ReadKernels(root.Get("kernels")),
                EquatableArray<string>.Empty);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static KernelNames ReadKernels(Node node) => new(node.Items[1].Atom!, node.Items[2].Atom!, node.Items[3].Atom!, node.Items[4].Atom!);

    private static ParamInfo ReadParam(Node node) =>
        new(node.Items[0].Atom!, ParseNumber(node.Items[1].Atom!), node.Items[2].Atom == "per-neuron", node.Items[3].Atom == "trainable",
            Bound(node, "min", float.NegativeInfinity), Bound(node, "max", float.PositiveInfinity));

    /// <summary>A parameter's <c>(min x)</c> or <c>(max x)</c>, printed only where the declaration gives the bound.</summary>
    private static float Bound(Node param, string which, float unbounded) =>
        param.Items.Skip(4).FirstOrDefault(item => item.Items is [{ Atom: var head }, _] && head == which) is { } bound
            ? ParseNumber(bound.Items[1].Atom!) : unbounded;

    private static Block ReadBlock(Node node)
    {
        if (node.Head != "block") throw new FormatException("Expected (block …).");
        return new Block(node.Items.Skip(1).Select(s => s.Head switch
        {
            "set-state" => new Assign(true, s.Items[1].Atom!, ReadExpr(s.Items[2])),
            "set-local" => new Assign(false, s.Items[1].Atom!, ReadExpr(s.Items[2])),
            _ => throw new FormatException($"Unknown statement '{s.Head}'."),
        }).ToEquatableArray());
    }

    private static Expr ReadExpr(Node node)
    {
        if (node.Atom is { } atom) return new Const(ParseNumber(atom));
        switch (node.Head)
        {
            case "state": return new StateRef(node.Items[1].Atom!);
            case "param": return new ParamRef(node.Items[1].Atom!);
            case "local": return new LocalRef(node.Items[1].Atom!);
            case "input": return new InputRef(node.Items[1].Atom!);
            case "arg": return new ArgRef();
            case "neg": return new Unary(UnaryOp.Negate, ReadExpr(node.Items[1]));
            case "select": return new Select(ReadCond(node.Items[1]), ReadExpr(node.Items[2]), ReadExpr(node.Items[3]));
            case "call":
                var function = (MathFunction)Enum.Parse(typeof(MathFunction), node.Items[1].Atom!);
                return new Call(function, node.Items.Skip(2).Select(ReadExpr).ToEquatableArray());
        }
        foreach (BinaryOp op in new[] { BinaryOp.Add, BinaryOp.Subtract, BinaryOp.Multiply, BinaryOp.Divide })
            if (node.Head == op.Symbol()) return new Binary(op, ReadExpr(node.Items[1]), ReadExpr(node.Items[2]));
        throw new FormatException($"Unknown expression '{node.Head}'.");
    }

    private static Cond ReadCond(Node node)
    {
        if (node.Atom is "true" or "false") return new BoolConst(node.Atom == "true");
        switch (node.Head)
        {
            case "and": return new Logical(LogicalOp.And, ReadCond(node.Items[1]), ReadCond(node.Items[2]));
            case "or": return new Logical(LogicalOp.Or, ReadCond(node.Items[1]), ReadCond(node.Items[2]));
            case "not": return new Not(ReadCond(node.Items[1]));
        }
        foreach (CompareOp op in Enum.GetValues(typeof(CompareOp)))
            if (node.Head == op.Symbol()) return new Compare(op, ReadExpr(node.Items[1]), ReadExpr(node.Items[2]));
        throw new FormatException($"Unknown condition '{node.Head}'.");
    }

    private static float ParseNumber(string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) ? value : throw new FormatException($"'{text}' is not a number.");

    /// <summary>An S-expression: an atom, or a list whose first item is its head.</summary>
    private sealed class Node
    {
        private Node(string? atom, List<Node> items)
        {
            Atom = atom;
            Items = items;
        }

        public string? Atom { get; }

        public List<Node> Items { get; }

        public string? Head => Items.Count > 0 ? Items[0].Atom : null;

        public Node? Find(string head) => Items.FirstOrDefault(i => i.Head == head);

        public Node Get(string head) => Find(head) ?? throw new FormatException($"Missing ({head} …).");

        public EquatableArray<string> Atoms() => Items.Skip(1).Select(i => i.Atom ?? throw new FormatException("Expected a name.")).ToEquatableArray();

        public static Node Parse(string text)
        {
            int position = 0;
            Node node = Read(text, ref position);
            SkipSpace(text, ref position);
            return position == text.Length ? node : throw new FormatException("Text after the expression.");
        }

        private static Node Read(string text, ref int position)
        {
            SkipSpace(text, ref position);
            if (position >= text.Length) throw new FormatException("Unexpected end.");
            if (text[position] == ')') throw new FormatException("Unexpected ')'.");
            if (text[position] != '(')
            {
                int start = position;
                while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] is not '(' and not ')') position++;
                return new Node(text.Substring(start, position - start), new List<Node>());
            }
            position++;
            var items = new List<Node>();
            while (true)
            {
                SkipSpace(text, ref position);
                if (position >= text.Length) throw new FormatException("Unclosed '('.");
                if (text[position] == ')')
                {
                    position++;
                    return new Node(null, items);
                }
                items.Add(Read(text, ref position));
            }
        }

        private static void SkipSpace(string text, ref int position)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
        }
    }
}
