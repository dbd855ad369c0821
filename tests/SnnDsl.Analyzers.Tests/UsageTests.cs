using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using VerifyUsage = SnnDsl.Analyzers.Tests.Verify<SnnDsl.Analyzers.UsageAnalyzer, SnnDsl.Analyzers.Tests.NoFix>;
using VerifySpike = SnnDsl.Analyzers.Tests.Verify<SnnDsl.Analyzers.UsageAnalyzer, SnnDsl.CodeFixes.AddSpikeAttributeFix>;

namespace SnnDsl.Analyzers.Tests;

public class UsageTests
{
    [Fact]
    public Task Fires_without_Spike_is_SNN0401_and_the_fix_adds_the_attribute() =>
        VerifySpike.Fix("""
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) => U = 0.9f * U + input;
                public bool {|SNN0401:Fires|}() => U > 1f;
            }
            """, """
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) => U = 0.9f * U + input;
                [Spike(typeof(FastSigmoid))]
                public bool Fires() => U > 1f;
            }
            """);

    [Fact]
    public Task Fires_with_Spike_and_a_readout_without_Fires_are_fine() =>
        VerifyUsage.Analyzer("""
            [Neuron] public partial struct Spiking
            {
                [State] public float U;
                public void Integrate(float input) => U = 0.9f * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            [Neuron] public partial struct Readout
            {
                [State] public float U;
                public void Integrate(float input) => U = 0.9f * U + input;
            }
            """);

    [Fact]
    public Task Trainable_or_PerNeuron_on_a_surrogate_parameter_is_SNN0402_at_the_flag() =>
        VerifyUsage.Analyzer("""
            [Surrogate] public static partial class Smooth
            {
                [Param(4f, {|SNN0402:Trainable = true|}, {|SNN0402:PerNeuron = true|})] public static float Width;
                public static float Derivative(float x) => 1f / (1f + Width * x * x);
            }
            """);

    [Fact]
    public Task Surrogate_parameter_without_flags_is_fine() =>
        VerifyUsage.Analyzer("""
            [Surrogate] public static partial class Smooth
            {
                [Param(4f, Trainable = false)] public static float Width;
                public static float Derivative(float x) => 1f / (1f + Width * x * x);
            }
            """);

    [Fact]
    public Task State_never_written_is_SNN0403_and_never_read_SNN0404() =>
        VerifyUsage.Analyzer("""
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [State] public float {|#0:Stuck|};
                [State] public float {|#1:Echo|};
                public void Integrate(float input) { U = 0.9f * U + input + Stuck; Echo = U; }
            }
            """,
            new DiagnosticResult("SNN0403", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Stuck", "Probe"),
            new DiagnosticResult("SNN0404", DiagnosticSeverity.Info).WithLocation(1).WithArguments("Echo", "Probe"));

    [Fact]
    public Task States_written_and_read_and_a_previous_spike_are_fine() =>
        VerifyUsage.Analyzer("""
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [PreviousSpike] public float S;
                public void Integrate(float input) => U = 0.9f * U + input - S;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """);

    [Fact]
    public Task Population_without_connection_or_bias_is_SNN0405_at_the_property() =>
        VerifyUsage.Analyzer("""
            [Network]
            public partial class Net
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<SnnDsl.Neurons.Lif> Hidden { get; }
                [Population(3)] public partial Population<SnnDsl.Neurons.Lif> {|SNN0405:Idle|} { get; }
                [Population(3)] public partial Population<SnnDsl.Neurons.Lif> Biased { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
                [Bias(nameof(Biased))] public partial Bias Drive { get; }
            }
            """);

    [Fact]
    public Task Trainable_parameter_without_a_gradient_is_SNN0406_with_the_reason() =>
        VerifyUsage.Analyzer("""
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [Param(1f, Trainable = true)] public float {|#0:Unused|};
                [Param(0.5f, Trainable = true)] public float {|#1:Gate|};
                [Param(1f, Trainable = true)] public float Threshold;
                public void Integrate(float input) => U = U > Gate ? 0.9f * U + input : input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > Threshold;
            }
            """,
            new DiagnosticResult("SNN0406", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Unused", "Probe", "is never read by the dynamics"),
            new DiagnosticResult("SNN0406", DiagnosticSeverity.Warning).WithLocation(1).WithArguments("Gate", "Probe", "is read only in the conditions of '?:', whose derivative is 0"));

    private const string Leaky = """
        [Neuron] public partial struct Leaky
        {
            [State] public float U;
            public void Integrate(float input) => U = 0.5f * U + input;
            [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            public void Reset() => U -= 1f;
        }
        """;

    [Fact]
    public Task NirExportable_network_with_a_neuron_without_a_NIR_primitive_is_SNN0407_at_the_network_per_population() =>
        VerifyUsage.Analyzer(Leaky + """
            namespace Other
            {
                // Named like the built-in, but other dynamics: the export compares models, not names.
                [Neuron] public partial struct Lif
                {
                    [State] public float U;
                    [Param(0.9f)] public float Beta;
                    public void Integrate(float input) => U = Beta * U + 2f * input;
                    [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
                    public void Reset() => U -= 1f;
                }
            }

            [NirExportable]
            [Network]
            public partial class {|#0:Net|}
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<Leaky> {|#1:Hidden|} { get; }
                [Population(3)] public partial Population<SnnDsl.Neurons.Lif> Mapped { get; }
                [Population(3)] public partial Population<Other.Lif> {|#2:Lookalike|} { get; }
                [Population(3)] public partial Population<SnnDsl.Neurons.AdaptiveLif> {|#3:Adaptive|} { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
                [Dense(nameof(In), nameof(Mapped))] public partial DenseSynapses InToMapped { get; }
                [Dense(nameof(In), nameof(Lookalike))] public partial DenseSynapses InToLookalike { get; }
                [Dense(nameof(In), nameof(Adaptive))] public partial DenseSynapses InToAdaptive { get; }
            }
            """,
            Nir(0, 1, "Hidden", "Leaky"), Nir(0, 2, "Lookalike", "Lif"), Nir(0, 3, "Adaptive", "AdaptiveLif"));

    private static DiagnosticResult Nir(int network, int population, string name, string neuron) =>
        new DiagnosticResult("SNN0407", DiagnosticSeverity.Warning).WithLocation(network).WithLocation(population)
            .WithArguments("Net", name, neuron, "Lif (LIF, IF), CubaLif (CubaLIF), NorseLif (CubaLIF) and LeakyReadout (LI)");

    [Fact]
    public Task NirExportable_network_of_built_ins_with_a_primitive_and_a_network_not_declared_for_export_are_fine() =>
        VerifyUsage.Analyzer(Leaky + """
            [NirExportable]
            [Network]
            public partial class Exportable
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<SnnDsl.Neurons.Lif> A { get; }
                [Population(3)] public partial Population<SnnDsl.Neurons.CubaLif> B { get; }
                [Population(3)] public partial Population<SnnDsl.Neurons.NorseLif> C { get; }
                [Population(3)] public partial Population<SnnDsl.Neurons.LeakyReadout> D { get; }
                [Dense(nameof(In), nameof(A))] public partial DenseSynapses InToA { get; }
                [Dense(nameof(A), nameof(B))] public partial DenseSynapses AToB { get; }
                [Dense(nameof(B), nameof(C))] public partial DenseSynapses BToC { get; }
                [Dense(nameof(C), nameof(D))] public partial DenseSynapses CToD { get; }
            }

            [Network]
            public partial class NotExported
            {
                [Input(2)] public partial SpikeInput In { get; }
                [Population(3)] public partial Population<Leaky> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
            }
            """);
}
