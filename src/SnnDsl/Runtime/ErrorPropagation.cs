using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SnnDsl;

// The dense error propagation of BPTT through x = W·S, as a matrix product Δ [samples, post] × Wᵀ [post, pre].
public static partial class SpikeOps
{
    /// <summary>Samples that share each load of a row of Wᵀ in <see cref="PropagateErrors(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>.</summary>
    private const int SampleBlock = 4;

    /// <summary>
    /// Columns of Wᵀ (presynaptic neurons) per panel of <see cref="PackTransposed"/>: the width of the 4 × 4-vector
    /// micro-kernel at Vector512.
    /// </summary>
    public const int PanelWidth = 64;

    /// <summary>
    /// Columns of a strip of a panel: at Vector512 a panel's rows are whole (one strip of <see cref="PanelWidth"/>);
    /// otherwise a panel holds strips of 16 columns, each a contiguous [post, 16] block, so that the 4 × 2 kernel at
    /// Vector256 walks 64 contiguous bytes per row where it walked one line of every four (a 64-column panel's rows
    /// are 256 bytes apart): the dense backward pass of the SHD step ran 3–8 % faster on Zen 3 (docs/benchmarks.md).
    /// </summary>
    private static readonly int StripWidth = Vector512.IsHardwareAccelerated ? PanelWidth : 16;

    /// <summary>
    /// Where Wᵀ[i, j₀ + j] lies in a panel <paramref name="width"/> wide of <paramref name="post"/> rows: in the strip
    /// of column j (its first column j − j mod <see cref="StripWidth"/>, at that column times post), row i of the strip
    /// (as many floats per row as the strip has columns), column j mod <see cref="StripWidth"/>.
    /// </summary>
    private static int PanelOffset(int i, int j, int width, int post) => (j - j % StripWidth) * post + i * StripRowLength(j, width) + j % StripWidth;

    /// <summary>Floats per row of the strip that holds column j of a panel <paramref name="width"/> wide: its columns.</summary>
    private static int StripRowLength(int j, int width) => Math.Min(StripWidth, width - (j - j % StripWidth));

    /// <summary>
    /// W [pre, post] (a row per presynaptic neuron) → Wᵀ [post, pre] packed in panels of <see cref="PanelWidth"/>
    /// columns: the panel of columns [j₀, j₀ + w) starts at j₀·post and holds, strip by strip
    /// (<see cref="StripWidth"/>), for each i, Wᵀ[i, …] of the strip's columns contiguous (w = <see cref="PanelWidth"/>,
    /// less for the last panel; <see cref="PanelOffset"/>). <see cref="PropagateErrors(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/> reads each panel from
    /// start to end, once for every group of samples, so the panel streams through the cache instead of being gathered
    /// from rows pre·4 bytes apart (on another page each, for a large W).
    /// </summary>
    public static void PackTransposed(ReadOnlySpan<float> weights, int pre, int post, Span<float> packed)
    {
        if (weights.Length != pre * post || packed.Length != weights.Length)
            throw new ArgumentException($"W [{pre}, {post}] has {pre * post} values; got {weights.Length} and a buffer of {packed.Length}.", nameof(weights));
        for (int from = 0; from < pre; from += PanelWidth) PackPanel(weights, pre, post, packed, from);
    }

    /// <summary>The panel of columns [from, from + <see cref="PanelWidth"/>) of <see cref="PackTransposed"/>.</summary>
    internal static void PackPanel(ReadOnlySpan<float> weights, int pre, int post, Span<float> packed, int from)
    {
        int width = Math.Min(PanelWidth, pre - from);
        Span<float> panel = packed.Slice(from * post, width * post);
        for (int c = 0; c < width; c++)
        {
            ReadOnlySpan<float> row = weights.Slice((from + c) * post, post);
            for (int i = 0; i < post; i++) panel[PanelOffset(i, c, width, post)] = row[i];
        }
    }

    /// <summary>
    /// Error propagation to the presynaptic spikes of several samples, ∂L/∂S_pre[s, j] += Σ_i ∂L/∂x[s, i]·Wᵀ[i, j]
    /// (the chain rule through x = W·S_pre): the product of the adjoints Δ [samples, post] with Wᵀ [post, pre], taken
    /// from its panels (<see cref="PackTransposed"/>). Four samples at a time share every load of a row of a panel, and
    /// each of them keeps four vectors of its result in registers at Vector512 (a 4 × 4-vector GEMM micro-kernel), two
    /// at Vector256 (4 × 2, what AVX2's 16 registers hold; a group of one or two samples, the chunks of a batch of up to
    /// 16, keeps eight or four vectors instead: 1 × 8, 2 × 4); at Vector512, two such groups whose non-zero rows mostly
    /// coincide (the dense backward) run as one group of eight samples with two vectors each (8 × 2), which reads each
    /// row of the panel half as often. Within a loop of one sample (a batch of one) the threads the loop allows share
    /// the panels (<see cref="BatchParallel.ThreadsWithinOneSample"/>). Every group of samples works through a panel before the next panel, so the
    /// panel (post × 256 B) is read from memory once per call and from cache by the other groups. Rows i where all
    /// adjoints of a group are zero (the sparse backward, a silent readout) are skipped; a group whose samples are
    /// non-zero in mostly different rows (the sparse backward) runs sample by sample instead, each through its own rows
    /// with the 1 × 4 kernel at Vector512 or the 1 × 8 kernel at Vector256. Each result is one fused multiply-add chain
    /// over i in ascending order (a zero adjoint adds an exact zero), added to ∂L/∂S_pre once, at every SIMD width and
    /// grouping alike.
    /// </summary>
    /// <param name="packedTransposedWeights">Wᵀ [post, pre] in panels, as <see cref="PackTransposed"/> writes it.</param>
    /// <param name="inputAdjoints">∂L/∂x, [samples, post].</param>
    /// <param name="spikeAdjoints">∂L/∂S_pre, [samples, pre], accumulated.</param>
    /// <param name="samples">Number of samples.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit] // the index buffers are written before they are read
    public static void PropagateErrors(ReadOnlySpan<float> packedTransposedWeights, ReadOnlySpan<float> inputAdjoints, Span<float> spikeAdjoints, int samples)
    {
        int post = inputAdjoints.Length / samples, pre = spikeAdjoints.Length / samples;
        if (packedTransposedWeights.Length != post * pre)
            throw new ArgumentException($"Wᵀ has {packedTransposedWeights.Length} weights; [{post}, {pre}] needs {post * pre}.", nameof(packedTransposedWeights));
        int groups = (samples + SampleBlock - 1) / SampleBlock;
        int[]? rented = null;
        // Per group: the count of its active rows, then the rows (ascending), in [groups, 1 + post]; after them, per
        // pair of full groups, the rows where any of its eight samples is non-zero, in [groups / 2, 1 + post].
        // Then, with SIMD, per sample, its own rows, in [samples, 1 + post], for the groups that run sample by sample.
        bool sampleBySample = Vector256.IsHardwareAccelerated;
        int length = (groups + groups / 2 + (sampleBySample ? samples : 0)) * (1 + post);
        Span<int> rows = length <= 8192 ? stackalloc int[length] : (rented = ArrayPool<int>.Shared.Rent(length));
        for (int g = 0; g < groups; g++)
            rows[g * (1 + post)] = NonZeroRows(inputAdjoints, g * SampleBlock, Math.Min(SampleBlock, samples - g * SampleBlock), post, rows.Slice(g * (1 + post) + 1, post));
        // A pair of groups runs as eight samples when their union of rows is at most 52 % of the rows the two groups
        // go through apart, that is when their rows nearly coincide (the dense backward): the 8 × 2 kernel does twice
        // the multiply-adds of a group of four per row, so it pays only where it goes through about half as many rows
        // (a bound of 60 % slowed the sparse backward at 2 threads by 4 %; docs/benchmarks.md).
        Span<bool> paired = stackalloc bool[groups / 2];
        for (int p = 0; p < groups / 2; p++)
        {
            int first = 2 * p * SampleBlock, apart = rows[2 * p * (1 + post)] + rows[(2 * p + 1) * (1 + post)];
            paired[p] = false;
            if (!Vector512.IsHardwareAccelerated || samples - first < 2 * SampleBlock || apart == 0) continue;
            Span<int> union = rows.Slice((groups + p) * (1 + post), 1 + post);
            union[0] = NonZeroRows(inputAdjoints, first, 2 * SampleBlock, post, union[1..]);
            paired[p] = 25 * union[0] <= 13 * apart;
        }
        // A group whose samples are non-zero in mostly different rows runs sample by sample, each through its own rows
        // with the 1 × 4 kernel at Vector512 or 1 × 8 at Vector256, when that makes fewer than half the multiply-adds
        // of the group (1 × 8 reaches about half the rate of 4 × 2 per multiply-add). In the sparse backward of the SHD
        // benchmark each sample has 5 % of its rows non-zero and a group of four 19 %: a quarter of the multiply-adds.
        int sampleLists = (groups + groups / 2) * (1 + post);
        Span<bool> bySample = stackalloc bool[groups];
        for (int g = 0; g < groups; g++)
        {
            int first = g * SampleBlock, count = Math.Min(SampleBlock, samples - first), active = rows[g * (1 + post)];
            bySample[g] = false;
            if (!sampleBySample || count == 1 || active == post) continue;
            int sum = 0;
            for (int s = first; s < first + count; s++)
                sum += rows[sampleLists + s * (1 + post)] = NonZeroRows(inputAdjoints, s, 1, post, rows.Slice(sampleLists + s * (1 + post) + 1, post));
            bySample[g] = 2 * sum < count * active;
        }
        // Panels are independent (each writes its own columns of ∂L/∂S_pre): a chunk that has the team's threads to
        // itself (a batch of one sample) shares them out; the results are the same bits either way.
        var call = new PanelCall(packedTransposedWeights, inputAdjoints, spikeAdjoints, samples, post, pre, rows, paired, bySample);
        int panels = (pre + PanelWidth - 1) / PanelWidth, threads = BatchParallel.ThreadsWithinOneSample;
        if (threads < 2 || panels < 2 || (long)samples * post * pre < SharedPanelWork || !PanelShare.TryRun(call, panels, threads))
            for (int p = 0; p < panels; p++) PropagatePanel(call, p * PanelWidth);
        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
    }

    /// <summary>
    /// Multiply-adds of one call from which it shares its panels out (<see cref="PanelShare"/>): one sample through a
    /// 256 × 256 matrix. On a 2-core Zen 3 sharing ran one sample through 256² at 1.34 times the rate of one thread,
    /// 1024² at 1.85 times, and 128² at 0.76 times (docs/benchmarks.md).
    /// </summary>
    private const long SharedPanelWork = 1 << 16;

    /// <summary>The arguments of one call of PropagateErrors and the row lists and group plans it made for them.</summary>
    private readonly ref struct PanelCall(
        ReadOnlySpan<float> packedTransposedWeights, ReadOnlySpan<float> inputAdjoints, Span<float> spikeAdjoints, int samples, int post, int pre,
        ReadOnlySpan<int> rows, ReadOnlySpan<bool> paired, ReadOnlySpan<bool> bySample)
    {
        public readonly ReadOnlySpan<float> Weights = packedTransposedWeights, InputAdjoints = inputAdjoints;
        public readonly Span<float> SpikeAdjoints = spikeAdjoints;
        public readonly ReadOnlySpan<int> Rows = rows;
        public readonly ReadOnlySpan<bool> Paired = paired, BySample = bySample;
        public readonly int Samples = samples, Post = post, Pre = pre;
    }

    /// <summary>Columns [from, from + <see cref="PanelWidth"/>) of ∂L/∂S_pre, every group of samples through one panel of Wᵀ.</summary>
    private static void PropagatePanel(in PanelCall call, int from)
    {
        ReadOnlySpan<float> inputAdjoints = call.InputAdjoints;
        Span<float> spikeAdjoints = call.SpikeAdjoints;
        ReadOnlySpan<int> rows = call.Rows;
        ReadOnlySpan<bool> paired = call.Paired, bySample = call.BySample;
        int samples = call.Samples, post = call.Post, pre = call.Pre, groups = bySample.Length;
        int sampleLists = (groups + groups / 2) * (1 + post);
        int width = Math.Min(PanelWidth, pre - from);
        ReadOnlySpan<float> panel = call.Weights.Slice(from * post, width * post);
        for (int g = 0; g < groups; g++)
        {
            int first = g * SampleBlock;
            if (g % 2 == 0 && g / 2 < paired.Length && paired[g / 2])
            {
                int union = (groups + g / 2) * (1 + post);
                ReadOnlySpan<int> pairRows = rows.Slice(union + 1, rows[union]);
                var low = new SampleGroup(inputAdjoints, spikeAdjoints, first, SampleBlock, post, pre, from);
                var high = new SampleGroup(inputAdjoints, spikeAdjoints, first + SampleBlock, SampleBlock, post, pre, from);
                int done = PropagateVector512(panel, pairRows, low, high, width);
                PropagateScalar(panel, pairRows, low, width, done);
                PropagateScalar(panel, pairRows, high, width, done);
                g++;
                continue;
            }
            if (bySample[g])
            {
                for (int s = first; s < Math.Min(first + SampleBlock, samples); s++)
                {
                    ReadOnlySpan<int> sampleRows = rows.Slice(sampleLists + s * (1 + post) + 1, rows[sampleLists + s * (1 + post)]);
                    if (sampleRows.IsEmpty) continue;
                    var one = new SampleGroup(inputAdjoints, spikeAdjoints, s, 1, post, pre, from);
                    int done = Vector512.IsHardwareAccelerated ? Propagate1x4Vector512(panel, sampleRows, one, width) : PropagateVector256(panel, new ListedRows(sampleRows), one, width);
                    PropagateScalar(panel, sampleRows, one, width, done);
                }
                continue;
            }
            int active = rows[g * (1 + post)];
            if (active == 0) continue;
            // A group of fewer than four samples (the batch's tail) repeats its first sample in the missing places
            // and does not store their results.
            var block = new SampleGroup(inputAdjoints, spikeAdjoints, first, Math.Min(SampleBlock, samples - first), post, pre, from);
            ReadOnlySpan<int> groupRows = rows.Slice(g * (1 + post) + 1, active);
            int c = 0;
            if (Vector512.IsHardwareAccelerated) c = PropagateVector512(panel, groupRows, block, width);
            // A group whose adjoints are non-zero in every row (the dense backward) walks the panel without the list.
            else if (Vector256.IsHardwareAccelerated && active == post) c = PropagateVector256(panel, new AllRows(post), block, width);
            else if (Vector256.IsHardwareAccelerated) c = PropagateVector256(panel, new ListedRows(groupRows), block, width);
            PropagateScalar(panel, groupRows, block, width, c);
        }
    }

    /// <summary>
    /// The panels of one call shared by the threads of a loop of one sample (<see cref="BatchParallel.ThreadsWithinOneSample"/>),
    /// each thread taking the next panel, while the calling thread takes part; the call's spans are pinned meanwhile.
    /// </summary>
    private sealed unsafe class PanelShare : BatchParallel.SharedIndices
    {
        [ThreadStatic] private static PanelShare? t_share;

        private float* _weights, _inputAdjoints, _spikeAdjoints;
        private int* _rows;
        private bool* _paired, _bySample;
        private int _rowsLength, _groups, _samples, _post, _pre;

        /// <summary>Runs every panel of <paramref name="call"/> on up to <paramref name="threads"/> threads; false (nothing run) when the team is busy.</summary>
        public static bool TryRun(in PanelCall call, int panels, int threads)
        {
            PanelShare share = t_share ??= new PanelShare();
            fixed (float* weights = call.Weights, inputAdjoints = call.InputAdjoints, spikeAdjoints = call.SpikeAdjoints)
            fixed (int* rows = call.Rows)
            fixed (bool* paired = call.Paired, bySample = call.BySample)
            {
                share._weights = weights;
                share._inputAdjoints = inputAdjoints;
                share._spikeAdjoints = spikeAdjoints;
                share._rows = rows;
                share._paired = paired;
                share._bySample = bySample;
                (share._rowsLength, share._groups) = (call.Rows.Length, call.BySample.Length);
                (share._samples, share._post, share._pre) = (call.Samples, call.Post, call.Pre);
                try
                {
                    return share.TryRunAll(panels, threads);
                }
                finally
                {
                    share._weights = share._inputAdjoints = share._spikeAdjoints = null;
                    share._rows = null;
                    share._paired = share._bySample = null;
                }
            }
        }

        protected override void Run(int p) =>
            PropagatePanel(new PanelCall(
                new ReadOnlySpan<float>(_weights, _post * _pre), new ReadOnlySpan<float>(_inputAdjoints, _samples * _post),
                new Span<float>(_spikeAdjoints, _samples * _pre), _samples, _post, _pre, new ReadOnlySpan<int>(_rows, _rowsLength),
                new ReadOnlySpan<bool>(_paired, _groups / 2), new ReadOnlySpan<bool>(_bySample, _groups)), p * PanelWidth);
    }

    /// <summary>
    /// Writes the indices i (ascending) where any of the group's adjoints ∂L/∂x[s, i] is non-zero; returns how many.
    /// Sixteen (or eight) i at a time: a lane mask per sample, OR-ed over the group; at Vector512 the indices of its set
    /// lanes are compressed to the front of a register and stored, with AVX2 by a permuted store
    /// (<see cref="CompressLanes"/>), else one set bit at a time.
    /// </summary>
    private static int NonZeroRows(ReadOnlySpan<float> inputAdjoints, int first, int group, int post, Span<int> rows)
    {
        ref float delta = ref MemoryMarshal.GetReference(inputAdjoints);
        int active = 0, i = 0;
        if (Avx512F.IsSupported)
        {
            for (; i <= post - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> nonZero = Vector512<float>.Zero;
                for (int k = 0; k < group; k++)
                    nonZero |= ~Vector512.Equals(Vector512.LoadUnsafe(ref delta, (nuint)((first + k) * post + i)), Vector512<float>.Zero);
                // Compressed in a register and stored whole (active + 16 ≤ i + 16 ≤ post: inside rows; the extras lie
                // past the count). The compressing store to memory was what cost on Zen 4: with the register form
                // this function fell from 4.8 % to 0.7 % of the SHD step, whose backward pass ran 6-11 % faster
                // (docs/benchmarks.md).
                Avx512F.Compress(Vector512<int>.Zero, nonZero.AsInt32(), Vector512.Create(i) + Vector512<int>.Indices)
                    .StoreUnsafe(ref MemoryMarshal.GetReference(rows), (nuint)active);
                active += BitOperations.PopCount(nonZero.ExtractMostSignificantBits());
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= post - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                uint mask = 0;
                for (int k = 0; k < group; k++)
                    mask |= ~Vector256.Equals(Vector256.LoadUnsafe(ref delta, (nuint)((first + k) * post + i)), Vector256<float>.Zero).ExtractMostSignificantBits();
                mask &= 0xFF;
                Vector256<int> indices = Vector256.Create(i) + Vector256<int>.Indices;
                if (mask == 0xFF)
                {
                    indices.StoreUnsafe(ref MemoryMarshal.GetReference(rows), (nuint)active);
                    active += Vector256<int>.Count;
                }
                else if (Avx2.IsSupported)
                {
                    // AVX2 has no compressing store: a permutation from a table moves the set lanes to the front, and
                    // all eight are stored (active + 8 ≤ i + 8 ≤ post: inside rows; the extras lie past the count).
                    Vector256<int> lanes = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(CompressLanes), mask * 8);
                    Avx2.PermuteVar8x32(indices, lanes).StoreUnsafe(ref MemoryMarshal.GetReference(rows), (nuint)active);
                    active += BitOperations.PopCount(mask);
                }
                else for (; mask != 0; mask &= mask - 1) rows[active++] = i + BitOperations.TrailingZeroCount(mask);
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

    /// <summary>For each 8-bit mask, the lanes of its set bits in ascending order, then zeros: [256, 8].</summary>
    private static readonly int[] CompressLanes = BuildCompressLanes();

    private static int[] BuildCompressLanes()
    {
        var lanes = new int[256 * 8];
        for (int mask = 0; mask < 256; mask++)
            for (int bit = 0, k = 0; bit < 8; bit++)
                if ((mask >> bit & 1) != 0) lanes[mask * 8 + k++] = bit;
        return lanes;
    }

    /// <summary>The rows of a panel a group of samples goes through, in ascending order.</summary>
    private interface IPanelRows
    {
        int Count { get; }

        nint this[int k] { get; }
    }

    /// <summary>Every row, 0 … count − 1: the kernel then walks the panel without reading a list.</summary>
    private readonly struct AllRows(int count) : IPanelRows
    {
        public int Count => count;

        public nint this[int k] => k;
    }

    /// <summary>The rows where a group's adjoints are not all zero (<see cref="NonZeroRows"/>).</summary>
    private readonly ref struct ListedRows(ReadOnlySpan<int> rows) : IPanelRows
    {
        private readonly ReadOnlySpan<int> _rows = rows;

        public int Count => _rows.Length;

        public nint this[int k] => _rows[k];
    }

    /// <summary>Four samples' rows of Δ (input side) and of ∂L/∂S_pre from column <c>from</c> on (output side), as references.</summary>
    private readonly ref struct SampleGroup
    {
        public readonly ref float Delta0, Delta1, Delta2, Delta3;
        public readonly ref float Out0, Out1, Out2, Out3;
        public readonly int Count;

        public SampleGroup(ReadOnlySpan<float> inputAdjoints, Span<float> spikeAdjoints, int first, int count, int post, int pre, int from)
        {
            ref float delta = ref MemoryMarshal.GetReference(inputAdjoints);
            ref float output = ref MemoryMarshal.GetReference(spikeAdjoints);
            int s1 = count > 1 ? first + 1 : first, s2 = count > 2 ? first + 2 : first, s3 = count > 3 ? first + 3 : first;
            Delta0 = ref Unsafe.Add(ref delta, first * post);
            Delta1 = ref Unsafe.Add(ref delta, s1 * post);
            Delta2 = ref Unsafe.Add(ref delta, s2 * post);
            Delta3 = ref Unsafe.Add(ref delta, s3 * post);
            Out0 = ref Unsafe.Add(ref output, first * pre + from);
            Out1 = ref Unsafe.Add(ref output, s1 * pre + from);
            Out2 = ref Unsafe.Add(ref output, s2 * pre + from);
            Out3 = ref Unsafe.Add(ref output, s3 * pre + from);
            Count = count;
        }
    }

    /// <summary>
    /// Columns [0, returned) of a panel <paramref name="width"/> wide, 64 and then 16 at a time. At Vector512 a panel is
    /// one strip (<see cref="StripWidth"/>), so row i of the panel is whole, at i·width.
    /// </summary>
    private static int PropagateVector512(ReadOnlySpan<float> panel, ReadOnlySpan<int> rows, in SampleGroup g, int width)
    {
        const int L = 16;
        ref float wt = ref MemoryMarshal.GetReference(panel);
        int j = 0;
        for (; j <= width - 4 * L; j += 4 * L)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, d0 = default, d1 = default, d2 = default, d3 = default;
            foreach (int i in rows)
            {
                ref float row = ref Unsafe.Add(ref wt, i * width + j);
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
        for (; j <= width - L; j += L)
        {
            Vector512<float> a = default, b = default, c = default, d = default;
            foreach (int i in rows)
            {
                Vector512<float> w = Vector512.LoadUnsafe(ref Unsafe.Add(ref wt, i * width + j));
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

    /// <summary>
    /// One sample: columns [0, returned) of a panel <paramref name="width"/> wide, 64 and then 16 at a time, four vectors
    /// of the result in registers (1 × 4): a whole row of the panel per broadcast adjoint.
    /// </summary>
    private static int Propagate1x4Vector512(ReadOnlySpan<float> panel, ReadOnlySpan<int> rows, in SampleGroup g, int width)
    {
        const int L = 16;
        ref float wt = ref MemoryMarshal.GetReference(panel);
        ref float x0 = ref g.Delta0;
        int j = 0;
        for (; j <= width - 4 * L; j += 4 * L)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            foreach (int i in rows)
            {
                ref float row = ref Unsafe.Add(ref wt, i * width + j);
                Vector512<float> x = Vector512.Create(Unsafe.Add(ref x0, i));
                a0 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref row), a0); a1 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref row, L), a1);
                a2 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref row, 2 * L), a2); a3 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref row, 3 * L), a3);
            }
            AddTo(ref Unsafe.Add(ref g.Out0, j), a0, a1, a2, a3);
        }
        for (; j <= width - L; j += L)
        {
            Vector512<float> a = default;
            foreach (int i in rows) a = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x0, i)), Vector512.LoadUnsafe(ref Unsafe.Add(ref wt, i * width + j)), a);
            (Vector512.LoadUnsafe(ref g.Out0, (nuint)j) + a).StoreUnsafe(ref g.Out0, (nuint)j);
        }
        return j;
    }

    /// <summary>
    /// Eight samples (<paramref name="low"/>, then <paramref name="high"/>): columns [0, returned) of a panel
    /// <paramref name="width"/> wide, 32 at a time, each sample keeping two vectors of its result in registers (8 × 2).
    /// </summary>
    private static int PropagateVector512(ReadOnlySpan<float> panel, ReadOnlySpan<int> rows, in SampleGroup low, in SampleGroup high, int width)
    {
        const int L = 16;
        ref float wt = ref MemoryMarshal.GetReference(panel);
        // The adjoint rows as locals, so the loop does not reload them from the groups.
        ref float x0 = ref low.Delta0, x1 = ref low.Delta1, x2 = ref low.Delta2, x3 = ref low.Delta3;
        ref float x4 = ref high.Delta0, x5 = ref high.Delta1, x6 = ref high.Delta2, x7 = ref high.Delta3;
        int j = 0;
        for (; j <= width - 2 * L; j += 2 * L)
        {
            Vector512<float> a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default, d0 = default, d1 = default;
            Vector512<float> e0 = default, e1 = default, f0 = default, f1 = default, g0 = default, g1 = default, h0 = default, h1 = default;
            foreach (int i in rows)
            {
                ref float row = ref Unsafe.Add(ref wt, i * width + j);
                Vector512<float> w0 = Vector512.LoadUnsafe(ref row), w1 = Vector512.LoadUnsafe(ref row, L);
                Vector512<float> x = Vector512.Create(Unsafe.Add(ref x0, i));
                a0 = Vector512.FusedMultiplyAdd(x, w0, a0); a1 = Vector512.FusedMultiplyAdd(x, w1, a1);
                x = Vector512.Create(Unsafe.Add(ref x1, i));
                b0 = Vector512.FusedMultiplyAdd(x, w0, b0); b1 = Vector512.FusedMultiplyAdd(x, w1, b1);
                x = Vector512.Create(Unsafe.Add(ref x2, i));
                c0 = Vector512.FusedMultiplyAdd(x, w0, c0); c1 = Vector512.FusedMultiplyAdd(x, w1, c1);
                x = Vector512.Create(Unsafe.Add(ref x3, i));
                d0 = Vector512.FusedMultiplyAdd(x, w0, d0); d1 = Vector512.FusedMultiplyAdd(x, w1, d1);
                x = Vector512.Create(Unsafe.Add(ref x4, i));
                e0 = Vector512.FusedMultiplyAdd(x, w0, e0); e1 = Vector512.FusedMultiplyAdd(x, w1, e1);
                x = Vector512.Create(Unsafe.Add(ref x5, i));
                f0 = Vector512.FusedMultiplyAdd(x, w0, f0); f1 = Vector512.FusedMultiplyAdd(x, w1, f1);
                x = Vector512.Create(Unsafe.Add(ref x6, i));
                g0 = Vector512.FusedMultiplyAdd(x, w0, g0); g1 = Vector512.FusedMultiplyAdd(x, w1, g1);
                x = Vector512.Create(Unsafe.Add(ref x7, i));
                h0 = Vector512.FusedMultiplyAdd(x, w0, h0); h1 = Vector512.FusedMultiplyAdd(x, w1, h1);
            }
            AddTo(ref Unsafe.Add(ref low.Out0, j), a0, a1); AddTo(ref Unsafe.Add(ref low.Out1, j), b0, b1);
            AddTo(ref Unsafe.Add(ref low.Out2, j), c0, c1); AddTo(ref Unsafe.Add(ref low.Out3, j), d0, d1);
            AddTo(ref Unsafe.Add(ref high.Out0, j), e0, e1); AddTo(ref Unsafe.Add(ref high.Out1, j), f0, f1);
            AddTo(ref Unsafe.Add(ref high.Out2, j), g0, g1); AddTo(ref Unsafe.Add(ref high.Out3, j), h0, h1);
        }
        return j;
    }

    /// <summary>
    /// Columns [0, returned) of a panel <paramref name="width"/> wide at Vector256, with the micro-kernel that fits the
    /// group: a group of one or two samples (a chunk of a batch of up to 16) takes a whole panel or half of it per pass
    /// (1 × 8, 2 × 4), where the 4 × 2 kernel would repeat its samples and do four or two times the multiply-adds;
    /// the columns those leave, and groups of three and four, go to the 4 × 2 kernel.
    /// </summary>
    private static int PropagateVector256<TRows>(ReadOnlySpan<float> panel, TRows rows, in SampleGroup g, int width) where TRows : IPanelRows, allows ref struct
    {
        int done = g.Count switch
        {
            1 => Propagate1x8Vector256(panel, rows, g, width),
            2 => Propagate2x4Vector256(panel, rows, g, width),
            _ => 0,
        };
        return Propagate4x2Vector256(panel, rows, g, width, done);
    }

    /// <summary>
    /// Columns [<paramref name="from"/>, returned) of a panel <paramref name="width"/> wide, 16 and then 8 at a time:
    /// each sample keeps two vectors of its result in registers (4 × 2). AVX2 has 16 vector registers; a 4 × 4 block's
    /// 16 sums, its four weight vectors and the broadcast adjoint do not fit them, and the spills made it 1.6× slower
    /// (docs/benchmarks.md).
    /// </summary>
    private static int Propagate4x2Vector256<TRows>(ReadOnlySpan<float> panel, TRows rows, in SampleGroup g, int width, int from) where TRows : IPanelRows, allows ref struct
    {
        const int L = 8;
        ref float wt = ref MemoryMarshal.GetReference(panel);
        // The adjoint rows as locals, so the loop does not reload them from the group.
        ref float x0 = ref g.Delta0, x1 = ref g.Delta1, x2 = ref g.Delta2, x3 = ref g.Delta3;
        int post = panel.Length / width, j = from;
        for (; j <= width - 2 * L; j += 2 * L)
        {
            Vector256<float> a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default, d0 = default, d1 = default;
            ref float column = ref Unsafe.Add(ref wt, PanelOffset(0, j, width, post));
            nint stride = StripRowLength(j, width);
            for (int k = 0; k < rows.Count; k++)
            {
                nint i = rows[k];
                ref float row = ref Unsafe.Add(ref column, i * stride);
                Vector256<float> w0 = Vector256.LoadUnsafe(ref row), w1 = Vector256.LoadUnsafe(ref row, L);
                Vector256<float> x = Vector256.Create(Unsafe.Add(ref x0, i));
                a0 = Vector256.FusedMultiplyAdd(x, w0, a0); a1 = Vector256.FusedMultiplyAdd(x, w1, a1);
                x = Vector256.Create(Unsafe.Add(ref x1, i));
                b0 = Vector256.FusedMultiplyAdd(x, w0, b0); b1 = Vector256.FusedMultiplyAdd(x, w1, b1);
                x = Vector256.Create(Unsafe.Add(ref x2, i));
                c0 = Vector256.FusedMultiplyAdd(x, w0, c0); c1 = Vector256.FusedMultiplyAdd(x, w1, c1);
                x = Vector256.Create(Unsafe.Add(ref x3, i));
                d0 = Vector256.FusedMultiplyAdd(x, w0, d0); d1 = Vector256.FusedMultiplyAdd(x, w1, d1);
            }
            AddTo(ref Unsafe.Add(ref g.Out0, j), a0, a1);
            if (g.Count > 1) AddTo(ref Unsafe.Add(ref g.Out1, j), b0, b1);
            if (g.Count > 2) AddTo(ref Unsafe.Add(ref g.Out2, j), c0, c1);
            if (g.Count > 3) AddTo(ref Unsafe.Add(ref g.Out3, j), d0, d1);
        }
        for (; j <= width - L; j += L)
        {
            Vector256<float> a = default, b = default, c = default, d = default;
            ref float column = ref Unsafe.Add(ref wt, PanelOffset(0, j, width, post));
            nint stride = StripRowLength(j, width);
            for (int k = 0; k < rows.Count; k++)
            {
                nint i = rows[k];
                Vector256<float> w = Vector256.LoadUnsafe(ref Unsafe.Add(ref column, i * stride));
                a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref x0, i)), w, a);
                b = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref x1, i)), w, b);
                c = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref x2, i)), w, c);
                d = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref x3, i)), w, d);
            }
            (Vector256.LoadUnsafe(ref g.Out0, (nuint)j) + a).StoreUnsafe(ref g.Out0, (nuint)j);
            if (g.Count > 1) (Vector256.LoadUnsafe(ref g.Out1, (nuint)j) + b).StoreUnsafe(ref g.Out1, (nuint)j);
            if (g.Count > 2) (Vector256.LoadUnsafe(ref g.Out2, (nuint)j) + c).StoreUnsafe(ref g.Out2, (nuint)j);
            if (g.Count > 3) (Vector256.LoadUnsafe(ref g.Out3, (nuint)j) + d).StoreUnsafe(ref g.Out3, (nuint)j);
        }
        return j;
    }

    /// <summary>
    /// One sample: columns [0, returned) of a panel <paramref name="width"/> wide, 64 at a time, eight vectors of the
    /// result in registers (1 × 8): a row's four cache lines per broadcast adjoint.
    /// </summary>
    private static int Propagate1x8Vector256<TRows>(ReadOnlySpan<float> panel, TRows rows, in SampleGroup g, int width) where TRows : IPanelRows, allows ref struct
    {
        const int L = 8;
        ref float wt = ref MemoryMarshal.GetReference(panel);
        ref float x0 = ref g.Delta0;
        int post = panel.Length / width, j = 0;
        for (; j <= width - 8 * L; j += 8 * L)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            // Two vectors from each of the four strips of 16 columns (one strip of 64 at Vector512 widths).
            ref float strip0 = ref Unsafe.Add(ref wt, PanelOffset(0, j, width, post)), strip1 = ref Unsafe.Add(ref wt, PanelOffset(0, j + 2 * L, width, post));
            ref float strip2 = ref Unsafe.Add(ref wt, PanelOffset(0, j + 4 * L, width, post)), strip3 = ref Unsafe.Add(ref wt, PanelOffset(0, j + 6 * L, width, post));
            nint stride = StripRowLength(j, width);
            for (int k = 0; k < rows.Count; k++)
            {
                nint i = rows[k];
                ref float row0 = ref Unsafe.Add(ref strip0, i * stride), row1 = ref Unsafe.Add(ref strip1, i * stride);
                ref float row2 = ref Unsafe.Add(ref strip2, i * stride), row3 = ref Unsafe.Add(ref strip3, i * stride);
                Vector256<float> x = Vector256.Create(Unsafe.Add(ref x0, i));
                a0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref row0), a0); a1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref row0, L), a1);
                a2 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref row1), a2); a3 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref row1, L), a3);
                a4 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref row2), a4); a5 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref row2, L), a5);
                a6 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref row3), a6); a7 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref row3, L), a7);
            }
            ref float output = ref Unsafe.Add(ref g.Out0, j);
            AddTo(ref output, a0, a1); AddTo(ref Unsafe.Add(ref output, 2 * L), a2, a3);
            AddTo(ref Unsafe.Add(ref output, 4 * L), a4, a5); AddTo(ref Unsafe.Add(ref output, 6 * L), a6, a7);
        }
        return j;
    }

    /// <summary>
    /// Two samples: columns [0, returned) of a panel <paramref name="width"/> wide, 32 at a time, four vectors of each
    /// result in registers (2 × 4).
    /// </summary>
    private static int Propagate2x4Vector256<TRows>(ReadOnlySpan<float> panel, TRows rows, in SampleGroup g, int width) where TRows : IPanelRows, allows ref struct
    {
        const int L = 8;
        ref float wt = ref MemoryMarshal.GetReference(panel);
        ref float x0 = ref g.Delta0, x1 = ref g.Delta1;
        int post = panel.Length / width, j = 0;
        for (; j <= width - 4 * L; j += 4 * L)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
            // Two vectors from each of two strips of 16 columns.
            ref float strip0 = ref Unsafe.Add(ref wt, PanelOffset(0, j, width, post)), strip1 = ref Unsafe.Add(ref wt, PanelOffset(0, j + 2 * L, width, post));
            nint stride = StripRowLength(j, width);
            for (int k = 0; k < rows.Count; k++)
            {
                nint i = rows[k];
                ref float row0 = ref Unsafe.Add(ref strip0, i * stride), row1 = ref Unsafe.Add(ref strip1, i * stride);
                Vector256<float> w0 = Vector256.LoadUnsafe(ref row0), w1 = Vector256.LoadUnsafe(ref row0, L);
                Vector256<float> w2 = Vector256.LoadUnsafe(ref row1), w3 = Vector256.LoadUnsafe(ref row1, L);
                Vector256<float> x = Vector256.Create(Unsafe.Add(ref x0, i));
                a0 = Vector256.FusedMultiplyAdd(x, w0, a0); a1 = Vector256.FusedMultiplyAdd(x, w1, a1);
                a2 = Vector256.FusedMultiplyAdd(x, w2, a2); a3 = Vector256.FusedMultiplyAdd(x, w3, a3);
                x = Vector256.Create(Unsafe.Add(ref x1, i));
                b0 = Vector256.FusedMultiplyAdd(x, w0, b0); b1 = Vector256.FusedMultiplyAdd(x, w1, b1);
                b2 = Vector256.FusedMultiplyAdd(x, w2, b2); b3 = Vector256.FusedMultiplyAdd(x, w3, b3);
            }
            AddTo(ref Unsafe.Add(ref g.Out0, j), a0, a1); AddTo(ref Unsafe.Add(ref g.Out0, j + 2 * L), a2, a3);
            AddTo(ref Unsafe.Add(ref g.Out1, j), b0, b1); AddTo(ref Unsafe.Add(ref g.Out1, j + 2 * L), b2, b3);
        }
        return j;
    }

    /// <summary>Columns [<paramref name="from"/>, <paramref name="width"/>) of a panel, one at a time, with the same FMA chains.</summary>
    private static void PropagateScalar(ReadOnlySpan<float> panel, ReadOnlySpan<int> rows, in SampleGroup g, int width, int from)
    {
        int post = panel.Length / width;
        for (int j = from; j < width; j++)
        {
            float a = 0f, b = 0f, c = 0f, d = 0f;
            ReadOnlySpan<float> column = panel[PanelOffset(0, j, width, post)..];
            int stride = StripRowLength(j, width);
            foreach (int i in rows)
            {
                float w = column[i * stride];
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

    private static void AddTo(ref float target, Vector512<float> v0, Vector512<float> v1)
    {
        (Vector512.LoadUnsafe(ref target) + v0).StoreUnsafe(ref target);
        (Vector512.LoadUnsafe(ref target, 16) + v1).StoreUnsafe(ref target, 16);
    }

    private static void AddTo(ref float target, Vector256<float> v0, Vector256<float> v1)
    {
        (Vector256.LoadUnsafe(ref target) + v0).StoreUnsafe(ref target);
        (Vector256.LoadUnsafe(ref target, 8) + v1).StoreUnsafe(ref target, 8);
    }
}
