using SnnDsl.Data;
using SnnDsl.Encoding;

namespace SnnDsl.Tests.Encoding;

public class EventBinningTests
{
    [Fact]
    public void An_event_on_a_bin_edge_belongs_to_the_bin_it_opens()
    {
        // 0.003 / 0.001 = 2.9999999999999996 in double; the edge 3·Δt = 0.003 still opens bin 3.
        var events = new EventStream([0.0, 0.003, 0.0029999, 0.0069], [0, 1, 2, 3], 4);
        SpikeRaster spikes = EventBinning.ToRaster([events], timeStep: 1e-3, steps: 7);
        Assert.True(spikes[0, 0, 0]);
        Assert.True(spikes[0, 3, 1]);
        Assert.True(spikes[0, 2, 2]);
        Assert.True(spikes[0, 6, 3]);
        Assert.Equal(4, spikes.Count());
    }

    [Fact]
    public void Binning_matches_tonic_to_frame_with_a_time_window()
    {
        // Tonic ToFrame(time_window=Δt): windows [t0 + iΔt, t0 + (i+1)Δt) from the first event t0, found with
        // np.searchsorted on integer µs timestamps. Restated here in integer arithmetic.
        var random = new Random(4);
        const int Channels = 16, Window = 2500;   // µs
        long[] micros = Enumerable.Range(0, 400).Select(_ => (long)random.Next(1000, 60000)).Order().ToArray();
        int[] channels = micros.Select(_ => random.Next(Channels)).ToArray();
        long t0 = micros[0];
        int steps = (int)((micros[^1] - t0) / Window) + 1;

        var expected = new bool[steps, Channels];
        for (int k = 0; k < micros.Length; k++) expected[(micros[k] - t0) / Window, channels[k]] = true;

        var events = new EventStream(micros.Select(us => us * 1e-6).ToArray(), channels, Channels);
        SpikeRaster spikes = EventBinning.ToRaster([events], Window * 1e-6, steps, start: t0 * 1e-6);
        for (int t = 0; t < steps; t++)
            for (int c = 0; c < Channels; c++)
                Assert.True(expected[t, c] == spikes[0, t, c], $"step {t}, channel {c}");
    }

    [Fact]
    public void Late_and_early_events_raise_errors_that_name_sample_event_and_time()
    {
        var late = new EventStream([0.001, 0.5], [0, 0], 1);
        var e = Assert.Throws<ArgumentException>(() => EventBinning.ToRaster([late, late], 1e-3, 100));
        Assert.Contains("Sample 0, event 1 at 0.5 s", e.Message);
        Assert.Equal(1, EventBinning.ToRaster([late], 1e-3, 100, dropLateEvents: true).Count());
        var early = new EventStream([0.001], [0], 1);
        e = Assert.Throws<ArgumentException>(() => EventBinning.ToRaster([early], 1e-3, 10, start: 0.002));
        Assert.Contains("before the window's start", e.Message);
        e = Assert.Throws<ArgumentException>(() => EventBinning.ToRaster([early, new EventStream([], [], 2)], 1e-3, 10));
        Assert.Contains("Sample 1 has 2 channels", e.Message);
    }

    [Fact]
    public void Event_streams_reject_channels_out_of_range_and_mismatched_lengths()
    {
        Assert.Contains("Event 1 has channel 5", Assert.Throws<ArgumentException>(() => new EventStream([0, 1], [0, 5], 5)).Message);
        Assert.Contains("2 times but 1 channels", Assert.Throws<ArgumentException>(() => new EventStream([0, 1], [0], 5)).Message);
        Assert.Contains("Event 0 has time", Assert.Throws<ArgumentException>(() => new EventStream([double.NaN], [0], 5)).Message);
    }
}
