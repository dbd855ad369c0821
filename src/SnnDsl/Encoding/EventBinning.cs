using System.Globalization;
using SnnDsl.Data;

namespace SnnDsl.Encoding;

/// <summary>
/// Bins event streams into a <see cref="SpikeRaster"/> of T steps of Δt: bin k holds the events with
/// start + k·Δt ≤ t &lt; start + (k + 1)·Δt (edges computed in double precision exactly so, so t = 3 ms with
/// Δt = 1 ms lands in bin 3, not in bin 2 as ⌊0.003/0.001⌋ would give). Tonic's <c>ToFrame(time_window=Δt)</c> bins
/// the same way with start = the first event's time; several events of one channel in one bin are one spike
/// (Tonic counts them).
/// </summary>
public static class EventBinning
{
    /// <summary>One raster sample per stream, all with the same channel count.</summary>
    /// <param name="samples">Event streams (times in seconds).</param>
    /// <param name="timeStep">Δt in seconds.</param>
    /// <param name="steps">Number of bins T.</param>
    /// <param name="start">Time of the left edge of bin 0, in seconds.</param>
    /// <param name="dropLateEvents">Drop events at or after start + T·Δt instead of raising an error.</param>
    /// <exception cref="ArgumentException">Streams differ in channel count, an event lies before <paramref name="start"/>, or (unless dropped) after the window.</exception>
    public static SpikeRaster ToRaster(IReadOnlyList<EventStream> samples, double timeStep, int steps, double start = 0, bool dropLateEvents = false)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("There is no sample to bin.", nameof(samples));
        if (!(timeStep > 0) || double.IsInfinity(timeStep))
            throw new ArgumentOutOfRangeException(nameof(timeStep), timeStep, "Δt must be positive and finite (seconds).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (!double.IsFinite(start)) throw new ArgumentOutOfRangeException(nameof(start), start, "The start time must be finite.");
        int channels = samples[0].ChannelCount;
        var raster = new SpikeRaster(samples.Count, steps, channels);
        for (int b = 0; b < samples.Count; b++)
        {
            EventStream events = samples[b];
            if (events.ChannelCount != channels)
                throw new ArgumentException(FormattableString.Invariant($"Sample {b} has {events.ChannelCount} channels but sample 0 has {channels}."), nameof(samples));
            for (int k = 0; k < events.Count; k++)
            {
                double t = events.Times[k];
                long bin = Bin(t, start, timeStep);
                if (bin < 0)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Sample {b}, event {k} at {t} s lies before the window's start {start} s."), nameof(samples));
                if (bin >= steps)
                {
                    if (dropLateEvents) continue;
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Sample {b}, event {k} at {t} s lies at or after the window's end {start + steps * timeStep} s ({steps} steps of {timeStep} s); pass dropLateEvents: true or widen the window."), nameof(samples));
                }
                raster[b, (int)bin, events.Channels[k]] = true;
            }
        }
        return raster;
    }

    /// <summary>The bin k with start + k·Δt ≤ t &lt; start + (k + 1)·Δt (negative before the start).</summary>
    public static long Bin(double time, double start, double timeStep)
    {
        double k = Math.Floor((time - start) / timeStep);
        if (k >= long.MaxValue / 2) return long.MaxValue;
        long bin = (long)k;
        // The quotient can round across an edge; settle on the edges as computed in double precision.
        if (start + (bin + 1) * timeStep <= time) bin++;
        else if (start + bin * timeStep > time) bin--;
        return bin;
    }
}
