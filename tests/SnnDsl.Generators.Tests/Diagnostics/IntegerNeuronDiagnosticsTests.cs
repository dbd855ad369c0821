using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// Neurons declared in integer arithmetic (int or short states): a valid one gets its integer Step and no float
/// members; a construct the kernel cannot compute as the C# does is one SNN0115 at its source; a use that needs
/// gradients is one SNN0116; nothing else is reported and nothing that fails to compile is generated.
/// </summary>
public class IntegerNeuronDiagnosticsTests
{
    private const string Usings = """
        using System;
        using SnnDsl;
        using SnnDsl.Surrogates;

        namespace User.Chips;

        """;

    private static string Neuron(
        [StringSyntax("C#")] string integrate = "I = (short)Math.Clamp(I + input, short.MinValue, short.MaxValue); I = (short)(I - (I >> DashSyn)); U = (short)Math.Clamp(U - (U >> DashMem) + I, short.MinValue, short.MaxValue);",
        [StringSyntax("C#")] string fires = "public bool Fires() => U >= Threshold;",
        [StringSyntax("C#")] string reset = "U -= Threshold;",
        string fields = "",
        string attributes = "") => Usings + $$"""
        [Neuron]{{attributes}}
        public partial struct HandXylo
        {
            [State] public short I;
            [State] public short U;
            [Param(2)] public int DashSyn;
            [Param(4)] public int DashMem;
            [Param(100)] public short Threshold;
            {{fields}}

            public void Integrate(int input) { {{integrate}} }

            {{fires}}

            public void Reset() { {{reset}} }
        }
        """;

    [Fact]
    public void Integer_neuron_generates_its_Step_alone_and_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron());

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        GeneratedSourceResult source = Assert.Single(run.GeneratedSources);
        Snapshot.Verify(Generation.SnapshotTests.IntegerNeuronName, source.SourceText.ToString());
    }

    [Fact]
    public void Integer_neuron_with_keyword_names_locals_and_branches_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [Neuron]
            public partial struct Keywords
            {
                [State] public int @event;
                [State] public short @base;
                [Param(3)] public int @checked;

                public void Integrate(int @in, int other)
                {
                    int @fixed = @in >> @checked;
                    if (@fixed > 0) { short t = (short)@fixed; @base += t; } else { int t = other; @event ^= t; }
                    @event = @event > 0 ? @event + 1 : -@event;
                }

                public bool Fires() => @event > @base;
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
    }

    [Theory]
    [InlineData("U = (short)(U / 2);", "U / 2", "The division 'U / 2'")]
    [InlineData("U = (short)(U % 2);", "U % 2", "The remainder 'U % 2'")]
    [InlineData("U = (short)(U * 0.5f);", "U * 0.5f", "of type 'float'")]
    [InlineData("U = (short)Math.Abs(U);", "Math.Abs(U)", "The call 'Math.Abs(U)'")]
    [InlineData("int t = (int)((long)U * 3); U = (short)t;", "(long)U * 3", "of type 'long'")]
    [InlineData("long t = U; U = (short)t;", "t = U", "The local 't' of type 'long'")]
    [InlineData("for (int k = 0; k < 2; k++) U++;", "for (int k = 0; k < 2; k++) U++;", "A loop")]
    [InlineData("U = (short)(U >> I);", "I", "The shift count 'I'")]
    [InlineData("U = checked((short)(U + I));", "(short)(U + I)", "The checked arithmetic")]
    [InlineData("DashSyn = 3;", "DashSyn", "An assignment to parameter 'DashSyn'")]
    [InlineData("U = (short)Math.Clamp(U + 0, I + 0, 5);", "Math.Clamp(U + 0, I + 0, 5)", "bounds that differ between neurons")]
    [InlineData("U = (short)Math.Clamp(U + 0, 5, 2);", "Math.Clamp(U + 0, 5, 2)", "its minimum 5 exceeds its maximum 2")]
    [InlineData("U = (short)(uint)U;", "(uint)U", "of type 'uint'")]
    [InlineData("U = (short)(I + ++U);", "++U", "The assignment '++U' inside an expression")]
    public void Unsupported_construct_in_Integrate_is_one_SNN0115_at_it(string integrate, string located, string message) =>
        Rejects(Neuron(integrate: integrate), "SNN0115", located, message);

    [Theory]
    [InlineData("public bool Fires() { bool above = U >= Threshold; return above; }", "{ bool above = U >= Threshold; return above; }", "A Fires() body of statements")]
    [InlineData("public bool Fires() => U >= Threshold ^ I > 0;", "U >= Threshold ^ I > 0", "combine comparisons")]
    public void Unsupported_firing_condition_is_one_SNN0115(string fires, string located, string message) =>
        Rejects(Neuron(fires: fires), "SNN0115", located, message);

    [Fact]
    public void State_of_another_type_in_an_integer_neuron_is_SNN0005_at_it() =>
        Rejects(Neuron(fields: "[State] public long W;"), "SNN0005", "W", "must be a mutable instance 'int' or 'short' field in an integer neuron");

    [Fact]
    public void Float_neuron_with_a_double_state_is_still_SNN0005() =>
        Rejects(Usings + """
            [Neuron]
            public partial struct Probe
            {
                [State] public double U;
                public void Integrate(float input) => U += input;
            }
            """, "SNN0005", "U", "must be a mutable instance 'float' field");

    [Fact]
    public void Float_port_in_an_integer_neuron_is_SNN0004() =>
        Rejects(Neuron().Replace("public void Integrate(int input)", "public void Integrate(float input)").Replace("I + input", "I + (int)input"),
            "SNN0004", "Integrate", "'public void Integrate(int input)' in an integer neuron");

    [Fact]
    public void Spike_with_a_surrogate_on_an_integer_neuron_is_SNN0116() =>
        Rejects(Neuron(fires: "[Spike(typeof(FastSigmoid))] public bool Fires() => U >= Threshold;"), "SNN0116", "Spike(typeof(FastSigmoid))", "cannot take [Spike]");

    [Fact]
    public void FixedPoint_on_an_integer_neuron_is_SNN0116() =>
        Rejects(Neuron(attributes: "[FixedPoint(Chip.XyloAudio2)]"), "SNN0116", "FixedPoint(Chip.XyloAudio2)", "cannot take [FixedPoint]");

    [Fact]
    public void Trainable_parameter_of_an_integer_neuron_is_SNN0116() =>
        Rejects(Neuron(fields: "[Param(1, Trainable = true)] public int Gain;"), "SNN0116", "Param(1, Trainable = true)", "cannot train parameter 'Gain'");

    [Fact]
    public void Integer_neuron_as_a_network_population_is_SNN0116_alone()
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron() + """

            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<HandXylo> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses W { get; }
            }
            """);

        AssertDiagnostic(run, Assert.Single(run.Diagnostics), "SNN0116", "Hidden", "cannot be the population 'Hidden' of a network");
        // The neuron itself is valid and keeps its Step; the network gets its shell.
        Assert.Contains(run.GeneratedSources, s => s.HintName.Contains("HandXylo", StringComparison.Ordinal) && s.HintName.EndsWith(".Neuron.g.cs", StringComparison.Ordinal));
        AssertNoFollowOnErrors(run);
    }
}
