using System.Diagnostics.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// Helpers (SNN0112, SNN0113, and the ordinary translation diagnostics inside a helper) and initial values (SNN0032):
/// each rejected construct is one diagnostic at its source, however often the helper is called, and nothing else fails
/// to compile. (An instance method stays SNN0102: TranslationDiagnosticsTests.)
/// </summary>
public class ConvenienceDiagnosticsTests
{
    /// <summary>A valid spiking neuron whose Integrate is <paramref name="integrate"/>, with <paramref name="members"/> (helpers).</summary>
    private static string Neuron([StringSyntax("C#")] string integrate, [StringSyntax("C#")] string members, string state = "[State]") => $$"""
        using System;
        using SnnDsl;
        using SnnDsl.Surrogates;

        [Neuron]
        public partial struct Probe
        {
            {{state}} public float U;
            [Param(0.9f)] public float Beta;

            public void Integrate(float input)
            {
                {{integrate}}
            }

            [Spike(typeof(FastSigmoid))]
            public bool Fires() => U > 1f;

            public void Reset() => U -= 1f;

            {{members}}
        }
        """;

    [Fact]
    public void Valid_helpers_generate_the_neuron_without_diagnostics()
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron("U = Leak(Beta, U) + Clip(input, hi: 2f);",
            """
            private static float Leak(float decay, float x) => decay * x;
            private static float Clip(float x, float lo = -1f, float hi = 1f)
            {
                float low = MathF.Max(x, lo);
                return MathF.Min(low, hi);
            }
            """));

        Assert.Empty(run.Diagnostics);
        AssertNoFollowOnErrors(run);
        string neuron = run.GeneratedSources.Single(s => s.HintName.EndsWith(".Neuron.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("(set-state U (+ (* (param Beta) (state U)) (call Min (call Max (input input) -1) 2)))", neuron);
    }

    [Fact]
    public void Direct_recursion_is_SNN0112_at_the_recursive_call() =>
        Rejects(Neuron("U = Halve(U) + input;", "private static float Halve(float x) => x > 1f ? Halve(0.5f * x) : x;"),
            "SNN0112", "Halve(0.5f * x)", "Helper 'Halve' calls itself;");

    [Fact]
    public void Mutual_recursion_is_one_SNN0112_at_the_call_that_closes_the_cycle() =>
        Rejects(Neuron("U = Ping(U) + Ping(input);",
            """
            private static float Ping(float x) => x > 1f ? Pong(x - 1f) : x;
            private static float Pong(float x) => Ping(0.5f * x);
            """),
            "SNN0112", "Ping(0.5f * x)", "Helper 'Ping' calls itself through 'Pong'");

    [Theory]
    [InlineData("private static float Scale(int k, float x) => k * x;", "U = Scale(2, U) + input;", "int k", "parameter 'k' has type 'int', not float")]
    [InlineData("private static float Scale(ref float x) => 2f * x;", "U = Scale(ref U) + input;", "ref float x", "parameter 'x' is passed by reference")]
    [InlineData("private static double Scale(float x) => 2.0 * x;", "U = (float)Scale(U) + input;", "double", "it returns 'double', not float")]
    [InlineData("private static float Scale<T>(float x) => 2f * x;", "U = Scale<int>(U) + input;", "<T>", "it is generic")]
    public void Helper_of_the_wrong_shape_is_SNN0113_at_the_offending_part(string helper, string integrate, string located, string message) =>
        Rejects(Neuron(integrate, helper), "SNN0113", located, "Helper 'Probe.Scale' cannot be inlined: " + message);

    [Fact]
    public void Loop_in_a_helper_called_twice_is_one_SNN0101_inside_the_helper() =>
        Rejects(Neuron("U = Sum(U) + Sum(input);", "private static float Sum(float x) { for (int k = 0; k < 2; k++) x += 1f; return x; }"),
            "SNN0101", "for", "A 'for' loop");

    [Fact]
    public void Helper_reading_an_outside_field_is_SNN0103_inside_the_helper() =>
        Rejects(Neuron("U = Gain(U) + input;", "private static float Factor = 2f; private static float Gain(float x) => Factor * x;"),
            "SNN0103", "Factor", "'Factor' is not a state");

    [Theory]
    [InlineData("[State(Initial = float.NaN)]", "Initial = float.NaN", "The initial value of state 'U' is NaN")]
    [InlineData("[State(Initial = 1f / 0f)]", "Initial = 1f / 0f", "The initial value of state 'U' is Infinity")]
    public void Initial_value_that_is_not_finite_is_SNN0032_at_the_argument(string state, string located, string message) =>
        Rejects(Neuron("U = Beta * U + input;", "", state), "SNN0032", located, message);

    [Fact]
    public void Initial_value_on_a_synapse_state_is_SNN0032_at_the_argument() =>
        Rejects("""
            using SnnDsl;
            [Synapse] public partial struct Probe
            {
                [State(Initial = 1f)] public float G;
                public float Deliver(float z) { G = 0.5f * G + z; return G; }
            }
            """, "SNN0032", "Initial = 1f", "The initial value of state 'G' cannot be declared: synapse states start at 0");

    [Fact]
    public void Declared_initial_values_reach_the_descriptor_and_the_compiled_model()
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron("U = Beta * U + input;", "", "[State(Initial = -0.5f)]"));

        Assert.Empty(run.Diagnostics);
        AssertNoFollowOnErrors(run);
        string neuron = run.GeneratedSources.Single(s => s.HintName.EndsWith(".Neuron.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("(states U) (initial (U -0.5))", neuron);
        Assert.Contains("[-0.5f],", neuron);
    }
}
