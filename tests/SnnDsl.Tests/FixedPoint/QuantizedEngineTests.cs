using SnnDsl.FixedPoint;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// <see cref="QuantizedEngine.Kernels"/> (generated integer kernels, SIMD synaptic accumulation) against
/// <see cref="QuantizedEngine.Reference"/> (the scalar references): every spike, count, recorded state and the peak input,
/// on random networks of every chip (sizes 61/37/11, not multiples of 16, so every SIMD width and the scalar tail run) and
/// on quantized trained networks. CI runs the Kernels category again without AVX-512 and without SIMD.
/// </summary>
[Trait("Category", "Kernels")]
public class QuantizedEngineTests
{
    private const int Batch = 3, Steps = 40;

    /// <summary>Runs both engines and asserts the same result, every state recorded, aligned and at chip timing.</summary>
    private static void AssertSameResults(QuantizedNetwork network, IReadOnlyList<SpikeRaster> inputs)
    {
        foreach (bool align in new[] { true, false })
        {
            QuantizedResult Run(QuantizedEngine engine) =>
                network.Simulate(inputs, new QuantizedSimulationOptions { Engine = engine, RecordAllStates = true, AlignToFloatTiming = align });
            AssertSame(network, Run(QuantizedEngine.Reference), Run(QuantizedEngine.Kernels), align);
        }

        // Without recording: the kernel engine's unrecorded path (SpiNNaker passes the input to the kernel itself).
        QuantizedResult Spikes(QuantizedEngine engine) => network.Simulate(inputs, new QuantizedSimulationOptions { Engine = engine });
        AssertSame(network, Spikes(QuantizedEngine.Reference), Spikes(QuantizedEngine.Kernels), align: true);
    }

    private static void AssertSame(QuantizedNetwork network, QuantizedResult reference, QuantizedResult kernels, bool align)
    {
        Assert.Equal(reference.PeakSynapticInput, kernels.PeakSynapticInput);
        foreach (QuantizedLayer layer in network.Layers.Where(l => !l.IsInput))
        {
            if (layer.IsSpiking)
            {
                Assert.Equal(reference.Spikes(layer.Name).Bits, kernels.Spikes(layer.Name).Bits);
                Assert.Equal(reference.SpikeCounts(layer.Name), kernels.SpikeCounts(layer.Name));
            }
            foreach (string state in layer.States)
            {
                if (!TryStates(reference, layer.Name, state, out IntegerRecording? expected))
                {
                    Assert.False(TryStates(kernels, layer.Name, state, out _));
                    continue;
                }
                int[] actual = kernels.States(layer.Name, state).Values;
                int mismatch = Enumerable.Range(0, actual.Length).FirstOrDefault(k => actual[k] != expected!.Values[k], -1);
                Assert.True(mismatch < 0, $"{layer.Name}.{state} (aligned: {align}) differs at [sample, step, neuron] = " +
                    $"[{mismatch / (expected!.Steps * expected.Neurons)}, {mismatch / expected.Neurons % expected.Steps}, {mismatch % expected.Neurons}]: " +
                    $"reference {(mismatch < 0 ? 0 : expected.Values[mismatch])}, kernels {(mismatch < 0 ? 0 : actual[mismatch])}.");
            }
        }
    }

    private static bool TryStates(QuantizedResult result, string population, string state, out IntegerRecording? recording)
    {
        try
        {
            recording = result.States(population, state);
            return true;
        }
        catch (ArgumentException)
        {
            recording = null;
            return false;
        }
    }

    /// <summary>Spikes some but not all of the time in every spiking population, so the comparison sees both.</summary>
    private static void AssertSpikesVary(QuantizedNetwork network, IReadOnlyList<SpikeRaster> inputs)
    {
        QuantizedResult result = network.Simulate(inputs, new QuantizedSimulationOptions { Engine = QuantizedEngine.Reference });
        foreach (QuantizedLayer layer in network.Layers.Where(l => l.IsSpiking))
        {
            long spikes = result.Spikes(layer.Name).Count(), slots = (long)Batch * Steps * layer.Size;
            Assert.True(spikes > slots / 50 && spikes < slots * 49 / 50, $"{layer.Name} spikes {spikes} times in {slots} slots.");
        }
    }

    private static int[] Uniform(Random random, int count, int min, int max) => Enumerable.Range(0, count).Select(_ => random.Next(min, max + 1)).ToArray();

    // ---- Loihi ----

    private static LoihiNetwork RandomLoihi(int seed, bool biasOnSecond)
    {
        var random = new Random(seed);
        LoihiConnection Dense(string name, string from, int pre, string to, int post, int low, int exponent, int bits = 8) =>
            new(name, from, to, Uniform(random, pre * post, low, 255), weightExponent: exponent, numWeightBits: bits);
        var populations = new List<LoihiPopulation>
        {
            new("H1", 61, du: 0, dv: random.Next(0, 4096), threshold: random.Next(20, 120)),
            new("H2", 37, du: 4095, dv: 0, threshold: random.Next(3000, 30000),
                biasMantissa: biasOnSecond ? Uniform(random, 37, -4096, 4095) : null, biasExponent: biasOnSecond ? Uniform(random, 37, 0, 7) : null),
            new("Readout", 11, du: random.Next(0, 4096), dv: random.Next(0, 4096), threshold: 0, isSpiking: false),
        };
        var connections = new List<LoihiConnection>
        {
            // Exponents up to 6 wrap u beyond ±2^23 and saturate v; 0…255 weights are excitatory, the others mixed.
            Dense("InToH1", "In", 37, "H1", 61, -60, 6),
            Dense("H1ToH1", "H1", 61, "H1", 61, -256, 3, bits: 6),
            Dense("H1ToH2", "H1", 61, "H2", 37, -150, 4),
            Dense("H2ToH2", "H2", 37, "H2", 37, -256, -2),
            Dense("H1ToReadout", "H1", 61, "Readout", 11, -256, 0),
            Dense("H2ToReadout", "H2", 37, "Readout", 11, -200, 2),
        };
        return new LoihiNetwork([("In", 37)], populations, connections, latency: new Dictionary<string, int> { ["H1"] = 1, ["H2"] = 2, ["Readout"] = 3 });
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void Loihi_kernels_equal_the_reference(int seed, bool biasOnSecond)
    {
        LoihiNetwork network = RandomLoihi(seed, biasOnSecond);
        Assert.Null(network.KernelFallback("H1"));
        Assert.Null(network.KernelFallback("Readout"));
        if (biasOnSecond) Assert.Contains("bias", network.KernelFallback("H2"));
        else Assert.Null(network.KernelFallback("H2"));
        SpikeRaster[] input = [SpikeRaster.Bernoulli(Batch, Steps, 37, 0.3, seed)];
        AssertSpikesVary(network, input);
        // The corners are reached: v saturates at ±(2^23 − 1), u wraps past ±2^23 (a jump of more than 2^23 in one step).
        QuantizedResult result = network.Simulate(input, new QuantizedSimulationOptions { Engine = QuantizedEngine.Reference, RecordAllStates = true });
        Assert.Contains(network.Layers.Skip(1), l => result.States(l.Name, "U").Values.Any(v => Math.Abs(v) == (1 << 23) - 1));
        IntegerRecording u = result.States("H1", "I");
        Assert.Contains(Enumerable.Range(0, Batch * (Steps - 1) * 61), k => Math.Abs((long)u.Values[k + 61] - u.Values[k]) > 1 << 23);
        AssertSameResults(network, input);
    }

    [Fact]
    public void Loihi_falls_back_where_a_in_could_leave_the_kernels_int_range()
    {
        // 600 excitatory weights of 255 shifted by 7: Σ|w|·2^7 = 19,584,000 ≥ 2^24.
        var network = new LoihiNetwork([("In", 600)], [new LoihiPopulation("P", 5, du: 10, dv: 10, threshold: 100)],
            [new LoihiConnection("C", "In", "P", Enumerable.Repeat(255, 3000).ToArray(), weightExponent: 7)]);
        Assert.Equal("its a_in can reach 19584000, and StepLoihi takes |a_in| < 2^24", network.KernelFallback("P"));
        SpikeRaster[] input = [SpikeRaster.Bernoulli(Batch, Steps, 600, 0.5, 4)];
        AssertSameResults(network, input);
    }

    // ---- Xylo ----

    /// <summary>Per-neuron values that repeat in runs of 1…24 neurons (the kernel engine steps each run).</summary>
    private static int[] Runs(Random random, int count, int min, int max)
    {
        var values = new int[count];
        for (int i = 0; i < count;)
        {
            int value = random.Next(min, max + 1), length = random.Next(1, 25);
            for (int k = 0; k < length && i < count; k++) values[i++] = value;
        }
        return values;
    }

    private static XyloNetwork RandomXylo(int seed, XyloProfile profile, int synapses = 1, bool bias = false)
    {
        var random = new Random(seed);
        XyloNeuronGroup Group(string name, int size, int synapseCount, int thresholdMax) =>
            new(name, size, Runs(random, size, 0, 15), Enumerable.Range(0, synapseCount).Select(_ => Runs(random, size, 0, 15)).ToArray(),
                Runs(random, size, 1, thresholdMax), bias: bias ? Uniform(random, size, -300, 300) : null);
        sbyte[] Weights(int count, int low, int high) => Uniform(random, count, low, high).Select(w => (sbyte)w).ToArray();
        const int inputs = 13, h1 = 61, h2 = 37, readout = 11, hidden = h1 + h2;
        // Low thresholds against large shifted weights: multi-spike counts up to the cap of 31 and saturating i_syn.
        return new XyloNetwork(("In", inputs), [Group("H1", h1, synapses, 3000), Group("H2", h2, synapses, 20000)], [Group("Readout", readout, 1, 32767)],
            Weights(inputs * hidden * synapses, -100, 127), Weights(hidden * hidden * synapses, -128, 110), Weights(hidden * readout, -128, 127),
            shiftIn: 8, shiftRec: 4, shiftOut: 5, profile: profile, latency: new Dictionary<string, int> { ["Readout"] = 1 });
    }

    public static TheoryData<string, int> XyloProfiles => new() { { "XyloAudio2", 1 }, { "XyloAudio3", 2 }, { "XyloImu", 3 } };

    private static XyloProfile Profile(string name) => name switch
    {
        // The arithmetic of each device, with Audio 2's readout and fan-out limits lifted to hold the test network.
        "XyloAudio2" => TargetProfiles.XyloAudio2 with { OutputNeurons = 16, MaxFanOut = 1000 },
        "XyloAudio3" => TargetProfiles.XyloAudio3,
        _ => TargetProfiles.XyloImu,
    };

    [Theory]
    [MemberData(nameof(XyloProfiles))]
    public void Xylo_kernels_equal_the_reference(string profile, int seed)
    {
        XyloNetwork network = RandomXylo(seed, Profile(profile));
        Assert.All(network.Layers.Skip(1), l => Assert.Null(network.KernelFallback(l.Name)));
        SpikeRaster[] input = [SpikeRaster.Bernoulli(Batch, Steps, 13, 0.3, seed)];
        AssertSpikesVary(network, input);
        QuantizedResult result = network.Simulate(input, new QuantizedSimulationOptions { Engine = QuantizedEngine.Reference });
        Assert.Contains(result.SpikeCounts("H1"), c => c == 31);   // the cap binds
        QuantizedResult states = network.Simulate(input, new QuantizedSimulationOptions { Engine = QuantizedEngine.Reference, RecordAllStates = true });
        Assert.Contains(states.States("H1", "I").Values, i => Math.Abs(i) > 30000);   // i_syn comes near the int16 bounds
        AssertSameResults(network, input);
    }

    [Fact]
    public void Xylo_groups_with_two_synaptic_states_or_a_bias_run_on_the_reference_with_the_same_results()
    {
        XyloNetwork twoSynapses = RandomXylo(4, Profile("XyloAudio2"), synapses: 2);
        Assert.Equal("it has 2 synaptic states, and CubaLif's StepXylo… has one", twoSynapses.KernelFallback("H1"));
        Assert.Null(twoSynapses.KernelFallback("Readout"));
        XyloNetwork biased = RandomXylo(5, TargetProfiles.XyloAudio3, bias: true);
        Assert.Equal("it has a bias, and CubaLif's StepXylo… has none", biased.KernelFallback("H2"));
        foreach (XyloNetwork network in new[] { twoSynapses, biased })
            AssertSameResults(network, [SpikeRaster.Bernoulli(Batch, Steps, 13, 0.3, 6)]);
    }

    [Fact]
    public void Xylo_kernels_saturate_after_each_event_as_xylosim_does()
    {
        // Events 127 << 8, 127 << 8, −64 << 8 in one step: 32512, then 32767 (saturated), then 16383. Summed first they
        // would give 48640 → 32767. The decay (dash 15) takes its minimum step of 1.
        var hidden = new XyloNeuronGroup("H", 1, dashMem: [15], dashSyn: [[15]], threshold: [32767]);
        var readout = new XyloNeuronGroup("O", 1, dashMem: [15], dashSyn: [[15]], threshold: [32767]);
        var network = new XyloNetwork(("In", 3), [hidden], [readout], [127, 127, -64], null, [0], 8, 0, 0);
        var input = new SpikeRaster(1, 1, 3);
        for (int j = 0; j < 3; j++) input[0, 0, j] = true;
        foreach (QuantizedEngine engine in new[] { QuantizedEngine.Kernels, QuantizedEngine.Reference })
            Assert.Equal(16382, network.Simulate(input, new QuantizedSimulationOptions { Engine = engine, RecordAllStates = true }).States("H", "I")[0, 0, 0]);
    }

    // ---- SpiNNaker ----

    /// <summary>
    /// IF_curr_exp registers from random decays β, α ∈ [0.5, 0.95] (exp_TC = β·2^15, R = 2^15/(1 − β) so V ← βV + I up to
    /// the rounding, decay = α·2^32, init ∈ [0.3, 0.9]·2^32; the inhibitory receptor's own) and a threshold of
    /// <paramref name="threshold"/> float units.
    /// </summary>
    private static SpiNNakerLifParameters RandomParameters(Random random, double threshold)
    {
        double beta = 0.5 + 0.45 * random.NextDouble(), alpha = 0.5 + 0.45 * random.NextDouble(), init = 0.3 + 0.6 * random.NextDouble();
        uint Fraction(double x) => (uint)(x * 4294967296.0);
        return new SpiNNakerLifParameters(ExpTc: (int)(beta * 32768), Resistance: (int)(32768 / (1 - beta)), RestingVoltage: 0, ResetVoltage: 0,
            Threshold: (int)(threshold * 32768), OffsetCurrent: 0, RefractorySteps: 0,
            ExcitatoryDecay: Fraction(alpha), ExcitatoryInit: Fraction(init), InhibitoryDecay: Fraction(0.5 + 0.45 * random.NextDouble()), InhibitoryInit: Fraction(0.3 + 0.6 * random.NextDouble()));
    }

    private static SpiNNakerNetwork RandomSpiNNaker(int seed)
    {
        var random = new Random(seed);
        var populations = new List<SpiNNakerPopulation>
        {
            new("H1", 61, [RandomParameters(random, 6)], excitatoryShift: 2, inhibitoryShift: 0),
            new("H2", 37, [RandomParameters(random, 1.5)], excitatoryShift: 2, inhibitoryShift: 2),
            // Shift 15 with saturated ring buffers: inputs near 2^31, where the adds and exc − inh wrap and the products saturate.
            new("Readout", 11, [RandomParameters(random, 1000)], excitatoryShift: 15, inhibitoryShift: 15, isSpiking: false),
        };
        SpiNNakerConnection Projection(string name, string from, int pre, string to, int post, int low, int high) => new(name, from, to, Uniform(random, pre * post, low, high));
        var connections = new List<SpiNNakerConnection>
        {
            // Excitatory only into H1 (StepSpiNNaker); signed into H2 and Readout (StepSpiNNakerExcInh, both receptors).
            Projection("InToH1", "In", 37, "H1", 61, 0, 3000),
            Projection("H1ToH1", "H1", 61, "H1", 61, 0, 1500),
            Projection("H1ToH2", "H1", 61, "H2", 37, -2000, 6000),
            Projection("H2ToH2", "H2", 37, "H2", 37, -65535, 20000),
            Projection("H1ToReadout", "H1", 61, "Readout", 11, -65535, 65535),
        };
        return new SpiNNakerNetwork([("In", 37)], populations, connections, latency: new Dictionary<string, int> { ["H1"] = 1, ["H2"] = 2, ["Readout"] = 2 });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SpiNNaker_kernels_equal_the_reference(int seed)
    {
        SpiNNakerNetwork network = RandomSpiNNaker(seed);
        Assert.All(network.Layers.Skip(1), l => Assert.Null(network.KernelFallback(l.Name)));
        SpikeRaster[] input = [SpikeRaster.Bernoulli(Batch, Steps, 37, 0.3, seed)];
        AssertSpikesVary(network, input);
        Assert.Equal(65535, network.Simulate(input, new QuantizedSimulationOptions { Engine = QuantizedEngine.Reference }).PeakSynapticInput);   // a ring buffer saturates
        AssertSameResults(network, input);
    }

    [Theory]
    [InlineData("refractory", "it is refractory for 2 steps, and StepSpiNNaker has no refractory period")]
    [InlineData("rest", "V_rest, V_reset or I_offset is not 0, as StepSpiNNaker has them")]
    [InlineData("per-neuron", "its neurons have different parameters, and StepSpiNNaker takes one set per population")]
    [InlineData("delta", "it has delta synapses, and StepSpiNNaker is IF_curr_exp's exponential synapse")]
    public void SpiNNaker_populations_the_kernels_do_not_compute_run_on_the_reference(string variant, string reason)
    {
        // A population with signed weights into it that neither generated kernel computes: it keeps SpiNNakerLif, and both engines agree.
        var random = new Random(4);
        SpiNNakerLifParameters q = RandomParameters(random, 1.5);
        SpiNNakerLifParameters[] parameters = variant switch
        {
            "refractory" => [q with { RefractorySteps = 2 }],
            "rest" => [q with { RestingVoltage = 1 << 12 }],
            "per-neuron" => [.. Enumerable.Range(0, 37).Select(k => q with { Threshold = q.Threshold + k })],
            _ => [q],
        };
        var populations = new List<SpiNNakerPopulation>
        {
            new("H", 37, parameters, excitatoryShift: 2, inhibitoryShift: 2, shape: variant == "delta" ? SpiNNakerSynapseShape.Delta : SpiNNakerSynapseShape.Exponential),
        };
        var connections = new List<SpiNNakerConnection>
        {
            new("InToH", "In", "H", Uniform(random, 37 * 37, -2000, 6000)),
            new("HToH", "H", "H", Uniform(random, 37 * 37, -20000, 20000)),
        };
        var network = new SpiNNakerNetwork([("In", 37)], populations, connections);
        Assert.Equal(reason, network.KernelFallback("H"));
        AssertSameResults(network, [SpikeRaster.Bernoulli(Batch, Steps, 37, 0.3, seed: 4)]);
    }

    // ---- Quantized trained networks ----

    [Theory]
    [InlineData("Loihi")]
    [InlineData("SpiNNaker")]
    [InlineData("XyloAudio2")]
    [InlineData("XyloAudio3")]
    [InlineData("XyloImu")]
    public void Quantized_trained_networks_give_the_same_result_with_both_engines(string profile)
    {
        SpikeRaster input = SpikeRaster.Bernoulli(4, 30, 5, 0.3, seed: 11);
        QuantizedNetwork network;
        if (profile is "Loihi" or "SpiNNaker")
        {
            var net = new SmallZeroResetNet();
            net.InitializeWeights(seed: 8, scale: 3f);
            network = Quantizer.Quantize(net, profile == "Loihi" ? TargetProfiles.Loihi : TargetProfiles.SpiNNaker);
        }
        else
        {
            var net = new SmallCubaNet();
            net.InitializeWeights(seed: 8, scale: 3f);
            network = Quantizer.Quantize(net, Profile(profile));
        }
        // SpiNNaker's populations receive inhibitory weights there and run on StepSpiNNakerExcInh.
        if (network is SpiNNakerNetwork spinnaker)
            Assert.All(["Hidden", "Out"], p => Assert.Contains(spinnaker.Connections, c => c.To == p && c.Weights.Any(w => w < 0)));
        Assert.Null(network.KernelFallback("Hidden"));
        Assert.Null(network.KernelFallback("Out"));
        AssertSameResults(network, [input]);
    }

    [Fact]
    public void A_fixed_point_network_says_why_it_runs_on_the_reference()
    {
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 8, scale: 3f);
        QuantizedNetwork network = Quantizer.Quantize(net, TargetProfiles.Fixed(15, 16));
        Assert.Equal("a FixedProfile's formats are chosen at run time, while a generated StepFixed bakes one format at compile time", network.KernelFallback("Hidden"));
        Assert.Throws<ArgumentException>(() => network.KernelFallback("In"));
        AssertSameResults(network, [SpikeRaster.Bernoulli(2, 20, 5, 0.3, seed: 12)]);
    }
}
