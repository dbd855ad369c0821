using SnnDsl.Tests.Kernels;
using SnnDsl.Training;

namespace SnnDsl.Tests.Online;

/// <summary>DECOLLE's local learning signal, and forward-mode rules behind the trainer's API.</summary>
[Trait("Category", "Kernels")]
public class DecolleAndTrainerTests
{
    /// <summary>
    /// Without recurrence, DECOLLE's hidden gradient is the exact gradient of its local loss
    /// ℓ = (1/BT) Σ_{b,t} CE(softmax(Gᵀ S(t)), y_b): checked against BPTT given that loss's ∂ℓ/∂S as its upstream.
    /// </summary>
    [Fact]
    public void Decolle_hidden_gradient_is_the_gradient_of_its_local_loss()
    {
        var network = new FeedForwardNet();
        network.InitializeWeights(4, scale: 3f);
        (SpikeRaster[] inputs, int[] labels) = EPropTests.Data(network, batch: 5, seed: 4);
        SimulationResult forward = network.Simulate(inputs, new SimulationOptions { RecordAllStates = true });
        var upstream = new BackwardUpstream();
        new ReadoutCrossEntropy("Out", TimeReduction.Max).Loss(forward, labels, upstream);
        var engine = new ForwardMode(network, OnlineRule.Decolle(seed: 3));
        NetworkGradients decolle = engine.Gradients(inputs, upstream, labels);

        // The local loss's ∂ℓ/∂S_i(t) = Σ_c G_ic (softmax(Gᵀ S(t))_c − [c = y]) / (B·T), written out here independently.
        float[] g = engine.RandomWeights("Hidden");
        SpikeRaster spikes = forward.Spikes("Hidden");
        int batch = spikes.Batch, steps = spikes.Steps, n = spikes.Neurons, classes = 11;
        var local = new float[batch * steps * n];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                var y = new double[classes];
                for (int i = 0; i < n; i++)
                    if (spikes[b, t, i]) for (int c = 0; c < classes; c++) y[c] += g[i * classes + c];
                double max = y.Max(), total = y.Sum(v => Math.Exp(v - max));
                for (int i = 0; i < n; i++)
                {
                    double sum = 0;
                    for (int c = 0; c < classes; c++) sum += g[i * classes + c] * (Math.Exp(y[c] - max) / total - (c == labels[b] ? 1 : 0));
                    local[(b * steps + t) * n + i] = (float)(sum / (batch * steps));
                }
            }
        NetworkGradients expected = network.Backward(inputs, forward, new BackwardUpstream().WithSpikes("Hidden", local));
        ExactForwardModeTests.AssertClose("∂ℓ/∂InToHidden", [.. expected.Weight("InToHidden").Select(x => (double)x)], decolle.Weight("InToHidden"), 1e-4);
        // The readout is trained on the real loss, exactly.
        NetworkGradients bptt = network.Backward(inputs, forward, upstream);
        ExactForwardModeTests.AssertClose("∂L/∂HiddenToOut", [.. bptt.Weight("HiddenToOut").Select(x => (double)x)], decolle.Weight("HiddenToOut"), 1e-5);
    }

    [Fact]
    public void Trainer_with_exact_forward_mode_follows_bptt_on_one_layer()
    {
        float[] Train(GradientMethod method)
        {
            var network = new OneLayerClassifier();
            network.InitializeWeights(2, scale: 1f);
            var random = new Random(2);
            var data = new SnnDsl.Data.Dataset(SpikeRaster.Bernoulli(40, 20, 23, 0.2, seed: 9), [.. Enumerable.Range(0, 40).Select(_ => random.Next(7))], 7);
            var trainer = new Trainer(network, new ReadoutCrossEntropy("Out", TimeReduction.Mean), t => new Adam(t, 1e-2f),
                new TrainerOptions { Epochs = 3, BatchSize = 10, Method = method });
            trainer.Fit(data);
            return [.. network.InToOut.Weights, .. network.OutBias.Values];
        }
        float[] bptt = Train(GradientMethod.Bptt), online = Train(GradientMethod.Online(OnlineRule.Exact));
        ExactForwardModeTests.AssertClose("weights and biases after 3 epochs", [.. bptt.Select(x => (double)x)], online, 1e-4);
    }
}

/// <summary>One trainable layer: 23 inputs → 7 leaky readouts with a bias.</summary>
[Network]
public partial class OneLayerClassifier
{
    [Input(23)] public partial SpikeInput In { get; }
    [Population(7)] public partial Population<Neurons.LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

/// <summary>On-line updates within the sequences.</summary>
[Trait("Category", "Kernels")]
public class OnlineUpdateTests
{
    [Fact]
    public void Updates_every_k_steps_split_the_batch_gradient_into_pieces_that_add_up_to_it()
    {
        var network = new RecurrentLifNet();
        network.InitializeWeights(6, scale: 2f);
        (SpikeRaster[] inputs, int[] labels) = EPropTests.Data(network, batch: 3, seed: 6);
        SimulationResult forward = network.Simulate(inputs);
        var upstream = new BackwardUpstream();
        new ReadoutCrossEntropy("Out", TimeReduction.Mean).Loss(forward, labels, upstream);
        var engine = new ForwardMode(network, OnlineRule.EProp());
        NetworkGradients whole = engine.Gradients(inputs, upstream, labels);
        float[][] expected = [.. whole.Tensors().Select(t => (float[])t.Gradient.Clone())];

        // With an update that leaves the weights alone, the pieces must sum to the batch gradient.
        var pieces = new NetworkGradients(network);
        float[][] sum = [.. pieces.Tensors().Select(t => new float[t.Gradient.Length])];
        int updates = 0;
        engine.Learn(inputs, upstream, labels, updateEvery: 7, pieces, () =>
        {
            updates++;
            int k = 0;
            foreach ((string _, float[] _, float[] g) in pieces.Tensors()) SpikeOps.AddInPlace(sum[k++], g);
        });
        Assert.Equal(3 * (int)Math.Ceiling(40 / 7.0), updates);
        foreach ((float[] e, float[] s) in expected.Zip(sum))
            ExactForwardModeTests.AssertClose("Σ pieces", [.. e.Select(x => (double)x)], s, 1e-5);
    }

    [Fact]
    public void Trainer_updating_within_the_sequences_lowers_the_loss()
    {
        var network = new RecurrentLifNet();
        network.InitializeWeights(7, scale: 2f);
        (SpikeRaster[] inputs, int[] labels) = EPropTests.Data(network, batch: 12, seed: 7);
        var data = new SnnDsl.Data.Dataset(inputs[0], labels, 5);
        var trainer = new Trainer(network, new ReadoutCrossEntropy("Out", TimeReduction.Mean), t => new Adam(t, 2e-3f),
            new TrainerOptions { Epochs = 4, BatchSize = 6, Method = GradientMethod.Online(OnlineRule.EProp(), updateEvery: 10) });
        IReadOnlyList<EpochReport> reports = trainer.Fit(data);
        Assert.True(reports[^1].Train.Loss < reports[0].Train.Loss, $"loss {reports[0].Train.Loss} → {reports[^1].Train.Loss}");
    }
}
