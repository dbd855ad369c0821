namespace SnnDsl.Tests.Reliability;

/// <summary>
/// BatchParallel's loops and the worker team under them: every index runs once, each thread that takes part makes and
/// returns one scratch, a body's exception comes back as it was thrown, and loops started while the team is busy (from
/// a body, or from another thread) still run.
/// </summary>
public class BatchParallelTests
{
    private sealed class Scratch
    {
        public readonly int Owner = Environment.CurrentManagedThreadId;
        public int Uses;
    }

    private delegate void Loop(int count, Func<Scratch> create, Action<int, Scratch> body, Action<Scratch> release);

    /// <summary>
    /// Runs one loop and checks it: each index once, on the thread that made the scratch it got, and the scratches made
    /// and released in pairs. Returns the scratches.
    /// </summary>
    private static List<Scratch> RunAndCheck(int count, Loop loop, int spinsPerIndex = 0)
    {
        var runs = new int[count];
        var made = new List<Scratch>();
        var released = new List<Scratch>();
        loop(count,
            () => { var s = new Scratch(); lock (made) made.Add(s); return s; },
            (i, s) =>
            {
                Assert.Equal(Environment.CurrentManagedThreadId, s.Owner);
                Thread.SpinWait(spinsPerIndex);
                s.Uses++;
                Interlocked.Increment(ref runs[i]);
            },
            s => { lock (released) released.Add(s); });
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.Equal(made.ToHashSet(), released.ToHashSet());
        Assert.Equal(made.Count, released.Count);
        Assert.Equal(count, made.Sum(s => s.Uses));
        return made;
    }

    [Fact]
    public void On_a_team_every_index_runs_once_with_one_used_scratch_per_thread()
    {
        var team = new WorkerTeam(workers: 2);
        Assert.Equal(3, team.Threads);
        // Many short loops in a row: the workers are requested while spinning, while asleep and while finishing the last one.
        for (int round = 0; round < 400; round++)
        {
            int count = 1 + round % 37, threads = 1 + round % 4;
            List<Scratch> made = RunAndCheck(count, (n, create, body, release) => Assert.True(team.TryRun(n, threads, create, body, release)));
            Assert.All(made, s => Assert.True(s.Uses > 0, "a scratch was made for a thread that ran nothing"));
            Assert.True(made.Count <= Math.Min(Math.Min(threads, team.Threads), count), $"{made.Count} scratches for {count} indices on at most {threads} threads");
            if (round % 50 == 0) Thread.Sleep(3); // long enough for the workers to fall asleep
        }
    }

    [Fact]
    public void Two_teams_run_loops_of_one_scratch_type_at_once()
    {
        WorkerTeam[] teams = [new WorkerTeam(workers: 1), new WorkerTeam(workers: 1)];
        var faults = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var start = new Barrier(teams.Length);
        Thread[] callers = teams.Select(team => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                // Long enough bodies that the two teams' loops overlap.
                for (int round = 0; round < 300; round++)
                    RunAndCheck(1 + round % 19, (n, create, body, release) => Assert.True(team.TryRun(n, 2, create, body, release)), spinsPerIndex: 200);
            }
            catch (Exception e)
            {
                faults.Enqueue(e);
            }
        })).ToArray();
        foreach (Thread caller in callers) caller.Start();
        foreach (Thread caller in callers) caller.Join();
        Assert.Empty(faults);
    }

    [Fact]
    public void A_busy_team_turns_a_loop_away()
    {
        var team = new WorkerTeam(workers: 1);
        int accepted = 0;
        Assert.True(team.TryRun(4, 2, () => 0, (_, _) => { if (team.TryRun(1, 2, () => 0, (_, _) => { }, null)) Interlocked.Increment(ref accepted); }, null));
        Assert.Equal(0, accepted);
        Assert.True(team.TryRun(1, 2, () => 0, (_, _) => { }, null));
    }

    [Fact]
    public void A_body_exception_is_rethrown_as_thrown_and_the_next_loop_runs()
    {
        var team = new WorkerTeam(workers: 1);
        var error = Assert.Throws<InvalidOperationException>(() =>
            team.TryRun(64, 2, () => 0, (i, _) => { if (i == 17) throw new InvalidOperationException("sample 17 failed"); }, null));
        Assert.Equal("sample 17 failed", error.Message);
        RunAndCheck(64, (n, create, body, release) => Assert.True(team.TryRun(n, 2, create, body, release)));

        // The same through BatchParallel, whether the shared team or the thread pool runs it.
        error = Assert.Throws<InvalidOperationException>(() =>
            BatchParallel.For(64, 0, () => 0, (i, _) => { if (i == 17) throw new InvalidOperationException("sample 17 failed"); }));
        Assert.Equal("sample 17 failed", error.Message);
    }

    [Fact]
    public void One_thread_runs_the_loop_on_the_caller()
    {
        int caller = Environment.CurrentManagedThreadId, others = 0;
        BatchParallel.For(16, 1, () => 0, (_, _) => { if (Environment.CurrentManagedThreadId != caller) Interlocked.Increment(ref others); });
        Assert.Equal(0, others);
    }

    [Fact]
    public void A_loop_inside_a_body_runs_to_completion()
    {
        var runs = new int[8, 8];
        BatchParallel.For(8, 0, () => 0, (i, _) =>
            BatchParallel.For(8, 0, () => 0, (j, _) => Interlocked.Increment(ref runs[i, j])));
        Assert.All(runs.Cast<int>(), r => Assert.Equal(1, r));
    }

    [Fact]
    public void Loops_from_several_threads_at_once_each_run_completely()
    {
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (int round = 0; round < 200; round++)
                RunAndCheck(1 + round % 23, (n, create, body, release) => BatchParallel.For(n, 0, create, body, release));
        });
    }

    [Theory]
    [InlineData(64, 0L, 8)]
    [InlineData(5, 0L, 5)]
    [InlineData(64, BatchParallel.OneChunkWeights, 8)]
    [InlineData(64, BatchParallel.OneChunkWeights + 1, 1)]
    [InlineData(1, 4096L * 4096, 1)]
    public void A_batch_is_one_chunk_when_a_weight_matrix_outgrows_the_cache(int batch, long largestWeights, int chunks)
    {
        Assert.Equal(chunks, BatchParallel.ChunkCount(batch, largestWeights));
        Assert.Equal((batch + chunks - 1) / chunks, BatchParallel.ChunkCapacity(batch, largestWeights));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void One_accumulator_runs_the_whole_batch_as_one_chunk_whose_kernels_may_share_its_work(int degree)
    {
        var calls = new List<(int First, int Count, int Threads, int[] Accumulator)>();
        int[][] accumulators = [new int[1]];
        BatchParallel.ForChunks(64, degree, () => 0, accumulators, (first, count, _, accumulator) =>
        {
            lock (calls) calls.Add((first, count, BatchParallel.ThreadsWithinOneSample, accumulator));
        });
        (int first, int count, int threads, int[] into) = Assert.Single(calls);
        Assert.Equal((0, 64), (first, count));
        Assert.Same(accumulators[0], into);
        Assert.Equal(degree == 0 ? int.MaxValue : degree, threads);
    }

    [Fact]
    public void Chunks_run_one_per_accumulator_and_other_counts_are_refused()
    {
        var runs = new int[64];
        int[][] accumulators = [.. Enumerable.Range(0, BatchParallel.ChunkCount(64)).Select(_ => new int[1])];
        BatchParallel.ForChunks(64, 0, () => 0, accumulators, (first, count, _, accumulator) =>
        {
            Assert.Equal(1, BatchParallel.ThreadsWithinOneSample);
            for (int b = first; b < first + count; b++) Interlocked.Increment(ref runs[b]);
            Interlocked.Increment(ref accumulator[0]);
        });
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.All(accumulators, a => Assert.Equal(1, a[0]));

        var error = Assert.Throws<ArgumentException>(() => BatchParallel.ForChunks(64, 0, () => 0, new int[3][], (_, _, _, _) => { }));
        Assert.Equal("accumulators", error.ParamName);
        Assert.Contains("3 accumulators for 8 chunks", error.Message);
    }
}
