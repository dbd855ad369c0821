namespace SnnDsl.Tests.Training;

/// <summary>Numeric checks of the training math: central finite differences of float functions, differenced in double.</summary>
internal static class Numeric
{
    /// <summary>
    /// Asserts |∂f/∂x_k − (f(x⁺) − f(x⁻)) / (x_k⁺ − x_k⁻)| ≤ absolute + relative·|∂f/∂x_k| for every k, where x± moves
    /// x_k by ±h (the denominator is the step the float values really took). <paramref name="x"/> is restored.
    /// </summary>
    public static void AssertGradient(Func<float[], float> f, float[] x, float[] analytic, float h, double absolute, double relative = 1e-3)
    {
        Assert.Equal(x.Length, analytic.Length);
        for (int k = 0; k < x.Length; k++)
        {
            float x0 = x[k];
            x[k] = x0 + h;
            double plus = f(x), step = x[k];
            x[k] = x0 - h;
            double minus = f(x);
            step -= x[k];
            x[k] = x0;
            double numeric = (plus - minus) / step;
            double error = Math.Abs(numeric - analytic[k]);
            Assert.True(error <= absolute + relative * Math.Abs(analytic[k]),
                $"∂f/∂x[{k}]: analytic {analytic[k]:G9}, central difference {numeric:G9} (error {error:G3}).");
        }
    }

    /// <summary>Asserts |expected_k − actual_k| ≤ <paramref name="tolerance"/> for every k.</summary>
    public static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance, $"[{k}]: expected {expected[k]:G9}, got {actual[k]:G9}.");
    }

    /// <summary>Uniform values in [<paramref name="low"/>, <paramref name="high"/>), seeded.</summary>
    public static float[] Uniform(int length, float low, float high, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int k = 0; k < length; k++) values[k] = low + (high - low) * random.NextSingle();
        return values;
    }
}
