namespace SnnDsl.Tests.Kernels;

/// <summary>
/// <see cref="StateRecording.RowWalkingBack"/> and <see cref="StateRecording.RowWalkingForward"/>, which the generated
/// backward and forward passes read and write the recordings with: the same rows as <see cref="StateRecording.Row"/>
/// for every (sample, step), whether or not there is a row to ask the cache for, and for rows shorter than a cache line.
/// </summary>
public class StateRecordingTests
{
    [Theory]
    [InlineData(3, 5, 256)]
    [InlineData(2, 4, 20)]
    [InlineData(1, 1, 7)]
    [InlineData(2, 5, 0)]
    public void Walking_back_reads_the_rows_Row_reads(int batch, int steps, int neurons)
    {
        var recording = new StateRecording("Hidden", "U", batch, steps, neurons);
        for (int k = 0; k < recording.Values.Length; k++) recording.Values[k] = k * 0.5f - 3f;

        for (int b = batch - 1; b >= 0; b--)
            for (int t = steps - 1; t >= 0; t--)
                Assert.True(recording.RowWalkingBack(b, t).SequenceEqual(recording.Row(b, t)), $"sample {b}, step {t}");
        if (neurons == 0) return;   // an empty row lies anywhere in an empty recording
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => recording.RowWalkingBack(batch, steps - 1).Length);
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => recording.RowWalkingForward(batch, 0).Length);
    }

    [Theory]
    [InlineData(3, 5, 256)]
    [InlineData(2, 4, 20)]
    [InlineData(1, 1, 7)]
    [InlineData(2, 5, 0)]
    public void Walking_forward_writes_the_rows_Row_reads(int batch, int steps, int neurons)
    {
        var recording = new StateRecording("Hidden", "I", batch, steps, neurons);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                Span<float> row = recording.RowWalkingForward(b, t);
                for (int i = 0; i < neurons; i++) row[i] = (b * steps + t) * 1000f + i;
            }

        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int i = 0; i < neurons; i++)
                    Assert.Equal((b * steps + t) * 1000f + i, recording[b, t, i]);
    }
}
