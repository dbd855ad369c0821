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
/// One training step (forward + BPTT, no optimizer) of the SHD-shaped network at batch 64 on the PyTorch peer's data
/// (run through <c>Program.cs training</c>, which sets <see cref="ShdTrainingData.DirectoryVariable"/>).
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    /// <summary>Sparse-backward threshold on σ′ (FastSigmoid, slope 100: |U − ϑ| &lt; 0.09).</summary>
    public const float SparseEpsilon = 0.01f;

    private ShdTrainingData _data = null!;
    private NetworkGradients _gradients = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Params(BackwardMode.Dense, BackwardMode.Sparse)]
    public BackwardMode Backward { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string directory = Environment.GetEnvironmentVariable(ShdTrainingData.DirectoryVariable)
            ?? throw new InvalidOperationException($"Set {ShdTrainingData.DirectoryVariable} to the peer's data folder; run 'dotnet run -c Release --project tests/SnnDsl.Benchmarks -- training'.");
        _data = ShdTrainingData.Load(directory);
        _gradients = new NetworkGradients(_data.Network);
    }

    [Benchmark]
    public NetworkGradients TrainingStep() => _data.Step(Threads, Backward == BackwardMode.Sparse ? SparseEpsilon : 0f, _gradients);
}
