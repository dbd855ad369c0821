using SnnDsl.Training;

namespace SnnDsl.Tests.Training;

/// <summary>Cross-entropy on the readout trace over max-over-time, mean-over-time and last step (SpyTorch convention and variants).</summary>
public class ReadoutLossTests
{
    private const int Batch = 3, Steps = 6, Classes = 5;
    private static readonly int[] Labels = [2, 0, 4];

    /// <summary>Distinct values 0.037 apart in shuffled order, so a ±0.01 step never changes which step is the maximum.</summary>
    private static float[] SpacedReadout()
    {
        int n = Batch * Steps * Classes;
        float[] values = Enumerable.Range(0, n).Select(k => -1.6f + 0.037f * k).ToArray();
        new Random(7).Shuffle(values);
        return values;
    }

    [Theory]
    [InlineData(TimeReduction.Max, Batch * Classes)]
    [InlineData(TimeReduction.Mean, Batch * Steps * Classes)]
    [InlineData(TimeReduction.Last, Batch * Classes)]
    public void Gradient_matches_central_differences(TimeReduction reduction, int nonZero)
    {
        float[] readout = SpacedReadout();
        var gradient = new float[readout.Length];
        ReadoutLoss.CrossEntropy(readout, Labels, Steps, Classes, reduction, gradient);

        var scratch = new float[readout.Length];
        Numeric.AssertGradient(
            u => ReadoutLoss.CrossEntropy(u, Labels, Steps, Classes, reduction, scratch), readout, gradient, h: 1e-2f, absolute: 5e-5);
        Assert.Equal(nonZero, gradient.Count(g => g != 0f));
    }

    [Fact]
    public void Loss_and_gradient_match_hand_computed_values()
    {
        // One sample, two steps, two classes, label 0: U[t=0] = (1, 0), U[t=1] = (3, −1); index t·2 + c.
        float[] readout = [1f, 0f, 3f, -1f];
        var gradient = new float[4];
        static double Ce(double z0, double z1) => Math.Log(Math.Exp(z0) + Math.Exp(z1)) - z0;   // −log softmax(z)_0
        static double P1(double z0, double z1) => Math.Exp(z1) / (Math.Exp(z0) + Math.Exp(z1)); // softmax(z)_1 = −∂ℓ/∂z0 = ∂ℓ/∂z1

        // Max: z = (3, 0); class 0 peaks at t = 1, class 1 at t = 0.
        Assert.Equal(Ce(3, 0), ReadoutLoss.CrossEntropy(readout, [0], 2, 2, TimeReduction.Max, gradient), tolerance: 1e-6);
        Numeric.AssertClose([0, P1(3, 0), -P1(3, 0), 0], gradient, 1e-7);

        // Mean: z = (2, −0.5); each step carries half of ∂ℓ/∂z.
        Assert.Equal(Ce(2, -0.5), ReadoutLoss.CrossEntropy(readout, [0], 2, 2, TimeReduction.Mean, gradient), tolerance: 1e-6);
        double half = P1(2, -0.5) / 2;
        Numeric.AssertClose([-half, half, -half, half], gradient, 1e-7);

        // Last: z = (3, −1); only t = 1 carries gradient.
        Assert.Equal(Ce(3, -1), ReadoutLoss.CrossEntropy(readout, [0], 2, 2, TimeReduction.Last, gradient), tolerance: 1e-6);
        Numeric.AssertClose([0, 0, -P1(3, -1), P1(3, -1)], gradient, 1e-7);
    }

    [Fact]
    public void Max_over_time_sends_a_tie_to_the_first_step()
    {
        // Class 0 reaches its maximum 2 at t = 1 and again at t = 3.
        float[] readout = [0f, 0.5f, 2f, 0.5f, 1f, 0.5f, 2f, 0.5f];
        var gradient = new float[readout.Length];
        ReadoutLoss.CrossEntropy(readout, [1], 4, 2, TimeReduction.Max, gradient);
        Assert.True(gradient[2] > 0f);
        Assert.Equal(0f, gradient[6]);
    }

    [Fact]
    public void Large_logits_do_not_overflow()
    {
        float[] readout = [1000f, -1000f];
        var gradient = new float[2];
        Assert.Equal(2000f, ReadoutLoss.CrossEntropy(readout, [1], 1, 2, TimeReduction.Last, gradient));
        Assert.Equal([1f, -1f], gradient);
        Assert.Equal(0f, ReadoutLoss.CrossEntropy(readout, [0], 1, 2, TimeReduction.Last, gradient));
    }

    [Fact]
    public void Predictions_follow_the_reduction()
    {
        // Class 0 has one high peak, class 1 a steady level, class 2 ends highest: max → 0, mean → 1, last → 2.
        float[] trace = [5f, 2f, 0f, /**/ 0f, 2f, 0f, /**/ 0f, 2f, 3f];
        var predictions = new int[1];
        ReadoutLoss.Predict(trace, 3, 3, TimeReduction.Max, predictions);
        Assert.Equal(0, predictions[0]);
        ReadoutLoss.Predict(trace, 3, 3, TimeReduction.Mean, predictions);
        Assert.Equal(1, predictions[0]);
        ReadoutLoss.Predict(trace, 3, 3, TimeReduction.Last, predictions);
        Assert.Equal(2, predictions[0]);

        float[] two = [.. trace, .. trace];
        Assert.Equal(0.5f, ReadoutLoss.Accuracy(two, [1, 0], 3, 3, TimeReduction.Mean));
    }

    [Fact]
    public void Wrong_shapes_and_labels_are_named()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ReadoutLoss.CrossEntropy(new float[1200], new int[4], 100, 20, TimeReduction.Max, new float[8000]));
        Assert.Contains("readout has 1200 values, but batch 4 × steps 100 × classes 20 = 8000", error.Message);

        error = Assert.Throws<ArgumentException>(() =>
            ReadoutLoss.CrossEntropy(new float[8000], new int[4], 100, 20, TimeReduction.Max, new float[80]));
        Assert.Contains("readout gradient has 80 values", error.Message);

        error = Assert.Throws<ArgumentException>(() =>
            ReadoutLoss.CrossEntropy(new float[8000], [0, 1, 25, 2], 100, 20, TimeReduction.Max, new float[8000]));
        Assert.Contains("Label 25 of sample 2 is outside the 20 classes", error.Message);
    }
}
