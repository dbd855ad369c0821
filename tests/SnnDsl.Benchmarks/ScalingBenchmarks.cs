using BenchmarkDotNet.Attributes;
using SnnDsl.Neurons;

namespace SnnDsl.Benchmarks;

/// <summary>The SHD-shaped network with 1024 hidden neurons (700 → 1024 recurrent CubaLif → 20).</summary>
[Network]
public partial class ShdNetwork1024
{
    [Input(ShdNetwork.Channels)] public partial SpikeInput In { get; }
    [Population(1024)] public partial Population<CubaLif> Hidden { get; }
    [Population(ShdNetwork.Classes)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenRecurrent { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>The SHD-shaped network with 2048 hidden neurons (700 → 2048 recurrent CubaLif → 20): W_rec is 16 MiB.</summary>
[Network]
public partial class ShdNetwork2048
{
    [Input(ShdNetwork.Channels)] public partial SpikeInput In { get; }
    [Population(2048)] public partial Population<CubaLif> Hidden { get; }
    [Population(ShdNetwork.Classes)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenRecurrent { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>The SHD-shaped network with 4096 hidden neurons (700 → 4096 recurrent CubaLif → 20).</summary>
[Network]
public partial class ShdNetwork4096
{
    [Input(ShdNetwork.Channels)] public partial SpikeInput In { get; }
    [Population(4096)] public partial Population<CubaLif> Hidden { get; }
    [Population(ShdNetwork.Classes)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenRecurrent { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>One point of the scaling table: hidden neurons, steps, batch.</summary>
public sealed record ScalingCase(int Hidden, int Steps, int Batch)
{
    /// <summary>Multiply-adds of the dense error propagation Wᵀδ through the recurrent matrix per training step.</summary>
    public double RecurrentMultiplyAdds => (double)Batch * (Steps - 1) * Hidden * Hidden;

    /// <summary>
    /// Bytes the forward pass keeps for the backward pass per sample and step: the hidden and readout states I and U
    /// (4 B each per neuron; the backward kernels of CubaLif and LeakyReadout read no input, so none is recorded) and
    /// the hidden spikes (1 bit per neuron).
    /// </summary>
    public long KeptBytesPerSampleStep => 4L * 2 * (Hidden + ShdNetwork.Classes) + Hidden / 8;

    /// <summary>Bytes of the backward pass's port-adjoint history per worker: [steps, chunk capacity, hidden + readout].</summary>
    public long AdjointHistoryBytes =>
        4L * Steps * BatchParallel.ChunkCapacity(Batch, largestWeights: (long)Math.Max(ShdNetwork.Channels, Hidden) * Hidden) * (Hidden + ShdNetwork.Classes);

    public override string ToString() => $"H={Hidden} T={Steps} B={Batch}";
}

/// <summary>
/// Time of one training step (forward pass recording what the backward pass needs, then the dense backward of
/// L = Σ G·U_out with G ~ Normal(0, 1)) for hidden sizes 256, 1024, 2048 and 4096, T = 100 and 1000, batch 1, 16, 64 and
/// 256, on 2 % Bernoulli input with the SHD workload's weight scales. Cases whose recordings would exceed 3 GiB are
/// left out (listed by <see cref="LeftOut"/>).
/// </summary>
[MemoryDiagnoser]
public class ScalingBenchmarks
{
    private const long MemoryBudget = 3L << 30;

    private static readonly int[] HiddenSizes = [256, 1024, 2048, 4096];
    private static readonly int[] StepCounts = [100, 1000];
    private static readonly int[] BatchSizes = [1, 16, 64, 256];

    /// <summary>
    /// Every case, or those of the hidden sizes listed in SNNDSL_SCALING_HIDDEN (e.g. "4096" or "1024,4096"), the step
    /// counts in SNNDSL_SCALING_STEPS and the batch sizes in SNNDSL_SCALING_BATCH, to re-run part of the table:
    /// BenchmarkDotNet's --filter selects methods, not parameter values.
    /// </summary>
    private static IEnumerable<ScalingCase> All =>
        from h in HiddenSizes.Where(h => Selected("SNNDSL_SCALING_HIDDEN", h))
        from t in StepCounts.Where(t => Selected("SNNDSL_SCALING_STEPS", t))
        from b in BatchSizes.Where(b => Selected("SNNDSL_SCALING_BATCH", b))
        select new ScalingCase(h, t, b);

    private static bool Selected(string variable, int value) =>
        Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } list
        || list.Split(',').Any(v => int.TryParse(v, out int listed) && listed == value);

    /// <summary>2 threads, or the counts listed in SNNDSL_SCALING_THREADS (e.g. "1,2").</summary>
    public static IEnumerable<int> ThreadCounts =>
        Environment.GetEnvironmentVariable("SNNDSL_SCALING_THREADS") is { Length: > 0 } list ? list.Split(',').Select(int.Parse) : [2];

    private static bool Fits(ScalingCase c) => c.KeptBytesPerSampleStep * c.Steps * c.Batch <= MemoryBudget;

    public static IEnumerable<ScalingCase> Cases => All.Where(Fits);

    /// <summary>The cases not run, with the memory their recordings would need.</summary>
    public static IEnumerable<(ScalingCase Case, double GiB)> LeftOut =>
        All.Where(c => !Fits(c)).Select(c => (c, c.KeptBytesPerSampleStep * c.Steps * (double)c.Batch / (1L << 30)));

    [ParamsSource(nameof(Cases))]
    public ScalingCase Case { get; set; } = null!;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    private ISpikingNetwork _network = null!;
    private SpikeRaster _input = null!;
    private BackwardUpstream _upstream = null!;
    private NetworkGradients _gradients = null!;
    private SimulationResult? _forward;
    private SpikeRaster[] _inputs = null!;
    private SimulationOptions? _forwardOptions;
    private BackwardOptions _backwardOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _network = Case.Hidden switch
        {
            256 => new ShdNetwork(),
            1024 => new ShdNetwork1024(),
            2048 => new ShdNetwork2048(),
            _ => new ShdNetwork4096(),
        };
        _network.InitializeWeights(ShdWorkload.WeightSeed, ShdWorkload.WeightScale);
        foreach (ref float w in _network.Connections[1].Weights.AsSpan()) w *= ShdWorkload.RecurrentScale / ShdWorkload.WeightScale;
        _input = SpikeRaster.Bernoulli(Case.Batch, Case.Steps, ShdNetwork.Channels, ShdWorkload.InputRate, ShdWorkload.InputSeed);
        var random = new Random(5);
        var g = new float[Case.Batch * Case.Steps * ShdNetwork.Classes];
        for (int k = 0; k < g.Length; k++) g[k] = (float)StandardNormal.Draw(random);
        _upstream = new BackwardUpstream().WithState("Out", "U", g);
        _gradients = new NetworkGradients(_network);
        _inputs = [_input];
        _backwardOptions = new BackwardOptions { MaxDegreeOfParallelism = Threads };
    }

    [Benchmark]
    public NetworkGradients TrainingStep()
    {
        // As a training loop keeps them: the inputs' list, the options (new only while the result to reuse changes).
        if (_forwardOptions is null || _forwardOptions.Reuse != _forward)
            _forwardOptions = new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = Threads, Reuse = _forward };
        _forward = _network.Simulate(_inputs, _forwardOptions);
        return _network.Backward(_inputs, _forward, _upstream, _backwardOptions, _gradients);
    }
}

/// <summary>Standard normal draws (Box–Muller) for the upstream gradient.</summary>
internal static class StandardNormal
{
    public static double Draw(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
