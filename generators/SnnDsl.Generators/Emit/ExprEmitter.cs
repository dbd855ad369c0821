using System;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Passes;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Writes IR expressions as C# for one <see cref="SimdFlavor"/>. States, parameters, inputs and locals are emitted
/// under the identifiers a <see cref="NameScope"/> gives them — the user's own names wherever nothing else needs them —
/// so the generated arithmetic reads like the user's method. Parentheses follow the IR tree exactly: float arithmetic
/// is not reassociated.
/// </summary>
internal sealed class ExprEmitter(SimdFlavor flavor, NameScope names)
{
    public SimdFlavor Flavor => flavor;

    public NameScope Names => names;

    public string State(string name) => names["state:" + name, name];

    public string Param(string name) => names["param:" + name, name];

    public string Input(string name) => names["input:" + name, name];

    public string Local(string name) => names["local:" + name, StepDerivatives.Readable(name)];

    public string Emit(Expr expr) => Emit(expr, 0);

    private string Emit(Expr expr, int parentPrecedence)
    {
        switch (expr)
        {
            case Const c:
                return flavor.Literal(c.Value);
            case StateRef s:
                return State(s.Name);
            case ParamRef p:
                return Param(p.Name);
            case LocalRef l:
                return Local(l.Name);
            case InputRef i:
                return Input(i.Name);
            case ArgRef:
                return names["arg"];
            case Unary { Op: UnaryOp.Negate } u:
            {
                string operand = Emit(u.Operand, 3);
                return operand.StartsWith("-", StringComparison.Ordinal) ? $"-({operand})" : "-" + operand;
            }
            case Binary b:
            {
                int precedence = Precedence(b.Op);
                // Left-associative: the right operand needs parentheses at equal precedence.
                string text = $"{Emit(b.Left, precedence)} {b.Op.Symbol()} {Emit(b.Right, precedence + 1)}";
                return precedence < parentPrecedence ? $"({text})" : text;
            }
            case Select s:
                return flavor.Select(Emit(s.Condition), Emit(s.WhenTrue), Emit(s.WhenFalse));
            case Call c:
                return flavor.Call(c.Function, c.Arguments.Select(a => Emit(a, 0)).ToArray());
            default:
                throw new ArgumentOutOfRangeException(nameof(expr), expr.GetType().Name);
        }
    }

    public string Emit(Cond cond) => cond switch
    {
        Compare c => flavor.Compare(c.Op, Emit(c.Left, 1), Emit(c.Right, 1)),
        Logical { Op: LogicalOp.And } l => flavor.And(Emit(l.Left), Emit(l.Right)),
        Logical l => flavor.Or(Emit(l.Left), Emit(l.Right)),
        Not n => flavor.Not(Emit(n.Operand)),
        BoolConst b => flavor.Bool(b.Value),
        CondRef r => Local(r.Name),
        _ => throw new ArgumentOutOfRangeException(nameof(cond), cond.GetType().Name),
    };

    private static int Precedence(BinaryOp op) => op is BinaryOp.Add or BinaryOp.Subtract ? 1 : 2;
}
