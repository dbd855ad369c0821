using SnnDsl.Data;
using SnnDsl.FixedPoint;
using SnnDsl.Training;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>Fake-quantized states in quantization-aware training (<see cref="StateQuantizer"/>).</summary>
public class StateQuantizerTests
{
    private static readonly QuantizationOptions Qat = new() { MaxDecayError = double.PositiveInfinity };

    /// <summary>Class c drives input channels c and c + 3 (rate 0.5); every channel fires at 0.05 besides.</summary>
    private static Dataset LearnableData(int count, int seed)
    {
        var random = new Random(seed);
        var raster = new SpikeRaster(count, 15, 5);
        int[] labels = new int[count];
        for (int b = 0; b < count; b++)
        {
            labels[b] = random.Next(3);
            for (int t = 0; t < 15; t++)
                for (int n = 0; n < 5; n++)
                    raster[b, t, n] = random.NextDouble() < (n == labels[b] || n == labels[b] + 3 ? 0.5 : 0.05);
        }
        return new Dataset(raster, labels, 3);
    }

    [Fact]
    public void Xylo_states_round_onto_each_neurons_grid_and_saturate_at_int16()
    {
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 3, scale: 2f);
        for (int j = 0; j < 5; j++) net.InToHidden[j, 0] *= 0.1f;    // per-channel scaling gives neuron 0 its own scale
        var xylo = (XyloNetwork)Quantizer.Quantize(net, TargetProfiles.Xylo, new QuantizationOptions { Scaling = WeightScaling.PerChannel });
        double[] scale = xylo.Hidden[0].Scale;
        Assert.Equal(12, scale.Length);
        Assert.True(scale[0] > 4 * scale[1]);

        // I_i = (k_i + 0.3)/s_i and U_i = (k_i − 0.4)/s_i stand for the raw k_i; neurons 0 and 1 lie beyond int16.
        int current = net.Hidden.Neuron.States.ToList().IndexOf("I"), membrane = net.Hidden.Neuron.States.ToList().IndexOf("U");
        float[][] states = net.Hidden.Neuron.States.Select(_ => new float[12]).ToArray();
        int[] raw = Enumerable.Range(0, 12).Select(i => 37 * i - 200).ToArray();
        for (int i = 0; i < 12; i++)
        {
            states[current][i] = (float)((raw[i] + 0.3) / scale[i]);
            states[membrane][i] = (float)((raw[i] - 0.4) / scale[i]);
        }
        states[current][0] = 1e6f;
        states[membrane][1] = -1e6f;
        new StateQuantizer(net, xylo).Integrating(0, 0, 0, 0, states, []);

        Assert.Equal((float)(short.MaxValue / scale[0]), states[current][0]);
        Assert.Equal((float)(short.MinValue / scale[1]), states[membrane][1]);
        for (int i = 1; i < 12; i++) Assert.Equal((float)(raw[i] / scale[i]), states[current][i]);
        for (int i = 0; i < 12; i++)
            if (i != 1) Assert.Equal((float)(raw[i] / scale[i]), states[membrane][i]);
    }

    [Fact]
    public void Loihi_states_saturate_at_24_bits_where_the_chip_wraps_the_current()
    {
        var net = new SmallZeroResetNet();
        net.InitializeWeights(seed: 4, scale: 2f);
        var loihi = (LoihiNetwork)Quantizer.Quantize(net, TargetProfiles.Loihi);
        double scale = loihi.Populations[0].Scale;
        int current = net.Hidden.Neuron.States.ToList().IndexOf("I"), membrane = net.Hidden.Neuron.States.ToList().IndexOf("U");
        float[][] states = net.Hidden.Neuron.States.Select(_ => new float[12]).ToArray();
        states[current][0] = (float)(1e9 / scale);
        states[current][1] = (float)(-1e9 / scale);
        states[membrane][0] = (float)(9e6 / scale);
        states[membrane][1] = (float)(1234.5 / scale);    // a tie rounds to even
        new StateQuantizer(net, loihi).Integrating(0, 0, 0, 0, states, []);
        Assert.Equal((float)(8388607 / scale), states[current][0]);
        Assert.Equal((float)(-8388607 / scale), states[current][1]);
        Assert.Equal((float)(8388607 / scale), states[membrane][0]);
        Assert.Equal((float)(1234 / scale), states[membrane][1]);
    }

    /// <summary>Quantizes like the trainer, then checks that every state a step starts from is on the chip's grid.</summary>
    private sealed class GridCheck(StateQuantizer quantizer, LoihiNetwork loihi, int[] states) : IStepObserver
    {
        public long OffGridBefore;
        public long Checked;
        public readonly List<string> Failures = [];

        // An integer to float precision: a float holds raw/s to 2^−24 of its value.
        private static bool OnGrid(double raw) => Math.Abs(raw - Math.Round(raw)) <= 1e-4 + Math.Abs(raw) * 1.2e-7;

        public void BeginSample(int chunk, int sample) { }
        public void Stepped(int chunk, int sample, int step, int population, ReadOnlySpan<ulong> spikes) { }
        public void EndSample(int chunk, int sample) { }

        public void Integrating(int chunk, int sample, int step, int population, float[][] h, float[][] ports)
        {
            double scale = loihi.Populations[population].Scale;
            foreach (int s in states)
                foreach (float v in h[s])
                    if (!OnGrid(v * scale)) OffGridBefore++;
            quantizer.Integrating(chunk, sample, step, population, h, ports);
            foreach (int s in states)
                foreach (float v in h[s])
                {
                    double raw = v * scale;
                    Checked++;
                    if (!OnGrid(raw) || Math.Abs(raw) > 8388607.5) Failures.Add($"population {population} step {step}: {raw}");
                }
        }
    }

    [Fact]
    public void Every_step_of_the_fake_quantized_forward_pass_starts_on_the_chip_grid()
    {
        var net = new SmallZeroResetNet();
        net.InitializeWeights(seed: 7, scale: 2f);
        var loihi = (LoihiNetwork)Quantizer.FakeQuantize(net, TargetProfiles.Loihi, Qat);
        int[] states = [net.Hidden.Neuron.States.ToList().IndexOf("I"), net.Hidden.Neuron.States.ToList().IndexOf("U")];
        Assert.Equal(states, new[] { net.Out.Neuron.States.ToList().IndexOf("I"), net.Out.Neuron.States.ToList().IndexOf("U") });
        var check = new GridCheck(new StateQuantizer(net, loihi), loihi, states);
        SimulationResult result = net.Simulate(LearnableData(16, 5).Inputs, new SimulationOptions { Observer = check, MaxDegreeOfParallelism = 1 });

        Assert.Empty(check.Failures);
        Assert.Equal(16L * 15 * (12 + 3) * 2, check.Checked);
        Assert.True(check.OffGridBefore > 1000, $"only {check.OffGridBefore} states were off the grid: the test would not see a missing rounding");
        Assert.True(result.Spikes("Hidden").Count() > 100);
    }

    /// <summary>The first epoch's loss (one batch, no shuffle) and the loss of the fake-quantized network simulated by hand.</summary>
    private static (float Trained, float ByHand, float WithoutStates) FirstEpoch(bool quantizeStates)
    {
        Dataset data = LearnableData(48, 11);
        var objective = new ReadoutCrossEntropy("Out");
        var net = new SmallZeroResetNet();
        net.InitializeWeights(seed: 7, scale: 2f);
        var trainer = new QuantizationAwareTrainer(net, TargetProfiles.Loihi, objective, t => new Adam(t, 5e-3f),
            new TrainerOptions { Epochs = 1, BatchSize = data.Count, Shuffle = false, Seed = 2 }) { QuantizeStates = quantizeStates };
        float trained = trainer.Fit(data)[0].Train.Loss;

        var twin = new SmallZeroResetNet();
        twin.InitializeWeights(seed: 7, scale: 2f);
        QuantizedNetwork quantized = Quantizer.FakeQuantize(twin, TargetProfiles.Loihi, Qat);
        float Loss(IStepObserver? observer) => objective.Loss(
            twin.Simulate(data.Inputs, new SimulationOptions { RecordAllStates = true, Observer = observer }), data.Labels, new BackwardUpstream());
        return (trained, Loss(quantizeStates ? new StateQuantizer(twin, quantized) : null), Loss(null));
    }

    [Fact]
    public void Qat_forward_passes_quantize_states_and_the_option_off_is_the_forward_pass_without_them()
    {
        (float on, float onByHand, float withoutStates) = FirstEpoch(quantizeStates: true);
        Assert.Equal(onByHand, on);
        Assert.NotEqual(withoutStates, on);
        (float off, float offByHand, _) = FirstEpoch(quantizeStates: false);
        Assert.Equal(offByHand, off);
        Assert.Equal(withoutStates, off);
    }

    [Fact]
    public void Qat_with_quantized_states_trains()
    {
        Dataset data = LearnableData(96, 13);
        var net = new SmallZeroResetNet();
        net.InitializeWeights(seed: 9, scale: 2f);
        var trainer = new QuantizationAwareTrainer(net, TargetProfiles.Loihi, new ReadoutCrossEntropy("Out"), t => new Adam(t, 1e-2f),
            new TrainerOptions { Epochs = 12, BatchSize = 16, Seed = 3 });
        Assert.True(trainer.QuantizeStates);
        IReadOnlyList<EpochReport> reports = trainer.Fit(data);
        Assert.True(reports[^1].Train.Loss < 0.8f * reports[0].Train.Loss, $"loss {reports[0].Train.Loss} → {reports[^1].Train.Loss}");
        Assert.True(trainer.Evaluate(data).Accuracy > 0.6f);
    }
}
