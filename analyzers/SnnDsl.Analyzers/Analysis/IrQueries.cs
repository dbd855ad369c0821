using System;
using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Model;

namespace SnnDsl.Analyzers.Analysis;

/// <summary>Questions the analyzers ask of a model's IR: what it reads, what it assigns, what a value is.</summary>
internal static class IrQueries
{
    /// <summary>Every sub-expression, the expression included (conditions' operands too).</summary>
    public static IEnumerable<Expr> Nodes(Expr expr)
    {
        yield return expr;
        IEnumerable<Expr> children = expr switch
        {
            Unary u => [u.Operand],
            Binary b => [b.Left, b.Right],
            Select s => Nodes(s.Condition).Concat([s.WhenTrue, s.WhenFalse]),
            Call c => c.Arguments,
            _ => [],
        };
        foreach (Expr child in children)
            foreach (Expr node in Nodes(child)) yield return node;
    }

    public static IEnumerable<Expr> Nodes(Cond cond) => cond switch
    {
        Compare c => [c.Left, c.Right],
        Logical l => Nodes(l.Left).Concat(Nodes(l.Right)),
        Not n => Nodes(n.Operand),
        _ => [],
    };

    /// <summary>
    /// The expressions whose value a gradient flows through: everything but the conditions of <c>?:</c> (their derivative
    /// is zero). The two sides of a firing condition count: the surrogate carries gradient through them.
    /// </summary>
    public static IEnumerable<Expr> DifferentiableNodes(Expr expr)
    {
        yield return expr;
        IEnumerable<Expr> children = expr switch
        {
            Unary u => [u.Operand],
            Binary b => [b.Left, b.Right],
            Select s => [s.WhenTrue, s.WhenFalse],
            Call c => c.Arguments,
            _ => [],
        };
        foreach (Expr child in children)
            foreach (Expr node in DifferentiableNodes(child)) yield return node;
    }

    /// <summary>Every expression a neuron's dynamics evaluate (Integrate, Fires, Reset).</summary>
    public static IEnumerable<Expr> Expressions(NeuronModel n) =>
        n.Integrate.Statements.Concat(n.Reset.Statements).Select(s => s.Value)
            .Concat(n.Fires is Compare c ? [c.Left, c.Right] : n.Fires is null ? [] : Nodes(n.Fires));

    /// <summary>Every expression a synapse's Deliver evaluates, the delivered current included.</summary>
    public static IEnumerable<Expr> Expressions(SynapseModel s) => s.Deliver.Statements.Select(a => a.Value).Append(s.Current);

    /// <summary>Every state assigned by a block.</summary>
    public static IEnumerable<string> AssignedStates(Block block) => block.Statements.Where(s => s.IsState).Select(s => s.Name);

    /// <summary>The value of an expression over constants, parameters and the surrogate argument, in float as the kernels compute it.</summary>
    public static float Evaluate(Expr expr, Func<string, float> parameter, float argument) => expr switch
    {
        Const c => c.Value,
        ParamRef p => parameter(p.Name),
        ArgRef => argument,
        Unary u => -Evaluate(u.Operand, parameter, argument),
        Binary b => b.Op switch
        {
            BinaryOp.Add => Evaluate(b.Left, parameter, argument) + Evaluate(b.Right, parameter, argument),
            BinaryOp.Subtract => Evaluate(b.Left, parameter, argument) - Evaluate(b.Right, parameter, argument),
            BinaryOp.Multiply => Evaluate(b.Left, parameter, argument) * Evaluate(b.Right, parameter, argument),
            _ => Evaluate(b.Left, parameter, argument) / Evaluate(b.Right, parameter, argument),
        },
        Select s => Holds(s.Condition, parameter, argument) ? Evaluate(s.WhenTrue, parameter, argument) : Evaluate(s.WhenFalse, parameter, argument),
        Call c => Call(c.Function, c.Arguments.Select(a => Evaluate(a, parameter, argument)).ToArray()),
        _ => float.NaN,
    };

    private static bool Holds(Cond cond, Func<string, float> parameter, float argument) => cond switch
    {
        Compare c => c.Op switch
        {
            CompareOp.Less => Evaluate(c.Left, parameter, argument) < Evaluate(c.Right, parameter, argument),
            CompareOp.LessOrEqual => Evaluate(c.Left, parameter, argument) <= Evaluate(c.Right, parameter, argument),
            CompareOp.Greater => Evaluate(c.Left, parameter, argument) > Evaluate(c.Right, parameter, argument),
            CompareOp.GreaterOrEqual => Evaluate(c.Left, parameter, argument) >= Evaluate(c.Right, parameter, argument),
            CompareOp.Equal => Evaluate(c.Left, parameter, argument) == Evaluate(c.Right, parameter, argument),
            _ => Evaluate(c.Left, parameter, argument) != Evaluate(c.Right, parameter, argument),
        },
        Logical { Op: LogicalOp.And } l => Holds(l.Left, parameter, argument) && Holds(l.Right, parameter, argument),
        Logical l => Holds(l.Left, parameter, argument) || Holds(l.Right, parameter, argument),
        Not n => !Holds(n.Operand, parameter, argument),
        BoolConst b => b.Value,
        _ => false,
    };

    private static float Call(MathFunction function, float[] a) => function switch
    {
        MathFunction.Exp => (float)Math.Exp(a[0]),
        MathFunction.Log => (float)Math.Log(a[0]),
        MathFunction.Abs => Math.Abs(a[0]),
        MathFunction.Sqrt => (float)Math.Sqrt(a[0]),
        MathFunction.Tanh => (float)Math.Tanh(a[0]),
        MathFunction.Max => Math.Max(a[0], a[1]),
        MathFunction.Min => Math.Min(a[0], a[1]),
        _ => (float)Math.Pow(a[0], a[1]),
    };
}
