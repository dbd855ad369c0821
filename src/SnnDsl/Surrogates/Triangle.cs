namespace SnnDsl.Surrogates;

/// <summary>
/// Piecewise-linear (triangle) surrogate (Esser et al. 2016; Bellec et al. 2018):
/// σ′(x) = γ · max(0, 1 − |x|/w). Defaults γ = 0.3 (the LSNN/e-prop "dampening") and w = 1 (= ϑ), which Norse's
/// triangle_fn also uses.
/// </summary>
[Surrogate]
public static partial class Triangle
{
    /// <summary>Peak height γ.</summary>
    [Param(0.3f)] public static float Dampening;

    /// <summary>Half-width w.</summary>
    [Param(1f)] public static float Width;

    /// <summary>σ′(x) = γ · max(0, 1 − |x|/w).</summary>
    public static float Derivative(float x) => Dampening * MathF.Max(0f, 1f - MathF.Abs(x) / Width);
}
