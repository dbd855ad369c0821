using SnnDsl.FixedPoint;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>The integer network simulators built from integers: golden vectors through whole networks, timing, limits.</summary>
public class IntegerNetworkTests
{
    private static SpikeRaster Raster(int batch, int steps, int neurons, params (int Sample, int Step, int Neuron)[] spikes)
    {
        var raster = new SpikeRaster(batch, steps, neurons);
        foreach ((int b, int t, int i) in spikes) raster[b, t, i] = true;
        return raster;
    }

    [Fact]
    public void Loihi_network_reproduces_the_bias_driven_golden_vector_for_every_neuron()
    {
        var network = new LoihiNetwork([("In", 1)], [new LoihiPopulation("P", 10, du: 0, dv: 0, threshold: 8, biasMantissa: [2], biasExponent: [6])], []);
        QuantizedResult result = network.Simulate(new SpikeRaster(2, 10, 1));
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 10; i++)
                Assert.Equal(Enumerable.Range(0, 10).Select(t => t is 4 or 9), Enumerable.Range(0, 10).Select(t => result.Spikes("P")[b, t, i]));
    }

    [Fact]
    public void Loihi_dense_adds_one_step_of_latency()
    {
        // An input spike at step 0 through a Dense of weight 128 reaches the LIF at step 1; then u halves (du = 2047).
        LoihiNetwork Build(int latency) => new([("In", 1)], [new LoihiPopulation("P", 1, du: 2047, dv: 0, threshold: 256)],
            [new LoihiConnection("InToP", "In", "P", [128])], latency: new Dictionary<string, int> { ["P"] = latency });
        SpikeRaster input = Raster(1, 9, 1, (0, 0, 0));
        int[] chip = Build(1).Simulate(input, new QuantizedSimulationOptions { AlignToFloatTiming = false, RecordAllStates = true }).States("P", "I").Values;
        Assert.Equal([0, .. Enumerable.Range(0, 8).Select(j => 1 << (13 - j))], chip);
        int[] aligned = Build(1).Simulate(input, new QuantizedSimulationOptions { RecordAllStates = true }).States("P", "I").Values;
        Assert.Equal(Enumerable.Range(0, 9).Select(j => 1 << (13 - j)), aligned);
    }

    [Fact]
    public void Loihi_event_driven_accumulation_equals_the_dense_sum_with_lava_weight_handling()
    {
        // Random weights (some beyond 8 bits), a negative weight exponent, random input spikes: the simulator must equal a
        // straightforward dense evaluation of Lava's formulas.
        var random = new Random(3);
        const int pre = 70, post = 9, steps = 20;
        int[] weights = Enumerable.Range(0, pre * post).Select(_ => random.Next(-300, 300)).ToArray();
        var connection = new LoihiConnection("C", "In", "P", weights, weightExponent: -1, numWeightBits: 7);
        var population = new LoihiPopulation("P", post, du: 1000, dv: 300, threshold: 40, biasMantissa: [5], biasExponent: [3]);
        var network = new LoihiNetwork([("In", pre)], [population], [connection]);
        SpikeRaster input = SpikeRaster.Bernoulli(3, steps, pre, 0.2, seed: 4);
        QuantizedResult result = network.Simulate(input, new QuantizedSimulationOptions { RecordAllStates = true, AlignToFloatTiming = false });

        int[] w = weights.Select(x => LoihiDense.Truncate(Math.Clamp(x, -256, 255), LoihiSignMode.Mixed, 7)).ToArray();
        Assert.Equal(LoihiSignMode.Mixed, connection.SignMode);
        for (int b = 0; b < 3; b++)
        {
            int[] u = new int[post], v = new int[post], buffer = new int[post];
            for (int t = 0; t < steps; t++)
            {
                for (int i = 0; i < post; i++)
                {
                    bool spike = LoihiLif.Step(ref u[i], ref v[i], buffer[i], 1000, 300, 5 << 3, 40 << 6, TargetProfiles.Loihi);
                    Assert.Equal(spike, result.Spikes("P")[b, t, i]);
                    Assert.Equal(u[i], result.States("P", "I")[b, t, i]);
                    Assert.Equal(v[i], result.States("P", "U")[b, t, i]);
                }
                for (int i = 0; i < post; i++)
                {
                    int sum = 0;
                    for (int j = 0; j < pre; j++) if (input[b, t, j]) sum += w[j * post + i];
                    buffer[i] = sum >> 1;
                }
            }
        }
    }

    [Fact]
    public void Loihi_rejects_parameters_outside_the_registers()
    {
        var e = Assert.Throws<ProfileLimitException>(() => new LoihiNetwork([("In", 1)], [new LoihiPopulation("Hidden", 1, du: 4096, dv: 0, threshold: 1)], []));
        Assert.Contains("Hidden.du", e.Message);
        Assert.Contains("0…4095", e.Message);
        e = Assert.Throws<ProfileLimitException>(() => new LoihiNetwork([("In", 1)], [new LoihiPopulation("Hidden", 1, du: 0, dv: 0, threshold: 131072)], []));
        Assert.Contains("vth", e.Message);
        e = Assert.Throws<ProfileLimitException>(() => new LoihiNetwork([("In", 1)], [new LoihiPopulation("Hidden", 1, 0, 0, 1, biasMantissa: [4096])], []));
        Assert.Contains("bias_mant[0]", e.Message);
        e = Assert.Throws<ProfileLimitException>(() => new LoihiNetwork([("In", 1)], [new LoihiPopulation("Hidden", 1, 0, 0, 1)], [new LoihiConnection("InToHidden", "In", "Hidden", [1], weightExponent: 8)]));
        Assert.Contains("InToHidden.weight_exp", e.Message);
    }

    [Fact]
    public void Xylo_network_delivers_hidden_spikes_one_step_late_and_counts_multi_spikes()
    {
        // One input → one hidden neuron (w = 100, shift 2 → 400), hidden → readout (w = 10, shift 0); dash_syn = 1 halves
        // i_syn after the input is added, dash_mem = 15 (decay 1 per step), θ = 150.
        var hidden = new XyloNeuronGroup("H", 1, dashMem: [15], dashSyn: [[1]], threshold: [150]);
        var readout = new XyloNeuronGroup("O", 1, dashMem: [15], dashSyn: [[15]], threshold: [32767]);
        var network = new XyloNetwork(("In", 1), [hidden], [readout], weightsIn: [100], weightsRec: null, weightsOut: [10], shiftIn: 2, shiftRec: 0, shiftOut: 0);
        QuantizedResult r = network.Simulate(Raster(1, 4, 1, (0, 0, 0)), new QuantizedSimulationOptions { RecordAllStates = true });
        // Step 0: i = 400 − 200 = 200; v = 0 + 200 = 200 ≥ 150 → 1 spike, v = 50.
        // Step 1: i = 200 − 100 = 100; v = 50 − 1 + 100 = 149 → no spike. Readout gets the count of step 0: i_out = 10 − 1 = 9, v_out = 9.
        // Step 2: i = 50; v = 148 + 50 = 198 → 1 spike, v = 48. Readout: i_out = 8, v_out = 9 − 1 + 8 = 16.
        // Step 3: i = 25; v = 47 + 25 = 72. Readout gets step 2's spike: i_out = 8 + 10 = 18 → 17; v_out = 16 − 1 + 17 = 32.
        Assert.Equal([200, 100, 50, 25], r.States("H", "I").Values);
        Assert.Equal([50, 149, 48, 72], r.States("H", "U").Values);
        Assert.Equal([1, 0, 1, 0], r.SpikeCounts("H"));
        Assert.Equal([0, 9, 8, 17], r.States("O", "I").Values);
        Assert.Equal([0, 9, 16, 32], r.States("O", "U").Values);

        // A larger weight gives several spikes in one step: i = 127·4 = 508 → 254; v = 254 ≥ 150 once (cap 31 not reached) …
        // with θ = 50: 254 → 5 spikes, v = 4.
        var burst = new XyloNetwork(("In", 1), [new XyloNeuronGroup("H", 1, [15], [[1]], [50])], [readout], [127], null, [10], 2, 0, 0);
        Assert.Equal(5, burst.Simulate(Raster(1, 1, 1, (0, 0, 0))).SpikeCounts("H")[0]);
    }

    [Fact]
    public void Xylo_rejects_networks_beyond_the_device()
    {
        var hidden = new XyloNeuronGroup("Hidden", 1, [1], [[1]], [10]);
        var readout = new XyloNeuronGroup("Readout", 1, [1], [[1]], [10]);
        var e = Assert.Throws<ProfileLimitException>(() => new XyloNetwork(("Input", 20), [hidden], [readout], new sbyte[20], null, [1], 0, 0, 0));
        Assert.Contains("20 input channels", e.Message);
        Assert.Contains("16", e.Message);
        var nine = new XyloNeuronGroup("Readout", 9, [1], [[1]], [10]);
        e = Assert.Throws<ProfileLimitException>(() => new XyloNetwork(("Input", 2), [hidden], [nine], new sbyte[2], null, new sbyte[9], 0, 0, 0));
        Assert.Contains("9 readout neurons", e.Message);
        Assert.Contains("8", e.Message);
        var biased = new XyloNeuronGroup("Hidden", 1, [1], [[1]], [10], bias: [3]);
        e = Assert.Throws<ProfileLimitException>(() => new XyloNetwork(("Input", 2), [biased], [readout], new sbyte[2], null, [1], 0, 0, 0));
        Assert.Contains("no bias", e.Message);
        var wide = new XyloNeuronGroup("Hidden", 70, [1], [[1]], [10]);
        sbyte[] recurrent = new sbyte[70 * 70];
        for (int i = 0; i < 65; i++) recurrent[i] = 1;   // hidden neuron 0 → 65 targets > 64
        e = Assert.Throws<ProfileLimitException>(() => new XyloNetwork(("Input", 2), [wide], [readout], new sbyte[140], recurrent, new sbyte[70], 0, 0, 0));
        Assert.Contains("fan-out of 64", e.Message);
        // The same network fits XyloAudio 3 (fan-out 1024) as long as the readout weights come from the last 128 neurons.
        Assert.NotNull(new XyloNetwork(("Input", 2), [wide], [readout], new sbyte[140], recurrent, new sbyte[70], 0, 0, 0, TargetProfiles.XyloAudio3));
        e = Assert.Throws<ProfileLimitException>(() => new XyloNetwork(("Input", 2), [hidden], [readout], new sbyte[2], null, [1], 9, 0, 0));
        Assert.Contains("weight_shift_in", e.Message);
    }

    [Fact]
    public void SpiNNaker_network_delivers_after_one_step_and_saturates_the_ring_buffer()
    {
        // Two inputs of weight 40000 each into one neuron: the ring buffer saturates at 65535. Shift 0: the input is
        // 65535 raw = 1.99997 nA; init = 1.0 − 2^−32; R = 1, exp_TC = 0, decay 0: V = input·R.
        var p = new SpiNNakerLifParameters(ExpTc: 0, Resistance: 1 << 15, RestingVoltage: 0, ResetVoltage: 0, Threshold: int.MaxValue,
            OffsetCurrent: 0, RefractorySteps: 0, ExcitatoryDecay: 0, ExcitatoryInit: uint.MaxValue, InhibitoryDecay: 0, InhibitoryInit: uint.MaxValue);
        var network = new SpiNNakerNetwork([("In", 2)], [new SpiNNakerPopulation("P", 1, [p], 0, 0)], [new SpiNNakerConnection("C", "In", "P", [40000, 40000])]);
        QuantizedResult r = network.Simulate(Raster(1, 3, 2, (0, 0, 0), (0, 0, 1)), new QuantizedSimulationOptions { RecordAllStates = true, AlignToFloatTiming = false });
        // ⌊65535·(2^32 − 1)/2^32⌋ = 65534.
        Assert.Equal([0, 65534, 0], r.States("P", "U").Values);
        Assert.Equal(65535, r.PeakSynapticInput);
        var e = Assert.Throws<ProfileLimitException>(() => new SpiNNakerNetwork([("In", 1)], [new SpiNNakerPopulation("P", 1, [p], 0, 0)], [new SpiNNakerConnection("C", "In", "P", [70000])]));
        Assert.Contains("C.weight", e.Message);
    }

    [Fact]
    public void Fixed_network_honours_delays_and_saturation()
    {
        // s3.4 states (±8, step 1/16), weights s3.4: a recurrent Lif with β = 1 − 2^−4 (u0.4 raw 15).
        FixedProfile profile = TargetProfiles.Fixed(3, 4, Rounding.Floor, Overflow.Saturate, decayFractionBits: 4);
        var population = new FixedPopulation("P", 1, FixedNeuronKind.Lif, Alpha: 0, Beta: 15, Threshold: 16 * 4);
        var network = new FixedPointNetwork([("In", 1)], [population],
            [new FixedConnection("InToP", "In", "P", [127], Delay: 0), new FixedConnection("PToP", "P", "P", [-16], Delay: 1)], profile);
        QuantizedResult r = network.Simulate(Raster(1, 4, 1, (0, 0, 0), (0, 1, 0)), new QuantizedSimulationOptions { RecordAllStates = true });
        // Step 0: U = 127 (7.94) > 64 → spike, U = 63. Step 1: U = ⌊63·15/16⌋ = 59, + 127 = 186 → saturates at 127 → spike, 63.
        // Step 2: U = 59 − 16 (the spike of step 1) = 43. Step 3: ⌊43·15/16⌋ = 40, − 0 = 40.
        Assert.Equal([63, 63, 43, 40], r.States("P", "U").Values);
        Assert.Equal([true, true, false, false], Enumerable.Range(0, 4).Select(t => r.Spikes("P")[0, t, 0]));
        Assert.Throws<ArgumentException>(() => new FixedPointNetwork([("In", 1)], [population], [new FixedConnection("PToP", "P", "P", [1], Delay: 0)], profile));
    }
}
