using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// [FixedPoint(Chip.…)] and [FixedPointFormat] on a single-state LIF (U = βU + input) and on a readout (no firing
/// condition): the chips whose own model holds them get Step{Chip} (Loihi with du = 4095, sPyNNaker's IF_curr_delta,
/// readouts that write no spikes); where the chip differs — Lif's subtraction on Loihi and SpiNNaker, any single-state
/// neuron on Xylo — it is one SNN0114 at the attribute naming why, and the float kernels still compile.
/// </summary>
public class SingleStateFixedPointTests
{
    private static string Lif(
        string chip = "Loihi",
        [StringSyntax("C#")] string integrate = "U = Beta * U + input;",
        [StringSyntax("C#")] string fires = "U > Threshold",
        [StringSyntax("C#")] string reset = "U = 0f;") => $$"""
        using SnnDsl;
        using SnnDsl.Surrogates;

        namespace User.Chips;

        [Neuron]
        [FixedPoint(Chip.{{chip}})]
        public partial struct Compartment
        {
            [State] public float U;
            [Param(0.9f)] public float Beta;
            [Param(1f)] public float Threshold;
            [Param(0.1f)] public float Bias;

            public void Integrate(float input) { {{integrate}} }

            [Spike(typeof(FastSigmoid))]
            public bool Fires() => {{fires}};

            public void Reset() { {{reset}} }
        }
        """;

    private static string Readout(string chip = "Loihi", [StringSyntax("C#")] string voltage = "U = Beta * U + I;") => $$"""
        using SnnDsl;

        namespace User.Chips;

        [Neuron]
        [FixedPoint(Chip.{{chip}})]
        public partial struct Compartment
        {
            [State] public float I;
            [State] public float U;
            [Param(0.8f)] public float Alpha;
            [Param(0.9f)] public float Beta;

            public void Integrate(float input)
            {
                I = Alpha * I + input;
                {{voltage}}
            }
        }
        """;

    [Theory]
    [InlineData("Loihi", "int dv, int vth, global::System.Span<ulong> spikes)", "du = 4095 clears u")]
    [InlineData("SpiNNaker", "int exp_TC, int R_membrane, int V_thresh, global::System.Span<ulong> spikes)", "α ← round(x·R)")]
    public void Zero_reset_single_state_lif_generates_its_step_and_compiles(string chip, string signature, string equation)
    {
        GeneratorRun run = GeneratorHarness.Run(Lif(chip));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains($"public static void Step{chip}(global::System.Span<int> stateU, global::System.ReadOnlySpan<int> synapticInput, {signature}", source);
        Assert.Contains(equation, source);
    }

    [Theory]
    [InlineData("U = Beta * U + input + Bias;")]
    [InlineData("U = Bias + (input + U * Beta);")]
    public void Loihi_single_state_membrane_bias_becomes_bias_mant_and_bias_exp(string integrate)
    {
        GeneratorRun run = GeneratorHarness.Run(Lif(integrate: integrate));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("int dv, int vth, int bias_mant, int bias_exp, global::System.Span<ulong> spikes)", source);
        Assert.Contains("(bias_mant << bias_exp)", source);
    }

    [Theory]
    [InlineData("Loihi", "U -= Threshold;", "U > Threshold", "Loihi sets v to 0 where it spikes (reset_voltage); subtraction is not what the chip does")]
    [InlineData("Loihi", "U = 0f;", "U >= Threshold", "compares with >=")]
    [InlineData("SpiNNaker", "U -= Threshold;", "U > Threshold", "sPyNNaker sets V to V_reset = 0 where it spikes")]
    public void Lif_reset_or_test_the_chip_does_not_do_is_SNN0114(string chip, string reset, string fires, string reason) =>
        RejectsAtAttribute(Lif(chip, fires: fires, reset: reset), reason, chip);

    [Theory]
    [InlineData("XyloAudio2", "U -= Threshold;")]
    [InlineData("XyloImu", "U = 0f;")]
    public void Single_state_neuron_on_Xylo_is_SNN0114(string chip, string reset) =>
        RejectsAtAttribute(Lif(chip, fires: "U >= Threshold", reset: reset), "no dash passes the input on exactly", chip);

    [Theory]
    [InlineData("Loihi", "U = 0.9f * U + input;", "the decay of 'U' is the constant 0.9")]
    [InlineData("SpiNNaker", "U = Beta * U + input + Bias;", "the membrane bias 'Bias'")]
    [InlineData("Loihi", "U = Beta * U + input * input;", "Loihi's compartment without current memory (du = 4095) is")]
    public void Single_state_integration_the_chip_cannot_compute_is_SNN0114(string chip, string integrate, string reason) =>
        RejectsAtAttribute(Lif(chip, integrate: integrate), reason, chip);

    [Fact]
    public void State_named_like_the_SpiNNaker_kernels_local_is_SNN0114()
    {
        RejectsAtAttribute(Lif("SpiNNaker").Replace("U", "alpha").Replace("alphaser", "User"), "would collide with the kernel's local __alpha", "SpiNNaker");
        RejectsAtAttribute(Readout("SpiNNaker").Replace("I", "alpha").Replace("alphant", "Int"), "would collide with the kernel's local __alpha", "SpiNNaker");
    }

    [Theory]
    [InlineData("Loihi", "int du, int dv)", "never spikes")]
    [InlineData("XyloAudio2", "int dash_syn, int dash_mem)", "v1: decayState, evolve")]
    [InlineData("XyloImu", "int dash_syn, int dash_mem)", "v2: evolve, no bias")]
    [InlineData("SpiNNaker", "int exp_TC, int R_membrane, uint decay, uint init)", "V ≥ V_thresh = 2^31 − 1")]
    public void Readout_generates_a_step_without_spikes_and_compiles(string chip, string signature, string equation)
    {
        GeneratorRun run = GeneratorHarness.Run(Readout(chip));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains($"public static void Step{chip}(global::System.Span<int> stateI, global::System.Span<int> stateU, global::System.ReadOnlySpan<int> synapticInput, {signature}", source);
        Assert.Contains(equation, source);
        Assert.DoesNotContain("Span<ulong> spikes", source);
        Assert.DoesNotContain("spikeCounts", source);
    }

    [Theory]
    [InlineData("XyloAudio3", "U = Beta * U + I + Alpha;", "the membrane bias 'Alpha'")]
    [InlineData("SpiNNaker", "U = Beta * U + 0.5f * I;", "sPyNNaker's readout is")]
    [InlineData("Loihi", "U = Beta * U * I + I;", "Loihi's readout is 'I = α * I + input; U = β * U + I' with no firing condition")]
    public void Readout_the_chip_cannot_compute_is_SNN0114(string chip, string voltage, string reason) =>
        RejectsAtAttribute(Readout(chip, voltage), reason, chip);

    [Fact]
    public void Fixed_formats_generate_single_state_and_readout_steps_and_compile()
    {
        foreach (string source in new[] { Lif(reset: "U -= Threshold;"), Readout() })
        {
            GeneratorRun run = GeneratorHarness.Run(source.Replace("[FixedPoint(Chip.Loihi)]", "[FixedPointFormat(7, 8)]"));
            Assert.Empty(run.Diagnostics);
            Assert.Empty(run.CompileErrors);
            Assert.Contains("public static void StepFixed(", Assert.Single(run.GeneratedSources).SourceText.ToString());
        }
    }

    [Fact]
    public void Fixed_single_state_zero_reset_is_SNN0114()
    {
        GeneratorRun run = GeneratorHarness.Run(Lif().Replace("[FixedPoint(Chip.Loihi)]", "[FixedPointFormat(7, 8)]"));
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        AssertDiagnostic(run, diagnostic, "SNN0114", "FixedPointFormat(7, 8)", "as FixedNeurons.Lif computes it");
        AssertNoFollowOnErrors(run);
    }

    /// <summary>One SNN0114 at the attribute, its message naming <paramref name="reason"/>; the float kernels compile, no Step{Chip}.</summary>
    private static void RejectsAtAttribute(string source, string reason, string chip)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        AssertDiagnostic(run, diagnostic, "SNN0114", $"FixedPoint(Chip.{chip})", reason);
        AssertNoFollowOnErrors(run);
        string generated = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("public static void Step(", generated);
        Assert.DoesNotContain("Step" + chip, generated);
    }
}
