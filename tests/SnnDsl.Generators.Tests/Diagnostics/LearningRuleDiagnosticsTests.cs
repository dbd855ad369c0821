using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// SNN0030, SNN0031, SNN0111: [LearningRule] declarations of the wrong shape are errors at the offending declaration,
/// the rule gets only a shell, and a well-formed rule draws no diagnostic from the generator (its locality is the
/// analyzers' SNN0501, reported once, there).
/// </summary>
public class LearningRuleDiagnosticsTests
{
    private const string Usings = "using SnnDsl;\n\n";

    [Fact]
    public void Rule_without_Update_is_SNN0030_at_its_name() =>
        Rejects(Usings + """
            [LearningRule] public partial struct Hebb
            {
                [PresynapticState] public float X;
                public void Presynaptic([PreSpike] float s) => X = 0.9f * X + s;
            }
            """, "SNN0030", "Hebb", "Learning rule 'Hebb' needs a method 'public float Update(…)'");

    [Theory]
    [InlineData("float pre", "pre", "it says nothing about what it reads; mark it with one of [PreSpike], [PostSpike]")]
    [InlineData("[PreSpike, PostSpike] float pre", "pre", "it has 2 roles ([PreSpike], [PostSpike]); keep one")]
    [InlineData("[Postsynaptic(\"\")] float pre", "pre", "name the neuron state it reads")]
    public void Update_parameter_without_one_valid_role_is_SNN0031_at_the_parameter(string parameter, string located, string message) =>
        Rejects(Usings + $$"""
            [LearningRule] public partial struct Hebb
            {
                public float Update({{parameter}}) => 0.1f * pre;
            }
            """, "SNN0031", located, message);

    [Fact]
    public void Presynaptic_method_reading_the_postsynaptic_spike_is_SNN0031_with_what_it_can_read() =>
        Rejects(Usings + """
            [LearningRule] public partial struct Hebb
            {
                [PresynapticState] public float X;
                public void Presynaptic([PostSpike] float post) => X = post;
                public float Update() => X;
            }
            """, "SNN0031", "post", "[PostSpike] exists per postsynaptic neuron, and Presynaptic runs once per presynaptic neuron; it can read [PreSpike], [Presynaptic(\"State\")], [Modulator]");

    [Theory]
    [InlineData("Y = X;", "X", "Postsynaptic cannot read or assign 'X': it is a presynaptic state, one per presynaptic neuron, and Postsynaptic runs once per postsynaptic neuron")]
    [InlineData("C = Y;", "C", "Postsynaptic cannot read or assign 'C': it is a synaptic state, one per synapse")]
    public void Postsynaptic_method_touching_a_state_that_is_not_kept_per_postsynaptic_neuron_is_SNN0111_at_the_access(string statement, string located, string message) =>
        Rejects(Usings + $$"""
            [LearningRule] public partial struct Traces
            {
                [PresynapticState] public float X;
                [PostsynapticState] public float Y;
                [SynapticState] public float C;
                public void Postsynaptic([PostSpike] float post) { {{statement}} }
                public float Update() => X * Y * C;
            }
            """, "SNN0111", located, message);

    [Fact]
    public void Rule_that_reads_an_error_on_line_draws_no_generator_diagnostic_and_is_generated()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [LearningRule] public partial struct ErrorDriven
            {
                public float Update([PreSpike] float pre, [Error] float error) => 0.1f * error * pre;
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Contains(run.GeneratedSources, s => s.HintName.Contains("ErrorDriven", StringComparison.Ordinal) && !s.HintName.EndsWith(".Shell.g.cs", StringComparison.Ordinal));
        AssertNoFollowOnErrors(run);
    }
}
