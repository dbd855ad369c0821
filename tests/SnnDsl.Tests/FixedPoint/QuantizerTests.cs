using SnnDsl.FixedPoint;
using SnnDsl.Neurons;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>Input → CUBA LIF → leaky readout, small enough for Xylo.</summary>
[Network]
public partial class SmallCubaNet
{
    [Input(5)] public partial SpikeInput In { get; }
    [Population(12)] public partial Population<CubaLif> Hidden { get; }
    [Population(3)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>Recurrent LIF with a bias, two spiking populations, a readout.</summary>
[Network]
public partial class RecurrentLifNet
{
    [Input(6)] public partial SpikeInput In { get; }
    [Population(10)] public partial Population<Lif> First { get; }
    [Population(7)] public partial Population<CubaLif> Second { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(First))] public partial DenseSynapses InToFirst { get; }
    [Dense(nameof(First), nameof(First))] public partial DenseSynapses FirstRecurrent { get; }
    [Dense(nameof(First), nameof(Second))] public partial DenseSynapses FirstToSecond { get; }
    [Dense(nameof(Second), nameof(Out))] public partial DenseSynapses SecondToOut { get; }
    [Bias(nameof(First))] public partial Bias FirstBias { get; }
}

/// <summary>More input channels than Xylo has.</summary>
[Network]
public partial class WideInputNet
{
    [Input(20)] public partial SpikeInput In { get; }
    [Population(4)] public partial Population<CubaLif> Hidden { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>An input that drives the readout directly.</summary>
[Network]
public partial class SkipNet
{
    [Input(3)] public partial SpikeInput In { get; }
    [Population(4)] public partial Population<CubaLif> Hidden { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
}

/// <summary>A population of a neuron without an integer mapping.</summary>
[Network]
public partial class AdaptiveNet
{
    [Input(3)] public partial SpikeInput In { get; }
    [Population(4)] public partial Population<AdaptiveLif> Hidden { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
}

/// <summary>Post-training quantization: the mapping of each built-in, exactness where it is exact, and the errors.</summary>
public class QuantizerTests
{
    private static RecurrentLifNet DyadicRecurrentNet()
    {
        // Weights and biases k/16, every decay 0.5, ϑ = 1: each step adds at most one fraction bit, so over 12 steps every
        // value has ≤ 16 fraction bits and every float32 operation is exact.
        var net = new RecurrentLifNet();
        var random = new Random(5);
        foreach (Connection c in net.Connections)
            for (int k = 0; k < c.Weights.Length; k++) c.Weights[k] = random.Next(-12, 24) / 16f;
        foreach (ref float b in net.FirstBias.Values.AsSpan()) b = random.Next(-4, 8) / 16f;
        net.First.Parameter("Beta")[0] = 0.5f;
        net.Second.Parameter("Alpha")[0] = 0.5f;
        net.Second.Parameter("Beta")[0] = 0.5f;
        net.Out.Parameter("Alpha")[0] = 0.5f;
        net.Out.Parameter("Beta")[0] = 0.5f;
        return net;
    }

    [Fact]
    public void Fixed_profile_reproduces_the_float_network_where_the_arithmetic_is_exact()
    {
        RecurrentLifNet net = DyadicRecurrentNet();
        SpikeRaster input = SpikeRaster.Bernoulli(4, 12, 6, 0.3, seed: 6);
        SimulationResult expected = net.Simulate(input, new SimulationOptions { RecordAllStates = true });
        var quantized = (FixedPointNetwork)Quantizer.Quantize(net, TargetProfiles.Fixed(15, 16, Rounding.Floor, decayFractionBits: 16));
        QuantizedResult actual = quantized.Simulate(input, new QuantizedSimulationOptions { RecordAllStates = true });
        foreach (string population in new[] { "First", "Second" })
            Assert.Equal(expected.Spikes(population).Bits, actual.Spikes(population).Bits);
        foreach ((string population, string state) in new[] { ("First", "U"), ("Second", "I"), ("Second", "U"), ("Out", "I"), ("Out", "U") })
            Assert.Equal(expected.States(population, state).Values, actual.Float.States(population, state).Values);
        Assert.True(expected.Spikes("First").Count() > 20, "the test must exercise spikes");
        Assert.Equal(1.0, QuantizedEvaluation.Agreement(net, quantized, input, "Second").Dice);
    }

    [Fact]
    public void Fixed_profile_rejects_weights_outside_the_format_unless_clipping()
    {
        RecurrentLifNet net = DyadicRecurrentNet();
        net.FirstToSecond.Weights[7] = 9f;
        FixedProfile profile = TargetProfiles.Fixed(3, 12);
        var e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(net, profile));
        Assert.Contains("FirstToSecond.weight 7", e.Message);
        Assert.Contains("s3.12", e.Message);
        QuantizedNetwork clipped = Quantizer.Quantize(net, profile, new QuantizationOptions { ClipWeights = true });
        Assert.Equal(1, clipped.Report.Weights.Single(w => w.Connection == "FirstToSecond").Clipped);
    }

    [Fact]
    public void Loihi_mapping_converts_decays_thresholds_and_weights()
    {
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 2, scale: 2f);
        var loihi = (LoihiNetwork)Quantizer.Quantize(net, TargetProfiles.Loihi);
        LoihiPopulation hidden = loihi.Populations[0], readout = loihi.Populations[1];
        Assert.Equal(4095 - (int)Math.Round(4096 * 0.8187), hidden.Du);       // α = 0.8187 → du = 742
        Assert.Equal(4096 - (int)Math.Round(4096 * 0.9048), hidden.Dv);       // β = 0.9048 → dv = 390
        Assert.Equal(742, hidden.Du);
        Assert.False(readout.IsSpiking);
        // The largest weight into Hidden maps to ±254 (or −256) at weight_exp 0; vth = round(ϑ·s/2^6).
        Assert.Equal(Math.Round(hidden.Scale / 64), hidden.Threshold);
        int[] w = loihi.Connections[0].Weights;
        Assert.Equal(0, loihi.Connections[0].WeightExponent);
        Assert.InRange(w.Max(x => Math.Abs(x)), 254, 256);
        Assert.All(w, x => Assert.True(x % 2 == 0, "mixed-sign weights are even"));
        Assert.Equal(1, loihi.Latency("Hidden"));
        Assert.Equal(2, loihi.Latency("Out"));
        Assert.Contains(loihi.Report.Notes, n => n.Contains("sets v to 0"));
        ParameterChange alpha = loihi.Report.Parameters.Single(p => p.Owner == "Hidden" && p.Parameter == "Alpha");
        Assert.Equal((4095 - 742) / 4096.0, alpha.Represented, 12);
        Assert.True(alpha.RelativeError < 1e-3);
    }

    [Fact]
    public void Loihi_rejects_what_lava_cannot_represent()
    {
        var e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(new AdaptiveNet(), TargetProfiles.Loihi));
        Assert.Contains("Hidden", e.Message);
        Assert.Contains("AdaptiveLif", e.Message);

        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 2);
        e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(net, TargetProfiles.Loihi, new QuantizationOptions { Scaling = WeightScaling.PerChannel }));
        Assert.Contains("one vth per population", e.Message);

        RecurrentLifNet recurrent = DyadicRecurrentNet();
        recurrent.First.Parameter("Beta")[0] = 0f;   // dv would be 4096: the nearest is 1/4096
        Assert.NotNull(Quantizer.Quantize(recurrent, TargetProfiles.Loihi));   // absolute error 1/4096 < 10 %
        recurrent.Second.Parameter("Threshold")[0] = -1f;
        e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(recurrent, TargetProfiles.Loihi));
        Assert.Contains("Second.Threshold", e.Message);
    }

    [Fact]
    public void A_connection_below_the_weight_precision_is_an_error()
    {
        RecurrentLifNet net = DyadicRecurrentNet();
        foreach (ref float w in net.FirstRecurrent.Weights.AsSpan()) w *= 1e-6f;   // the smallest step at weight_exp −7 is far larger
        var e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(net, TargetProfiles.Loihi));
        Assert.Contains("FirstRecurrent.weights", e.Message);
        Assert.Contains("every weight rounds to 0", e.Message);
        Assert.Contains("weight_exp -7", e.Message);
    }

    [Fact]
    public void A_bias_on_a_current_based_neuron_has_no_chip_mapping()
    {
        RecurrentLifNet net = DyadicRecurrentNet();
        QuantizedNetwork loihi = Quantizer.Quantize(net, TargetProfiles.Loihi);    // the bias is on Lif: exact on Loihi
        Assert.Contains(((LoihiNetwork)loihi).Populations[0].BiasMantissa, m => m != 0);
        var e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(net, TargetProfiles.XyloAudio2));
        Assert.Contains("First.bias", e.Message);
        Assert.Contains("no bias", e.Message);
        Assert.NotNull(Quantizer.Quantize(net, TargetProfiles.XyloAudio3 with { MaxFanOut = 1024 }));   // xylosim v2 has a bias
    }

    [Fact]
    public void Xylo_snaps_decays_to_bit_shifts_and_reports_the_error()
    {
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 2, scale: 2f);
        var xylo = (XyloNetwork)Quantizer.Quantize(net, TargetProfiles.Xylo);
        XyloNeuronGroup hidden = xylo.Hidden[0];
        Assert.Equal(3, hidden.DashSyn[0][0]);     // α = 0.8187: 0.875 (dash 3) is nearer than 0.75 (dash 2)
        Assert.Equal(3, hidden.DashMem[0]);        // β = 0.9048: 0.875 is nearer than 0.9375
        ParameterChange alpha = xylo.Report.Parameters.Single(p => p.Owner == "Hidden" && p.Parameter == "Alpha");
        Assert.Equal(0.875, alpha.Represented);
        Assert.Equal((0.875 - 0.8187) / 0.8187, alpha.RelativeError, 4);
        Assert.Equal(0, xylo.Latency("Hidden"));
        Assert.Equal(1, xylo.Latency("Out"));
        Assert.InRange(xylo.WeightsIn.Max(w => Math.Abs((int)w)), 120, 127);
        Assert.True(hidden.Threshold[0] <= 32767 / 4);

        net.Hidden.Parameter("Alpha")[0] = 0.3f;
        var e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(net, TargetProfiles.Xylo));
        Assert.Contains("Hidden.Alpha", e.Message);
        Assert.Contains("nearest is 0.5 (dash_syn = 1)", e.Message);
        Assert.Contains("66.7%", e.Message);
        Assert.NotNull(Quantizer.Quantize(net, TargetProfiles.Xylo, new QuantizationOptions { MaxDecayError = 1 }));
    }

    [Fact]
    public void Xylo_per_channel_scaling_gives_each_neuron_its_own_threshold()
    {
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 3, scale: 2f);
        for (int j = 0; j < 5; j++) net.InToHidden[j, 0] *= 0.1f;    // neuron 0's inputs are ten times smaller
        var global = (XyloNetwork)Quantizer.Quantize(net, TargetProfiles.Xylo);
        var channel = (XyloNetwork)Quantizer.Quantize(net, TargetProfiles.Xylo, new QuantizationOptions { Scaling = WeightScaling.PerChannel });
        Assert.Single(global.Hidden[0].Threshold.Distinct());
        // θ_i = ϑ·127·2^shift / max_i |w/α'|: neuron 0's threshold is larger by the ratio of the largest weights.
        double Largest(int i) => Enumerable.Range(0, 5).Max(j => Math.Abs(net.InToHidden[j, i]));
        double expected = Largest(1) / Largest(0);
        Assert.Equal(expected, channel.Hidden[0].Threshold[0] / (double)channel.Hidden[0].Threshold[1], 0.02 * expected);
        Assert.True(expected > 4);
        // Per column, the largest |weight| maps to about ±127 — neuron 0 keeps its resolution.
        int largest0 = Enumerable.Range(0, 5).Max(j => Math.Abs((int)channel.WeightsIn[j * 12]));
        Assert.InRange(largest0, 110, 127);
        Assert.True(Enumerable.Range(0, 5).Max(j => Math.Abs((int)global.WeightsIn[j * 12])) < 20);
    }

    [Fact]
    public void Xylo_rejects_networks_the_device_cannot_hold()
    {
        var wide = new WideInputNet();
        wide.InitializeWeights(seed: 1);
        var e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(wide, TargetProfiles.XyloImu));
        Assert.Contains("20 input channels", e.Message);
        Assert.NotNull(Quantizer.Quantize(wide, TargetProfiles.XyloImu with { InputChannels = 32 }));   // the arithmetic alone
        var skip = new SkipNet();
        skip.InitializeWeights(seed: 1);
        e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(skip, TargetProfiles.Xylo));
        Assert.Contains("InToOut", e.Message);
        Assert.Contains("hidden neurons only", e.Message);
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 2);
        net.Out.Parameter("Alpha")[0] = 0f;
        e = Assert.Throws<ProfileLimitException>(() => Quantizer.Quantize(net, TargetProfiles.Xylo));
        Assert.Contains("Out.Alpha", e.Message);
        Assert.Contains("dash_syn ≥ 1", e.Message);
    }

    [Fact]
    public void SpiNNaker_mapping_keeps_unit_gain_and_conservative_ring_buffers()
    {
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 2, scale: 2f);
        var spinnaker = (SpiNNakerNetwork)Quantizer.Quantize(net, TargetProfiles.SpiNNaker);
        SpiNNakerPopulation hidden = spinnaker.Populations[0];
        SpiNNakerLifParameters p = hidden.Parameters[0];
        Assert.Equal((int)Math.Round(0.9048 * 32768), p.ExpTc);
        Assert.Equal(1.0, (1 - p.ExpTc / 32768.0) * p.Resistance / 32768.0, 3);
        Assert.Equal(32768, p.Threshold);
        Assert.Equal(SpiNNakerSynapseShape.Exponential, hidden.Shape);
        // Summed over every presynaptic neuron, the excitatory input of any neuron fits the 16-bit ring buffer.
        int[] w = spinnaker.Connections[0].Weights;
        for (int i = 0; i < 12; i++)
            Assert.True(Enumerable.Range(0, 5).Sum(j => Math.Max(0, w[j * 12 + i])) <= 65535);
        Assert.Equal(1, spinnaker.Latency("Hidden"));
        Assert.Equal(SpiNNakerSynapseShape.Delta, ((SpiNNakerNetwork)Quantizer.Quantize(DyadicRecurrentNet(), TargetProfiles.SpiNNaker)).Populations[0].Shape);
    }

    [Fact]
    public void Fake_quantized_weights_quantize_to_the_same_integers()
    {
        foreach (TargetProfile profile in new TargetProfile[] { TargetProfiles.Loihi, TargetProfiles.Xylo, TargetProfiles.SpiNNaker, TargetProfiles.Fixed(7, 12) })
        {
            var net = new SmallCubaNet();
            net.InitializeWeights(seed: 4, scale: 2f);
            QuantizedNetwork first = Quantizer.FakeQuantize(net, profile);
            float[] snapshot = net.InToHidden.Weights.ToArray();
            QuantizedNetwork second = Quantizer.FakeQuantize(net, profile);
            Assert.Equal(snapshot, net.InToHidden.Weights);
            SpikeRaster input = SpikeRaster.Bernoulli(3, 20, 5, 0.3, seed: 1);
            QuantizedResult a = first.Simulate(input, new QuantizedSimulationOptions { RecordAllStates = true });
            QuantizedResult b = second.Simulate(input, new QuantizedSimulationOptions { RecordAllStates = true });
            Assert.Equal(a.Spikes("Hidden").Bits, b.Spikes("Hidden").Bits);
            Assert.Equal(a.States("Out", "U").Values, b.States("Out", "U").Values);
        }
    }
}
