using System.Runtime.Intrinsics;
using SnnDsl.Surrogates;

namespace SnnDsl.Tests.Surrogates;

/// <summary>
/// Every built-in surrogate against the golden values of the reference libraries at their default settings
/// (shared/reference/science.md §3.4, computed from snnTorch, Norse, SpikingJelly and SpyTorch as coded), and its
/// generated Vector256/Vector512 overloads against its scalar body.
/// </summary>
public class SurrogateGoldenValueTests
{
    private static readonly float[] Points = [-1f, -0.5f, -0.1f, 0f, 0.05f, 0.5f, 1f];

    public static TheoryData<string, float[]> Golden => new()
    {
        // SpyTorch / Norse "super" (scale 100)
        { nameof(FastSigmoid), [9.80296e-05f, 0.000384468f, 0.00826446f, 1f, 0.0277778f, 0.000384468f, 9.80296e-05f] },
        // snnTorch atan = SpikingJelly ATan (α = 2)
        { nameof(ArcTan), [0.0919997f, 0.2884f, 0.91017f, 1f, 0.97592f, 0.2884f, 0.0919997f] },
        // SpikingJelly Sigmoid (α = 4)
        { nameof(Sigmoid), [0.0706508f, 0.419974f, 0.961043f, 1f, 0.990066f, 0.419974f, 0.0706508f] },
        // Norse triangle (0.3) = e-prop pseudo-derivative (γ = 0.3, ϑ = 1)
        { nameof(Triangle), [0f, 0.15f, 0.27f, 0.3f, 0.285f, 0.15f, 0f] },
        // SpikingJelly PiecewiseExp (α = 1)
        { nameof(Exponential), [0.18394f, 0.303265f, 0.452419f, 0.5f, 0.475615f, 0.303265f, 0.18394f] },
        // SpikingJelly Erf (α = 2)
        { nameof(Gaussian), [0.020667f, 0.415107f, 1.08413f, 1.12838f, 1.11715f, 0.415107f, 0.020667f] },
        // SpikingJelly Rect (α = 1): 1 inside |x| < 0.5
        { nameof(Boxcar), [0f, 0f, 1f, 1f, 1f, 0f, 0f] },
    };

    private static Func<float, float> Scalar(string name) => name switch
    {
        nameof(FastSigmoid) => FastSigmoid.Derivative,
        nameof(ArcTan) => ArcTan.Derivative,
        nameof(Sigmoid) => Sigmoid.Derivative,
        nameof(Triangle) => Triangle.Derivative,
        nameof(Exponential) => Exponential.Derivative,
        nameof(Gaussian) => Gaussian.Derivative,
        nameof(Boxcar) => Boxcar.Derivative,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static Func<Vector512<float>, Vector512<float>> Vector(string name) => name switch
    {
        nameof(FastSigmoid) => FastSigmoid.Derivative,
        nameof(ArcTan) => ArcTan.Derivative,
        nameof(Sigmoid) => Sigmoid.Derivative,
        nameof(Triangle) => Triangle.Derivative,
        nameof(Exponential) => Exponential.Derivative,
        nameof(Gaussian) => Gaussian.Derivative,
        nameof(Boxcar) => Boxcar.Derivative,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Derivative_at_defaults_matches_the_reference_libraries(string surrogate, float[] expected)
    {
        Func<float, float> derivative = Scalar(surrogate);
        for (int k = 0; k < Points.Length; k++)
            Assert.Equal(expected[k], derivative(Points[k]), 5e-5f * Math.Max(1f, expected[k]) + 1e-6f);
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Vector_overload_agrees_with_the_scalar_body(string surrogate, float[] unused)
    {
        _ = unused;
        var random = new Random(surrogate.Length);
        float[] x = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        Vector512<float> lanes = Vector(surrogate)(Vector512.Create(x));
        for (int k = 0; k < 16; k++)
            Assert.Equal(Scalar(surrogate)(x[k]), lanes[k], 1e-6f * Math.Max(1f, Math.Abs(lanes[k])));
    }

    [Fact]
    public void Descriptors_carry_the_parsed_derivative()
    {
        Assert.Equal("(/ 1 (* (+ (* (param Slope) (call Abs (arg))) 1) (+ (* (param Slope) (call Abs (arg))) 1)))", FastSigmoid.Descriptor.Derivative);
        Assert.Equal(100f, FastSigmoid.Descriptor.Parameters.Single().DefaultValue);
    }
}
