using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace SnnDsl;

/// <summary>
/// The threads that run <see cref="BatchParallel"/>'s loops: one per core besides the calling thread, started on first
/// use and kept. A training step is a few parallel loops (forward pass, backward pass, gradient sum) a fraction of a
/// millisecond apart, so between loops a worker spins for <see cref="SpinTime"/> before it sleeps: the next loop starts
/// on every core at once, where the thread pool's workers wake up to a millisecond late. The caller takes part in every
/// loop, and the samples (or chunks, or blocks) go to whichever thread asks next.
/// </summary>
/// <remarks>
/// One loop runs on the team at a time. A loop that finds the team busy (another thread's loop, or a loop started from
/// inside a loop's body) runs on the thread pool instead: <see cref="TryRun{TScratch}"/> returns false.
/// </remarks>
internal sealed class WorkerTeam
{
    /// <summary>How long an idle worker spins, waiting for the next loop, before it sleeps.</summary>
    public static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(1);

    private static readonly Lazy<WorkerTeam> s_shared = new(() => new WorkerTeam(Environment.ProcessorCount - 1));

    /// <summary>The process's team: <see cref="Environment.ProcessorCount"/> − 1 workers.</summary>
    public static WorkerTeam Shared => s_shared.Value;

    private readonly Worker[] _workers;
    private readonly Dictionary<Type, TeamLoop> _loops = [];
    private int _inUse;

    internal WorkerTeam(int workers) =>
        _workers = Enumerable.Range(0, workers).Select(k => new Worker(k)).ToArray();

    /// <summary>
    /// Runs body(i, scratch) for i in [0, <paramref name="count"/>) on at most <paramref name="threads"/> threads, the
    /// caller's included, or returns false at once if the team is busy. Each thread that takes part makes its scratch
    /// with <paramref name="createScratch"/> before its first index and hands it to <paramref name="releaseScratch"/> after
    /// its last. The first exception a body throws stops the loop and is rethrown here as it was thrown; several are
    /// rethrown together in an <see cref="AggregateException"/>.
    /// </summary>
    public bool TryRun<TScratch>(int count, int threads, Func<TScratch> createScratch, Action<int, TScratch> body, Action<TScratch>? releaseScratch)
    {
        if (Interlocked.CompareExchange(ref _inUse, 1, 0) != 0) return false;
        try
        {
            // The team's one loop of this scratch type: only the thread that holds the team uses it, and the workers
            // are done with it when Finish returns.
            if (!_loops.TryGetValue(typeof(TScratch), out TeamLoop? made)) _loops.Add(typeof(TScratch), made = new Loop<TScratch>());
            var loop = (Loop<TScratch>)made;
            loop.Start(count, createScratch, body, releaseScratch);
            int helpers = Math.Min(Math.Min(threads, count) - 1, _workers.Length);
            for (int k = 0; k < helpers; k++) _workers[k].Request(loop);
            loop.RunShare();
            for (int k = 0; k < helpers; k++) _workers[k].Finish();
            loop.End();
            return true;
        }
        finally
        {
            Volatile.Write(ref _inUse, 0);
        }
    }

    /// <summary>The number of threads a loop can run on: the workers and the caller.</summary>
    public int Threads => _workers.Length + 1;

    /// <summary>A loop as the threads see it: each calls <see cref="RunShare"/>, which takes indices until none are left.</summary>
    private abstract class TeamLoop
    {
        public abstract void RunShare();
    }

    private sealed class Loop<TScratch> : TeamLoop
    {
        private int _count, _next;
        private Func<TScratch> _createScratch = null!;
        private Action<int, TScratch> _body = null!;
        private Action<TScratch>? _releaseScratch;
        private readonly List<Exception> _faults = [];

        /// <summary>Sets up a run (End left no faults behind from the last one).</summary>
        public void Start(int count, Func<TScratch> createScratch, Action<int, TScratch> body, Action<TScratch>? releaseScratch) =>
            (_count, _next, _createScratch, _body, _releaseScratch) = (count, 0, createScratch, body, releaseScratch);

        public override void RunShare()
        {
            int i = Interlocked.Increment(ref _next) - 1;
            if (i >= _count) return;
            try
            {
                TScratch scratch = _createScratch();
                for (; i < _count; i = Interlocked.Increment(ref _next) - 1) _body(i, scratch);
                _releaseScratch?.Invoke(scratch);
            }
            catch (Exception e)
            {
                // No thread takes another index once one has failed.
                Volatile.Write(ref _next, _count);
                lock (_faults) _faults.Add(e);
            }
        }

        /// <summary>Lets go of the loop's delegates (and what they hold) and rethrows what the bodies threw.</summary>
        public void End()
        {
            (_createScratch, _body, _releaseScratch) = (null!, null!, null);
            if (_faults.Count == 0) return;
            Exception[] faults = [.. _faults];
            _faults.Clear();
            if (faults.Length == 1) ExceptionDispatchInfo.Capture(faults[0]).Throw();
            throw new AggregateException(faults);
        }
    }

    /// <summary>
    /// One worker thread and its handshake with the caller: Idle → Requested (caller) → Running (worker) → Idle
    /// (worker), or Requested → Idle when the caller withdraws a request the worker has not taken up.
    /// </summary>
    private sealed class Worker
    {
        private const int Idle = 0, Requested = 1, Running = 2;
        private static readonly long SpinTicks = (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);

        private int _state, _sleeping;
        private TeamLoop? _loop;
        private readonly object _gate = new();

        public Worker(int index) =>
            new Thread(Serve) { IsBackground = true, Name = $"SnnDsl worker {index + 1}" }.Start();

        public void Request(TeamLoop loop)
        {
            _loop = loop;
            Interlocked.Exchange(ref _state, Requested);
            // The worker sets _sleeping before it looks at _state one last time, and both sides fence: one of them sees the other.
            if (Volatile.Read(ref _sleeping) != 0)
                lock (_gate) Monitor.Pulse(_gate);
        }

        /// <summary>Withdraws the request if the worker has not taken it up (the caller's share ran out the work), else waits for the worker's share.</summary>
        public void Finish()
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Requested) == Requested) return;
            var spin = new SpinWait();
            while (Volatile.Read(ref _state) == Running) spin.SpinOnce(sleep1Threshold: -1);
        }

        private void Serve()
        {
            while (true)
            {
                AwaitRequest();
                if (Interlocked.CompareExchange(ref _state, Running, Requested) != Requested) continue;
                _loop!.RunShare();
                Volatile.Write(ref _state, Idle);
            }
        }

        private void AwaitRequest()
        {
            long giveUp = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref _state) != Requested)
            {
                if (Stopwatch.GetTimestamp() > giveUp)
                {
                    Sleep();
                    return;
                }
                Thread.SpinWait(20);
            }
        }

        private void Sleep()
        {
            lock (_gate)
            {
                Interlocked.Exchange(ref _sleeping, 1);
                while (Volatile.Read(ref _state) != Requested) Monitor.Wait(_gate);
                Volatile.Write(ref _sleeping, 0);
            }
        }
    }
}
