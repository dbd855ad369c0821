using System.Diagnostics.CodeAnalysis;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// SNN0101–SNN0110: every construct outside the translatable subset of docs/ir.md is an error at the offending
/// syntax, and the neuron is not generated. One row per rejected construct.
/// </summary>
public class TranslationDiagnosticsTests
{
    /// <summary>A valid spiking neuron with <paramref name="integrate"/> as the body of Integrate.</summary>
    private static string Neuron(
        [StringSyntax("C#")] string integrate,
        [StringSyntax("C#")] string members = "",
        [StringSyntax("C#")] string fires = "=> U > 1f;") => $$"""
        using SnnDsl;
        using SnnDsl.Surrogates;

        [Neuron]
        public partial struct Probe
        {
            [State] public float U;
            [Param(0.9f)] public float Beta;
            {{members}}

            public void Integrate(float input)
            {
                {{integrate}}
            }

            [Spike(typeof(FastSigmoid))]
            public bool Fires() {{fires}}

            public void Reset() => U -= 1f;
        }
        """;

    [Theory]
    [InlineData("for (int k = 0; k < 2; k++) U += input;", "for", "A 'for' loop")]
    [InlineData("while (U > 1f) U -= 1f;", "while", "A 'while' loop")]
    [InlineData("do { U -= 1f; } while (U > 1f);", "do", "A 'do' loop")]
    [InlineData("foreach (float w in new[] { 1f, 2f }) U += w * input;", "foreach", "A 'foreach' loop")]
    public void Loop_is_SNN0101_at_the_loop_keyword(string integrate, string located, string message) =>
        Rejects(Neuron(integrate), "SNN0101", located, message);

    [Theory]
    [InlineData("U = Math.Abs(U) + input;", "Math.Abs(U)", "Call to 'Math.Abs'")]
    [InlineData("U = (float)Math.Exp(U);", "Math.Exp(U)", "Call to 'Math.Exp'")]
    [InlineData("U = MathF.Sin(U) + input;", "MathF.Sin(U)", "Call to 'MathF.Sin'")]
    [InlineData("U = MathF.Log(U, 2f);", "MathF.Log(U, 2f)", "Call to 'MathF.Log'")]
    public void Call_outside_the_MathF_subset_is_SNN0102_at_the_call(string integrate, string located, string message) =>
        Rejects(Neuron(integrate), "SNN0102", located, message);

    [Fact]
    public void Call_to_a_user_method_is_SNN0102_at_the_call() =>
        Rejects(Neuron("U = Decay(U) + input;", members: "private readonly float Decay(float u) => 0.5f * u;"),
            "SNN0102", "Decay(U)", "Call to 'Probe.Decay'");

    [Theory]
    [InlineData("private SnnDsl.Neurons.Lif _inner;", "U = _inner.U + input;", "_inner.U", "'_inner.U' is not a state, parameter, constant or local of 'Probe'")]
    [InlineData("private static float Gain = 2f;", "U = Gain * input;", "Gain", "'Gain' is not a state")]
    [InlineData("public float Scratch;", "U = Scratch + input;", "Scratch", "'Scratch' is not a state")]
    [InlineData("", "U = FastSigmoid.Slope * input;", "FastSigmoid.Slope", "'FastSigmoid.Slope' is not a state")]
    public void Read_of_a_field_outside_the_model_is_SNN0103_at_the_access(string members, string integrate, string located, string message) =>
        Rejects(Neuron(integrate, members), "SNN0103", located, message);

    [Theory]
    [InlineData("var buffer = new float[4];", "new float[4]", "'new float[4]' allocates")]
    [InlineData("var pair = new[] { U, input };", "new[] { U, input }", "'new[] { U, input }' allocates")]
    [InlineData("var history = new List<float>();", "new List<float>()", "'new List<float>()' allocates")]
    public void Allocation_is_SNN0104_at_the_new_expression(string integrate, string located, string message) =>
        Rejects(Neuron(integrate), "SNN0104", located, message);

    [Theory]
    [InlineData("if (U > 1f) U = 0f;", "if (U > 1f) U = 0f;", "An 'if' statement")]
    [InlineData("switch (U) { case > 1f: U = 0f; break; }", "switch (U) { case > 1f: U = 0f; break; }", "A switch statement")]
    [InlineData("U += input; return;", "return;", "'return' in a void dynamics method")]
    [InlineData("try { U += input; } finally { }", "try { U += input; } finally { }", "A try statement")]
    [InlineData("float v;", "v", "Local 'v' without an initializer")]
    public void Statement_other_than_an_assignment_is_SNN0105_at_the_statement(string integrate, string located, string message) =>
        Rejects(Neuron(integrate), "SNN0105", located, message);

    [Fact]
    public void Statement_after_the_return_of_Fires_is_SNN0105_at_the_statement() =>
        Rejects(Neuron("U += input;", fires: "{ return U > 1f; U = 0f; }"), "SNN0105", "U = 0f;", "A statement after 'return'");

    [Theory]
    [InlineData("U = U % 2f + input;", "U % 2f", "Operator '%'")]
    [InlineData("U %= 2f;", "U %= 2f", "Operator '%='")]
    [InlineData("U++;", "U++", "Operator '++'")]
    [InlineData("--U;", "--U", "Operator '--'")]
    [InlineData("U = U > 1f & input > 0f ? 0f : U + input;", "U > 1f & input > 0f", "Operator '&'")]
    [InlineData("U = U > 1f | input > 0f ? 0f : U + input;", "U > 1f | input > 0f", "Operator '|'")]
    [InlineData("U = U * (float)((int)input << 1);", "(int)input << 1", "Operator '<<'")]
    public void Operator_outside_arithmetic_is_SNN0106_at_the_operation(string integrate, string located, string message) =>
        Rejects(Neuron(integrate), "SNN0106", located, message);

    [Theory]
    [InlineData("", "Beta = 0.5f;", "Beta", "Cannot assign to 'Beta': it is a parameter")]
    [InlineData("", "input = 0f;", "input", "Cannot assign to 'input': method parameters are read-only")]
    [InlineData("public float Scratch;", "Scratch = input;", "Scratch", "Cannot assign to 'Scratch': only states of this neuron and float locals")]
    public void Assignment_to_something_other_than_a_state_or_local_is_SNN0107_at_the_target(string members, string integrate, string located, string message) =>
        Rejects(Neuron(integrate, members), "SNN0107", located, message);

    [Theory]
    [InlineData("double d = U;", "d = U", "Local 'd' has type 'double'")]
    [InlineData("int n = 2;", "n = 2", "Local 'n' has type 'int'")]
    [InlineData("U = (float)(U * 0.5);", "U * 0.5", "'U * 0.5' has type 'double'")]
    public void Value_that_is_not_float_is_SNN0108_at_the_value(string integrate, string located, string message) =>
        Rejects(Neuron(integrate), "SNN0108", located, message);

    [Theory]
    [InlineData("=> U > 1f && U < 5f;", "U > 1f && U < 5f")]
    [InlineData("=> U == 1f;", "U == 1f")]
    [InlineData("=> true;", "true")]
    [InlineData("{ return !(U < 1f); }", "!(U < 1f)")]
    public void Firing_condition_that_is_not_one_ordering_comparison_is_SNN0109_at_the_condition(string fires, string located) =>
        Rejects(Neuron("U += input;", fires: fires), "SNN0109", located, "The firing condition of 'Probe' must be a single comparison");

    [Theory]
    [InlineData("Func<float, float> decay = u => 0.5f * u;", "u => 0.5f * u", "A lambda")]
    [InlineData("U = (U = input) * 2f;", "U = input", "An assignment inside an expression")]
    [InlineData("U = U switch { > 1f => 0f, _ => U + input };", "U switch { > 1f => 0f, _ => U + input }", "A switch expression")]
    [InlineData("U = U is > 1f ? 0f : U + input;", "U is > 1f", "The condition 'U is > 1f'")]
    public void Expression_outside_the_subset_is_SNN0110_at_the_expression(string integrate, string located, string message) =>
        Rejects(Neuron(integrate), "SNN0110", located, message);

    [Fact]
    public void Element_access_is_SNN0110_at_the_access() =>
        Rejects(Neuron("U = Weights[0] * input;", members: "public float[] Weights;"), "SNN0110", "Weights[0]", "Element access 'Weights[0]'");
}
