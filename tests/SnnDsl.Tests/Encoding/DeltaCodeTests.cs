using SnnDsl.Encoding;

namespace SnnDsl.Tests.Encoding;

public class DeltaCodeTests
{
    private static float[,,] Series(params float[] values)
    {
        var x = new float[1, values.Length, 1];
        for (int t = 0; t < values.Length; t++) x[0, t, 0] = values[t];
        return x;
    }

    // +1 for an on spike (channel 0), −1 for an off spike (channel 1), as snnTorch's off_spike output.
    private static int[] Signed(SpikeRaster spikes) =>
        Enumerable.Range(0, spikes.Steps).Select(t => (spikes[0, t, 0] ? 1 : 0) - (spikes.Neurons > 1 && spikes[0, t, 1] ? 1 : 0)).ToArray();

    [Fact]
    public void Step_difference_is_what_snntorch_delta_computes()
    {
        // (data − data shifted by one step, 0 or data[0] before) ≥ ϑ, in float32.
        Assert.Equal([1, 1, 0, 0, 0], Signed(DeltaCode.StepDifference(Series(1, 2, 2.9f, 3, 3.9f), 1f)));
        Assert.Equal([0, 1, 0, 0, 0], Signed(DeltaCode.StepDifference(Series(1, 2, 2.9f, 3, 3.9f), 1f, padding: true)));
        Assert.Equal([1, 1, -1, 1, 0], Signed(DeltaCode.StepDifference(Series(1, 2, 0, 2, 2.9f), 1f, offSpikes: true)));
        Assert.Equal([0, 1, -1, 1, 0], Signed(DeltaCode.StepDifference(Series(1, 2, 0, 2, 2.9f), 1f, padding: true, offSpikes: true)));
    }

    [Fact]
    public void Send_on_delta_reproduces_the_examples_of_the_snntorch_docstring()
    {
        // The docstring's outputs: the reference level moves only at a spike, so 2 → 2.9 → 3 crosses at 3.
        Assert.Equal([1, 1, 0, 1, 0], Signed(DeltaCode.SendOnDelta(Series(1, 2, 2.9f, 3, 3.9f), 1f)));
        Assert.Equal([0, 1, 0, 1, 0], Signed(DeltaCode.SendOnDelta(Series(1, 2, 2.9f, 3, 3.9f), 1f, padding: true)));
        Assert.Equal([1, 1, -1, 1, 0], Signed(DeltaCode.SendOnDelta(Series(1, 2, 0, 2, 2.9f), 1f, offSpikes: true)));
        Assert.Equal([0, 1, -1, 1, 0], Signed(DeltaCode.SendOnDelta(Series(1, 2, 0, 2, 2.9f), 1f, padding: true, offSpikes: true)));
    }

    [Fact]
    public void A_slow_drift_fires_only_the_send_on_delta_code()
    {
        float[,,] ramp = Series(0, 0.3f, 0.6f, 0.9f, 1.2f, 1.5f, 1.8f, 2.1f);
        Assert.Equal(0, DeltaCode.StepDifference(ramp, 1f, padding: true).Count());
        Assert.Equal([0, 0, 0, 0, 1, 0, 0, 0], Signed(DeltaCode.SendOnDelta(ramp, 1f, padding: true)));
    }

    [Fact]
    public void Off_spikes_double_the_channels_on_first_then_off()
    {
        var x = new float[1, 2, 3];
        x[0, 1, 2] = -5f;
        SpikeRaster spikes = DeltaCode.StepDifference(x, 1f, offSpikes: true);
        Assert.Equal(6, spikes.Neurons);
        Assert.Equal(1, spikes.Count());
        Assert.True(spikes[0, 1, 3 + 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => DeltaCode.StepDifference(x, 0f));
    }
}
