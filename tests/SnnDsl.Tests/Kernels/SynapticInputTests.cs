namespace SnnDsl.Tests.Kernels;

/// <summary>
/// Event-driven synaptic input, x[i] = Σ_{j : S_j = 1} W[j, i] in ascending j: <see cref="SpikeOps.AccumulateSpikes"/>
/// adds it to what x holds, <see cref="SpikeOps.SumSpikes"/> (the first connection into a port) sets x to it, from the
/// bit-packed spikes or from a <see cref="SpikeList"/> of them. All against the sum written out, bit for bit, at the
/// SIMD width the run has.
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
    [InlineData(200, 33, 1.0)]     // every neuron: words of 64 bits, more than the four indices listed per round
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
        var spiking = new SpikeList(pre);
        spiking.List(raster.Row(0, 0));
        float[] setFromList = Values(random, post);
        SpikeOps.SumSpikes(weights, spiking, setFromList);
        float[] accumulatedFromList = (float[])before.Clone();
        SpikeOps.AccumulateSpikes(weights, spiking, accumulatedFromList);

        for (int i = 0; i < post; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(sum[i]) == BitConverter.SingleToInt32Bits(setFromList[i]),
                $"set from the list, column {i}: {setFromList[i]:R}, the sum gives {sum[i]:R} ({SpikeOps.ActiveSimdWidth})");
            Assert.True(BitConverter.SingleToInt32Bits(added[i]) == BitConverter.SingleToInt32Bits(accumulatedFromList[i]),
                $"added from the list, column {i}: {accumulatedFromList[i]:R}, the sum gives {added[i]:R} ({SpikeOps.ActiveSimdWidth})");
            Assert.True(BitConverter.SingleToInt32Bits(sum[i]) == BitConverter.SingleToInt32Bits(set[i]),
                $"set, column {i}: {set[i]:R}, the sum gives {sum[i]:R} ({SpikeOps.ActiveSimdWidth})");
            Assert.True(BitConverter.SingleToInt32Bits(added[i]) == BitConverter.SingleToInt32Bits(accumulated[i]),
                $"added, column {i}: {accumulated[i]:R}, the sum gives {added[i]:R} ({SpikeOps.ActiveSimdWidth})");
        }
    }

    /// <summary>
    /// A spike list holds the neurons whose bits are set, ascending, and nothing else: after a row with many spikes, a
    /// sparser row's list does not keep the earlier neurons.
    /// </summary>
    [Fact]
    public void A_spike_list_holds_the_set_bits_in_ascending_order()
    {
        var random = new Random(17);
        var raster = new SpikeRaster(1, 3, 150);
        for (int j = 0; j < 150; j++)
        {
            raster[0, 0, j] = random.NextDouble() < 0.7;
            raster[0, 1, j] = random.NextDouble() < 0.05;
        }
        raster[0, 1, 149] = true;   // the last neuron of the last, partial word
        var spiking = new SpikeList(150);
        Assert.Equal(3, spiking.Words);
        for (int t = 0; t < 3; t++)
        {
            spiking.List(raster.Row(0, t));
            int[] expected = Enumerable.Range(0, 150).Where(j => raster[0, t, j]).ToArray();
            Assert.Equal(expected, spiking.Neurons.ToArray());
            Assert.Equal(expected.Length, spiking.Count);
        }
    }

    /// <summary>A row of another population's width, and a listed neuron without a weight row, are refused by name.</summary>
    [Fact]
    public void A_spike_list_refuses_rows_and_weights_that_do_not_fit()
    {
        var spiking = new SpikeList(150);
        var wide = new SpikeRaster(1, 1, 300);
        var error = Assert.Throws<ArgumentException>(() => spiking.List(wide.Row(0, 0)));
        Assert.Contains("5 words for a list of 3 words", error.Message);

        var raster = new SpikeRaster(1, 1, 150);
        raster[0, 0, 3] = true;
        raster[0, 0, 120] = true;
        spiking.List(raster.Row(0, 0));
        var weights = new float[100 * 8];   // 100 presynaptic rows: neuron 120 has none
        error = Assert.Throws<ArgumentException>(() => SpikeOps.SumSpikes(weights, spiking, new float[8]));
        Assert.Contains("Neuron 120 spiked, but the weights hold 100 rows of 8", error.Message);
        Assert.Throws<ArgumentException>(() => SpikeOps.AccumulateSpikes(weights, spiking, new float[8]));
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
