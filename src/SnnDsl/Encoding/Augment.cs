using System.Numerics;
using SnnDsl.Data;

namespace SnnDsl.Encoding;

/// <summary>
/// Seeded data augmentation of event streams in continuous time, after Tonic's transforms (<c>TimeJitter</c>,
/// <c>DropEvent</c>, <c>TimeSkew</c> with coefficient 1 as a shift, <c>DropPixel</c> for random channels). Every
/// draw comes from the <see cref="Random"/> passed in, so a seeded generator reproduces the result.
/// </summary>
public static class EventAugment
{
    /// <summary>
    /// Tonic <c>TimeJitter(std, clip_negative)</c>: every event time t ← t + n, n ~ N(0, σ²) independently. Events
    /// that land before 0 are dropped when <paramref name="dropNegative"/> (Tonic's <c>clip_negative</c>; here the
    /// default, because binning rejects negative times). Order is kept (Tonic's <c>sort_timestamps=False</c>).
    /// </summary>
    public static EventStream TimeJitter(EventStream events, double std, Random random, bool dropNegative = true)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(random);
        CheckNonNegative(std, nameof(std));
        var times = new double[events.Count];
        for (int k = 0; k < times.Length; k++) times[k] = events.Times[k] + std * random.NextGaussian();
        var jittered = new EventStream(times, (int[])events.Channels.Clone(), events.ChannelCount);
        return dropNegative ? jittered.Where((t, _) => t >= 0) : jittered;
    }

    /// <summary>
    /// Time shift (Tonic <c>TimeSkew(coefficient=1, offset=(−s, s))</c>): one offset o ~ U[−s, s) for the whole
    /// recording, t ← t + o; events shifted before 0 are dropped.
    /// </summary>
    public static EventStream TimeShift(EventStream events, double maxShift, Random random)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(random);
        CheckNonNegative(maxShift, nameof(maxShift));
        double offset = (2 * random.NextDouble() - 1) * maxShift;
        var times = Array.ConvertAll(events.Times, t => t + offset);
        return new EventStream(times, (int[])events.Channels.Clone(), events.ChannelCount).Where((t, _) => t >= 0);
    }

    /// <summary>Channel drop: each channel is silenced with probability <paramref name="p"/> (one draw per channel, in channel order), removing all its events.</summary>
    public static EventStream DropChannels(EventStream events, double p, Random random)
    {
        ArgumentNullException.ThrowIfNull(events);
        bool[] dropped = DrawDroppedChannels(events.ChannelCount, p, random);
        return events.Where((_, channel) => !dropped[channel]);
    }

    /// <summary>Tonic <c>DropEvent(p)</c>: each event is removed independently with probability <paramref name="p"/>.</summary>
    public static EventStream DropEvents(EventStream events, double p, Random random)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(random);
        CheckProbability(p);
        return events.Where((_, _) => random.NextDouble() >= p);
    }

    internal static bool[] DrawDroppedChannels(int channels, double p, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckProbability(p);
        var dropped = new bool[channels];
        for (int c = 0; c < channels; c++) dropped[c] = random.NextDouble() < p;
        return dropped;
    }

    internal static void CheckProbability(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must lie in [0, 1].");
    }

    internal static void CheckNonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, value, "Must be finite and non-negative.");
    }

    /// <summary>A standard normal draw (Box–Muller on two uniform draws).</summary>
    internal static double NextGaussian(this Random random)
    {
        double u1 = 1.0 - random.NextDouble();   // (0, 1]: the logarithm stays finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

/// <summary>
/// The same augmentations on binned spikes, in whole steps, for data that arrives as a raster (e.g. SHD from
/// <see cref="Shd.Load"/>); use them in <see cref="Training.TrainerOptions.Augment"/> to draw new ones every batch.
/// Spikes moved outside [0, T) are dropped; spikes moved onto the same (step, channel) merge into one.
/// </summary>
public static class RasterAugment
{
    /// <summary>Each spike moves by round(n) steps, n ~ N(0, σ²) with σ = <paramref name="stdSteps"/> (one draw per spike, sample by sample, step by step, channel by channel).</summary>
    public static SpikeRaster TimeJitter(SpikeRaster spikes, double stdSteps, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        EventAugment.CheckNonNegative(stdSteps, nameof(stdSteps));
        return Move(spikes, (_, _) => (int)Math.Round(stdSteps * random.NextGaussian(), MidpointRounding.ToEven), _ => { });
    }

    /// <summary>Every sample is shifted as a whole by s steps, s uniform in {−max, …, max} (one draw per sample).</summary>
    public static SpikeRaster TimeShift(SpikeRaster spikes, int maxShift, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(maxShift);
        int shift = 0;
        return Move(spikes, (_, _) => shift, _ => shift = random.Next(-maxShift, maxShift + 1));
    }

    /// <summary>In every sample, each channel is silenced with probability <paramref name="p"/> (one draw per channel and sample).</summary>
    public static SpikeRaster DropChannels(SpikeRaster spikes, double p, Random random)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        var result = new SpikeRaster(spikes.Batch, spikes.Steps, spikes.Neurons);
        var mask = new ulong[spikes.WordsPerRow];
        for (int b = 0; b < spikes.Batch; b++)
        {
            bool[] dropped = EventAugment.DrawDroppedChannels(spikes.Neurons, p, random);
            Array.Fill(mask, ulong.MaxValue);
            for (int c = 0; c < dropped.Length; c++) if (dropped[c]) mask[c >> 6] &= ~(1UL << (c & 63));
            for (int t = 0; t < spikes.Steps; t++)
            {
                Span<ulong> source = spikes.Row(b, t), target = result.Row(b, t);
                for (int w = 0; w < mask.Length; w++) target[w] = source[w] & mask[w];
            }
        }
        return result;
    }

    // Moves every spike of sample b from step t to t + offset(t, channel); startSample runs before each sample.
    private static SpikeRaster Move(SpikeRaster spikes, Func<int, int, int> offset, Action<int> startSample)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        var result = new SpikeRaster(spikes.Batch, spikes.Steps, spikes.Neurons);
        for (int b = 0; b < spikes.Batch; b++)
        {
            startSample(b);
            for (int t = 0; t < spikes.Steps; t++)
            {
                Span<ulong> row = spikes.Row(b, t);
                for (int w = 0; w < row.Length; w++)
                {
                    for (ulong bits = row[w]; bits != 0; bits &= bits - 1)
                    {
                        int channel = (w << 6) + BitOperations.TrailingZeroCount(bits);
                        int step = t + offset(t, channel);
                        if ((uint)step < (uint)spikes.Steps) result[b, step, channel] = true;
                    }
                }
            }
        }
        return result;
    }
}
