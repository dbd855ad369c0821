using System.Diagnostics;
using System.Globalization;

namespace SnnDsl.Benchmarks;

/// <summary>
/// A plain loop of SHD-shaped training steps for a sampling profiler (perf with DOTNET_PerfMapEnabled=1):
/// forward with every state recorded, then the dense or sparse backward, on the peer's data.
/// </summary>
public static class StepProfile
{
    public static int Run(string[] args)
    {
        string directory = args.Length > 0 ? args[0] : throw new ArgumentException("Usage: profile <data folder> [threads] [steps] [sparse ε]");
        int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        float epsilon = args.Length > 3 ? float.Parse(args[3], CultureInfo.InvariantCulture) : 0f;
        ShdTrainingData data = ShdTrainingData.Load(directory);
        var gradients = new NetworkGradients(data.Network);
        var times = new List<double>();
        var forwardTimes = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            data.Forward(threads);
            long middle = Stopwatch.GetTimestamp();
            data.Step(threads, epsilon, gradients);
            long end = Stopwatch.GetTimestamp();
            forwardTimes.Add(Stopwatch.GetElapsedTime(start, middle).TotalMilliseconds);
            times.Add(Stopwatch.GetElapsedTime(middle, end).TotalMilliseconds);
        }
        times.Sort();
        forwardTimes.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"threads {threads}, ε {epsilon}: training step median {times[times.Count / 2]:F2} ms, forward alone {forwardTimes[forwardTimes.Count / 2]:F2} ms ({steps} steps)"));
        return 0;
    }
}
