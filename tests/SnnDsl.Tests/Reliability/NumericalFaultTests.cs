using SnnDsl.Data;
using SnnDsl.Tests.Data;
using SnnDsl.Tests.Reference;
using SnnDsl.Training;

namespace SnnDsl.Tests.Reliability;

/// <summary>Issue 12, item 2: the scenarios that used to fail silently, each now a named fault.</summary>
public class NumericalFaultTests
{
    /// <summary>Two classes: class 0 fires channels 0–2, class 1 channels 3–5, Bernoulli with probability p.</summary>
    internal static Dataset TwoClasses(int samples, int steps, int seed, double p = 0.2)
    {
        var random = new Random(seed);
        var raster = new SpikeRaster(samples, steps, 6);
        var labels = new int[samples];
        for (int b = 0; b < samples; b++)
        {
            labels[b] = random.Next(2);
            for (int t = 0; t < steps; t++)
                for (int c = 3 * labels[b]; c < 3 * labels[b] + 3; c++)
                    if (random.NextDouble() < p) raster[b, t, c] = true;
        }
        return new Dataset(raster, labels, 2);
    }

    private static Trainer TrainerFor(ISpikingNetwork network, TrainerOptions options, IObjective? objective = null, float learningRate = 1e-2f) =>
        new(network, objective ?? new ReadoutCrossEntropy("Out"), t => new Adam(t, learningRate), options);

    [Fact]
    public void Division_by_a_parameter_that_defaults_to_zero_is_reported_before_the_run()
    {
        var network = new TauNet();
        network.InitializeWeights(seed: 1, scale: 3f);
        Dataset data = TwoClasses(16, 20, seed: 2);

        var error = Assert.Throws<NumericalFaultException>(() => network.Simulate(data.Inputs));
        Assert.Equal((NumericalFaultKind.Parameter, "Hidden", "Tau", 0f), (error.Fault.Kind, error.Fault.Owner, error.Fault.Variable, error.Fault.Value));
        Assert.Equal("Population 'Hidden' (TauLif): in Integrate, (/ (state U) (param Tau)) divides by (param Tau) = 0, " +
            "so the dynamics are undefined; the parameter values are Tau = 0. Change this parameter before simulating or training.", error.Message);

        var training = Assert.Throws<NumericalFaultException>(() => TrainerFor(network, new TrainerOptions { Epochs = 1, BatchSize = 8 }).Fit(data));
        Assert.StartsWith("Before training: Population 'Hidden' (TauLif): in Integrate", training.Message);

        // What it replaces: unchecked, every membrane is NaN, nothing fires and the loss sits at ln 2.
        IReadOnlyList<EpochReport> silent = TrainerFor(network, new TrainerOptions { Epochs = 2, BatchSize = 8, NumericalChecks = NumericalCheckLevel.Off }).Fit(data);
        Assert.All(silent, r => Assert.Equal(MathF.Log(2f), r.Train.Loss, 1e-6f));

        network.Hidden.Parameter("Tau")[0] = 5f;
        Assert.True(network.Simulate(data.Inputs).Spikes("Hidden").Count() > 0);
    }

    [Fact]
    [Trait("Category", "Kernels")]   // the vector Exp and MathF.Exp both overflow to ∞, and the fault is found at every width
    public void An_exp_overflow_is_detected_and_named_with_sample_step_and_neuron()
    {
        var network = new RunawayNet();
        network.InitializeWeights(seed: 1);
        Dataset data = TwoClasses(8, 30, seed: 3, p: 0.3);
        Array.Fill(network.InToHidden.Weights, 0.2f);
        for (int post = 0; post < 12; post++) network.InToHidden[4, post] = 3f;   // class 1 drives channel 4 hard

        var error = Assert.Throws<NumericalFaultException>(() =>
            TrainerFor(network, new TrainerOptions { Epochs = 1, BatchSize = 8, Shuffle = false }).Fit(data));

        NumericalFault fault = error.Fault;
        Assert.Equal((NumericalFaultKind.State, "Hidden", "U", float.PositiveInfinity), (fault.Kind, fault.Owner, fault.Variable, fault.Value));
        Assert.Equal((1, 1), (fault.Epoch, fault.Batch));
        Assert.Contains("(call Exp (state U))", fault.Message);
        // The place: the earliest step with a non-finite membrane, the first sample and neuron there (found by brute force).
        StateRecording u = network.Simulate([data.Inputs], new SimulationOptions { RecordStates = ["Hidden.U"] }).States("Hidden", "U");
        (int step, int sample, int neuron) = (from t in Enumerable.Range(0, u.Steps)
                                              from b in Enumerable.Range(0, u.Batch)
                                              from i in Enumerable.Range(0, u.Neurons)
                                              where !float.IsFinite(u[b, t, i])
                                              select (t, b, i)).First();
        Assert.Equal((sample, step, neuron), (fault.Sample, fault.Step, fault.Index));
        Assert.Contains(FormattableString.Invariant($"became ∞ at sample {sample}, step {step}, neuron {neuron} (it was {u[sample, step - 1, neuron]:R} after step {step - 1})"), fault.Message);
        // The cause, replayed: the operation, its operand, the states before the step and the input.
        Assert.Contains(FormattableString.Invariant(
            $"Replayed in scalar arithmetic from the recorded states: in Integrate, (call Exp (state U)) overflows: Exp({u[sample, step - 1, neuron]:R}) = ∞ (states before the step: U = {u[sample, step - 1, neuron]:R}; input: input = "), fault.Message);

        // The value persists to the last step, so the cheap check finds it too.
        var cheap = Assert.Throws<NumericalFaultException>(() =>
            TrainerFor(network, new TrainerOptions { Epochs = 1, BatchSize = 8, Shuffle = false, NumericalChecks = NumericalCheckLevel.FinalStates }).Fit(data));
        Assert.Equal(fault.Description, cheap.Fault.Description);
    }

    [Fact]
    public void A_nan_threshold_is_named()
    {
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 1, scale: 3f);
        Dataset data = TwoClasses(8, 20, seed: 4);
        Assert.True(network.Simulate(data.Inputs).Spikes("Hidden").Count() > 0);

        network.Hidden.Parameter("Threshold")[0] = float.NaN;
        // Unchecked, nothing fires any more, silently.
        Assert.Equal(0, network.Simulate([data.Inputs]).Spikes("Hidden").Count());

        var error = Assert.Throws<NumericalFaultException>(() => network.Simulate(data.Inputs));
        Assert.Equal("Population 'Hidden' (CubaLif): parameter 'Threshold' is NaN; every comparison with NaN is false and every sum with it NaN, so the dynamics are undefined.", error.Message);
        var training = Assert.Throws<NumericalFaultException>(() => TrainerFor(network, new TrainerOptions { Epochs = 1 }).Fit(data));
        Assert.Equal((NumericalFaultKind.Parameter, "Hidden", "Threshold"), (training.Fault.Kind, training.Fault.Owner, training.Fault.Variable));
    }

    [Fact]
    public void Nan_weights_are_named_and_not_blamed_on_the_learning_rate()
    {
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 1, scale: 3f);
        network.Recurrent[2, 7] = float.NaN;
        network.Recurrent[3, 1] = float.NaN;

        var error = Assert.Throws<NumericalFaultException>(() => TrainerFor(network, new TrainerOptions { Epochs = 1 }).Fit(TwoClasses(8, 20, seed: 5)));

        Assert.Equal((NumericalFaultKind.Weight, "Recurrent", "weights", 2 * 12 + 7), (error.Fault.Kind, error.Fault.Owner, error.Fault.Variable, error.Fault.Index));
        Assert.Equal("Before training: Connection 'Recurrent' has weight NaN at [pre 2, post 7] (presynaptic 'Hidden', postsynaptic 'Hidden') (2 NaN and 0 infinite of 144 values).", error.Message);
        Assert.DoesNotContain("learning rate", error.Message);
    }

    [Theory]
    [InlineData("BPTT", 1e30f, 1e10f)]
    [InlineData("e-prop, updates every 10 steps", 1e25f, 1e20f)]
    public void Weights_the_optimizer_step_made_infinite_name_the_step(string method, float gradientScale, float learningRate)
    {
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 1, scale: 3f);
        // An exploding gradient (the readout's scaled up, e-prop's less so that its gradient stays finite) and a learning
        // rate that turns it into infinite weights. With e-prop updating within the sequences, the first of the batch's
        // updates already does, and is named before a second one is taken.
        GradientMethod gradientMethod = method == "BPTT" ? GradientMethod.Bptt : GradientMethod.Online(OnlineRule.EProp(), updateEvery: 10);
        var trainer = new Trainer(network, new Scaled(new ReadoutCrossEntropy("Out"), gradientScale), t => new Sgd(t, learningRate),
            new TrainerOptions { Epochs = 1, BatchSize = 8, Method = gradientMethod });

        var error = Assert.Throws<NumericalFaultException>(() => trainer.Fit(TwoClasses(16, 20, seed: 6)));

        Assert.Equal((NumericalFaultKind.Weight, 1, 1), (error.Fault.Kind, error.Fault.Epoch, error.Fault.Batch));
        Assert.StartsWith(FormattableString.Invariant($"Epoch 1, batch 1: The optimizer step (learning rate {learningRate}, gradients of global norm "), error.Message);
        Assert.Contains("a step cannot be skipped once taken. Connection '", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void A_gradient_fault_of_an_online_method_is_named_before_it_is_applied(int updateEvery)
    {
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 2, scale: 3f);
        float[][] before = network.Connections.Select(c => (float[])c.Weights.Clone()).ToArray();
        var options = new TrainerOptions { Epochs = 1, BatchSize = 4, Method = GradientMethod.Online(OnlineRule.EProp(), updateEvery) };

        var error = Assert.Throws<NumericalFaultException>(() =>
            TrainerFor(network, options, new Poisoned(new ReadoutCrossEntropy("Out"), NumericalFaultKind.Gradient, _ => true)).Fit(TwoClasses(8, 20, seed: 9)));

        // The learning signal is NaN at the last step of the batch's last sample: the objective is named, as with BPTT.
        Assert.StartsWith("Epoch 1, batch 1: The loss's gradient with respect to state 'U' of 'Out' is NaN at sample 3, step 19, neuron 1: the objective (Poisoned) produced it", error.Message);
        bool unchanged = network.Connections.Select(c => c.Weights).Zip(before).All(p => p.First.AsSpan().SequenceEqual(p.Second));
        if (updateEvery == 0)
        {
            // One update per batch: none was made.
            Assert.True(unchanged);
        }
        else
        {
            // Samples one after another, two updates per sample. E-prop's learning signal is filtered back through the
            // readout's leak, so the NaN reaches sample 3's first update: the 6 of samples 0–2 were checked, applied and stay.
            Assert.EndsWith(" (found before on-line update 7 of the batch; the 6 before it were applied and stay)", error.Message);
            Assert.False(unchanged);
        }
    }

    [Theory]
    [InlineData(NumericalFaultKind.Loss)]
    [InlineData(NumericalFaultKind.Gradient)]
    public void Skipped_batches_leave_the_weights_as_if_they_were_not_in_the_data(NumericalFaultKind poison)
    {
        // 6 batches of 4; batches 2 and 5 of every epoch get a NaN loss or a NaN upstream gradient.
        Dataset data = TwoClasses(24, 20, seed: 7);
        var skipping = new SmallClassifier();
        skipping.InitializeWeights(seed: 2, scale: 3f);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 4, Shuffle = false, OnNumericalFault = NumericalFaultAction.SkipBatch };
        IReadOnlyList<EpochReport> reports = TrainerFor(skipping, options, new Poisoned(new ReadoutCrossEntropy("Out"), poison, call => (call - 1) % 6 + 1 is 2 or 5)).Fit(data);

        // The same training on the data without those batches.
        int[] kept = [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23];
        var reference = new SmallClassifier();
        reference.InitializeWeights(seed: 2, scale: 3f);
        IReadOnlyList<EpochReport> expected = TrainerFor(reference, new TrainerOptions { Epochs = 2, BatchSize = 4, Shuffle = false }).Fit(data.Select(kept));

        for (int c = 0; c < reference.Connections.Count; c++) Assert.Equal(reference.Connections[c].Weights, skipping.Connections[c].Weights);
        Assert.Equal(expected.Select(r => r.Train), reports.Select(r => r.Train));
        Assert.All(reports, r => Assert.Equal(new[] { (poison, 2), (poison, 5) }, r.Faults.Select(f => (f.Kind, f.Batch))));
        Assert.All(expected, r => Assert.Empty(r.Faults));
    }

    [Fact]
    public void An_epoch_in_which_every_batch_faults_stops()
    {
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 2, scale: 3f);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 4, OnNumericalFault = NumericalFaultAction.SkipBatch };
        var error = Assert.Throws<NumericalFaultException>(() =>
            TrainerFor(network, options, new Poisoned(new ReadoutCrossEntropy("Out"), NumericalFaultKind.Loss, _ => true)).Fit(TwoClasses(12, 20, seed: 8)));
        Assert.StartsWith("Epoch 1: All 3 batches of the epoch had a numerical fault and were skipped; the first: The loss of Poisoned is NaN", error.Message);
    }

    public static TheoryData<NumericalFaultKind> RollbackFaults => [NumericalFaultKind.Loss, NumericalFaultKind.Gradient, NumericalFaultKind.Weight];

    /// <summary>
    /// 6 batches of 4 per epoch, checkpoints after epochs 2 and 4, and one fault in epoch 4, batch 5 (the 23rd batch): a
    /// NaN loss, a NaN upstream gradient, or a step that writes ∞ into a weight (which skipping cannot repair). The run
    /// returns to the checkpoint after epoch 2 and replays epochs 3 and 4 without that batch: its weights are, bit for
    /// bit, those of a run that skipped the batch in place (the shuffling generator, the optimizer's moments and the
    /// plateau schedule restored too), and so are the losses and learning rates of every epoch.
    /// </summary>
    [Theory]
    [MemberData(nameof(RollbackFaults))]
    public void A_rollback_restores_the_last_checkpoint_and_leaves_the_faulting_batch_out_of_the_replay(NumericalFaultKind fault)
    {
        using var folder = new TempFolder();
        Dataset data = TwoClasses(24, 20, seed: 7);
        // A step fault comes from the optimizer itself: a glitch at its 23rd step (of its life, so the replay does not repeat it).
        Func<IEnumerable<(string, float[], float[])>, Optimizer> Optimizer(int glitchAt) =>
            fault == NumericalFaultKind.Weight ? t => new GlitchingMomentum(t, 1e-4f, glitchAt) : t => new Adam(t, 1e-2f);
        TrainerOptions Options(NumericalFaultAction action, string? checkpoint) => new()
        {
            Epochs = 5, BatchSize = 4, Seed = 5, OnNumericalFault = action,
            Schedule = LearningRateSchedule.ReduceOnPlateau(factor: 0.5f, patience: 0, threshold: 0.05f),
            CheckpointPath = checkpoint, CheckpointEvery = checkpoint is null ? 0 : 2,
        };
        var progress = new List<EpochReport>();

        var rolled = new SmallClassifier();
        rolled.InitializeWeights(seed: 2, scale: 3f);
        IObjective objective = fault == NumericalFaultKind.Weight ? new ReadoutCrossEntropy("Out") : new Poisoned(new ReadoutCrossEntropy("Out"), fault, call => call == 23);
        string checkpoint = folder.File("run.snnc");
        IReadOnlyList<EpochReport> reports = new Trainer(rolled, objective, Optimizer(glitchAt: 23), Options(NumericalFaultAction.Rollback, checkpoint))
            .Fit(data, progress: new Progress(progress));

        var skipped = new SmallClassifier();
        skipped.InitializeWeights(seed: 2, scale: 3f);
        IReadOnlyList<EpochReport> expected = new Trainer(skipped, new Poisoned(new ReadoutCrossEntropy("Out"), NumericalFaultKind.Loss, call => call == 23),
            Optimizer(glitchAt: 0), Options(NumericalFaultAction.SkipBatch, null)).Fit(data);

        for (int c = 0; c < skipped.Connections.Count; c++) Assert.Equal(skipped.Connections[c].Weights, rolled.Connections[c].Weights);
        Assert.Equal(skipped.Hidden.Parameter("Beta"), rolled.Hidden.Parameter("Beta"));
        Assert.Equal(expected.Select(r => (r.Train, r.LearningRate)), reports.Select(r => (r.Train, r.LearningRate)));
        // Progress saw epoch 3 twice (before the fault and on the replay); the result has each epoch once.
        Assert.Equal([1, 2, 3, 3, 4, 5], progress.Select(r => r.Epoch));
        Assert.Equal([1, 2, 3, 4, 5], reports.Select(r => r.Epoch));
        NumericalFault leftOut = Assert.Single(reports[3].Faults);
        Assert.Equal((fault, 4, 5), (leftOut.Kind, leftOut.Epoch, leftOut.Batch));
        Assert.Contains(FormattableString.Invariant($" Rolled back to checkpoint '{checkpoint}', written after epoch 2: the weights, parameters and biases, the optimizer's state (step 12, learning rate "), leftOut.Message);
        Assert.EndsWith("the learning-rate schedule, the shuffling and augmentation generators and the early-stopping state; the batch is left out of the replay (rollback 1 of at most 3).", leftOut.Message);
        Assert.All(reports.Where(r => r.Epoch != 4), r => Assert.Empty(r.Faults));
    }

    [Fact]
    public void A_fault_before_the_first_checkpoint_stops_and_says_when_the_first_is_written()
    {
        using var folder = new TempFolder();
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 2, scale: 3f);
        var options = new TrainerOptions { Epochs = 3, BatchSize = 4, OnNumericalFault = NumericalFaultAction.Rollback, CheckpointPath = folder.File("run.snnc"), CheckpointEvery = 2 };

        var error = Assert.Throws<NumericalFaultException>(() =>
            TrainerFor(network, options, new Poisoned(new ReadoutCrossEntropy("Out"), NumericalFaultKind.Loss, call => call == 9)).Fit(TwoClasses(24, 20, seed: 7)));

        Assert.Equal((2, 3), (error.Fault.Epoch, error.Fault.Batch));
        Assert.StartsWith("Epoch 2, batch 3: The loss of Poisoned is NaN", error.Message);
        Assert.EndsWith(" There is no checkpoint to roll back to yet (OnNumericalFault = Rollback): the first is written after epoch 2 (TrainerOptions.CheckpointEvery).", error.Message);
    }

    [Fact]
    public void A_fault_that_comes_back_after_every_rollback_stops_after_max_rollbacks()
    {
        using var folder = new TempFolder();
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 2, scale: 3f);
        var options = new TrainerOptions
        {
            Epochs = 6, BatchSize = 4, MaxRollbacks = 2, OnNumericalFault = NumericalFaultAction.Rollback, CheckpointPath = folder.File("run.snnc"), CheckpointEvery = 2,
        };
        var trainer = TrainerFor(network, options, new Poisoned(new ReadoutCrossEntropy("Out"), NumericalFaultKind.Loss, call => call > 12));

        // Every batch from epoch 3 on faults: rolled back for batches 1 and 2 of epoch 3 (each left out of the next
        // replay), and batch 3's fault stops training instead of a third rollback.
        var error = Assert.Throws<NumericalFaultException>(() => trainer.Fit(TwoClasses(24, 20, seed: 7)));

        Assert.Equal((3, 3), (error.Fault.Epoch, error.Fault.Batch));
        Assert.StartsWith("Epoch 3, batch 3: The loss of Poisoned is NaN", error.Message);
        Assert.EndsWith(" Not rolled back again: training was rolled back 2 times already (TrainerOptions.MaxRollbacks), leaving out epoch 3 batch 1, epoch 3 batch 2, " +
                        "and the faults keep coming; lower the learning rate, clip the gradient (TrainerOptions.MaxGradientNorm) or check the data.", error.Message);
        Assert.Equal(2, trainer.EpochsCompleted);
    }

    [Fact]
    public void A_checkpoint_that_cannot_be_read_stops_the_rollback_and_restores_nothing()
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("run.snnc");
        Dataset data = TwoClasses(24, 20, seed: 7);
        TrainerOptions Options(NumericalFaultAction action) => new()
        {
            Epochs = 5, BatchSize = 4, OnNumericalFault = action, CheckpointPath = checkpoint, CheckpointEvery = 2,
        };
        // The checkpoint written after epoch 2 is corrupted (its last byte flipped) while epoch 3 is reported.
        var corrupting = new Progress(reports =>
        {
            if (reports[^1].Epoch != 3) return;
            byte[] bytes = File.ReadAllBytes(checkpoint);
            bytes[^1] ^= 0xFF;
            File.WriteAllBytes(checkpoint, bytes);
        });
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 2, scale: 3f);

        var error = Assert.Throws<NumericalFaultException>(() =>
            TrainerFor(network, Options(NumericalFaultAction.Rollback), new Poisoned(new ReadoutCrossEntropy("Out"), NumericalFaultKind.Loss, call => call == 23)).Fit(data, progress: corrupting));

        Assert.StartsWith("Epoch 4, batch 5: The loss of Poisoned is NaN", error.Message);
        Assert.Contains(FormattableString.Invariant($" Rolling back to checkpoint '{checkpoint}' failed, nothing was restored: "), error.Message);
        Assert.IsAssignableFrom<SnnDsl.Export.ModelFileException>(error.InnerException);
        // The weights are those the fault left, as stopping there leaves them.
        var stopped = new SmallClassifier();
        stopped.InitializeWeights(seed: 2, scale: 3f);
        Assert.Throws<NumericalFaultException>(() =>
            TrainerFor(stopped, Options(NumericalFaultAction.Stop), new Poisoned(new ReadoutCrossEntropy("Out"), NumericalFaultKind.Loss, call => call == 23)).Fit(data));
        for (int c = 0; c < stopped.Connections.Count; c++) Assert.Equal(stopped.Connections[c].Weights, network.Connections[c].Weights);
    }

    [Fact]
    public void Rollback_needs_checkpoints_and_at_least_one_rollback()
    {
        string Refusal(TrainerOptions options) => Assert.Throws<ArgumentException>(() => TrainerFor(new SmallClassifier(), options)).Message;

        Assert.StartsWith("TrainerOptions.OnNumericalFault = Rollback returns to the last checkpoint the trainer wrote; set CheckpointPath and CheckpointEvery.",
            Refusal(new TrainerOptions { OnNumericalFault = NumericalFaultAction.Rollback }));
        Assert.StartsWith("TrainerOptions.OnNumericalFault = Rollback returns to the last checkpoint",
            Refusal(new TrainerOptions { OnNumericalFault = NumericalFaultAction.Rollback, CheckpointPath = "run.snnc", CheckpointOnEarlyStop = true }));
        Assert.StartsWith("TrainerOptions.MaxRollbacks is 0; it must be at least 1.", Refusal(new TrainerOptions { MaxRollbacks = 0 }));
    }

    [Fact]
    public void A_gradient_fault_names_the_tensor_and_element()
    {
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 2, scale: 3f);
        var error = Assert.Throws<NumericalFaultException>(() =>
            TrainerFor(network, new TrainerOptions { Epochs = 1, BatchSize = 4 }, new Poisoned(new ReadoutCrossEntropy("Out"), NumericalFaultKind.Gradient, _ => true)).Fit(TwoClasses(8, 20, seed: 9)));
        // The objective's upstream gradient is the source: it is named, not the weight gradients it spread to.
        Assert.Equal((NumericalFaultKind.Gradient, "Out", "U", 3, 19, 1), (error.Fault.Kind, error.Fault.Owner, error.Fault.Variable, error.Fault.Sample, error.Fault.Step, error.Fault.Index));
        Assert.Equal("Epoch 1, batch 1: The loss's gradient with respect to state 'U' of 'Out' is NaN at sample 3, step 19, neuron 1: the objective (Poisoned) produced it.", error.Message);
    }

    [Fact]
    public void An_input_that_overflows_names_the_connection()
    {
        // Finite weights whose sum is not: two input spikes at 3·10³⁸ each.
        var network = new SmallClassifier();
        Array.Fill(network.InToHidden.Weights, 3e38f);
        Dataset data = TwoClasses(4, 10, seed: 5, p: 0.5);
        SimulationResult forward = network.Simulate([data.Inputs], new SimulationOptions { RecordAllStates = true });

        NumericalFault fault = NumericalChecks.FindStateFault(network, forward, [data.Inputs])!;

        Assert.Equal(("Hidden", "I"), (fault.Owner, fault.Variable));
        Assert.EndsWith("Replayed in scalar arithmetic from the recorded states: the input from connection 'InToHidden' to port 'input' is ∞ (its weighted spikes overflowed).", fault.Message);
        // Without the inputs there is no replay, and the message says what can do it.
        Assert.EndsWith("from its inputs: a weighted sum that overflowed, or a synapse's current.", NumericalChecks.FindStateFault(network, forward)!.Message);
    }

    [Fact]
    public void A_synapse_state_that_overflows_names_the_connection_and_its_drive()
    {
        var network = new Kernels.SynapseNet();
        network.InitializeWeights(seed: 1);
        Array.Fill(network.BToExc.Weights, 3e38f);   // a DifferenceOfExponentials synapse
        SpikeRaster[] inputs = [SpikeRaster.Bernoulli(3, 12, 24, 0.2, seed: 1), SpikeRaster.Bernoulli(3, 12, 9, 0.5, seed: 2)];
        SimulationResult forward = network.Simulate(inputs, new SimulationOptions { RecordAllStates = true });

        NumericalFault fault = NumericalChecks.FindStateFault(network, forward, inputs)!;

        Assert.Equal("BToExc", fault.Owner);
        Assert.StartsWith("The synapse of connection 'BToExc': state '", fault.Message);
        Assert.EndsWith("Replayed in scalar arithmetic from the recorded states: its weighted spikes (the drive of Deliver) are ∞: the sum of finite weights overflowed.", fault.Message);
    }

    [Fact]
    public void Evaluation_reports_a_fault_instead_of_a_chance_accuracy()
    {
        var network = new RunawayNet();
        Array.Fill(network.InToHidden.Weights, 3f);
        var trainer = TrainerFor(network, new TrainerOptions { BatchSize = 4 });
        var error = Assert.Throws<NumericalFaultException>(() => trainer.Evaluate(TwoClasses(8, 30, seed: 3, p: 0.3)));
        Assert.StartsWith("Evaluating samples 0–3: Population 'Hidden': state 'U' became ∞ at sample ", error.Message);
    }

    [Fact]
    public void Parameters_are_checked_through_the_dynamics_with_guards_and_per_neuron_values()
    {
        var network = new LogLeakNet();
        Assert.Null(NumericalChecks.FindParameterFault(network));

        network.Hidden.Parameter("Scale")[0] = 0f;   // Sqrt(0) = 0, and the guard Scale > 0 skips Log(0)
        Assert.Null(NumericalChecks.FindParameterFault(network));

        network.Hidden.Parameter("Scale")[0] = -1f;
        NumericalFault sqrt = NumericalChecks.FindParameterFault(network)!;
        Assert.Equal("Population 'Hidden' (LogLeakLif): in Integrate, (call Sqrt (param Scale)) takes the square root of -1 < 0, so the dynamics are undefined; " +
            "the parameter values are Scale = -1. Change this parameter before simulating or training.", sqrt.Description);

        network.Hidden.Parameter("Scale")[0] = 1f;
        network.Hidden.Parameter("TauSteps")[3] = 0f;
        NumericalFault division = NumericalChecks.FindParameterFault(network)!;
        Assert.Equal(("TauSteps", 3), (division.Variable, division.Index));
        Assert.Contains("(/ -1 (param TauSteps)) divides by (param TauSteps) = 0 (neuron 3)", division.Description);
    }

    [Theory]
    [InlineData("(block (set-state U (call Log (param P))))", 0f, "(call Log (param P)) takes the logarithm of 0 ≤ 0")]
    [InlineData("(block (set-state U (call Exp (* (param P) (state U)))) (set-state U (call Exp (param P))))", 100f, "(call Exp (param P)) overflows: Exp(100) = ∞")]
    [InlineData("(block (set-state U (call Pow (param P) (state U))))", -2f, "raises the negative base (param P) = -2 to a state-dependent power")]
    [InlineData("(block (set-local k (- (param P) 1)) (set-state U (/ (state U) (local k))))", 1f, "(/ (state U) (local k)) divides by (local k) = 0")]
    [InlineData("(block (set-state U (* (param P) 0)))", float.PositiveInfinity, "(* (param P) 0) is NaN: it combines ∞ and 0")]
    [InlineData("(block (set-state U (select (> (param P) 2.5) (call Sqrt (neg (param P))) 0)))", 3f, "(call Sqrt (neg (param P))) takes the square root of -3 < 0")]
    public void Undefined_operations_of_parameters_are_found_in_hand_written_ir(string integrate, float value, string expected)
    {
        var neuron = new NeuronDescriptor("Probe", ["U"], [new ParamDescriptor("P", 2f, false, false)], ["input"], null, integrate, null, null, null, false);
        var network = new FakeNetwork().Input("In", 2).Population("Cells", 3, neuron).Dense("In", "Cells");
        Assert.Null(NumericalChecks.FindParameterFault(network));
        network["Cells"].Parameter("P")[0] = value;
        NumericalFault fault = NumericalChecks.FindParameterFault(network)!;
        Assert.Equal(("Cells", "P"), (fault.Owner, fault.Variable));
        Assert.Contains(expected, fault.Description);
    }

    [Fact]
    public void An_undefined_constant_expression_is_reported_as_a_declaration_error()
    {
        var neuron = new NeuronDescriptor("Probe", ["U"], [], ["input"], null, "(block (set-state U (/ (state U) (- 1 1))))", null, null, null, false);
        NumericalFault fault = NumericalChecks.FindParameterFault(new FakeNetwork().Input("In", 2).Population("Cells", 3, neuron).Dense("In", "Cells"))!;
        Assert.Equal("Population 'Cells' (Probe): in Integrate, (/ (state U) (- 1 1)) divides by (- 1 1) = 0, so the dynamics are undefined; it does not depend on any parameter: fix the declaration.", fault.Description);
    }

    [Fact]
    public void A_synapse_parameter_is_checked_through_deliver()
    {
        var synapse = new SynapseDescriptor("Ratio", ["G"], [new ParamDescriptor("Tau", 2f, false, false)], "drive", [],
            "(block (set-state G (+ (state G) (/ (input drive) (param Tau)))))", "(state G)");
        var network = new FakeNetwork().Input("In", 2).Population("Cells", 3, TestModels.LeakyReadout).Dense("In", "Cells", name: "Feed", synapse: synapse);
        Assert.Null(NumericalChecks.FindParameterFault(network));
        network.Connections[0].SynapseParameter("Tau")[0] = 0f;
        NumericalFault fault = NumericalChecks.FindParameterFault(network)!;
        Assert.Equal(("Feed", "Tau"), (fault.Owner, fault.Variable));
        Assert.StartsWith("Connection 'Feed' (synapse Ratio): in Deliver, (/ (input drive) (param Tau)) divides by (param Tau) = 0", fault.Description);
    }

    [Fact]
    public void Every_built_in_neuron_and_synapse_passes_the_parameter_check_at_its_defaults()
    {
        foreach (ISpikingNetwork network in new ISpikingNetwork[] { new Kernels.SynapseNet(), new Kernels.PeerNet(), new Kernels.RecurrentNet() })
        {
            network.InitializeWeights(seed: 1);
            network.CheckModel();
        }
    }

    [Fact]
    [Trait("Category", "Kernels")]   // Vector512, Vector256 and scalar paths of the scan
    public void Finiteness_scan_finds_every_position_at_every_length()
    {
        for (int length = 0; length < 80; length++)
        {
            var values = new float[length];
            Assert.Equal(-1, NumericalChecks.IndexOfNonFinite(values));
            for (int k = 0; k < length; k++)
            {
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    values[k] = bad;
                    Assert.Equal(k, NumericalChecks.IndexOfNonFinite(values));
                    values[k] = float.MaxValue;
                }
            }
        }
    }

    /// <summary>Wraps an objective and multiplies its readout gradient by a factor.</summary>
    private sealed class Scaled(IObjective inner, float factor) : IObjective
    {
        public float Loss(SimulationResult forward, ReadOnlySpan<int> labels, BackwardUpstream upstream)
        {
            float loss = inner.Loss(forward, labels, upstream);
            StateRecording readout = forward.States("Out", "U");
            float[] gradient = upstream.State(SmallClassifier.Descriptor, "Out", "U", readout.Batch, readout.Steps)!;
            for (int k = 0; k < gradient.Length; k++) gradient[k] *= factor;
            return loss;
        }

        public void Predict(SimulationResult forward, Span<int> predictions) => inner.Predict(forward, predictions);
    }

    /// <summary>Collects the epoch reports as they come (synchronously, unlike <see cref="Progress{T}"/>), then tells <paramref name="then"/>.</summary>
    private sealed class Progress(List<EpochReport> reports, Action<List<EpochReport>>? then = null) : IProgress<EpochReport>
    {
        public Progress(Action<List<EpochReport>> then) : this([], then)
        {
        }

        public void Report(EpochReport value)
        {
            reports.Add(value);
            then?.Invoke(reports);
        }
    }

    /// <summary>
    /// Gradient descent with momentum 0.9 whose step number <paramref name="glitchAt"/> of its life (not of the run, so a
    /// replay does not repeat it) writes ∞ into the first parameter, as a hardware fault would.
    /// </summary>
    private sealed class GlitchingMomentum(IEnumerable<(string Name, float[] Value, float[] Gradient)> parameters, float learningRate, int glitchAt)
        : Optimizer(parameters, learningRate)
    {
        private readonly float[][] _velocity = parameters.Select(p => new float[p.Value.Length]).ToArray();
        private int _steps;

        protected override IReadOnlyList<(string Name, float[][] Arrays)> StateSlots => [("velocity", _velocity)];

        protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient)
        {
            float[] velocity = _velocity[index];
            for (int i = 0; i < value.Length; i++)
            {
                velocity[i] = 0.9f * velocity[i] + gradient[i];
                value[i] -= LearningRate * velocity[i];
            }
            if (index == 0 && ++_steps == glitchAt) value[0] = float.PositiveInfinity;
        }
    }

    /// <summary>Wraps an objective and poisons the batches it is called for the chosen times (1-based) with a NaN loss or upstream gradient.</summary>
    private sealed class Poisoned(IObjective inner, NumericalFaultKind kind, Func<int, bool> poisons) : IObjective
    {
        private int _calls;

        public float Loss(SimulationResult forward, ReadOnlySpan<int> labels, BackwardUpstream upstream)
        {
            float loss = inner.Loss(forward, labels, upstream);
            if (!poisons(++_calls)) return loss;
            if (kind == NumericalFaultKind.Loss) return float.NaN;
            // The objective's own gradient, NaN at the last step of the last sample's last readout neuron.
            StateRecording readout = forward.States("Out", "U");
            upstream.State(SmallClassifier.Descriptor, "Out", "U", readout.Batch, readout.Steps)![^1] = float.NaN;
            return loss;
        }

        public void Predict(SimulationResult forward, Span<int> predictions) => inner.Predict(forward, predictions);
    }
}
