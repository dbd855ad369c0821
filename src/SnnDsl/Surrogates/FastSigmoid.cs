namespace SnnDsl.Surrogates;

/// <summary>
/// Fast sigmoid / SuperSpike surrogate (Zenke &amp; Ganguli 2018): σ′(x) = 1 / (k|x| + 1)², peak 1 at x = 0.
/// Default steepness k = 100 as in SpyTorch and Norse's "super"; snnTorch's fast_sigmoid uses 25.
/// </summary>
[Surrogate]
public static partial class FastSigmoid
{
    /// <summary>Steepness k.</summary>
    [Param(100f)] public static float Slope;

    /// <summary>σ′(x) = 1 / (k|x| + 1)².</summary>
    public static float Derivative(float x)
    {
        float d = Slope * MathF.Abs(x) + 1f;
        return 1f / (d * d);
    }
}
