using System.Globalization;

namespace SnnDsl.Encoding;

/// <summary>
/// Rate coding: every step, each feature fires independently with a probability set by its value, so the spike
/// count over T steps is binomial(T, p). Seeded: the same seed gives the same raster.
/// </summary>
public static class RateCode
{
    /// <summary>
    /// Bernoulli rate code as snnTorch's <c>spikegen.rate(data, num_steps, gain, offset, first_spike_time)</c>:
    /// p = clamp(gain·x + offset, 0, 1) for every step, S[t] ~ Bernoulli(p), and the first
    /// <paramref name="firstSpikeStep"/> steps are silent.
    /// </summary>
    /// <param name="features">Values [samples, features]; feature f becomes input channel f.</param>
    /// <param name="steps">Number of time steps T.</param>
    /// <param name="seed">Seed of the random draws (drawn sample by sample, step by step, feature by feature).</param>
    /// <param name="gain">Multiplier of every value before clamping (snnTorch <c>gain</c>).</param>
    /// <param name="offset">Added after the gain (snnTorch <c>offset</c>).</param>
    /// <param name="firstSpikeStep">Steps 0 … firstSpikeStep − 1 hold no spike (snnTorch <c>first_spike_time</c>).</param>
    /// <exception cref="ArgumentException">A value is NaN, or <paramref name="firstSpikeStep"/> is outside [0, T − 1].</exception>
    public static SpikeRaster Bernoulli(float[,] features, int steps, int seed, double gain = 1, double offset = 0, int firstSpikeStep = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (firstSpikeStep < 0 || firstSpikeStep > steps - 1)
            throw new ArgumentOutOfRangeException(nameof(firstSpikeStep), firstSpikeStep, $"The first spike step must lie in [0, {steps - 1}] for {steps} steps.");
        double[,] p = Probabilities(features, nameof(features), x => Math.Clamp(gain * x + offset, 0.0, 1.0));
        return Draw(p, steps, seed, firstSpikeStep);
    }

    /// <summary>
    /// Poisson rate code: feature f is a homogeneous Poisson process of rate r_f (Hz), observed in bins of
    /// Δt = <paramref name="timeStep"/> seconds. A bin holds a spike when the process has at least one event in it,
    /// p = 1 − exp(−r·Δt), exact for any rate (Brian2's <c>PoissonGroup</c> uses the first-order p = r·Δt, which
    /// over-counts once r·Δt is not small and exceeds 1 above 1/Δt).
    /// </summary>
    /// <param name="ratesHz">Rates [samples, features] in Hz, finite and ≥ 0.</param>
    /// <param name="steps">Number of time steps T.</param>
    /// <param name="timeStep">Δt in seconds (e.g. 1e-3).</param>
    /// <param name="seed">Seed of the random draws.</param>
    /// <exception cref="ArgumentException">A rate is negative, infinite or NaN.</exception>
    public static SpikeRaster Poisson(float[,] ratesHz, int steps, double timeStep, int seed)
    {
        ArgumentNullException.ThrowIfNull(ratesHz);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (!(timeStep > 0) || double.IsInfinity(timeStep))
            throw new ArgumentOutOfRangeException(nameof(timeStep), timeStep, "The time step must be positive and finite (seconds).");
        double[,] p = Probabilities(ratesHz, nameof(ratesHz), r => r >= 0 && double.IsFinite(r)
            ? -double.ExpM1(-r * timeStep)   // P(at least one event in Δt) = 1 − e^{−rΔt}
            : double.NaN);
        return Draw(p, steps, seed, firstSpikeStep: 0);
    }

    private static double[,] Probabilities(float[,] values, string name, Func<double, double> probability)
    {
        int samples = values.GetLength(0), features = values.GetLength(1);
        if (samples == 0 || features == 0)
            throw new ArgumentException(FormattableString.Invariant($"The input has shape [{samples}, {features}]; it needs at least one sample and one feature."), name);
        var p = new double[samples, features];
        for (int b = 0; b < samples; b++)
        {
            for (int f = 0; f < features; f++)
            {
                p[b, f] = probability(values[b, f]);
                if (double.IsNaN(p[b, f]))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Value [{b}, {f}] = {values[b, f]} cannot be turned into a spike probability."), name);
            }
        }
        return p;
    }

    private static SpikeRaster Draw(double[,] p, int steps, int seed, int firstSpikeStep)
    {
        int samples = p.GetLength(0), features = p.GetLength(1);
        var raster = new SpikeRaster(samples, steps, features);
        var random = new Random(seed);
        for (int b = 0; b < samples; b++)
            for (int t = 0; t < steps; t++)
                for (int f = 0; f < features; f++)
                    if (random.NextDouble() < p[b, f] && t >= firstSpikeStep) raster[b, t, f] = true;
        return raster;
    }
}
