using SnnDsl.Data;
using SnnDsl.FixedPoint;
using SnnDsl.Neurons;
using SnnDsl.Training;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>The chips' float twin as a network.</summary>
[Network]
public partial class SmallZeroResetNet
{
    [Input(5)] public partial SpikeInput In { get; }
    [Population(12)] public partial Population<CubaLifZeroReset> Hidden { get; }
    [Population(3)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>Quantization-aware training and the zero-reset twin.</summary>
public class QuantizationAwareTrainingTests
{
    private static Dataset RandomData(int count, int seed)
    {
        SpikeRaster inputs = SpikeRaster.Bernoulli(count, 15, 5, 0.25, seed);
        var random = new Random(seed);
        return new Dataset(inputs, Enumerable.Range(0, count).Select(_ => random.Next(3)).ToArray(), 3);
    }

    [Fact]
    public void Qat_trains_float_shadows_and_leaves_the_network_on_the_integer_grid()
    {
        var net = new SmallZeroResetNet();
        net.InitializeWeights(seed: 7, scale: 2f);
        var trainer = new QuantizationAwareTrainer(net, TargetProfiles.Loihi, new ReadoutCrossEntropy("Out"), t => new Adam(t, 5e-3f),
            new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 2 });
        float[] before = trainer.Shadows.First().Value.ToArray();
        trainer.Fit(RandomData(64, 3));

        // The optimizer moved the shadows; the network holds their fake-quantized values, which differ from them.
        float[] shadow = trainer.Shadows.First(s => s.Name == "InToHidden").Value;
        Assert.NotEqual(before, shadow);
        Assert.NotEqual(shadow, net.InToHidden.Weights);

        // The integer network QAT reports is the one the network's values quantize to.
        var deployed = (LoihiNetwork)Quantizer.Quantize(net, TargetProfiles.Loihi);
        var trained = (LoihiNetwork)trainer.Quantized;
        for (int c = 0; c < 2; c++) Assert.Equal(trained.Connections[c].Weights, deployed.Connections[c].Weights);
        Assert.Equal(trained.Populations[0].Du, deployed.Populations[0].Du);
        Assert.Equal(trained.Populations[0].Threshold, deployed.Populations[0].Threshold);
        // A weight on the grid: w·s/2^(6 + weight_exp) is an even integer (mixed sign mode).
        double step = Math.Pow(2, 6 + deployed.Connections[0].WeightExponent) / deployed.Populations[0].Scale;
        Assert.All(net.InToHidden.Weights, w => Assert.Equal(0, Math.IEEERemainder(w / step, 2), 3));
    }

    [Fact]
    public void Trainer_options_that_qat_does_not_carry_out_are_refused_by_name()
    {
        string Refusal(TrainerOptions options) => Assert.Throws<ArgumentException>(() =>
            new QuantizationAwareTrainer(new SmallZeroResetNet(), TargetProfiles.Loihi, new ReadoutCrossEntropy("Out"), t => new Adam(t, 5e-3f), options)).Message;

        Assert.StartsWith("QuantizationAwareTrainer does not support TrainerOptions Method = e-prop", Refusal(new TrainerOptions { Method = GradientMethod.Online(OnlineRule.EProp()) }));
        Assert.StartsWith("QuantizationAwareTrainer does not support TrainerOptions checkpoints", Refusal(new TrainerOptions { CheckpointPath = "qat.snnc", CheckpointEvery = 2 }));
        Assert.StartsWith("QuantizationAwareTrainer does not support TrainerOptions OnNumericalFault = SkipBatch", Refusal(new TrainerOptions { OnNumericalFault = NumericalFaultAction.SkipBatch }));
        Assert.StartsWith("QuantizationAwareTrainer does not support TrainerOptions OnNumericalFault = Rollback", Refusal(new TrainerOptions { OnNumericalFault = NumericalFaultAction.Rollback }));
    }

    [Fact]
    public void Zero_reset_twin_maps_onto_loihi_without_the_reset_note_and_matches_its_fixed_point_model()
    {
        var net = new SmallZeroResetNet();
        net.InitializeWeights(seed: 8, scale: 2f);
        QuantizedNetwork loihi = Quantizer.Quantize(net, TargetProfiles.Loihi);
        Assert.DoesNotContain(loihi.Report.Notes, n => n.Contains("subtracts"));

        // Dyadic values: the fixed-point model of the twin equals the float kernel exactly.
        var random = new Random(9);
        foreach (Connection c in net.Connections)
            for (int k = 0; k < c.Weights.Length; k++) c.Weights[k] = random.Next(-16, 32) / 16f;
        net.Hidden.Parameter("Alpha")[0] = 0.5f;
        net.Hidden.Parameter("Beta")[0] = 0.5f;
        net.Out.Parameter("Alpha")[0] = 0.5f;
        net.Out.Parameter("Beta")[0] = 0.5f;
        SpikeRaster input = SpikeRaster.Bernoulli(3, 12, 5, 0.3, seed: 10);
        SimulationResult expected = net.Simulate(input, new SimulationOptions { RecordAllStates = true });
        QuantizedResult actual = Quantizer.Quantize(net, TargetProfiles.Fixed(15, 16)).Simulate(input, new QuantizedSimulationOptions { RecordAllStates = true });
        Assert.Equal(expected.Spikes("Hidden").Bits, actual.Spikes("Hidden").Bits);
        Assert.Equal(expected.States("Hidden", "U").Values, actual.Float.States("Hidden", "U").Values);
        Assert.Equal(expected.States("Out", "U").Values, actual.Float.States("Out", "U").Values);
        Assert.True(expected.Spikes("Hidden").Count() > 10);
    }
}
