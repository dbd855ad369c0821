// An excitatory–inhibitory network with conductance synapses, delays, sparse and one-to-one connections and a bias,
// declared with the DSL: first simulated (how inhibition shapes the activity), then trained end to end on Randman
// with BPTT through the neurons, the conductance synapses and their delays.
// Usage: dotnet run -c Release --project samples/ExcitatoryInhibitory [-- --epochs N --seed N --out DIR]
using System.Globalization;
using SnnDsl;
using SnnDsl.Data;
using SnnDsl.Neurons;
using SnnDsl.Plotting;
using SnnDsl.Samples;
using SnnDsl.Samples.ExcitatoryInhibitory;
using SnnDsl.Surrogates;
using SnnDsl.Terminal;
using SnnDsl.Training;

int epochs = CommandLine.Int(args, "--epochs", 30);
int seed = CommandLine.Int(args, "--seed", 1);
string output = CommandLine.Value(args, "--out") ?? "ei-output";
Directory.CreateDirectory(output);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;

// ---- 1. Dynamics: 1 s of Poisson drive, with and without the inhibitory population's feedback.
Console.WriteLine($"E–I network: {Cortex.Descriptor.Layers[1].Size} excitatory, {Cortex.Descriptor.Layers[2].Size} inhibitory neurons; SIMD {SpikeOps.ActiveSimdWidth}");
SpikeRaster drive = SpikeRaster.Bernoulli(batch: 1, steps: 1000, neurons: 100, p: 0.02, seed: seed);  // 20 Hz at Δt = 1 ms
Console.WriteLine("condition            exc. rate (Hz)  inh. rate (Hz)");
foreach (bool inhibition in new[] { true, false })
{
    var cortex = new Cortex();
    cortex.Configure(seed, inhibition);
    SimulationResult run = cortex.Simulate(drive);
    double Rate(string population) => run.Spikes(population).Count() / (double)(run.Spikes(population).Neurons * 1.0);  // spikes per neuron per second
    Console.WriteLine($"{(inhibition ? "with inhibition" : "inhibition removed"),-20} {Rate(nameof(Cortex.Exc)),14:F1}  {Rate(nameof(Cortex.Inh)),14:F1}");
    SnnPlots.Raster([("excitatory", run.Spikes(nameof(Cortex.Exc))), ("inhibitory", run.Spikes(nameof(Cortex.Inh)))],
        timeStep: Cortex.Descriptor.TimeStep, title: inhibition ? "E–I network" : "E–I network, inhibition removed")
        .SavePng(Path.Combine(output, inhibition ? "raster.png" : "raster-without-inhibition.png"));
}

// ---- 2. Training: the same kind of circuit classifies Randman (10 classes of spike-timing patterns).
if (epochs == 0) return;
Dataset[] parts = Randman.CreateSpikingDataset(new RandmanSettings()).Split(0.8, 0.1, 0.1);
(Dataset train, Dataset validation, Dataset test) = (parts[0], parts[1], parts[2]);
FastSigmoid.Slope = 20f;
var classifier = new EiClassifier();
classifier.InitializeWeights(seed, scale: 1f);
classifier.InhToExc.SynapseParameter("Reversal")[0] = -1f;           // inhibitory reversal potential, below rest
foreach (ref float w in classifier.InhToExc.Weights.AsSpan()) w = MathF.Abs(w);   // conductances are non-negative
foreach (ref float w in classifier.ExcToReadout.Weights.AsSpan()) w *= 0.05f;
var objective = new ReadoutCrossEntropy(nameof(EiClassifier.Readout), TimeReduction.Max)
    .WithRegularizer(nameof(EiClassifier.Exc), new UpperBoundL2(0.1f, 4f, ActivityScope.PopulationMean));
var trainer = new Trainer(classifier, objective, tensors => new Adam(tensors, learningRate: 5e-3f),
    new TrainerOptions { Epochs = epochs, BatchSize = 250, Seed = seed, Patience = 10 });
TrainingConsole.Fit(trainer, train, validation);
Evaluation result = trainer.Evaluate(test);
Console.WriteLine($"trained: conductance decay {classifier.InToExc.SynapseParameter("Alpha")[0]:F4} (input), " +
                  $"{classifier.InhToExc.SynapseParameter("Alpha")[0]:F4} (inhibitory); mean bias {classifier.Tonic.Values.Average():F4}");
Console.WriteLine($"Randman test accuracy: {100 * result.Accuracy:F1}%");

namespace SnnDsl.Samples.ExcitatoryInhibitory
{
    /// <summary>LIF with an excitatory and an inhibitory port; conductance synapses deliver signed currents.</summary>
    [Neuron]
    public partial struct EiLif
    {
        [State] public float U;
        [Param(0.95f, Trainable = true)] public float Beta;
        [Param(1f)] public float Threshold;

        public void Integrate(float excitatory, float inhibitory) => U = Beta * U + excitatory + inhibitory;

        [Spike(typeof(FastSigmoid))]
        public bool Fires() => U > Threshold;

        public void Reset() => U = 0f;
    }

    /// <summary>
    /// Sparse thalamic drive and sparse recurrent excitation with per-synapse delays of 1–5 ms through conductance
    /// synapses, dense excitation of the inhibitory pool, inhibitory feedback with a 2 ms delay, and a tonic bias.
    /// </summary>
    [Network(TimeStep = 1e-3)]
    public partial class Cortex
    {
        [Input(100)] public partial SpikeInput Thalamus { get; }
        [Population(400)] public partial Population<EiLif> Exc { get; }
        [Population(100)] public partial Population<Lif> Inh { get; }
        [Sparse(nameof(Thalamus), nameof(Exc), Probability = 0.1, Seed = 1, Port = "excitatory", Synapse = typeof(Synapses.Conductance))]
        public partial SparseSynapses Drive { get; }
        [Sparse(nameof(Exc), nameof(Exc), Probability = 0.05, Seed = 2, Delay = 1, MaxDelay = 5, Port = "excitatory", Synapse = typeof(Synapses.Conductance))]
        public partial SparseSynapses Recurrent { get; }
        [Dense(nameof(Exc), nameof(Inh), Synapse = typeof(Synapses.ExponentialCurrent))]
        public partial DenseSynapses ExcToInh { get; }
        [Dense(nameof(Inh), nameof(Exc), Delay = 2, Port = "inhibitory", Synapse = typeof(Synapses.Conductance))]
        public partial DenseSynapses InhToExc { get; }
        [Bias(nameof(Exc), Port = "excitatory")]
        public partial Bias Tonic { get; }

        // Largest weight of each projection (weights are uniform in [0, this)): thalamic drive alone brings a neuron
        // near threshold; recurrent excitation then runs away (a few hundred Hz) unless inhibition holds it back.
        private const float DriveWeight = 0.015f, RecurrentWeight = 0.003f, ExcToInhWeight = 0.003f, InhToExcWeight = 0.01f;

        /// <summary>Random positive conductances, per-synapse delays, and the inhibitory reversal potential.</summary>
        public void Configure(int seed, bool inhibition)
        {
            var random = new Random(seed);
            foreach (SparseSynapses s in new[] { Drive, Recurrent })
                for (int k = 0; k < s.Weights.Length; k++) s.Weights[k] = DriveWeight * (float)random.NextDouble();
            Recurrent.Connect(Recurrent.PreIndex, Recurrent.PostIndex, [.. Recurrent.PreIndex.Select(_ => random.Next(1, 6))]);
            for (int k = 0; k < Recurrent.Weights.Length; k++) Recurrent.Weights[k] = RecurrentWeight * (float)random.NextDouble();
            for (int k = 0; k < ExcToInh.Weights.Length; k++) ExcToInh.Weights[k] = ExcToInhWeight * (float)random.NextDouble();
            for (int k = 0; k < InhToExc.Weights.Length; k++) InhToExc.Weights[k] = inhibition ? InhToExcWeight * (float)random.NextDouble() : 0f;
            InhToExc.SynapseParameter("Reversal")[0] = -1f;
            Array.Fill(Tonic.Values, 0.02f);
        }
    }

    /// <summary>Randman classifier: conductance input synapses, an inhibitory pool with delayed feedback, a bias.</summary>
    [Network(TimeStep = 2e-3)]
    public partial class EiClassifier
    {
        [Input(20)] public partial SpikeInput Input { get; }
        [Population(128)] public partial Population<EiLif> Exc { get; }
        [Population(32)] public partial Population<Lif> Inh { get; }
        [Population(10)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Exc), Port = "excitatory", Synapse = typeof(Synapses.Conductance))] public partial DenseSynapses InToExc { get; }
        [Dense(nameof(Exc), nameof(Inh))] public partial DenseSynapses ExcToInh { get; }
        [Dense(nameof(Inh), nameof(Exc), Delay = 2, Port = "inhibitory", Synapse = typeof(Synapses.Conductance))] public partial DenseSynapses InhToExc { get; }
        [Dense(nameof(Exc), nameof(Readout))] public partial DenseSynapses ExcToReadout { get; }
        [Bias(nameof(Exc), Port = "excitatory")] public partial Bias Tonic { get; }
    }
}
