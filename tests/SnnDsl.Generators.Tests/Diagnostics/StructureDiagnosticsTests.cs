using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// SNN0001–SNN0028: declarations of the wrong shape are errors at the offending declaration, and the type is not
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
        Rejects(Usings + declaration, "SNN0001", located, message, "CS0751", "CS9248");

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
    [InlineData("[Dense(\"In\", \"Hidden\")] public partial DenseSynapses W { get; set; }", "W", "Network property 'W' must be declared 'public partial DenseSynapses W { get; }'")]
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
        Rejects(Network(InputAndHidden + "    [Dense(\"In\", \"Hiden\")] public partial DenseSynapses W { get; }"),
            "SNN0012", "Dense(\"In\", \"Hiden\")", "Connection 'W' names 'Hiden', which is not a layer of network 'Net'; layers: In, Hidden");

    [Fact]
    public void Connection_into_an_input_is_SNN0013_at_the_attribute() =>
        Rejects(Network(InputAndHidden + "    [Dense(nameof(Hidden), nameof(In))] public partial DenseSynapses Back { get; }"),
            "SNN0013", "Dense(nameof(Hidden), nameof(In))", "Connection 'Back' targets input layer 'In'");

    [Fact]
    public void Connection_from_a_non_spiking_population_is_SNN0014_at_the_attribute() =>
        Rejects(Network(InputAndHidden + """
                [Population(2)] public partial Population<LeakyReadout> Out { get; }
                [Dense(nameof(Out), nameof(Hidden))] public partial DenseSynapses Feedback { get; }
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
            "SNN0016", "Hidden", "Population 'Hidden' uses 'Plain', which is not a [Neuron] type", "CS0535");

    [Theory]
    [InlineData("public struct Plain { public float U; }", "")]                              // a struct that lost its [Neuron]
    [InlineData("public partial struct Plain { public float U; }", "")]
    [InlineData("public class Plain { }", "")]                                                // SnnDsl's Population<T> needs a struct
    [InlineData("public struct Plain { }", "[Population(2)] public partial Population<Lif> Valid { get; } [Dense(nameof(In), nameof(Valid))] public partial DenseSynapses W { get; }")]
    public void Population_of_a_type_that_is_not_a_neuron_is_SNN0016_alone(string plain, string more) =>
        // Population<TNeuron> asks for 'struct, INeuron' (CS0315, CS0453 at the property); the shell's stand-in
        // Population<TNeuron> in the network asks for nothing, so SNN0016 is the only diagnostic.
        Rejects(Usings + $$"""
            {{plain}}

            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<Plain> Hidden { get; }
                {{more}}
            }
            """,
            "SNN0016", "Hidden", "Population 'Hidden' uses 'Plain', which is not a [Neuron] type");

    [Fact]
    public void Population_of_a_neuron_that_is_not_partial_is_SNN0001_and_SNN0017_alone()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [Neuron] public struct Probe { [State] public float U; public void Integrate(float input) => U += input; }

            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<Probe> Hidden { get; }
            }
            """);
        Assert.Equal(["SNN0001", "SNN0017"], run.Diagnostics.Select(d => d.Id).Order());
        AssertNoFollowOnErrors(run);
    }

    [Theory]
    [InlineData("[Neuron] public partial struct Probe { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(Smooth))] public bool Fires() => U > 1f; } " +
                "[Surrogate] public static partial class Smooth { }", "Population<Probe>", "", "SNN0009 SNN0017 SNN0029")]
    [InlineData("[Synapse] public struct Filter { [State] public float G; public float Deliver(float weightedSpikes) { G = 0.5f * G + weightedSpikes; return G; } }",
                "Population<Lif>", ", Synapse = typeof(Filter)", "SNN0001 SNN0023")]
    [InlineData("public struct Filter { }", "Population<Lif>", ", Synapse = typeof(Filter)", "SNN0022")]
    public void A_network_over_a_model_with_an_error_draws_only_SNN_errors(string model, string population, string synapse, string ids)
    {
        // The error of a neuron, surrogate or synapse reaches the network that uses it as SNN diagnostics, never as C# errors.
        GeneratorRun run = GeneratorHarness.Run(Usings + $$"""
            {{model}}

            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial {{population}} Hidden { get; }
                [Dense(nameof(In), nameof(Hidden){{synapse}})] public partial DenseSynapses W { get; }
            }
            """);
        Assert.Equal(ids, string.Join(" ", run.Diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal)));
        AssertNoFollowOnErrors(run);
    }

    [Theory]
    [InlineData("Population<Undefined>", "Undefined", "CS0246")]        // the user's own error: the type does not exist
    [InlineData("SnnDsl.Population<Net>", "Net", "CS0453")]             // written qualified, the stand-in cannot take its place
    public void Population_of_a_type_that_does_not_bind_is_SNN0016_without_an_error_in_generated_code(string type, string named, string userError) =>
        Rejects(Usings + $$"""
            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial {{type}} Hidden { get; }
            }
            """,
            // The shell leaves the property out rather than repeat the user's error in generated code; C# then also says,
            // at the same property, that it has no implementing part (CS9248).
            "SNN0016", "Hidden", $"Population 'Hidden' uses '{named}', which is not a [Neuron] type", userError, "CS9248");

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
        AssertOnlyShells(run);
        AssertNoFollowOnErrors(run);
    }

    [Fact]
    public void Second_connection_between_the_same_layers_is_SNN0018_at_its_attribute() =>
        Rejects(Network(InputAndHidden + """
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses First { get; }
                [Dense("In", "Hidden")] public partial DenseSynapses Second { get; }
            """),
            "SNN0018", "Dense(\"In\", \"Hidden\")", "Connection 'Second' repeats In → Hidden, already connected by 'First'");

    /// <summary>Like <see cref="DiagnosticAssert.Rejects"/> where the source also declares valid neurons: only the network is not generated.</summary>
    private static void RejectsNetwork([StringSyntax("C#")] string source, string id, string located, string message)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        AssertDiagnostic(run, Assert.Single(run.Diagnostics), id, located, message);
        Assert.DoesNotContain(run.GeneratedSources, s => s.HintName.EndsWith(".Network.g.cs", StringComparison.Ordinal));
    }

    private const string TwoPorts = """
        [Neuron] public partial struct TwoPort
        {
            [State] public float U;
            public void Integrate(float excitatory, float inhibitory) => U = 0.9f * U + excitatory - inhibitory;
            [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            public void Reset() => U = 0f;
        }

        """;

    [Fact]
    public void Port_that_the_neuron_lacks_is_SNN0020_at_the_attribute() =>
        Rejects(Network(InputAndHidden + """
                [Dense(nameof(In), nameof(Hidden), Port = "excitatory")] public partial DenseSynapses Wrong { get; }
            """),
            "SNN0020", "Dense(nameof(In), nameof(Hidden), Port = \"excitatory\")", "'Wrong' drives port 'excitatory', but neuron 'Lif' has the ports input");

    [Fact]
    public void Connection_to_a_neuron_with_several_ports_must_name_one_SNN0021() =>
        RejectsNetwork(Usings + TwoPorts + Network("""
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<TwoPort> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses Unnamed { get; }
            """).Replace(Usings, ""),
            "SNN0021", "Dense(nameof(In), nameof(Hidden))", "'Unnamed' must say which port of population 'Hidden' it drives: neuron 'TwoPort' has the ports excitatory, inhibitory");

    [Fact]
    public void Bias_to_a_neuron_with_several_ports_must_name_one_SNN0021() =>
        RejectsNetwork(Usings + TwoPorts + Network("""
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<TwoPort> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden), Port = "excitatory")] public partial DenseSynapses Drive { get; }
                [Bias(nameof(Hidden))] public partial Bias Offset { get; }
            """).Replace(Usings, ""),
            "SNN0021", "Bias(nameof(Hidden))", "'Offset' must say which port of population 'Hidden' it drives");

    [Fact]
    public void Synapse_type_that_is_not_a_synapse_is_SNN0022() =>
        Rejects(Network(InputAndHidden + """
                [Dense(nameof(In), nameof(Hidden), Synapse = typeof(CubaLif))] public partial DenseSynapses Odd { get; }
            """),
            "SNN0022", "Dense(nameof(In), nameof(Hidden), Synapse = typeof(CubaLif))", "Connection 'Odd' uses 'CubaLif', which is not a [Synapse] type");

    [Fact]
    public void Connection_with_an_invalid_synapse_is_SNN0023_and_the_synapse_keeps_its_own_error()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [Synapse] public partial struct Broken { [State] public float G; public float Deliver(float z) { for (;;) { } } }
            """ + Network(InputAndHidden + """
                [Dense(nameof(In), nameof(Hidden), Synapse = typeof(Broken))] public partial DenseSynapses Uses { get; }
            """).Replace(Usings, ""));

        Assert.Equal(["SNN0023", "SNN0101"], run.Diagnostics.Select(d => d.Id).Order());
        AssertDiagnostic(run, run.Diagnostics.Single(d => d.Id == "SNN0023"), "SNN0023", "Dense(nameof(In), nameof(Hidden), Synapse = typeof(Broken))",
            "Synapse 'Broken' has an error; connections using it cannot be generated");
    }

    [Fact]
    public void Synapse_that_reads_a_state_the_target_lacks_is_SNN0024() =>
        RejectsNetwork(Usings + """
            [Neuron] public partial struct OnlyV
            {
                [State] public float V;
                public void Integrate(float input) => V = 0.9f * V + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => V > 1f;
            }
            """ + Network("""
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<OnlyV> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden), Synapse = typeof(SnnDsl.Synapses.Conductance))] public partial DenseSynapses Cond { get; }
            """).Replace(Usings, ""),
            "SNN0024", "Dense(nameof(In), nameof(Hidden), Synapse = typeof(SnnDsl.Synapses.Conductance))",
            "Synapse 'Conductance' of connection 'Cond' reads postsynaptic state 'U', but neuron 'OnlyV' has the states V");

    [Theory]
    [InlineData("[Dense(nameof(Hidden), nameof(Hidden), Delay = 0)]", "Connection 'Self': 'Hidden' updates in the same step as 'Hidden'")]
    [InlineData("[Dense(nameof(Hidden), nameof(Hidden), Delay = -3)]", "Connection 'Self': Delay = -3 is negative")]
    [InlineData("[Sparse(nameof(Hidden), nameof(Hidden), Delay = 2, MaxDelay = 1)]", "Connection 'Self': MaxDelay = 1 is below the connection's delay 2")]
    public void Impossible_delay_is_SNN0025(string attribute, string message) =>
        Rejects(Network(InputAndHidden + attribute + $" public partial {(attribute.Contains("Sparse") ? "SparseSynapses" : "DenseSynapses")} Self {{ get; }}"),
            "SNN0025", attribute[1..^1], message);

    [Theory]
    [InlineData("[OneToOne(nameof(In), nameof(Hidden))] public partial OneToOneSynapses Pairs { get; }",
        "a one-to-one connection needs layers of equal size, but 'In' has 2 and 'Hidden' 3")]
    [InlineData("[Conv1d(nameof(In), nameof(Hidden), OutChannels = 2, KernelSize = 1)] public partial Conv1dSynapses Conv { get; }",
        "1 channel(s) × 2 positions → 2 channel(s) × 2 positions = 4 neurons, but the target has 3")]
    [InlineData("[Conv1d(nameof(In), nameof(Hidden), KernelSize = 5)] public partial Conv1dSynapses Conv { get; }",
        "the kernel (5) is wider than the padded input (2 + 2·0)")]
    [InlineData("[Sparse(nameof(In), nameof(Hidden), Probability = 1.5)] public partial SparseSynapses Random { get; }",
        "Probability = 1.5 is not within [0, 1]")]
    public void Connection_that_does_not_fit_its_layers_is_SNN0026(string member, string message) =>
        Rejects(Network(InputAndHidden + member), "SNN0026", member[1..member.IndexOf(']')], message);

    [Fact]
    public void Synapse_without_Deliver_is_SNN0027_at_its_name() =>
        Rejects(Usings + "[Synapse] public partial struct Probe { [State] public float G; }",
            "SNN0027", "Probe", "Synapse 'Probe' needs a method 'public float Deliver(float weightedSpikes)'");

    [Fact]
    public void Deliver_parameter_without_Postsynaptic_is_SNN0004_at_the_parameter() =>
        Rejects(Usings + "[Synapse] public partial struct Probe { [State] public float G; public float Deliver(float z, float u) { G = z; return G * u; } }",
            "SNN0004", "u", "'Deliver's parameter 'u'' must have the signature");

    [Fact]
    public void Previous_spike_that_dynamics_assign_is_SNN0107() =>
        Rejects(Usings + """
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [PreviousSpike] public float S;
                public void Integrate(float input) { U = U + input; S = 0f; }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """, "SNN0107", "S", "Cannot assign to 'S': it holds the neuron's spike of the previous step");

    [Fact]
    public void Previous_spike_in_a_non_spiking_neuron_is_SNN0005() =>
        Rejects(Usings + "[Neuron] public partial struct Probe { [State] public float U; [PreviousSpike] public float S; public void Integrate(float input) => U = input - S; }",
            "SNN0005", "S", "[PreviousSpike] field 'S' must be in a spiking neuron");

    [Fact]
    public void Neuron_whose_surrogate_has_an_error_is_SNN0029_and_nothing_else_fails_to_compile()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [Surrogate] public static partial class Smooth { [Param(2f)] public static float Width; }
            [Neuron]
            public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) => U = 0.9f * U + input;
                [Spike(typeof(Smooth))] public bool Fires() => U > 1f;
            }
            """ + Network("""
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<Probe> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
            """).Replace(Usings, ""));

        Assert.Equal(["SNN0009", "SNN0017", "SNN0029"], run.Diagnostics.Select(d => d.Id).Order());
        AssertDiagnostic(run, run.Diagnostics.Single(d => d.Id == "SNN0029"), "SNN0029", "Spike(typeof(Smooth))",
            "Surrogate 'Smooth' has an error; neuron 'Probe' cannot be generated");
        AssertOnlyShells(run);
        AssertNoFollowOnErrors(run);
    }

    [Fact]
    public void Input_on_a_field_is_SNN0010_at_the_field_not_a_missing_input() =>
        Rejects(Network("""
                [Input(2)] public SpikeInput? In;
                [Population(3)] public partial Population<Lif> Hidden { get; }
            """),
            "SNN0010", "In", "Network property 'In' must be declared 'public partial SpikeInput In { get; }'", "CS0592");
}
