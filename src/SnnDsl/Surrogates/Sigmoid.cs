namespace SnnDsl.Surrogates;

/// <summary>
/// Sigmoid-derivative surrogate (STBP, Wu et al. 2018; Woźniak et al. 2020): σ′(x) = k·s(kx)·(1 − s(kx)),
/// s the logistic function. Default k = 4 (peak 1), SpikingJelly's default <c>Sigmoid(alpha=4)</c>; snnTorch's
/// <c>sigmoid</c> uses slope 25 (peak 6.25).
/// </summary>
[Surrogate]
public static partial class Sigmoid
{
    /// <summary>Steepness k.</summary>
    [Param(4f)] public static float Slope;

    /// <summary>σ′(x) = k·s(kx)·(1 − s(kx)).</summary>
    public static float Derivative(float x)
    {
        float s = 1f / (1f + MathF.Exp(-Slope * x));
        return Slope * s * (1f - s);
    }
}
