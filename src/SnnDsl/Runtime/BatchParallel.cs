using System.Runtime.ExceptionServices;

namespace SnnDsl;

/// <summary>
/// Runs one independent job per sample of a batch on the <see cref="WorkerTeam"/> (or, when that is busy, the thread
/// pool), with per-worker scratch memory.
/// </summary>
public static class BatchParallel
{
    /// <summary>
    /// Calls <paramref name="body"/> for every sample. Each worker allocates its scratch once, so the time loop
    /// inside <paramref name="body"/> allocates nothing. When a worker is done, its scratch goes to
    /// <paramref name="releaseScratch"/> (if given), which may pool it for the next call. An exception thrown by one
    /// body is rethrown as it was; several, in an <see cref="AggregateException"/>.
    /// </summary>
    public static void For<TScratch>(int batch, int maxDegreeOfParallelism, Func<TScratch> createScratch, Action<int, TScratch> body, Action<TScratch>? releaseScratch = null)
    {
        if (batch == 1 || maxDegreeOfParallelism == 1)
        {
            int outer = t_threadsWithinOneSample;
            t_threadsWithinOneSample = batch == 1 && maxDegreeOfParallelism != 1 ? (maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : int.MaxValue) : 1;
            try
            {
                TScratch scratch = createScratch();
                for (int b = 0; b < batch; b++) body(b, scratch);
                releaseScratch?.Invoke(scratch);
            }
            finally
            {
                t_threadsWithinOneSample = outer;
            }
            return;
        }
        int threads = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : int.MaxValue;
        if (!WorkerTeam.Shared.TryRun(batch, threads, createScratch, body, releaseScratch))
            OnThreadPool(batch, maxDegreeOfParallelism, createScratch, body, releaseScratch);
    }

    [ThreadStatic] private static int t_threadsWithinOneSample;

    /// <summary>
    /// The threads a kernel may share its work out to, on the thread of a loop of one index that <see cref="For{TScratch}"/>
    /// runs in place (a batch of one sample, one gradient chunk): the loop's degree of parallelism, int.MaxValue for
    /// no limit; 1 inside any other loop body and outside loops. The team is idle during such a loop.
    /// </summary>
    internal static int ThreadsWithinOneSample => Math.Max(t_threadsWithinOneSample, 1);

    /// <summary>
    /// Work of one kernel call split into indices that the threads of <see cref="ThreadsWithinOneSample"/> share: a
    /// derived class holds the call's arguments (spans pinned by the caller for the call, as pointers) and runs one
    /// index. Indices go to whichever thread asks next; each must write only its own part of the result.
    /// </summary>
    internal abstract class SharedIndices
    {
        private readonly Func<SharedIndices> _self;
        private readonly Action<int, SharedIndices> _run;

        protected SharedIndices() => (_self, _run) = (() => this, static (i, work) => work.Run(i));

        /// <summary>Index <paramref name="index"/> of the work.</summary>
        protected abstract void Run(int index);

        /// <summary>Runs indices [0, <paramref name="count"/>) on up to <paramref name="threads"/> threads; false (nothing run) when the team is busy.</summary>
        protected bool TryRunAll(int count, int threads) =>
            WorkerTeam.Shared.TryRun(count, threads, _self, _run, releaseScratch: null);
    }

    // For a loop started while the team runs another (from another thread, or from inside a body). Apart from For, so
    // that For does not allocate the closure of these lambdas (C# creates it where the captured parameters come into
    // scope: at the start of the method).
    private static void OnThreadPool<TScratch>(int batch, int maxDegreeOfParallelism, Func<TScratch> createScratch, Action<int, TScratch> body, Action<TScratch>? releaseScratch)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : -1 };
        try
        {
            Parallel.For(0, batch, options, createScratch, (b, _, scratch) => { body(b, scratch); return scratch; }, scratch => releaseScratch?.Invoke(scratch));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>
    /// Calls <paramref name="body"/>(sample, chunk, scratch) for every sample. Without an observer this is
    /// <see cref="For{TScratch}"/> (chunk −1); with one, each worker runs one of the <see cref="ChunkCount"/> runs of
    /// consecutive samples in order, between the observer's <see cref="IStepObserver.BeginSample"/> and
    /// <see cref="IStepObserver.EndSample"/>. A worker's scratch goes to <paramref name="releaseScratch"/> as in <see cref="For{TScratch}"/>.
    /// </summary>
    public static void ForSamples<TScratch>(int batch, int maxDegreeOfParallelism, IStepObserver? observer, Func<TScratch> createScratch, Action<int, int, TScratch> body, Action<TScratch>? releaseScratch = null)
    {
        SampleRuns<TScratch> runs = SampleRuns<TScratch>.Take(batch, observer, body);
        try
        {
            if (observer is null) For(batch, maxDegreeOfParallelism, createScratch, runs.EachSample, releaseScratch);
            else For(runs.Chunks, maxDegreeOfParallelism, createScratch, runs.EachRun, releaseScratch);
        }
        finally
        {
            runs.Return();
        }
    }

    /// <summary>
    /// Number of gradient chunks for a batch: at most 8 consecutive runs of samples, or one when the network's largest
    /// weight matrix holds more than <see cref="OneChunkWeights"/> weights. It depends on the batch size and the
    /// network only, so the order of the float sums, and hence the gradients, do not depend on the number of threads.
    /// </summary>
    /// <param name="batch">Samples in the batch.</param>
    /// <param name="largestWeights">Weights of the network's largest weight matrix (0 when it has none, or none that large).</param>
    public static int ChunkCount(int batch, long largestWeights = 0) => largestWeights > OneChunkWeights ? 1 : Math.Min(batch, 8);

    /// <summary>
    /// Weights (2²³, 32 MiB of floats, a last-level cache) above which a backward pass runs its batch as one chunk. Every
    /// chunk walks back through the steps on its own, reading each weight matrix once per step for its samples: a
    /// matrix larger than the cache then streams from memory once per step and chunk. As one chunk the whole batch
    /// shares each read, and the threads share the chunk's Wᵀδ panels and weight-gradient rows instead of the chunks
    /// (<see cref="ThreadsWithinOneSample"/>); its accumulator is the result itself, where eight would each hold a copy
    /// of every weight. On a 2-core Zen 3 (32 MiB L3) the training step of H = 4096, T = 100 took 2.5× (B = 16) and 1.5×
    /// (B = 64) less time as one chunk, and the backward pass of H = 1024 (4 MiB), B = 64 1.27× more (docs/benchmarks.md).
    /// </summary>
    public const long OneChunkWeights = 1L << 23;

    /// <summary>The most samples a chunk of a batch of <paramref name="batch"/> holds (<see cref="ChunkCount"/>).</summary>
    public static int ChunkCapacity(int batch, long largestWeights = 0) => (batch + ChunkCount(batch, largestWeights) - 1) / ChunkCount(batch, largestWeights);

    /// <summary>
    /// Calls <paramref name="body"/>(first sample, sample count, scratch, accumulator) for each run of consecutive
    /// samples, one per accumulator: <see cref="ChunkCount"/>(batch) of them, or one for a batch run as one chunk (a
    /// network with a weight matrix above <see cref="OneChunkWeights"/>). Chunks run in parallel, each on one worker; the caller
    /// reduces <paramref name="accumulators"/> in order afterwards. Each worker's scratch goes to
    /// <paramref name="releaseScratch"/> (if given) when the worker is done.
    /// </summary>
    public static void ForChunks<TScratch, TAccumulator>(
        int batch, int maxDegreeOfParallelism, Func<TScratch> createScratch, TAccumulator[] accumulators,
        Action<int, int, TScratch, TAccumulator> body, Action<TScratch>? releaseScratch = null)
    {
        int chunks = ChunkCount(batch);
        if (accumulators.Length != chunks && accumulators.Length != 1)
            throw new ArgumentException($"{accumulators.Length} accumulators for {chunks} chunks (or one, a batch run as one chunk).", nameof(accumulators));
        ChunkRuns<TScratch, TAccumulator> runs = ChunkRuns<TScratch, TAccumulator>.Take(batch, accumulators, body);
        try
        {
            For(accumulators.Length, maxDegreeOfParallelism, createScratch, runs.EachChunk, releaseScratch);
        }
        finally
        {
            runs.Return();
        }
    }

    /// <summary>First sample of chunk c of a batch: chunk c holds samples [c·batch/chunks, (c+1)·batch/chunks).</summary>
    private static int ChunkStart(int c, int batch, int chunks) => (int)((long)c * batch / chunks);

    // The loop bodies of ForSamples and ForChunks wrap the caller's. Each wrapper binds its delegates once and waits,
    // between loops, as its type's spare, so that a loop allocates nothing; a loop that finds no spare (nested, or on
    // another thread at the same time) makes one.

    /// <summary>ForSamples' bodies: one sample (without an observer), or one run of consecutive samples (with one).</summary>
    private sealed class SampleRuns<TScratch>
    {
        private static SampleRuns<TScratch>? s_spare;
        private Action<int, int, TScratch> _body = null!;
        private IStepObserver? _observer;
        private int _batch;

        private SampleRuns() => (EachSample, EachRun) = (Sample, Run);

        public Action<int, TScratch> EachSample { get; }

        public Action<int, TScratch> EachRun { get; }

        public int Chunks => ChunkCount(_batch);

        public static SampleRuns<TScratch> Take(int batch, IStepObserver? observer, Action<int, int, TScratch> body)
        {
            SampleRuns<TScratch> runs = Interlocked.Exchange(ref s_spare, null) ?? new SampleRuns<TScratch>();
            (runs._batch, runs._observer, runs._body) = (batch, observer, body);
            return runs;
        }

        /// <summary>Lets go of the caller's body and observer and waits as the spare.</summary>
        public void Return()
        {
            (_body, _observer) = (null!, null);
            Volatile.Write(ref s_spare, this);
        }

        private void Sample(int b, TScratch scratch) => _body(b, -1, scratch);

        private void Run(int c, TScratch scratch)
        {
            for (int b = ChunkStart(c, _batch, Chunks), end = ChunkStart(c + 1, _batch, Chunks); b < end; b++)
            {
                _observer!.BeginSample(c, b);
                _body(b, c, scratch);
                _observer.EndSample(c, b);
            }
        }
    }

    /// <summary>ForChunks' body: one chunk of consecutive samples with its accumulator.</summary>
    private sealed class ChunkRuns<TScratch, TAccumulator>
    {
        private static ChunkRuns<TScratch, TAccumulator>? s_spare;
        private Action<int, int, TScratch, TAccumulator> _body = null!;
        private TAccumulator[] _accumulators = null!;
        private int _batch;

        private ChunkRuns() => EachChunk = Chunk;

        public Action<int, TScratch> EachChunk { get; }

        public static ChunkRuns<TScratch, TAccumulator> Take(int batch, TAccumulator[] accumulators, Action<int, int, TScratch, TAccumulator> body)
        {
            ChunkRuns<TScratch, TAccumulator> runs = Interlocked.Exchange(ref s_spare, null) ?? new ChunkRuns<TScratch, TAccumulator>();
            (runs._batch, runs._accumulators, runs._body) = (batch, accumulators, body);
            return runs;
        }

        /// <summary>Lets go of the caller's body and accumulators and waits as the spare.</summary>
        public void Return()
        {
            (_body, _accumulators) = (null!, null!);
            Volatile.Write(ref s_spare, this);
        }

        private void Chunk(int c, TScratch scratch)
        {
            int chunks = _accumulators.Length, first = ChunkStart(c, _batch, chunks);
            _body(first, ChunkStart(c + 1, _batch, chunks) - first, scratch, _accumulators[c]);
        }
    }
}
