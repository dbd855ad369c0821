using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SnnDsl;

// The dense error propagation of BPTT through x = W·S, as a matrix product Δ [samples, post] × Wᵀ [post, pre].
public static partial class SpikeOps
{
    /// <summary>Samples that share each load of a row of Wᵀ in <see cref="PropagateErrors(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>.</summary>
    private const int SampleBlock = 4;

    /// <summary>
    /// Bytes of Wᵀ one column panel spans: half of a 1 MiB L2 (Zen 4, Ice Lake server), so the panel stays in cache while
    /// every group of samples streams it.
    /// </summary>
    private const int PanelBytes = 512 * 1024;

    /// <summary>
    /// Error propagation to the presynaptic spikes of several samples, ∂L/∂S_pre[s, j] += Σ_i ∂L/∂x[s, i]·Wᵀ[i, j]
    /// (the chain rule through x = W·S_pre): the product of the adjoints Δ [samples, post] with Wᵀ [post, pre].
    /// Four samples at a time share every load of a row of Wᵀ, and each of them keeps four vectors of its result in
    /// registers (a 4 × 4-vector GEMM micro-kernel). When Wᵀ is larger than <see cref="PanelBytes"/>, its columns are
    /// taken in panels that fit the cache and every group of samples works through a panel before the next one, so Wᵀ
    /// streams from memory once per call instead of once per group. Rows i where all four adjoints are zero (the
    /// sparse backward, a silent readout) are skipped. Each result is one fused multiply-add chain over i in
    /// ascending order, added to ∂L/∂S_pre once, at every SIMD width and panel width alike.
    /// </summary>
    /// <param name="transposedWeights">Wᵀ, row-major [post, pre].</param>
    /// <param name="inputAdjoints">∂L/∂x, [samples, post].</param>
    /// <param name="spikeAdjoints">∂L/∂S_pre, [samples, pre], accumulated.</param>
    /// <param name="samples">Number of samples.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit] // the index buffers are written before they are read
    public static void PropagateErrors(ReadOnlySpan<float> transposedWeights, ReadOnlySpan<float> inputAdjoints, Span<float> spikeAdjoints, int samples)
    {
        int post = inputAdjoints.Length / samples, pre = spikeAdjoints.Length / samples;
        if (transposedWeights.Length != post * pre)
            throw new ArgumentException($"Wᵀ has {transposedWeights.Length} weights; [{post}, {pre}] needs {post * pre}.", nameof(transposedWeights));
        int groups = (samples + SampleBlock - 1) / SampleBlock;
        int[]? rented = null;
        // Per group: the count of its active rows, then the rows (ascending), in [groups, 1 + post].
        int length = groups * (1 + post);
        Span<int> rows = length <= 8192 ? stackalloc int[length] : (rented = ArrayPool<int>.Shared.Rent(length));
        for (int g = 0; g < groups; g++)
            rows[g * (1 + post)] = NonZeroRows(inputAdjoints, g * SampleBlock, Math.Min(SampleBlock, samples - g * SampleBlock), post, rows.Slice(g * (1 + post) + 1, post));
        int panel = Math.Max(64, PanelBytes / (sizeof(float) * post) / 64 * 64);
        for (int from = 0; from < pre; from += panel)
        {
            int to = Math.Min(pre, from + panel);
            for (int g = 0; g < groups; g++)
            {
                int active = rows[g * (1 + post)];
                if (active == 0) continue;
                // A group of fewer than four samples (the batch's tail) repeats its first sample in the missing places
                // and does not store their results.
                int first = g * SampleBlock;
                var block = new SampleGroup(inputAdjoints, spikeAdjoints, first, Math.Min(SampleBlock, samples - first), post, pre);
                ReadOnlySpan<int> groupRows = rows.Slice(g * (1 + post) + 1, active);
                int j = from;
                if (Vector512.IsHardwareAccelerated) j = PropagateVector512(transposedWeights, groupRows, block, pre, from, to);
                else if (Vector256.IsHardwareAccelerated) j = PropagateVector256(transposedWeights, groupRows, block, pre, from, to);
                PropagateScalar(transposedWeights, groupRows, block, pre, j, to);
            }
        }
        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
    }

    /// <summary>
    /// Writes the indices i (ascending) where any of the group's adjoints ∂L/∂x[s, i] is non-zero; returns how many.
    /// Sixteen (or eight) i at a time: a lane mask per sample, OR-ed over the group, then its set bits.
    /// </summary>
    private static int NonZeroRows(ReadOnlySpan<float> inputAdjoints, int first, int group, int post, Span<int> rows)
    {
        ref float delta = ref MemoryMarshal.GetReference(inputAdjoints);
        int active = 0, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= post - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                ulong mask = 0;
                for (int k = 0; k < group; k++)
                    mask |= ~Vector512.Equals(Vector512.LoadUnsafe(ref delta, (nuint)((first + k) * post + i)), Vector512<float>.Zero).ExtractMostSignificantBits();
                for (mask &= 0xFFFF; mask != 0; mask &= mask - 1) rows[active++] = i + BitOperations.TrailingZeroCount(mask);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= post - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                uint mask = 0;
                for (int k = 0; k < group; k++)
                    mask |= ~Vector256.Equals(Vector256.LoadUnsafe(ref delta, (nuint)((first + k) * post + i)), Vector256<float>.Zero).ExtractMostSignificantBits();
                for (mask &= 0xFF; mask != 0; mask &= mask - 1) rows[active++] = i + BitOperations.TrailingZeroCount(mask);
            }
        }
        for (; i < post; i++)
        {
            for (int k = 0; k < group; k++)
            {
                if (Unsafe.Add(ref delta, (first + k) * post + i) != 0f)
                {
                    rows[active++] = i;
                    break;
                }
            }
        }
        return active;
    }

    /// <summary>Four samples' rows of Δ (input side) and of ∂L/∂S_pre (output side), as references.</summary>
    private readonly ref struct SampleGroup
    {
        public readonly ref float Delta0, Delta1, Delta2, Delta3;
        public readonly ref float Out0, Out1, Out2, Out3;
        public readonly int Count;

        public SampleGroup(ReadOnlySpan<float> inputAdjoints, Span<float> spikeAdjoints, int first, int count, int post, int pre)
        {
            ref float delta = ref MemoryMarshal.GetReference(inputAdjoints);
            ref float output = ref MemoryMarshal.GetReference(spikeAdjoints);
            int s1 = count > 1 ? first + 1 : first, s2 = count > 2 ? first + 2 : first, s3 = count > 3 ? first + 3 : first;
            Delta0 = ref Unsafe.Add(ref delta, first * post);
            Delta1 = ref Unsafe.Add(ref delta, s1 * post);
            Delta2 = ref Unsafe.Add(ref delta, s2 * post);
            Delta3 = ref Unsafe.Add(ref delta, s3 * post);
            Out0 = ref Unsafe.Add(ref output, first * pre);
            Out1 = ref Unsafe.Add(ref output, s1 * pre);
            Out2 = ref Unsafe.Add(ref output, s2 * pre);
            Out3 = ref Unsafe.Add(ref output, s3 * pre);
            Count = count;
        }
    }

    /// <summary>Columns [<paramref name="from"/>, returned) of the group's ∂L/∂S_pre, 64 and then 16 at a time, up to <paramref name="to"/>.</summary>
    private static int PropagateVector512(ReadOnlySpan<float> transposedWeights, ReadOnlySpan<int> rows, in SampleGroup g, int pre, int from, int to)
    {
        const int L = 16;
        ref float wt = ref MemoryMarshal.GetReference(transposedWeights);
        int j = from;
        for (; j <= to - 4 * L; j += 4 * L)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
            foreach (int i in rows)
            {
                ref float row = ref Unsafe.Add(ref wt, i * pre + j);
                Vector512<float> w0 = Vector512.LoadUnsafe(ref row), w1 = Vector512.LoadUnsafe(ref row, L);
                Vector512<float> w2 = Vector512.LoadUnsafe(ref row, 2 * L), w3 = Vector512.LoadUnsafe(ref row, 3 * L);
                Vector512<float> x = Vector512.Create(Unsafe.Add(ref g.Delta0, i));
                a0 = Vector512.FusedMultiplyAdd(x, w0, a0); a1 = Vector512.FusedMultiplyAdd(x, w1, a1);
                a2 = Vector512.FusedMultiplyAdd(x, w2, a2); a3 = Vector512.FusedMultiplyAdd(x, w3, a3);
                x = Vector512.Create(Unsafe.Add(ref g.Delta1, i));
                b0 = Vector512.FusedMultiplyAdd(x, w0, b0); b1 = Vector512.FusedMultiplyAdd(x, w1, b1);
                b2 = Vector512.FusedMultiplyAdd(x, w2, b2); b3 = Vector512.FusedMultiplyAdd(x, w3, b3);
                x = Vector512.Create(Unsafe.Add(ref g.Delta2, i));
                c0 = Vector512.FusedMultiplyAdd(x, w0, c0); c1 = Vector512.FusedMultiplyAdd(x, w1, c1);
                c2 = Vector512.FusedMultiplyAdd(x, w2, c2); c3 = Vector512.FusedMultiplyAdd(x, w3, c3);
                x = Vector512.Create(Unsafe.Add(ref g.Delta3, i));
                d0 = Vector512.FusedMultiplyAdd(x, w0, d0); d1 = Vector512.FusedMultiplyAdd(x, w1, d1);
                d2 = Vector512.FusedMultiplyAdd(x, w2, d2); d3 = Vector512.FusedMultiplyAdd(x, w3, d3);
            }
            AddTo(ref Unsafe.Add(ref g.Out0, j), a0, a1, a2, a3);
            if (g.Count > 1) AddTo(ref Unsafe.Add(ref g.Out1, j), b0, b1, b2, b3);
            if (g.Count > 2) AddTo(ref Unsafe.Add(ref g.Out2, j), c0, c1, c2, c3);
            if (g.Count > 3) AddTo(ref Unsafe.Add(ref g.Out3, j), d0, d1, d2, d3);
        }
        for (; j <= to - L; j += L)
        {
            Vector512<float> a = default, b = default, c = default, d = default;
            foreach (int i in rows)
            {
                Vector512<float> w = Vector512.LoadUnsafe(ref Unsafe.Add(ref wt, i * pre + j));
                a = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref g.Delta0, i)), w, a);
                b = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref g.Delta1, i)), w, b);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref g.Delta2, i)), w, c);
                d = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref g.Delta3, i)), w, d);
            }
            (Vector512.LoadUnsafe(ref g.Out0, (nuint)j) + a).StoreUnsafe(ref g.Out0, (nuint)j);
            if (g.Count > 1) (Vector512.LoadUnsafe(ref g.Out1, (nuint)j) + b).StoreUnsafe(ref g.Out1, (nuint)j);
            if (g.Count > 2) (Vector512.LoadUnsafe(ref g.Out2, (nuint)j) + c).StoreUnsafe(ref g.Out2, (nuint)j);
            if (g.Count > 3) (Vector512.LoadUnsafe(ref g.Out3, (nuint)j) + d).StoreUnsafe(ref g.Out3, (nuint)j);
        }
        return j;
    }

    /// <summary>Columns [<paramref name="from"/>, returned) of the group's ∂L/∂S_pre, 32 and then 8 at a time, up to <paramref name="to"/>.</summary>
    private static int PropagateVector256(ReadOnlySpan<float> transposedWeights, ReadOnlySpan<int> rows, in SampleGroup g, int pre, int from, int to)
    {
        const int L = 8;
        ref float wt = ref MemoryMarshal.GetReference(transposedWeights);
        int j = from;
        for (; j <= to - 4 * L; j += 4 * L)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
            foreach (int i in rows)
            {
                ref float row = ref Unsafe.Add(ref wt, i * pre + j);
                Vector256<float> w0 = Vector256.LoadUnsafe(ref row), w1 = Vector256.LoadUnsafe(ref row, L);
                Vector256<float> w2 = Vector256.LoadUnsafe(ref row, 2 * L), w3 = Vector256.LoadUnsafe(ref row, 3 * L);
                Vector256<float> x = Vector256.Create(Unsafe.Add(ref g.Delta0, i));
                a0 = Vector256.FusedMultiplyAdd(x, w0, a0); a1 = Vector256.FusedMultiplyAdd(x, w1, a1);
                a2 = Vector256.FusedMultiplyAdd(x, w2, a2); a3 = Vector256.FusedMultiplyAdd(x, w3, a3);
                x = Vector256.Create(Unsafe.Add(ref g.Delta1, i));
                b0 = Vector256.FusedMultiplyAdd(x, w0, b0); b1 = Vector256.FusedMultiplyAdd(x, w1, b1);
                b2 = Vector256.FusedMultiplyAdd(x, w2, b2); b3 = Vector256.FusedMultiplyAdd(x, w3, b3);
                x = Vector256.Create(Unsafe.Add(ref g.Delta2, i));
                c0 = Vector256.FusedMultiplyAdd(x, w0, c0); c1 = Vector256.FusedMultiplyAdd(x, w1, c1);
                c2 = Vector256.FusedMultiplyAdd(x, w2, c2); c3 = Vector256.FusedMultiplyAdd(x, w3, c3);
                x = Vector256.Create(Unsafe.Add(ref g.Delta3, i));
                d0 = Vector256.FusedMultiplyAdd(x, w0, d0); d1 = Vector256.FusedMultiplyAdd(x, w1, d1);
                d2 = Vector256.FusedMultiplyAdd(x, w2, d2); d3 = Vector256.FusedMultiplyAdd(x, w3, d3);
            }
            AddTo(ref Unsafe.Add(ref g.Out0, j), a0, a1, a2, a3);
            if (g.Count > 1) AddTo(ref Unsafe.Add(ref g.Out1, j), b0, b1, b2, b3);
            if (g.Count > 2) AddTo(ref Unsafe.Add(ref g.Out2, j), c0, c1, c2, c3);
            if (g.Count > 3) AddTo(ref Unsafe.Add(ref g.Out3, j), d0, d1, d2, d3);
        }
        for (; j <= to - L; j += L)
        {
            Vector256<float> a = default, b = default, c = default, d = default;
            foreach (int i in rows)
            {
                Vector256<float> w = Vector256.LoadUnsafe(ref Unsafe.Add(ref wt, i * pre + j));
                a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref g.Delta0, i)), w, a);
                b = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref g.Delta1, i)), w, b);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref g.Delta2, i)), w, c);
                d = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref g.Delta3, i)), w, d);
            }
            (Vector256.LoadUnsafe(ref g.Out0, (nuint)j) + a).StoreUnsafe(ref g.Out0, (nuint)j);
            if (g.Count > 1) (Vector256.LoadUnsafe(ref g.Out1, (nuint)j) + b).StoreUnsafe(ref g.Out1, (nuint)j);
            if (g.Count > 2) (Vector256.LoadUnsafe(ref g.Out2, (nuint)j) + c).StoreUnsafe(ref g.Out2, (nuint)j);
            if (g.Count > 3) (Vector256.LoadUnsafe(ref g.Out3, (nuint)j) + d).StoreUnsafe(ref g.Out3, (nuint)j);
        }
        return j;
    }

    /// <summary>Columns [<paramref name="from"/>, <paramref name="to"/>) of the group's ∂L/∂S_pre, one at a time, with the same FMA chains.</summary>
    private static void PropagateScalar(ReadOnlySpan<float> transposedWeights, ReadOnlySpan<int> rows, in SampleGroup g, int pre, int from, int to)
    {
        for (int j = from; j < to; j++)
        {
            float a = 0f, b = 0f, c = 0f, d = 0f;
            foreach (int i in rows)
            {
                float w = transposedWeights[i * pre + j];
                a = MathF.FusedMultiplyAdd(Unsafe.Add(ref g.Delta0, i), w, a);
                b = MathF.FusedMultiplyAdd(Unsafe.Add(ref g.Delta1, i), w, b);
                c = MathF.FusedMultiplyAdd(Unsafe.Add(ref g.Delta2, i), w, c);
                d = MathF.FusedMultiplyAdd(Unsafe.Add(ref g.Delta3, i), w, d);
            }
            Unsafe.Add(ref g.Out0, j) += a;
            if (g.Count > 1) Unsafe.Add(ref g.Out1, j) += b;
            if (g.Count > 2) Unsafe.Add(ref g.Out2, j) += c;
            if (g.Count > 3) Unsafe.Add(ref g.Out3, j) += d;
        }
    }

    private static void AddTo(ref float target, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        (Vector512.LoadUnsafe(ref target) + v0).StoreUnsafe(ref target);
        (Vector512.LoadUnsafe(ref target, 16) + v1).StoreUnsafe(ref target, 16);
        (Vector512.LoadUnsafe(ref target, 32) + v2).StoreUnsafe(ref target, 32);
        (Vector512.LoadUnsafe(ref target, 48) + v3).StoreUnsafe(ref target, 48);
    }

    private static void AddTo(ref float target, Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3)
    {
        (Vector256.LoadUnsafe(ref target) + v0).StoreUnsafe(ref target);
        (Vector256.LoadUnsafe(ref target, 8) + v1).StoreUnsafe(ref target, 8);
        (Vector256.LoadUnsafe(ref target, 16) + v2).StoreUnsafe(ref target, 16);
        (Vector256.LoadUnsafe(ref target, 24) + v3).StoreUnsafe(ref target, 24);
    }
}
