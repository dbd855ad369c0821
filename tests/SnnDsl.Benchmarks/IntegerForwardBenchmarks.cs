using System.Collections.Concurrent;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SnnDsl.FixedPoint;

namespace SnnDsl.Benchmarks;

/// <summary>
/// The SHD-shaped network quantized to each profile and run by its scalar integer reference simulator
/// (<see cref="QuantizedNetwork.Simulate(SpikeRaster, QuantizedSimulationOptions)"/> with
/// <see cref="QuantizedEngine.Reference"/>) and by the generated integer kernels (<see cref="QuantizedEngine.Kernels"/>,
/// the same bits; Fixed has no kernel engine), against the generated float kernel, one batch (64 × 100 steps). Synaptic
/// events are counted from each network's own spikes.
/// </summary>
[Config(typeof(Config))]
public class IntegerForwardBenchmarks
{
    private ShdNetwork _network = null!;
    private SpikeRaster _input = null!;
    private QuantizedNetwork _loihi = null!, _xylo = null!, _spinnaker = null!, _fixed = null!;

    /// <summary>Worker threads over the batch.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<int> ThreadCounts => new[] { 1, Environment.ProcessorCount }.Distinct();

    [GlobalSetup]
    public void Setup()
    {
        _network = ShdWorkload.CreateNetwork();
        _input = ShdWorkload.CreateInput();
        (_loihi, _xylo, _spinnaker, _fixed) = IntegerWorkload.Networks(_network);
    }

    [Benchmark(Baseline = true)]
    public SimulationResult Float() => _network.Simulate(_input, new SimulationOptions { MaxDegreeOfParallelism = Threads });

    [Benchmark]
    public QuantizedResult Loihi() => _loihi.Simulate(_input, Options(QuantizedEngine.Reference));

    [Benchmark]
    public QuantizedResult LoihiKernels() => _loihi.Simulate(_input, Options(QuantizedEngine.Kernels));

    [Benchmark]
    public QuantizedResult Xylo() => _xylo.Simulate(_input, Options(QuantizedEngine.Reference));

    [Benchmark]
    public QuantizedResult XyloKernels() => _xylo.Simulate(_input, Options(QuantizedEngine.Kernels));

    [Benchmark]
    public QuantizedResult SpiNNaker() => _spinnaker.Simulate(_input, Options(QuantizedEngine.Reference));

    [Benchmark]
    public QuantizedResult SpiNNakerKernels() => _spinnaker.Simulate(_input, Options(QuantizedEngine.Kernels));

    [Benchmark]
    public QuantizedResult Fixed() => _fixed.Simulate(_input, Options(QuantizedEngine.Reference));

    /// <summary>Chip timing (no extra steps for alignment), readouts recorded as for the float kernel.</summary>
    private QuantizedSimulationOptions Options(QuantizedEngine engine) => new() { Engine = engine, MaxDegreeOfParallelism = Threads, AlignToFloatTiming = false };

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new EventsColumn());
            AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByParams);
            WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
        }
    }

    /// <summary>Synaptic events per second, each method's events counted from its own spikes.</summary>
    private sealed class EventsColumn : IColumn
    {
        public string Id => nameof(EventsColumn);
        public string ColumnName => "Syn. events/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Synaptic events of the method's own spikes (active presynaptic × fan-out) per second";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean is not > 0) return "NA";
            return $"{IntegerWorkload.Events(benchmarkCase.Descriptor.WorkloadMethod.Name) / (mean.Value * 1e-9) / 1e9:F3} G";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}

/// <summary>The quantized SHD-shaped networks and their synaptic-event counts.</summary>
public static class IntegerWorkload
{
    private static readonly ConcurrentDictionary<string, long> s_events = new();

    /// <summary>
    /// The network quantized to Loihi, Xylo (Audio 2 with the input, readout and fan-out limits lifted to 700, 20 and 256:
    /// the arithmetic, not a deployable configuration), SpiNNaker and Fixed(s15.16, decay u0.16).
    /// </summary>
    public static (QuantizedNetwork Loihi, QuantizedNetwork Xylo, QuantizedNetwork SpiNNaker, QuantizedNetwork Fixed) Networks(ShdNetwork network)
    {
        var options = new QuantizationOptions { MaxDecayError = 0.5 };
        XyloProfile xylo = TargetProfiles.XyloAudio2 with { InputChannels = ShdNetwork.Channels, OutputNeurons = ShdNetwork.Classes, MaxFanOut = ShdNetwork.HiddenNeurons };
        return (Quantizer.Quantize(network, TargetProfiles.Loihi, options), Quantizer.Quantize(network, xylo, options),
            Quantizer.Quantize(network, TargetProfiles.SpiNNaker, options), Quantizer.Quantize(network, TargetProfiles.Fixed(15, 16), options));
    }

    /// <summary>Synaptic events of one batch for a benchmark method (computed once per process; a kernel method spikes as its reference).</summary>
    public static long Events(string method) => s_events.GetOrAdd(method.EndsWith("Kernels", StringComparison.Ordinal) ? method[..^"Kernels".Length] : method, m =>
    {
        ShdNetwork network = ShdWorkload.CreateNetwork();
        SpikeRaster input = ShdWorkload.CreateInput();
        if (m == nameof(IntegerForwardBenchmarks.Float)) return ShdWorkload.Reference.SynapticEvents;
        var (loihi, xylo, spinnaker, fixedPoint) = Networks(network);
        QuantizedNetwork q = m switch
        {
            nameof(IntegerForwardBenchmarks.Loihi) => loihi,
            nameof(IntegerForwardBenchmarks.Xylo) => xylo,
            nameof(IntegerForwardBenchmarks.SpiNNaker) => spinnaker,
            _ => fixedPoint,
        };
        QuantizedResult r = q.Simulate(input, new QuantizedSimulationOptions { Engine = QuantizedEngine.Reference, AlignToFloatTiming = false });
        return Events(input, r.Spikes("Hidden"), m == nameof(IntegerForwardBenchmarks.Xylo) ? r.SpikeCounts("Hidden") : null);
    });

    /// <summary>
    /// Input spikes × 256, hidden spikes × (256 recurrent + 20 readout); each step's spikes are delivered once whatever the
    /// chip's timing. With <paramref name="counts"/> (Xylo), a multi-spike step delivers its weights once per count.
    /// </summary>
    public static long Events(SpikeRaster input, SpikeRaster hidden, byte[]? counts)
    {
        long inputSpikes = input.Count();
        long hiddenSpikes = counts is null ? hidden.Count() : counts.Sum(c => (long)c);
        return inputSpikes * ShdNetwork.HiddenNeurons + hiddenSpikes * (ShdNetwork.HiddenNeurons + ShdNetwork.Classes);
    }

    /// <summary>Prints the events of every method, and which populations the kernel engine steps with a generated kernel.</summary>
    public static void PrintSummary()
    {
        foreach (string m in new[] { "Float", "Loihi", "Xylo", "SpiNNaker", "Fixed" })
            Console.WriteLine($"{m}: {Events(m):N0} synaptic events per batch");
        var (loihi, xylo, spinnaker, _) = Networks(ShdWorkload.CreateNetwork());
        foreach ((string name, QuantizedNetwork q) in new[] { ("Loihi", loihi), ("Xylo", xylo), ("SpiNNaker", spinnaker) })
            foreach (QuantizedLayer layer in q.Layers.Where(l => !l.IsInput))
            {
                string? reason = q.KernelFallback(layer.Name);
                Console.WriteLine($"{name}Kernels, {layer.Name}: " + (reason is null ? "the generated kernel" : "the reference, because " + reason));
            }
    }
}
