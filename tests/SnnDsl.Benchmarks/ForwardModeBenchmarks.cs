using BenchmarkDotNet.Attributes;
using SnnDsl.Training;

namespace SnnDsl.Benchmarks;

/// <summary>The gradient methods compared on the SHD-shaped network.</summary>
public enum TrainingMethod
{
    /// <summary>Forward pass recording every state, then the generated Backward.</summary>
    Bptt,

    /// <summary>Forward pass, then the forward pass again with eligibility traces (symmetric e-prop).</summary>
    EProp,
}

/// <summary>
/// Gradients of one training batch (16 samples) of the SHD-shaped network for T = 100, 500 and 2000 steps: BPTT against
/// symmetric e-prop, same network, input, loss (max-over-time cross-entropy) and threads (2). Peak memory per step is
/// measured separately in fresh processes (<c>Program.cs memory</c>, <see cref="MemoryComparison"/>).
/// </summary>
[MemoryDiagnoser]
public class ForwardModeBenchmarks
{
    public const int Batch = 16;

    private ShdNetwork _network = null!;
    private SpikeRaster _input = null!;
    private int[] _labels = null!;
    private NetworkGradients _gradients = null!;
    private GradientMethod _method = null!;
    private readonly ReadoutCrossEntropy _objective = new("Out", TimeReduction.Max);

    [Params(100, 500, 2000)]
    public int Steps { get; set; }

    [Params(TrainingMethod.Bptt, TrainingMethod.EProp)]
    public TrainingMethod Method { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_network, _input, _labels) = Workload(Steps);
        _gradients = new NetworkGradients(_network);
        _method = Create(Method);
    }

    private SimulationResult? _previous;

    [Benchmark]
    public NetworkGradients Gradients() => Step(_network, _input, _labels, _objective, _method, _gradients, ref _previous);

    /// <summary>The SHD benchmark network and a batch of <paramref name="steps"/> steps of 2 % input spikes, seeded.</summary>
    public static (ShdNetwork Network, SpikeRaster Input, int[] Labels) Workload(int steps)
    {
        var random = new Random(3);
        return (ShdWorkload.CreateNetwork(), SpikeRaster.Bernoulli(Batch, steps, ShdNetwork.Channels, ShdWorkload.InputRate, seed: 2),
            [.. Enumerable.Range(0, Batch).Select(_ => random.Next(ShdNetwork.Classes))]);
    }

    public static GradientMethod Create(TrainingMethod method) =>
        method == TrainingMethod.Bptt ? GradientMethod.Bptt : GradientMethod.Online(OnlineRule.EProp(Feedback.Symmetric));

    /// <summary>What the trainer does for one batch, without the optimizer: forward (reusing the last one's buffers), loss, gradients.</summary>
    public static NetworkGradients Step(ISpikingNetwork network, SpikeRaster input, int[] labels, IObjective objective, GradientMethod method, NetworkGradients into,
        ref SimulationResult? previous)
    {
        SimulationResult forward = network.Simulate([input], new SimulationOptions { RecordAllStates = method.RecordAllStates, MaxDegreeOfParallelism = 2, Reuse = previous });
        previous = forward;
        var upstream = new BackwardUpstream();
        objective.Loss(forward, labels, upstream);
        method.Compute(network, input, labels, forward, upstream, new BackwardOptions { MaxDegreeOfParallelism = 2 }, into, update: static () => { });
        return into;
    }
}
