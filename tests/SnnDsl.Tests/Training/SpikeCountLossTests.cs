using SnnDsl.Training;

namespace SnnDsl.Tests.Training;

/// <summary>Spike counts of a raster, and the spike-count cross-entropy and MSE (snnTorch's ce_count_loss, mse_count_loss).</summary>
public class SpikeCountLossTests
{
    private const int Batch = 3, Steps = 4, Neurons = 5;
    private static readonly int[] Labels = [1, 4, 0];

    [Fact]
    public void Counts_of_a_raster_and_of_its_float_spikes_agree_with_the_raster()
    {
        // 70 neurons: two 64-bit words per row.
        SpikeRaster raster = SpikeRaster.Bernoulli(3, 50, 70, 0.2, seed: 5);
        var counts = SpikeCounts.Of(raster);
        var fromFloats = new SpikeCounts(3, 50, 70);
        var spikes = new float[3 * 50 * 70];
        for (int b = 0; b < 3; b++)
            for (int t = 0; t < 50; t++)
                for (int i = 0; i < 70; i++) spikes[(b * 50 + t) * 70 + i] = raster[b, t, i] ? 1f : 0f;
        fromFloats.Count(spikes);

        for (int b = 0; b < 3; b++)
        {
            int[] expected = raster.CountPerNeuron(b);
            for (int i = 0; i < 70; i++)
            {
                Assert.Equal(expected[i], counts[b, i]);
                Assert.Equal(expected[i], fromFloats[b, i]);
            }
        }
        Assert.Equal(raster.Count(), counts.Values.Sum());
    }

    public static TheoryData<string> Losses => ["cross-entropy", "mse", "mse 0.75/0.3"];

    private static float Loss(string name, SpikeCounts counts, Span<float> gradient) => name switch
    {
        "cross-entropy" => SpikeCountLoss.CrossEntropy(counts, Labels, gradient),
        "mse" => SpikeCountLoss.MeanSquaredError(counts, Labels, gradient),
        _ => SpikeCountLoss.MeanSquaredError(counts, Labels, gradient, correctRate: 0.75f, incorrectRate: 0.3f),
    };

    [Theory]
    [MemberData(nameof(Losses))]
    public void Gradient_with_respect_to_each_spike_matches_central_differences(string loss)
    {
        // Real-valued spikes, so every S[b, t, i] can be moved by ±h.
        float[] spikes = Numeric.Uniform(Batch * Steps * Neurons, 0f, 1f, seed: 11);
        var counts = new SpikeCounts(Batch, Steps, Neurons);
        counts.Count(spikes);
        var gradient = new float[spikes.Length];
        Loss(loss, counts, gradient);

        var scratch = new float[spikes.Length];
        Numeric.AssertGradient(s => { counts.Count(s); return Loss(loss, counts, scratch); }, spikes, gradient, h: 1e-2f, absolute: 2e-5);

        // A count loss sees the spikes only through ζ: the same gradient at every step.
        for (int b = 0; b < Batch; b++)
            for (int t = 1; t < Steps; t++)
                Assert.Equal(gradient.AsSpan(b * Steps * Neurons, Neurons), gradient.AsSpan((b * Steps + t) * Neurons, Neurons));
    }

    [Fact]
    public void Mse_count_loss_matches_snntorch_by_hand()
    {
        // T = 10, rates 0.75 / 0.25 → targets ⌊7.5⌋ = 7 for the label neuron and ⌊2.5⌋ = 2 for the others.
        var counts = new SpikeCounts(2, 10, 3);
        float[] zeta = [6f, 2f, 4f, /**/ 0f, 9f, 1f];
        zeta.CopyTo(counts.Values, 0);
        var gradient = new float[2 * 10 * 3];
        float loss = SpikeCountLoss.MeanSquaredError(counts, [0, 1], gradient, correctRate: 0.75f, incorrectRate: 0.25f);

        double[] error = [6 - 7, 2 - 2, 4 - 2, /**/ 0 - 2, 9 - 7, 1 - 2];
        Assert.Equal(error.Sum(e => e * e) / 6 / 10, loss, tolerance: 1e-6);        // nn.MSELoss (mean over B·N) / T
        for (int t = 0; t < 10; t++)
        {
            Numeric.AssertClose(error[..3].Select(e => 2 * e / 60).ToArray(), gradient[(t * 3)..(t * 3 + 3)], 1e-7);
            Numeric.AssertClose(error[3..].Select(e => 2 * e / 60).ToArray(), gradient[((10 + t) * 3)..((10 + t) * 3 + 3)], 1e-7);
        }
    }

    [Fact]
    public void Count_cross_entropy_matches_the_softmax_over_counts()
    {
        var counts = new SpikeCounts(1, 3, 2);
        counts.Values[0] = 2f;
        var gradient = new float[6];
        double p1 = 1 / (1 + Math.Exp(2));
        Assert.Equal(Math.Log(1 + Math.Exp(-2)), SpikeCountLoss.CrossEntropy(counts, [0], gradient), tolerance: 1e-7);
        Numeric.AssertClose([-p1, p1, -p1, p1, -p1, p1], gradient, 1e-7);
    }

    [Fact]
    public void Predictions_take_the_first_of_tied_counts()
    {
        var counts = new SpikeCounts(2, 10, 3);
        float[] zeta = [3f, 5f, 5f, /**/ 4f, 1f, 4f];
        zeta.CopyTo(counts.Values, 0);
        var predictions = new int[2];
        SpikeCountLoss.Predict(counts, predictions);
        Assert.Equal([1, 0], predictions);
        Assert.Equal(0.5f, SpikeCountLoss.Accuracy(counts, [1, 2]));
    }

    [Fact]
    public void Wrong_shapes_are_named()
    {
        var counts = new SpikeCounts(4, 100, 20);
        var error = Assert.Throws<ArgumentException>(() => SpikeCountLoss.CrossEntropy(counts, new int[4], new float[1200]));
        Assert.Contains("spike gradient has 1200 values, but batch 4 × steps 100 × neurons 20 = 8000", error.Message);

        error = Assert.Throws<ArgumentException>(() => counts.Count(new SpikeRaster(4, 50, 20)));
        Assert.Contains("raster is batch 4 × steps 50 × neurons 20, but the counts are for batch 4 × steps 100 × neurons 20", error.Message);

        error = Assert.Throws<ArgumentException>(() => SpikeCountLoss.MeanSquaredError(counts, new int[3], new float[8000]));
        Assert.Contains("3 labels for batch 4", error.Message);
    }
}
