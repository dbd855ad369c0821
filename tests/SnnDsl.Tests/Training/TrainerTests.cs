using SnnDsl.Data;
using SnnDsl.Neurons;
using SnnDsl.Surrogates;
using SnnDsl.Training;

namespace SnnDsl.Tests.Training;

/// <summary>A small Yin-Yang classifier for end-to-end training tests.</summary>
[Network]
public partial class TinyYinYang
{
    [Input(5)] public partial SpikeInput Input { get; }
    [Population(40)] public partial Population<CubaLif> Hidden { get; }
    [Population(3)] public partial Population<LeakyReadout> Readout { get; }
    [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
    [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
}

/// <summary>LIF with a trainable leak per neuron, declared in [0, 1].</summary>
[Neuron]
public partial struct PerNeuronLeakLif
{
    [State] public float U;
    [Param(0.5f, PerNeuron = true, Trainable = true, Min = 0f, Max = 1f)] public float Beta;

    public void Integrate(float input) => U = Beta * U + input;

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U >= 1f;

    public void Reset() => U -= 1f;
}

/// <summary>Yin-Yang through a hidden layer whose leak is trained per neuron.</summary>
[Network]
public partial class PerNeuronLeakNet
{
    [Input(5)] public partial SpikeInput Input { get; }
    [Population(12)] public partial Population<PerNeuronLeakLif> Hidden { get; }
    [Population(3)] public partial Population<LeakyReadout> Readout { get; }
    [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
    [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
}

public class TrainerTests
{
    private static readonly Dataset Train = YinYang.Generate(600, seed: 42).ToSpikes();
    private static readonly Dataset Test = YinYang.Generate(300, seed: 40).ToSpikes();

    private static (TinyYinYang Network, Trainer Trainer) Create(int threads, int epochs)
    {
        var network = new TinyYinYang();
        network.InitializeWeights(seed: 7, scale: 2f);
        var objective = new ReadoutCrossEntropy(nameof(TinyYinYang.Readout)).WithRegularizer(nameof(TinyYinYang.Hidden), new SpikeCountL1(1e-5f));
        var trainer = new Trainer(network, objective, t => new Adam(t, 3e-3f),
            new TrainerOptions { Epochs = epochs, BatchSize = 32, Seed = 3, MaxDegreeOfParallelism = threads, MaxGradientNorm = 5f });
        return (network, trainer);
    }

    [Fact]
    public void Training_lowers_the_loss_and_beats_chance_clearly()
    {
        (_, Trainer trainer) = Create(threads: 0, epochs: 8);
        Evaluation before = trainer.Evaluate(Test);
        IReadOnlyList<EpochReport> reports = trainer.Fit(Train);
        Evaluation after = trainer.Evaluate(Test);
        Assert.True(reports[^1].Train.Loss < 0.8f * reports[0].Train.Loss, $"loss {reports[0].Train.Loss} → {reports[^1].Train.Loss}");
        Assert.True(after.Loss < before.Loss, $"test loss {before.Loss} → {after.Loss}");
        Assert.True(after.Accuracy > 0.6f, $"test accuracy {after.Accuracy} (chance is 1/3)");
    }

    [Fact]
    public void Same_seed_gives_bit_identical_weights_whatever_the_thread_count()
    {
        (TinyYinYang one, Trainer oneTrainer) = Create(threads: 1, epochs: 2);
        (TinyYinYang many, Trainer manyTrainer) = Create(threads: 4, epochs: 2);
        oneTrainer.Fit(Train);
        manyTrainer.Fit(Train);
        for (int c = 0; c < one.Connections.Count; c++)
            Assert.Equal(one.Connections[c].Weights, many.Connections[c].Weights);
        Assert.Equal(one.Hidden.Parameter("Alpha"), many.Hidden.Parameter("Alpha"));
    }

    [Fact]
    public void Every_step_puts_the_decays_back_into_their_declared_bounds()
    {
        // CubaLif and LeakyReadout declare Alpha and Beta in [0, 1]; an optimizer that moves the hidden decays by ±0.3
        // per step takes them out within two steps unless the trainer projects them back after each.
        var network = new TinyYinYang();
        network.InitializeWeights(seed: 7, scale: 2f);
        var trainer = new Trainer(network, new ReadoutCrossEntropy(nameof(TinyYinYang.Readout)),
            t => new Shove(t, (name, _) => name switch { "Hidden.Alpha" => 1f, "Hidden.Beta" => -1f, _ => 0f }),
            new TrainerOptions { Epochs = 1, BatchSize = 100, Seed = 3 });

        trainer.Fit(Train);

        Assert.Equal([1f], network.Hidden.Parameter("Alpha"));
        Assert.Equal([0f], network.Hidden.Parameter("Beta"));
        Assert.Equal(CubaLif.Descriptor.Parameters.Select(p => (p.Name, p.Min, p.Max)),
            [("Alpha", 0f, 1f), ("Beta", 0f, 1f), ("Threshold", float.NegativeInfinity, float.PositiveInfinity)]);
    }

    /// <summary>Ignores the gradients: moves element i of parameter p by 0.3 · direction(p, i) every step.</summary>
    private sealed class Shove(IEnumerable<(string Name, float[] Value, float[] Gradient)> tensors, Func<string, int, float> direction) : Optimizer(tensors, 0.3f)
    {
        protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient)
        {
            for (int i = 0; i < value.Length; i++) value[i] += LearningRate * direction(Parameters[index].Name, i);
        }
    }

    [Fact]
    public void A_per_neuron_parameter_is_put_back_into_its_bounds_neuron_by_neuron()
    {
        var network = new PerNeuronLeakNet();
        network.InitializeWeights(seed: 7, scale: 2f);
        var trainer = new Trainer(network, new ReadoutCrossEntropy(nameof(PerNeuronLeakNet.Readout)),
            t => new Shove(t, (name, i) => name != "Hidden.Beta" ? 0f : (i % 3) switch { 0 => 1f, 1 => -1f, _ => 0f }),
            new TrainerOptions { Epochs = 1, BatchSize = 100, Seed = 3 });

        trainer.Fit(Train);

        // Neurons 0, 3, 6, … were pushed up, 1, 4, 7, … down, 2, 5, 8, … not at all.
        float[] expected = [.. Enumerable.Range(0, 12).Select(i => (i % 3) switch { 0 => 1f, 1 => 0f, _ => 0.5f })];
        Assert.Equal(expected, network.Hidden.Parameter("Beta"));
    }

    [Fact]
    public void The_gradients_put_bounded_parameters_back_for_a_loop_of_ones_own()
    {
        var network = new PerNeuronLeakNet();
        var gradients = new NetworkGradients(network);
        float[] beta = network.Hidden.Parameter("Beta"), alpha = network.Readout.Parameter("Alpha");
        beta[0] = 1.25f; beta[1] = -0.5f; beta[2] = float.NaN; beta[3] = 0.75f;
        alpha[0] = 2f;

        gradients.ProjectParametersOntoBounds();

        Assert.Equal([1f, 0f, float.NaN, 0.75f], beta[..4]);          // a NaN stays for the numerical checks
        Assert.Equal([1f], alpha);
    }

    [Fact]
    public void Progress_is_reported_every_epoch_and_the_best_validation_weights_are_restored()
    {
        var network = new TinyYinYang();
        network.InitializeWeights(seed: 7, scale: 2f);
        var trainer = new Trainer(network, new ReadoutCrossEntropy(nameof(TinyYinYang.Readout)), t => new Adam(t, 3e-3f),
            new TrainerOptions { Epochs = 6, Patience = 3, BatchSize = 32 });
        var seen = new List<int>();
        IReadOnlyList<EpochReport> reports = trainer.Fit(Train, Test, new Inline(r => seen.Add(r.Epoch)));
        Assert.Equal(Enumerable.Range(1, reports.Count), seen);
        float bestValidationLoss = reports.Min(r => r.Validation!.Value.Loss);
        Assert.Equal(bestValidationLoss, trainer.Evaluate(Test).Loss, 1e-5f);
    }

    private sealed class Inline(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}

/// <summary>A small Randman classifier (Zenke &amp; Vogels 2021 data, reduced).</summary>
[Network]
public partial class TinyRandman
{
    [Input(20)] public partial SpikeInput Input { get; }
    [Population(48)] public partial Population<CubaLif> Hidden { get; }
    [Population(4)] public partial Population<LeakyReadout> Readout { get; }
    [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
    [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
}

public class RandmanTrainingTests
{
    [Fact]
    public void Training_on_randman_lowers_the_loss_and_beats_chance_clearly()
    {
        Dataset[] parts = Randman.CreateSpikingDataset(new RandmanSettings(Classes: 4, Steps: 50, SamplesPerClass: 150, Seed: 3)).Split(0.8, 0.2);
        var network = new TinyRandman();
        network.InitializeWeights(seed: 5, scale: 1f);
        foreach (ref float w in network.HiddenToReadout.Weights.AsSpan()) w *= 0.05f;
        var trainer = new Trainer(network, new ReadoutCrossEntropy(nameof(TinyRandman.Readout)), t => new Adam(t, 5e-3f),
            new TrainerOptions { Epochs = 15, BatchSize = 40, Seed = 1 });
        IReadOnlyList<EpochReport> reports = trainer.Fit(parts[0]);
        Evaluation test = trainer.Evaluate(parts[1]);
        Assert.True(reports[^1].Train.Loss < 0.7f * reports[0].Train.Loss, $"loss {reports[0].Train.Loss} → {reports[^1].Train.Loss}");
        Assert.True(test.Accuracy > 0.5f, $"test accuracy {test.Accuracy} (chance is 1/4)");
    }
}
