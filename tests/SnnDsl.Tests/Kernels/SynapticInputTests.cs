namespace SnnDsl.Tests.Kernels;

/// <summary>
/// Event-driven synaptic input, x[i] = Σ_{j : S_j = 1} W[j, i] in ascending j: <see cref="SpikeOps.AccumulateSpikes"/>
/// adds it to what x holds, <see cref="SpikeOps.SumSpikes"/> (the first connection into a port) sets x to it. Both
/// against the sum written out, bit for bit, at the SIMD width the run has.
/// </summary>
[Trait("Category", "Kernels")]
public class SynapticInputTests
{
    [Theory]
    [InlineData(700, 256, 0.02)]   // the SHD network's input: 4 blocks of 64 columns
    [InlineData(256, 20, 0.05)]    // a 20-class readout: 16 + 4 columns
    [InlineData(70, 83, 0.3)]      // every tail: 64 + 16 + 3
    [InlineData(9, 5, 0.5)]        // shorter than a vector
    [InlineData(130, 40, 0.0)]     // no spike at all
    public void Setting_and_adding_equal_the_sum_in_order(int pre, int post, double rate)
    {
        var random = new Random(pre * 31 + post);
        float[] weights = Values(random, pre * post);
        var raster = new SpikeRaster(1, 1, pre);
        for (int j = 0; j < pre; j++)
            if (random.NextDouble() < rate) raster[0, 0, j] = true;
        float[] before = Values(random, post);

        var sum = new float[post];
        var added = new float[post];
        for (int i = 0; i < post; i++)
        {
            float s = 0f, a = before[i];
            for (int j = 0; j < pre; j++)
                if (raster[0, 0, j]) { s += weights[j * post + i]; a += weights[j * post + i]; }
            sum[i] = s;
            added[i] = a;
        }

        float[] set = Values(random, post);   // whatever it held is overwritten
        SpikeOps.SumSpikes(weights, raster.Row(0, 0), set);
        float[] accumulated = (float[])before.Clone();
        SpikeOps.AccumulateSpikes(weights, raster.Row(0, 0), accumulated);

        for (int i = 0; i < post; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(sum[i]) == BitConverter.SingleToInt32Bits(set[i]),
                $"set, column {i}: {set[i]:R}, the sum gives {sum[i]:R} ({SpikeOps.ActiveSimdWidth})");
            Assert.True(BitConverter.SingleToInt32Bits(added[i]) == BitConverter.SingleToInt32Bits(accumulated[i]),
                $"added, column {i}: {accumulated[i]:R}, the sum gives {added[i]:R} ({SpikeOps.ActiveSimdWidth})");
        }
    }

    /// <summary>
    /// Weights that start anywhere in a cache line: at Vector512 the sums begin at the rows' first line boundary and
    /// add the columns before it and after the last one apart (masked loads of the shared lines), so the first and
    /// last rows (whose edge lines reach outside the weights) and every offset must give the same bits as the sum in
    /// order — for rows of 64k floats (three vectors go with the edges) and of other multiples of 16 — and the masked
    /// stores must write nothing next to the input.
    /// </summary>
    [Theory]
    [InlineData(16)]
    [InlineData(48)]
    [InlineData(80)]
    [InlineData(96)]
    [InlineData(256)]
    [InlineData(320)]
    public void Rows_at_every_offset_in_a_cache_line_equal_the_sum_in_order(int post)
    {
        const int pre = 9;
        var random = new Random(post);
        float[] storage = Values(random, 16 + pre * post + 16);
        var raster = new SpikeRaster(1, 1, pre);
        foreach (int j in new[] { 0, 3, 4, pre - 1 }) raster[0, 0, j] = true;
        float[] before = Values(random, post);
        for (int offset = 0; offset < 16; offset++)
        {
            ReadOnlySpan<float> weights = storage.AsSpan(offset, pre * post);
            // The inputs lie between 16 guard values on either side.
            float[] setStorage = Values(random, 16 + post + 16), accumulatedStorage = Values(random, 16 + post + 16);
            before.CopyTo(accumulatedStorage, 16);
            float[] setGuards = (float[])setStorage.Clone(), accumulatedGuards = (float[])accumulatedStorage.Clone();
            Span<float> set = setStorage.AsSpan(16, post), accumulated = accumulatedStorage.AsSpan(16, post);
            SpikeOps.SumSpikes(weights, raster.Row(0, 0), set);
            SpikeOps.AccumulateSpikes(weights, raster.Row(0, 0), accumulated);
            foreach (int k in Enumerable.Range(0, 16).Concat(Enumerable.Range(16 + post, 16)))
                Assert.True(setStorage[k] == setGuards[k] && accumulatedStorage[k] == accumulatedGuards[k],
                    $"offset {offset}: the value {k - 16} from the input's start changed ({SpikeOps.ActiveSimdWidth})");
            for (int i = 0; i < post; i++)
            {
                float sum = 0f, added = before[i];
                foreach (int j in new[] { 0, 3, 4, pre - 1 }) { sum += weights[j * post + i]; added += weights[j * post + i]; }
                Assert.True(BitConverter.SingleToInt32Bits(sum) == BitConverter.SingleToInt32Bits(set[i]),
                    $"offset {offset}, set, column {i}: {set[i]:R}, the sum gives {sum:R} ({SpikeOps.ActiveSimdWidth})");
                Assert.True(BitConverter.SingleToInt32Bits(added) == BitConverter.SingleToInt32Bits(accumulated[i]),
                    $"offset {offset}, added, column {i}: {accumulated[i]:R}, the sum gives {added:R} ({SpikeOps.ActiveSimdWidth})");
            }
        }
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int k = 0; k < length; k++) values[k] = (float)(random.NextDouble() * 2 - 1) * MathF.Pow(10, random.Next(-2, 3));
        return values;
    }
}
