using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SnnDsl;

// The weight gradient of BPTT for a dense connection, ∂L/∂W = Σ_t S_pre[t − d]ᵀ ∂L/∂x[t], over a whole chunk at once.
public static partial class SpikeOps
{
    /// <summary>
    /// The weight gradient of a dense connection over a chunk of samples and all their steps, set whole:
    /// ∂L/∂W[j, :] = Σ_{s, t : S_pre[s, t − d, j] = 1} ∂L/∂x[t, s, :] (the outer products S_preᵀ ∂L/∂x, only where
    /// S_pre = 1). The spikes are first grouped by presynaptic neuron (a counting sort), so that each row's sum over
    /// its spikes starts from zero in registers and is written once, instead of a read-modify-write of the row per
    /// spike; the rows of neurons that never fired are cleared, so the gradient need not be cleared first. Each row
    /// sums its spikes in the order of (t, s); within a loop of one sample (a batch of one) the threads the loop allows
    /// share the rows, each row formed by one of them, so the bits do not change.
    /// </summary>
    /// <param name="weightGradient">∂L/∂W, [pre, post], overwritten.</param>
    /// <param name="presynaptic">The presynaptic layer's spikes.</param>
    /// <param name="first">The chunk's first sample.</param>
    /// <param name="count">The chunk's samples.</param>
    /// <param name="delay">The connection's delay d: the spikes of step t − d drive step t.</param>
    /// <param name="inputAdjoints">∂L/∂x of every step, [steps, capacity, post]: sample s of step t at (t·capacity + s)·post.</param>
    /// <param name="capacity">Samples per step in <paramref name="inputAdjoints"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit] // the index buffers are written before they are read
    public static void SumOuterOverTime(Span<float> weightGradient, SpikeRaster presynaptic, int first, int count, int delay, ReadOnlySpan<float> inputAdjoints, int capacity)
    {
        int steps = presynaptic.Steps, pre = presynaptic.Neurons, post = weightGradient.Length / pre;
        if (weightGradient.Length != pre * post || inputAdjoints.Length < steps * capacity * post || count > capacity)
            throw new ArgumentException($"∂L/∂W has {weightGradient.Length} values for {pre} presynaptic neurons, and ∂L/∂x {inputAdjoints.Length} for {steps} steps × {capacity} samples × {post}.", nameof(inputAdjoints));
        int events = 0;
        for (int t = delay; t < steps; t++)
            for (int s = 0; s < count; s++)
                foreach (ulong word in presynaptic.Row(first + s, t - delay)) events += BitOperations.PopCount(word);
        if (events == 0)
        {
            weightGradient.Clear();
            return;
        }

        // Row start of each presynaptic neuron's spikes, then the spikes (rows of ∂L/∂x) in order of (t, s).
        int[] start = ArrayPool<int>.Shared.Rent(pre + 1), neurons = ArrayPool<int>.Shared.Rent(events + 4), rows = ArrayPool<int>.Shared.Rent(events);
        int[]? rentedActive = null;
        Span<int> active = presynaptic.WordsPerRow <= 64 ? stackalloc int[presynaptic.WordsPerRow * 64 + 4] : (rentedActive = ArrayPool<int>.Shared.Rent(presynaptic.WordsPerRow * 64 + 4));
        Array.Clear(start, 0, pre + 1);
        int written = 0;
        for (int t = delay; t < steps; t++)
        {
            for (int s = 0; s < count; s++)
            {
                int spikes = ActiveNeurons(presynaptic.Row(first + s, t - delay), active);
                for (int k = 0; k < spikes; k++)
                {
                    neurons[written + k] = active[k];
                    rows[written + k] = t * capacity + s;
                    start[active[k] + 1]++;
                }
                written += spikes;
            }
        }
        for (int j = 0; j < pre; j++) start[j + 1] += start[j];
        int[] byNeuron = ArrayPool<int>.Shared.Rent(events);
        int[] next = ArrayPool<int>.Shared.Rent(pre);
        start.AsSpan(0, pre).CopyTo(next);
        for (int e = 0; e < events; e++) byNeuron[next[neurons[e]]++] = rows[e];
        // Rows of ∂L/∂W are independent: a chunk that has the team's threads to itself (a batch of one sample) shares
        // them out by blocks; each row's sum is the same whichever thread forms it.
        int threads = BatchParallel.ThreadsWithinOneSample, blocks = (pre + SharedRowBlock - 1) / SharedRowBlock;
        if (threads < 2 || blocks < 2 || (long)events * post < SharedRowWork || !RowShare.TryRun(weightGradient, inputAdjoints, start, byNeuron, post, blocks, threads))
            SumRows(weightGradient, inputAdjoints, start, byNeuron, post, 0, pre);
        ArrayPool<int>.Shared.Return(start);
        ArrayPool<int>.Shared.Return(next);
        ArrayPool<int>.Shared.Return(neurons);
        ArrayPool<int>.Shared.Return(rows);
        ArrayPool<int>.Shared.Return(byNeuron);
        if (rentedActive is not null) ArrayPool<int>.Shared.Return(rentedActive);
    }

    /// <summary>Presynaptic neurons per index of <see cref="RowShare"/>.</summary>
    private const int SharedRowBlock = 16;

    /// <summary>
    /// Adds (spike events × postsynaptic neurons) of a call from which it shares its rows out: on a 2-core Zen 3 the
    /// training step of a batch of one ran 1.06–1.15× faster at H = 256 and 1,024 with its rows shared (docs/benchmarks.md).
    /// </summary>
    private const long SharedRowWork = 1 << 16;

    /// <summary>Rows [from, to) of ∂L/∂W: each the sum of the ∂L/∂x rows of its neuron's spikes, or zero.</summary>
    private static void SumRows(Span<float> weightGradient, ReadOnlySpan<float> inputAdjoints, int[] start, int[] byNeuron, int post, int from, int to)
    {
        for (int j = from; j < to; j++)
        {
            Span<float> row = weightGradient.Slice(j * post, post);
            if (start[j + 1] > start[j]) AddRows(inputAdjoints, byNeuron.AsSpan(start[j], start[j + 1] - start[j]), row, fromZero: true);
            else row.Clear();
        }
    }

    /// <summary>The rows of ∂L/∂W of one call shared by blocks of <see cref="SharedRowBlock"/> among the threads of a loop of one sample.</summary>
    private sealed unsafe class RowShare : BatchParallel.SharedIndices
    {
        [ThreadStatic] private static RowShare? t_share;

        private float* _weightGradient, _inputAdjoints;
        private int _gradientLength, _adjointsLength, _post;
        private int[] _start = [], _byNeuron = [];

        public static bool TryRun(Span<float> weightGradient, ReadOnlySpan<float> inputAdjoints, int[] start, int[] byNeuron, int post, int blocks, int threads)
        {
            RowShare share = t_share ??= new RowShare();
            fixed (float* gradient = weightGradient, adjoints = inputAdjoints)
            {
                share._weightGradient = gradient;
                share._inputAdjoints = adjoints;
                (share._gradientLength, share._adjointsLength, share._post, share._start, share._byNeuron) = (weightGradient.Length, inputAdjoints.Length, post, start, byNeuron);
                try
                {
                    return share.TryRunAll(blocks, threads);
                }
                finally
                {
                    share._weightGradient = share._inputAdjoints = null;
                    (share._start, share._byNeuron) = ([], []);
                }
            }
        }

        protected override void Run(int block)
        {
            int pre = _gradientLength / _post;
            SumRows(new Span<float>(_weightGradient, _gradientLength), new ReadOnlySpan<float>(_inputAdjoints, _adjointsLength), _start, _byNeuron, _post,
                block * SharedRowBlock, Math.Min(pre, (block + 1) * SharedRowBlock));
        }
    }
}
