using SnnDsl.Data;
using SnnDsl.Encoding;

namespace SnnDsl.Tests.Encoding;

public class AugmentTests
{
    private static EventStream Repeated(int count, double time, int channels) =>
        new(Enumerable.Repeat(time, count).ToArray(), Enumerable.Range(0, count).Select(k => k % channels).ToArray(), channels);

    [Fact]
    public void Time_jitter_adds_zero_mean_gaussian_noise_of_the_given_std()
    {
        const int N = 20000;
        const double Sigma = 0.01;
        EventStream jittered = EventAugment.TimeJitter(Repeated(N, 1.0, 7), Sigma, new Random(1));
        Assert.Equal(N, jittered.Count);
        (double mean, double std) = Statistics.Moments(jittered.Times.Select(t => t - 1.0).ToArray());
        Assert.True(Math.Abs(mean) < Statistics.Z * Sigma / Math.Sqrt(N), $"mean shift {mean}");
        // The sample std of N normals has a standard error of σ/√(2N).
        Assert.True(Math.Abs(std - Sigma) < Statistics.Z * Sigma / Math.Sqrt(2 * N), $"std {std}");
        Assert.Equal(Enumerable.Range(0, N).Select(k => k % 7), jittered.Channels);
    }

    [Fact]
    public void Time_jitter_drops_events_pushed_before_zero_unless_told_otherwise()
    {
        const int N = 10000;
        EventStream atZero = Repeated(N, 0.0, 3);
        Statistics.AssertBinomial(EventAugment.TimeJitter(atZero, 0.5, new Random(2)).Count, N, 0.5, "events kept at t ≥ 0");
        Assert.Equal(N, EventAugment.TimeJitter(atZero, 0.5, new Random(2), dropNegative: false).Count);
    }

    [Fact]
    public void Time_shift_moves_a_whole_recording_by_one_offset_within_the_bound()
    {
        var events = new EventStream([0.5, 0.7, 0.9, 1.3], [0, 1, 2, 0], 3);
        var offsets = new List<double>();
        var random = new Random(3);
        for (int trial = 0; trial < 2000; trial++)
        {
            EventStream shifted = EventAugment.TimeShift(events, 0.2, random);
            Assert.Equal(4, shifted.Count);
            double offset = shifted.Times[0] - 0.5;
            for (int k = 0; k < 4; k++) Assert.Equal(events.Times[k] + offset, shifted.Times[k], 12);
            Assert.InRange(offset, -0.2, 0.2);
            offsets.Add(offset);
        }
        // U[−0.2, 0.2): mean 0, std 0.4/√12.
        (double mean, double std) = Statistics.Moments(offsets);
        Assert.True(Math.Abs(mean) < Statistics.Z * (0.4 / Math.Sqrt(12)) / Math.Sqrt(2000), $"mean offset {mean}");
        Assert.Equal(0.4 / Math.Sqrt(12), std, 0.01);
        // Events shifted before 0 are dropped: with an offset in [−10, 10) some draw removes the early event.
        var early = new EventStream([0.05, 9.5], [0, 0], 1);
        for (int seed = 0; seed < 20; seed++)
        {
            double offset = (2 * new Random(seed).NextDouble() - 1) * 10;
            EventStream shifted = EventAugment.TimeShift(early, 10, new Random(seed));
            Assert.Equal(early.Times.Count(t => t + offset >= 0), shifted.Count);
            Assert.All(shifted.Times, t => Assert.True(t >= 0));
        }
    }

    [Fact]
    public void Channel_drop_removes_all_events_of_the_dropped_channels_and_only_those()
    {
        const int Channels = 2000;
        EventStream events = Repeated(3 * Channels, 0.1, Channels);
        EventStream kept = EventAugment.DropChannels(events, 0.3, new Random(5));
        var keptChannels = kept.Channels.ToHashSet();
        Statistics.AssertBinomial(Channels - keptChannels.Count, Channels, 0.3, "dropped channels");
        foreach (int c in keptChannels) Assert.Equal(3, kept.Channels.Count(x => x == c));
        Statistics.AssertBinomial(EventAugment.DropEvents(events, 0.25, new Random(6)).Count, events.Count, 0.75, "events kept by DropEvents");
    }

    [Fact]
    public void Raster_time_shift_moves_every_sample_by_one_whole_step_offset()
    {
        SpikeRaster spikes = RateCode.Bernoulli(Filled(40, 30, 0.2f), steps: 60, seed: 7);
        SpikeRaster shifted = RasterAugment.TimeShift(spikes, 5, new Random(8));
        var seen = new HashSet<int>();
        for (int b = 0; b < 40; b++)
        {
            int shift = Enumerable.Range(-5, 11).Single(s => Enumerable.Range(0, 60).All(t =>
                Enumerable.Range(0, 30).All(c => (uint)(t + s) >= 60u || spikes[b, t, c] == shifted[b, t + s, c])));
            seen.Add(shift);
            for (int t = 0; t < 60; t++)
                for (int c = 0; c < 30; c++)
                    if (shifted[b, t, c]) Assert.True(spikes[b, t - shift, c]);
        }
        Assert.True(seen.Count > 5, $"only shifts {string.Join(", ", seen)} drawn");
    }

    [Fact]
    public void Raster_time_jitter_displaces_spikes_by_rounded_gaussian_steps()
    {
        const int Samples = 4000;
        const double Sigma = 3;
        var spikes = new SpikeRaster(Samples, 100, 1);
        for (int b = 0; b < Samples; b++) spikes[b, 50, 0] = true;
        SpikeRaster jittered = RasterAugment.TimeJitter(spikes, Sigma, new Random(9));
        var displacement = new List<double>();
        for (int b = 0; b < Samples; b++)
            for (int t = 0; t < 100; t++)
                if (jittered[b, t, 0]) displacement.Add(t - 50);
        Assert.Equal(Samples, displacement.Count);
        (double mean, double std) = Statistics.Moments(displacement);
        Assert.True(Math.Abs(mean) < Statistics.Z * Sigma / Math.Sqrt(Samples), $"mean {mean}");
        // Rounding adds the variance of a uniform step, 1/12.
        Assert.Equal(Math.Sqrt(Sigma * Sigma + 1.0 / 12), std, 0.15);
    }

    [Fact]
    public void Raster_channel_drop_silences_whole_channels_per_sample()
    {
        SpikeRaster spikes = RateCode.Bernoulli(Filled(20, 100, 1f), steps: 5, seed: 1);   // every channel fires every step
        SpikeRaster dropped = RasterAugment.DropChannels(spikes, 0.4, new Random(10));
        int silent = 0;
        for (int b = 0; b < 20; b++)
        {
            int[] counts = dropped.CountPerNeuron(b);
            Assert.All(counts, n => Assert.True(n is 0 or 5));
            silent += counts.Count(n => n == 0);
        }
        Statistics.AssertBinomial(silent, 20 * 100, 0.4, "silenced channels");
        Assert.Equal(dropped.Bits, RasterAugment.DropChannels(spikes, 0.4, new Random(10)).Bits);
    }

    private static float[,] Filled(int samples, int features, float value)
    {
        var x = new float[samples, features];
        for (int b = 0; b < samples; b++) for (int f = 0; f < features; f++) x[b, f] = value;
        return x;
    }
}
