using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// [FixedPoint(Chip.Loihi)]: a neuron the lowering accepts gets StepLoihi beside its float kernels; one it cannot lower
/// is SNN0114 at the attribute, naming the construct, and its float kernels are still generated and compile.
/// </summary>
public class FixedPointDiagnosticsTests
{
    private static string Neuron(
        [StringSyntax("C#")] string integrate = "I = Alpha * I + input; U = Beta * U + I;",
        [StringSyntax("C#")] string reset = "U = 0f;",
        [StringSyntax("C#")] string fires = "U > Threshold") => $$"""
        using SnnDsl;
        using SnnDsl.Surrogates;

        namespace User.Chips;

        [Neuron]
        [FixedPoint(Chip.Loihi)]
        public partial struct Compartment
        {
            [State] public float I;
            [State] public float U;
            [Param(0.8f)] public float Alpha;
            [Param(0.9f)] public float Beta;
            [Param(1f)] public float Threshold;

            public void Integrate(float input) { {{integrate}} }

            [Spike(typeof(FastSigmoid))]
            public bool Fires() => {{fires}};

            public void Reset() { {{reset}} }
        }
        """;

    [Fact]
    public void Loihi_compartment_generates_StepLoihi_and_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron());

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        GeneratedSourceResult source = Assert.Single(run.GeneratedSources);
        Snapshot.Verify(Generation.SnapshotTests.LoihiCompartmentName, source.SourceText.ToString());
    }

    [Theory]
    [InlineData("I = Alpha * I + input; U = MathF.Exp(-Beta) * U + I;", "MathF.Exp in Integrate")]
    [InlineData("I = Alpha * I + input; U = Beta * U + I / U;", "divides by a state")]
    [InlineData("I = 0.5f * I + input; U = Beta * U + I;", "the decay of 'I' is the constant 0.5")]
    [InlineData("I = Alpha * U * I + input; U = Beta * U + I;", "the decay of 'I' is")]
    [InlineData("U = Beta * U + input;", "Integrate is")]
    public void Step_Loihi_cannot_compute_is_one_SNN0114_at_the_attribute(string integrate, string reason) =>
        RejectsAtAttribute(Neuron(integrate: integrate), reason);

    [Fact]
    public void Reset_by_subtraction_is_SNN0114() =>
        RejectsAtAttribute(Neuron(reset: "U -= Threshold;"), "subtraction is not what the chip does");

    [Fact]
    public void Non_strict_comparison_is_SNN0114() =>
        RejectsAtAttribute(Neuron(fires: "U >= Threshold"), "compares with >=");

    /// <summary>One SNN0114 at the attribute, its message naming <paramref name="reason"/>; the float kernels compile, no StepLoihi.</summary>
    private static void RejectsAtAttribute(string source, string reason)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        AssertDiagnostic(run, diagnostic, "SNN0114", "FixedPoint(Chip.Loihi)", reason);
        Assert.Contains("Neuron 'Compartment' cannot be lowered to Loihi's integer arithmetic", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        AssertNoFollowOnErrors(run);
        GeneratedSourceResult generated = Assert.Single(run.GeneratedSources);
        Assert.Contains("public static void Step(", generated.SourceText.ToString());
        Assert.DoesNotContain("StepLoihi", generated.SourceText.ToString());
    }
}
