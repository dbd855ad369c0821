using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SnnDsl;

/// <summary>
/// Hand-written drivers the generated kernels call: event-driven synaptic accumulation and vector helpers, each
/// with <see cref="Vector512"/> → <see cref="Vector256"/> → scalar dispatch.
/// </summary>
public static partial class SpikeOps
{
    /// <summary>
    /// Event-driven synaptic input, input += Σ_{j : S_j = 1} W[j, :]: adds the weight row of every active
    /// presynaptic neuron, in ascending order of j (so every SIMD width sums in the same order). A block of the input
    /// stays in registers while the rows of all active neurons are added to it, so the input is read and written once.
    /// </summary>
    /// <param name="weights">Row-major [pre, post] weights.</param>
    /// <param name="spikes">Bit-packed presynaptic spikes of one step.</param>
    /// <param name="input">Postsynaptic input of length post, accumulated in place.</param>
    public static void AccumulateSpikes(ReadOnlySpan<float> weights, ReadOnlySpan<ulong> spikes, Span<float> input) =>
        AddSpikingRows(weights, spikes, input, fromZero: false);

    /// <summary>
    /// The first connection's event-driven input to a port, input = Σ_{j : S_j = 1} W[j, :]: the same bits as clearing
    /// <paramref name="input"/> and then adding the rows
    /// (<see cref="AccumulateSpikes(ReadOnlySpan{float}, ReadOnlySpan{ulong}, Span{float})"/>), without writing it twice.
    /// </summary>
    /// <param name="weights">Row-major [pre, post] weights.</param>
    /// <param name="spikes">Bit-packed presynaptic spikes of one step.</param>
    /// <param name="input">Postsynaptic input of length post, overwritten.</param>
    public static void SumSpikes(ReadOnlySpan<float> weights, ReadOnlySpan<ulong> spikes, Span<float> input) =>
        AddSpikingRows(weights, spikes, input, fromZero: true);

    /// <summary>
    /// <see cref="AccumulateSpikes(ReadOnlySpan{float}, ReadOnlySpan{ulong}, Span{float})"/> from a population's
    /// <see cref="SpikeList"/> of the step, listed once for all its connections: the same rows in the same order, so
    /// the same bits.
    /// </summary>
    /// <param name="weights">Row-major [pre, post] weights.</param>
    /// <param name="spiking">The presynaptic neurons that spiked in the step.</param>
    /// <param name="input">Postsynaptic input of length post, accumulated in place.</param>
    /// <exception cref="ArgumentException">A listed neuron has no row in <paramref name="weights"/>.</exception>
    public static void AccumulateSpikes(ReadOnlySpan<float> weights, SpikeList spiking, Span<float> input)
    {
        if (spiking.Count > 0) AddRows(weights, Rows(weights, spiking, input.Length), input);
    }

    /// <summary>
    /// <see cref="SumSpikes(ReadOnlySpan{float}, ReadOnlySpan{ulong}, Span{float})"/> from a population's
    /// <see cref="SpikeList"/> of the step, listed once for all its connections (the same bits).
    /// </summary>
    /// <param name="weights">Row-major [pre, post] weights.</param>
    /// <param name="spiking">The presynaptic neurons that spiked in the step.</param>
    /// <param name="input">Postsynaptic input of length post, overwritten.</param>
    /// <exception cref="ArgumentException">A listed neuron has no row in <paramref name="weights"/>.</exception>
    public static void SumSpikes(ReadOnlySpan<float> weights, SpikeList spiking, Span<float> input)
    {
        if (spiking.Count > 0) AddRows(weights, Rows(weights, spiking, input.Length), input, fromZero: true);
        else input.Clear();
    }

    /// <summary>The listed neurons, after checking that the last (the largest) has a row of <paramref name="post"/> weights.</summary>
    private static ReadOnlySpan<int> Rows(ReadOnlySpan<float> weights, SpikeList spiking, int post)
    {
        ReadOnlySpan<int> rows = spiking.Neurons;
        if ((long)(rows[^1] + 1) * post > weights.Length)
            throw new ArgumentException($"Neuron {rows[^1]} spiked, but the weights hold {weights.Length / Math.Max(post, 1)} rows of {post}.", nameof(spiking));
        return rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit] // the index buffers are written before they are read
    private static void AddSpikingRows(ReadOnlySpan<float> weights, ReadOnlySpan<ulong> spikes, Span<float> input, bool fromZero)
    {
        int[]? rented = null;
        Span<int> active = spikes.Length <= 64 ? stackalloc int[spikes.Length * 64 + 4] : (rented = ArrayPool<int>.Shared.Rent(spikes.Length * 64 + 4));
        int count = ActiveNeurons(spikes, active);
        if (count > 0) AddRows(weights, active[..count], input, fromZero);
        else if (fromZero) input.Clear();
        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
    }

    /// <summary>
    /// Event-driven weight gradient, ∂L/∂W[j, :] += S_j · ∂L/∂x: adds the postsynaptic input adjoint to the gradient
    /// row of every active presynaptic neuron (the outer product S_preᵀ δ, only where S_pre = 1). A block of ∂L/∂x stays
    /// in registers while it is added to the rows of all active neurons.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit] // the index buffers are written before they are read
    public static void AccumulateOuter(Span<float> weightGradient, ReadOnlySpan<ulong> spikes, ReadOnlySpan<float> inputAdjoint)
    {
        if (!ContainsNonZero(inputAdjoint)) return;
        int[]? rented = null;
        Span<int> active = spikes.Length <= 64 ? stackalloc int[spikes.Length * 64 + 4] : (rented = ArrayPool<int>.Shared.Rent(spikes.Length * 64 + 4));
        int count = ActiveNeurons(spikes, active);
        if (count > 0) AddToRows(weightGradient, active[..count], inputAdjoint);
        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
    }

    /// <summary>
    /// Writes the indices of the set bits of <paramref name="spikes"/> in ascending order; returns how many. Four
    /// indices per word are written whether or not the word has that many bits (the extras are overwritten or lie past
    /// the count), so sparse rows take no unpredictable branch; <paramref name="active"/> needs 64 per word plus 4.
    /// </summary>
    internal static int ActiveNeurons(ReadOnlySpan<ulong> spikes, Span<int> active)
    {
        ref int output = ref MemoryMarshal.GetReference(active);
        int count = 0;
        for (int w = 0; w < spikes.Length; w++)
        {
            ulong bits = spikes[w];
            int basis = w << 6, bitCount = BitOperations.PopCount(bits), written = 0;
            do
            {
                ref int slot = ref Unsafe.Add(ref output, count + written);
                slot = basis + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                Unsafe.Add(ref slot, 1) = basis + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                Unsafe.Add(ref slot, 2) = basis + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                Unsafe.Add(ref slot, 3) = basis + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                written += 4;
            }
            while (written < bitCount);
            count += bitCount;
        }
        return count;
    }

    /// <summary>
    /// x += Σ_{j ∈ rows} W[j, :], for each block of x summing the rows in the order given; with
    /// <paramref name="fromZero"/>, x = 0 + Σ_{j ∈ rows} W[j, :] (the same bits as clearing x first, without reading it).
    /// At Vector512, when the rows are a whole number of cache lines long (n a multiple of 16) but do not start one, the
    /// blocks begin at the rows' first line boundary and the columns before it and after the last boundary are summed
    /// apart (<see cref="AddRowEdges"/>): no 64-byte load then spans two lines, which made these sums about 1.5× slower
    /// (docs/benchmarks.md). Every column still sums its rows in the order given.
    /// </summary>
    private static void AddRows(ReadOnlySpan<float> weights, ReadOnlySpan<int> rows, Span<float> x, bool fromZero = false)
    {
        int n = x.Length;
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float xs = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            const int L = 16;
            int head = LineHead(ref w, n), end = head == 0 ? n : n - (L - head);
            i = head;
            for (; i <= end - 4 * L; i += 4 * L)
            {
                Vector512<float> a0 = Load512(ref xs, i, fromZero), a1 = Load512(ref xs, i + L, fromZero);
                Vector512<float> a2 = Load512(ref xs, i + 2 * L, fromZero), a3 = Load512(ref xs, i + 3 * L, fromZero);
                foreach (int j in rows)
                {
                    ref float row = ref Unsafe.Add(ref w, j * n + i);
                    a0 += Vector512.LoadUnsafe(ref row); a1 += Vector512.LoadUnsafe(ref row, L);
                    a2 += Vector512.LoadUnsafe(ref row, 2 * L); a3 += Vector512.LoadUnsafe(ref row, 3 * L);
                }
                a0.StoreUnsafe(ref xs, (nuint)i); a1.StoreUnsafe(ref xs, (nuint)(i + L));
                a2.StoreUnsafe(ref xs, (nuint)(i + 2 * L)); a3.StoreUnsafe(ref xs, (nuint)(i + 3 * L));
            }
            // Rows of 64k floats leave three vectors before the tail: they go with the edges, in one pass over the rows.
            int middle = head != 0 && end - i == 3 * L ? 3 : 0;
            for (; i <= end - L - middle * L; i += L)
            {
                Vector512<float> a = Load512(ref xs, i, fromZero);
                foreach (int j in rows) a += Vector512.LoadUnsafe(ref Unsafe.Add(ref w, j * n + i));
                a.StoreUnsafe(ref xs, (nuint)i);
            }
            if (head != 0)
            {
                AddRowEdges(weights, rows, x, head, middle, fromZero);
                i = n;
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            const int L = 8;
            for (; i <= n - 4 * L; i += 4 * L)
            {
                Vector256<float> a0 = Load256(ref xs, i, fromZero), a1 = Load256(ref xs, i + L, fromZero);
                Vector256<float> a2 = Load256(ref xs, i + 2 * L, fromZero), a3 = Load256(ref xs, i + 3 * L, fromZero);
                foreach (int j in rows)
                {
                    ref float row = ref Unsafe.Add(ref w, j * n + i);
                    a0 += Vector256.LoadUnsafe(ref row); a1 += Vector256.LoadUnsafe(ref row, L);
                    a2 += Vector256.LoadUnsafe(ref row, 2 * L); a3 += Vector256.LoadUnsafe(ref row, 3 * L);
                }
                a0.StoreUnsafe(ref xs, (nuint)i); a1.StoreUnsafe(ref xs, (nuint)(i + L));
                a2.StoreUnsafe(ref xs, (nuint)(i + 2 * L)); a3.StoreUnsafe(ref xs, (nuint)(i + 3 * L));
            }
            for (; i <= n - L; i += L)
            {
                Vector256<float> a = Load256(ref xs, i, fromZero);
                foreach (int j in rows) a += Vector256.LoadUnsafe(ref Unsafe.Add(ref w, j * n + i));
                a.StoreUnsafe(ref xs, (nuint)i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            // The last four of a row such as a 20-class readout's (16 + 4).
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> a = fromZero ? Vector128<float>.Zero : Vector128.LoadUnsafe(ref xs, (nuint)i);
                foreach (int j in rows) a += Vector128.LoadUnsafe(ref Unsafe.Add(ref w, j * n + i));
                a.StoreUnsafe(ref xs, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float a = fromZero ? 0f : Unsafe.Add(ref xs, i);
            foreach (int j in rows) a += Unsafe.Add(ref w, j * n + i);
            Unsafe.Add(ref xs, i) = a;
        }
    }

    /// <summary>
    /// The columns of a row before its first cache line boundary (0 to 15), when rows of <paramref name="n"/> floats all
    /// lie alike in the lines (n a multiple of 16); 0 otherwise. Only the speed depends on it: were the array moved
    /// meanwhile, the sums stay the same.
    /// </summary>
    private static unsafe int LineHead(ref float row, int n)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref row);
        return !Avx512F.IsSupported || n % Vector512<float>.Count != 0 || address % sizeof(float) != 0 ? 0 : FloatsToLineBoundary(address);
    }

    /// <summary>The bytes of a cache line.</summary>
    internal const int CacheLineBytes = 64;

    /// <summary>Floats from <paramref name="address"/> (float-aligned) to the next cache line boundary, 0 when it is one.</summary>
    internal static int FloatsToLineBoundary(nuint address) => (int)((CacheLineBytes - address % CacheLineBytes) % CacheLineBytes / sizeof(float));

    /// <summary>
    /// Asks the cache for a row of an array that a pass reads or writes row by row: a line per 16 values from the first,
    /// into L1, or into L2 only when <paramref name="intoL2"/>. A row off a line boundary ends in the first line of the
    /// next row, which the pass asks for in that row's turn; asking for it with this row too made the SHD-shaped
    /// backward pass 1.02x slower (docs/benchmarks.md). No effect without SSE.
    /// </summary>
    internal static unsafe void PrefetchRow(ReadOnlySpan<float> row, bool intoL2)
    {
        if (!Sse.IsSupported || row.IsEmpty) return;
        fixed (float* first = row)
            for (int k = 0; k < row.Length; k += 16)
            {
                if (intoL2) Sse.Prefetch1(first + k);
                else Sse.Prefetch0(first + k);
            }
    }

    /// <summary>
    /// Columns [0, head) and [n − 16 + head, n) of <see cref="AddRows"/>, the parts of each row in the cache lines it
    /// shares with the rows before and after it, and the <paramref name="middle"/> (0 or 3) vectors just before the
    /// latter. Each edge is one masked load of its whole line per row (lanes outside the row are neither read nor
    /// added); every column sums the rows in their order from the value of x (or zero).
    /// </summary>
    private static unsafe void AddRowEdges(ReadOnlySpan<float> weights, ReadOnlySpan<int> rows, Span<float> x, int head, int middle, bool fromZero)
    {
        const int L = 16;
        int n = x.Length, tail = L - head, m = n - tail - middle * L;
        // The head is lanes [tail, 16) of the line that ends at the row's first boundary; the tail, lanes [0, tail) of
        // the line at n − tail. x is read and written through the same lanes.
        Vector512<float> headLanes = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(tail)).AsSingle();
        Vector512<float> tailLanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(tail)).AsSingle();
        fixed (float* w = weights, xs = x)
        {
            Vector512<float> first = fromZero ? Vector512<float>.Zero : Avx512F.MaskLoad(xs + head - L, headLanes, Vector512<float>.Zero);
            Vector512<float> last = fromZero ? Vector512<float>.Zero : Avx512F.MaskLoad(xs + n - tail, tailLanes, Vector512<float>.Zero);
            if (middle == 3)
            {
                Vector512<float> a0 = fromZero ? Vector512<float>.Zero : Vector512.Load(xs + m);
                Vector512<float> a1 = fromZero ? Vector512<float>.Zero : Vector512.Load(xs + m + L);
                Vector512<float> a2 = fromZero ? Vector512<float>.Zero : Vector512.Load(xs + m + 2 * L);
                foreach (int j in rows)
                {
                    float* row = w + (nint)j * n;
                    first += Avx512F.MaskLoad(row + head - L, headLanes, Vector512<float>.Zero);
                    a0 += Vector512.Load(row + m);
                    a1 += Vector512.Load(row + m + L);
                    a2 += Vector512.Load(row + m + 2 * L);
                    last += Avx512F.MaskLoad(row + n - tail, tailLanes, Vector512<float>.Zero);
                }
                a0.Store(xs + m);
                a1.Store(xs + m + L);
                a2.Store(xs + m + 2 * L);
            }
            else
            {
                foreach (int j in rows)
                {
                    float* row = w + (nint)j * n;
                    first += Avx512F.MaskLoad(row + head - L, headLanes, Vector512<float>.Zero);
                    last += Avx512F.MaskLoad(row + n - tail, tailLanes, Vector512<float>.Zero);
                }
            }
            Avx512F.MaskStore(xs + head - L, headLanes, first);
            Avx512F.MaskStore(xs + n - tail, tailLanes, last);
        }
    }

    /// <summary>The block of x at <paramref name="i"/> that a row sum starts from: its values, or zeros.</summary>
    private static Vector512<float> Load512(ref float x, int i, bool zero) => zero ? Vector512<float>.Zero : Vector512.LoadUnsafe(ref x, (nuint)i);

    /// <inheritdoc cref="Load512"/>
    private static Vector256<float> Load256(ref float x, int i, bool zero) => zero ? Vector256<float>.Zero : Vector256.LoadUnsafe(ref x, (nuint)i);

    /// <summary>G[j, :] += y for every j ∈ rows, a block of y at a time.</summary>
    private static void AddToRows(Span<float> matrix, ReadOnlySpan<int> rows, ReadOnlySpan<float> y)
    {
        int n = y.Length;
        ref float g = ref MemoryMarshal.GetReference(matrix);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            const int L = 16;
            for (; i <= n - 4 * L; i += 4 * L)
            {
                Vector512<float> y0 = Vector512.LoadUnsafe(ref ys, (nuint)i), y1 = Vector512.LoadUnsafe(ref ys, (nuint)(i + L));
                Vector512<float> y2 = Vector512.LoadUnsafe(ref ys, (nuint)(i + 2 * L)), y3 = Vector512.LoadUnsafe(ref ys, (nuint)(i + 3 * L));
                foreach (int j in rows)
                {
                    ref float row = ref Unsafe.Add(ref g, j * n + i);
                    (Vector512.LoadUnsafe(ref row) + y0).StoreUnsafe(ref row);
                    (Vector512.LoadUnsafe(ref row, L) + y1).StoreUnsafe(ref row, L);
                    (Vector512.LoadUnsafe(ref row, 2 * L) + y2).StoreUnsafe(ref row, 2 * L);
                    (Vector512.LoadUnsafe(ref row, 3 * L) + y3).StoreUnsafe(ref row, 3 * L);
                }
            }
            for (; i <= n - L; i += L)
            {
                Vector512<float> yv = Vector512.LoadUnsafe(ref ys, (nuint)i);
                foreach (int j in rows)
                {
                    ref float row = ref Unsafe.Add(ref g, j * n + i);
                    (Vector512.LoadUnsafe(ref row) + yv).StoreUnsafe(ref row);
                }
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            const int L = 8;
            for (; i <= n - L; i += L)
            {
                Vector256<float> yv = Vector256.LoadUnsafe(ref ys, (nuint)i);
                foreach (int j in rows)
                {
                    ref float row = ref Unsafe.Add(ref g, j * n + i);
                    (Vector256.LoadUnsafe(ref row) + yv).StoreUnsafe(ref row);
                }
            }
        }
        for (; i < n; i++)
        {
            float yi = Unsafe.Add(ref ys, i);
            foreach (int j in rows) Unsafe.Add(ref g, j * n + i) += yi;
        }
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
