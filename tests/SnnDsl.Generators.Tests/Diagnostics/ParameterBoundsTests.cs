using System.Diagnostics.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// <c>[Param(…, Min = …, Max = …)]</c>: bounds the trainer keeps a trainable parameter in. They go into the IR text and
/// the descriptor; bounds that are NaN, empty or leave out the default value are one SNN0033 at the argument.
/// </summary>
public class ParameterBoundsTests
{
    private static string Neuron(string param) => $$"""
        using SnnDsl;
        using SnnDsl.Surrogates;

        [Neuron]
        public partial struct Probe
        {
            [State] public float U;
            {{param}} public float Beta;
            public void Integrate(float input) => U = Beta * U + input;
            [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            public void Reset() => U -= 1f;
        }
        """;

    /// <summary>The generated neuron source of a declaration that must generate without diagnostics.</summary>
    private static string Generated(string param)
    {
        GeneratorRun run = GeneratorHarness.Run(Neuron(param));
        Assert.Empty(run.Diagnostics);
        AssertNoFollowOnErrors(run);
        return run.GeneratedSources.Single(s => s.HintName.EndsWith(".Neuron.g.cs", StringComparison.Ordinal)).SourceText.ToString();
    }

    [Fact]
    public void Bounds_are_in_the_IR_text_and_the_descriptor()
    {
        string neuron = Generated("[Param(0.9f, Trainable = true, Min = 0f, Max = 1f)]");
        Assert.Contains("(Beta 0.9 shared trainable (min 0) (max 1))", neuron);
        Assert.Contains("new global::SnnDsl.ParamDescriptor(\"Beta\", 0.9f, false, true, 0f, 1f)", neuron);
    }

    [Fact]
    public void One_bound_alone_leaves_the_other_side_open()
    {
        string neuron = Generated("[Param(0.9f, Trainable = true, Max = 1f)]");
        Assert.Contains("(Beta 0.9 shared trainable (max 1))", neuron);
        Assert.Contains("new global::SnnDsl.ParamDescriptor(\"Beta\", 0.9f, false, true, float.NegativeInfinity, 1f)", neuron);
    }

    [Theory]
    [InlineData("[Param(1.2f, Trainable = true, Min = 0f, Max = 1f)]", "Max = 1f", "leave out its default value 1.2: it lies above Max = 1")]
    [InlineData("[Param(-0.5f, Trainable = true, Min = 0f)]", "Min = 0f", "leave out its default value -0.5: it lies below Min = 0")]
    [InlineData("[Param(0.5f, Trainable = true, Min = 1f, Max = 0f)]", "Min = 1f", "leave no value: Min = 1 lies above Max = 0")]
    [InlineData("[Param(0.5f, Trainable = true, Max = float.NaN)]", "Max = float.NaN", "are not numbers: Max is NaN")]
    public void Bounds_that_cannot_hold_are_SNN0033_at_the_argument([StringSyntax("C#")] string param, string located, string message) =>
        Rejects(Neuron(param), "SNN0033", located, "The bounds of parameter 'Beta' " + message);

    [Fact]
    public void A_synapse_parameter_is_checked_too() =>
        Rejects("""
            using SnnDsl;
            [Synapse] public partial struct Slow
            {
                [State] public float G;
                [Param(2f, Trainable = true, Min = 0f, Max = 1f)] public float Decay;
                public float Deliver(float z) { G = Decay * G + z; return G; }
            }
            """, "SNN0033", "Max = 1f", "The bounds of parameter 'Decay' leave out its default value 2: it lies above Max = 1");
}
