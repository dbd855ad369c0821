using System.Runtime.InteropServices;

namespace SnnDsl.Tests.Reference;

/// <summary>A float32 value and the tape node that produced it; <see cref="Node"/> is −1 for a constant (no gradient).</summary>
public readonly record struct Scalar(float Value, int Node)
{
    /// <summary>A value that receives no gradient.</summary>
    public static Scalar Constant(float value) => new(value, -1);

    /// <summary>Whether no gradient flows to this value.</summary>
    public bool IsConstant => Node < 0;
}

/// <summary>
/// A small reverse-mode tape. Every operation computes its value in float32, exactly as a scalar kernel would
/// (one IEEE operation, no FMA, no double intermediate), and records its local partial derivatives with respect to its
/// non-constant operands in float64. <see cref="Backward"/> sweeps the nodes once, newest first, accumulating adjoints
/// in float64. The float64 side never feeds back into a value.
/// </summary>
public sealed class Tape
{
    // Node n's edges are [_firstEdge[n], _firstEdge[n + 1]): operand node and ∂n/∂operand.
    private readonly List<int> _firstEdge = [];
    private readonly List<int> _operand = [];
    private readonly List<double> _partial = [];

    /// <summary>Number of nodes.</summary>
    public int Count => _firstEdge.Count;

    /// <summary>An independent variable (a weight, a trainable parameter).</summary>
    public Scalar Leaf(float value)
    {
        _firstEdge.Add(_operand.Count);
        return new Scalar(value, Count - 1);
    }

    /// <summary>
    /// A node of value <paramref name="value"/> with its partial derivative with respect to each operand. Constant
    /// operands are dropped; with no operand left the result is a constant and nothing is recorded.
    /// </summary>
    public Scalar Push(float value, params ReadOnlySpan<(Scalar Operand, double Partial)> operands)
    {
        int first = _operand.Count;
        foreach ((Scalar operand, double partial) in operands)
        {
            if (operand.IsConstant) continue;
            _operand.Add(operand.Node);
            _partial.Add(partial);
        }
        if (_operand.Count == first) return Scalar.Constant(value);
        _firstEdge.Add(first);
        return new Scalar(value, Count - 1);
    }

    /// <summary>a + b.</summary>
    public Scalar Add(Scalar a, Scalar b) => Push(a.Value + b.Value, (a, 1), (b, 1));

    /// <summary>a − b.</summary>
    public Scalar Subtract(Scalar a, Scalar b) => Push(a.Value - b.Value, (a, 1), (b, -1));

    /// <summary>a · b.</summary>
    public Scalar Multiply(Scalar a, Scalar b) => Push(a.Value * b.Value, (a, b.Value), (b, a.Value));

    /// <summary>a / b: ∂a = 1/b, ∂b = −a/b².</summary>
    public Scalar Divide(Scalar a, Scalar b) =>
        Push(a.Value / b.Value, (a, 1.0 / b.Value), (b, -(double)a.Value / ((double)b.Value * b.Value)));

    /// <summary>−a.</summary>
    public Scalar Negate(Scalar a) => Push(-a.Value, (a, -1));

    /// <summary>eᵃ.</summary>
    public Scalar Exp(Scalar a) => Push(MathF.Exp(a.Value), (a, Math.Exp(a.Value)));

    /// <summary>ln a: ∂a = 1/a.</summary>
    public Scalar Log(Scalar a) => Push(MathF.Log(a.Value), (a, 1.0 / a.Value));

    /// <summary>|a|: ∂a = sign a, 0 at 0.</summary>
    public Scalar Abs(Scalar a) => Push(MathF.Abs(a.Value), (a, Math.Sign(a.Value)));

    /// <summary>√a: ∂a = 1/(2√a).</summary>
    public Scalar Sqrt(Scalar a) => Push(MathF.Sqrt(a.Value), (a, 0.5 / Math.Sqrt(a.Value)));

    /// <summary>tanh a: ∂a = 1 − tanh² a.</summary>
    public Scalar Tanh(Scalar a)
    {
        double t = Math.Tanh(a.Value);
        return Push(MathF.Tanh(a.Value), (a, 1 - t * t));
    }

    /// <summary>max(a, b): the gradient goes to the larger argument, to a on a tie.</summary>
    public Scalar Max(Scalar a, Scalar b) => Push(MathF.Max(a.Value, b.Value), a.Value >= b.Value ? (a, 1) : (b, 1));

    /// <summary>min(a, b): the gradient goes to the smaller argument, to a on a tie.</summary>
    public Scalar Min(Scalar a, Scalar b) => Push(MathF.Min(a.Value, b.Value), a.Value <= b.Value ? (a, 1) : (b, 1));

    /// <summary>aᵇ: ∂a = b·aᵇ⁻¹, ∂b = aᵇ·ln a (taken as 0 where a ≤ 0, where it does not exist).</summary>
    public Scalar Pow(Scalar a, Scalar b)
    {
        double x = a.Value, y = b.Value;
        return Push(MathF.Pow(a.Value, b.Value), (a, y * Math.Pow(x, y - 1)), (b, x > 0 ? Math.Pow(x, y) * Math.Log(x) : 0));
    }

    /// <summary>
    /// One reverse sweep: seeds the adjoints ∂L/∂output (repeated outputs add up) and returns ∂L/∂node for every node,
    /// index = <see cref="Scalar.Node"/>. A node with a zero adjoint passes nothing on.
    /// </summary>
    public double[] Backward(IEnumerable<(Scalar Output, double Adjoint)> seeds)
    {
        var adjoint = new double[Count];
        foreach ((Scalar output, double seed) in seeds)
            if (!output.IsConstant) adjoint[output.Node] += seed;

        ReadOnlySpan<int> operand = CollectionsMarshal.AsSpan(_operand);
        ReadOnlySpan<double> partial = CollectionsMarshal.AsSpan(_partial);
        for (int n = Count - 1; n >= 0; n--)
        {
            if (adjoint[n] == 0) continue;
            int end = n + 1 < Count ? _firstEdge[n + 1] : operand.Length;
            for (int e = _firstEdge[n]; e < end; e++) adjoint[operand[e]] += adjoint[n] * partial[e];
        }
        return adjoint;
    }
}
