using System.Runtime.Intrinsics.X86;

namespace SnnDsl.Tests.Kernels;

/// <summary>
/// <see cref="StateRecording.RowWalkingBack"/> and <see cref="StateRecording.RowWalkingForward"/>, which the generated
/// backward and forward passes read and write the recordings with: the same rows as <see cref="StateRecording.Row"/>
/// for every (sample, step), whether or not there is a row to ask the cache for, and for rows shorter than a cache line;
/// and <see cref="StateRecording.Stream"/>, which writes the traces of a generated forward pass past the caches when
/// <see cref="StateRecording.Streams"/> (a recording larger than <see cref="StateRecording.StreamingBytes"/>, long rows,
/// AVX-512), and through them otherwise.
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
    /// Rows that begin at another offset in their cache line from row to row (1,037 and 300 neurons) and rows of whole
    /// lines (256), streamed on several threads, each fenced, hold what was written; so do rows too short to stream (20, 3)
    /// and every row at a width that does not stream (Vector256, scalar).
    /// </summary>
    [Theory]
    [Trait("Category", "Kernels")]
    [InlineData(4, 256)]
    [InlineData(8, 1037)]
    [InlineData(6, 300)]
    [InlineData(2, 20)]
    [InlineData(16, 3)]
    public void Stream_writes_the_values_it_is_given(int batch, int neurons)
    {
        int steps = (int)(StateRecording.StreamingBytes / sizeof(float) / (batch * neurons)) + 1;
        var recording = new StateRecording("Hidden", "U", batch, steps, neurons);
        Assert.Equal(Avx512F.IsSupported && neurons >= StateRecording.StreamingRowFloats, recording.Streams);
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
                    Assert.True(Value(b, t, i) == recording[b, t, i], $"sample {b}, step {t}, neuron {i} (SIMD {SpikeOps.ActiveSimdWidth}, streamed {recording.Streams})");
        Assert.ThrowsAny<ArgumentException>(() => recording.Stream(0, 0, new float[neurons + 1]));
    }

    [Fact]
    [Trait("Category", "Kernels")]
    public void A_recording_no_larger_than_the_streaming_size_is_written_through_the_caches()
    {
        int rows = (int)(StateRecording.StreamingBytes / sizeof(float) / StateRecording.StreamingRowFloats);
        var small = new StateRecording("Hidden", "U", 1, rows, StateRecording.StreamingRowFloats);
        var large = new StateRecording("Hidden", "U", 1, rows + 1, StateRecording.StreamingRowFloats);
        Assert.False(small.Streams);
        Assert.Equal(Avx512F.IsSupported, large.Streams);
    }

    /// <summary>
    /// A generated forward pass over a batch whose hidden traces stream at Vector512 (16 samples × 70 steps × 256
    /// neurons, 1.1 MiB) records the same bits as the same samples simulated one at a time, whose traces (70 KiB) go
    /// through the caches.
    /// </summary>
    [Fact]
    [Trait("Category", "Kernels")]
    public void A_generated_forward_pass_streams_the_traces_it_would_record_through_the_caches()
    {
        const int batch = 16, steps = 70, channels = 300;
        var network = new LargeRecurrentNet();
        network.InitializeWeights(3, scale: 2.5f);
        var random = new Random(4);
        var inputs = new SpikeRaster(batch, steps, channels);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int c = 0; c < channels; c++) inputs[b, t, c] = random.NextDouble() < 0.05;

        SimulationResult whole = network.Simulate([inputs], new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = 2 });
        Assert.Equal(Avx512F.IsSupported, whole.States("Hidden", "U").Streams);
        Assert.True(whole.Spikes("Hidden").Bits.Any(w => w != 0), "no hidden spikes: the traces would test little");
        for (int b = 0; b < batch; b++)
        {
            var one = new SpikeRaster(1, steps, channels);
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
