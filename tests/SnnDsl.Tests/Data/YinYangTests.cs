using SnnDsl.Data;

namespace SnnDsl.Tests.Data;

/// <summary>
/// Golden values: lkriener/yin_yang_data_set dataset.py run with numpy 1.24 (the first rows, labels and counts are
/// also in the reference note, science.md §4b); every one of the 7000 published samples was compared bit for bit.
/// </summary>
public class YinYangTests
{
    [Fact]
    public void TrainingSetMatchesPublishedGenerator()
    {
        YinYangSamples train = YinYang.Train();
        Assert.Equal(5000, train.Count);
        AssertRow(train, 0, 0.6803075385877797, 0.450499251969543, 0.3196924614122203, 0.549500748030457, 2);
        AssertRow(train, 1, 0.09767211400638387, 0.6842330265121569, 0.9023278859936161, 0.3157669734878431, 1);
        AssertRow(train, 2, 0.7553614103176525, 0.4251558744912447, 0.24463858968234753, 0.5748441255087553, 2);
        Assert.Equal(new[] { 2, 1, 2, 1, 1, 1, 0, 2, 2, 0 }, train.Labels[..10]);
        Assert.Equal(new[] { 1681, 1702, 1617 }, ClassCounts(train));
        Assert.Equal(5034.0893183170965, SumOfCoordinates(train));
    }

    [Fact]
    public void ValidationAndTestSetsMatchPublishedGenerator()
    {
        YinYangSamples validation = YinYang.Validation(), test = YinYang.Test();
        AssertRow(validation, 0, 0.6805727261759029, 0.3209733938933629, 0.3194272738240971, 0.6790266061066371, 0);
        Assert.Equal(new[] { 316, 336, 348 }, ClassCounts(validation));
        Assert.Equal(990.0574431522648, SumOfCoordinates(validation));
        AssertRow(test, 0, 0.23409664559563403, 0.4017249751828972, 0.765903354404366, 0.5982750248171028, 2);
        Assert.Equal(new[] { 350, 316, 334 }, ClassCounts(test));
        Assert.Equal(987.0372250262633, SumOfCoordinates(test));
    }

    [Theory]
    [InlineData(0.25, 0.5, 2)]  // centre of the left dot
    [InlineData(0.75, 0.5, 2)]  // centre of the right dot
    [InlineData(0.25, 0.62, 1)] // ring around the left dot: is_yin (criterion 2)
    [InlineData(0.5, 0.9, 1)]   // upper half away from the right dot: is_yin (criterion 3)
    [InlineData(0.5, 0.1, 0)]   // lower half
    [InlineData(0.75, 0.38, 0)] // ring around the right dot
    public void WhichClassFollowsThePublishedCriteria(double x, double y, int expected)
    {
        Assert.Equal(expected, YinYang.WhichClass(x, y));
    }

    [Fact]
    public void EveryGeneratedPointLiesInTheCircleWithItsClass()
    {
        YinYangSamples test = YinYang.Test();
        for (int i = 0; i < test.Count; i++)
        {
            double x = test.Features[i, 0], y = test.Features[i, 1];
            Assert.True(Math.Sqrt((x - 0.5) * (x - 0.5) + (y - 0.5) * (y - 0.5)) <= 0.5);
            Assert.Equal(test.Labels[i], YinYang.WhichClass(x, y));
            Assert.Equal(1.0 - x, test.Features[i, 2]);
            Assert.Equal(1.0 - y, test.Features[i, 3]);
        }
    }

    [Fact]
    public void LatencyCodeGivesOneSpikePerInputAndTheBias()
    {
        Dataset spikes = YinYang.Train().ToSpikes();
        Assert.Equal((5000, 30, 5), (spikes.Count, spikes.Inputs.Steps, spikes.Inputs.Neurons));
        Assert.Equal(3, spikes.Classes);
        Assert.Equal(5 * 5000L, spikes.Inputs.Count());
        // Sample 0: t = 1 + 19·v for v = (0.6803, 0.4505, 0.3197, 0.5495) → steps 14, 10, 7, 11; bias at step 9.
        Assert.Equal(new[] { 14, 10, 7, 11, 9 }, SpikeSteps(spikes, 0));
        for (int i = 0; i < spikes.Count; i++)
        {
            int[] steps = SpikeSteps(spikes, i);
            // v and 1 − v are mirrored around (t_early + t_late)/2 = 10.5: their steps add up to 21 ± 1 (rounding).
            Assert.InRange(steps[0] + steps[2], 20, 22);
            Assert.InRange(steps[1] + steps[3], 20, 22);
            Assert.Equal(9, steps[4]);
        }
    }

    [Fact]
    public void LatencyCodeRoundsHalfToEvenLikeTorch()
    {
        var samples = new YinYangSamples(new double[,] { { 0.5, 0.25, 0.5, 0.75 } }, [1]);
        Dataset spikes = samples.ToSpikes(new YinYangEncoding(Steps: 12, TEarly: 0, TLate: 10, BiasStep: 0));
        // t = 5, 2.5, 5, 7.5 → 5, 2, 5, 8
        Assert.Equal(new[] { 5, 2, 5, 8, 0 }, SpikeSteps(spikes, 0));
    }

    [Fact]
    public void EncodingOutsideTheWindowIsRejected()
    {
        YinYangSamples test = YinYang.Test();
        Assert.Throws<ArgumentOutOfRangeException>(() => test.ToSpikes(new YinYangEncoding(Steps: 20, TLate: 20)));
        Assert.Throws<ArgumentOutOfRangeException>(() => test.ToSpikes(new YinYangEncoding(TEarly: 5, TLate: 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => test.ToSpikes(new YinYangEncoding(BiasStep: 30)));
        var outside = new YinYangSamples(new double[,] { { 0.5, 0.5, 0.5, 1.5 } }, [0]);
        Assert.Equal("Feature 3 of sample 0 is 1.5; the latency code needs values in [0, 1].",
            Assert.Throws<InvalidOperationException>(() => outside.ToSpikes()).Message);
    }

    private static void AssertRow(YinYangSamples samples, int i, double x, double y, double xFlipped, double yFlipped, int label)
    {
        Assert.Equal(new[] { x, y, xFlipped, yFlipped }, Enumerable.Range(0, 4).Select(n => samples.Features[i, n]));
        Assert.Equal(label, samples.Labels[i]);
    }

    private static int[] ClassCounts(YinYangSamples samples) =>
        Enumerable.Range(0, 3).Select(c => samples.Labels.Count(l => l == c)).ToArray();

    // Σ_i (x_i + y_i) in sample order: a fingerprint of every coordinate.
    private static double SumOfCoordinates(YinYangSamples samples)
    {
        double sum = 0;
        for (int i = 0; i < samples.Count; i++) sum += samples.Features[i, 0] + samples.Features[i, 1];
        return sum;
    }

    // The step of the single spike of each neuron of sample i.
    private static int[] SpikeSteps(Dataset spikes, int i) =>
        Enumerable.Range(0, spikes.Inputs.Neurons)
            .Select(n => Enumerable.Range(0, spikes.Inputs.Steps).Single(t => spikes.Inputs[i, t, n]))
            .ToArray();
}
