using CsCheck;
using SnnDsl.Data;
using SnnDsl.Encoding;
using SnnDsl.Training;

namespace SnnDsl.Tests.Reliability;

/// <summary>
/// Issue 12, item 3: bad input gets a specific error from our own checks — never an exception from inside a kernel or
/// a library. Property-based over random event streams and shapes.
/// </summary>
public class InputContractTests
{
    private static readonly Gen<(double[] Times, int[] Channels)> Events =
        Gen.Int[0, 30].SelectMany(n => Gen.Select(
            Gen.Frequency((8, Gen.Double[-0.01, 0.05]), (1, Gen.Double.Special), (1, Gen.Double[-1e300, 1e300])).Array[n],
            Gen.Frequency((9, Gen.Int[0, 19]), (1, Gen.Int[-3, 25])).Array[n],
            (times, channels) => (times, channels)));

    [Fact]
    public void Event_streams_with_any_times_and_channels_are_accepted_or_rejected_by_name()
    {
        Events.Sample((times, channels) =>
        {
            EventStream stream;
            try
            {
                stream = new EventStream(times, channels, 20);
            }
            catch (ArgumentException e)
            {
                int k = Enumerable.Range(0, times.Length).First(k => (uint)channels[k] >= 20u || !double.IsFinite(times[k]));
                Assert.StartsWith($"Event {k} has ", e.Message);
                return;
            }
            Assert.All(times, t => Assert.True(double.IsFinite(t)));
            Assert.All(channels, c => Assert.InRange(c, 0, 19));
        }, iter: 2000, threads: 1, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Binning_puts_each_event_in_its_bin_whatever_the_order_and_names_events_outside_the_window()
    {
        Gen<(double[], int[], double, int, double)> cases = Gen.Select(
            Events.Where(e => e.Times.All(double.IsFinite) && e.Channels.All(c => c is >= 0 and < 20)),
            Gen.Double[1e-4, 0.01], Gen.Int[1, 40], Gen.Double[-0.005, 0.005],
            (e, dt, steps, start) => (e.Times, e.Channels, dt, steps, start));
        cases.Sample((times, channels, dt, steps, start) =>
        {
            var stream = new EventStream(times, channels, 20);
            SpikeRaster raster;
            try
            {
                raster = EventBinning.ToRaster([stream], dt, steps, start);
            }
            catch (ArgumentException e)
            {
                // Named: the first event before the start or at/after the end.
                int k = Enumerable.Range(0, times.Length).First(k => times[k] < start || times[k] >= start + steps * dt);
                Assert.StartsWith($"Sample 0, event {k} at ", e.Message);
                return;
            }
            // Every event lies in its bin start + kΔt ≤ t < start + (k + 1)Δt (up to the rounding of the edges), and
            // every spike has an event.
            var expected = new HashSet<(int, int)>();
            for (int k = 0; k < times.Length; k++)
            {
                int bin = (int)EventBinning.Bin(times[k], start, dt);
                Assert.True(start + bin * dt <= times[k] && times[k] < start + (bin + 1) * dt, $"event {k} at {times[k]} in bin {bin}");
                expected.Add((bin, channels[k]));
            }
            var actual = new HashSet<(int, int)>();
            for (int t = 0; t < steps; t++)
                for (int c = 0; c < 20; c++)
                    if (raster[0, t, c]) actual.Add((t, c));
            Assert.Equal(expected, actual);
            // Order is free: the reversed stream bins the same.
            SpikeRaster reversed = EventBinning.ToRaster([new EventStream(times.Reverse().ToArray(), channels.Reverse().ToArray(), 20)], dt, steps, start);
            Assert.Equal(raster.Bits, reversed.Bits);
        }, iter: 1000, threads: 1, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Inputs_of_any_shape_run_or_name_the_input_layer()
    {
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 1);
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 6], Gen.Int[1, 12]).Sample((batch, steps, neurons) =>
        {
            var input = SpikeRaster.Bernoulli(batch, steps, neurons, 0.3, seed: batch * 100 + steps);
            if (neurons == 6)
            {
                Assert.Equal(batch, network.Simulate([input]).Spikes("Hidden").Batch);
                return;
            }
            var error = Assert.Throws<ArgumentException>(() => network.Simulate([input]));
            Assert.StartsWith($"Input 'In' of network 'SmallClassifier' has 6 channels but its raster has {neurons}.", error.Message);
        }, iter: 200, threads: 1, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Labels_of_any_count_and_value_are_accepted_or_named()
    {
        Gen.Select(Gen.Int[1, 5], Gen.Int[-2, 4].Array[0, 7]).Sample((samples, labels) =>
        {
            var inputs = new SpikeRaster(samples, 3, 4);
            if (labels.Length != samples)
            {
                Assert.StartsWith($"{labels.Length} labels for a raster of {samples} samples.", Assert.Throws<ArgumentException>(() => new Dataset(inputs, labels, 3)).Message);
                return;
            }
            int bad = Array.FindIndex(labels, l => l is < 0 or >= 3);
            if (bad < 0) Assert.Equal(samples, new Dataset(inputs, labels, 3).Count);
            else Assert.StartsWith($"Label {labels[bad]} of sample {bad} is outside [0, 3).", Assert.Throws<ArgumentException>(() => new Dataset(inputs, labels, 3)).Message);
        }, iter: 500, threads: 1, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Sparse_patterns_with_any_indices_and_delays_are_accepted_or_name_the_connection_and_synapse()
    {
        var network = new Kernels.SynapseNet();   // ExcToInh: 30 → 13, delays 0…3
        Gen.Int[0, 6].SelectMany(n => Gen.Select(Gen.Int[-1, 31].Array[n], Gen.Int[-1, 14].Array[n], Gen.Int[-1, 4].Array[n]))
            .Sample((pre, post, delays) =>
            {
                try
                {
                    network.ExcToInh.Connect(pre, post, delays);
                }
                catch (ArgumentException e)
                {
                    Assert.StartsWith("Connection 'ExcToInh'", e.Message);
                    return;
                }
                Assert.Equal(pre.Length, network.ExcToInh.Weights.Length);
                Assert.True(pre.Zip(post).Distinct().Count() == pre.Length);
            }, iter: 500, threads: 1, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Empty_batches_data_sets_and_options_are_named()
    {
        Assert.Equal("A spike raster [batch 0, steps 100, neurons 700] needs at least one sample: a batch or data set cannot be empty. (Parameter 'batch')\nActual value was 0.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new SpikeRaster(0, 100, 700)).Message.ReplaceLineEndings("\n"));
        Assert.StartsWith("A spike raster [batch 2, steps 0, neurons 7] needs at least one time step.", Assert.Throws<ArgumentOutOfRangeException>(() => new SpikeRaster(2, 0, 7)).Message);
        Dataset data = NumericalFaultTests.TwoClasses(4, 5, seed: 1);
        Assert.StartsWith("A selection needs at least one index.", Assert.Throws<ArgumentException>(() => data.Select([])).Message);
        Assert.StartsWith("There is no sample to bin.", Assert.Throws<ArgumentException>(() => EventBinning.ToRaster([], 1e-3, 10)).Message);
        var network = new SmallClassifier();
        Assert.StartsWith("TrainerOptions.BatchSize is 0; it must be at least 1.", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Trainer(network, new ReadoutCrossEntropy("Out"), t => new Adam(t, 1e-3f), new TrainerOptions { BatchSize = 0 })).Message);
        Assert.StartsWith("TrainerOptions.Epochs is -1; it must be at least 1.", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Trainer(network, new ReadoutCrossEntropy("Out"), t => new Adam(t, 1e-3f), new TrainerOptions { Epochs = -1 })).Message);
    }

    [Fact]
    public void Gradients_of_differently_shaped_networks_are_not_added_silently()
    {
        var single = new SmallClassifier();
        var mismatched = new NetworkGradients(new Kernels.FeedForwardNet());
        var gradients = new NetworkGradients(single);
        Assert.StartsWith("These gradients hold 7 arrays but the gradients added hold 6;", Assert.Throws<ArgumentException>(() => gradients.Add(mismatched)).Message);
        var reshaped = new Kernels.SynapseNet();
        var before = new NetworkGradients(reshaped);
        reshaped.ExcToInh.ConnectRandom(0.7, seed: 3);
        Assert.StartsWith("The gradient of 'ExcToInh' has ", Assert.Throws<ArgumentException>(() => new NetworkGradients(reshaped).Add(before)).Message);
    }

    [Fact]
    public void Training_after_a_sparse_pattern_changed_names_the_connection()
    {
        var network = new SparseClassifier();
        network.InitializeWeights(seed: 1);
        var trainer = new Trainer(network, new ReadoutCrossEntropy("Out"), t => new Adam(t, 1e-3f), new TrainerOptions { Epochs = 1, BatchSize = 4 });
        int before = network.Hidden.Weights.Length;
        network.Hidden.ConnectRandom(0.9, seed: 4);
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(NumericalFaultTests.TwoClasses(8, 10, seed: 2)));
        Assert.Equal($"'Hidden' has a new array of {network.Hidden.Weights.Length} values, but the trainer was created with {before} (a sparse connection's Connect replaces its weight array); create the Trainer after setting the connection's pattern.", error.Message);
    }
}

/// <summary>A classifier with a sparse input connection (named Hidden, to read well in messages).</summary>
[Network]
public partial class SparseClassifier
{
    [Input(6)] public partial SpikeInput In { get; }
    [Population(12)] public partial Population<SnnDsl.Neurons.CubaLif> Cells { get; }
    [Population(2)] public partial Population<SnnDsl.Neurons.LeakyReadout> Out { get; }
    [Sparse(nameof(In), nameof(Cells), Probability = 0.5, Seed = 2)] public partial SparseSynapses Hidden { get; }
    [Dense(nameof(Cells), nameof(Out))] public partial DenseSynapses CellsToOut { get; }
}
