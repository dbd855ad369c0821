using System.Diagnostics.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;
using static SnnDsl.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// Locality of dynamics (issue 10, item 3): a neuron's dynamics or a synapse that reads another neuron's or population's
/// state beyond what its declaration allows. The DSL leaves one route between neurons — spikes, weighted and delivered
/// to a port by a connection from a spiking layer — and one extra route into a synapse, a postsynaptic state it declares
/// with <c>[Postsynaptic("…")]</c> and the network checks. Every other route a read could take is already an error of the
/// generator, at the read; so no analyzer rule repeats it. One case per route; the learning-rule reads are SNN0501.
/// </summary>
public class StateLocalityTests
{
    private const string Usings = """
        using SnnDsl;
        using SnnDsl.Neurons;
        using SnnDsl.Surrogates;

        """;

    private static string Neuron([StringSyntax("C#")] string members, [StringSyntax("C#")] string integrate) => Usings + $$"""
        [Neuron]
        public partial struct Probe
        {
            [State] public float U;
            {{members}}
            public void Integrate({{integrate}}
            [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
        }
        """;

    private static string Synapse([StringSyntax("C#")] string members, [StringSyntax("C#")] string deliver) => Usings + $$"""
        [Synapse]
        public partial struct Probe
        {
            [State] public float G;
            {{members}}
            public float Deliver({{deliver}}
        }
        """;

    [Theory]
    // Another neuron's state through a neuron value the model holds.
    [InlineData("private Lif _neighbour;", "float input) => U = 0.9f * U + _neighbour.U;", "_neighbour.U", "SNN0103", "'_neighbour.U' is not a state, parameter, constant or local of 'Probe'")]
    // A population's states through a shared array.
    [InlineData("private static float[] Population = new float[8];", "float input) => U = 0.9f * U + Population[3];", "Population[3]", "SNN0110", "a neuron sees only its own scalar states")]
    // Another neuron handed to the step.
    [InlineData("", "float input, Lif neighbour) => U = 0.9f * U + neighbour.U;", "Integrate", "SNN0004", "with one float parameter per input port")]
    public void A_neurons_dynamics_cannot_read_another_neurons_state(string members, string integrate, string located, string id, string message) =>
        Rejects(Neuron(members, integrate), id, located, message);

    [Theory]
    // The presynaptic neuron's membrane: a synapse receives only its weighted spikes.
    [InlineData("", "float weightedSpikes, [Presynaptic(\"U\")] float u) { G = 0.5f * G + weightedSpikes; return G * u; }", "u", "SNN0004", "Deliver's parameter 'u'")]
    // A quantity not declared as a postsynaptic read.
    [InlineData("", "float weightedSpikes, float membrane) { G = 0.5f * G + weightedSpikes; return G * membrane; }", "membrane", "SNN0004", "Deliver's parameter 'membrane'")]
    // Another neuron's state through a value the synapse holds.
    [InlineData("private Lif _target;", "float weightedSpikes) { G = 0.5f * G + weightedSpikes; return G * _target.U; }", "_target.U", "SNN0103", "'_target.U' is not a state, parameter, constant or local of 'Probe'")]
    public void A_synapse_cannot_read_a_state_it_does_not_declare(string members, string deliver, string located, string id, string message) =>
        Rejects(Synapse(members, deliver), id, located, message);

    [Fact]
    public void A_non_spiking_population_cannot_send_its_state_through_a_connection() =>
        Rejects(Usings + """
            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<LeakyReadout> Readout { get; }
                [Population(3)] public partial Population<Lif> Next { get; }
                [Dense(nameof(In), nameof(Readout))] public partial DenseSynapses InToReadout { get; }
                [Dense(nameof(Readout), nameof(Next))] public partial DenseSynapses ReadoutToNext { get; }
            }
            """, "SNN0014", "Dense(nameof(Readout), nameof(Next))", "presynaptic layer 'Readout', a non-spiking population");

    [Fact]
    public void A_synapse_reading_the_postsynaptic_state_it_declares_on_a_neuron_that_has_it_is_generated()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<Lif> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden), Synapse = typeof(SnnDsl.Synapses.Conductance))] public partial DenseSynapses Cond { get; }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        Assert.Single(run.GeneratedSources, s => s.HintName.EndsWith(".Network.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(run.GeneratedSources, s => s.HintName.EndsWith(".Shell.g.cs", StringComparison.Ordinal));
    }
}
