using System.Globalization;

namespace SnnDsl.Encoding;

/// <summary>
/// Settings of <see cref="LatencyCode"/>, named and defaulted as snnTorch's <c>spikegen.latency</c>.
/// </summary>
public sealed record LatencyOptions
{
    /// <summary>RC time constant τ of the charging neuron, in steps (snnTorch <c>tau</c>, default 1). Ignored when <see cref="Linear"/> and <see cref="Normalize"/> are both set.</summary>
    public double Tau { get; init; } = 1;

    /// <summary>Threshold ϑ in (0, 1) (snnTorch <c>threshold</c>, default 0.01): values below it fire last, or never with <see cref="Clip"/>.</summary>
    public double Threshold { get; init; } = 0.01;

    /// <summary>Small ε that keeps the log code finite: values are clamped to at least ϑ + ε (snnTorch <c>epsilon</c>, default 1e-7).</summary>
    public double Epsilon { get; init; } = 1e-7;

    /// <summary>Earliest spike step (snnTorch <c>first_spike_time</c>, default 0).</summary>
    public int FirstSpikeStep { get; init; }

    /// <summary>Drop the spikes of values below <see cref="Threshold"/> (snnTorch <c>clip</c>).</summary>
    public bool Clip { get; init; }

    /// <summary>Stretch the spike times so that the latest one falls on step T − 1 (snnTorch <c>normalize</c>).</summary>
    public bool Normalize { get; init; }

    /// <summary>Linear code t = τ(1 − x) instead of the logarithmic RC code (snnTorch <c>linear</c>).</summary>
    public bool Linear { get; init; }
}

/// <summary>
/// Latency (time-to-first-spike) code: each feature fires once, larger values earlier. The spike times are those of
/// snnTorch's <c>spikegen.latency_code</c> (snntorch/spikegen.py), for x clamped below at ϑ + ε in the log code:
/// <list type="bullet">
/// <item><b>log</b> (default): t = τ·ln(x / (x − ϑ)), the time an RC neuron driven by x needs to reach ϑ;
/// with a first spike step f &gt; 0 the times are shifted so the earliest is f (t ← t − min t + f); with
/// <c>Normalize</c>, t ← (t − f)·(T − f − 1)/max(t − f) + f.</item>
/// <item><b>linear</b>: with <c>Normalize</c>, τ = T − 1 − f; t = min(τ(1 − x), τ(1 − ϑ)) + f; if some t &lt; 0
/// (x &gt; 1) and <c>Normalize</c>, t ← (t − min t)/(max t − min t)·(T − 1); x &gt; 1 without <c>Normalize</c> is an error.</item>
/// </list>
/// The min and max run over every value of one call (snnTorch normalizes over the whole tensor), so encode the whole
/// data set in one call for one common scale. A spike goes to step round(t), half to even as <c>torch.round</c>.
/// <c>Clip</c> removes the spikes of x &lt; ϑ. One deliberate difference: a spike with round(t) ≥ T is dropped,
/// and only it; snnTorch then clamps it to T − 1 and clears the whole last step, losing spikes that belonged there.
/// </summary>
public static class LatencyCode
{
    /// <summary>The spike time t of every value, in steps (not rounded), exactly as snnTorch's <c>latency_code</c>.</summary>
    /// <param name="features">Values [samples, features].</param>
    /// <param name="steps">Number of time steps T (needed by <c>Normalize</c> and the first spike step).</param>
    /// <param name="options">Code settings; null uses snnTorch's defaults.</param>
    /// <exception cref="ArgumentException">An option or value is outside what the code accepts (see the messages).</exception>
    public static double[,] SpikeTimes(float[,] features, int steps, LatencyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        options ??= new LatencyOptions();
        Validate(features, steps, options);
        int samples = features.GetLength(0), count = features.GetLength(1);
        double threshold = options.Threshold, first = options.FirstSpikeStep;
        var t = new double[samples, count];

        if (!options.Linear)
        {
            // RC neuron charging towards x: it crosses ϑ after τ·ln(x/(x − ϑ)); x is clamped to ϑ + ε.
            for (int b = 0; b < samples; b++)
                for (int f = 0; f < count; f++)
                {
                    double x = Math.Max(features[b, f], threshold + options.Epsilon);
                    t[b, f] = options.Tau * Math.Log(x / (x - threshold));
                }
            if (first > 0)
            {
                double min = Min(t);
                Apply(t, v => v - first * (min / first - 1));   // earliest spike moves to step f
            }
            if (options.Normalize)
            {
                double max = Max(t, v => v - first);
                if (max > 0) Apply(t, v => (v - first) * (steps - first - 1) / max + first);   // latest spike moves to step T − 1
            }
        }
        else
        {
            double tau = options.Normalize ? steps - 1 - first : options.Tau;
            for (int b = 0; b < samples; b++)
                for (int f = 0; f < count; f++)
                    t[b, f] = Math.Min(-tau * (features[b, f] - 1.0), -tau * (threshold - 1.0)) + first;   // t = τ(1 − x), at most τ(1 − ϑ)
            double min = Min(t);
            if (min < 0 && options.Normalize)
            {
                double max = Max(t, v => v);
                if (max > min) Apply(t, v => (v - min) * (1 / (max - min)) * (steps - 1));   // values above 1: rescale into [0, T − 1]
            }
        }
        return t;
    }

    /// <summary>
    /// One spike per feature at step round(t) of <see cref="SpikeTimes"/>; a spike with round(t) ≥ T is dropped, and
    /// with <see cref="LatencyOptions.Clip"/> so are those of values below the threshold.
    /// </summary>
    /// <param name="features">Values [samples, features]; feature f becomes input channel f.</param>
    /// <param name="steps">Number of time steps T.</param>
    /// <param name="options">Code settings; null uses snnTorch's defaults.</param>
    public static SpikeRaster Encode(float[,] features, int steps, LatencyOptions? options = null)
    {
        options ??= new LatencyOptions();
        double[,] times = SpikeTimes(features, steps, options);
        int samples = features.GetLength(0), count = features.GetLength(1);
        var raster = new SpikeRaster(samples, steps, count);
        for (int b = 0; b < samples; b++)
        {
            for (int f = 0; f < count; f++)
            {
                if (options.Clip && features[b, f] < options.Threshold) continue;
                double step = Math.Round(times[b, f], MidpointRounding.ToEven);
                if (step < steps) raster[b, (int)step, f] = true;
            }
        }
        return raster;
    }

    private static void Validate(float[,] features, int steps, LatencyOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        int samples = features.GetLength(0), count = features.GetLength(1);
        if (samples == 0 || count == 0)
            throw new ArgumentException(FormattableString.Invariant($"The input has shape [{samples}, {count}]; it needs at least one sample and one feature."), nameof(features));
        if (!(options.Threshold > 0 && options.Threshold < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.Threshold, "LatencyOptions.Threshold must lie in (0, 1).");
        if (!(options.Tau > 0) || double.IsInfinity(options.Tau))
            throw new ArgumentOutOfRangeException(nameof(options), options.Tau, "LatencyOptions.Tau must be positive and finite.");
        if (!(options.Epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(options), options.Epsilon, "LatencyOptions.Epsilon must be positive.");
        if (options.FirstSpikeStep < 0 || options.FirstSpikeStep > steps - 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.FirstSpikeStep, $"LatencyOptions.FirstSpikeStep must lie in [0, {steps - 1}] for {steps} steps.");
        if (options.Normalize && !options.Linear && steps - options.FirstSpikeStep < 2)
            throw new ArgumentException($"Normalize needs at least two steps from the first spike step; T = {steps}, first spike step {options.FirstSpikeStep}.", nameof(steps));
        float max = float.NegativeInfinity;
        for (int b = 0; b < samples; b++)
            for (int f = 0; f < count; f++)
            {
                float x = features[b, f];
                if (!float.IsFinite(x))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Value [{b}, {f}] is {x}; the latency code needs finite values."), nameof(features));
                max = Math.Max(max, x);
            }
        if (options.Linear && max > 1 && !options.Normalize)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The linear code gives negative spike times for values above 1 (the largest is {max}); set Normalize or scale the data into [0, 1]."), nameof(features));
    }

    private static double Min(double[,] values)
    {
        double min = double.PositiveInfinity;
        foreach (double v in values) min = Math.Min(min, v);
        return min;
    }

    private static double Max(double[,] values, Func<double, double> map)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values) max = Math.Max(max, map(v));
        return max;
    }

    private static void Apply(double[,] values, Func<double, double> map)
    {
        for (int b = 0; b < values.GetLength(0); b++)
            for (int f = 0; f < values.GetLength(1); f++)
                values[b, f] = map(values[b, f]);
    }
}
