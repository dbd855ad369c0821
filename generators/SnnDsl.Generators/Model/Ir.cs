using System;
using SnnDsl.Generators.Helpers;

namespace SnnDsl.Generators.Model;

// The dynamics IR (docs/ir.md). Records give structural equality, so a parsed model is its own cache key.
// Every emitter and analysis reads this IR, never C# syntax.

/// <summary>A float-valued expression.</summary>
internal abstract record Expr;

/// <summary>A float literal.</summary>
internal sealed record Const(float Value) : Expr;

/// <summary>A state variable of the neuron (its latest value).</summary>
internal sealed record StateRef(string Name) : Expr;

/// <summary>A parameter (neuron parameter, or surrogate parameter inside a surrogate).</summary>
internal sealed record ParamRef(string Name) : Expr;

/// <summary>A float local of the method body.</summary>
internal sealed record LocalRef(string Name) : Expr;

/// <summary>
/// A named input of the step: a port of a neuron's <c>Integrate(float input, …)</c>, or a parameter of a synapse's
/// <c>Deliver(float weightedSpikes, [Postsynaptic] float u)</c>.
/// </summary>
internal sealed record InputRef(string Name) : Expr;

/// <summary>The argument x = U − ϑ of a surrogate's <c>Derivative(float x)</c>.</summary>
internal sealed record ArgRef : Expr;

internal enum UnaryOp { Negate }

internal sealed record Unary(UnaryOp Op, Expr Operand) : Expr;

internal enum BinaryOp { Add, Subtract, Multiply, Divide }

internal sealed record Binary(BinaryOp Op, Expr Left, Expr Right) : Expr;

/// <summary>cond ? whenTrue : whenFalse.</summary>
internal sealed record Select(Cond Condition, Expr WhenTrue, Expr WhenFalse) : Expr;

/// <summary>The MathF functions the translatable subset allows.</summary>
internal enum MathFunction { Exp, Log, Abs, Sqrt, Tanh, Max, Min, Pow }

internal sealed record Call(MathFunction Function, EquatableArray<Expr> Arguments) : Expr;

/// <summary>A boolean condition (comparisons and their combinations).</summary>
internal abstract record Cond;

internal enum CompareOp { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual }

internal sealed record Compare(CompareOp Op, Expr Left, Expr Right) : Cond;

internal enum LogicalOp { And, Or }

internal sealed record Logical(LogicalOp Op, Cond Left, Cond Right) : Cond;

internal sealed record Not(Cond Operand) : Cond;

internal sealed record BoolConst(bool Value) : Cond;

/// <summary>A named condition computed earlier in generated code (e.g. the firing mask); not part of the text form.</summary>
internal sealed record CondRef(string Name) : Cond;

/// <summary>An assignment to a state or a float local; statements run in order and later reads see it.</summary>
internal sealed record Assign(bool IsState, string Name, Expr Value);

/// <summary>A straight-line sequence of assignments: the body of Integrate or Reset.</summary>
internal sealed record Block(EquatableArray<Assign> Statements)
{
    public static Block Empty { get; } = new(EquatableArray<Assign>.Empty);
}

internal static class Ir
{
    public static string Symbol(this BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static string Symbol(this CompareOp op) => op switch
    {
        CompareOp.Less => "<",
        CompareOp.LessOrEqual => "<=",
        CompareOp.Greater => ">",
        CompareOp.GreaterOrEqual => ">=",
        CompareOp.Equal => "==",
        CompareOp.NotEqual => "!=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static int Arity(this MathFunction function) => function is MathFunction.Max or MathFunction.Min or MathFunction.Pow ? 2 : 1;
}
