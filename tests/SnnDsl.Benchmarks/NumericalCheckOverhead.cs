using System.Diagnostics;
using System.Globalization;
using SnnDsl.Data;
using SnnDsl.Training;

namespace SnnDsl.Benchmarks;

/// <summary>
/// What the trainer's numerical checks (docs/reliability.md) cost per training step of the SHD-shaped network
/// (700 → 256 recurrent CubaLif → 20 LeakyReadout, batch 64, 100 steps, Adam): the time of a step with each
/// <see cref="NumericalCheckLevel"/>, the levels interleaved round by round so that load on the machine hits them
/// alike, and the time of each check on its own. Stopwatch medians; run with
/// <c>dotnet run -c Release --project tests/SnnDsl.Benchmarks -- checks [rounds] [threads]</c>.
/// </summary>
public static class NumericalCheckOverhead
{
    private const int BatchesPerFit = 4;

    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
        var labels = new Random(3);
        SpikeRaster input = SpikeRaster.Bernoulli(ShdWorkload.Batch * BatchesPerFit, ShdWorkload.Steps, ShdNetwork.Channels, ShdWorkload.InputRate, seed: 2);
        var data = new Dataset(input, Enumerable.Range(0, input.Batch).Select(_ => labels.Next(ShdNetwork.Classes)).ToArray(), ShdNetwork.Classes);
        Console.WriteLine($"SHD-shaped training step: batch {ShdWorkload.Batch}, {ShdWorkload.Steps} steps, 700 → 256 (recurrent CubaLif) → 20, Adam; " +
                          $"{(threads == 0 ? Environment.ProcessorCount : threads)} thread(s), SIMD {SpikeOps.ActiveSimdWidth}, {rounds} rounds of {BatchesPerFit} steps per level.");

        NumericalCheckLevel[] levels = [NumericalCheckLevel.Off, NumericalCheckLevel.FinalStates, NumericalCheckLevel.AllStates];
        var trainers = levels.ToDictionary(level => level, level =>
        {
            ShdNetwork network = ShdWorkload.CreateNetwork();
            return new Trainer(network, new ReadoutCrossEntropy("Out"), t => new Adam(t, 1e-4f),
                new TrainerOptions { Epochs = 1, BatchSize = ShdWorkload.Batch, Shuffle = false, MaxDegreeOfParallelism = threads, NumericalChecks = level });
        });
        foreach (Trainer trainer in trainers.Values) trainer.Fit(data);   // warm-up: JIT, buffers
        Interleaved("ms per training step", rounds, levels, level => trainers[level].Fit(data));
        // Evaluation records every state when it checks them (a NaN hidden membrane does not show in the readout).
        Interleaved("ms per evaluated batch", rounds, levels, level => trainers[level].Evaluate(data));

        // Each check alone, on the buffers of a real step.
        ShdNetwork alone = ShdWorkload.CreateNetwork();
        SimulationResult forward = alone.Simulate([data.Select(Enumerable.Range(0, ShdWorkload.Batch).ToArray()).Inputs], new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = threads });
        var gradients = new NetworkGradients(alone);
        Console.WriteLine();
        Console.WriteLine("| check, once per step | µs (median of 200) |");
        Console.WriteLine("|---|---:|");
        Time("parameters through the dynamics' IR (FindParameterFault)", () => NumericalChecks.FindParameterFault(alone));
        Time("weights and biases, 250,880 values (FindWeightFault)", () => NumericalChecks.FindWeightFault(alone));
        Time("states after the last step (FinalStates)", () => NumericalChecks.HasNonFiniteState(forward, allSteps: false));
        Time("every recorded state, 3.5 M values (AllStates)", () => NumericalChecks.HasNonFiniteState(forward, allSteps: true));
        Time("gradients, 250,884 values (FindGradientFault)", () => NumericalChecks.FindGradientFault(alone, gradients));
        return 0;
    }

    private static void Time(string what, Func<object?> check)
    {
        for (int k = 0; k < 20; k++) check();
        var samples = new List<double>();
        for (int k = 0; k < 200; k++)
        {
            long start = Stopwatch.GetTimestamp();
            check();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {Median(samples):F1} |"));
    }

    /// <summary>
    /// Times <paramref name="run"/> (<see cref="BatchesPerFit"/> batches) at every level, the levels interleaved round by
    /// round, and prints the median per batch and the overhead against <see cref="NumericalCheckLevel.Off"/>.
    /// </summary>
    private static void Interleaved(string what, int rounds, NumericalCheckLevel[] levels, Action<NumericalCheckLevel> run)
    {
        var perBatch = levels.ToDictionary(level => level, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (NumericalCheckLevel level in levels)
            {
                var clock = Stopwatch.StartNew();
                run(level);
                perBatch[level].Add(clock.Elapsed.TotalMilliseconds / BatchesPerFit);
            }
        }
        double off = Median(perBatch[NumericalCheckLevel.Off]);
        Console.WriteLine();
        Console.WriteLine($"| checks | {what} (median) | overhead |");
        Console.WriteLine("|---|---:|---:|");
        foreach (NumericalCheckLevel level in levels)
        {
            double ms = Median(perBatch[level]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {level} | {ms:F1} | {(ms / off - 1) * 100:+0.0;-0.0}% |"));
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
