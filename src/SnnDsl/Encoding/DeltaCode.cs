using System.Globalization;

namespace SnnDsl.Encoding;

/// <summary>
/// Delta (change) codes for time-varying data [samples, steps, features]: a spike marks a change of at least a
/// threshold ϑ. With off spikes the raster has 2F channels: channel f is the "on" spike of feature f (an increase),
/// channel F + f its "off" spike (a decrease); snnTorch returns −1 for an off spike, which a binary raster cannot hold.
/// </summary>
public static class DeltaCode
{
    /// <summary>
    /// snnTorch's <c>spikegen.delta</c>: S[t] = 1 where x[t] − x[t−1] ≥ ϑ, and (with off spikes) an off spike where
    /// x[t] − x[t−1] ≤ −ϑ. Before the first step x[−1] = 0, or x[−1] = x[0] with <paramref name="padding"/> (no spike at
    /// t = 0). Differences are taken in single precision, as torch's float32 tensors.
    /// </summary>
    /// <remarks>
    /// This is what snnTorch's code computes. The examples in its docstring (e.g. [1, 2, 2.9, 3, 3.9] with ϑ = 1 →
    /// [1, 1, 0, 1, 0]) are those of a send-on-delta coder instead: see <see cref="SendOnDelta"/>.
    /// </remarks>
    /// <param name="data">Values [samples, steps, features].</param>
    /// <param name="threshold">ϑ &gt; 0.</param>
    /// <param name="padding">Compare step 0 with itself instead of with 0.</param>
    /// <param name="offSpikes">Add F channels of off spikes.</param>
    public static SpikeRaster StepDifference(float[,,] data, float threshold, bool padding = false, bool offSpikes = false) =>
        Encode(data, threshold, padding, offSpikes, trackLastSpike: false);

    /// <summary>
    /// Send-on-delta (threshold-crossing) code: each feature keeps a reference level r, initially 0 (or x[0] with
    /// <paramref name="padding"/>); a spike fires when x[t] − r ≥ ϑ (off spike: ≤ −ϑ) and r then becomes x[t]. Slow
    /// drifts that add up to ϑ fire too, unlike <see cref="StepDifference"/>. This reproduces the examples of
    /// snnTorch's <c>spikegen.delta</c> docstring.
    /// </summary>
    /// <param name="data">Values [samples, steps, features].</param>
    /// <param name="threshold">ϑ &gt; 0.</param>
    /// <param name="padding">Start the reference at x[0] instead of 0.</param>
    /// <param name="offSpikes">Add F channels of off spikes (decreases of at least ϑ); without them a decrease only moves r.</param>
    public static SpikeRaster SendOnDelta(float[,,] data, float threshold, bool padding = false, bool offSpikes = false) =>
        Encode(data, threshold, padding, offSpikes, trackLastSpike: true);

    private static SpikeRaster Encode(float[,,] data, float threshold, bool padding, bool offSpikes, bool trackLastSpike)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(threshold > 0) || float.IsInfinity(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The delta threshold must be positive and finite.");
        int samples = data.GetLength(0), steps = data.GetLength(1), features = data.GetLength(2);
        if (samples == 0 || steps == 0 || features == 0)
            throw new ArgumentException(FormattableString.Invariant($"The input has shape [{samples}, {steps}, {features}]; every dimension must be at least 1."), nameof(data));
        var raster = new SpikeRaster(samples, steps, offSpikes ? 2 * features : features);
        for (int b = 0; b < samples; b++)
        {
            for (int f = 0; f < features; f++)
            {
                float reference = padding ? data[b, 0, f] : 0f;
                for (int t = 0; t < steps; t++)
                {
                    float x = data[b, t, f];
                    if (float.IsNaN(x))
                        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Value [{b}, {t}, {f}] is NaN."), nameof(data));
                    float change = x - reference;
                    bool on = change >= threshold, off = change <= -threshold;
                    if (on) raster[b, t, f] = true;
                    if (off && offSpikes) raster[b, t, features + f] = true;
                    // Step difference compares with the previous value; send-on-delta with the value at the last crossing.
                    if (!trackLastSpike || on || off) reference = x;
                }
            }
        }
        return raster;
    }
}
