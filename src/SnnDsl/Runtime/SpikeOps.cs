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
