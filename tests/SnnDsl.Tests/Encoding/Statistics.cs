namespace SnnDsl.Tests.Encoding;

/// <summary>Confidence bounds for seeded statistical tests: z = 5 leaves a false failure at about 1 in 1.7 million per check.</summary>
internal static class Statistics
{
    public const double Z = 5;

    /// <summary>Asserts that <paramref name="count"/> successes of <paramref name="n"/> trials fit Binomial(n, p) within ±Z standard deviations.</summary>
    public static void AssertBinomial(long count, long n, double p, string what)
    {
        double mean = n * p, sd = Math.Sqrt(n * p * (1 - p));
        Assert.True(Math.Abs(count - mean) <= Z * sd + 1e-9,
            $"{what}: {count} of {n}, expected {mean:F1} ± {Z * sd:F1} (p = {p})");
    }

    /// <summary>Mean and (population) standard deviation.</summary>
    public static (double Mean, double Std) Moments(IReadOnlyCollection<double> values)
    {
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count));
    }
}
