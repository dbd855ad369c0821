using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SnnDsl;

/// <summary>Argument checks the generated kernels make once per call (not per neuron).</summary>
public static class KernelGuard
{
    /// <summary>Throws when a buffer is shorter than the population.</summary>
    public static void RequireLength(int actual, int required, string name)
    {
        if (actual < required) ThrowTooShort(actual, required, name);
    }

    // Kept out of RequireLength so that the check itself inlines into the kernels.
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort(int actual, int required, string name) =>
        throw new ArgumentException($"Buffer '{name}' has length {actual}, but the population needs {required}.", name);
}

/// <summary>
/// Lane-wise functions the generated vector kernels need and <see cref="Vector256"/>/<see cref="Vector512"/> lack,
/// built on their Exp and Log. Accurate to a few ulp, not bit-identical to <see cref="MathF"/>.
/// </summary>
public static class SimdMath
{
    /// <summary>tanh(x) = sign(x)·(1 − 2/(exp(2|x|) + 1)).</summary>
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> e = Vector256.Exp(Vector256.Abs(x) * Vector256.Create(2f));
        Vector256<float> magnitude = Vector256.Create(1f) - Vector256.Create(2f) / (e + Vector256.Create(1f));
        return Vector256.CopySign(magnitude, x);
    }

    /// <summary>tanh(x) = sign(x)·(1 − 2/(exp(2|x|) + 1)).</summary>
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> e = Vector512.Exp(Vector512.Abs(x) * Vector512.Create(2f));
        Vector512<float> magnitude = Vector512.Create(1f) - Vector512.Create(2f) / (e + Vector512.Create(1f));
        return Vector512.CopySign(magnitude, x);
    }

    /// <summary>x^y = exp(y·ln x), for x &gt; 0 (NaN for x &lt; 0, as MathF.Pow gives for non-integer y).</summary>
    public static Vector256<float> Pow(Vector256<float> x, Vector256<float> y) => Vector256.Exp(y * Vector256.Log(x));

    /// <summary>x^y = exp(y·ln x), for x &gt; 0 (NaN for x &lt; 0, as MathF.Pow gives for non-integer y).</summary>
    public static Vector512<float> Pow(Vector512<float> x, Vector512<float> y) => Vector512.Exp(y * Vector512.Log(x));
}
