using System.Diagnostics;
using System.Globalization;

namespace SnnDsl.Benchmarks;

/// <summary>
/// A plain loop of SHD-shaped training steps (forward with every state recorded, then the dense or sparse backward)
/// on the peer's data, for a sampling profiler: <c>perf record -g</c> with DOTNET_PerfMapEnabled=1 and
/// DOTNET_EnableWriteXorExecute=0. Checks the gradients against the peer's first, and prints the medians and the
/// process's CPU time per step (which a loaded machine distorts less than wall-clock time).
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
        data.Step(threads, 0f, gradients);
        foreach ((string file, string connection) in new[] { ("grad_w_in", "InToHidden"), ("grad_w_rec", "HiddenRecurrent"), ("grad_w_out", "HiddenToOut") })
        {
            float[] reference = Npy.ReadFloat32(Path.Combine(directory, file + ".npy")).Values;
            float[] computed = gradients.Weight(connection);
            double scale = reference.Max(Math.Abs), difference = computed.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{connection}: max |ΔW| / max |∂L/∂W| against PyTorch = {difference / scale:G3}"));
        }

        double step = Median(steps, () => data.Step(threads, epsilon, gradients), out double cpu);
        double forward = Median(Math.Max(steps / 4, 5), () => data.Forward(threads), out _);   // after the steps: the code is warm
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"threads {threads}, ε {epsilon}: training step median {step:F2} ms (CPU time {cpu:F2} ms per step, all threads), forward alone {forward:F2} ms"));
        return 0;
    }

    private static double Median(int repetitions, Action action, out double cpuPerRepetition)
    {
        using var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        var times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        process.Refresh();
        cpuPerRepetition = (process.TotalProcessorTime - cpuStart).TotalMilliseconds / repetitions;
        Array.Sort(times);
        return times[repetitions / 2];
    }
}
