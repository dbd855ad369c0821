using System;
using System.Globalization;
using System.Linq;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>Prints the IR as S-expressions (docs/ir.md), the form carried by the runtime descriptors.</summary>
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
        InputRef => "(input)",
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

    /// <summary>A float in invariant culture with round-trip precision.</summary>
    public static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
