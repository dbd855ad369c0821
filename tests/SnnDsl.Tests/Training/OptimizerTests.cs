using SnnDsl.Training;

namespace SnnDsl.Tests.Training;

/// <summary>
/// Adam/AdamW, Adamax and SGD (heavy ball, Nesterov) against their published update rules evaluated in double, and
/// on a quadratic. 19 elements per tensor exercise both the vector loop and the scalar tail (8 or 16 lanes).
/// </summary>
public class OptimizerTests
{
    private const int Length = 19;

    /// <summary>A fresh parameter θ₀ and three gradients g₁, g₂, g₃, seeded.</summary>
    private static (float[] Theta, float[][] Gradients) Problem() =>
        (Numeric.Uniform(Length, -1f, 1f, seed: 21), [.. Enumerable.Range(0, 3).Select(t => Numeric.Uniform(Length, -2f, 2f, seed: 30 + t))]);

    /// <summary>Runs the three steps and compares θ after each with the rule applied in double to every element.</summary>
    private static void AssertFollowsRule(Func<(string, float[], float[])[], Optimizer> create, Func<int, double, double, double> rule, double tolerance = 2e-6)
    {
        (float[] theta, float[][] gradients) = Problem();
        var gradient = new float[Length];
        Optimizer optimizer = create([("w", theta, gradient)]);
        double[] expected = theta.Select(x => (double)x).ToArray();
        for (int t = 1; t <= 3; t++)
        {
            gradients[t - 1].CopyTo(gradient, 0);
            optimizer.Step();
            for (int i = 0; i < Length; i++) expected[i] = rule(i, expected[i], gradient[i]);
            Assert.Equal(t, optimizer.StepCount);
            Numeric.AssertClose(expected, theta, tolerance);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Adam_follows_Kingma_and_Ba_with_decoupled_weight_decay(double lambda)
    {
        const double eta = 0.01, beta1 = 0.8, beta2 = 0.99, eps = 1e-8;
        double[] m = new double[Length], v = new double[Length];
        int[] t = new int[Length];
        AssertFollowsRule(
            p => new Adam(p, (float)eta, (float)beta1, (float)beta2, (float)eps, (float)lambda),
            (i, theta, g) =>
            {
                t[i]++;
                theta -= eta * lambda * theta;                                 // AdamW: θ ← θ − ηλθ
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(beta1, t[i])), vHat = v[i] / (1 - Math.Pow(beta2, t[i]));
                return theta - eta * mHat / (Math.Sqrt(vHat) + eps);
            });
    }

    [Fact]
    public void Adamax_follows_Kingma_and_Ba()
    {
        const double eta = 0.02, beta1 = 0.9, beta2 = 0.995, eps = 1e-8;
        double[] m = new double[Length], u = new double[Length];
        int[] t = new int[Length];
        AssertFollowsRule(
            p => new Adamax(p, (float)eta, (float)beta1, (float)beta2, (float)eps),
            (i, theta, g) =>
            {
                t[i]++;
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                u[i] = Math.Max(beta2 * u[i], Math.Abs(g) + eps);
                return theta - eta / (1 - Math.Pow(beta1, t[i])) * m[i] / u[i];
            });
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.9, false)]
    [InlineData(0.9, true)]
    public void Sgd_follows_heavy_ball_and_Nesterov(double mu, bool nesterov)
    {
        const double eta = 0.05;
        double[] b = new double[Length];
        AssertFollowsRule(
            p => new Sgd(p, (float)eta, (float)mu, nesterov),
            (i, theta, g) =>
            {
                b[i] = mu * b[i] + g;
                return theta - eta * (nesterov ? g + mu * b[i] : b[i]);
            });
    }

    [Fact]
    public void First_adaptive_step_moves_each_weight_by_the_learning_rate_against_the_gradient_sign()
    {
        // t = 1: m̂ = g and √v̂ = |g| (Adam), m/(1 − β₁) = g and u = |g| + ε (Adamax), so θ₁ = θ₀ − η·g/(|g| + ε).
        float[] theta = [1f, 1f, -2f], gradient = [0.5f, -3f, 1e-3f];
        double[] step = gradient.Select(g => 0.1 * g / (Math.Abs((double)g) + 1e-8)).ToArray();   // η·g/(|g| + ε)
        var adam = new Adam([("w", theta, gradient)], learningRate: 0.1f);
        adam.Step();
        Numeric.AssertClose([1 - step[0], 1 - step[1], -2 - step[2]], theta, 3e-7);
        var adamax = new Adamax([("w", theta, gradient)], learningRate: 0.1f);
        adamax.Step();
        Numeric.AssertClose([1 - 2 * step[0], 1 - 2 * step[1], -2 - 2 * step[2]], theta, 3e-7);
    }

    public static TheoryData<string> Optimizers => ["adam", "adamw", "adamax", "sgd", "momentum", "nesterov"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Converges_on_a_quadratic(string name)
    {
        // f(θ) = ½ Σ a_i (θ_i − c_i)², ∇f = a ⊙ (θ − c), curvatures a in [0.5, 2].
        float[] a = Numeric.Uniform(Length, 0.5f, 2f, seed: 40), c = Numeric.Uniform(Length, -1f, 1f, seed: 41);
        var theta = new float[Length];
        var gradient = new float[Length];
        (string, float[], float[])[] p = [("w", theta, gradient)];
        Optimizer optimizer = name switch
        {
            "adam" => new Adam(p, 0.02f),
            "adamw" => new Adam(p, 0.02f, weightDecay: 1e-4f),
            "adamax" => new Adamax(p, 0.02f),
            "sgd" => new Sgd(p, 0.5f),
            "momentum" => new Sgd(p, 0.1f, momentum: 0.9f),
            _ => new Sgd(p, 0.1f, momentum: 0.9f, nesterov: true),
        };
        for (int step = 0; step < 1000; step++)
        {
            for (int i = 0; i < Length; i++) gradient[i] = a[i] * (theta[i] - c[i]);
            optimizer.Step();
        }
        // 1e-4 leaves room for AdamW, whose fixed point the small decay λ = 1e-4 pulls slightly towards 0.
        for (int i = 0; i < Length; i++) Assert.True(Math.Abs(theta[i] - c[i]) < 1e-4, $"θ[{i}] = {theta[i]}, optimum {c[i]}.");
    }

    [Fact]
    public void Learning_rate_can_be_changed_between_steps()
    {
        float[] theta = [1f], gradient = [2f];
        var sgd = new Sgd([("w", theta, gradient)], learningRate: 0.1f);
        sgd.Step();
        sgd.LearningRate = 0.01f;
        sgd.Step();
        Assert.Equal(1.0 - 0.1 * 2 - 0.01 * 2, theta[0], tolerance: 1e-7);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1f);
    }

    [Fact]
    public void Zeroing_clears_every_gradient()
    {
        float[] g1 = [1f, 2f], g2 = [3f];
        var sgd = new Sgd([("a", new float[2], g1), ("b", new float[1], g2)], 0.1f);
        sgd.ZeroGradients();
        Assert.All(g1.Concat(g2), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Mismatched_tensors_and_settings_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Adam([("Recurrent", new float[40000], new float[400])]));
        Assert.Contains("Parameter 'Recurrent' has 40000 values but its gradient has 400", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adamax([("w", new float[1], new float[1])], beta2: 1f));
        Assert.Throws<ArgumentException>(() => new Sgd([("w", new float[1], new float[1])], 0.1f, nesterov: true));
    }
}
