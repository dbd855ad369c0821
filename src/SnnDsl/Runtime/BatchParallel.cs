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
}
