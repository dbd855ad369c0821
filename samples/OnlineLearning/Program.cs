// Forward-mode (online) learning next to BPTT on the same recurrent network: Yin-Yang (Kriener, Göltz & Petrovici 2021)
// and Randman (Zenke & Vogels 2021), each with a recurrent hidden layer of CUBA LIF neurons and a leaky readout,
// trained with BPTT, e-prop with symmetric and with random feedback (Bellec et al. 2020), and DECOLLE-style local
// losses (Kaiser, Mostafa & Neftci 2020). Same initial weights, optimizer, schedule and epochs for every method; the
// feed-forward weights start as in the YinYang and Randman samples (the recurrent connection is declared last, so
// the seeded initialization draws it last), the recurrent ones at a fifth of their default scale.
// Usage: dotnet run -c Release --project samples/OnlineLearning [-- --task yinyang|randman --method all|bptt|eprop|eprop-random|decolle --epochs N --seed N]
using System.Diagnostics;
using System.Globalization;
using SnnDsl;
using SnnDsl.Data;
using SnnDsl.Neurons;
using SnnDsl.Samples;
using SnnDsl.Samples.OnlineLearning;
using SnnDsl.Surrogates;
using SnnDsl.Terminal;
using SnnDsl.Training;

string task = CommandLine.Value(args, "--task") ?? "yinyang";
string method = CommandLine.Value(args, "--method") ?? "all";
int seed = CommandLine.Int(args, "--seed", 1);
var methods = new (string Name, GradientMethod Method)[]
{
    ("BPTT", GradientMethod.Bptt),
    ("e-prop (symmetric)", GradientMethod.Online(OnlineRule.EProp(Feedback.Symmetric))),
    ("e-prop (random)", GradientMethod.Online(OnlineRule.EProp(Feedback.Random, seed))),
    ("DECOLLE", GradientMethod.Online(OnlineRule.Decolle(seed))),
};
string[] keys = ["bptt", "eprop", "eprop-random", "decolle"];
if (method != "all" && !keys.Contains(method))
    throw new ArgumentException($"--method {method}: expected all, {string.Join(", ", keys)}.");

var results = new List<(string Name, Evaluation Test, TimeSpan Elapsed, int Epochs)>();
for (int m = 0; m < methods.Length; m++)
{
    if (method != "all" && keys[m] != method) continue;
    Console.WriteLine($"— {task}, {methods[m].Name}");
    var clock = Stopwatch.StartNew();
    (Evaluation test, int epochs) = task switch
    {
        "yinyang" => TrainYinYang(methods[m].Method, CommandLine.Int(args, "--epochs", 60), seed),
        "randman" => TrainRandman(methods[m].Method, CommandLine.Int(args, "--epochs", 40), seed),
        _ => throw new ArgumentException($"--task {task}: expected yinyang or randman."),
    };
    results.Add((methods[m].Name, test, clock.Elapsed, epochs));
}

Console.WriteLine();
Console.WriteLine($"{task}, recurrent hidden layer, seed {seed}, SIMD {SpikeOps.ActiveSimdWidth}:");
foreach ((string name, Evaluation test, TimeSpan elapsed, int epochs) in results)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-20} test accuracy {100 * test.Accuracy,5:F1}%   ({epochs} epochs, {elapsed.TotalSeconds:F0} s)"));

static (Evaluation Test, int Epochs) TrainYinYang(GradientMethod method, int epochs, int seed)
{
    Dataset train = YinYang.Train().ToSpikes(), validation = YinYang.Validation().ToSpikes(), test = YinYang.Test().ToSpikes();
    var network = new RecurrentYinYang();
    network.InitializeWeights(seed, scale: 2f);
    foreach (ref float w in network.HiddenRecurrent.Weights.AsSpan()) w *= 0.2f;
    var trainer = new Trainer(network, new ReadoutCrossEntropy(nameof(RecurrentYinYang.Readout), TimeReduction.Max),
        tensors => new Adam(tensors, learningRate: 2e-3f),
        new TrainerOptions { Epochs = epochs, BatchSize = 50, Seed = seed, MaxGradientNorm = 5f, Schedule = LearningRateSchedule.Step(1, 0.98f), Method = method });
    IReadOnlyList<EpochReport> reports = TrainingConsole.Fit(trainer, train, validation);
    return (trainer.Evaluate(test), reports.Count);
}

static (Evaluation Test, int Epochs) TrainRandman(GradientMethod method, int epochs, int seed)
{
    Dataset[] parts = Randman.CreateSpikingDataset(new RandmanSettings()).Split(0.8, 0.1, 0.1);
    FastSigmoid.Slope = 20f;                                   // SuperSpike β = 20, as stork
    var network = new RecurrentRandman();
    network.InitializeWeights(seed, scale: 1f);
    foreach (ref float w in network.HiddenRecurrent.Weights.AsSpan()) w *= 0.2f;
    foreach (ref float w in network.HiddenToReadout.Weights.AsSpan()) w *= 0.02f;
    var objective = new ReadoutCrossEntropy(nameof(RecurrentRandman.Readout), TimeReduction.Max)
        .WithRegularizer(nameof(RecurrentRandman.Hidden), new LowerBoundL2(100f, 1e-3f, ActivityScope.PerNeuron))
        .WithRegularizer(nameof(RecurrentRandman.Hidden), new UpperBoundL2(0.1f, 4f, ActivityScope.PopulationMean));
    var trainer = new Trainer(network, objective, tensors => new Adam(tensors, learningRate: 5e-3f),
        new TrainerOptions { Epochs = epochs, BatchSize = 250, Seed = seed, Schedule = LearningRateSchedule.Step(1, 0.97f), Method = method });
    IReadOnlyList<EpochReport> reports = TrainingConsole.Fit(trainer, parts[0], parts[1]);
    return (trainer.Evaluate(parts[2]), reports.Count);
}

namespace SnnDsl.Samples.OnlineLearning
{
    /// <summary>5 latency-coded inputs → 120 recurrent CUBA LIF → 3 leaky readouts.</summary>
    [Network]
    public partial class RecurrentYinYang
    {
        [Input(5)] public partial SpikeInput Input { get; }
        [Population(120)] public partial Population<CubaLif> Hidden { get; }
        [Population(3)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
        [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenRecurrent { get; }
    }

    /// <summary>20 inputs → 128 recurrent CUBA LIF → 10 leaky readouts (stork example 01's network plus recurrence).</summary>
    [Network(TimeStep = 2e-3)]
    public partial class RecurrentRandman
    {
        [Input(20)] public partial SpikeInput Input { get; }
        [Population(128)] public partial Population<CubaLif> Hidden { get; }
        [Population(10)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
        [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenRecurrent { get; }
    }
}
