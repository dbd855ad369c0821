// Yin-Yang (Kriener, Göltz & Petrovici 2021) trained with surrogate gradients and BPTT.
// The data set is the published generator, reproduced bit for bit (train 5000 / validation 1000 / test 1000 with the
// published seeds); each point is latency-coded as 4 single spikes (x, y, 1 − x, 1 − y) plus a bias spike.
// Usage: dotnet run -c Release --project samples/YinYang [-- --epochs N --seed N --sparse ε --out DIR]
// Training shows a live progress bar on a terminal (plain lines when redirected or under CI); the figures of the run
// (training curves, spike raster, traces, firing rates, weights) are written as PNG files to DIR (default yinyang-output),
// with a training checkpoint every 10 epochs (yinyang.snnc), the trained model (yinyang.snnm) and its NIR graph
// (yinyang.nir, unless training took a decay out of the [0, 1) NIR can express); both are read back and evaluated
// again to show that they hold the trained network.
using System.Globalization;
using SnnDsl;
using SnnDsl.Data;
using SnnDsl.Export.Nir;
using SnnDsl.Neurons;
using SnnDsl.Samples;
using SnnDsl.Plotting;
using SnnDsl.Samples.YinYang;
using SnnDsl.Terminal;
using SnnDsl.Training;

int epochs = CommandLine.Int(args, "--epochs", 150);
int seed = CommandLine.Int(args, "--seed", 1);
float sparseEpsilon = CommandLine.Float(args, "--sparse", 0f);   // sparse backward ε (0: exact)
string output = CommandLine.Value(args, "--out") ?? "yinyang-output";

Dataset train = YinYang.Train().ToSpikes(), validation = YinYang.Validation().ToSpikes(), test = YinYang.Test().ToSpikes();
Console.WriteLine($"Yin-Yang: {train.Count} train / {validation.Count} validation / {test.Count} test, {train.Inputs.Steps} steps, SIMD {SpikeOps.ActiveSimdWidth}");

Directory.CreateDirectory(output);
var network = new YinYangNetwork();
network.InitializeWeights(seed, scale: 2f);
var trainer = new Trainer(network, new ReadoutCrossEntropy(nameof(YinYangNetwork.Readout), TimeReduction.Max),
    tensors => new Adam(tensors, learningRate: 2e-3f),
    new TrainerOptions
    {
        Epochs = epochs, BatchSize = 50, Seed = seed, SparseEpsilon = sparseEpsilon, Patience = 40, MaxGradientNorm = 5f,
        Schedule = LearningRateSchedule.Step(1, 0.98f),   // exponential learning-rate decay per epoch
        CheckpointPath = Path.Combine(output, "yinyang.snnc"), CheckpointEvery = 10, CheckpointOnEarlyStop = true,   // resume: trainer.LoadCheckpoint
    });

IReadOnlyList<EpochReport> reports = TrainingConsole.Fit(trainer, train, validation);

Evaluation result = trainer.Evaluate(test);
IReadOnlyList<string> figures = TrainingFigures.Write(output, network, reports, test.Select(Enumerable.Range(0, 50).ToArray()).Inputs,
    nameof(YinYangNetwork.Hidden), ["U", "I"], timeStep: null, threshold: 1f);
Console.WriteLine($"figures: {string.Join(", ", figures.Select(Path.GetFullPath))}");

// The trained model as a SnnDsl model file, and as NIR for snnTorch, Norse, Rockpool, Sinabs, Spyx, lava-dl.
string modelPath = Path.Combine(output, "yinyang.snnm"), nirPath = Path.Combine(output, "yinyang.nir");
network.Save(modelPath, new Dictionary<string, string> { ["test-accuracy"] = result.Accuracy.ToString("R", CultureInfo.InvariantCulture) });
YinYangNetwork reloaded = YinYangNetwork.Load(modelPath);
Evaluation Accuracy(ISpikingNetwork n) => new Trainer(n, new ReadoutCrossEntropy(nameof(YinYangNetwork.Readout), TimeReduction.Max), t => new Adam(t)).Evaluate(test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model: {Path.GetFullPath(modelPath)} (reloaded: {100 * Accuracy(reloaded).Accuracy:F1}%)"));
try
{
    NirExporter.Write(network, nirPath);
    NirImport imported = NirImporter.Import(nirPath, new NirImportOptions { ClassName = nameof(YinYangNetwork) });
    imported.WriteModel(Path.Combine(output, "yinyang-from-nir.snnm"));
    YinYangNetwork fromNir = YinYangNetwork.Load(Path.Combine(output, "yinyang-from-nir.snnm"));   // the NIR graph imports to this very declaration
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NIR: {Path.GetFullPath(nirPath)} (re-imported: {100 * Accuracy(fromNir).Accuracy:F1}%)"));
}
catch (NirExportException e)
{
    // A decay trained up to its bound of exactly 1 (no leak) has no NIR time constant, τ = Δt/(1 − decay).
    Console.WriteLine($"NIR: not written: {e.Message}{(File.Exists(nirPath) ? $" ({Path.GetFullPath(nirPath)} is an earlier run's)" : "")}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {100 * result.Accuracy:F1}%"));

namespace SnnDsl.Samples.YinYang
{
    /// <summary>5 latency-coded inputs → a hidden layer of CUBA LIF neurons → 3 leaky readouts (exported to NIR: SNN0407 checks its neurons).</summary>
    [NirExportable]
    [Network]
    public partial class YinYangNetwork
    {
        public const int HiddenSize = 120;

        [Input(5)] public partial SpikeInput Input { get; }
        [Population(HiddenSize)] public partial Population<CubaLif> Hidden { get; }
        [Population(3)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
    }
}
