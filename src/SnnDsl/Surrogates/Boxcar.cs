namespace SnnDsl.Surrogates;

/// <summary>
/// Rectangular (boxcar) surrogate of STBP (Wu, Deng, Li, Zhu &amp; Shi 2018): σ′(x) = 1/a for |x| &lt; a/2, else 0.
/// Default a = 1, identical to SpikingJelly's <c>Rect(alpha=1)</c> (α = 1/a). With a very large width it becomes the
/// straight-through estimator (σ′ = 1/a everywhere near threshold); snnTorch's <c>straight_through_estimator</c> is σ′ = 1.
/// </summary>
[Surrogate]
public static partial class Boxcar
{
    /// <summary>Window width a.</summary>
    [Param(1f)] public static float Width;

    /// <summary>σ′(x) = [|x| &lt; a/2] / a.</summary>
    public static float Derivative(float x) => MathF.Abs(x) < 0.5f * Width ? 1f / Width : 0f;
}
