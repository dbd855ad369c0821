using System;
using System.Linq;

namespace SnnDsl.Generators.Model;

/// <summary>Queries over IR trees.</summary>
internal static class IrWalker
{
    /// <summary>Whether any sub-expression satisfies <paramref name="predicate"/>.</summary>
    public static bool Any(Expr expr, Func<Expr, bool> predicate) => predicate(expr) || expr switch
    {
        Unary u => Any(u.Operand, predicate),
        Binary b => Any(b.Left, predicate) || Any(b.Right, predicate),
        Select s => Any(s.Condition, predicate) || Any(s.WhenTrue, predicate) || Any(s.WhenFalse, predicate),
        Call c => c.Arguments.Any(a => Any(a, predicate)),
        _ => false,
    };

    public static bool Any(Cond cond, Func<Expr, bool> predicate) => cond switch
    {
        Compare c => Any(c.Left, predicate) || Any(c.Right, predicate),
        Logical l => Any(l.Left, predicate) || Any(l.Right, predicate),
        Not n => Any(n.Operand, predicate),
        _ => false,
    };
}
