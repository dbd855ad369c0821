namespace SnnDsl.Tests.Kernels;

/// <summary>
/// <see cref="StateRecording.RowWalkingBack"/> and <see cref="StateRecording.RowWalkingForward"/>, which the generated
/// backward and forward passes read and write the recordings with: the same rows as <see cref="StateRecording.Row"/>
/// for every (sample, step), whether or not there is a row to ask the cache for, and for rows shorter than a cache line;
/// and <see cref="StateRecording.Stream"/>, which writes the traces of a generated forward pass past the caches once a
/// recording is larger than <see cref="StateRecording.StreamingBytes"/>.
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

    /// <summary>
    /// Rows of every alignment (1,037 and 3 neurons start each row at another offset in its cache line), rows of whole
    /// lines (256) and a row shorter than a vector (3): streamed on several threads, each fenced, they hold what was written.
    /// </summary>
    [Theory]
    [Trait("Category", "Kernels")]
    [InlineData(4, 256)]
    [InlineData(8, 1037)]
    [InlineData(16, 3)]
    [InlineData(2, 20)]
    public void Stream_writes_past_the_caches_the_values_it_is_given(int batch, int neurons)
    {
        int steps = (int)(StateRecording.StreamingBytes / sizeof(float) / (batch * neurons)) + 1;
        var recording = new StateRecording("Hidden", "U", batch, steps, neurons);
        Assert.True(recording.Streams, $"{recording.Values.Length * sizeof(float)} bytes should stream");
        static float Value(int b, int t, int i) => b * 1e4f + t * 10f + i * 1e-3f;

        Parallel.For(0, batch, new ParallelOptions { MaxDegreeOfParallelism = 2 }, b =>
        {
            var state = new float[neurons];
            for (int t = 0; t < steps; t++)
            {
                for (int i = 0; i < neurons; i++) state[i] = Value(b, t, i);
                recording.Stream(b, t, state);
            }
            StateRecording.FinishStreaming();
        });

        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int i = 0; i < neurons; i++)
                    Assert.True(Value(b, t, i) == recording[b, t, i], $"sample {b}, step {t}, neuron {i} (SIMD {SpikeOps.ActiveSimdWidth})");
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => recording.Stream(0, 0, new float[neurons + 1]));
    }

    [Fact]
    [Trait("Category", "Kernels")]
    public void A_recording_no_larger_than_the_streaming_size_is_written_through_the_caches()
    {
        var small = new StateRecording("Hidden", "U", 1, 1, (int)(StateRecording.StreamingBytes / sizeof(float)));
        var large = new StateRecording("Hidden", "U", 1, 1, (int)(StateRecording.StreamingBytes / sizeof(float)) + 1);
        Assert.False(small.Streams);
        Assert.True(large.Streams);
        float[] state = Enumerable.Range(0, small.Neurons).Select(i => i * 0.25f).ToArray();
        small.Stream(0, 0, state);
        Assert.Equal(state, small.Values);
    }

    /// <summary>
    /// A generated forward pass over a batch whose traces stream (48 samples × 90 steps × 70 neurons, 1.2 MB) records
    /// the same bits as the same samples simulated one at a time, whose traces (25 KB) go through the caches.
    /// </summary>
    [Fact]
    [Trait("Category", "Kernels")]
    public void A_generated_forward_pass_streams_the_traces_it_would_record_through_the_caches()
    {
        const int batch = 48, steps = 90;
        var network = new WideRecurrentNet();
        network.InitializeWeights(3, scale: 2.5f);
        var random = new Random(4);
        var inputs = new SpikeRaster(batch, steps, 40);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int c = 0; c < 40; c++) inputs[b, t, c] = random.NextDouble() < 0.15;

        SimulationResult whole = network.Simulate([inputs], new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = 2 });
        Assert.True(whole.States("Hidden", "U").Streams);
        for (int b = 0; b < batch; b++)
        {
            var one = new SpikeRaster(1, steps, 40);
            for (int t = 0; t < steps; t++) inputs.Row(b, t).CopyTo(one.Row(0, t));
            SimulationResult alone = network.Simulate([one], new SimulationOptions { RecordAllStates = true });
            foreach (StateRecording trace in alone.RecordedStates)
            {
                Assert.False(trace.Streams);
                StateRecording streamed = whole.States(trace.Population, trace.State);
                for (int t = 0; t < steps; t++)
                    Assert.True(trace.Row(0, t).SequenceEqual(streamed.Row(b, t)), $"{trace.Population}.{trace.State}, sample {b}, step {t} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
    }
}
