namespace SnnDsl.Tests.Kernels;

/// <summary>
/// The chunk-wise weight gradient of a dense delta connection, ∂L/∂W[j, :] = Σ_{s, t : S_pre[s, t − d, j] = 1}
/// ∂L/∂x[t, s, :], which <see cref="SpikeOps.SumOuterOverTime"/> sets whole over whatever the gradient held, against
/// that sum written out in the kernel's order of (t, s), bit for bit, rows of neurons that never fired included, for
/// every delay from one grouping of the spikes (<see cref="SpikeEvents"/>, reused after a larger chunk); and with its
/// rows shared by the worker team against itself alone.
/// </summary>
[Trait("Category", "Kernels")]
public class WeightGradientTests
{
    [Theory]
    [InlineData(37, 20, 3, 4, 9)]     // a 20-wide row (16 + 4), a chunk of three in a capacity of four
    [InlineData(70, 256, 8, 8, 12)]   // the SHD network's hidden width
    [InlineData(5, 7, 2, 2, 30)]      // rows shorter than a vector
    [InlineData(30, 96, 2, 2, 7)]     // rows of six vectors
    public void Setting_equals_the_sum_in_order(int pre, int post, int count, int capacity, int steps)
    {
        // Rows of whole cache lines start anywhere in a line: at Vector512 the sums begin at the rows' first line
        // boundary and add the columns before it and after the last one apart, so every offset must give the same bits.
        for (int offset = 0; offset < (post % 16 == 0 ? 16 : 1); offset++) SetWholeAt(offset, pre, post, count, capacity, steps);
    }

    private static void SetWholeAt(int offset, int pre, int post, int count, int capacity, int steps)
    {
        var random = new Random(pre * 7 + post);
        int first = 1;   // the chunk does not start at the first sample
        var spikes = new SpikeRaster(first + count, steps, pre);
        for (int s = 0; s < first + count; s++)
            for (int t = 0; t < steps; t++)
                for (int j = 0; j < pre; j++)
                    if (j % 5 != 3 && random.NextDouble() < 0.1) spikes[s, t, j] = true;   // neurons 3, 8, … never fire
        float[] storage = new float[offset + steps * capacity * post];
        Span<float> adjoints = storage.AsSpan(offset);
        for (int k = 0; k < adjoints.Length; k++) adjoints[k] = (float)(random.NextDouble() * 2 - 1);

        // The events first hold a larger chunk of a wider raster, whose rows and counts must not leak into the next.
        var events = new SpikeEvents();
        events.Group(SpikeRaster.Bernoulli(capacity + 2, steps + 3, pre + 40, 0.3, seed: pre), 0, capacity + 2, capacity + 2);
        events.Group(spikes, first, count, capacity);

        foreach (int delay in new[] { 0, 1, 2, steps - 1, steps })
        {
            var expected = new float[pre * post];
            for (int j = 0; j < pre; j++)
                for (int i = 0; i < post; i++)
                {
                    float sum = 0f;
                    for (int t = delay; t < steps; t++)
                        for (int s = 0; s < count; s++)
                            if (spikes[first + s, t - delay, j]) sum += adjoints[(t * capacity + s) * post + i];
                    expected[j * post + i] = sum;
                }

            float[] set = Garbage(random, pre * post);
            SpikeOps.SumOuterOverTime(set, events, delay, adjoints);

            for (int k = 0; k < expected.Length; k++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(set[k]),
                    $"offset {offset}, delay {delay}, row {k / post}, column {k % post}: {set[k]:R}, the sum gives {expected[k]:R} ({SpikeOps.ActiveSimdWidth})");
            }
        }
    }

    /// <summary>
    /// Inside a loop of one sample (a batch of one is one chunk) the rows are shared by the worker team in blocks of 16;
    /// each row is still summed by one thread in the same order. Five calls, right after the workers ran a loop.
    /// </summary>
    [Theory]
    [InlineData(700, 256, 100, 0, 0.03)]    // the SHD network's input connection for one sample: 44 blocks
    [InlineData(1000, 300, 60, 1, 0.05)]    // a delayed connection; a last block of 8 rows
    public void Rows_shared_by_the_team_give_the_same_bits(int pre, int post, int steps, int delay, double p)
    {
        SpikeRaster spikes = SpikeRaster.Bernoulli(1, steps, pre, p, seed: pre + post);
        float[] adjoints = Garbage(new Random(post), steps * post);
        float[][] alone = [.. Enumerable.Range(0, 5).Select(k => Garbage(new Random(k), pre * post))];
        float[][] shared = [.. alone.Select(a => (float[])a.Clone())];

        var events = new SpikeEvents();
        events.Group(spikes, 0, 1, 1);
        foreach (float[] gradient in alone) SpikeOps.SumOuterOverTime(gradient, events, delay, adjoints);
        WakeTheWorkers();
        BatchParallel.For(1, 0, static () => 0, (_, _) =>
        {
            foreach (float[] gradient in shared) SpikeOps.SumOuterOverTime(gradient, events, delay, adjoints);
        });

        for (int k = 0; k < shared.Length; k++)
            for (int e = 0; e < pre * post; e++)
                Assert.True(BitConverter.SingleToInt32Bits(alone[k][e]) == BitConverter.SingleToInt32Bits(shared[k][e]),
                    $"call {k}, row {e / post}, column {e % post}: shared {shared[k][e]:R}, alone {alone[k][e]:R} ({SpikeOps.ActiveSimdWidth})");
    }

    /// <summary>
    /// Has every worker run a loop just now, so that it spins for the next one instead of sleeping: a call shorter than
    /// a sleeping worker takes to wake up would otherwise run all its indices on the calling thread.
    /// </summary>
    internal static void WakeTheWorkers() =>
        BatchParallel.For(Environment.ProcessorCount, 0, static () => 0, static (_, _) => Thread.Sleep(5));

    [Fact]
    public void Without_spikes_setting_clears()
    {
        var random = new Random(5);
        var spikes = new SpikeRaster(2, 6, 40);
        float[] adjoints = Garbage(random, 6 * 2 * 24);
        float[] set = Garbage(random, 40 * 24);

        var events = new SpikeEvents();
        events.Group(spikes, 0, 2, 2);
        SpikeOps.SumOuterOverTime(set, events, 0, adjoints);

        Assert.All(set, value => Assert.Equal(0f, value));
    }

    [Fact]
    public void Grouping_and_summing_name_what_does_not_fit()
    {
        var spikes = new SpikeRaster(3, 6, 40);
        var events = new SpikeEvents();
        Assert.Contains("Samples [2, 4) of a raster of 3", Assert.Throws<ArgumentOutOfRangeException>(() => events.Group(spikes, 2, 2, 2)).Message);
        Assert.Contains("3 samples in a chunk of capacity 2", Assert.Throws<ArgumentOutOfRangeException>(() => events.Group(spikes, 0, 3, 2)).Message);

        events.Group(spikes, 0, 2, 2);
        Assert.Contains("∂L/∂x 100 for 6 steps × 2 samples × 24", Assert.Throws<ArgumentException>(() => SpikeOps.SumOuterOverTime(new float[40 * 24], events, 0, new float[100])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpikeOps.SumOuterOverTime(new float[40 * 24], events, -1, new float[6 * 2 * 24]));
    }

    [Fact]
    public void Clearing_all_but_some_weights_keeps_exactly_those()
    {
        var network = new HelperNet();   // three connections, one through a synapse with trainable parameters
        var gradients = new NetworkGradients(network);
        foreach ((_, _, float[] gradient) in gradients.Tensors()) Array.Fill(gradient, 2f);

        gradients.Clear(exceptWeights: [1]);

        for (int c = 0; c < gradients.Weights.Length; c++)
            Assert.All(gradients.Weights[c], value => Assert.Equal(c == 1 ? 2f : 0f, value));
        Assert.All(gradients.Biases.Concat(gradients.Parameters).SelectMany(g => g), value => Assert.Equal(0f, value));
    }

    private static float[] Garbage(Random random, int count)
    {
        var values = new float[count];
        for (int k = 0; k < count; k++) values[k] = (float)(random.NextDouble() * 200 - 100);
        return values;
    }
}
