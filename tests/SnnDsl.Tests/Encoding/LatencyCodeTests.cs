using SnnDsl.Encoding;

namespace SnnDsl.Tests.Encoding;

/// <summary>
/// Against snnTorch's spikegen.latency_code formula (snntorch/spikegen.py), restated here as the reference computes it:
/// log: t = τ·ln(x'/(x' − ϑ)), x' = max(x, ϑ + ε); linear: t = min(τ(1 − x), τ(1 − ϑ)) + f, τ = T − 1 − f when normalized.
/// </summary>
public class LatencyCodeTests
{
    private static float[,] Row(params float[] values)
    {
        var x = new float[1, values.Length];
        for (int i = 0; i < values.Length; i++) x[0, i] = values[i];
        return x;
    }

    private static int[] SpikeSteps(SpikeRaster spikes, int sample = 0)
    {
        var steps = new int[spikes.Neurons];
        Array.Fill(steps, -1);
        for (int t = 0; t < spikes.Steps; t++)
            for (int f = 0; f < spikes.Neurons; f++)
                if (spikes[sample, t, f]) { Assert.Equal(-1, steps[f]); steps[f] = t; }
        return steps;
    }

    [Fact]
    public void Linear_normalized_code_gives_the_example_of_the_snntorch_docstring()
    {
        // spikegen.latency_code([0.02, 0.5, 1], num_steps=5, normalize=True, linear=True) → [3.92, 2.0, 0.0];
        // spikegen.latency(...) puts the spikes at steps 4, 2 and 0.
        float[,] x = Row(0.02f, 0.5f, 1f);
        var options = new LatencyOptions { Normalize = true, Linear = true };
        double[,] t = LatencyCode.SpikeTimes(x, 5, options);
        Assert.Equal(3.92, t[0, 0], 6);
        Assert.Equal(2.0, t[0, 1], 6);
        Assert.Equal(0.0, t[0, 2], 6);
        Assert.Equal([4, 2, 0], SpikeSteps(LatencyCode.Encode(x, 5, options)));
    }

    [Fact]
    public void Log_code_with_defaults_is_the_rc_charging_time()
    {
        // τ = 1, ϑ = 0.01: x = 0.02 → ln 2; x = 1 → ln(1/0.99); x = 0.005 (below ϑ) → ln((ϑ + ε)/ε) = ln 100001.
        double[,] t = LatencyCode.SpikeTimes(Row(0.02f, 1f, 0.005f, 0.5f), 20);
        Assert.Equal(Math.Log(2), t[0, 0], 6);
        Assert.Equal(Math.Log(1 / 0.99), t[0, 1], 9);
        Assert.Equal(Math.Log((0.01 + 1e-7) / 1e-7), t[0, 2], 6);
        Assert.Equal(Math.Log(0.5 / 0.49), t[0, 3], 6);
    }

    [Fact]
    public void Log_code_with_tau_first_spike_step_and_normalize_follows_the_reference_formula()
    {
        float[,] x = { { 0.9f, 0.3f, 0.05f }, { 0.6f, 0.012f, 0.2f } };
        const int Steps = 25, First = 2;
        const double Tau = 5, Threshold = 0.01, Epsilon = 1e-7;
        var options = new LatencyOptions { Tau = Tau, FirstSpikeStep = First, Normalize = true };
        double[,] actual = LatencyCode.SpikeTimes(x, Steps, options);

        // The reference: raw times, shift so the earliest is at f, then stretch so the latest is at T − 1 (min and max over the whole tensor).
        double[] raw = x.Cast<float>().Select(v => { double c = Math.Max(v, Threshold + Epsilon); return Tau * Math.Log(c / (c - Threshold)); }).ToArray();
        double min = raw.Min();
        double[] shifted = raw.Select(v => v - First * (min / First - 1)).ToArray();
        double max = shifted.Max(v => v - First);
        double[] expected = shifted.Select(v => (v - First) * (Steps - First - 1) / max + First).ToArray();

        Assert.Equal(expected, actual.Cast<double>().ToArray(), new ToleranceComparer(1e-9));
        Assert.Equal(First, actual.Cast<double>().Min(), 9);
        Assert.Equal(Steps - 1, actual.Cast<double>().Max(), 9);
        SpikeRaster spikes = LatencyCode.Encode(x, Steps, options);
        for (int b = 0; b < 2; b++)
            Assert.Equal(Enumerable.Range(0, 3).Select(f => (int)Math.Round(actual[b, f], MidpointRounding.ToEven)).ToArray(), SpikeSteps(spikes, b));
    }

    [Fact]
    public void Clip_removes_values_below_the_threshold_and_spikes_past_the_window_are_dropped_alone()
    {
        float[,] x = Row(0.005f, 0.02f, 1f);
        // Without clip the sub-threshold value fires at round(ln 100001) = 12, past a 10-step window: dropped.
        Assert.Equal([-1, 1, 0], SpikeSteps(LatencyCode.Encode(x, 10)));
        // With 13 steps it fits, and clip removes it.
        Assert.Equal([12, 1, 0], SpikeSteps(LatencyCode.Encode(x, 13)));
        Assert.Equal([-1, 1, 0], SpikeSteps(LatencyCode.Encode(x, 13, new LatencyOptions { Clip = true })));
    }

    [Fact]
    public void Linear_code_without_normalize_uses_tau_and_saturates_at_the_threshold()
    {
        double[,] t = LatencyCode.SpikeTimes(Row(0.25f, 0f, 1f), 20, new LatencyOptions { Linear = true, Tau = 8 });
        Assert.Equal(8 * 0.75, t[0, 0], 6);
        Assert.Equal(8 * (1 - 0.01), t[0, 1], 6);   // x < ϑ: τ(1 − ϑ)
        Assert.Equal(0, t[0, 2], 6);
    }

    [Fact]
    public void Linear_code_rescales_values_above_one_only_when_normalized()
    {
        float[,] x = Row(2f, 1f, 0f);
        Assert.Throws<ArgumentException>(() => LatencyCode.SpikeTimes(x, 11, new LatencyOptions { Linear = true }));
        double[,] t = LatencyCode.SpikeTimes(x, 11, new LatencyOptions { Linear = true, Normalize = true });
        // τ = 10: raw t = [−10, 0, 9.9]; min < 0 → (t − min)/(max − min)·(T − 1).
        Assert.Equal(0, t[0, 0], 9);
        Assert.Equal(10 / 19.9 * 10, t[0, 1], 9);
        Assert.Equal(10, t[0, 2], 9);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_option_named()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LatencyCode.SpikeTimes(Row(0.5f), 5, new LatencyOptions { Threshold = 1.5 }));
        Assert.Contains("Threshold", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => LatencyCode.SpikeTimes(Row(0.5f), 5, new LatencyOptions { FirstSpikeStep = 5 }));
        Assert.Contains("FirstSpikeStep", e.Message);
        var nan = Assert.Throws<ArgumentException>(() => LatencyCode.SpikeTimes(Row(0.5f, float.NaN), 5));
        Assert.Contains("[0, 1]", nan.Message);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
