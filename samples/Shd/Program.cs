// Spiking Heidelberg Digits (Cramer, Stradmann, Schemmel & Zenke, IEEE TNNLS 2022): spoken digits 0–9 in English
// and German (20 classes) as spikes of 700 cochlea channels, trained with surrogate gradients and BPTT as in
// SpyTorch's tutorial 4: 700 inputs → 256 recurrent CUBA LIF → 20 leaky readouts, max-over-time cross-entropy.
//
// The data are not in this repository and cannot be downloaded by it. Get shd_train.h5.gz and shd_test.h5.gz from
// the Zenke lab's data set page (zenkelab.org, "Datasets"; mirrored by Tonic and snnTorch), unpack them with gunzip,
// then run:
//   dotnet run -c Release --project samples/Shd -- path/to/shd_train.h5 path/to/shd_test.h5 [--epochs N --seed N --shift S --out DIR]
// 10 % of the training file (a seeded random subset) is held out for validation; --shift S augments every training
// batch with a random time shift of up to ±S steps. Figures are written to DIR (default shd-output).
using System.Globalization;
using SnnDsl;
using SnnDsl.Data;
using SnnDsl.Encoding;
using SnnDsl.Neurons;
using SnnDsl.Samples;
using SnnDsl.Plotting;
using SnnDsl.Samples.Shd;
using SnnDsl.Terminal;
using SnnDsl.Training;

string[] paths = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
if (paths.Length != 2)
{
    Console.Error.WriteLine("""
        Usage: dotnet run -c Release --project samples/Shd -- path/to/shd_train.h5 path/to/shd_test.h5 [--epochs N --seed N --shift S --out DIR]

        This sample trains on the Spiking Heidelberg Digits (SHD) and needs its two HDF5 files, which are not part of
        this repository. Download shd_train.h5.gz and shd_test.h5.gz from the Zenke lab's data set page
        (zenkelab.org, "Datasets"; Cramer et al., IEEE TNNLS 2022), unpack them with gunzip and pass their paths.
        """);
    return 2;
}

int epochs = CommandLine.Int(args, "--epochs", 30);
int seed = CommandLine.Int(args, "--seed", 1);
int shift = CommandLine.Int(args, "--shift", 0);
string output = CommandLine.Value(args, "--out") ?? "shd-output";

Dataset trainFile, test;
try
{
    trainFile = Shd.Load(paths[0]);
    test = Shd.Load(paths[1]);
}
catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

// Seeded shuffle, then 90 % training and 10 % validation (the file is ordered, a plain split would be biased).
Dataset[] parts = trainFile.Select(trainFile.Permutation(seed)).Split(0.9, 0.1);
(Dataset train, Dataset validation) = (parts[0], parts[1]);
Console.WriteLine($"SHD: {train.Count} train / {validation.Count} validation / {test.Count} test, {train.Inputs.Steps} steps of {ShdNetwork.Bin * 1e3:F1} ms, SIMD {SpikeOps.ActiveSimdWidth}");

var network = new ShdNetwork();
network.InitializeWeights(seed);
// The readout sums its input over ~1/((1 − α)(1 − β)) steps: scaled down, the first logits stay O(1).
foreach (ref float w in network.HiddenToReadout.Weights.AsSpan()) w *= 0.05f;
var objective = new ReadoutCrossEntropy(nameof(ShdNetwork.Readout), TimeReduction.Max)
    .WithRegularizer(nameof(ShdNetwork.Hidden), new SpikeCountL1(1e-6f));
var trainer = new Trainer(network, objective, tensors => new Adam(tensors, learningRate: 2e-3f),
    new TrainerOptions
    {
        Epochs = epochs, BatchSize = 64, Seed = seed, MaxGradientNorm = 5f,
        Schedule = LearningRateSchedule.Cosine(epochs, minRate: 1e-4f),
        Augment = shift > 0 ? (batch, random) => batch.WithInputs(RasterAugment.TimeShift(batch.Inputs, shift, random)) : null,
    });

IReadOnlyList<EpochReport> reports = TrainingConsole.Fit(trainer, train, validation);
Evaluation result = trainer.Evaluate(test);
IReadOnlyList<string> figures = TrainingFigures.Write(output, network, reports, test.Select(Enumerable.Range(0, Math.Min(64, test.Count)).ToArray()).Inputs,
    nameof(ShdNetwork.Hidden), ["U", "I"], ShdNetwork.Bin, threshold: 1f);
Console.WriteLine($"figures: {string.Join(", ", figures.Select(Path.GetFullPath))}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {100 * result.Accuracy:F1}% (loss {result.Loss:F4})"));
return 0;

namespace SnnDsl.Samples.Shd
{
    /// <summary>
    /// SpyTorch tutorial 4's network. Its time step is one SHD bin, 1.4 s / 99 ≈ 14.1 ms (the loader's binning); the
    /// neurons keep the built-in decays per step, as SpyTorch keeps its per-step decays whatever the bin width.
    /// </summary>
    [Network(TimeStep = Bin)]
    public partial class ShdNetwork
    {
        /// <summary>Width of one SHD bin in seconds: max_time / (T − 1).</summary>
        public const double Bin = 1.4 / 99;

        [Input(700)] public partial SpikeInput Audio { get; }
        [Population(256)] public partial Population<CubaLif> Hidden { get; }
        [Population(20)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Audio), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
    }
}
