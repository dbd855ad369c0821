using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SnnDsl;

/// <summary>
/// Hand-written drivers the generated kernels call: event-driven synaptic accumulation and vector helpers, each
/// with <see cref="Vector512"/> → <see cref="Vector256"/> → scalar dispatch.
/// </summary>
public static class SpikeOps
{
    /// <summary>
    /// Event-driven synaptic input, input += Σ_{j : S_j = 1} W[j, :]: adds the weight row of every active
    /// presynaptic neuron, in ascending order of j (so every SIMD width sums in the same order).
    /// </summary>
    /// <param name="weights">Row-major [pre, post] weights.</param>
    /// <param name="spikes">Bit-packed presynaptic spikes of one step.</param>
    /// <param name="input">Postsynaptic input of length post, accumulated in place.</param>
    public static void AccumulateSpikes(ReadOnlySpan<float> weights, ReadOnlySpan<ulong> spikes, Span<float> input)
    {
        int post = input.Length;
        for (int w = 0; w < spikes.Length; w++)
        {
            for (ulong bits = spikes[w]; bits != 0; bits &= bits - 1)
            {
                int pre = (w << 6) + BitOperations.TrailingZeroCount(bits);
                AddInPlace(input, weights.Slice(pre * post, post));
            }
        }
    }

    /// <summary>
    /// Event-driven weight gradient, ∂L/∂W[j, :] += S_j · ∂L/∂x: adds the postsynaptic input adjoint to the gradient
    /// row of every active presynaptic neuron (the outer product S_preᵀ δ, only where S_pre = 1).
    /// </summary>
    public static void AccumulateOuter(Span<float> weightGradient, ReadOnlySpan<ulong> spikes, ReadOnlySpan<float> inputAdjoint)
    {
        int post = inputAdjoint.Length;
        if (!ContainsNonZero(inputAdjoint)) return;
        for (int w = 0; w < spikes.Length; w++)
        {
            for (ulong bits = spikes[w]; bits != 0; bits &= bits - 1)
            {
                int pre = (w << 6) + BitOperations.TrailingZeroCount(bits);
                AddInPlace(weightGradient.Slice(pre * post, post), inputAdjoint);
            }
        }
    }

    /// <summary>
    /// Error propagation to the presynaptic spikes, ∂L/∂S_pre += W ∂L/∂x, computed from the transposed weights
    /// [post, pre] as a sum of rows scaled by the non-zero input adjoints (zeros, e.g. from the sparse backward,
    /// are skipped).
    /// </summary>
    public static void AccumulateTransposed(ReadOnlySpan<float> transposedWeights, ReadOnlySpan<float> inputAdjoint, Span<float> spikeAdjoint)
    {
        int pre = spikeAdjoint.Length;
        for (int i = 0; i < inputAdjoint.Length; i++)
        {
            float delta = inputAdjoint[i];
            if (delta != 0f) MultiplyAddInPlace(spikeAdjoint, transposedWeights.Slice(i * pre, pre), delta);
        }
    }

    /// <summary>W [rows, columns] → Wᵀ [columns, rows].</summary>
    public static float[] Transpose(ReadOnlySpan<float> matrix, int rows, int columns)
    {
        var transposed = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                transposed[c * rows + r] = matrix[r * columns + c];
        return transposed;
    }

    /// <summary>x += a·y, element-wise.</summary>
    public static void MultiplyAddInPlace(Span<float> x, ReadOnlySpan<float> y, float a)
    {
        int n = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> av = Vector512.Create(a);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref xs, (nuint)i) + av * Vector512.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref xs, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> av = Vector256.Create(a);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref xs, (nuint)i) + av * Vector256.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref xs, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref xs, i) += a * Unsafe.Add(ref ys, i);
    }

    private static bool ContainsNonZero(ReadOnlySpan<float> values)
    {
        foreach (float v in values) if (v != 0f) return true;
        return false;
    }

    /// <summary>x += y, element-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInPlace(Span<float> x, ReadOnlySpan<float> y)
    {
        int n = x.Length;
        if (y.Length != n) throw new ArgumentException($"Lengths differ: {n} and {y.Length}.", nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref xs, (nuint)i) + Vector512.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref xs, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref xs, (nuint)i) + Vector256.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref xs, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref xs, i) += Unsafe.Add(ref ys, i);
        }
    }

    /// <summary>The SIMD width the kernels use on this machine: "Vector512", "Vector256" or "scalar".</summary>
    public static string ActiveSimdWidth =>
        Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "scalar";
}
