using System.Diagnostics;
using System.Globalization;

namespace SnnDsl.Benchmarks;

/// <summary>
/// A plain loop of SHD-shaped training steps (forward with every state recorded, then the dense or sparse backward)
/// on the peer's data, for a sampling profiler: <c>perf record -g</c> with DOTNET_PerfMapEnabled=1 and
/// DOTNET_EnableWriteXorExecute=0. Checks the gradients against the peer's first, and prints the medians of the step,
/// of its forward and backward passes, and of the forward pass repeated alone.
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

        // Each step timed as a whole and by pass: the forward pass within a training step runs after a backward pass,
        // which makes it slower than the forward pass repeated alone (docs/benchmarks.md).
        var step = new double[steps];
        var forwardInStep = new double[steps];
        var backward = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            data.Forward(threads);
            long between = Stopwatch.GetTimestamp();
            data.Backward(threads, epsilon, gradients);
            long end = Stopwatch.GetTimestamp();
            (step[i], forwardInStep[i], backward[i]) = (Milliseconds(start, end), Milliseconds(start, between), Milliseconds(between, end));
        }
        var forwardAlone = new double[Math.Max(steps / 4, 5)];   // after the steps: the code is warm
        for (int i = 0; i < forwardAlone.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            data.Forward(threads);
            forwardAlone[i] = Milliseconds(start, Stopwatch.GetTimestamp());
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"threads {threads}, ε {epsilon}: training step median {Median(step):F2} ms (forward {Median(forwardInStep):F2} ms, backward {Median(backward):F2} ms), forward alone {Median(forwardAlone):F2} ms"));
        return 0;
    }

    private static double Milliseconds(long start, long end) => Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;

    /// <summary>The median; sorts <paramref name="times"/> in place.</summary>
    private static double Median(double[] times)
    {
        Array.Sort(times);
        return times[times.Length / 2];
    }
}
