namespace SnnDsl.Surrogates;

/// <summary>
/// Gaussian surrogate: σ′(x) = (α/√π)·exp(−(αx)²), the derivative of ½·erfc(−αx) — SpikingJelly's <c>Erf</c>
/// (Esser et al. 2015; Wu et al. 2018) with its default α = 2 (peak 1.128); Norse's <c>heavi_erfc</c> uses the same
/// shape.
/// </summary>
[Surrogate]
public static partial class Gaussian
{
    /// <summary>Inverse width α.</summary>
    [Param(2f)] public static float Alpha;

    /// <summary>σ′(x) = (α/√π)·exp(−(αx)²).</summary>
    public static float Derivative(float x)
    {
        float z = Alpha * x;
        return Alpha / MathF.Sqrt(MathF.PI) * MathF.Exp(-(z * z));
    }
}
