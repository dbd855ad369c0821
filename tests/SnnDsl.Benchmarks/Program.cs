using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SnnDsl.Benchmarks;

// Every benchmark class of this assembly; pick with --filter, e.g.
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- --filter '*Forward*' [--job short]
// The training step against PyTorch (needs the peer, see peer/README.md):
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- training [--gains 1.0,0.2,0.2] [--job short]
if (args.Length > 0 && args[0] == "training") return TrainingComparison.Run(args[1..]);
// What the trainer's numerical checks cost per SHD-shaped training step (Stopwatch medians, levels interleaved):
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- checks [rounds] [threads]
if (args.Length > 0 && args[0] == "checks") return NumericalCheckOverhead.Run(args[1..]);
// Peak memory of a training step, BPTT against e-prop, T = 100, 500, 2000 (one fresh process per case):
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- memory
// A plain loop of training steps for perf (median step and forward times):
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- profile <data folder written by "training"> [threads] [steps] [sparse ε]
if (args.Length > 0 && args[0] == "profile") return StepProfile.Run(args[1..]);
if (args.Length > 0 && args[0] == "memory") return MemoryComparison.Run();
if (args.Length > 0 && args[0] == "memory-one") return MemoryComparison.RunOne(args[1..]);

IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

if (summaries.Any(s => s.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(ForwardBenchmarks))))
{
    ShdWorkload.Statistics w = ShdWorkload.Reference;
    Console.WriteLine();
    Console.WriteLine($"SHD-shaped forward pass: batch {ShdWorkload.Batch}, {ShdWorkload.Steps} steps, " +
                      $"{ShdNetwork.Channels} → {ShdNetwork.HiddenNeurons} (recurrent CubaLif) → {ShdNetwork.Classes} (LeakyReadout), " +
                      $"weight scales {ShdWorkload.WeightScale} (feed-forward), {ShdWorkload.RecurrentScale} (recurrent).");
    Console.WriteLine($"Input spikes per batch {w.InputSpikes} (rate {w.MeasuredInputRate:P2} per channel per step); " +
                      $"hidden spikes {w.HiddenSpikes} (rate {w.HiddenRate:P2} per neuron per step); " +
                      $"synaptic events per batch {w.SynapticEvents:N0}.");
}
if (summaries.Any(s => s.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(IntegerForwardBenchmarks))))
{
    Console.WriteLine();
    Console.WriteLine("SHD-shaped network on the integer simulators, references and kernel engine (same batch, chip timing):");
    IntegerWorkload.PrintSummary();
}
if (summaries.FirstOrDefault(s => s.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(ScalingBenchmarks))) is { } scaling)
{
    Console.WriteLine();
    Console.WriteLine("| hidden | T | batch | threads | ms per step | Wᵀδ GFLOP/s (2·B·(T−1)·H² / time) | kept per sample and step (B) | adjoint history per worker (MiB) |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (BenchmarkReport report in scaling.Reports.Where(r => r.ResultStatistics is not null))
    {
        var c = (ScalingCase)report.BenchmarkCase.Parameters["Case"];
        double ms = report.ResultStatistics!.Median / 1e6;
        Console.WriteLine(FormattableString.Invariant(
            $"| {c.Hidden} | {c.Steps} | {c.Batch} | {report.BenchmarkCase.Parameters["Threads"]} | {ms:F2} | {2 * c.RecurrentMultiplyAdds / (ms * 1e6):F1} | {c.KeptBytesPerSampleStep:N0} | {c.AdjointHistoryBytes / 1048576.0:F1} |"));
    }
    foreach ((ScalingCase c, double gib) in ScalingBenchmarks.LeftOut)
        Console.WriteLine(FormattableString.Invariant($"Not run: {c} (its recordings would need {gib:F1} GiB)."));
}
return 0;
