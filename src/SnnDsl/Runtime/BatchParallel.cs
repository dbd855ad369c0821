namespace SnnDsl;

/// <summary>Runs one independent job per sample of a batch on the thread pool, with per-worker scratch memory.</summary>
public static class BatchParallel
{
    /// <summary>
    /// Calls <paramref name="body"/> for every sample. Each worker allocates its scratch once, so the time loop
    /// inside <paramref name="body"/> allocates nothing.
    /// </summary>
    public static void For<TScratch>(int batch, int maxDegreeOfParallelism, Func<TScratch> createScratch, Action<int, TScratch> body)
    {
        if (batch == 1 || maxDegreeOfParallelism == 1)
        {
            TScratch scratch = createScratch();
            for (int b = 0; b < batch; b++) body(b, scratch);
            return;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : -1 };
        Parallel.For(0, batch, options, createScratch, (b, _, scratch) => { body(b, scratch); return scratch; }, _ => { });
    }

    /// <summary>Samples per gradient chunk: fixed, so the reduction order does not depend on the thread count.</summary>
    public const int ChunkSize = 4;

    /// <summary>
    /// Calls <paramref name="body"/> for every sample with an accumulator per chunk of <see cref="ChunkSize"/>
    /// consecutive samples, then hands the accumulators to <paramref name="reduce"/> in chunk order. Chunks run in
    /// parallel; the float sums are the same whatever the number of threads.
    /// </summary>
    public static void ForChunks<TScratch, TAccumulator>(
        int batch, int maxDegreeOfParallelism, Func<TScratch> createScratch, Func<TAccumulator> createAccumulator,
        Action<int, TScratch, TAccumulator> body, Action<TAccumulator> reduce)
    {
        int chunks = (batch + ChunkSize - 1) / ChunkSize;
        var accumulators = new TAccumulator[chunks];
        For(chunks, maxDegreeOfParallelism, createScratch, (c, scratch) =>
        {
            TAccumulator accumulator = createAccumulator();
            for (int b = c * ChunkSize; b < Math.Min(batch, (c + 1) * ChunkSize); b++) body(b, scratch, accumulator);
            accumulators[c] = accumulator;
        });
        foreach (TAccumulator accumulator in accumulators) reduce(accumulator);
    }
}
