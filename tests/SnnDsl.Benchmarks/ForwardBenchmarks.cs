using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SnnDsl.Benchmarks;

/// <summary>
/// Forward pass of the SHD-shaped network over one batch (64 samples × 100 steps): the generated kernels
/// (<see cref="ISpikingNetwork.Simulate"/>) against the dense scalar baseline, at one thread and at every core.
/// </summary>
[Config(typeof(Config))]
public class ForwardBenchmarks
{
    private ShdNetwork _network = null!;
    private ScalarShdForward _scalar = null!;
    private SpikeRaster _input = null!;

    /// <summary>Worker threads over the batch.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<int> ThreadCounts => new[] { 1, Environment.ProcessorCount }.Distinct();

    [GlobalSetup]
    public void Setup()
    {
        _network = ShdWorkload.CreateNetwork();
        _scalar = new ScalarShdForward(_network);
        _input = ShdWorkload.CreateInput();

        // Never time a wrong kernel: both implementations must produce the same hidden spikes.
        long generated = Simulate().Spikes("Hidden").Count();
        long scalar = ScalarDense().HiddenSpikes.Count();
        if (generated != scalar)
            throw new InvalidOperationException($"Hidden spike counts differ: Simulate {generated}, scalar baseline {scalar}.");
        Console.WriteLine($"// Hidden spikes per batch: {generated} (Simulate and scalar baseline agree)");
    }

    [Benchmark(Baseline = true)]
    public (SpikeRaster HiddenSpikes, float[] ReadoutMembrane) ScalarDense() => _scalar.Simulate(_input, Threads);

    [Benchmark]
    public SimulationResult Simulate() =>
        _network.Simulate(_input, new SimulationOptions { MaxDegreeOfParallelism = Threads });

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new SynapticEventsColumn());
            AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByParams);
            WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));   // "N× faster" than the baseline
        }
    }

    /// <summary>Synaptic events per second: the workload's event count over the mean time per batch.</summary>
    private sealed class SynapticEventsColumn : IColumn
    {
        public string Id => nameof(SynapticEventsColumn);
        public string ColumnName => "Syn. events/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Synaptic events (active presynaptic spikes × fan-out) per second of forward pass";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (meanNanoseconds is not > 0) return "NA";
            double perSecond = ShdWorkload.Reference.SynapticEvents / (meanNanoseconds.Value * 1e-9);
            return $"{perSecond / 1e9:F3} G";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
