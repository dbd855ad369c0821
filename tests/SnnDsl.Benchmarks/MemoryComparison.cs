using System.Diagnostics;
using System.Globalization;
using SnnDsl.Training;

namespace SnnDsl.Benchmarks;

/// <summary>
/// Peak memory of one training step, BPTT against e-prop, for T = 100, 500 and 2000, each in a fresh process: the peak
/// resident set (Linux VmHWM) after three steps, minus the process's peak after setup (network, input batch) — the
/// memory the step itself needs.
///   dotnet run -c Release --project tests/SnnDsl.Benchmarks -- memory
/// </summary>
public static class MemoryComparison
{
    public static int Run()
    {
        Console.WriteLine($"Peak memory of a training step, SHD-shaped network, batch {ForwardModeBenchmarks.Batch}, 2 threads (fresh process each):");
        Console.WriteLine("| T | method | peak above setup (MiB) | managed allocations per step (MiB) |");
        Console.WriteLine("|---:|---|---:|---:|");
        foreach (int steps in new[] { 100, 500, 2000 })
            foreach (TrainingMethod method in Enum.GetValues<TrainingMethod>())
            {
                var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
                // Under "dotnet SnnDsl.Benchmarks.dll" the host needs the assembly first; the apphost does not.
                if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(MemoryComparison).Assembly.Location);
                foreach (string argument in new[] { "memory-one", steps.ToString(CultureInfo.InvariantCulture), method.ToString() })
                    start.ArgumentList.Add(argument);
                using Process child = Process.Start(start)!;
                string line = child.StandardOutput.ReadToEnd().Trim();
                child.WaitForExit();
                if (child.ExitCode != 0) throw new InvalidOperationException($"memory-one {steps} {method} failed: {line}");
                Console.WriteLine($"| {steps} | {method} | {line} |");
            }
        return 0;
    }

    /// <summary>The child: setup, then three steps; prints "peak above setup | allocated per step".</summary>
    public static int RunOne(string[] args)
    {
        int steps = int.Parse(args[0], CultureInfo.InvariantCulture);
        TrainingMethod method = Enum.Parse<TrainingMethod>(args[1]);
        (ShdNetwork network, SpikeRaster input, int[] labels) = ForwardModeBenchmarks.Workload(steps);
        var gradients = new NetworkGradients(network);
        var objective = new ReadoutCrossEntropy("Out", TimeReduction.Max);
        GradientMethod gradientMethod = ForwardModeBenchmarks.Create(method);
        GC.Collect();
        long setup = PeakResidentBytes();
        long allocated = 0;
        SimulationResult? previous = null;
        for (int k = 0; k < 3; k++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            ForwardModeBenchmarks.Step(network, input, labels, objective, gradientMethod, gradients, ref previous);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        long peak = PeakResidentBytes();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(peak - setup) / 1048576.0:F1} | {allocated / 1048576.0:F1}"));
        return 0;
    }

    private static long PeakResidentBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        throw new PlatformNotSupportedException("/proc/self/status has no VmHWM (peak memory is measured on Linux only).");
    }
}
