using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// [FixedPoint(Chip.…)]: a neuron the lowering accepts gets Step{Chip} beside its float kernels (StepLoihi, StepXyloAudio2,
/// StepXyloImu, StepSpiNNaker); one it cannot lower is SNN0114 at the attribute, naming the construct, and its float
/// kernels are still generated and compile.
/// </summary>
public class FixedPointDiagnosticsTests
{
    private static string Neuron(
        [StringSyntax("C#")] string integrate = "I = Alpha * I + input; U = Beta * U + I;",
        [StringSyntax("C#")] string reset = "U = 0f;",
        [StringSyntax("C#")] string fires = "U > Threshold",
        string chip = "Loihi") => $$"""
        using SnnDsl;
        using SnnDsl.Surrogates;

        namespace User.Chips;

        [Neuron]
        [FixedPoint(Chip.{{chip}})]
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

    /// <summary>
    /// A constant decay is SNN0114 (the kernels take registers), naming the register nearest to it and the factor that
    /// register stands for. Expected values by hand: du = 4096 − 1 − round(4096·0.8) = 818, (4096 − 818 − 1)/4096 =
    /// 0.800049; dv = 4096 − round(4096·0.9) = 410, 3686/4096 = 0.899902; dash 2 gives 1 − 2^−2 = 0.75, nearer 0.8 than
    /// dash 3's 0.875; exp_TC = round(0.9·2^15) = 29491, 29491/2^15 = 0.899994.
    /// </summary>
    [Theory]
    [InlineData("Loihi", "U = 0f;", "U > Threshold", "I = 0.8f * I + input; U = Beta * U + I;", "the constant 0.8; Loihi holds a decay in a register per population; its nearest register, du = 818, stands for 0.800049 (off by 4.9E-05)")]
    [InlineData("Loihi", "U = 0f;", "U > Threshold", "I = Alpha * I + input; U = 0.9f * U + I;", "its nearest register, dv = 410, stands for 0.899902 (off by 9.8E-05)")]
    [InlineData("XyloAudio2", "U -= Threshold;", "U >= Threshold", "I = 0.8f * I + input; U = Beta * U + I;", "its nearest register, dash_syn = 2, stands for 0.75 (off by 0.05)")]
    [InlineData("SpiNNaker", "U = 0f;", "U >= Threshold", "I = Alpha * I + input; U = 0.9f * U + I;", "its nearest register, exp_TC = 29491, stands for 0.899994 (off by 6.1E-06)")]
    public void A_constant_decay_names_its_nearest_register(string chip, string reset, string fires, string integrate, string reason) =>
        RejectsAtAttribute(Neuron(integrate: integrate, reset: reset, fires: fires, chip: chip), reason, chip);

    [Fact]
    public void Reset_by_subtraction_is_SNN0114() =>
        RejectsAtAttribute(Neuron(reset: "U -= Threshold;"), "subtraction is not what the chip does");

    [Fact]
    public void Non_strict_comparison_is_SNN0114() =>
        RejectsAtAttribute(Neuron(fires: "U >= Threshold"), "compares with >=");

    [Fact]
    public void Xylo_neuron_generates_StepXyloAudio2_and_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron(reset: "U -= Threshold;", fires: "U >= Threshold", chip: "XyloAudio2"));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        GeneratedSourceResult source = Assert.Single(run.GeneratedSources);
        Snapshot.Verify(Generation.SnapshotTests.XyloNeuronName, source.SourceText.ToString());
    }

    [Theory]
    [InlineData("XyloImu", "U -= Threshold;", "v2: evolve, no bias")]
    [InlineData("XyloAudio3", "U = U - Threshold;", "v2: evolve, no bias")]
    [InlineData("SpiNNaker", "U = 0f;", "StepSpiNNaker(")]
    public void Other_chips_generate_their_step_and_compile(string chip, string reset, string generated)
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron(reset: reset, chip: chip));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains($"public static void Step{chip}(", source);
        Assert.Contains(generated, source);
    }

    [Theory]
    [InlineData("U = 0f;", "Xylo subtracts the threshold, 'U -= Threshold', for each spike")]
    [InlineData("U -= 0.5f * Threshold;", "another reset is not what the chip does")]
    public void Xylo_reset_other_than_subtracting_the_threshold_is_SNN0114(string reset, string reason) =>
        RejectsAtAttribute(Neuron(reset: reset, chip: "XyloAudio2"), reason, "XyloAudio2");

    [Theory]
    [InlineData("I = 0.5f * I + input; U = Beta * U + I;", "Xylo holds a decay as a dash register per neuron")]
    [InlineData("I = Alpha * I + input; U = Beta * U + MathF.Exp(I);", "MathF.Exp in Integrate")]
    [InlineData("I = Alpha * I * I + input; U = Beta * U + I;", "Xylo decays a state by a bit shift only")]
    public void Step_Xylo_cannot_compute_is_SNN0114(string integrate, string reason) =>
        RejectsAtAttribute(Neuron(integrate: integrate, reset: "U -= Threshold;", chip: "XyloImu"), reason, "XyloImu");

    [Fact]
    public void State_named_like_a_kernel_argument_is_SNN0114() =>
        RejectsAtAttribute(Neuron().Replace("public float U;", "public float spikes;").Replace("U", "spikes").Replace("spikesser", "User"),
            "'spikes' has the name of an argument or local of the generated kernel");

    [Fact]
    public void Xylo_register_name_is_SNN0114() =>
        RejectsAtAttribute(Neuron(integrate: "I = Alpha * I + v_th; U = Beta * U + I;", reset: "U -= Threshold;", chip: "XyloAudio2")
            .Replace("float input", "float v_th"), "'v_th' has the name of a Xylo register", "XyloAudio2");

    [Fact]
    public void SpiNNaker_neuron_also_generates_the_two_receptor_kernel_and_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron(reset: "U = 0f;", chip: "SpiNNaker"));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("public static void StepSpiNNakerExcInh(global::System.Span<int> stateI, global::System.Span<int> stateIInh, global::System.Span<int> stateU, " +
            "global::System.ReadOnlySpan<int> synapticInput, global::System.ReadOnlySpan<int> synapticInputInh, int exp_TC, int R_membrane, int V_thresh, " +
            "uint decay, uint init, uint decayInh, uint initInh, global::System.Span<ulong> spikes)", source);
        Assert.Contains("__alpha = unchecked(global::SnnDsl.FixedPoint.IntegerLanes.MultiplyRoundNearest((I - IInh), R_membrane, 15));", source);
        Assert.Contains("IInh = global::SnnDsl.FixedPoint.IntegerLanes.MultiplyUnsignedFraction(IInh, decayInh);", source);
    }

    [Theory]
    [InlineData("inputInh", "'inputInh' would collide with the inhibitory receptor of StepSpiNNakerExcInh")]
    [InlineData("synapticInputInh", "'synapticInputInh' would collide with the inhibitory receptor of StepSpiNNakerExcInh")]
    [InlineData("decayInh", "'decayInh' has the name of a SpiNNaker register")]
    public void State_named_like_the_inhibitory_receptor_is_SNN0114(string name, string reason) =>
        RejectsAtAttribute(Neuron(reset: "U = 0f;", chip: "SpiNNaker").Replace("U", name).Replace(name + "ser", "User"), reason, "SpiNNaker");

    [Fact]
    public void Member_named_like_the_two_receptor_kernel_is_SNN0114() =>
        RejectsAtAttribute(Neuron(reset: "U = 0f;", chip: "SpiNNaker").Replace("public void Reset()", "public static void StepSpiNNakerExcInh() { }\n    public void Reset()"),
            "the neuron declares a member 'StepSpiNNakerExcInh'", "SpiNNaker");

    [Theory]
    [InlineData("U -= Threshold;", "I = Alpha * I + input; U = Beta * U + I;", "sPyNNaker sets V to V_reset = 0 where it spikes")]
    [InlineData("U = 0f;", "I = 0.9f * I + input; U = Beta * U + I;", "sPyNNaker holds a decay per neuron")]
    [InlineData("U = 0f;", "U = Beta * U + input;", "sPyNNaker's IF_curr_exp is")]
    public void Step_SpiNNaker_cannot_compute_is_SNN0114(string reset, string integrate, string reason) =>
        RejectsAtAttribute(Neuron(integrate: integrate, reset: reset, chip: "SpiNNaker"), reason, "SpiNNaker");

    [Theory]
    [InlineData("[FixedPointFormat(7, 8, Rounding = SnnDsl.FixedPoint.Rounding.Stochastic)]", "U -= Threshold;", "U > Threshold", "stochastic rounding")]
    [InlineData("[FixedPointFormat(15, 15)]", "U -= Threshold;", "U > Threshold", "s15.15 is not a state format of the kernel")]
    [InlineData("[FixedPointFormat(7, 8, DecayFractionBits = 31)]", "U -= Threshold;", "U > Threshold", "u0.31 is not a decay format")]
    [InlineData("[FixedPointFormat(7, 8)]", "U -= Threshold;", "U >= Threshold", "FixedNeurons fires where U > ϑ")]
    [InlineData("[FixedPointFormat(7, 8)]", "U = 0.5f;", "U > Threshold", "resetting 'U -= ϑ' or 'U = 0'")]
    [InlineData("[FixedPointFormat(7, 8)]", "U -= Alpha;", "U > Alpha", "use a [Param] for each")]
    public void Fixed_format_the_kernel_cannot_compute_is_SNN0114(string attribute, string reset, string fires, string reason)
    {
        string source = Neuron(reset: reset, fires: fires).Replace("[FixedPoint(Chip.Loihi)]", attribute);
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        AssertDiagnostic(run, diagnostic, "SNN0114", attribute.Trim('[', ']'), reason);
        AssertNoFollowOnErrors(run);
        Assert.DoesNotContain("StepFixed", Assert.Single(run.GeneratedSources).SourceText.ToString());
    }

    [Fact]
    public void Fixed_format_generates_StepFixed_and_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron(reset: "U -= Threshold;").Replace("[FixedPoint(Chip.Loihi)]", "[FixedPointFormat(7, 8, Overflow = SnnDsl.FixedPoint.Overflow.Wrap)]"));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("public static void StepFixed(", source);
        Assert.Contains("global::SnnDsl.FixedPoint.IntegerLanes.Truncate(", source);
    }

    [Theory]
    [InlineData("U = Beta * U + I + Threshold;")]
    [InlineData("U = Threshold + (I + U * Beta);")]
    public void Loihi_membrane_bias_becomes_bias_mant_and_bias_exp(string voltage)
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron(integrate: "I = Alpha * I + input; " + voltage));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("int vth, int bias_mant, int bias_exp, global::System.Span<ulong> spikes)", source);
        Assert.Contains("(bias_mant << bias_exp)", source);
    }

    [Theory]
    [InlineData("XyloAudio2", "U -= Threshold;", "U >= Threshold")]
    [InlineData("SpiNNaker", "U = 0f;", "U > Threshold")]
    public void Membrane_bias_beyond_Loihi_is_SNN0114(string chip, string reset, string fires) =>
        RejectsAtAttribute(Neuron(integrate: "I = Alpha * I + input; U = Beta * U + I + Alpha;", reset: reset, fires: fires, chip: chip),
            "the membrane bias 'Alpha'", chip);

    /// <summary>One SNN0114 at the attribute, its message naming <paramref name="reason"/>; the float kernels compile, no Step{Chip}.</summary>
    private static void RejectsAtAttribute(string source, string reason, string chip = "Loihi")
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        AssertDiagnostic(run, diagnostic, "SNN0114", $"FixedPoint(Chip.{chip})", reason);
        Assert.Contains($"Neuron 'Compartment' cannot be lowered to {chip}'s integer arithmetic", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        AssertNoFollowOnErrors(run);
        GeneratedSourceResult generated = Assert.Single(run.GeneratedSources);
        Assert.Contains("public static void Step(", generated.SourceText.ToString());
        Assert.DoesNotContain("Step" + chip, generated.SourceText.ToString());
    }
}
