using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Passes;

/// <summary>
/// Simplifying constructors for IR built by the derivative passes: products with 0 vanish, products with 1 and sums
/// with 0 collapse, constants fold, and a select whose branches agree is its branch. A tangent that is zero is thereby
/// known to be zero at compile time (a structural zero), and a constant Jacobian entry stays a constant.
/// </summary>
internal static class Algebra
{
    public static readonly Const Zero = new(0f);

    public static readonly Const One = new(1f);

    public static bool IsZero(Expr e) => e is Const { Value: 0f };

    private static bool IsOne(Expr e) => e is Const { Value: 1f };

    public static Expr Add(Expr a, Expr b) =>
        IsZero(a) ? b
        : IsZero(b) ? a
        : a is Const x && b is Const y ? new Const(x.Value + y.Value)
        : b is Unary { Op: UnaryOp.Negate } n ? new Binary(BinaryOp.Subtract, a, n.Operand)
        : new Binary(BinaryOp.Add, a, b);

    public static Expr Subtract(Expr a, Expr b) =>
        IsZero(b) ? a
        : IsZero(a) ? Negate(b)
        : a is Const x && b is Const y ? new Const(x.Value - y.Value)
        : new Binary(BinaryOp.Subtract, a, b);

    public static Expr Multiply(Expr a, Expr b) =>
        IsZero(a) || IsZero(b) ? Zero
        : IsOne(a) ? b
        : IsOne(b) ? a
        : a is Const x && b is Const y ? new Const(x.Value * y.Value)
        : a is Const { Value: -1f } ? Negate(b)
        : b is Const { Value: -1f } ? Negate(a)
        : new Binary(BinaryOp.Multiply, a, b);

    public static Expr Divide(Expr a, Expr b) =>
        IsZero(a) ? Zero
        : IsOne(b) ? a
        : new Binary(BinaryOp.Divide, a, b);

    public static Expr Negate(Expr a) =>
        a is Const c ? new Const(-c.Value)
        : a is Unary { Op: UnaryOp.Negate } n ? n.Operand
        : new Unary(UnaryOp.Negate, a);

    public static Expr Select(Cond condition, Expr whenTrue, Expr whenFalse) =>
        whenTrue == whenFalse ? whenTrue : new Select(condition, whenTrue, whenFalse);

    public static Expr Call(MathFunction function, params Expr[] arguments) => new Call(function, arguments.ToEquatableArray());

    /// <summary>
    /// Whether <paramref name="e"/> has the same value for every neuron at every step: it reads only literals and the
    /// parameters <paramref name="shared"/> accepts (conditions included).
    /// </summary>
    public static bool IsUniform(Expr e, System.Func<string, bool> shared) => e switch
    {
        Const => true,
        ParamRef p => shared(p.Name),
        Unary u => IsUniform(u.Operand, shared),
        Binary b => IsUniform(b.Left, shared) && IsUniform(b.Right, shared),
        Select s => IsUniform(s.Condition, shared) && IsUniform(s.WhenTrue, shared) && IsUniform(s.WhenFalse, shared),
        Call c => c.Arguments.All(a => IsUniform(a, shared)),
        _ => false,
    };

    private static bool IsUniform(Cond c, System.Func<string, bool> shared) => c switch
    {
        Compare x => IsUniform(x.Left, shared) && IsUniform(x.Right, shared),
        Logical l => IsUniform(l.Left, shared) && IsUniform(l.Right, shared),
        Not n => IsUniform(n.Operand, shared),
        BoolConst => true,
        _ => false,
    };
}
