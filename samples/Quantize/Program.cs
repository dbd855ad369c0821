// Train a spiking network in float, then deploy it to neuromorphic integer arithmetic: post-training quantization
// (PTQ) and quantization-aware training (QAT) to Loihi (Lava's bit-accurate LIF and Dense) and Xylo (xylosim), each
// evaluated on the integer reference simulator, with the spike agreement between the float and the integer network.
// The float network uses CubaLif (reset by subtracting ϑ, as Xylo does). Loihi and SpiNNaker reset to 0, so their QAT
// fine-tunes the chip's float twin, CubaLifZeroReset, starting from the float weights.
// Usage: dotnet run -c Release --project samples/Quantize [-- --dataset yinyang|randman --profiles loihi,xylo,spinnaker,fixed
//        --epochs N --qat-epochs N --seed N --scaling global|channel --membrane-penalty λ --quantize-states on|off]
// docs/fixed-point.md explains the mappings and lists the numbers this prints.
using System.Diagnostics;
using System.Globalization;
using SnnDsl;
using SnnDsl.Data;
using SnnDsl.FixedPoint;
using SnnDsl.Neurons;
using SnnDsl.Samples;
using SnnDsl.Samples.Quantize;
using SnnDsl.Surrogates;
using SnnDsl.Terminal;
using SnnDsl.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string dataset = CommandLine.Value(args, "--dataset") ?? "yinyang";
string[] profileNames = (CommandLine.Value(args, "--profiles") ?? "loihi,xylo").Split(',', StringSplitOptions.RemoveEmptyEntries);
int seed = CommandLine.Int(args, "--seed", 1);
WeightScaling scaling = CommandLine.Value(args, "--scaling") == "channel" ? WeightScaling.PerChannel : WeightScaling.Global;
bool yinYang = dataset == "yinyang";
if (!yinYang && dataset != "randman") throw new ArgumentException($"--dataset must be yinyang or randman, not '{dataset}'.");
int epochs = CommandLine.Int(args, "--epochs", yinYang ? 150 : 100);
int qatEpochs = CommandLine.Int(args, "--qat-epochs", yinYang ? 40 : 30);
// QAT rounds the float twin's states onto the chip's grid before every step (QuantizationAwareTrainer.QuantizeStates).
bool quantizeStates = (CommandLine.Value(args, "--quantize-states") ?? "on") switch
{
    "on" => true,
    "off" => false,
    var other => throw new ArgumentException($"--quantize-states must be on or off, not '{other}'."),
};

// Data and the float network, trained as samples/YinYang and samples/Randman train them.
Dataset train, validation, test;
ISpikingNetwork CreateNetwork() => yinYang ? new YinYangNetwork() : new RandmanNetwork();
ISpikingNetwork CreateZeroResetNetwork() => yinYang ? new YinYangZeroResetNetwork() : new RandmanZeroResetNetwork();
IObjective objective;
Func<float, TrainerOptions> trainerOptions;
if (yinYang)
{
    (train, validation, test) = (YinYang.Train().ToSpikes(), YinYang.Validation().ToSpikes(), YinYang.Test().ToSpikes());
    objective = new ReadoutCrossEntropy("Readout", TimeReduction.Max);
    trainerOptions = _ => new TrainerOptions { Epochs = epochs, BatchSize = 50, Seed = seed, Patience = 40, MaxGradientNorm = 5f, Schedule = LearningRateSchedule.Step(1, 0.98f) };
}
else
{
    Dataset[] parts = Randman.CreateSpikingDataset(new RandmanSettings()).Split(0.8, 0.1, 0.1);
    (train, validation, test) = (parts[0], parts[1], parts[2]);
    FastSigmoid.Slope = 20f;
    objective = new ReadoutCrossEntropy("Readout", TimeReduction.Max)
        .WithRegularizer("Hidden", new LowerBoundL2(100f, 1e-3f, ActivityScope.PerNeuron))
        .WithRegularizer("Hidden", new UpperBoundL2(0.1f, 4f, ActivityScope.PopulationMean));
    trainerOptions = _ => new TrainerOptions { Epochs = epochs, BatchSize = 250, Seed = seed, Patience = 30, Schedule = LearningRateSchedule.Step(1, 0.97f) };
}
Console.WriteLine($"{(yinYang ? "Yin-Yang" : "Randman")}: {train.Count} train / {validation.Count} validation / {test.Count} test, {train.Inputs.Neurons} inputs, {train.Inputs.Steps} steps");

ISpikingNetwork network = CreateNetwork();
network.InitializeWeights(seed, scale: yinYang ? 2f : 1f);
if (!yinYang) foreach (ref float w in network.Connections.Single(c => c.To == "Readout").Weights.AsSpan()) w *= 0.02f;
var clock = Stopwatch.StartNew();
var trainer = new Trainer(network, objective, t => new Adam(t, learningRate: yinYang ? 2e-3f : 5e-3f), trainerOptions(0));
trainer.Fit(train, validation, new EveryTenthEpoch());
float floatAccuracy = trainer.Evaluate(test).Accuracy;
Console.WriteLine($"float: test accuracy {100 * floatAccuracy:F1}% ({clock.Elapsed.TotalSeconds:F0} s)");
Console.WriteLine();

foreach (string name in profileNames)
{
    TargetProfile profile = name switch
    {
        "loihi" => TargetProfiles.Loihi,
        "xylo" => TargetProfiles.Xylo,
        "spinnaker" => TargetProfiles.SpiNNaker,
        "fixed" => TargetProfiles.Fixed(7, 8, Rounding.NearestEven, Overflow.Saturate, decayFractionBits: 8),
        _ => throw new ArgumentException($"Unknown profile '{name}': loihi, xylo, spinnaker or fixed."),
    };
    // Calibration: state ranges measured on 250 training samples set the readout's scale (Xylo's 16-bit states need it).
    var quantization = new QuantizationOptions { Scaling = scaling, MaxDecayError = 0.5, Calibration = train.Select(Enumerable.Range(0, 250).ToArray()).Inputs };

    // A chip that cannot hold the network says why; its arithmetic alone is still measured with the size limit lifted.
    try
    {
        Quantizer.Quantize(network, profile, quantization);
    }
    catch (ProfileLimitException e)
    {
        Console.WriteLine(e.Message);
        if (profile is not XyloProfile xylo) continue;
        profile = xylo with { InputChannels = Math.Max(xylo.InputChannels, train.Inputs.Neurons), OutputNeurons = Math.Max(xylo.OutputNeurons, 16) };
        Console.WriteLine($"{profile.Name}: measuring the arithmetic with the size limits lifted (not deployable as is).");
    }

    // Post-training quantization of the float network.
    QuantizedNetwork ptq = Quantizer.Quantize(network, profile, quantization);
    Console.Write(ptq.Report);
    Report($"{profile.Name} PTQ", ptq, network);

    // Quantization-aware training, starting from the float weights (with the chip's reset where it differs).
    bool zeroReset = profile is LoihiProfile or SpiNNakerProfile;
    ISpikingNetwork student = zeroReset ? CreateZeroResetNetwork() : CreateNetwork();
    CopyParameters(network, student);
    clock.Restart();
    // Xylo emits ⌊U/θ⌋ spikes in one step; the float neuron one, keeping the rest. QAT for Xylo bounds the membrane
    // after the reset by ϑ, so that one spike per step is also what the chip emits.
    float penalty = CommandLine.Float(args, "--membrane-penalty", 0.5f);
    IObjective qatObjective = profile is XyloProfile && penalty > 0 ? new MembraneBound(objective, "Hidden", 1f, penalty) : objective;
    var qat = new QuantizationAwareTrainer(student, profile, qatObjective, t => new Adam(t, learningRate: yinYang ? 1e-3f : 2e-3f),
        trainerOptions(0) is var o ? new TrainerOptions { Epochs = qatEpochs, BatchSize = o.BatchSize, Seed = seed + 1, Patience = 15, MaxGradientNorm = o.MaxGradientNorm, Schedule = LearningRateSchedule.Step(1, 0.95f) } : null,
        quantization) { QuantizeStates = quantizeStates };
    qat.Fit(train, validation, new EveryTenthEpoch());
    Console.WriteLine($"{profile.Name} QAT{(zeroReset ? " (CubaLifZeroReset)" : "")}: {qatEpochs} epochs at most, {clock.Elapsed.TotalSeconds:F0} s, states {(quantizeStates ? "" : "not ")}fake-quantized; the fake-quantized float network scores {100 * qat.Evaluate(test).Accuracy:F1}%");
    Report($"{profile.Name} QAT", qat.Quantized, student);
    // The twin with its states on the chip's grid too (what QAT's forward pass steps with QuantizeStates).
    SpikeRaster twinSpikes = student.Simulate([test.Inputs], new SimulationOptions { Observer = new StateQuantizer(student, qat.Quantized) }).Spikes("Hidden");
    SpikeAgreement twin = QuantizedEvaluation.Agreement("Hidden", twinSpikes, qat.Quantized.Simulate(test.Inputs).Spikes("Hidden"));
    Console.WriteLine($"{profile.Name} QAT: against the twin with fake-quantized states, hidden spikes same step {100 * twin.Dice:F1}% (Dice), within ±1 step {100 * twin.RecallWithinOneStep:F1}%");
    Console.WriteLine();
}

void Report(string label, QuantizedNetwork quantized, ISpikingNetwork reference)
{
    Evaluation integer = QuantizedEvaluation.Evaluate(quantized, objective, test);
    if (quantized is XyloNetwork)
    {
        byte[] counts = quantized.Simulate(test.Inputs).SpikeCounts("Hidden");
        long events = counts.Count(c => c > 0), multi = counts.Count(c => c > 1);
        Console.WriteLine($"{label}: {100.0 * multi / Math.Max(events, 1):F1}% of the chip's spike events carry 2 or more spikes (at most {counts.Max()})");
    }
    SpikeAgreement agreement = QuantizedEvaluation.Agreement(reference, quantized, test.Inputs, "Hidden");
    Console.WriteLine($"{label}: integer test accuracy {100 * integer.Accuracy:F1}% (float {100 * floatAccuracy:F1}%, {100 * (integer.Accuracy - floatAccuracy):+0.0;-0.0} points); " +
                      $"hidden spikes float {agreement.FloatSpikes} / integer {agreement.IntegerSpikes}, same step {100 * agreement.Dice:F1}% (Dice), within ±1 step {100 * agreement.RecallWithinOneStep:F1}% of the float spikes");
}

static void CopyParameters(ISpikingNetwork from, ISpikingNetwork to)
{
    for (int c = 0; c < from.Connections.Count; c++) from.Connections[c].Weights.CopyTo(to.Connections[c].Weights, 0);
    for (int p = 0; p < from.Populations.Count; p++)
        for (int k = 0; k < from.Populations[p].Neuron.Parameters.Count; k++) from.Populations[p].Parameter(k).CopyTo(to.Populations[p].Parameter(k), 0);
}

namespace SnnDsl.Samples.Quantize
{
    /// <summary>Prints every tenth epoch (and the last).</summary>
    internal sealed class EveryTenthEpoch : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Epoch % 10 == 0 || value.Epoch == value.Epochs || value.StoppedEarly) Console.WriteLine("  " + TrainingConsole.EpochLine(value));
        }
    }

    /// <summary>samples/YinYang's network: 5 latency-coded inputs → 120 CUBA LIF → 3 leaky readouts.</summary>
    [Network]
    public partial class YinYangNetwork
    {
        [Input(5)] public partial SpikeInput Input { get; }
        [Population(120)] public partial Population<CubaLif> Hidden { get; }
        [Population(3)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
    }

    /// <summary>The Yin-Yang network with the chips' reset to 0.</summary>
    [Network]
    public partial class YinYangZeroResetNetwork
    {
        [Input(5)] public partial SpikeInput Input { get; }
        [Population(120)] public partial Population<CubaLifZeroReset> Hidden { get; }
        [Population(3)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
    }

    /// <summary>The Randman network with the chips' reset to 0.</summary>
    [Network(TimeStep = 2e-3)]
    public partial class RandmanZeroResetNetwork
    {
        [Input(20)] public partial SpikeInput Input { get; }
        [Population(128)] public partial Population<CubaLifZeroReset> Hidden { get; }
        [Population(10)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
    }

    /// <summary>samples/Randman's network: 20 inputs → 128 CUBA LIF → 10 leaky readouts.</summary>
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
