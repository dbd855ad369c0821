namespace SnnDsl.Tests.Kernels;

/// <summary>
/// <see cref="StateRecording.RowWalkingBack"/>, which the generated backward pass reads the recordings with: the same
/// values as <see cref="StateRecording.Row"/> for every (sample, step), whether or not there is an earlier row to ask
/// the cache for, and for rows shorter than a cache line.
/// </summary>
public class StateRecordingTests
{
    [Theory]
    [InlineData(3, 5, 256)]
    [InlineData(2, 4, 20)]
    [InlineData(1, 1, 7)]
    public void Walking_back_reads_the_rows_Row_reads(int batch, int steps, int neurons)
    {
        var recording = new StateRecording("Hidden", "U", batch, steps, neurons);
        for (int k = 0; k < recording.Values.Length; k++) recording.Values[k] = k * 0.5f - 3f;

        for (int b = batch - 1; b >= 0; b--)
            for (int t = steps - 1; t >= 0; t--)
                Assert.True(recording.RowWalkingBack(b, t).SequenceEqual(recording.Row(b, t)), $"sample {b}, step {t}");
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => recording.RowWalkingBack(batch - 1, steps).Length);
    }
}
