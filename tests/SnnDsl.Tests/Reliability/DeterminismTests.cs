using System.Globalization;
using SnnDsl.Data;
using SnnDsl.Tests.Kernels;
using SnnDsl.Training;
using Xunit.Abstractions;

namespace SnnDsl.Tests.Reliability;

/// <summary>
/// Issue 12, item 5: the same seed gives the same spikes, gradients and trained weights on 1, 2 and 8 threads, in
/// every run, at every SIMD width (CI runs this category with AVX-512, with DOTNET_EnableAVX512=0 and with
/// DOTNET_EnableHWIntrinsic=0); and training several networks at once on different threads gives each the result
/// it has alone. docs/reliability.md says where the arithmetic does not allow bit-identity across widths.
/// </summary>
[Trait("Category", "Kernels")]
public class DeterminismTests(ITestOutputHelper output)
{
    /// <summary>
    /// Fingerprints of <see cref="Run"/> per SIMD width: spikes and traces, gradients, trained weights. Arithmetic of
    /// + − × ÷ and √ only (CubaLif, Lif, LeakyReadout, FastSigmoid, a squared-error loss, Adam), so a fingerprint is
    /// the same on every machine and run. The dense error propagation W·∂L/∂x is one FMA chain per element at every
    /// width, so the weight gradients agree between widths too; the gradients of shared parameters (Hidden's α and β)
    /// are reduced over lanes, so scalar code sums them in another order than Vector256 and Vector512, which agree.
    /// </summary>
    private static readonly Dictionary<string, string> Recorded = new()
    {
        ["Vector512"] = "990ba15caf8de81b 2ad8dba8770d3c50 d973c7abefbfdf46",
        ["Vector256"] = "990ba15caf8de81b 2ad8dba8770d3c50 d973c7abefbfdf46",
        ["scalar"] = "990ba15caf8de81b 5fea8af1b9115adc d973c7abefbfdf46",
    };

    /// <summary>FNV-1a over the bits of every value, in order.</summary>
    private sealed class Fingerprint
    {
        private ulong _hash = 14695981039346656037UL;

        public Fingerprint Add(ReadOnlySpan<float> values)
        {
            foreach (float v in values) Add((ulong)BitConverter.SingleToUInt32Bits(v));
            return this;
        }

        public Fingerprint Add(ReadOnlySpan<ulong> words)
        {
            foreach (ulong w in words) Add(w);
            return this;
        }

        private void Add(ulong word)
        {
            for (int b = 0; b < 8; b++)
            {
                _hash ^= (word >> (8 * b)) & 0xFF;
                _hash *= 1099511628211UL;
            }
        }

        public override string ToString() => _hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>Squared error of the readout membrane against 1 for the label's neuron and 0 elsewhere, every step.</summary>
    private sealed class SquaredError : IObjective
    {
        public float Loss(SimulationResult forward, ReadOnlySpan<int> labels, BackwardUpstream upstream)
        {
            StateRecording u = forward.States("Out", "U");
            var gradient = new float[u.Values.Length];
            float scale = 1f / (u.Batch * u.Steps), loss = 0f;
            for (int b = 0; b < u.Batch; b++)
                for (int t = 0; t < u.Steps; t++)
                    for (int i = 0; i < u.Neurons; i++)
                    {
                        float error = u[b, t, i] - (i == labels[b] ? 1f : 0f);
                        loss += error * error * scale;
                        gradient[(b * u.Steps + t) * u.Neurons + i] = 2f * error * scale;
                    }
            upstream.WithState("Out", "U", gradient);
            return loss;
        }

        public void Predict(SimulationResult forward, Span<int> predictions)
        {
            StateRecording u = forward.States("Out", "U");
            for (int b = 0; b < u.Batch; b++)
            {
                var sums = new float[u.Neurons];
                for (int t = 0; t < u.Steps; t++)
                    for (int i = 0; i < u.Neurons; i++) sums[i] += u[b, t, i];
                predictions[b] = Array.IndexOf(sums, sums.Max());
            }
        }
    }

    private static Dataset Data(int samples, int seed)
    {
        var random = new Random(seed);
        var labels = new int[samples];
        var raster = new SpikeRaster(samples, 25, 40);
        for (int b = 0; b < samples; b++)
        {
            labels[b] = random.Next(5);
            for (int t = 0; t < 25; t++)
                for (int c = 0; c < 40; c++)
                    if (random.NextDouble() < (c / 8 == labels[b] ? 0.25 : 0.05)) raster[b, t, c] = true;
        }
        return new Dataset(raster, labels, 5);
    }

    /// <summary>One forward and backward pass of a batch, then two epochs of training; the fingerprint of each.</summary>
    private static (string Forward, string Gradients, string Weights) Run(int threads, int seed = 1, Action<string>? log = null)
    {
        var network = new WideRecurrentNet();
        network.InitializeWeights(seed, scale: 2.5f);
        Dataset data = Data(48, seed + 1);

        SimulationResult forward = network.Simulate([data.Inputs], new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = threads });
        var forwardPrint = new Fingerprint();
        foreach (string population in new[] { "Hidden", "Second" }) forwardPrint.Add(forward.Spikes(population).Bits);
        foreach (StateRecording trace in forward.RecordedStates.OrderBy(r => r.Population + "." + r.State, StringComparer.Ordinal)) forwardPrint.Add(trace.Values);

        var upstream = new BackwardUpstream();
        new SquaredError().Loss(forward, data.Labels, upstream);
        NetworkGradients gradients = network.Backward([data.Inputs], forward, upstream, new BackwardOptions { MaxDegreeOfParallelism = threads });
        var gradientPrint = new Fingerprint();
        foreach ((string name, float[] _, float[] g) in gradients.Tensors())
        {
            gradientPrint.Add(g);
            log?.Invoke($"  gradient {name}: {new Fingerprint().Add(g)}");
        }

        var trainer = new Trainer(network, new SquaredError(), t => new Adam(t, 2e-3f),
            new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = seed, MaxDegreeOfParallelism = threads });
        trainer.Fit(data);
        var weightPrint = new Fingerprint();
        foreach ((string _, float[] value, float[] _) in gradients.Tensors()) weightPrint.Add(value);
        return (forwardPrint.ToString(), gradientPrint.ToString(), weightPrint.ToString());
    }

    [Fact]
    public void Spikes_gradients_and_weights_are_the_same_on_1_2_and_8_threads_and_in_every_run()
    {
        var one = Run(threads: 1);
        Assert.Equal(one, Run(threads: 2));
        Assert.Equal(one, Run(threads: 8));
        Assert.Equal(one, Run(threads: 2));   // again: no state left over from the previous runs
        Assert.NotEqual(one, Run(threads: 1, seed: 2));   // the fingerprint does see the data
    }

    /// <summary>
    /// A batch of one sample is one chunk; its kernels share their work with the idle workers instead (Wᵀ·∂L/∂x by
    /// panels, the packing of Wᵀ, the rows of ∂L/∂W). The gradients are the same bits on 1 thread, on every core, and
    /// in calls on three threads at once (which contend for the one worker team).
    /// </summary>
    [Fact]
    public async Task A_batch_of_one_gives_the_same_gradients_on_one_thread_all_cores_and_concurrently()
    {
        var network = new LargeRecurrentNet();
        network.InitializeWeights(seed: 4, scale: 2.5f);
        SpikeRaster[][] inputs = [.. Enumerable.Range(1, 3).Select(seed => new[] { SpikeRaster.Bernoulli(1, 40, 300, p: 0.05, seed) })];
        string Gradients(SpikeRaster[] input, int threads)
        {
            SimulationResult forward = network.Simulate(input, new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = threads });
            var upstream = new BackwardUpstream();
            float[] g = new float[40 * 4];
            for (int k = 0; k < g.Length; k++) g[k] = MathF.Sin(k);
            upstream = upstream.WithState("Out", "U", g);
            var print = new Fingerprint();
            foreach ((string _, float[] _, float[] gradient) in network.Backward(input, forward, upstream, new BackwardOptions { MaxDegreeOfParallelism = threads }).Tensors())
                print.Add(gradient);
            return print.ToString();
        }

        string[] alone = [.. inputs.Select(input => Gradients(input, threads: 1))];
        WeightGradientTests.WakeTheWorkers();
        Assert.Equal(alone, inputs.Select(input => Gradients(input, threads: 0)));
        for (int round = 0; round < 3; round++)
            Assert.Equal(alone, await Task.WhenAll(inputs.Select(input => Task.Factory.StartNew(() => Gradients(input, threads: 0), TaskCreationOptions.LongRunning))));
    }

    /// <summary>
    /// A network with a weight matrix above <see cref="BatchParallel.OneChunkWeights"/> runs its batch as one chunk that
    /// writes the result itself: no per-chunk copy of the weights is made (a batch of three in chunks would make three
    /// of 33.6 MB), the gradients are the same bits on one thread and on every core, and they are the sums of the
    /// samples' own gradients (up to the order of the float sums).
    /// </summary>
    [Fact]
    public void A_network_with_a_weight_matrix_above_the_cache_runs_its_batch_as_one_chunk()
    {
        const int batch = 3, steps = 6;
        var network = new WideInputNet();
        network.InitializeWeights(seed: 2, scale: 3f);
        SpikeRaster input = SpikeRaster.Bernoulli(batch, steps, 2049, p: 0.05, seed: 7);
        float[] g = new float[batch * steps * 2];
        for (int k = 0; k < g.Length; k++) g[k] = MathF.Sin(k + 1);
        NetworkGradients Backward(SpikeRaster spikes, float[] upstream, int threads, NetworkGradients into)
        {
            SimulationResult forward = network.Simulate([spikes], new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = threads });
            return network.Backward([spikes], forward, new BackwardUpstream().WithState("Out", "U", upstream), new BackwardOptions { MaxDegreeOfParallelism = threads }, into);
        }

        var gradients = new NetworkGradients(network);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Backward(input, g, threads: 1, gradients);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 8 << 20, $"The first backward pass allocated {allocated:N0} bytes.");
        float[] alone = [.. gradients.Weights[0]];
        Assert.Contains(alone, x => x != 0f);

        WeightGradientTests.WakeTheWorkers();
        Assert.Equal(alone, Backward(input, g, threads: 0, new NetworkGradients(network)).Weights[0]);

        var summed = new float[alone.Length];
        var one = new NetworkGradients(network);
        for (int s = 0; s < batch; s++)
        {
            var sample = new SpikeRaster(1, steps, 2049);
            for (int t = 0; t < steps; t++) input.Row(s, t).CopyTo(sample.Row(0, t));
            Backward(sample, g[(s * steps * 2)..((s + 1) * steps * 2)], threads: 0, one);
            for (int k = 0; k < summed.Length; k++) summed[k] += one.Weights[0][k];
        }
        float scale = summed.Max(MathF.Abs), difference = summed.Zip(alone, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(difference <= 1e-5f * scale, $"max |Δ| = {difference} for max |∂L/∂W| = {scale}");
    }

    [Fact]
    public void Fingerprints_match_the_ones_recorded_for_this_simd_width()
    {
        var (forward, gradients, weights) = Run(threads: 0, log: output.WriteLine);
        string actual = $"{forward} {gradients} {weights}";
        output.WriteLine($"{SpikeOps.ActiveSimdWidth}: {actual}");
        Assert.Equal(Recorded[SpikeOps.ActiveSimdWidth], actual);
    }

    [Fact]
    public async Task Networks_trained_concurrently_on_different_threads_match_their_sequential_results()
    {
        // Several networks (two types, different seeds) at once, each itself using 2 worker threads.
        (string, string, string)[] sequential = Enumerable.Range(1, 4).Select(seed => Run(threads: 2, seed)).ToArray();
        string[] sequentialOther = Enumerable.Range(1, 2).Select(seed => TrainOther(seed)).ToArray();
        for (int round = 0; round < 2; round++)
        {
            Task<(string, string, string)>[] wide = Enumerable.Range(1, 4).Select(seed => Task.Factory.StartNew(() => Run(threads: 2, seed), TaskCreationOptions.LongRunning)).ToArray();
            Task<string>[] other = Enumerable.Range(1, 2).Select(seed => Task.Factory.StartNew(() => TrainOther(seed), TaskCreationOptions.LongRunning)).ToArray();
            Assert.Equal(sequential, await Task.WhenAll(wide));
            Assert.Equal(sequentialOther, await Task.WhenAll(other));
        }
    }

    /// <summary>The Yin-Yang classifier of the trainer tests (cross-entropy, recurrent), trained for an epoch.</summary>
    private static string TrainOther(int seed)
    {
        var network = new Training.TinyYinYang();
        network.InitializeWeights(seed, scale: 2f);
        var trainer = new Trainer(network, new ReadoutCrossEntropy("Readout"), t => new Adam(t, 3e-3f),
            new TrainerOptions { Epochs = 1, BatchSize = 32, Seed = seed, MaxDegreeOfParallelism = 2 });
        trainer.Fit(YinYang.Generate(200, seed: 42).ToSpikes());
        var print = new Fingerprint();
        foreach (Connection c in network.Connections) print.Add(c.Weights);
        return print.ToString();
    }
}
