using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using VerifyHardware = SnnDsl.Analyzers.Tests.Verify<SnnDsl.Analyzers.HardwareAnalyzer, SnnDsl.Analyzers.Tests.NoFix>;
using VerifySnap = SnnDsl.Analyzers.Tests.Verify<SnnDsl.Analyzers.HardwareAnalyzer, SnnDsl.CodeFixes.SnapDecayFix>;

namespace SnnDsl.Analyzers.Tests;

/// <summary>
/// SNN0601–SNN0606: declarations marked <c>[Hardware(Chip.…)]</c> against the chips' target profiles — the runtime's own
/// profile files, compiled into the analyzers. Every expected number is the chip's published one (docs/fixed-point.md).
/// </summary>
public class HardwareTests
{
    private const string LoihiStep = "adds, compares, shifts and multiplies by constants";
    private const string XyloStep = "adds, compares and shifts";
    private const string XyloDecays = "its decays are 1 − 2^−dash, dash = 0…15";
    private const string SpiNNakerValues = "its values are s16.15 REALs, -65536 to 65535.99996948242 in steps of 2^−15";
    private const string LoihiTraces = "Loihi's traces x1, x2, y1, y2, y3 only decay and jump by a constant impulse on their own neuron's spikes (x1_impulse, x1_tau, … in Lava's LoihiLearningRule)";
    private const string LoihiLearning = "sums products of traces, the weight, the tag and constants x·2^y (+, −, × and sgn in Lava's LoihiLearningRule)";

    /// <summary>A spiking and a non-spiking neuron whose decay, 0.875 = 1 − 2^−3, every chip holds exactly.</summary>
    private const string XyloNeurons = """

        [Neuron] public partial struct Hidden
        {
            [State] public float U;
            public void Integrate(float input) => U = 0.875f * U + input;
            [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
        }
        [Neuron] public partial struct Readout
        {
            [State] public float U;
            public void Integrate(float input) => U = 0.875f * U + input;
        }
        """;

    private static DiagnosticResult Warning(string id, int location, params object[] arguments) =>
        new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(location).WithArguments(arguments);

    [Fact]
    public void The_analyzers_compile_the_runtimes_profiles_as_internal_types()
    {
        // One source: the same files, not a copy of the numbers; internal, so the analyzer exports no second public type.
        Type? analyzers = typeof(HardwareAnalyzer).Assembly.GetType("SnnDsl.FixedPoint.LoihiProfile");
        Type runtime = typeof(NeuronAttribute).Assembly.GetType("SnnDsl.FixedPoint.LoihiProfile")!;
        Assert.NotNull(analyzers);
        Assert.False(analyzers.IsPublic);
        Assert.True(runtime.IsPublic);
        Assert.Equal(runtime.GetProperties().Select(p => p.Name).Order(), analyzers.GetProperties().Select(p => p.Name).Order());
    }

    // ---- SNN0601: operations the step cannot execute ----

    [Fact]
    public Task Exponential_and_division_of_a_state_on_Loihi_are_SNN0601_at_the_operation() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [Param(0.9f)] public float Beta;
                public void Integrate(float input) => U = Beta * U + 0.1f * {|#0:MathF.Exp(U)|} + {|#1:input / U|};
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
                public void Reset() => U -= 1f;
            }
            """,
            Warning("SNN0601", 0, "'Integrate' of 'Probe'", "MathF.Exp of a value that changes every step", "state 'U'", "Loihi", LoihiStep),
            Warning("SNN0601", 1, "'Integrate' of 'Probe'", "a division by a value that changes every step", "state 'U'", "Loihi", LoihiStep));

    [Fact]
    public Task An_operation_in_a_helper_is_SNN0601_where_the_helper_writes_it_naming_what_the_call_passes() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.XyloAudio2)]
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input)
                {
                    float drive = input + U;
                    U = Squash(drive);
                }
                private static float Squash(float x) => {|#0:MathF.Tanh(x)|};
            }
            """,
            Warning("SNN0601", 0, "'Integrate' of 'Probe'", "MathF.Tanh of a value that changes every step", "input 'input' and state 'U'", "XyloAudio2", XyloStep));

    [Fact]
    public Task Product_of_two_states_is_SNN0601_on_Loihi_and_fine_on_SpiNNaker_whose_cores_multiply() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Synapse] public partial struct LoihiConductance
            {
                [State] public float G;
                public float Deliver(float weightedSpikes, [Postsynaptic("U")] float membrane)
                {
                    G = 0.5f * G + weightedSpikes;
                    return {|#0:G * (5f - membrane)|};
                }
            }
            [Hardware(Chip.SpiNNaker)]
            [Synapse] public partial struct SpiNNakerConductance
            {
                [State] public float G;
                public float Deliver(float weightedSpikes, [Postsynaptic("U")] float membrane)
                {
                    G = 0.5f * G + weightedSpikes;
                    return G * (5f - membrane);
                }
            }
            """,
            Warning("SNN0601", 0, "'Deliver' of 'LoihiConductance'", "a product of two values that change every step", "state 'G' and input 'membrane'", "Loihi", LoihiStep));

    [Fact]
    public Task Exponentials_and_divisions_of_parameters_a_previous_spike_factor_and_an_unmarked_neuron_are_fine() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct Precomputed
            {
                [State] public float U;
                [PreviousSpike] public float S;
                [Param(20f)] public float Tau;
                public void Integrate(float input) => U = MathF.Exp(-1f / Tau) * U * (1f - S) + input / Tau;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            [Neuron] public partial struct Unmarked
            {
                [State] public float U;
                public void Integrate(float input) => U = MathF.Exp(U) + input / U;
            }
            """);

    // ---- SNN0602: decays ----

    [Fact]
    public Task Decays_off_Xylos_bit_shift_decays_are_SNN0602_with_the_nearest_dash_and_the_error() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.XyloAudio2)]
            [Neuron] public partial struct Probe
            {
                [State] public float I;
                [State] public float U;
                [Param(0.8187f)] public float {|#0:Alpha|};
                [Param(0.9048f)] public float {|#1:Beta|};
                public void Integrate(float input)
                {
                    I = Alpha * I + input;
                    U = Beta * U + I;
                }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
                public void Reset() => U -= 1f;
            }
            """,
            Warning("SNN0602", 0, "Parameter 'Alpha'", "I", "0.8187", "XyloAudio2", XyloDecays, "0.875", "dash_syn = 3", "6.88%"),
            Warning("SNN0602", 1, "Parameter 'Beta'", "U", "0.9048", "XyloAudio2", XyloDecays, "0.875", "dash_mem = 3", "3.29%"));

    [Fact]
    public Task A_constant_decay_too_small_for_Loihis_12_bits_is_SNN0602_at_the_constant() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct Probe
            {
                [State] public float I;
                [State] public float U;
                public void Integrate(float input)
                {
                    I = {|#0:0.0001f|} * I + input;
                    U = 0.9048f * U + I;
                }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """,
            Warning("SNN0602", 0, "The constant 0.0001", "I", "0.0001", "Loihi", "its current decays are (4095 − du)/4096, du = 0…4095", "0", "du = 4095", "100%"));

    [Fact]
    public Task Decays_Loihi_holds_to_within_1_percent_and_exact_Xylo_decays_are_fine() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct OnLoihi
            {
                [State] public float I;
                [State] public float U;
                [Param(0.8187f)] public float Alpha;
                [Param(0.9048f)] public float Beta;
                public void Integrate(float input) { I = Alpha * I + input; U = Beta * U + I; }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            [Hardware(Chip.XyloImu)]
            [Neuron] public partial struct OnXylo
            {
                [State] public float U;
                [Param(0.9375f)] public float Beta;
                public void Integrate(float input) => U = Beta * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """);

    [Fact]
    public Task With_a_tolerance_of_0_every_decay_the_chip_does_not_hold_exactly_is_SNN0602() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [Param(0.9f)] public float {|#0:Beta|};
                public void Integrate(float input) => U = Beta * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """,
            ("snndsl.hardware_decay_tolerance", "0"),
            Warning("SNN0602", 0, "Parameter 'Beta'", "U", "0.9", "Loihi", "its voltage decays are (4096 − dv)/4096, dv = 0…4095", "0.899902", "dv = 410", "0.0108%"));

    [Fact]
    public Task The_fix_replaces_the_default_by_the_nearest_representable_decay() =>
        VerifySnap.Fix("""
            [Hardware(Chip.XyloAudio2)]
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [Param(0.9048f, Trainable = true)] public float {|SNN0602:Beta|};
                public void Integrate(float input) => U = Beta * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """, """
            [Hardware(Chip.XyloAudio2)]
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [Param(0.875f, Trainable = true)] public float Beta;
                public void Integrate(float input) => U = Beta * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """);

    [Fact]
    public Task The_fix_replaces_a_constant_decay() =>
        VerifySnap.Fix("""
            [Hardware(Chip.XyloImu)]
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) => U = {|SNN0602:0.95f|} * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """, """
            [Hardware(Chip.XyloImu)]
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                public void Integrate(float input) => U = 0.9375f * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """);

    // ---- SNN0603: neuron shapes ----

    [Fact]
    public Task An_adaptive_threshold_and_a_reset_of_it_on_Loihi_are_SNN0603() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct Adaptive
            {
                [State] public float U;
                [State] public float A;
                public void Integrate(float input) { U = 0.95f * U + input; A = 0.99f * A; }
                [Spike(typeof(FastSigmoid))] public bool {|#0:Fires|}() => U > 1f + A;
                public void {|#1:Reset|}() { U -= 1f; A += 0.1f; }
            }
            """,
            Warning("SNN0603", 0, "Neuron 'Adaptive'", "its spike test compares the membrane 'U' with a threshold that reads state 'A' (an adaptive threshold)",
                "Loihi compares the membrane with a constant threshold"),
            Warning("SNN0603", 1, "Neuron 'Adaptive'", "its Reset changes state 'A' besides the membrane 'U'", "Loihi resets only the membrane"));

    [Fact]
    public Task Two_synaptic_currents_on_XyloIMU_and_a_current_driven_by_another_are_SNN0603() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.XyloImu)]
            [Neuron] public partial struct TwoCurrents
            {
                [State] public float Fast;
                [State] public float {|#0:Slow|};
                [State] public float U;
                public void Integrate(float excitatory, float inhibitory)
                {
                    Fast = 0.5f * Fast + excitatory;
                    Slow = 0.875f * Slow + inhibitory;
                    U = 0.9375f * U + Fast - Slow;
                }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            [Hardware(Chip.XyloAudio2)]
            [Neuron] public partial struct Chained
            {
                [State] public float Rise;
                [State] public float {|#1:Decay|};
                [State] public float U;
                public void Integrate(float input)
                {
                    Rise = 0.5f * Rise + input;
                    Decay = 0.875f * Decay + Rise;
                    U = 0.9375f * U + Decay;
                }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """,
            Warning("SNN0603", 0, "Neuron 'TwoCurrents'", "it keeps 2 synaptic currents besides the membrane 'U' ('Fast', 'Slow')", "XyloIMU has 1 synaptic state per hidden neuron"),
            Warning("SNN0603", 1, "Neuron 'Chained'", "its current 'Decay' is driven by state 'Rise'",
                "on XyloAudio2 each synaptic current integrates weighted spikes only, and the membrane integrates the currents"));

    [Fact]
    public Task Cuba_lif_shapes_a_non_spiking_readout_and_two_currents_on_XyloAudio2_are_fine() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct Cuba
            {
                [State] public float I;
                [State] public float U;
                public void Integrate(float input) { I = 0.8187f * I + input; U = 0.9048f * U + I; }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
                public void Reset() => U = 0f;
            }
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct Readout
            {
                [State] public float I;
                [State] public float U;
                public void Integrate(float input) { I = 0.8187f * I + input; U = 0.9048f * U + I; }
            }
            [Hardware(Chip.XyloAudio2)]
            [Neuron] public partial struct TwoCurrents
            {
                [State] public float Fast;
                [State] public float Slow;
                [State] public float U;
                public void Integrate(float excitatory, float inhibitory)
                {
                    Fast = 0.5f * Fast + excitatory;
                    Slow = 0.875f * Slow + inhibitory;
                    U = 0.9375f * U + Fast - Slow;
                }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            """);

    // ---- Networks: the neurons and synapses they use, delays, device limits ----

    [Fact]
    public Task A_network_checks_its_built_in_neurons_and_synapses_at_the_members_that_use_them() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Network] public partial class Net
            {
                [Input(10)] public partial SpikeInput In { get; }
                [Population(20)] public partial Population<SnnDsl.Neurons.CubaLif> {|#0:Hidden|} { get; }
                [Population(5)] public partial Population<SnnDsl.Neurons.AdaptiveLif> {|#1:Adaptive|} { get; }
                [Dense(nameof(In), nameof(Hidden), Synapse = typeof(SnnDsl.Synapses.ExponentialCurrent))] public partial DenseSynapses {|#2:Filtered|} { get; }
                [Dense(nameof(Hidden), nameof(Adaptive))] public partial DenseSynapses Forward { get; }
            }
            """,
            Warning("SNN0603", 0, "Population 'Hidden' (neuron 'CubaLif')",
                "with the synapses of its connections it keeps 2 synaptic currents besides the membrane 'U' ('I', 'I' of synapse 'ExponentialCurrent' on 'Filtered')",
                "Loihi has 1 synaptic current per compartment (u)"),
            Warning("SNN0603", 2, "Connection 'Filtered'", "it filters its spikes through synapse 'ExponentialCurrent' into current 'I' of neuron 'CubaLif', a chain of two filters",
                "on Loihi each synaptic current integrates weighted spikes only, and the membrane integrates the currents"),
            Warning("SNN0603", 1, "Population 'Adaptive' (neuron 'AdaptiveLif')",
                "its spike test compares the membrane 'U' with a threshold that reads state 'A' (an adaptive threshold)", "Loihi compares the membrane with a constant threshold"),
            Warning("SNN0603", 1, "Population 'Adaptive' (neuron 'AdaptiveLif')", "its Reset changes state 'A' besides the membrane 'U'", "Loihi resets only the membrane"));

    [Fact]
    public Task A_network_reports_an_operation_of_an_unmarked_neuron_at_the_population_naming_its_method() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Network] public partial class Net
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<Soft> {|#0:Hidden|} { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
            }
            [Neuron] public partial struct Soft
            {
                [State] public float U;
                public void Integrate(float input) => U = 0.9f * U + input;
                [Spike(typeof(FastSigmoid))] public bool Crosses() => MathF.Sqrt(U) > 1f;
            }
            """,
            Warning("SNN0601", 0, "'Crosses' of neuron 'Soft' (population 'Hidden')", "MathF.Sqrt of a value that changes every step", "state 'U'", "Loihi", LoihiStep));

    [Fact]
    public Task A_synapse_feeding_a_current_through_a_local_is_a_chain_of_two_filters() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.XyloAudio2)]
            [Network] public partial class Net
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<Through> Hidden { get; }
                [Population(2)] public partial Population<Readout> Out { get; }
                [Dense(nameof(In), nameof(Hidden), Synapse = typeof(Filter))] public partial DenseSynapses {|#0:Filtered|} { get; }
                [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
            }
            [Neuron] public partial struct Through
            {
                [State] public float I;
                [State] public float U;
                public void Integrate(float input)
                {
                    float drive = 2f * input;
                    I = 0.5f * I + drive;
                    U = 0.875f * U + I;
                }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            [Synapse] public partial struct Filter
            {
                [State] public float G;
                public float Deliver(float weightedSpikes)
                {
                    G = 0.5f * G + weightedSpikes;
                    return G;
                }
            }
            """ + XyloNeurons,
            Warning("SNN0603", 0, "Connection 'Filtered'", "it filters its spikes through synapse 'Filter' into current 'I' of neuron 'Through', a chain of two filters",
                "on XyloAudio2 each synaptic current integrates weighted spikes only, and the membrane integrates the currents"));

    [Fact]
    public Task A_network_on_Xylo_reports_the_decays_of_the_neurons_it_uses_unless_they_are_marked_themselves() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.XyloAudio2)]
            [Neuron] public partial struct Marked
            {
                [State] public float U;
                [Param(0.9f)] public float {|#0:Beta|};
                public void Integrate(float input) => U = Beta * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
            }
            [Hardware(Chip.XyloAudio2)]
            [Network] public partial class Net
            {
                [Input(10)] public partial SpikeInput In { get; }
                [Population(20)] public partial Population<Marked> Hidden { get; }
                [Population(2)] public partial Population<SnnDsl.Neurons.LeakyReadout> {|#1:Out|} { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
                [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
            }
            """,
            Warning("SNN0602", 0, "Parameter 'Beta'", "U", "0.9", "XyloAudio2", XyloDecays, "0.875", "dash_mem = 3", "2.78%"),
            Warning("SNN0602", 1, "Parameter 'Alpha' of neuron 'LeakyReadout' (population 'Out')", "I", "0.8187", "XyloAudio2", XyloDecays, "0.875", "dash_syn = 3", "6.88%"),
            Warning("SNN0602", 1, "Parameter 'Beta' of neuron 'LeakyReadout' (population 'Out')", "U", "0.9048", "XyloAudio2", XyloDecays, "0.875", "dash_mem = 3", "3.29%"));

    [Theory]
    [InlineData("Loihi")]
    [InlineData("SpiNNaker")]
    public Task The_built_in_neurons_the_quantizer_maps_and_an_exponential_synapse_into_Lif_are_clean_on_Loihi_and_SpiNNaker(string chip) =>
        VerifyHardware.Analyzer($$"""
            using SnnDsl.Neurons;
            [Hardware(Chip.{{chip}})]
            [Network] public partial class Mapped
            {
                [Input(16)] public partial SpikeInput In { get; }
                [Population(32)] public partial Population<CubaLif> Cuba { get; }
                [Population(32)] public partial Population<SnnDsl.FixedPoint.CubaLifZeroReset> ZeroReset { get; }
                [Population(32)] public partial Population<Lif> Filtered { get; }
                [Population(4)] public partial Population<LeakyReadout> Out { get; }
                [Dense(nameof(In), nameof(Cuba))] public partial DenseSynapses InToCuba { get; }
                [Dense(nameof(Cuba), nameof(ZeroReset))] public partial DenseSynapses CubaToZeroReset { get; }
                [Dense(nameof(ZeroReset), nameof(Filtered), Synapse = typeof(SnnDsl.Synapses.ExponentialCurrent))] public partial DenseSynapses Synaptic { get; }
                [Dense(nameof(Filtered), nameof(Out))] public partial DenseSynapses FilteredToOut { get; }
            }
            """);

    [Fact]
    public Task Delays_beyond_the_chips_are_SNN0605() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Network] public partial class OnLoihi
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<SnnDsl.Neurons.Lif> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden), Delay = 62)] public partial DenseSynapses Longest { get; }
                [Sparse(nameof(Hidden), nameof(Hidden), Delay = 1, MaxDelay = 63)] public partial SparseSynapses {|#0:TooLong|} { get; }
            }
            [Hardware(Chip.XyloAudio2)]
            [Network] public partial class OnXylo
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<Hidden> Hidden { get; }
                [Population(2)] public partial Population<Readout> Out { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses Feed { get; }
                [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
                [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses ToOut { get; }
                [Dense(nameof(In), nameof(Hidden), Delay = 1)] public partial DenseSynapses {|#1:Delayed|} { get; }
            }
            [Hardware(Chip.SpiNNaker)]
            [Network] public partial class OnSpiNNaker
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<SnnDsl.Neurons.Lif> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden), Delay = 17)] public partial DenseSynapses {|#2:Slow|} { get; }
            }
            """ + XyloNeurons,
            Warning("SNN0605", 0, "TooLong", 63, "Loihi delays a spike by at most 62 steps (lava-dl netx)"),
            Warning("SNN0605", 1, "Delayed", 1, "XyloAudio2 has no programmable delays: a connection takes 0 steps from the input and 1 between neurons"),
            Warning("SNN0605", 2, "Slow", 17, "SpiNNaker delays a spike by at most 16 steps on the core (4 delay bits; longer needs a delay extension)"));

    [Fact]
    public Task Xylo_sizes_beyond_the_device_are_SNN0604_naming_the_limit() =>
        VerifyHardware.Analyzer("""
            [{|#0:Hardware(Chip.XyloAudio2)|}]
            [Network] public partial class Big
            {
                [Input(20)] public partial SpikeInput {|#1:In|} { get; }
                [Population(900)] public partial Population<Hidden> {|#2:First|} { get; }
                [Population(200)] public partial Population<Hidden> Second { get; }
                [Population(10)] public partial Population<Readout> Out { get; }
                [Dense(nameof(In), nameof(First))] public partial DenseSynapses InToFirst { get; }
                [Dense(nameof(First), nameof(Second))] public partial DenseSynapses FirstToSecond { get; }
                [Dense(nameof(Second), nameof(Out))] public partial DenseSynapses SecondToOut { get; }
            }
            """ + XyloNeurons,
            Warning("SNN0604", 1, "Input 'In'", "20 input channels", "XyloAudio2", "16"),
            Warning("SNN0604", 0, "Network 'Big'", "1,100 hidden (spiking) neurons ('First' 900, 'Second' 200)", "XyloAudio2", "1,000"),
            Warning("SNN0604", 0, "Network 'Big'", "10 readout (non-spiking) neurons ('Out' 10)", "XyloAudio2", "8"),
            Warning("SNN0604", 2, "Population 'First'", "200 recurrent targets per neuron ('FirstToSecond' 200)", "XyloAudio2", "64 (fan-out)"));

    [Fact]
    public Task Xylo_IMU_limits_on_recurrent_weights_and_on_the_expansion_neurons_are_SNN0604() =>
        VerifyHardware.Analyzer("""
            [{|#0:Hardware(Chip.XyloImu)|}]
            [Network] public partial class OnImu
            {
                [Input(16)] public partial SpikeInput In { get; }
                [Population(200)] public partial Population<Hidden> Reservoir { get; }
                [Population(4)] public partial Population<Readout> Out { get; }
                [Dense(nameof(In), nameof(Reservoir))] public partial DenseSynapses Feed { get; }
                [Dense(nameof(Reservoir), nameof(Reservoir))] public partial DenseSynapses Recurrent { get; }
                [Dense(nameof(Reservoir), nameof(Out))] public partial DenseSynapses ToOut { get; }
            }
            """ + XyloNeurons,
            Warning("SNN0604", 0, "Network 'OnImu'", "40,000 recurrent weights ('Recurrent' 40,000)", "XyloIMU", "31,744 in total"),
            Warning("SNN0604", 0, "Network 'OnImu'", "200 hidden neurons that receive the input ('Reservoir' 200)", "XyloIMU", "128 (the input reaches only the first 128 hidden neurons)"),
            Warning("SNN0604", 0, "Network 'OnImu'", "200 hidden neurons that drive the readout ('Reservoir' 200)", "XyloIMU", "128 (only the last 128 hidden neurons reach the readout)"));

    [Fact]
    public Task Loihi_compartments_fan_in_and_synapse_memory_beyond_one_chip_are_SNN0604() =>
        VerifyHardware.Analyzer("""
            [{|#0:Hardware(Chip.Loihi)|}]
            [Network] public partial class Wide
            {
                [Input(5000)] public partial SpikeInput In { get; }
                [Population(100000)] public partial Population<SnnDsl.Neurons.Lif> {|#1:First|} { get; }
                [Population(40000)] public partial Population<SnnDsl.Neurons.Lif> {|#2:Second|} { get; }
                [Dense(nameof(In), nameof(First))] public partial DenseSynapses InToFirst { get; }
                [OneToOne(nameof(First), nameof(First), Delay = 1)] public partial OneToOneSynapses Self { get; }
                [Dense(nameof(First), nameof(Second))] public partial DenseSynapses FirstToSecond { get; }
            }
            """,
            Warning("SNN0604", 0, "Network 'Wide'", "140,000 compartments ('First' 100,000, 'Second' 40,000)", "Loihi", "131,072 (128 cores × 1,024)"),
            Warning("SNN0604", 1, "Population 'First'", "5,001 input axons on a core, one per presynaptic neuron ('InToFirst' 5,000, 'Self' 1)", "Loihi", "4,096 per core"),
            Warning("SNN0604", 2, "Population 'Second'", "100,000 input axons on a core, one per presynaptic neuron ('FirstToSecond' 100,000)", "Loihi", "4,096 per core"),
            Warning("SNN0604", 0, "Network 'Wide'", "at least 36,000,800,000 bits of synapse memory (4,500,100,000 synapses × 8-bit weights)", "Loihi",
                "134,217,728 bits (128 cores × 1,048,576)"));

    [Fact]
    public Task A_network_within_the_chips_limits_draws_nothing() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.XyloAudio2)]
            [Network] public partial class Fits
            {
                [Input(16)] public partial SpikeInput In { get; }
                [Population(1000)] public partial Population<Hidden> Reservoir { get; }
                [Population(8)] public partial Population<Readout> Out { get; }
                [Dense(nameof(In), nameof(Reservoir))] public partial DenseSynapses Feed { get; }
                [Sparse(nameof(Reservoir), nameof(Reservoir), Delay = 1, Probability = 0.05)] public partial SparseSynapses Recurrent { get; }
                [Dense(nameof(Reservoir), nameof(Out))] public partial DenseSynapses Readout { get; }
            }
            [Neuron] public partial struct Hidden
            {
                [State] public float I;
                [State] public float U;
                public void Integrate(float input) { I = 0.5f * I + input; U = 0.875f * U + I; }
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
                public void Reset() => U -= 1f;
            }
            [Neuron] public partial struct Readout
            {
                [State] public float I;
                [State] public float U;
                public void Integrate(float input) { I = 0.5f * I + input; U = 0.96875f * U + I; }
            }
            """);

    [Fact]
    public Task A_bias_on_XyloAudio2_and_a_bias_into_a_current_are_SNN0603() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.XyloAudio2)]
            [Network] public partial class OnAudio2
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<Hidden> Hidden { get; }
                [Population(2)] public partial Population<Readout> Out { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses Feed { get; }
                [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses ToOut { get; }
                [Bias(nameof(Hidden))] public partial Bias {|#0:Drive|} { get; }
            }
            [Hardware(Chip.Loihi)]
            [Network] public partial class OnLoihi
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<SnnDsl.Neurons.CubaLif> Hidden { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses Feed { get; }
                [Bias(nameof(Hidden))] public partial Bias {|#1:Drive|} { get; }
            }
            """ + XyloNeurons,
            Warning("SNN0603", 0, "Bias 'Drive'", "it adds a bias to population 'Hidden'", "XyloAudio2's neuron (xylosim v1) has no bias"),
            Warning("SNN0603", 1, "Bias 'Drive'", "it adds to current 'I' of neuron 'CubaLif' (population 'Hidden'), which decays", "Loihi adds a bias to the membrane only"));

    [Theory]
    [InlineData("Loihi")]
    [InlineData("XyloAudio3")]
    [InlineData("SpiNNaker")]
    public Task A_bias_into_the_membrane_is_no_SNN0603(string chip) =>
        VerifyHardware.Analyzer($$"""
            [Hardware(Chip.{{chip}})]
            [Network] public partial class Biased
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<Hidden> Hidden { get; }
                [Population(2)] public partial Population<Readout> Out { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses Feed { get; }
                [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses ToOut { get; }
                [Bias(nameof(Hidden))] public partial Bias Drive { get; }
            }
            """ + XyloNeurons);

    // ---- SNN0607: connections the chip's architecture has no place for ----

    [Fact]
    public Task Two_inputs_and_an_input_feeding_the_readout_on_Xylo_are_SNN0607() =>
        VerifyHardware.Analyzer("""
            [{|#0:Hardware(Chip.XyloAudio2)|}]
            [Network] public partial class Mixed
            {
                [Input(8)] public partial SpikeInput Audio { get; }
                [Input(4)] public partial SpikeInput Cue { get; }
                [Population(32)] public partial Population<Hidden> Reservoir { get; }
                [Population(4)] public partial Population<Readout> Out { get; }
                [Dense(nameof(Audio), nameof(Reservoir))] public partial DenseSynapses Feed { get; }
                [Dense(nameof(Reservoir), nameof(Out))] public partial DenseSynapses ToOut { get; }
                [Dense(nameof(Cue), nameof(Out))] public partial DenseSynapses {|#1:Bypass|} { get; }
            }
            """ + XyloNeurons,
            Warning("SNN0607", 0, "Network 'Mixed'", "it has 2 inputs ('Audio' 8, 'Cue' 4)", "a XyloAudio2 core has one input layer of 16 channels (weights_in)"),
            Warning("SNN0607", 1, "Connection 'Bypass'", "it feeds readout 'Out' from input 'Cue'",
                "XyloAudio2's readout neurons take their input from hidden neurons only (weights_out is hidden × readout)"));

    [Fact]
    public Task A_network_without_a_readout_on_Xylo_is_SNN0607_at_its_Hardware_attribute() =>
        VerifyHardware.Analyzer("""
            [{|#0:Hardware(Chip.XyloImu)|}]
            [Network] public partial class Spiking
            {
                [Input(16)] public partial SpikeInput In { get; }
                [Population(64)] public partial Population<Hidden> First { get; }
                [Population(8)] public partial Population<Hidden> Last { get; }
                [Dense(nameof(In), nameof(First))] public partial DenseSynapses Feed { get; }
                [Dense(nameof(First), nameof(Last))] public partial DenseSynapses Onward { get; }
            }
            """ + XyloNeurons,
            Warning("SNN0607", 0, "Network 'Spiking'", "it has no readout (non-spiking) population",
                "XyloIMU gives its outputs from readout neurons only, and its mapper asks for a hidden and a readout layer"));

    [Theory]
    [InlineData("Loihi")]
    [InlineData("SpiNNaker")]
    public Task The_same_connections_on_Loihi_and_SpiNNaker_are_no_SNN0607(string chip) =>
        VerifyHardware.Analyzer($$"""
            [Hardware(Chip.{{chip}})]
            [Network] public partial class Mixed
            {
                [Input(8)] public partial SpikeInput Audio { get; }
                [Input(4)] public partial SpikeInput Cue { get; }
                [Population(32)] public partial Population<SnnDsl.Neurons.Lif> Reservoir { get; }
                [Population(4)] public partial Population<SnnDsl.Neurons.Lif> Out { get; }
                [Dense(nameof(Audio), nameof(Reservoir))] public partial DenseSynapses Feed { get; }
                [Dense(nameof(Reservoir), nameof(Out))] public partial DenseSynapses ToOut { get; }
                [Dense(nameof(Cue), nameof(Out))] public partial DenseSynapses Bypass { get; }
            }
            """);

    // ---- SNN0608: values the chip cannot represent ----

    [Fact]
    public Task Values_beyond_SpiNNakers_s16_15_are_SNN0608_with_the_nearest() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.SpiNNaker)]
            [Neuron] public partial struct Probe
            {
                [State] public float U;
                [Param(0.9f)] public float Beta;
                [Param(100000f)] public float {|#2:Threshold|};
                [Param(1e-6f)] public float {|#0:Gain|};
                public void Integrate(float input) => U = Beta * U + Gain * input + {|#1:2e-6f|};
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > Threshold;
                public void Reset() => U = 0f;
            }
            """,
            Warning("SNN0608", 0, "Parameter 'Gain'", "1E-06", "SpiNNaker", SpiNNakerValues, "0, a relative error of 100%"),
            Warning("SNN0608", 1, "A constant of 'Probe'", "2E-06", "SpiNNaker", SpiNNakerValues, "0, a relative error of 100%"),
            Warning("SNN0608", 2, "Parameter 'Threshold'", "100000", "SpiNNaker", SpiNNakerValues, "65535.99996948242, a relative error of 34.5%"));

    [Fact]
    public Task A_value_a_network_on_SpiNNaker_uses_is_SNN0608_at_the_population() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.SpiNNaker)]
            [Network] public partial class Net
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<Tiny> {|#0:Hidden|} { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses Feed { get; }
            }
            [Neuron] public partial struct Tiny
            {
                [State] public float U;
                [Param(1e-6f)] public float Gain;
                public void Integrate(float input) => U = 0.5f * U + Gain * input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
                public void Reset() => U = 0f;
            }
            """,
            Warning("SNN0608", 0, "Parameter 'Gain' of neuron 'Tiny' (population 'Hidden')", "1E-06", "SpiNNaker", SpiNNakerValues, "0, a relative error of 100%"));

    [Fact]
    public Task A_threshold_that_is_not_positive_on_Loihi_and_Xylo_is_SNN0608() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct AtZero
            {
                [State] public float U;
                [Param(0f)] public float {|#0:Threshold|};
                public void Integrate(float input) => U = 0.5f * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > Threshold;
                public void Reset() => U = 0f;
            }
            [Hardware(Chip.XyloAudio2)]
            [Neuron] public partial struct Always
            {
                [State] public float U;
                public void Integrate(float input) => U = 0.5f * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U >= {|#1:0f|};
                public void Reset() => U -= 1f;
            }
            """,
            Warning("SNN0608", 0, "The threshold 'Threshold'", "0", "Loihi", "its thresholds are vth·2^6 with vth = 1…131,071",
                "vth = 1, the smallest positive threshold (2^6 in the 24-bit state, at the scale the trained weights set)"),
            Warning("SNN0608", 1, "The threshold of 'Always'", "0", "XyloAudio2", "its thresholds are int16 in 1…32,767: with θ ≤ 0, v ≥ θ holds every step",
                "θ = 1, the smallest positive threshold (in the 16-bit state, at the scale the trained weights set)"));

    [Fact]
    public Task Values_each_chip_holds_are_no_SNN0608() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.SpiNNaker)]
            [Neuron] public partial struct Held
            {
                [State] public float U;
                [Param(-50f)] public float Threshold;                     // mV: any sign on SpiNNaker
                [Param(0.5f)] public float Gain;
                public void Integrate(float input) => U = 0.5f * U + Gain * input + 2e-3f;   // 66/2^15 is 0.7 % off
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > Threshold;
                public void Reset() => U = -65f;
            }
            [Hardware(Chip.Loihi)]
            [Neuron] public partial struct Tiny
            {
                [State] public float U;
                [Param(1e-6f)] public float Threshold;                    // scaled with the trained weights on Loihi
                public void Integrate(float input) => U = 0.5f * U + input;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > Threshold;
                public void Reset() => U = 0f;
            }
            """);

    // ---- SNN0606: learning-rule state memory ----

    [Fact]
    public Task Eligibility_traces_beyond_Loihis_tag_and_on_Xylo_without_learning_are_SNN0606_with_the_bytes() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [LearningRule] public partial struct TwoTraces
            {
                [PresynapticState] public float X;
                [SynapticState] public float C;
                [SynapticState] public float {|#0:E|};
                public void Presynaptic([PreSpike] float s) => X = 0.9f * X + s;
                public float Update([PostSpike] float post, [Modulator] float reward)
                {
                    C = 0.99f * C + X * post;
                    E = 0.9f * E + C;
                    return reward * E;
                }
            }
            [Hardware(Chip.XyloAudio2)]
            [LearningRule] public partial struct RewardModulated
            {
                [SynapticState] public float {|#1:C|};
                public float Update([PreSpike] float pre, [PostSpike] float post, [Modulator] float reward)
                {
                    C = 0.99f * C + pre * post;
                    return reward * C;
                }
            }
            """,
            Warning("SNN0606", 0, "TwoTraces", "2 states per synapse", "'C', 'E'", 3, "synapse", 9, "Loihi's learning engine keeps 1 per synapse besides the weight (the 9-bit tag)"),
            Warning("SNN0606", 1, "RewardModulated", "1 state per synapse", "'C'", 2, "synapse", 16,
                "XyloAudio2 has no on-chip learning: its weights are fixed while it runs, and it keeps nothing per synapse besides the 8-bit weight"));

    [Fact]
    public Task A_division_and_an_exponential_in_a_rule_on_Loihi_are_SNN0601_naming_its_learning_engine() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [LearningRule] public partial struct Normalized
            {
                [PresynapticState] public float X;
                [SynapticState] public float C;
                public void Presynaptic([PreSpike] float s) => X = 0.9f * X + s;
                public float Update([PostSpike] float post, [Weight] float w)
                {
                    C = 0.9f * C + X * post;
                    return {|#0:C / w|} - 0.01f * {|#1:MathF.Exp(w)|};
                }
            }
            """,
            Warning("SNN0601", 0, "'Update' of learning rule 'Normalized'", "a division by a value that changes every step", "input 'w'", "Loihi's learning engine", LoihiLearning),
            Warning("SNN0601", 1, "'Update' of learning rule 'Normalized'", "MathF.Exp of a value that changes every step", "input 'w'", "Loihi's learning engine", LoihiLearning));

    [Fact]
    public Task A_trace_that_reads_more_than_its_own_spike_on_Loihi_is_SNN0603_at_the_trace() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [LearningRule] public partial struct Voltage
            {
                [PresynapticState] public float {|#0:X|};
                [PostsynapticState] public float {|#1:Y|};
                [PostsynapticState] public float Z;
                public void Presynaptic([PreSpike] float s, [Presynaptic("U")] float u) => X = 0.9f * X + s * u;
                public void Postsynaptic([PostSpike] float s, [Modulator] float reward)
                {
                    float kick = reward * s;
                    Y = 0.9f * Y + kick;
                    Z = 0.5f * Z + s;
                }
                public float Update([PreSpike] float pre, [PostSpike] float post) => X * post - Y * pre + Z;
            }
            """,
            Warning("SNN0603", 0, "Learning rule 'Voltage'", "its presynaptic trace 'X' reads input 'u'", LoihiTraces),
            Warning("SNN0603", 1, "Learning rule 'Voltage'", "its postsynaptic trace 'Y' reads input 'reward'", LoihiTraces));

    [Fact]
    public Task An_offline_rule_is_not_checked_against_the_learning_engine() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [LearningRule(Offline = true)] public partial struct Normalized
            {
                [SynapticState] public float C;
                public float Update([PreSpike] float pre, [PostSpike] float post, [Weight] float w)
                {
                    C = 0.9f * C + pre * post;
                    return C / w - 0.01f * MathF.Exp(w);
                }
            }
            """);

    [Fact]
    public Task More_presynaptic_traces_than_Loihis_x1_and_x2_are_SNN0606() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [LearningRule] public partial struct Triplet
            {
                [PresynapticState] public float R1;
                [PresynapticState] public float R2;
                [PresynapticState] public float {|#0:R3|};
                public void Presynaptic([PreSpike] float s) { R1 = 0.9f * R1 + s; R2 = 0.99f * R2 + s; R3 = 0.5f * R3 + s; }
                public float Update([PostSpike] float post) => (R1 + R2 + R3) * post;
            }
            """,
            Warning("SNN0606", 0, "Triplet", "3 traces per presynaptic neuron", "'R1', 'R2', 'R3'", 3, "presynaptic neuron", 7,
                "Loihi's learning engine keeps 2 traces per presynaptic neuron (7-bit x1, x2)"));

    [Fact]
    public Task Rules_within_Loihis_learning_engine_offline_rules_and_SpiNNakers_software_synapses_are_fine() =>
        VerifyHardware.Analyzer("""
            [Hardware(Chip.Loihi)]
            [LearningRule] public partial struct RewardStdp
            {
                [PresynapticState] public float X;
                [PostsynapticState] public float Y;
                [SynapticState] public float C;
                public void Presynaptic([PreSpike] float s) => X = 0.95f * X + s;
                public void Postsynaptic([PostSpike] float s) => Y = 0.95f * Y + s;
                public float Update([PreSpike] float pre, [PostSpike] float post, [Modulator] float reward)
                {
                    C = 0.999f * C + X * post - Y * pre;
                    return reward * C;
                }
            }
            [Hardware(Chip.XyloAudio2)]
            [LearningRule(Offline = true)] public partial struct TrainedElsewhere
            {
                [SynapticState] public float C;
                public float Update([PreSpike] float pre, [Error] float error) { C = 0.9f * C + pre; return error * C; }
            }
            [Hardware(Chip.SpiNNaker)]
            [LearningRule] public partial struct Software
            {
                [SynapticState] public float C;
                [SynapticState] public float E;
                public float Update([PreSpike] float pre, [PostSpike] float post) { C = 0.9f * C + pre * post; E = 0.9f * E + C; return E; }
            }
            """);
}
