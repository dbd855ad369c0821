using System.Globalization;

namespace SnnDsl.Data;

/// <summary>
/// The events of one recording: event k is a spike of channel <see cref="Channels"/>[k] at time
/// <see cref="Times"/>[k] seconds. Order is free (readers keep the file's order); times are finite and may be
/// negative only transiently (a transform may produce them, binning rejects or drops them).
/// </summary>
public sealed class EventStream
{
    /// <summary>Wraps the arrays (not copied).</summary>
    /// <exception cref="ArgumentException">Lengths differ, a channel is outside [0, channelCount) or a time is not finite.</exception>
    public EventStream(double[] times, int[] channels, int channelCount)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        if (times.Length != channels.Length)
            throw new ArgumentException(FormattableString.Invariant($"{times.Length} times but {channels.Length} channels; an event needs both."), nameof(channels));
        for (int k = 0; k < times.Length; k++)
        {
            if ((uint)channels[k] >= (uint)channelCount)
                throw new ArgumentException(FormattableString.Invariant($"Event {k} has channel {channels[k]}, outside [0, {channelCount})."), nameof(channels));
            if (!double.IsFinite(times[k]))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Event {k} has time {times[k]}; times must be finite (seconds)."), nameof(times));
        }
        Times = times;
        Channels = channels;
        ChannelCount = channelCount;
    }

    /// <summary>Event times in seconds.</summary>
    public double[] Times { get; }

    /// <summary>Event channels, in [0, <see cref="ChannelCount"/>).</summary>
    public int[] Channels { get; }

    /// <summary>Number of channels of the recording's source (input neurons after binning).</summary>
    public int ChannelCount { get; }

    /// <summary>Number of events.</summary>
    public int Count => Times.Length;

    /// <summary>The events for which <paramref name="keep"/> holds, in order.</summary>
    public EventStream Where(Func<double, int, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var times = new List<double>(Count);
        var channels = new List<int>(Count);
        for (int k = 0; k < Count; k++)
        {
            if (!keep(Times[k], Channels[k])) continue;
            times.Add(Times[k]);
            channels.Add(Channels[k]);
        }
        return new EventStream(times.ToArray(), channels.ToArray(), ChannelCount);
    }
}

/// <summary>Event recordings with one class label each, as the event-file readers return them.</summary>
/// <param name="Samples">One event stream per sample.</param>
/// <param name="Labels">Class of each sample, in [0, <paramref name="Classes"/>).</param>
/// <param name="Classes">Number of classes.</param>
public sealed record LabelledEvents(IReadOnlyList<EventStream> Samples, int[] Labels, int Classes)
{
    /// <summary>Bins every sample with <see cref="Encoding.EventBinning.ToRaster"/> into a <see cref="Dataset"/>.</summary>
    public Dataset ToDataset(double timeStep, int steps, double start = 0, bool dropLateEvents = false) =>
        new(Encoding.EventBinning.ToRaster(Samples, timeStep, steps, start, dropLateEvents), Labels, Classes);
}
