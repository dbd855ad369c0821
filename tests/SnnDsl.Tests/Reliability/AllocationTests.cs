using SnnDsl.Data;
using SnnDsl.Tests.Kernels;
using SnnDsl.Tests.Training;
using SnnDsl.Training;
using Xunit.Abstractions;

namespace SnnDsl.Tests.Reliability;

/// <summary>
/// A training step (forward pass with every state recorded, backward pass into given gradients) allocates nothing once
/// its buffers exist: the generated methods run in frames kept by the network, the loops of BatchParallel wrap their
/// bodies in kept objects, and the forward pass returns <see cref="SimulationOptions.Reuse"/> itself. Frames are one
/// per concurrent call and serve calls of any shape.
/// </summary>
public class AllocationTests(ITestOutputHelper output)
{
    public static TheoryData<string> Networks => [nameof(RecurrentNet), nameof(SynapseNet)];

    private static ISpikingNetwork Create(string name)
    {
        ISpikingNetwork network = name == nameof(RecurrentNet) ? new RecurrentNet() : new SynapseNet();
        network.InitializeWeights(seed: 3, scale: 2.5f);
        return network;
    }

    private static SpikeRaster[] Inputs(ISpikingNetwork network, int batch, int seed) =>
        [.. network.Inputs.Select((input, k) => SpikeRaster.Bernoulli(batch, steps: 25, input.Size, p: 0.15, seed: seed * 10 + k))];

    /// <summary>∂L/∂S of every spiking population, fixed random values.</summary>
    private static BackwardUpstream Upstream(ISpikingNetwork network, int batch)
    {
        var random = new Random(7);
        var upstream = new BackwardUpstream();
        foreach (Population population in network.Populations.Where(p => p.Neuron.IsSpiking))
            upstream = upstream.WithSpikes(population.Name, [.. Enumerable.Range(0, batch * 25 * population.Size).Select(_ => (float)random.NextDouble() - 0.5f)]);
        return upstream;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_training_step_allocates_nothing_once_its_buffers_exist(string name)
    {
        ISpikingNetwork network = Create(name);
        SpikeRaster[] inputs = Inputs(network, batch: 6, seed: 1);
        BackwardUpstream upstream = Upstream(network, batch: 6);
        var gradients = new NetworkGradients(network);
        var backwardOptions = new BackwardOptions { MaxDegreeOfParallelism = 1 };
        SimulationResult first = network.Simulate(inputs, new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = 1 });
        var options = new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = 1, Reuse = first };
        // One thread: every loop runs on this one, so its count of allocated bytes is the step's.
        for (int warmUp = 0; warmUp < 3; warmUp++) network.Backward(inputs, network.Simulate(inputs, options), upstream, backwardOptions, gradients);

        long before = GC.GetAllocatedBytesForCurrentThread();
        SimulationResult forward = network.Simulate(inputs, options);
        network.Backward(inputs, forward, upstream, backwardOptions, gradients);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(first, forward);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_result_that_does_not_hold_the_pass_s_buffers_is_not_reused(string name)
    {
        ISpikingNetwork network = Create(name);
        SpikeRaster[] inputs = Inputs(network, batch: 4, seed: 2);
        SimulationResult spikesOnly = network.Simulate(inputs);
        // Every state recorded: more recordings than the reused result holds.
        SimulationResult all = network.Simulate(inputs, new SimulationOptions { RecordAllStates = true, Reuse = spikesOnly });
        Assert.NotSame(spikesOnly, all);
        Assert.True(all.RecordedStates.Count() > spikesOnly.RecordedStates.Count());
        // Another batch size: new rasters of the new shape.
        SimulationResult smaller = network.Simulate(Inputs(network, batch: 3, seed: 2), new SimulationOptions { RecordAllStates = true, Reuse = all });
        Assert.NotSame(all, smaller);
        Assert.Equal(3, smaller.Spikes(network.Populations[0].Name).Batch);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Calls_of_different_shapes_on_one_network_give_what_a_new_network_gives(string name)
    {
        ISpikingNetwork network = Create(name);
        foreach ((int batch, int seed) in new[] { (6, 1), (3, 2), (9, 3), (6, 4) })
        {
            SpikeRaster[] inputs = Inputs(network, batch, seed);
            float[][] reused = Gradients(network, inputs);
            float[][] fresh = Gradients(Create(name), inputs);
            Assert.Equal(fresh.Length, reused.Length);
            for (int k = 0; k < fresh.Length; k++) Assert.Equal(fresh[k], reused[k]);
        }
    }

    /// <summary>
    /// A batch of one sample is one chunk, which writes into the gradients given (no per-chunk copy and sum): every
    /// array is set whole, to the values of the same sample in a batch of two whose other sample's loss is zero.
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void A_batch_of_one_sets_every_gradient_given_to_what_a_summed_batch_gives(string name)
    {
        ISpikingNetwork network = Create(name);
        SpikeRaster[] pair = Inputs(network, batch: 2, seed: 5);
        SpikeRaster[] first = [.. pair.Select(FirstSample)];
        var upstream = new BackwardUpstream();
        var pairUpstream = new BackwardUpstream();
        foreach ((Population population, int k) in network.Populations.Where(p => p.Neuron.IsSpiking).Select((p, k) => (p, k)))
        {
            var random = new Random(11 + k);
            float[] one = [.. Enumerable.Range(0, 25 * population.Size).Select(_ => (float)random.NextDouble() - 0.5f)];
            upstream = upstream.WithSpikes(population.Name, one);
            pairUpstream = pairUpstream.WithSpikes(population.Name, [.. one, .. new float[one.Length]]);
        }
        var options = new SimulationOptions { RecordAllStates = true };
        NetworkGradients summed = network.Backward(pair, network.Simulate(pair, options), pairUpstream);
        var given = new NetworkGradients(network);
        foreach ((_, _, float[] gradient) in given.Tensors()) Array.Fill(gradient, float.NaN);   // what a previous step left

        NetworkGradients alone = network.Backward(first, network.Simulate(first, options), upstream, into: given);

        Assert.Same(given, alone);
        foreach (((string tensor, _, float[] expected), (_, _, float[] actual)) in summed.Tensors().Zip(alone.Tensors()))
            for (int i = 0; i < expected.Length; i++)
                Assert.True(expected[i] == actual[i], $"{tensor}[{i}]: {actual[i]:R} alone, {expected[i]:R} in the batch of two");
    }

    private static SpikeRaster FirstSample(SpikeRaster batch)
    {
        var one = new SpikeRaster(1, batch.Steps, batch.Neurons);
        for (int t = 0; t < batch.Steps; t++) batch.Row(0, t).CopyTo(one.Row(0, t));
        return one;
    }

    [Fact]
    public void A_batch_of_one_into_another_network_s_gradients_is_refused_by_name()
    {
        var network = new RecurrentNet();
        network.InitializeWeights(seed: 3, scale: 2.5f);
        SpikeRaster[] inputs = Inputs(network, batch: 1, seed: 1);
        SimulationResult forward = network.Simulate(inputs, new SimulationOptions { RecordAllStates = true });
        var mismatched = new NetworkGradients(new SynapseNet());

        var refused = Assert.Throws<ArgumentException>(() => network.Backward(inputs, forward, Upstream(network, 1), into: mismatched));

        Assert.Equal("into", refused.ParamName);
        Assert.Contains("this network's gradients", refused.Message);

        // Gradients made for another object of the same network type have its shape: accepted, with the same values.
        NetworkGradients own = network.Backward(inputs, forward, Upstream(network, 1));
        NetworkGradients twin = network.Backward(inputs, forward, Upstream(network, 1), into: new NetworkGradients(new RecurrentNet()));
        Assert.Equal(own.Weights, twin.Weights);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Concurrent_calls_on_one_network_each_give_their_own_result(string name)
    {
        ISpikingNetwork network = Create(name);
        SpikeRaster[][] inputs = [.. Enumerable.Range(1, 4).Select(seed => Inputs(network, batch: 5, seed))];
        float[][][] alone = [.. inputs.Select(i => Gradients(network, i))];
        for (int round = 0; round < 5; round++)
        {
            float[][][] together = new float[inputs.Length][][];
            Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = inputs.Length }, k => together[k] = Gradients(network, inputs[k]));
            for (int k = 0; k < inputs.Length; k++)
                for (int a = 0; a < alone[k].Length; a++) Assert.Equal(alone[k][a], together[k][a]);
        }
    }

    [Fact]
    public void An_upstream_reuses_the_gradients_it_made_and_never_an_array_it_was_given()
    {
        var upstream = new BackwardUpstream();
        float[] made = upstream.ZeroedState("Out", "U", 12);
        made[3] = 1f;
        upstream.Clear();
        Assert.Null(upstream.State(RecurrentNet.Descriptor, "Out", "U", batch: 1, steps: 12 / RecurrentNet.Descriptor.Layer("Out").Size));
        float[] again = upstream.ZeroedState("Out", "U", 12);
        Assert.Same(made, again);
        Assert.All(again, v => Assert.Equal(0f, v));
        // Another length: a new array.
        Assert.NotSame(again, upstream.ZeroedState("Out", "U", 24));

        float[] given = [1f, 2f, 3f];
        upstream.WithSpikes("First", given);
        float[] zeroed = upstream.ZeroedSpikes("First", 3);
        Assert.NotSame(given, zeroed);
        Assert.Equal([1f, 2f, 3f], given);
    }

    [Fact]
    public void A_trainer_s_batch_reuses_the_previous_batch_s_buffers()
    {
        var network = new TinyYinYang();
        network.InitializeWeights(seed: 7, scale: 2f);
        var objective = new ReadoutCrossEntropy(nameof(TinyYinYang.Readout)).WithRegularizer(nameof(TinyYinYang.Hidden), new SpikeCountL1(1e-5f));
        var trainer = new Trainer(network, objective, t => new Adam(t, 3e-3f),
            new TrainerOptions { Epochs = 2, BatchSize = 32, Seed = 3, MaxDegreeOfParallelism = 1, MaxGradientNorm = 5f });
        Dataset train = YinYang.Generate(320, seed: 42).ToSpikes();
        var progress = new AllocationPerBatch();
        trainer.Fit(train, progress: progress);
        // Per batch, the spikes of the batch (7.5 KB), the readout's and the regularizer's gradients (11 and 150 KB) and
        // the forward pass's recordings are overwritten. What is left: the regularizer's spike counts (5 KB) and small
        // objects (the batch's indices, options, the report).
        long[] perBatch = [.. progress.Allocated.Skip(2)];
        output.WriteLine($"bytes allocated per batch: {string.Join(", ", perBatch)}");
        Assert.All(perBatch, bytes => Assert.True(bytes < 16384, $"{bytes} B allocated in a batch"));
    }

    private sealed class AllocationPerBatch : IProgress<BatchReport>, IProgress<EpochReport>
    {
        private long _last = GC.GetAllocatedBytesForCurrentThread();

        public List<long> Allocated { get; } = [];

        public void Report(BatchReport value)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            Allocated.Add(now - _last);
            _last = GC.GetAllocatedBytesForCurrentThread();
        }

        public void Report(EpochReport value) => _last = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>The gradients of one training step, copied out.</summary>
    private static float[][] Gradients(ISpikingNetwork network, SpikeRaster[] inputs)
    {
        SimulationResult forward = network.Simulate(inputs, new SimulationOptions { RecordAllStates = true });
        NetworkGradients gradients = network.Backward(inputs, forward, Upstream(network, inputs[0].Batch));
        return [.. gradients.Tensors().Select(t => (float[])t.Gradient.Clone())];
    }
}
