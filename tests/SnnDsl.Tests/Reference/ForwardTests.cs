namespace SnnDsl.Tests.Reference;

// Hand-computed cases; α = 0.5, β = 0.75, ϑ = 1 and the weights are binary fractions, so every value is exact.
public class ForwardTests
{
    private static SpikeRaster Spikes(int steps, int neurons, params (int Step, int Neuron)[] events)
    {
        var raster = new SpikeRaster(1, steps, neurons);
        foreach ((int step, int neuron) in events) raster[0, step, neuron] = true;
        return raster;
    }

    private static float[] Row(float[,,] trace, int neuron) => Enumerable.Range(0, trace.GetLength(1)).Select(t => trace[0, t, neuron]).ToArray();

    private static bool[] Row(bool[,,] spikes, int neuron) => Enumerable.Range(0, spikes.GetLength(1)).Select(t => spikes[0, t, neuron]).ToArray();

    [Fact]
    public void Cuba_lif_integrates_fires_and_resets_by_subtraction()
    {
        var net = new FakeNetwork()
            .Input("In", 1)
            .Population("Hidden", 2, TestModels.CubaLif())
            .Dense("In", "Hidden", [0.75f, 1.5f]);

        ReferenceTrace trace = ReferenceInterpreter.Forward(net, [Spikes(3, 1, (0, 0))]);

        // Neuron 0: I = 0.75, 0.375, 0.1875; U = I, 0.75·U + I, … stays below ϑ.
        Assert.Equal([0.75f, 0.375f, 0.1875f], Row(trace.State("Hidden", "I"), 0));
        Assert.Equal([0.75f, 0.9375f, 0.890625f], Row(trace.State("Hidden", "U"), 0));
        Assert.Equal([false, false, false], Row(trace.Spikes("Hidden"), 0));
        // Neuron 1: U = 1.5 > 1 fires, recorded after reset 0.5; then U = 0.375 + 0.75 = 1.125 fires, 0.125; then 0.46875.
        Assert.Equal([1.5f, 0.75f, 0.375f], Row(trace.State("Hidden", "I"), 1));
        Assert.Equal([0.5f, 0.125f, 0.46875f], Row(trace.State("Hidden", "U"), 1));
        Assert.Equal([true, true, false], Row(trace.Spikes("Hidden"), 1));
    }

    [Fact]
    public void Per_neuron_parameters_are_read_per_neuron()
    {
        var net = new FakeNetwork()
            .Input("In", 1)
            .Population("Hidden", 2, TestModels.CubaLif(perNeuronThreshold: true))
            .Dense("In", "Hidden", [0.75f, 0.75f]);
        net["Hidden"].Parameter("Threshold")[0] = 0.5f;
        net["Hidden"].Parameter("Threshold")[1] = 2f;

        ReferenceTrace trace = ReferenceInterpreter.Forward(net, [Spikes(1, 1, (0, 0))]);

        Assert.Equal([true], Row(trace.Spikes("Hidden"), 0));
        Assert.Equal([0.25f], Row(trace.State("Hidden", "U"), 0));
        Assert.Equal([false], Row(trace.Spikes("Hidden"), 1));
        Assert.Equal([0.75f], Row(trace.State("Hidden", "U"), 1));
    }

    [Fact]
    public void Locals_max_select_and_a_non_strict_threshold_follow_the_ir()
    {
        var clamped = new NeuronDescriptor(
            "ClampedLif",
            ["U"],
            [new ParamDescriptor("Beta", 0.5f, false, false), new ParamDescriptor("Threshold", 1f, false, false), new ParamDescriptor("Floor", -2f, false, false)],
            ["input"],
            null,
            "(block (set-local leaked (* (param Beta) (state U))) (set-state U (call Max (+ (local leaked) (input input)) (param Floor))))",
            "(>= (state U) (param Threshold))",
            "(block (set-state U (select (> (state U) (* 2 (param Threshold))) 0 (- (state U) (param Threshold)))))",
            TestModels.FastSigmoid,
            false);
        var net = new FakeNetwork().Input("In", 1).Population("H", 4, clamped).Dense("In", "H", [2.5f, 1.5f, 1f, -3f]);

        ReferenceTrace trace = ReferenceInterpreter.Forward(net, [Spikes(2, 1, (0, 0))]);

        // U = max(βU + input, −2); fires when U ≥ 1; reset to 0 above 2ϑ, else by subtraction.
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(i => trace.Spikes("H")[0, 0, i]));
        Assert.Equal([0f, 0.5f, 0f, -2f], Enumerable.Range(0, 4).Select(i => trace.State("H", "U")[0, 0, i]));
        Assert.Equal([0f, 0.25f, 0f, -1f], Enumerable.Range(0, 4).Select(i => trace.State("H", "U")[0, 1, i]));
    }

    [Fact]
    public void Feed_forward_synapses_carry_spikes_of_the_same_step_recurrent_ones_those_of_the_step_before()
    {
        var net = new FakeNetwork()
            .Input("In", 1)
            .Population("A", 1, TestModels.CubaLif())
            .Population("B", 1, TestModels.CubaLif())
            .Dense("In", "A", [2f])
            .Dense("A", "A", [0.125f])      // recurrent (self)
            .Dense("A", "B", [1.5f])        // feed-forward
            .Dense("B", "A", [0.0625f]);    // recurrent (from a later population)

        ReferenceTrace trace = ReferenceInterpreter.Forward(net, [Spikes(2, 1, (0, 0))]);

        // t = 0: A gets only the input, fires; B gets A's spike of the same step and fires.
        Assert.Equal(2f, trace.State("A", "I")[0, 0, 0]);
        Assert.Equal(1.5f, trace.State("B", "I")[0, 0, 0]);
        Assert.True(trace.Spikes("A")[0, 0, 0] && trace.Spikes("B")[0, 0, 0]);
        // t = 1: both spikes of t = 0 reach A through its recurrent synapses: I = 0.5·2 + 0.125 + 0.0625.
        Assert.Equal(1.1875f, trace.State("A", "I")[0, 1, 0]);
    }

    [Fact]
    public void Synaptic_input_sums_connections_in_declaration_order_and_presynaptic_neurons_ascending_from_zero()
    {
        // 1 + 1e8 rounds to 1e8 in float32, so each sum below depends on its order.
        var net = new FakeNetwork()
            .Input("Three", 3)
            .Input("One", 1)
            .Input("Two", 2)
            .Population("Within", 1, TestModels.LeakyReadout)
            .Population("Across", 1, TestModels.LeakyReadout)
            .Dense("Three", "Within", [1f, 1e8f, -1e8f])   // ((0 + 1) + 1e8) − 1e8 = 0; descending would give 1
            .Dense("One", "Across", [1e8f])
            .Dense("Two", "Across", [-1e8f, 1f]);          // ((0 + 1e8) − 1e8) + 1 = 1; the other connection first, 0

        ReferenceTrace trace = ReferenceInterpreter.Forward(net, [Spikes(1, 3, (0, 0), (0, 1), (0, 2)), Spikes(1, 1, (0, 0)), Spikes(1, 2, (0, 0), (0, 1))]);

        Assert.Equal(0f, trace.State("Within", "U")[0, 0, 0]);
        Assert.Equal(1f, trace.State("Across", "U")[0, 0, 0]);
    }

    [Fact]
    public void Inconsistent_inputs_and_connections_are_rejected_with_the_reason()
    {
        var net = new FakeNetwork().Input("In", 4).Population("Out", 2, TestModels.LeakyReadout).Dense("In", "Out");
        var wrongSize = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Forward(net, [new SpikeRaster(1, 3, 5)]));
        Assert.Contains("Input 'In'", wrongSize.Message);

        var fromReadout = new FakeNetwork().Input("In", 1)
            .Population("Readout", 1, TestModels.LeakyReadout).Population("Next", 1, TestModels.LeakyReadout)
            .Dense("In", "Readout").Dense("Readout", "Next");
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Forward(fromReadout, [new SpikeRaster(1, 3, 1)]));
        Assert.Contains("non-spiking", error.Message);
    }

    /// <summary>U = 0.5·U + input − S (S = the neuron's previous spike, read in Integrate), fires when U > 1, no Reset.</summary>
    private static readonly NeuronDescriptor PreviousSpikeNeuron = new(
        "PaperStyle", ["U", "S"], [], ["input"], "S",
        "(block (set-state U (- (+ (* 0.5 (state U)) (input input)) (state S))))",
        "(> (state U) 1)", null, TestModels.FastSigmoid, false);

    /// <summary>I = 0.5·I + z, delivering I.</summary>
    private static readonly SynapseDescriptor Exponential = new(
        "Exponential", ["I"], [], "z", [], "(block (set-state I (+ (* 0.5 (state I)) (input z))))", "(state I)");

    [Fact]
    public void Delays_biases_synapses_and_the_previous_spike_follow_the_semantics()
    {
        var net = new FakeNetwork()
            .Input("In", 1)
            .Population("A", 1, PreviousSpikeNeuron)
            .Population("Out", 1, TestModels.LeakyReadout)
            .Dense("In", "A", [1.5f], delay: 2)                     // reaches A two steps later
            .Dense("A", "Out", [4f], synapse: Exponential)          // through I = 0.5·I + z
            .Bias("A", [0.25f]);

        ReferenceTrace trace = ReferenceInterpreter.Forward(net, [Spikes(5, 1, (0, 0))]);

        // A: t0 U = 0.25 (bias only), t1 U = 0.375, t2 U = 0.1875 + 1.5 + 0.25 = 1.9375 fires,
        // t3 U = 0.96875 + 0.25 − 1 (its spike of t2) = 0.21875, t4 U = 0.359375.
        Assert.Equal([0.25f, 0.375f, 1.9375f, 0.21875f, 0.359375f], Row(trace.State("A", "U"), 0));
        Assert.Equal([0f, 0f, 1f, 0f, 0f], Row(trace.State("A", "S"), 0));
        Assert.Equal([false, false, true, false, false], Row(trace.Spikes("A"), 0));
        // The synapse takes A's spike of t2 at t2 (feed-forward) and decays: 4, 2, 1.
        Assert.Equal([0f, 0f, 4f, 2f, 1f], Row(trace.State("AToOut", "I"), 0));
        // The readout integrates the delivered current: U = 0.5·U + I.
        Assert.Equal([0f, 0f, 4f, 4f, 3f], Row(trace.State("Out", "U"), 0));
    }
}
