using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SnnDsl.Benchmarks;

/// <summary>
/// One command, one machine, one invocation: the SHD-shaped training step of SnnDsl under BenchmarkDotNet (and its
/// forward and backward passes alone) and of the PyTorch peer (peer/shd_step.py, SpyTorch style and the fastest eager
/// formulations), on the same data and thread counts; the peer's gradients check ours first. Prints a markdown table
/// and writes it next to the artifacts.
/// </summary>
public static class TrainingComparison
{
    private static readonly string[] PeerStyles = ["spytorch", "hoisted", "hoisted-dense"];
    private static readonly int[] ThreadCounts = [1, 2];

    /// <param name="args">
    /// BenchmarkDotNet's arguments, optionally preceded by <c>--gains in,rec,out</c>: the weight scales of the generated
    /// data (default 0.6,0.2,0.6, about 3 % hidden spikes per step; 1.0,0.2,0.2 gives about 7 %).
    /// </param>
    public static int Run(string[] args)
    {
        string[] gains = ["0.6", "0.2", "0.6"];
        string[] benchmarkArgs = args;
        if (args.Length >= 2 && args[0] == "--gains")
        {
            gains = args[1].Split(',');
            if (gains.Length != 3 || gains.Any(g => !double.TryParse(g, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                throw new ArgumentException($"--gains takes three numbers, the scales of W_in, W_rec and W_out (e.g. 1.0,0.2,0.2); got '{args[1]}'.");
            benchmarkArgs = args[2..];
        }
        string peer = FindPeer();
        string root = Path.GetFullPath(Path.Combine("BenchmarkDotNet.Artifacts", "shd-training", string.Join('-', gains)));
        string data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);

        Console.WriteLine($"== PyTorch peer: generating the shared data (seed 0, weight scales {string.Join(" / ", gains)}) ==");
        Python(peer, "shd_step.py", "--style", "spytorch", "--reps", "1", "--warmup", "0",
            "--weight-scale", gains[0], "--rec-scale", gains[1], "--out-scale", gains[2], "--out", data);

        Console.WriteLine("== Checking SnnDsl's gradients against the peer's ==");
        ShdTrainingData shd = ShdTrainingData.Load(data);
        NetworkGradients ours = shd.Step(threads: 0, sparseEpsilon: 0f);
        var check = new StringBuilder();
        bool agree = true;
        foreach ((string file, string connection) in new[] { ("grad_w_in", "InToHidden"), ("grad_w_rec", "HiddenRecurrent"), ("grad_w_out", "HiddenToOut") })
        {
            float[] reference = Npy.ReadFloat32(Path.Combine(data, file + ".npy")).Values;
            float[] computed = ours.Weight(connection);
            double scale = reference.Max(Math.Abs), difference = computed.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
            double relative = difference / scale;
            agree &= relative < 1e-3;
            check.AppendLine(CultureInfo.InvariantCulture, $"| {connection} | {scale:G4} | {difference:G3} | {relative:G3} |");
        }
        Console.WriteLine("| weights | max |∂L/∂W| (PyTorch) | max abs difference | relative |\n|---|---|---|---|");
        Console.Write(check);
        if (!agree)
        {
            Console.Error.WriteLine("SnnDsl's gradients differ from PyTorch's by more than 1e-3 of their scale; not benchmarking.");
            return 1;
        }
        long peakBytes = PeakResidentBytes(shd);

        Console.WriteLine("== SnnDsl under BenchmarkDotNet ==");
        Environment.SetEnvironmentVariable(ShdTrainingData.DirectoryVariable, data);
        var mine = ByThreadsAndMode(BenchmarkRunner.Run<TrainingStepBenchmarks>(args: benchmarkArgs));
        var forward = BenchmarkRunner.Run<ForwardPassBenchmarks>(args: benchmarkArgs).Reports
            .Where(r => r.ResultStatistics is not null)
            .ToDictionary(r => (int)r.BenchmarkCase.Parameters["Threads"], r => r.ResultStatistics!.Median / 1e6);
        var backward = ByThreadsAndMode(BenchmarkRunner.Run<BackwardPassBenchmarks>(args: benchmarkArgs));

        Console.WriteLine("== PyTorch peer timings ==");
        var theirs = new Dictionary<(string Style, int Threads), JsonElement>();
        foreach (string style in PeerStyles)
        {
            foreach (int threads in ThreadCounts)
            {
                string output = Path.Combine(root, $"peer-{style}-{threads}");
                Directory.CreateDirectory(output);
                Python(peer, "shd_step.py", "--style", style, "--threads", threads.ToString(CultureInfo.InvariantCulture),
                    "--warmup", "3", "--reps", "20", "--data", data, "--out", output);
                theirs[(style, threads)] = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "result.json"))).RootElement;
            }
        }
        var gflops = ThreadCounts.ToDictionary(t => t, t =>
            JsonDocument.Parse(Python(peer, "blas_gflops.py", "--threads", t.ToString(CultureInfo.InvariantCulture))).RootElement);

        string table = Table(mine, forward, backward, theirs, gflops, peakBytes, check.ToString());
        Console.WriteLine(table);
        File.WriteAllText(Path.Combine(root, "training-step.md"), table);
        Console.WriteLine($"(written to {Path.Combine(root, "training-step.md")})");
        return 0;
    }

    /// <summary>The median of each case of a summary whose parameters are Threads and Backward, in ms.</summary>
    private static Dictionary<(int Threads, BackwardMode Mode), double> ByThreadsAndMode(Summary summary) =>
        summary.Reports.Where(r => r.ResultStatistics is not null).ToDictionary(
            r => ((int)r.BenchmarkCase.Parameters["Threads"], (BackwardMode)r.BenchmarkCase.Parameters["Backward"]),
            r => r.ResultStatistics!.Median / 1e6);

    private static string Table(Dictionary<(int, BackwardMode), double> mine, Dictionary<int, double> forward, Dictionary<(int, BackwardMode), double> backward,
        Dictionary<(string, int), JsonElement> theirs, Dictionary<int, JsonElement> gflops, long peakBytes, string check)
    {
        var md = new StringBuilder();
        JsonElement any = theirs.Values.First();
        md.AppendLine(CultureInfo.InvariantCulture, $"Training step (forward + BPTT, no optimizer), SHD-shaped network, batch 64, 100 steps; hidden spike fraction {any.GetProperty("hidden_spike_fraction").GetDouble():P2}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"PyTorch {any.GetProperty("torch_version").GetString()}, BLAS: {any.GetProperty("blas").GetProperty("sgemm_library").GetString()}.");
        foreach ((int threads, JsonElement g) in gflops)
        {
            JsonElement shapes = g.GetProperty("shapes");
            md.AppendLine(CultureInfo.InvariantCulture, $"sgemm at {threads} thread(s): {shapes.GetProperty("square").GetProperty("median_gflops").GetDouble():F0} GFLOP/s (1024³), {shapes.GetProperty("step_recurrent").GetProperty("median_gflops").GetDouble():F0} GFLOP/s (64×256×256, the per-step recurrent product).");
        }
        md.AppendLine();
        md.AppendLine("| implementation | threads | ms per step (median) | peak RSS (MiB) | SnnDsl dense is faster by | SnnDsl sparse is faster by |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (int threads in ThreadCounts)
        {
            double dense = mine.GetValueOrDefault((threads, BackwardMode.Dense), double.NaN);
            double sparse = mine.GetValueOrDefault((threads, BackwardMode.Sparse), double.NaN);
            md.AppendLine(CultureInfo.InvariantCulture, $"| SnnDsl, dense backward | {threads} | {dense:F2} | {peakBytes / 1048576.0:F0} | | |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| SnnDsl, sparse backward (ε = {TrainingStepBenchmarks.SparseEpsilon}) | {threads} | {sparse:F2} | {peakBytes / 1048576.0:F0} | | |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| SnnDsl, forward pass alone (states recorded) | {threads} | {forward.GetValueOrDefault(threads, double.NaN):F2} | | | |");
            double denseBackward = backward.GetValueOrDefault((threads, BackwardMode.Dense), double.NaN);
            double sparseBackward = backward.GetValueOrDefault((threads, BackwardMode.Sparse), double.NaN);
            md.AppendLine(CultureInfo.InvariantCulture, $"| SnnDsl, dense backward pass alone | {threads} | {denseBackward:F2} | | | |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| SnnDsl, sparse backward pass alone ({denseBackward / sparseBackward:F2}× the dense) | {threads} | {sparseBackward:F2} | | | |");
            foreach (string style in PeerStyles)
            {
                JsonElement r = theirs[(style, threads)];
                double ms = r.GetProperty("median_ms").GetDouble();
                md.AppendLine(CultureInfo.InvariantCulture, $"| PyTorch autograd, {style} | {threads} | {ms:F2} | {r.GetProperty("max_rss_mib").GetDouble():F0} | {ms / dense:F1}× | {ms / sparse:F1}× |");
            }
        }
        md.AppendLine();
        md.AppendLine("Gradient check against PyTorch (same data, float32 rounding only):");
        md.AppendLine();
        md.AppendLine("| weights | max |∂L/∂W| (PyTorch) | max abs difference | relative |\n|---|---|---|---|");
        md.Append(check);
        return md.ToString();
    }

    /// <summary>Peak resident memory of this process after a few training steps (the .NET runtime included).</summary>
    private static long PeakResidentBytes(ShdTrainingData shd)
    {
        var gradients = new NetworkGradients(shd.Network);
        for (int k = 0; k < 5; k++) shd.Step(threads: 0, sparseEpsilon: 0f, gradients);
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }

    /// <summary>
    /// The OpenBLAS kernels the peer runs with, named rather than detected: SkylakeX (AVX-512) where the CPU reports
    /// avx512f, else Haswell (AVX2 and FMA; what OpenBLAS 0.3.21 detects on a Zen 3 without AVX-512). SkylakeX on a CPU
    /// without AVX-512 dies of an illegal instruction.
    /// </summary>
    private static string OpenBlasCore { get; } =
        File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").Any(line => line.StartsWith("flags", StringComparison.Ordinal) && line.Split(' ').Contains("avx512f"))
            ? "SkylakeX" : "Haswell";

    private static string Python(string peer, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { WorkingDirectory = peer, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(peer, script));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["OPENBLAS_CORETYPE"] = OpenBlasCore;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /usr/bin/python3.");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}\nInstall the peer: apt-get install -y python3-torch python3-numpy libopenblas0-pthread (peer/README.md).");
        return output;
    }

    private static string FindPeer()
    {
        for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            string candidate = Path.Combine(directory, "tests", "SnnDsl.Benchmarks", "peer");
            if (File.Exists(Path.Combine(candidate, "shd_step.py"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/SnnDsl.Benchmarks/peer/shd_step.py not found above " + AppContext.BaseDirectory);
    }
}
