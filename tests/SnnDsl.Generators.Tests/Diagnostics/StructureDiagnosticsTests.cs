using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// SNN0001–SNN0019: declarations of the wrong shape are errors at the offending declaration, and the type is not
/// generated.
/// </summary>
public class StructureDiagnosticsTests
{
    private const string Usings = """
        using SnnDsl;
        using SnnDsl.Neurons;
        using SnnDsl.Surrogates;

        """;

    /// <summary>A [Network] class Net with <paramref name="members"/>.</summary>
    private static string Network([StringSyntax("C#")] string members) => Usings + $$"""
        [Network]
        public partial class Net
        {
            {{members}}
        }
        """;

    [Theory]
    [InlineData("[Neuron] public struct Probe { [State] public float U; public void Integrate(float input) => U += input; }",
        "Probe", "The [Neuron] type 'Probe' must be declared 'partial struct'")]
    [InlineData("public class Outer { [Neuron] public partial struct Probe { [State] public float U; public void Integrate(float input) => U += input; } }",
        "Probe", "(and every containing type partial)")]
    [InlineData("[Neuron] public partial record struct Probe { [State] public float U; public void Integrate(float input) => U += input; }",
        "Probe", "The [Neuron] type 'Probe' must be declared 'partial struct'")]
    [InlineData("[Surrogate] public partial class Smooth { public static float Derivative(float x) => x; }",
        "Smooth", "The [Surrogate] type 'Smooth' must be declared 'static partial class'")]
    [InlineData("[Network] public class Net { [Input(2)] public partial SpikeInput In { get; } }",
        "Net", "The [Network] type 'Net' must be declared 'partial class'")]
    public void Type_that_is_not_partial_is_SNN0001_at_its_name([StringSyntax("C#")] string declaration, string located, string message) =>
        Rejects(Usings + declaration, "SNN0001", located, message);

    [Fact]
    public void Neuron_without_state_is_SNN0002_at_its_name() =>
        Rejects(Usings + "[Neuron] public partial struct Probe { public void Integrate(float input) { } }",
            "SNN0002", "Probe", "Neuron 'Probe' declares no [State] field");

    [Fact]
    public void Neuron_without_Integrate_is_SNN0003_at_its_name() =>
        Rejects(Usings + "[Neuron] public partial struct Probe { [State] public float U; }",
            "SNN0003", "Probe", "Neuron 'Probe' needs a method 'public void Integrate(float input)'");

    [Theory]
    [InlineData("public void Integrate(double input) => U += (float)input;", "Integrate", "'Integrate' must have the signature 'public void Integrate(float input)'")]
    [InlineData("public float Integrate(float input) => U += input;", "Integrate", "'Integrate' must have the signature 'public void Integrate(float input)'")]
    [InlineData("public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid))] public float Fires() => U;", "Fires", "'Fires' must have the signature 'public bool Fires()'")]
    [InlineData("public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f; public void Reset(float to) => U = to;",
        "Reset", "'Reset' must have the signature 'public void Reset()'")]
    public void Neuron_method_with_the_wrong_signature_is_SNN0004_at_its_name(string members, string located, string message) =>
        Rejects(Usings + $$"""[Neuron] public partial struct Probe { [State] public float U; {{members}} }""", "SNN0004", located, message);

    [Fact]
    public void Derivative_with_the_wrong_signature_is_SNN0004_at_its_name() =>
        Rejects(Usings + "[Surrogate] public static partial class Smooth { public static double Derivative(double x) => x; }",
            "SNN0004", "Derivative", "'Derivative' must have the signature 'public static float Derivative(float x)'");

    [Theory]
    [InlineData("[State] public int N;", "N", "[State] field 'N' must be a mutable instance 'float' field")]
    [InlineData("[State] public static float S;", "S", "[State] field 'S' must be a mutable instance 'float' field")]
    [InlineData("[Param(1f)] public readonly float Beta;", "Beta", "[Param] field 'Beta' must be a mutable instance 'float' field")]
    [InlineData("[Param(1f)] public const float Gain = 1f;", "Gain", "[Param] field 'Gain' must be a mutable instance 'float' field")]
    public void Neuron_field_of_the_wrong_kind_is_SNN0005_at_the_field(string field, string located, string message) =>
        Rejects(Usings + $$"""[Neuron] public partial struct Probe { [State] public float U; {{field}} public void Integrate(float input) => U += input; }""",
            "SNN0005", located, message);

    [Fact]
    public void Surrogate_parameter_that_is_not_static_mutable_float_is_SNN0005_at_the_field() =>
        Rejects(Usings + "[Surrogate] public static partial class Smooth { [Param(1f)] public static readonly float Alpha; public static float Derivative(float x) => x; }",
            "SNN0005", "Alpha", "[Param] field 'Alpha' must be a mutable 'public static float' field");

    [Fact]
    public void Spike_with_a_type_that_is_not_a_surrogate_is_SNN0006_at_the_attribute() =>
        Rejects(Usings + """
            public static class Helper { }

            [Neuron]
            public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) => U += input;
                [Spike(typeof(Helper))] public bool Fires() => U > 1f;
            }
            """,
            "SNN0006", "Spike(typeof(Helper))", "'Helper' is not a [Surrogate] type");

    [Fact]
    public void Second_Spike_method_is_SNN0007_at_its_name() =>
        Rejects(Usings + """
            [Neuron]
            public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) => U += input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
                [Spike(typeof(FastSigmoid))] public bool FiresToo() => U > 2f;
            }
            """,
            "SNN0007", "FiresToo", "Neuron 'Probe' has more than one [Spike] method");

    [Fact]
    public void Reset_without_a_Spike_method_is_SNN0008_at_Reset() =>
        Rejects(Usings + """
            [Neuron]
            public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) => U += input;
                public void Reset() => U = 0f;
            }
            """,
            "SNN0008", "Reset", "Neuron 'Probe' declares Reset() but no [Spike] firing condition");

    [Fact]
    public void Surrogate_without_Derivative_is_SNN0009_at_its_name() =>
        Rejects(Usings + "[Surrogate] public static partial class Smooth { [Param(1f)] public static float Alpha; }",
            "SNN0009", "Smooth", "Surrogate 'Smooth' needs a method 'public static float Derivative(float x)'");

    [Theory]
    [InlineData("[Input(2)] public SpikeInput In { get; } = new(\"In\", 2);", "In", "Network property 'In' must be declared 'public partial SpikeInput In { get; }'")]
    [InlineData("[Population(2)] public partial SpikeInput Hidden { get; }", "Hidden", "Network property 'Hidden' must be declared 'public partial Population<TNeuron> Hidden { get; }'")]
    [InlineData("[Dense(\"In\", \"Hidden\")] public partial Synapses W { get; set; }", "W", "Network property 'W' must be declared 'public partial Synapses W { get; }'")]
    [InlineData("[Input(2)] public static partial SpikeInput In { get; }", "In", "Network property 'In' must be declared 'public partial SpikeInput In { get; }'")]
    public void Network_property_of_the_wrong_shape_is_SNN0010_at_its_name(string member, string located, string message) =>
        Rejects(Network(member), "SNN0010", located, message);

    [Theory]
    [InlineData("[Input(0)] public partial SpikeInput In { get; }", "Input(0)", "Layer 'In' has size 0")]
    [InlineData("[Population(-3)] public partial Population<Lif> Hidden { get; }", "Population(-3)", "Layer 'Hidden' has size -3")]
    public void Layer_of_non_positive_size_is_SNN0011_at_the_attribute(string member, string located, string message) =>
        Rejects(Network(member), "SNN0011", located, message);

    private const string InputAndHidden = """
        [Input(2)] public partial SpikeInput In { get; }
            [Population(3)] public partial Population<Lif> Hidden { get; }
        """;

    [Fact]
    public void Connection_naming_an_unknown_layer_is_SNN0012_at_the_attribute() =>
        Rejects(Network(InputAndHidden + "    [Dense(\"In\", \"Hiden\")] public partial Synapses W { get; }"),
            "SNN0012", "Dense(\"In\", \"Hiden\")", "Connection 'W' names 'Hiden', which is not a layer of network 'Net'; layers: In, Hidden");

    [Fact]
    public void Connection_into_an_input_is_SNN0013_at_the_attribute() =>
        Rejects(Network(InputAndHidden + "    [Dense(nameof(Hidden), nameof(In))] public partial Synapses Back { get; }"),
            "SNN0013", "Dense(nameof(Hidden), nameof(In))", "Connection 'Back' targets input layer 'In'");

    [Fact]
    public void Connection_from_a_non_spiking_population_is_SNN0014_at_the_attribute() =>
        Rejects(Network(InputAndHidden + """
                [Population(2)] public partial Population<LeakyReadout> Out { get; }
                [Dense(nameof(Out), nameof(Hidden))] public partial Synapses Feedback { get; }
            """),
            "SNN0014", "Dense(nameof(Out), nameof(Hidden))", "Connection 'Feedback' has presynaptic layer 'Out', a non-spiking population");

    [Theory]
    [InlineData("[Input(2)] public partial SpikeInput In { get; }")]
    [InlineData("[Population(2)] public partial Population<Lif> Hidden { get; }")]
    public void Network_without_an_input_or_a_population_is_SNN0015_at_its_name(string member) =>
        Rejects(Network(member), "SNN0015", "Net", "Network 'Net' needs at least one [Input] and one [Population]");

    [Fact]
    public void Population_of_a_type_that_is_not_a_neuron_is_SNN0016_at_the_property() =>
        Rejects(Usings + """
            public struct Plain : INeuron { }

            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<Plain> Hidden { get; }
            }
            """,
            "SNN0016", "Hidden", "Population 'Hidden' uses 'Plain', which is not a [Neuron] type");

    [Fact]
    public void Population_of_an_invalid_neuron_is_SNN0017_at_the_property()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [Neuron]
            public partial struct Broken
            {
                [State] public float U;
                public void Integrate(float input) { for (;;) U += input; }
            }

            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<Broken> Hidden { get; }
            }
            """);

        Assert.Equal(["SNN0017", "SNN0101"], run.Diagnostics.Select(d => d.Id).Order());
        Diagnostic diagnostic = run.Diagnostics.Single(d => d.Id == "SNN0017");
        AssertDiagnostic(run, diagnostic, "SNN0017", "Hidden", "Neuron 'Broken' has an error; populations of it cannot be generated");
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void Second_connection_between_the_same_layers_is_SNN0018_at_its_attribute() =>
        Rejects(Network(InputAndHidden + """
                [Dense(nameof(In), nameof(Hidden))] public partial Synapses First { get; }
                [Dense("In", "Hidden")] public partial Synapses Second { get; }
            """),
            "SNN0018", "Dense(\"In\", \"Hidden\")", "Connection 'Second' repeats In → Hidden, already connected by 'First'");

    [Theory]
    [InlineData("[State] public float input;", "public void Integrate(float x) => input += x;", "input", "'input' cannot be used as a state, parameter or local name in 'Probe'")]
    [InlineData("[Param(1f)] public float gradBeta;", "public void Integrate(float input) => U += input;", "gradBeta", "'gradBeta' cannot be used")]
    [InlineData("", "public void Integrate(float input) { float U = input; }", "U", "'U' cannot be used")]
    [InlineData("", "public void Integrate(float input) { float __t = input; }", "__t", "'__t' cannot be used")]
    [InlineData("[State] public float spikes;", "public void Integrate(float input) => U += input;", "spikes", "'spikes' cannot be used")]
    [InlineData("[Param(1f)] public float sparseEpsilon;", "public void Integrate(float input) => U += input;", "sparseEpsilon", "'sparseEpsilon' cannot be used")]
    [InlineData("", "public void Integrate(float input) { float stateU = input; U = stateU; }", "stateU", "'stateU' cannot be used")]
    [InlineData("", "public void Integrate(float input) { float synapticInput = input; U = synapticInput; }", "synapticInput", "'synapticInput' cannot be used")]
    public void Reserved_or_shadowing_name_is_SNN0019_at_the_name(string field, string integrate, string located, string message) =>
        Rejects(Usings + $$"""[Neuron] public partial struct Probe { [State] public float U; {{field}} {{integrate}} }""", "SNN0019", located, message);
}
