// Yin-Yang (Kriener, Göltz & Petrovici 2021) trained with surrogate gradients and BPTT.
// The data set is the published generator, reproduced bit for bit (train 5000 / validation 1000 / test 1000 with the
// published seeds); each point is latency-coded as 4 single spikes (x, y, 1 − x, 1 − y) plus a bias spike.
// Usage: dotnet run -c Release --project samples/YinYang [-- --epochs N --hidden N --seed N]
using System.Globalization;
using SnnDsl;
using SnnDsl.Data;
using SnnDsl.Neurons;
using SnnDsl.Samples.YinYang;
using SnnDsl.Training;

int epochs = Argument(args, "--epochs", 150);
int hidden = Argument(args, "--hidden", YinYangNetwork.HiddenSize);
int seed = Argument(args, "--seed", 1);
if (hidden != YinYangNetwork.HiddenSize)
    Console.Error.WriteLine($"note: the hidden size is fixed at compile time ({YinYangNetwork.HiddenSize}); --hidden is ignored.");

Dataset train = YinYang.Train().ToSpikes(), validation = YinYang.Validation().ToSpikes(), test = YinYang.Test().ToSpikes();
Console.WriteLine($"Yin-Yang: {train.Count} train / {validation.Count} validation / {test.Count} test, {train.Inputs.Steps} steps, SIMD {SpikeOps.ActiveSimdWidth}");

var network = new YinYangNetwork();
network.InitializeWeights(seed, scale: 2f);
var trainer = new Trainer(network, new ReadoutCrossEntropy(nameof(YinYangNetwork.Readout), TimeReduction.Max),
    tensors => new Adam(tensors, learningRate: 2e-3f),
    new TrainerOptions { Epochs = epochs, BatchSize = 50, Seed = seed, Patience = 40, MaxGradientNorm = 5f });

IProgress<EpochReport> progress = new SynchronousProgress<EpochReport>(r => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"epoch {r.Epoch,3}/{r.Epochs}  loss {r.Train.Loss:F4}  train {r.Train.Accuracy:P1}  validation {r.Validation?.Accuracy:P1}  ({r.Elapsed.TotalSeconds:F1} s){(r.StoppedEarly ? "  early stop" : "")}")));
trainer.Fit(train, validation, new SynchronousProgress<EpochReport>(r =>
{
    progress.Report(r);
    trainer.Optimizer.LearningRate *= 0.98f;   // exponential learning-rate decay per epoch
}));

Evaluation result = trainer.Evaluate(test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {100 * result.Accuracy:F1}%"));

static int Argument(string[] args, string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

namespace SnnDsl.Samples.YinYang
{
    /// <summary>5 latency-coded inputs → recurrent-free hidden CUBA LIF layer → 3 leaky readouts.</summary>
    [Network]
    public partial class YinYangNetwork
    {
        public const int HiddenSize = 120;

        [Input(5)] public partial SpikeInput Input { get; }
        [Population(HiddenSize)] public partial Population<CubaLif> Hidden { get; }
        [Population(3)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Hidden))] public partial Synapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial Synapses HiddenToReadout { get; }
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool and can print out of order).</summary>
    internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
