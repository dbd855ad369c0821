using BenchmarkDotNet.Attributes;

namespace SnnDsl.Benchmarks;

/// <summary>How the backward pass treats neurons far from threshold.</summary>
public enum BackwardMode
{
    /// <summary>The exact surrogate gradient.</summary>
    Dense,

    /// <summary>Perez-Nieves &amp; Goodman 2021: adjoints cut where σ′ &lt; <see cref="TrainingStepBenchmarks.SparseEpsilon"/>.</summary>
    Sparse,
}

/// <summary>
/// What the benchmarks of the backward pass share: the SHD training data and a gradient buffer, the thread counts and
/// the two backward modes.
/// </summary>
public abstract class BackwardModeCases
{
    /// <summary>The PyTorch peer's data, network and loss gradient.</summary>
    protected ShdTrainingData Data { get; private set; } = null!;

    /// <summary>The buffer the backward pass writes, reused.</summary>
    protected NetworkGradients Gradients { get; private set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Params(BackwardMode.Dense, BackwardMode.Sparse)]
    public BackwardMode Backward { get; set; }

    /// <summary>The sparse backward's ε, or 0 for the dense one.</summary>
    protected float Epsilon => Backward == BackwardMode.Sparse ? TrainingStepBenchmarks.SparseEpsilon : 0f;

    [GlobalSetup]
    public void Setup()
    {
        Data = ShdTrainingData.FromEnvironment();
        Gradients = new NetworkGradients(Data.Network);
    }
}

/// <summary>
/// One training step (forward + BPTT, no optimizer) of the SHD-shaped network at batch 64 on the PyTorch peer's data
/// (run through <c>Program.cs training</c>, which sets <see cref="ShdTrainingData.DirectoryVariable"/>).
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks : BackwardModeCases
{
    /// <summary>
    /// Sparse-backward threshold on σ′ (FastSigmoid, slope 100: |U − ϑ| &lt; 0.13): the largest ε measured whose
    /// accuracy cost on Yin-Yang and Randman stays under one point (docs/benchmarks.md, "Sparse backward").
    /// </summary>
    public const float SparseEpsilon = 0.005f;

    [Benchmark]
    public NetworkGradients TrainingStep() => Data.Step(Threads, Epsilon, Gradients);
}

/// <summary>
/// The forward pass of <see cref="TrainingStepBenchmarks"/> alone: every state recorded into the previous pass's
/// buffers, as a training step runs it (the forward-pass target).
/// </summary>
[MemoryDiagnoser]
public class ForwardPassBenchmarks
{
    private ShdTrainingData _data = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _data = ShdTrainingData.FromEnvironment();

    [Benchmark]
    public SimulationResult ForwardPass() => _data.Forward(Threads);
}

/// <summary>
/// The backward pass of <see cref="TrainingStepBenchmarks"/> alone (the sparse-against-dense target): each
/// measured call follows its own forward pass, as in a training step, so the recordings it reads come as the step
/// leaves them (streamed past the caches), not warm from the call before. One call per iteration, so more iterations,
/// and warm-ups enough for the tiered JIT to have optimized the pass's loops before the measured ones.
/// </summary>
[MemoryDiagnoser, InvocationCount(1), WarmupCount(30), IterationCount(25)]
public class BackwardPassBenchmarks : BackwardModeCases
{
    [IterationSetup]
    public void ForwardPass() => Data.Forward(Threads);

    [Benchmark]
    public NetworkGradients BackwardPass() => Data.Backward(Threads, Epsilon, Gradients);
}
