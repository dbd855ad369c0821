using Microsoft.CodeAnalysis.Testing;
using SnnDsl.CodeFixes;
using VerifyNumerics = SnnDsl.Analyzers.Tests.Verify<SnnDsl.Analyzers.NumericsAnalyzer, SnnDsl.Analyzers.Tests.NoFix>;
using VerifyReciprocal = SnnDsl.Analyzers.Tests.Verify<SnnDsl.Analyzers.NumericsAnalyzer, SnnDsl.CodeFixes.MultiplyByReciprocalFix>;

namespace SnnDsl.Analyzers.Tests;

public class NumericsTests
{
    [Fact]
    public Task Division_by_a_parameter_whose_default_is_0_is_SNN0301_at_the_division() =>
        VerifyNumerics.Analyzer("""
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [Param(0f)] public float Tau;
                public void Integrate(float input) => U = {|SNN0301:U / Tau|} + input;
            }
            """);

    [Fact]
    public Task Division_by_a_parameter_with_a_non_zero_default_is_fine() =>
        VerifyNumerics.Analyzer("""
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [Param(20f)] public float Tau;
                public void Integrate(float input) => U = U - U / Tau + input;
            }
            """);

    [Theory]
    [InlineData("1.5f", "the state grows without bound")]
    [InlineData("-0.5f", "the state flips sign every step")]
    [InlineData("0f", "the state forgets itself every step")]
    public Task Decay_outside_0_1_is_SNN0302_at_the_parameter(string value, string effect) =>
        VerifyNumerics.Analyzer($$"""
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [Param({{value}})] public float {|#0:Beta|};
                public void Integrate(float input) => U = Beta * U + input;
            }
            """, new DiagnosticResult("SNN0302", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
                .WithArguments("Beta", "U", value.TrimEnd('f'), effect));

    [Fact]
    public Task Decay_in_0_1_and_a_factor_on_another_state_are_fine() =>
        VerifyNumerics.Analyzer("""
            [Neuron] public partial struct Probe
            {
                [State] public float I;
                [State] public float U;
                [Param(0.9f)] public float Beta;
                [Param(2f)] public float Gain;
                public void Integrate(float input) { I = input; U = Beta * U + Gain * I; }
            }
            """);

    [Fact]
    public Task Surrogate_derivative_negative_somewhere_is_SNN0303_at_Derivative() =>
        VerifyNumerics.Analyzer("""
            [Surrogate] public static partial class Wavy
            {
                [Param(1f)] public static float Scale;
                public static float {|#0:Derivative|}(float x) => 1f - Scale * x * x;
            }
            """, new DiagnosticResult("SNN0303", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Wavy", "-99", "-10"));

    [Fact]
    public Task Surrogate_derivative_positive_everywhere_is_fine() =>
        VerifyNumerics.Analyzer("""
            [Surrogate] public static partial class Smooth
            {
                [Param(4f)] public static float Width;
                public static float Derivative(float x) => 1f / (1f + Width * x * x);
            }
            """);

    [Fact]
    public Task Division_by_a_power_of_two_is_SNN0304_and_the_fix_multiplies_by_the_reciprocal() =>
        VerifyReciprocal.Fix("""
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) { U = {|SNN0304:U / 4f|} + input; {|SNN0304:U /= 2f|}; }
            }
            """, """
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) { U = U * 0.25f + input; U *= 0.5f; }
            }
            """);

    [Fact]
    public Task Division_by_a_constant_whose_reciprocal_rounds_is_left_alone() =>
        VerifyNumerics.Analyzer("""
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) => U = U / 3f + input;
            }
            """);
}
