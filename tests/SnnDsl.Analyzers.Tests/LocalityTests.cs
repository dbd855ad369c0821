using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using VerifyLocality = SnnDsl.Analyzers.Tests.Verify<SnnDsl.Analyzers.LocalityAnalyzer, SnnDsl.Analyzers.Tests.NoFix>;
using VerifyOffline = SnnDsl.Analyzers.Tests.Verify<SnnDsl.Analyzers.LocalityAnalyzer, SnnDsl.CodeFixes.MarkRuleOfflineFix>;

namespace SnnDsl.Analyzers.Tests;

public class LocalityTests
{
    private const string ErrorReason = "an error computed outside the neuron, by a backward pass or from a loss over the whole sequence";

    [Fact]
    public Task On_line_rule_reading_another_neurons_state_and_an_error_is_SNN0501_at_each_first_read() =>
        VerifyLocality.Analyzer("""
            [LearningRule] public partial struct Peeking
            {
                [PresynapticState] public float X;
                public void Presynaptic([PreSpike] float s, [Presynaptic("U")] float u) => X = 0.9f * X + s * {|#0:u|} + u;
                public float Update([PostSpike] float post, [Error] float error) => X * post * {|#1:error|};
            }
            """,
            new DiagnosticResult("SNN0501", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Peeking", "Presynaptic",
                "the presynaptic neuron's state U ('u')", "another neuron's state: a synapse receives only the spikes of its presynaptic neuron"),
            new DiagnosticResult("SNN0501", DiagnosticSeverity.Warning).WithLocation(1).WithArguments("Peeking", "Update", "the error ('error')", ErrorReason));

    [Fact]
    public Task Local_and_broadcast_reads_an_offline_rule_and_an_error_declared_but_never_read_are_fine() =>
        VerifyLocality.Analyzer("""
            [LearningRule] public partial struct ThreeFactor
            {
                [PresynapticState] public float X;
                [PostsynapticState] public float Y;
                [SynapticState] public float C;
                public void Presynaptic([PreSpike] float s) => X = 0.9f * X + s;
                public void Postsynaptic([PostSpike] float s, [Postsynaptic("U")] float u, [Target] float target) => Y = 0.9f * Y + (target - s) * u;
                public float Update([PreSpike] float pre, [PostSpike] float post, [Weight] float w, [Modulator] float m, [Error] float unused)
                {
                    C = 0.99f * C + X * post - Y * pre;
                    return m * C * (1f - w);
                }
            }
            [LearningRule(Offline = true)] public partial struct Backprop
            {
                public float Update([PreSpike] float pre, [Error] float error) => error * pre;
            }
            """);

    [Fact]
    public Task Rule_with_a_structure_error_draws_only_the_generators_error() =>
        VerifyLocality.Analyzer("""
            [LearningRule] public partial struct Broken
            {
                public float Update([PreSpike] float pre, [Error] float error, float unmarked) => error * pre * unmarked;
            }
            """);

    [Fact]
    public Task The_fix_declares_the_rule_offline() =>
        VerifyOffline.Fix("""
            [LearningRule] public partial struct Backprop
            {
                public float Update([PreSpike] float pre, [Error] float error) => {|SNN0501:error|} * pre;
            }
            """, """
            [LearningRule(Offline = true)] public partial struct Backprop
            {
                public float Update([PreSpike] float pre, [Error] float error) => error * pre;
            }
            """);
}
