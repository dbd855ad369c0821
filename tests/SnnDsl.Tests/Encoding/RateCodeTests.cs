using SnnDsl.Encoding;

namespace SnnDsl.Tests.Encoding;

public class RateCodeTests
{
    [Fact]
    public void Bernoulli_spike_counts_fit_the_binomial_of_each_feature()
    {
        // snnTorch spikegen.rate: p = clamp(gain·x + offset, 0, 1); here gain 0.5, offset 0.1.
        float[,] x = { { 0f, 0.4f, 0.8f, 1.6f }, { 0f, 0.4f, 0.8f, 1.6f } };
        double[] p = [0.1, 0.3, 0.5, 0.9];
        const int Steps = 4000;
        SpikeRaster spikes = RateCode.Bernoulli(x, Steps, seed: 11, gain: 0.5, offset: 0.1);
        for (int f = 0; f < p.Length; f++)
        {
            long count = spikes.CountPerNeuron(0)[f] + spikes.CountPerNeuron(1)[f];
            Statistics.AssertBinomial(count, 2 * Steps, p[f], $"feature {f}");
        }
    }

    [Fact]
    public void Bernoulli_clamps_to_zero_and_one_and_silences_the_first_steps()
    {
        float[,] x = { { -3f, 2f } };
        SpikeRaster spikes = RateCode.Bernoulli(x, steps: 50, seed: 1, firstSpikeStep: 7);
        for (int t = 0; t < 50; t++)
        {
            Assert.False(spikes[0, t, 0]);                 // p = clamp(−3) = 0
            Assert.Equal(t >= 7, spikes[0, t, 1]);         // p = clamp(2) = 1 from first_spike_time on
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_spikes_and_another_seed_other_spikes()
    {
        var x = new float[3, 20];
        for (int b = 0; b < 3; b++) for (int f = 0; f < 20; f++) x[b, f] = 0.3f;
        Assert.Equal(RateCode.Bernoulli(x, 30, seed: 5).Bits, RateCode.Bernoulli(x, 30, seed: 5).Bits);
        Assert.NotEqual(RateCode.Bernoulli(x, 30, seed: 5).Bits, RateCode.Bernoulli(x, 30, seed: 6).Bits);
    }

    [Fact]
    public void Poisson_bins_hold_a_spike_with_probability_one_minus_exp_of_minus_rate_times_dt()
    {
        // 500 Hz at Δt = 1 ms: P(≥ 1 event) = 1 − e^−0.5 = 0.3935, far from the first-order r·Δt = 0.5.
        float[,] rates = { { 500f, 20f, 0f } };
        const int Steps = 20000;
        SpikeRaster spikes = RateCode.Poisson(rates, Steps, timeStep: 1e-3, seed: 3);
        int[] counts = spikes.CountPerNeuron(0);
        Statistics.AssertBinomial(counts[0], Steps, 1 - Math.Exp(-0.5), "500 Hz");
        Statistics.AssertBinomial(counts[1], Steps, 1 - Math.Exp(-0.02), "20 Hz");
        Assert.Equal(0, counts[2]);
        Assert.True(Math.Abs(counts[0] - 0.5 * Steps) > 10 * Math.Sqrt(Steps * 0.25), "the exact probability must differ from r·Δt");
    }

    [Fact]
    public void Bad_rates_and_values_are_named_by_their_index()
    {
        var e = Assert.Throws<ArgumentException>(() => RateCode.Poisson(new float[,] { { 1f, -2f } }, 10, 1e-3, 1));
        Assert.Contains("[0, 1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => RateCode.Bernoulli(new float[,] { { float.NaN } }, 10, 1));
        Assert.Contains("[0, 0]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RateCode.Bernoulli(new float[,] { { 0.5f } }, 10, 1, firstSpikeStep: 10));
    }
}
