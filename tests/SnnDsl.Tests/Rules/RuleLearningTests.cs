using Xunit.Abstractions;
using SnnDsl.Rules;
using SnnDsl.Training;

namespace SnnDsl.Tests.Rules;

/// <summary>
/// The built-in rules learn: reward-modulated STDP a two-choice task from a reward alone (samples/RewardStdp at a
/// smaller scale), SuperSpike behind the trainer the same task from a spike-count loss.
/// </summary>
public class RuleLearningTests(ITestOutputHelper output)
{
    private const int Steps = 60;

    /// <summary>Pattern c: the 20 inputs of group c fire with p = 0.08 per step, the other 20 with p = 0.01.</summary>
    private static (SpikeRaster Inputs, int[] Labels) Trials(int count, int seed)
    {
        var random = new Random(seed);
        var raster = new SpikeRaster(count, Steps, 40);
        int[] labels = Enumerable.Range(0, count).Select(_ => random.Next(2)).ToArray();
        for (int b = 0; b < count; b++)
            for (int t = 0; t < Steps; t++)
                for (int j = 0; j < 40; j++)
                    if (random.NextDouble() < (j / 20 == labels[b] ? 0.08 : 0.01)) raster.Row(b, t)[j >> 6] |= 1UL << (j & 63);
        return (raster, labels);
    }

    /// <summary>Trials in which the neuron of the pattern fires more than the other.</summary>
    private static float Accuracy(ChoiceNet network, int seed)
    {
        (SpikeRaster inputs, int[] labels) = Trials(200, seed);
        SpikeRaster spikes = network.Simulate([inputs]).Spikes("Choice");
        return (float)Enumerable.Range(0, 200).Count(b => spikes.CountPerNeuron(b)[labels[b]] > spikes.CountPerNeuron(b)[1 - labels[b]]) / 200;
    }

    private static ChoiceNet Network(int seed)
    {
        var network = new ChoiceNet();
        var random = new Random(seed);
        for (int k = 0; k < network.Sensory.Weights.Length; k++) network.Sensory.Weights[k] = 0.15f + 0.1f * random.NextSingle();
        return network;
    }

    /// <summary>Trains with R-STDP; the dopamine rewards spikes of <paramref name="rewarded"/>(sample) and punishes the other neuron's.</summary>
    private static ChoiceNet TrainWithReward(Func<int[], int, int> rewarded)
    {
        ChoiceNet network = Network(1);
        var plasticity = new Plasticity(network);
        RuleBinding stdp = plasticity.Add<RewardStdp>(nameof(ChoiceNet.Sensory));
        stdp.WeightBounds = (0f, 0.6f);
        int[] labels = [];
        float dopamine = 0f;
        plasticity.Modulator = context =>
        {
            if (context.Step == 0) dopamine = 0f;
            int right = rewarded(labels, context.Sample);
            float reward = (context.Fired("Choice", right) ? 1f : 0f) - (context.Fired("Choice", 1 - right) ? 1f : 0f);
            return dopamine = 0.8f * dopamine + reward;
        };
        for (int block = 0; block < 10; block++)
        {
            (SpikeRaster inputs, labels) = Trials(20, 100 + block);
            plasticity.Simulate([inputs]);
        }
        return network;
    }

    [Fact]
    public void Reward_modulated_STDP_learns_the_choice_the_reward_asks_for()
    {
        float before = Accuracy(Network(1), seed: 7);

        float after = Accuracy(TrainWithReward((labels, sample) => labels[sample]), seed: 7);

        output.WriteLine($"R-STDP: accuracy {before:P1} → {after:P1}");
        Assert.True(before < 0.6f, $"before learning {before:P1}");
        Assert.True(after >= 0.9f, $"after 200 rewarded trials {after:P1}");
    }

    [Fact]
    public void Reward_modulated_STDP_learns_nothing_from_a_reward_that_ignores_the_stimulus()
    {
        // The same dopamine for the same spikes, but for a coin toss instead of the pattern.
        var coin = new Random(3);
        int[] tosses = Enumerable.Range(0, 20).Select(_ => coin.Next(2)).ToArray();

        float after = Accuracy(TrainWithReward((_, sample) => tosses[sample]), seed: 7);

        output.WriteLine($"R-STDP, reward for a coin toss: accuracy {after:P1}");
        Assert.True(after < 0.75f, $"after 200 trials rewarded at random {after:P1}");
    }

    [Fact]
    public void SuperSpike_behind_the_trainer_lowers_a_spike_count_loss_and_classifies()
    {
        var network = new ChoiceNet();
        network.InitializeWeights(seed: 2);
        (SpikeRaster trainInputs, int[] trainLabels) = Trials(200, 11);
        (SpikeRaster testInputs, int[] testLabels) = Trials(200, 12);
        var train = new SnnDsl.Data.Dataset(trainInputs, trainLabels, classes: 2);
        var test = new SnnDsl.Data.Dataset(testInputs, testLabels, classes: 2);
        var rules = new Plasticity(network);
        rules.Add<SuperSpike>(nameof(ChoiceNet.Sensory));
        var trainer = new Trainer(network, new SpikeCountCrossEntropy("Choice"), tensors => new Adam(tensors, 0.01f),
            new TrainerOptions { Epochs = 8, BatchSize = 20, Method = GradientMethod.Rule(rules) });
        Evaluation before = trainer.Evaluate(test);

        IReadOnlyList<EpochReport> reports = trainer.Fit(train);
        Evaluation after = trainer.Evaluate(test);

        output.WriteLine($"SuperSpike: test loss {before.Loss:F3} → {after.Loss:F3}, accuracy {before.Accuracy:P1} → {after.Accuracy:P1}");
        Assert.True(after.Loss < 0.5f * before.Loss, $"test loss {before.Loss:F3} → {after.Loss:F3}");
        Assert.True(after.Accuracy >= 0.9f, $"test accuracy {before.Accuracy:P1} → {after.Accuracy:P1}; epochs: {string.Join(", ", reports.Select(r => r.Train.Loss.ToString("F3")))}");
    }
}
