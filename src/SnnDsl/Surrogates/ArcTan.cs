namespace SnnDsl.Surrogates;

/// <summary>
/// Arctangent surrogate (Fang et al. 2021, PLIF): σ′(x) = (α/2) / (1 + (π α x / 2)²), default α = 2 (peak 1), the
/// default surrogate of snnTorch (<c>atan</c>) and SpikingJelly's <c>ATan</c>, which code the same formula.
/// </summary>
[Surrogate]
public static partial class ArcTan
{
    /// <summary>Steepness α.</summary>
    [Param(2f)] public static float Alpha;

    /// <summary>σ′(x) = (α/2) / (1 + (παx/2)²).</summary>
    public static float Derivative(float x)
    {
        float z = 0.5f * MathF.PI * Alpha * x;
        return 0.5f * Alpha / (1f + z * z);
    }
}
