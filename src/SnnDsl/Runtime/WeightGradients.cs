namespace SnnDsl;

// The weight gradient of BPTT for a dense connection, ∂L/∂W = Σ_t S_pre[t − d]ᵀ ∂L/∂x[t], over a whole chunk at once.
public static partial class SpikeOps
{
    /// <summary>
    /// The weight gradient of a dense connection over a chunk of samples and all their steps, set whole:
    /// ∂L/∂W[j, :] = Σ_{s, t : S_pre[s, t − d, j] = 1} ∂L/∂x[t, s, :] (the outer products S_preᵀ ∂L/∂x, only where
    /// S_pre = 1), from the chunk's presynaptic spikes grouped by neuron (<see cref="SpikeEvents.Group"/>), so that each
    /// row's sum over its spikes starts from zero in registers and is written once, instead of a read-modify-write of
    /// the row per spike; the rows of neurons that never fired are cleared, so the gradient need not be cleared first.
    /// A spike of step t reads ∂L/∂x of step t + d; those of the last d steps drive nothing. Each row sums its spikes in
    /// the order of (t, s); within a loop of one sample (a batch of one) the threads the loop allows share the rows,
    /// each row formed by one of them, so the bits do not change.
    /// </summary>
    /// <param name="weightGradient">∂L/∂W, [pre, post], overwritten.</param>
    /// <param name="presynaptic">The chunk's presynaptic spikes, grouped by neuron.</param>
    /// <param name="delay">The connection's delay d: the spikes of step t − d drive step t.</param>
    /// <param name="inputAdjoints">∂L/∂x of every step, [steps, capacity, post]: sample s of step t at (t·capacity + s)·post.</param>
    public static void SumOuterOverTime(Span<float> weightGradient, SpikeEvents presynaptic, int delay, ReadOnlySpan<float> inputAdjoints)
    {
        ArgumentNullException.ThrowIfNull(presynaptic);
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        int steps = presynaptic.Steps, capacity = presynaptic.Capacity, pre = presynaptic.Neurons, post = pre == 0 ? 0 : weightGradient.Length / pre;
        if (weightGradient.Length != pre * post || inputAdjoints.Length < (long)steps * capacity * post)
            throw new ArgumentException($"∂L/∂W has {weightGradient.Length} values for {pre} presynaptic neurons, and ∂L/∂x {inputAdjoints.Length} for {steps} steps × {capacity} samples × {post}.", nameof(inputAdjoints));
        if (presynaptic.Count == 0 || delay >= steps)
        {
            weightGradient.Clear();
            return;
        }

        // Spike (t, s) is row t·capacity + s of the events and reads row (t + d)·capacity + s of ∂L/∂x; rows from
        // (T − d)·capacity on are the last d steps'.
        ReadOnlySpan<float> shifted = inputAdjoints[(delay * capacity * post)..];
        int end = (steps - delay) * capacity;
        // Rows of ∂L/∂W are independent: a chunk that has the team's threads to itself (a batch of one sample) shares
        // them out by blocks; each row's sum is the same whichever thread forms it.
        int threads = BatchParallel.ThreadsWithinOneSample, blocks = (pre + SharedRowBlock - 1) / SharedRowBlock;
        if (threads < 2 || blocks < 2 || (long)presynaptic.Count * post < SharedRowWork || !RowShare.TryRun(weightGradient, shifted, presynaptic, end, post, blocks, threads))
            SumRows(weightGradient, shifted, presynaptic, end, post, 0, pre);
    }

    /// <summary>Presynaptic neurons per index of <see cref="RowShare"/>.</summary>
    private const int SharedRowBlock = 16;

    /// <summary>
    /// Adds (spike events × postsynaptic neurons) of a call from which it shares its rows out: on a 2-core Zen 3 the
    /// training step of a batch of one ran 1.06–1.15× faster at H = 256 and 1,024 with its rows shared (docs/benchmarks.md).
    /// </summary>
    private const long SharedRowWork = 1 << 16;

    /// <summary>Rows [from, to) of ∂L/∂W: each the sum of the ∂L/∂x rows of its neuron's spikes whose rows lie before <paramref name="end"/>, or zero.</summary>
    private static void SumRows(Span<float> weightGradient, ReadOnlySpan<float> inputAdjoints, SpikeEvents events, int end, int post, int from, int to)
    {
        for (int j = from; j < to; j++)
        {
            Span<float> row = weightGradient.Slice(j * post, post);
            ReadOnlySpan<int> rows = events.Rows(j, end);
            if (!rows.IsEmpty) AddRows(inputAdjoints, rows, row, fromZero: true);
            else row.Clear();
        }
    }

    /// <summary>The rows of ∂L/∂W of one call shared by blocks of <see cref="SharedRowBlock"/> among the threads of a loop of one sample.</summary>
    private sealed unsafe class RowShare : BatchParallel.SharedIndices
    {
        [ThreadStatic] private static RowShare? t_share;

        private float* _weightGradient, _inputAdjoints;
        private int _gradientLength, _adjointsLength, _post, _end;
        private SpikeEvents? _events;

        public static bool TryRun(Span<float> weightGradient, ReadOnlySpan<float> inputAdjoints, SpikeEvents events, int end, int post, int blocks, int threads)
        {
            RowShare share = t_share ??= new RowShare();
            fixed (float* gradient = weightGradient, adjoints = inputAdjoints)
            {
                share._weightGradient = gradient;
                share._inputAdjoints = adjoints;
                (share._gradientLength, share._adjointsLength, share._post, share._events, share._end) = (weightGradient.Length, inputAdjoints.Length, post, events, end);
                try
                {
                    return share.TryRunAll(blocks, threads);
                }
                finally
                {
                    share._weightGradient = share._inputAdjoints = null;
                    share._events = null;
                }
            }
        }

        protected override void Run(int block)
        {
            int pre = _gradientLength / _post;
            SumRows(new Span<float>(_weightGradient, _gradientLength), new ReadOnlySpan<float>(_inputAdjoints, _adjointsLength), _events!, _end, _post,
                block * SharedRowBlock, Math.Min(pre, (block + 1) * SharedRowBlock));
        }
    }
}

/// <summary>
/// The spikes of a chunk of samples grouped by presynaptic neuron (a counting sort), each as the row t·capacity + s of
/// its step t and sample s, in the order of (t, s): what <see cref="SpikeOps.SumOuterOverTime"/> sums ∂L/∂x rows over.
/// Grouped once per population, they serve every dense connection out of it, whatever its delay. The buffers grow to
/// the largest chunk grouped and are reused after it, so grouping allocates nothing once warm.
/// </summary>
public sealed class SpikeEvents
{
    private int[] _start = [], _byNeuron = [], _neurons = [], _rows = [], _next = [];

    /// <summary>Presynaptic neurons of the raster last grouped.</summary>
    public int Neurons { get; private set; }

    /// <summary>Steps of the raster last grouped.</summary>
    public int Steps { get; private set; }

    /// <summary>Samples per step in the rows t·capacity + s.</summary>
    public int Capacity { get; private set; }

    /// <summary>Spikes grouped.</summary>
    public int Count { get; private set; }

    /// <summary>Groups the spikes of samples [first, first + count) of <paramref name="spikes"/>, every step.</summary>
    public void Group(SpikeRaster spikes, int first, int count, int capacity)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        if (first < 0 || count < 0 || first + count > spikes.Batch)
            throw new ArgumentOutOfRangeException(nameof(count), $"Samples [{first}, {first + count}) of a raster of {spikes.Batch}.");
        if (count > capacity)
            throw new ArgumentOutOfRangeException(nameof(capacity), $"{count} samples in a chunk of capacity {capacity}.");
        int steps = spikes.Steps, pre = spikes.Neurons, perRow = spikes.WordsPerRow * 64 + 4;   // SpikeOps.ActiveNeurons writes up to 64 per word plus 4
        (Neurons, Steps, Capacity) = (pre, steps, capacity);
        Grow(ref _start, pre + 1);
        int[] start = _start;
        Array.Clear(start, 0, pre + 1);

        // The spikes in order of (t, s), each with its row, and the count of each neuron's (one place up: its successor's start).
        int written = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int s = 0; s < count; s++)
            {
                Grow(ref _neurons, written + perRow);
                int fired = SpikeOps.ActiveNeurons(spikes.Row(first + s, t), _neurons.AsSpan(written));
                Grow(ref _rows, written + fired);
                _rows.AsSpan(written, fired).Fill(t * capacity + s);
                foreach (int j in _neurons.AsSpan(written, fired)) start[j + 1]++;
                written += fired;
            }
        }
        Count = written;

        // Each neuron's start, then its spikes, still in order of (t, s).
        for (int j = 0; j < pre; j++) start[j + 1] += start[j];
        Grow(ref _byNeuron, written);
        Grow(ref _next, pre);
        int[] byNeuron = _byNeuron, next = _next, neurons = _neurons, rows = _rows;
        start.AsSpan(0, pre).CopyTo(next);
        for (int e = 0; e < written; e++) byNeuron[next[neurons[e]]++] = rows[e];
    }

    /// <summary>The rows of neuron <paramref name="neuron"/>'s spikes, those before <paramref name="end"/>.</summary>
    internal ReadOnlySpan<int> Rows(int neuron, int end)
    {
        int from = _start[neuron], to = _start[neuron + 1];
        while (to > from && _byNeuron[to - 1] >= end) to--;
        return _byNeuron.AsSpan(from, to - from);
    }

    /// <summary>Grows <paramref name="buffer"/> to at least <paramref name="length"/>, keeping its values.</summary>
    private static void Grow(ref int[] buffer, int length)
    {
        if (buffer.Length < length) Array.Resize(ref buffer, Math.Max(length, 2 * buffer.Length));
    }
}
