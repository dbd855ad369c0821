using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SnnDsl.Benchmarks;

// Every benchmark class of this assembly; pick with --filter, e.g.
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- --filter '*Forward*' [--job short]
// The training step against PyTorch (needs the peer, see peer/README.md):
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- training [--job short]
if (args.Length > 0 && args[0] == "training") return TrainingComparison.Run(args[1..]);
// What the trainer's numerical checks cost per SHD-shaped training step (Stopwatch medians, levels interleaved):
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- checks [rounds] [threads]
if (args.Length > 0 && args[0] == "checks") return NumericalCheckOverhead.Run(args[1..]);
// Peak memory of a training step, BPTT against e-prop, T = 100, 500, 2000 (one fresh process per case):
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- memory
// A plain loop of training steps for perf (median step and forward times):
//   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- profile <data folder> [threads] [steps] [sparse ε]
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
    Console.WriteLine("SHD-shaped network on the integer reference simulators (same batch, chip timing):");
    IntegerWorkload.PrintSummary();
}
return 0;
