namespace SnnDsl.Surrogates;

/// <summary>
/// Exponential surrogate of SLAYER (Shrestha &amp; Orchard 2018), in SpikingJelly's <c>PiecewiseExp</c> form:
/// σ′(x) = (α/2)·exp(−α|x|), default α = 1 (peak 0.5), as SpikingJelly.
/// </summary>
[Surrogate]
public static partial class Exponential
{
    /// <summary>Steepness α.</summary>
    [Param(1f)] public static float Alpha;

    /// <summary>σ′(x) = (α/2)·exp(−α|x|).</summary>
    public static float Derivative(float x) => 0.5f * Alpha * MathF.Exp(-Alpha * MathF.Abs(x));
}
