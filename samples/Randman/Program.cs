// Randman (Zenke & Vogels 2021): random smooth manifolds, one class per manifold, each input unit firing one spike
// whose time encodes the manifold coordinate. Settings of stork's published example 01 (10 classes, 20 units,
// 100 steps, 1000 samples per class, split 80/10/10; one hidden layer of 128 LIF, τ_mem 20 ms, τ_syn 10 ms at
// Δt = 2 ms, SuperSpike β = 20, max-over-time cross-entropy, activity bounds), which reports 96.3 % test accuracy.
// One difference: the readout keeps the built-in τ_mem = 20 ms (β = 0.9048); with stork's 200 ms readout the max over
// time is dominated by slow accumulation and this network reached only 89 % here.
// Usage: dotnet run -c Release --project samples/Randman [-- --epochs N --seed N --sparse ε --out DIR]
// Figures of the run are written as PNG files to DIR (default randman-output).
using System.Globalization;
using SnnDsl;
using SnnDsl.Data;
using SnnDsl.Neurons;
using SnnDsl.Samples;
using SnnDsl.Plotting;
using SnnDsl.Samples.Randman;
using SnnDsl.Terminal;
using SnnDsl.Surrogates;
using SnnDsl.Training;

int epochs = CommandLine.Int(args, "--epochs", 100);
int seed = CommandLine.Int(args, "--seed", 1);
float sparseEpsilon = CommandLine.Float(args, "--sparse", 0f);   // sparse backward ε (0: exact)
string output = CommandLine.Value(args, "--out") ?? "randman-output";

Dataset[] parts = Randman.CreateSpikingDataset(new RandmanSettings()).Split(0.8, 0.1, 0.1);
(Dataset train, Dataset validation, Dataset test) = (parts[0], parts[1], parts[2]);
Console.WriteLine($"Randman: {train.Count} train / {validation.Count} validation / {test.Count} test, {train.Inputs.Neurons} units, {train.Inputs.Steps} steps, {train.Classes} classes, SIMD {SpikeOps.ActiveSimdWidth}");

FastSigmoid.Slope = 20f;                                   // SuperSpike β = 20, as stork
var network = new RandmanNetwork();
network.InitializeWeights(seed, scale: 1f);

// Input weights give ~2 spikes per hidden neuron per sample at the start (stork: 6.5 Hz over 200 ms ≈ 1.3).
// The readout sums its input over ~1/((1 − α)(1 − β)) ≈ 58 steps: scaling its weights down keeps the first logits
// O(1) (stork's fluctuation-driven initialization does the same through σ_U).
foreach (ref float w in network.HiddenToReadout.Weights.AsSpan()) w *= 0.02f;

SpikeRaster firstBatch = train.Select(Enumerable.Range(0, 250).ToArray()).Inputs;
double initialRate = (double)network.Simulate(firstBatch).Spikes(nameof(RandmanNetwork.Hidden)).Count() / (250 * 128);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"initial hidden activity: {initialRate:F2} spikes per neuron per sample"));

var objective = new ReadoutCrossEntropy(nameof(RandmanNetwork.Readout), TimeReduction.Max)
    .WithRegularizer(nameof(RandmanNetwork.Hidden), new LowerBoundL2(100f, 1e-3f, ActivityScope.PerNeuron))
    .WithRegularizer(nameof(RandmanNetwork.Hidden), new UpperBoundL2(0.1f, 4f, ActivityScope.PopulationMean));
var trainer = new Trainer(network, objective, tensors => new Adam(tensors, learningRate: 5e-3f),
    new TrainerOptions
    {
        Epochs = epochs, BatchSize = 250, Seed = seed, SparseEpsilon = sparseEpsilon, Patience = 30,
        Schedule = LearningRateSchedule.Step(1, 0.97f),   // exponential learning-rate decay per epoch
    });

IReadOnlyList<EpochReport> reports = TrainingConsole.Fit(trainer, train, validation);

Evaluation result = trainer.Evaluate(test);
IReadOnlyList<string> figures = TrainingFigures.Write(output, network, reports, test.Select(Enumerable.Range(0, 100).ToArray()).Inputs,
    nameof(RandmanNetwork.Hidden), ["U", "I"], timeStep: RandmanNetwork.Descriptor.TimeStep, threshold: 1f);
Console.WriteLine($"figures: {string.Join(", ", figures.Select(Path.GetFullPath))}");
Console.WriteLine("published (stork example 01, same data settings): 96.3%");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {100 * result.Accuracy:F1}%"));

namespace SnnDsl.Samples.Randman
{
    /// <summary>20 inputs → 128 CUBA LIF → 10 leaky readouts (stork example 01's shallow SNN).</summary>
    [Network(TimeStep = 2e-3)]
    public partial class RandmanNetwork
    {
        [Input(20)] public partial SpikeInput Input { get; }
        [Population(128)] public partial Population<CubaLif> Hidden { get; }
        [Population(10)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
    }
}
