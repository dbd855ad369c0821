namespace SnnDsl.Tests.Kernels;

/// <summary>
/// <see cref="SpikeOps.PropagateErrors(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/> on Wᵀ packed by
/// <see cref="SpikeOps.PackTransposed"/>, against its definition written out on W itself: ∂L/∂S_pre[s, j] +=
/// Σ_i ∂L/∂x[s, i]·W[j, i], each sum one fused multiply-add chain over i in ascending order. The kernel promises that
/// chain at every SIMD width, group of samples (four, or eight where two groups' rows mostly coincide, or one or two
/// alone, or a sparse group sample by sample) and panel of columns, so the results must be equal bit for bit —
/// including shapes with a tail group of samples, fewer columns than a panel, and a last panel narrower than the rest.
/// </summary>
[Trait("Category", "Kernels")]
public class ErrorPropagationTests
{
    public static TheoryData<int, int, int, double> Shapes => new()
    {
        { 5, 7, 3, 1.0 },         // fewer columns than one vector
        { 37, 70, 6, 0.3 },       // a tail group of two samples, panels of 64 and 6 columns
        { 256, 256, 16, 0.06 },   // the SHD network's recurrent matrix: four full panels
        { 2048, 200, 7, 0.5 },    // 2048 rows, panels of 64, the last one 8 wide
        { 1500, 333, 9, 0.1 },    // a 13-column last panel and a tail group of one sample
        { 256, 256, 8, 1.0 },     // the dense backward of a chunk of eight: one group of eight samples (8 × 2 at Vector512)
        { 300, 150, 21, 0.9 },    // groups of eight, then of four and a tail of one; a 22-column last panel
        { 90, 72, 16, 0.04 },     // sparse: groups of four whose rows differ, so none is paired
        { 256, 256, 1, 1.0 },     // one sample, every row (the chunk of a batch of up to 8; 1 × 8 at Vector256)
        { 200, 100, 2, 1.0 },     // two samples (2 × 4 at Vector256); a 36-column last panel: 32 columns, then 4
        { 300, 120, 1, 0.05 },    // one sample, listed rows; a 56-column last panel, which 1 × 8 leaves whole
        { 64, 200, 10, 0.5 },     // groups of four, four and two; an 8-column last panel
        { 300, 150, 11, 0.05 },   // sparse groups of four, four and three that run sample by sample (1 × 4 at Vector512, 1 × 8 at Vector256); a 22-column last panel
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Equals_one_fused_multiply_add_chain_per_element(int post, int pre, int samples, double density)
    {
        var random = new Random(post * 31 + pre);
        float[] weights = Draw(random, pre * post, 1.0);   // W [pre, post]
        float[] adjoints = Draw(random, samples * post, density);
        float[] accumulated = Draw(random, samples * pre, 1.0);   // the kernel adds to what is there
        float[] expected = (float[])accumulated.Clone();
        for (int s = 0; s < samples; s++)
        {
            for (int j = 0; j < pre; j++)
            {
                float sum = 0f;
                for (int i = 0; i < post; i++) sum = MathF.FusedMultiplyAdd(adjoints[s * post + i], weights[j * post + i], sum);
                expected[s * pre + j] += sum;
            }
        }

        var packed = new float[weights.Length];
        SpikeOps.PackTransposed(weights, pre, post, packed);
        SpikeOps.PropagateErrors(packed, adjoints, accumulated, samples);

        for (int k = 0; k < expected.Length; k++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(accumulated[k]),
                $"sample {k / pre}, column {k % pre}: {accumulated[k]:R}, the chain gives {expected[k]:R} ({SpikeOps.ActiveSimdWidth})");
    }

    public static TheoryData<int, int, int, double> SharedShapes => new()
    {
        { 4096, 1024, 1, 1.0 },   // one sample, every row: sixteen panels of 64 columns
        { 1024, 1000, 1, 0.05 },  // one sample, listed rows; a 40-column last panel
        { 512, 300, 6, 0.3 },     // a group of four and a tail of two (not a batch of one's chunk, but allowed)
    };

    /// <summary>
    /// Inside a loop of one sample (a batch of one is one chunk) the call shares its panels out to the worker team; each
    /// column is still one chain, computed by whichever thread took its panel. Five calls, right after the workers ran
    /// a loop (they spin, awake, for the next one).
    /// </summary>
    [Theory]
    [MemberData(nameof(SharedShapes))]
    public void Panels_shared_by_the_team_give_the_same_bits(int post, int pre, int samples, double density)
    {
        var random = new Random(post * 17 + pre);
        float[] weights = Draw(random, pre * post, 1.0);
        var packed = new float[weights.Length];
        SpikeOps.PackTransposed(weights, pre, post, packed);
        float[][] adjoints = [.. Enumerable.Range(0, 5).Select(_ => Draw(random, samples * post, density))];
        float[][] alone = [.. adjoints.Select(_ => Draw(random, samples * pre, 1.0))];
        float[][] shared = [.. alone.Select(a => (float[])a.Clone())];
        int threadsInside = 0;

        for (int k = 0; k < adjoints.Length; k++) SpikeOps.PropagateErrors(packed, adjoints[k], alone[k], samples);
        WeightGradientTests.WakeTheWorkers();
        BatchParallel.For(1, 0, static () => 0, (_, _) =>
        {
            threadsInside = BatchParallel.ThreadsWithinOneSample;
            for (int k = 0; k < adjoints.Length; k++) SpikeOps.PropagateErrors(packed, adjoints[k], shared[k], samples);
        });

        Assert.Equal(int.MaxValue, threadsInside);
        for (int k = 0; k < adjoints.Length; k++)
            for (int e = 0; e < alone[k].Length; e++)
                Assert.True(BitConverter.SingleToInt32Bits(alone[k][e]) == BitConverter.SingleToInt32Bits(shared[k][e]),
                    $"call {k}, sample {e / pre}, column {e % pre}: shared {shared[k][e]:R}, alone {alone[k][e]:R} ({SpikeOps.ActiveSimdWidth})");
    }

    [Fact]
    public void Only_a_loop_of_one_sample_offers_its_threads()
    {
        Assert.Equal(1, BatchParallel.ThreadsWithinOneSample);
        int one = 0, limited = 0, alone = 0;
        var many = new System.Collections.Concurrent.ConcurrentBag<int>();
        BatchParallel.For(1, 0, static () => 0, (_, _) => one = BatchParallel.ThreadsWithinOneSample);
        BatchParallel.For(1, 3, static () => 0, (_, _) => limited = BatchParallel.ThreadsWithinOneSample);
        BatchParallel.For(1, 1, static () => 0, (_, _) => alone = BatchParallel.ThreadsWithinOneSample);
        BatchParallel.For(4, 0, static () => 0, (_, _) => many.Add(BatchParallel.ThreadsWithinOneSample));

        Assert.Equal((int.MaxValue, 3, 1), (one, limited, alone));
        Assert.All(many, threads => Assert.Equal(1, threads));
        Assert.Equal(1, BatchParallel.ThreadsWithinOneSample);
    }

    [Fact]
    public void Rows_whose_adjoints_are_all_zero_contribute_nothing()
    {
        var random = new Random(3);
        var packed = new float[300 * 40];
        SpikeOps.PackTransposed(Draw(random, 40 * 300, 1.0), 40, 300, packed);
        float[] accumulated = Draw(random, 5 * 40, 1.0);
        float[] before = (float[])accumulated.Clone();

        SpikeOps.PropagateErrors(packed, new float[5 * 300], accumulated, 5);

        Assert.Equal(before, accumulated);
    }

    [Fact]
    public unsafe void Rented_panels_hold_the_current_weights_from_the_start_of_a_cache_line()
    {
        var random = new Random(11);
        var synapses = new DenseSynapses(new ConnectionDescriptor("Recurrent", "Hidden", "Hidden", ConnectionKind.Dense, 1, 1, "Input", null), 70, 96);
        for (int round = 0; round < 2; round++)
        {
            // The second round gets the buffer back and must pack the changed weights into it.
            Draw(random, synapses.Weights.Length, 1.0).CopyTo(synapses.Weights, 0);
            var packed = new float[synapses.Weights.Length];
            SpikeOps.PackTransposed(synapses.Weights, 70, 96, packed);

            TransposedWeights rented = synapses.RentTransposed();

            Assert.Equal(packed, rented.Panels.ToArray());
            fixed (float* first = rented.Panels) Assert.Equal(0u, (nuint)first % 64);
            synapses.ReturnTransposed(rented);
        }
    }

    [Fact]
    public void Panels_packed_by_the_team_are_the_panels_packed_alone()
    {
        var random = new Random(13);
        var synapses = new DenseSynapses(new ConnectionDescriptor("Recurrent", "Hidden", "Hidden", ConnectionKind.Dense, 1, 1, "Input", null), 700, 300);
        for (int round = 0; round < 5; round++)   // the worker, awake after the first round, packs panels in the others
        {
            Draw(random, synapses.Weights.Length, 1.0).CopyTo(synapses.Weights, 0);
            var packed = new float[synapses.Weights.Length];
            SpikeOps.PackTransposed(synapses.Weights, 700, 300, packed);

            TransposedWeights rented = synapses.RentTransposed(maxDegreeOfParallelism: 0);

            Assert.Equal(packed, rented.Panels.ToArray());
            synapses.ReturnTransposed(rented);
        }
    }

    /// <summary>Normal-ish values in [−1, 1), each non-zero with probability <paramref name="density"/>.</summary>
    private static float[] Draw(Random random, int count, double density)
    {
        var values = new float[count];
        for (int k = 0; k < count; k++)
            if (random.NextDouble() < density) values[k] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
