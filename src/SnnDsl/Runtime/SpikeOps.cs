using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SnnDsl;

/// <summary>
/// Hand-written drivers the generated kernels call: event-driven synaptic accumulation and vector helpers, each
/// with <see cref="Vector512"/> → <see cref="Vector256"/> → scalar dispatch.
/// </summary>
public static partial class SpikeOps
{
    /// <summary>
    /// Event-driven synaptic input, input += Σ_{j : S_j = 1} W[j, :]: adds the weight row of every active
    /// presynaptic neuron, in ascending order of j (so every SIMD width sums in the same order).
    /// </summary>
    /// <param name="weights">Row-major [pre, post] weights.</param>
    /// <param name="spikes">Bit-packed presynaptic spikes of one step.</param>
    /// <param name="input">Postsynaptic input of length post, accumulated in place.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    /// Error propagation to the presynaptic spikes of several samples, ∂L/∂S_pre[s, j] += Σ_i W[j, i]·∂L/∂x[s, i].
    /// Samples with dense adjoints share one pass over W [pre, post]: each block of four rows is loaded once and
    /// dotted with every sample's adjoint. Samples with few non-zero adjoints (e.g. from the sparse backward), or a
    /// short postsynaptic layer, add the rows of Wᵀ [post, pre] scaled by their non-zero adjoints only.
    /// </summary>
    /// <param name="weights">W, row-major [pre, post].</param>
    /// <param name="transposedWeights">Wᵀ, row-major [post, pre].</param>
    /// <param name="inputAdjoints">∂L/∂x, [samples, post].</param>
    /// <param name="spikeAdjoints">∂L/∂S_pre, [samples, pre], accumulated.</param>
    /// <param name="samples">Number of samples.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PropagateErrors(ReadOnlySpan<float> weights, ReadOnlySpan<float> transposedWeights, ReadOnlySpan<float> inputAdjoints, Span<float> spikeAdjoints, int samples)
    {
        int post = inputAdjoints.Length / samples, pre = spikeAdjoints.Length / samples;
        Span<bool> dense = samples <= 256 ? stackalloc bool[samples] : new bool[samples];
        bool anyDense = false;
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<float> delta = inputAdjoints.Slice(s * post, post);
            int nonZero = 0;
            foreach (float d in delta) if (d != 0f) nonZero++;
            if (nonZero == 0) continue;
            if (post >= 64 && nonZero * 4 >= post)
            {
                dense[s] = anyDense = true;
                continue;
            }
            Span<float> target = spikeAdjoints.Slice(s * pre, pre);
            for (int i = 0; i < post; i++)
                if (delta[i] != 0f) MultiplyAddInPlace(target, transposedWeights.Slice(i * pre, pre), delta[i]);
        }
        if (!anyDense) return;

        // Dense samples in groups of four: a 4 × 4 block of (row, sample) dot products shares each load of a weight
        // row and of an adjoint between four products (a GEMM micro-kernel), so W streams from cache once per step.
        Span<int> denseSamples = samples <= 256 ? stackalloc int[samples] : new int[samples];
        int denseCount = 0;
        for (int s = 0; s < samples; s++) if (dense[s]) denseSamples[denseCount++] = s;
        Span<float> block = stackalloc float[16];
        int j = 0;
        for (; j <= pre - 4; j += 4)
        {
            ReadOnlySpan<float> rows = weights.Slice(j * post, 4 * post);
            int k = 0;
            for (; k <= denseCount - 4; k += 4)
            {
                int s0 = denseSamples[k], s1 = denseSamples[k + 1], s2 = denseSamples[k + 2], s3 = denseSamples[k + 3];
                Dot4x4(rows, inputAdjoints.Slice(s0 * post, post), inputAdjoints.Slice(s1 * post, post),
                    inputAdjoints.Slice(s2 * post, post), inputAdjoints.Slice(s3 * post, post), block);
                for (int r = 0; r < 4; r++)
                {
                    spikeAdjoints[s0 * pre + j + r] += block[r];
                    spikeAdjoints[s1 * pre + j + r] += block[4 + r];
                    spikeAdjoints[s2 * pre + j + r] += block[8 + r];
                    spikeAdjoints[s3 * pre + j + r] += block[12 + r];
                }
            }
            for (; k < denseCount; k++)
            {
                int s = denseSamples[k];
                Dot4(rows, inputAdjoints.Slice(s * post, post), out float d0, out float d1, out float d2, out float d3);
                Span<float> target = spikeAdjoints.Slice(s * pre + j, 4);
                target[0] += d0;
                target[1] += d1;
                target[2] += d2;
                target[3] += d3;
            }
        }
        for (; j < pre; j++)
            for (int k = 0; k < denseCount; k++)
            {
                int s = denseSamples[k];
                spikeAdjoints[s * pre + j] += Dot(weights.Slice(j * post, post), inputAdjoints.Slice(s * post, post));
            }
    }

    /// <summary>
    /// The 4 × 4 dot products of four consecutive rows of <paramref name="rows"/> with four vectors x0…x3:
    /// <paramref name="result"/>[4·s + r] = rows[r]·x_s; Vector512 lanes, then a scalar tail. Falls back to
    /// <see cref="Dot4"/> without Vector512.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x4(ReadOnlySpan<float> rows, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, ReadOnlySpan<float> x3, Span<float> result)
    {
        int n = x0.Length;
        if (!Vector512.IsHardwareAccelerated || n < Vector512<float>.Count)
        {
            Dot4(rows, x0, out result[0], out result[1], out result[2], out result[3]);
            Dot4(rows, x1, out result[4], out result[5], out result[6], out result[7]);
            Dot4(rows, x2, out result[8], out result[9], out result[10], out result[11]);
            Dot4(rows, x3, out result[12], out result[13], out result[14], out result[15]);
            return;
        }
        ref float r0 = ref MemoryMarshal.GetReference(rows);
        ref float r1 = ref Unsafe.Add(ref r0, n);
        ref float r2 = ref Unsafe.Add(ref r1, n);
        ref float r3 = ref Unsafe.Add(ref r2, n);
        ref float a = ref MemoryMarshal.GetReference(x0);
        ref float b = ref MemoryMarshal.GetReference(x1);
        ref float c = ref MemoryMarshal.GetReference(x2);
        ref float d = ref MemoryMarshal.GetReference(x3);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
        int i = 0;
        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            Vector512<float> w0 = Vector512.LoadUnsafe(ref r0, (nuint)i), w1 = Vector512.LoadUnsafe(ref r1, (nuint)i);
            Vector512<float> w2 = Vector512.LoadUnsafe(ref r2, (nuint)i), w3 = Vector512.LoadUnsafe(ref r3, (nuint)i);
            Vector512<float> v = Vector512.LoadUnsafe(ref a, (nuint)i);
            a0 = Vector512.FusedMultiplyAdd(w0, v, a0); a1 = Vector512.FusedMultiplyAdd(w1, v, a1);
            a2 = Vector512.FusedMultiplyAdd(w2, v, a2); a3 = Vector512.FusedMultiplyAdd(w3, v, a3);
            v = Vector512.LoadUnsafe(ref b, (nuint)i);
            b0 = Vector512.FusedMultiplyAdd(w0, v, b0); b1 = Vector512.FusedMultiplyAdd(w1, v, b1);
            b2 = Vector512.FusedMultiplyAdd(w2, v, b2); b3 = Vector512.FusedMultiplyAdd(w3, v, b3);
            v = Vector512.LoadUnsafe(ref c, (nuint)i);
            c0 = Vector512.FusedMultiplyAdd(w0, v, c0); c1 = Vector512.FusedMultiplyAdd(w1, v, c1);
            c2 = Vector512.FusedMultiplyAdd(w2, v, c2); c3 = Vector512.FusedMultiplyAdd(w3, v, c3);
            v = Vector512.LoadUnsafe(ref d, (nuint)i);
            d0 = Vector512.FusedMultiplyAdd(w0, v, d0); d1 = Vector512.FusedMultiplyAdd(w1, v, d1);
            d2 = Vector512.FusedMultiplyAdd(w2, v, d2); d3 = Vector512.FusedMultiplyAdd(w3, v, d3);
        }
        result[0] = Vector512.Sum(a0); result[1] = Vector512.Sum(a1); result[2] = Vector512.Sum(a2); result[3] = Vector512.Sum(a3);
        result[4] = Vector512.Sum(b0); result[5] = Vector512.Sum(b1); result[6] = Vector512.Sum(b2); result[7] = Vector512.Sum(b3);
        result[8] = Vector512.Sum(c0); result[9] = Vector512.Sum(c1); result[10] = Vector512.Sum(c2); result[11] = Vector512.Sum(c3);
        result[12] = Vector512.Sum(d0); result[13] = Vector512.Sum(d1); result[14] = Vector512.Sum(d2); result[15] = Vector512.Sum(d3);
        for (; i < n; i++)
        {
            float w0 = Unsafe.Add(ref r0, i), w1 = Unsafe.Add(ref r1, i), w2 = Unsafe.Add(ref r2, i), w3 = Unsafe.Add(ref r3, i);
            float va = Unsafe.Add(ref a, i), vb = Unsafe.Add(ref b, i), vc = Unsafe.Add(ref c, i), vd = Unsafe.Add(ref d, i);
            result[0] += w0 * va; result[1] += w1 * va; result[2] += w2 * va; result[3] += w3 * va;
            result[4] += w0 * vb; result[5] += w1 * vb; result[6] += w2 * vb; result[7] += w3 * vb;
            result[8] += w0 * vc; result[9] += w1 * vc; result[10] += w2 * vc; result[11] += w3 * vc;
            result[12] += w0 * vd; result[13] += w1 * vd; result[14] += w2 * vd; result[15] += w3 * vd;
        }
    }

    /// <summary>Four dot products of consecutive rows of <paramref name="rows"/> with <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(ReadOnlySpan<float> rows, ReadOnlySpan<float> x, out float d0, out float d1, out float d2, out float d3)
    {
        int n = x.Length;
        ref float r0 = ref MemoryMarshal.GetReference(rows);
        ref float r1 = ref Unsafe.Add(ref r0, n);
        ref float r2 = ref Unsafe.Add(ref r1, n);
        ref float r3 = ref Unsafe.Add(ref r2, n);
        ref float xs = ref MemoryMarshal.GetReference(x);
        int i = 0;
        d0 = d1 = d2 = d3 = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref xs, (nuint)i);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)i), v, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r1, (nuint)i), v, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r2, (nuint)i), v, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r3, (nuint)i), v, a3);
            }
            d0 = Vector512.Sum(a0); d1 = Vector512.Sum(a1); d2 = Vector512.Sum(a2); d3 = Vector512.Sum(a3);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref xs, (nuint)i);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r0, (nuint)i), v, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r1, (nuint)i), v, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r2, (nuint)i), v, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r3, (nuint)i), v, a3);
            }
            d0 = Vector256.Sum(a0); d1 = Vector256.Sum(a1); d2 = Vector256.Sum(a2); d3 = Vector256.Sum(a3);
        }
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref xs, i);
            d0 += Unsafe.Add(ref r0, i) * v;
            d1 += Unsafe.Add(ref r1, i) * v;
            d2 += Unsafe.Add(ref r2, i) * v;
            d3 += Unsafe.Add(ref r3, i) * v;
        }
    }

    /// <summary>Σ_i x[i]·y[i].</summary>
    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float sum = 0f;
        for (int i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>Writes the bit-packed spikes of a row as floats, 1 where a neuron fired and 0 elsewhere; true when any fired.</summary>
    public static bool Expand(ReadOnlySpan<ulong> spikes, Span<float> values)
    {
        values.Clear();
        bool any = false;
        for (int w = 0; w < spikes.Length; w++)
        {
            ulong bits = spikes[w];
            any |= bits != 0;
            while (bits != 0)
            {
                values[(w << 6) + BitOperations.TrailingZeroCount(bits)] = 1f;
                bits &= bits - 1;
            }
        }
        return any;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
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
