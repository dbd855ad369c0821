using System.Diagnostics;
using SnnDsl.Data;

namespace SnnDsl.Training;

/// <summary>Settings of <see cref="Trainer"/>.</summary>
public sealed class TrainerOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per mini-batch (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seed of the per-epoch shuffling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Shuffle the training set each epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Clip the gradient to this global L2 norm before each step; 0 disables clipping.</summary>
    public float MaxGradientNorm { get; init; }

    /// <summary>Stop after this many epochs without a better validation loss (0: never stop early).</summary>
    public int Patience { get; init; }

    /// <summary>Sparse backward threshold ε (see <see cref="BackwardOptions.SparseEpsilon"/>); 0 is exact.</summary>
    public float SparseEpsilon { get; init; }

    /// <summary>Upper bound on worker threads; 0 uses every core. The trained weights do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Learning-rate schedule applied after every epoch (null: constant rate).</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>
    /// Augmentation of every training mini-batch before its forward pass, e.g.
    /// <c>(batch, random) => batch.WithInputs(RasterAugment.TimeShift(batch.Inputs, 5, random))</c>. The
    /// <see cref="Random"/> is seeded from <see cref="Seed"/> once per <see cref="Trainer.Fit"/> and passed to every
    /// batch in order, so a run stays reproducible. Validation and evaluation data are never augmented.
    /// </summary>
    public Func<Dataset, Random, Dataset>? Augment { get; init; }

    /// <summary>How gradients are computed: <see cref="GradientMethod.Bptt"/> (default) or a forward-mode rule, <see cref="GradientMethod.Online"/>.</summary>
    public GradientMethod Method { get; init; } = GradientMethod.Bptt;
    /// <summary>
    /// Where <see cref="Trainer.Fit"/> writes checkpoints (<see cref="Trainer.SaveCheckpoint"/>), atomically; a
    /// <c>{epoch}</c> in the path is replaced by the epoch number (to keep one file per checkpoint). Null: none.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Write a checkpoint after every this many epochs (epochs k, 2k, …); 0: only as <see cref="CheckpointOnEarlyStop"/> says.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Write a checkpoint when training stops early (before the best weights are restored).</summary>
    public bool CheckpointOnEarlyStop { get; init; }

    /// <summary>
    /// What a NaN or infinity in a batch's states, loss or gradients does: stop with a
    /// <see cref="NumericalFaultException"/> naming it (default), skip the batch, or roll back to the last checkpoint
    /// (<see cref="NumericalFaultAction"/>).
    /// </summary>
    public NumericalFaultAction OnNumericalFault { get; init; } = NumericalFaultAction.Stop;

    /// <summary>
    /// With <see cref="NumericalFaultAction.Rollback"/>: how many rollbacks one <see cref="Trainer.Fit"/> may make; the
    /// fault after the last of them stops training, naming the batches left out. At least 1.
    /// </summary>
    public int MaxRollbacks { get; init; } = 3;

    /// <summary>How much of every batch is checked for NaN and infinities (docs/reliability.md has the cost).</summary>
    public NumericalCheckLevel NumericalChecks { get; init; } = NumericalCheckLevel.AllStates;
}

/// <summary>Loss and accuracy of a data set.</summary>
/// <param name="Loss">Mean loss per sample.</param>
/// <param name="Accuracy">Fraction of samples classified correctly.</param>
public readonly record struct Evaluation(float Loss, float Accuracy);

/// <summary>What one epoch did, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Planned epochs.</param>
/// <param name="Train">Mean loss and accuracy over the epoch's mini-batches (weights changing during the epoch).</param>
/// <param name="Validation">On the validation set after the epoch, if one was given.</param>
/// <param name="Elapsed">Wall time of the epoch.</param>
/// <param name="StoppedEarly">Whether training stops after this epoch because validation stopped improving.</param>
/// <param name="LearningRate">The optimizer's learning rate during the epoch.</param>
public sealed record EpochReport(int Epoch, int Epochs, Evaluation Train, Evaluation? Validation, TimeSpan Elapsed, bool StoppedEarly, float LearningRate)
{
    /// <summary>
    /// The numerical faults of the batches left out of this epoch: skipped (<see cref="NumericalFaultAction.SkipBatch"/>),
    /// or left out of the replay after a rollback (<see cref="NumericalFaultAction.Rollback"/>, the description says
    /// what was restored); empty otherwise.
    /// </summary>
    public IReadOnlyList<NumericalFault> Faults { get; init; } = [];
}

/// <summary>
/// What one mini-batch did, reported to a progress object that implements <see cref="IProgress{BatchReport}"/>
/// besides <see cref="IProgress{EpochReport}"/>.
/// </summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Planned epochs.</param>
/// <param name="Batch">1-based mini-batch within the epoch.</param>
/// <param name="Batches">Mini-batches per epoch.</param>
/// <param name="Samples">Training samples processed so far in this epoch.</param>
/// <param name="Train">Mean loss and accuracy over the epoch's samples so far.</param>
/// <param name="LearningRate">The optimizer's learning rate.</param>
/// <param name="Elapsed">Wall time since the epoch started.</param>
public sealed record BatchReport(int Epoch, int Epochs, int Batch, int Batches, int Samples, Evaluation Train, float LearningRate, TimeSpan Elapsed);

/// <summary>
/// Surrogate-gradient training with BPTT: per mini-batch, the forward pass, the objective's loss and upstream
/// gradient, the generated backward pass, optional clipping, one optimizer step. Deterministic: the same seed gives
/// bit-identical weights whatever the number of threads (per-sample work is independent and gradients are reduced in
/// a fixed order).
/// </summary>
public sealed class Trainer
{
    private readonly ISpikingNetwork _network;
    private readonly IObjective _objective;
    private readonly NetworkGradients _gradients;
    private readonly TrainerOptions _options;
    private RunState? _state;
    private bool _resume;

    /// <summary>The newest checkpoint of the current run (written, or resumed from): where a rollback returns to.</summary>
    private string? _lastCheckpoint;

    /// <summary>
    /// A trainer for <paramref name="network"/>. <paramref name="createOptimizer"/> receives the (name, value,
    /// gradient) tensors of every weight matrix and trainable parameter, e.g. <c>t => new Adam(t, 1e-3f)</c>.
    /// </summary>
    public Trainer(ISpikingNetwork network, IObjective objective, Func<IEnumerable<(string Name, float[] Value, float[] Gradient)>, Optimizer> createOptimizer, TrainerOptions? options = null)
    {
        _network = network;
        _objective = objective;
        _options = options ?? new TrainerOptions();
        if (_options.Epochs <= 0 || _options.BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), FormattableString.Invariant(
                $"TrainerOptions.{(_options.Epochs <= 0 ? "Epochs" : "BatchSize")} is {(_options.Epochs <= 0 ? _options.Epochs : _options.BatchSize)}; it must be at least 1."));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.CheckpointEvery);
        if ((_options.CheckpointEvery > 0 || _options.CheckpointOnEarlyStop) && string.IsNullOrEmpty(_options.CheckpointPath))
            throw new ArgumentException("TrainerOptions.CheckpointEvery or CheckpointOnEarlyStop needs a CheckpointPath.", nameof(options));
        if (_options.OnNumericalFault == NumericalFaultAction.Rollback && (string.IsNullOrEmpty(_options.CheckpointPath) || _options.CheckpointEvery == 0))
            throw new ArgumentException("TrainerOptions.OnNumericalFault = Rollback returns to the last checkpoint the trainer wrote; set CheckpointPath and CheckpointEvery.", nameof(options));
        if (_options.MaxRollbacks < 1)
            throw new ArgumentException(FormattableString.Invariant($"TrainerOptions.MaxRollbacks is {_options.MaxRollbacks}; it must be at least 1."), nameof(options));
        _gradients = new NetworkGradients(network);
        Optimizer = createOptimizer(_gradients.Tensors());
        _guard = new NumericalGuard(network, objective, _options);
    }

    private readonly NumericalGuard _guard;

    /// <summary>The optimizer (its learning rate can be changed between epochs).</summary>
    public Optimizer Optimizer { get; }

    /// <summary>
    /// Trains for <see cref="TrainerOptions.Epochs"/> epochs (or until early stop) and returns the report of every
    /// epoch. With a validation set and <see cref="TrainerOptions.Patience"/>, the weights of the best validation loss
    /// are restored at the end. <paramref name="progress"/> gets every <see cref="EpochReport"/> on the calling
    /// thread; if it also implements <see cref="IProgress{BatchReport}"/>, it gets a <see cref="BatchReport"/> after
    /// every mini-batch too. The schedule in <see cref="TrainerOptions.Schedule"/> sets the learning rate after every
    /// epoch. After a rollback (<see cref="NumericalFaultAction.Rollback"/>) the epochs it undid are trained and
    /// reported again; the list returned holds the replayed reports in place of the undone ones.
    /// </summary>
    public IReadOnlyList<EpochReport> Fit(Dataset train, Dataset? validation = null, IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        CheckInputs(train, nameof(train));
        if (validation is not null) CheckInputs(validation, nameof(validation));
        RunState state;
        if (_resume && _state is not null)
        {
            state = _state;
            if (state.Order.Length != train.Count)
                throw new ArgumentException($"The checkpoint was written while training on {state.Order.Length} samples; this training set has {train.Count}.", nameof(train));
        }
        else
        {
            state = new RunState(train.Count, _options.Seed, _options.Augment is not null, Optimizer.LearningRate);
            _options.Schedule?.Restart();
            _lastCheckpoint = null;
        }
        _state = state;
        _resume = false;
        _guard.Start();
        var reports = new List<EpochReport>();
        SimulationResult? previous = null;
        Dataset? selected = null;
        var upstream = new BackwardUpstream();
        var batchProgress = progress as IProgress<BatchReport>;
        int batches = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        var backwardOptions = new BackwardOptions { SparseEpsilon = _options.SparseEpsilon, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism };
        int[] order = state.Order;
        _guard.At(0, 0);
        _guard.CheckModel(Optimizer, _gradients, "Before training");

        for (int epoch = state.EpochsDone + 1; epoch <= _options.Epochs && !state.Stopped; epoch++)
        {
            var clock = Stopwatch.StartNew();
            if (_options.Shuffle) state.Shuffle.Shuffle(order);
            double lossSum = 0;
            int correct = 0, counted = 0;
            NumericalFault? rollBackFor = null;
            for (int start = 0; start < train.Count; start += _options.BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                int batchNumber = start / _options.BatchSize + 1;
                _guard.At(epoch, batchNumber);
                _guard.CheckArrays(Optimizer, _gradients);
                if (_guard.LeavesOut(epoch, batchNumber)) continue;
                int[] indices = order[start..Math.Min(train.Count, start + _options.BatchSize)];
                // The previous batch's buffers are overwritten where the shape is the same: the batch's spikes and
                // labels, the forward pass's rasters and recordings, the loss's gradients.
                Dataset batch = selected = train.Select(indices, selected);
                if (state.Augment is not null) batch = Augmented(batch, state.Augment);
                SimulationResult forward = _network.Simulate([batch.Inputs],
                    new SimulationOptions { RecordAllStates = _options.Method.RecordAllStates, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, Reuse = previous });
                previous = forward;
                upstream.Clear();
                float loss = _objective.Loss(forward, batch.Labels, upstream);
                if (_guard.CheckForward(forward, loss, batch.Inputs) is { } forwardFault)
                {
                    if (_guard.Handle(forwardFault)) { rollBackFor = forwardFault; break; }
                    continue;
                }
                // Every optimizer step is guarded: BPTT's one per batch, and each an online method with updateEvery takes
                // within the sequences (through the callback). After a gradient fault, or a step fault to roll back for,
                // the batch's remaining steps are left out.
                NumericalFault? stepFault = null;
                int updatesTaken = 0;
                void GuardedStep()
                {
                    if (stepFault is not null) return;
                    stepFault = _guard.CheckGradients(_gradients, upstream, batch.Inputs, updatesTaken);
                    if (stepFault is not null) return;
                    StepOptimizer();
                    updatesTaken++;
                    stepFault = _guard.CheckStep(Optimizer);
                }
                if (!_options.Method.Compute(_network, batch.Inputs, batch.Labels, forward, upstream, backwardOptions, _gradients, GuardedStep)) GuardedStep();
                if (stepFault is not null)
                {
                    if (_guard.Handle(stepFault)) { rollBackFor = stepFault; break; }
                    continue;
                }
                lossSum += (double)loss * indices.Length;
                correct += Correct(forward, batch.Labels);
                counted += indices.Length;
                int seen = start + indices.Length;
                batchProgress?.Report(new BatchReport(epoch, _options.Epochs, batchNumber, batches, seen,
                    new Evaluation((float)(lossSum / counted), (float)correct / counted), Optimizer.LearningRate, clock.Elapsed));
            }

            if (rollBackFor is not null)
            {
                state = RollBack(rollBackFor);
                order = state.Order;
                reports.RemoveAll(r => r.Epoch > state.EpochsDone);
                epoch = state.EpochsDone;   // the loop goes on with the epoch after the checkpoint
                continue;
            }
            _guard.CheckEpoch(batches);
            var trainEvaluation = new Evaluation((float)(lossSum / counted), (float)correct / counted);
            Evaluation? validationEvaluation = validation is null ? null : Evaluate(validation);
            bool stop = false;
            if (validationEvaluation is { } v && _options.Patience > 0)
            {
                if (v.Loss < state.BestLoss)
                {
                    state.BestLoss = v.Loss;
                    state.Best = _gradients.Tensors().Select(t => (float[])t.Value.Clone()).ToArray();
                    state.EpochsWithoutImprovement = 0;
                }
                else stop = ++state.EpochsWithoutImprovement >= _options.Patience;
            }
            var report = new EpochReport(epoch, _options.Epochs, trainEvaluation, validationEvaluation, clock.Elapsed, stop, Optimizer.LearningRate)
            {
                Faults = _guard.EpochFaults.ToArray(),
            };
            reports.Add(report);
            progress?.Report(report);
            state.EpochsDone = epoch;
            state.Stopped = stop;
            if (!stop && _options.Schedule is { } schedule)
                Optimizer.LearningRate = schedule.Next(epoch, state.InitialRate, Optimizer.LearningRate, (validationEvaluation ?? trainEvaluation).Loss);
            if (_options.CheckpointPath is { } path && (stop ? _options.CheckpointOnEarlyStop : _options.CheckpointEvery > 0 && epoch % _options.CheckpointEvery == 0))
                SaveCheckpoint(path.Replace("{epoch}", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        if (state.Best is not null)
        {
            int k = 0;
            foreach ((string _, float[] value, float[] _) in _gradients.Tensors()) state.Best[k++].CopyTo(value, 0);
        }
        return reports;
    }

    /// <summary>
    /// Writes a checkpoint of the training so far to <paramref name="path"/>, atomically: the model (weights, sparse
    /// patterns, neuron and synapse parameters, biases, with the declaration), the optimizer's state, the schedule's
    /// state, the shuffling and augmentation generators, the order of the training set, the epoch and the early-stopping
    /// state (best validation loss, its weights, epochs without improvement). <see cref="LoadCheckpoint"/> followed by
    /// <see cref="Fit"/> continues bit for bit as the run would have.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        RunState state = _state ?? new RunState(0, _options.Seed, _options.Augment is not null, Optimizer.LearningRate);
        Checkpoint.Write(path, _network, Optimizer, _options, state.ToCheckpoint(_gradients));
        _lastCheckpoint = path;
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> (or by <see cref="Fit"/> through
    /// <see cref="TrainerOptions.CheckpointPath"/>): the network, the optimizer, the schedule and the trainer's state.
    /// The next <see cref="Fit"/> continues after the checkpoint's epoch with the same training set. Everything is
    /// checked first; on any error nothing changes.
    /// </summary>
    /// <exception cref="SnnDsl.Export.ModelFileException">The file is corrupted, newer, of another declaration, or was written
    /// with another optimizer, hyperparameters, batch size or schedule (the message says which).</exception>
    public void LoadCheckpoint(string path)
    {
        CheckpointState saved = Checkpoint.Read(path, _network, Optimizer, _options, _gradients);
        _state = RunState.FromCheckpoint(saved, _options.Seed);
        _resume = true;
        _lastCheckpoint = path;
    }

    /// <summary>
    /// Restores the run's newest checkpoint after <paramref name="fault"/> (<see cref="NumericalFaultAction.Rollback"/>)
    /// and returns the restored state; the guard leaves the faulting batch out of the replay.
    /// </summary>
    private RunState RollBack(NumericalFault fault)
    {
        if (_lastCheckpoint is not { } path)
            throw new NumericalFaultException(fault with
            {
                Description = FormattableString.Invariant(
                    $"{fault.Description} There is no checkpoint to roll back to yet (OnNumericalFault = Rollback): the first is written after epoch {_options.CheckpointEvery} (TrainerOptions.CheckpointEvery)."),
            });
        _guard.CheckRollbacksLeft(fault);
        CheckpointState saved;
        try
        {
            saved = Checkpoint.Read(path, _network, Optimizer, _options, _gradients);
        }
        catch (IOException e)
        {
            throw new NumericalFaultException(fault with { Description = $"{fault.Description} Rolling back to checkpoint '{path}' failed, nothing was restored: {e.Message}" }, e);
        }
        _state = RunState.FromCheckpoint(saved, _options.Seed);
        _guard.LeaveOut(fault, FormattableString.Invariant(
            $"Rolled back to checkpoint '{path}', written after epoch {saved.EpochsDone}: the weights, parameters and biases, the optimizer's state (step {Optimizer.StepCount}, learning rate {Optimizer.LearningRate}), the learning-rate schedule, the shuffling and augmentation generators and the early-stopping state"));
        return _state;
    }

    /// <summary>The number of epochs completed (by <see cref="Fit"/> or in a loaded checkpoint).</summary>
    public int EpochsCompleted => _state?.EpochsDone ?? 0;

    /// <summary>Everything a run carries from one epoch to the next.</summary>
    private sealed class RunState(int samples, int seed, bool augment, float initialRate)
    {
        public SubtractiveRandom Shuffle { get; } = new(seed);
        public SubtractiveRandom? Augment { get; } = augment ? new SubtractiveRandom(seed) : null;
        public int[] Order { get; set; } = Enumerable.Range(0, samples).ToArray();
        public int EpochsDone { get; set; }
        public bool Stopped { get; set; }
        public float InitialRate { get; set; } = initialRate;
        public float BestLoss { get; set; } = float.PositiveInfinity;
        public float[][]? Best { get; set; }
        public int EpochsWithoutImprovement { get; set; }

        public CheckpointState ToCheckpoint(NetworkGradients gradients) => new(
            EpochsDone, Stopped, InitialRate, Shuffle.ExportState(), Augment?.ExportState(), (int[])Order.Clone(), BestLoss,
            Best is null ? null : gradients.Tensors().Select(t => t.Name).Zip(Best, (name, values) => (name, (float[])values.Clone())).ToList(),
            EpochsWithoutImprovement);

        public static RunState FromCheckpoint(CheckpointState saved, int seed)
        {
            var state = new RunState(0, seed, saved.AugmentGenerator is not null, saved.InitialRate)
            {
                Order = saved.Order,
                EpochsDone = saved.EpochsDone,
                Stopped = saved.Stopped,
                BestLoss = saved.BestLoss,
                Best = saved.Best?.Select(b => b.Values).ToArray(),
                EpochsWithoutImprovement = saved.EpochsWithoutImprovement,
            };
            state.Shuffle.ImportState(saved.ShuffleGenerator);
            if (saved.AugmentGenerator is not null) state.Augment!.ImportState(saved.AugmentGenerator);
            return state;
        }
    }

    /// <summary>
    /// Clips the gradient if asked, lets the optimizer update the weights and parameters, and puts every bounded
    /// parameter back into its bounds (a projected gradient step; a NaN stays NaN for the numerical guard to see).
    /// </summary>
    private void StepOptimizer()
    {
        if (_options.MaxGradientNorm > 0f) Optimizer.ClipGradientNorm(_options.MaxGradientNorm);
        Optimizer.Step();
        _gradients.ProjectParametersOntoBounds();
    }

    /// <summary>Loss and accuracy on a data set, in mini-batches of <see cref="TrainerOptions.BatchSize"/>.</summary>
    public Evaluation Evaluate(Dataset data)
    {
        CheckInputs(data, nameof(data));
        _guard.CheckModel(Optimizer, _gradients, "Before evaluating");
        // With AllStates every state is recorded and checked (a NaN hidden membrane does not show in the readout);
        // otherwise only the readouts, which are recorded anyway.
        bool recordAll = _options.NumericalChecks == NumericalCheckLevel.AllStates;
        SimulationResult? previous = null;
        Dataset? batch = null;
        var upstream = new BackwardUpstream();
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += _options.BatchSize)
        {
            int[] indices = Enumerable.Range(start, Math.Min(_options.BatchSize, data.Count - start)).ToArray();
            batch = data.Select(indices, batch);
            SimulationResult forward = _network.Simulate([batch.Inputs],
                new SimulationOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, RecordAllStates = recordAll, Reuse = previous });
            previous = forward;
            upstream.Clear();
            float loss = _objective.Loss(forward, batch.Labels, upstream);
            if (_guard.CheckForward(forward, loss, batch.Inputs) is { } fault)
                throw new NumericalFaultException(fault with { Description = FormattableString.Invariant($"Evaluating samples {start}–{start + indices.Length - 1}: {fault.Description}") });
            lossSum += (double)loss * indices.Length;
            correct += Correct(forward, batch.Labels);
        }
        return new Evaluation((float)(lossSum / data.Count), (float)correct / data.Count);
    }

    private Dataset Augmented(Dataset batch, Random random)
    {
        Dataset augmented = _options.Augment!(batch, random);
        if (augmented.Count != batch.Count || augmented.Inputs.Steps != batch.Inputs.Steps || augmented.Inputs.Neurons != batch.Inputs.Neurons)
            throw new InvalidOperationException(FormattableString.Invariant(
                $"TrainerOptions.Augment turned a batch of [{batch.Count}, {batch.Inputs.Steps}, {batch.Inputs.Neurons}] into [{augmented.Count}, {augmented.Inputs.Steps}, {augmented.Inputs.Neurons}]; it must keep the shape."));
        return augmented;
    }

    private int Correct(SimulationResult forward, int[] labels)
    {
        var predictions = new int[labels.Length];
        _objective.Predict(forward, predictions);
        int correct = 0;
        for (int b = 0; b < labels.Length; b++) if (predictions[b] == labels[b]) correct++;
        return correct;
    }

    private void CheckInputs(Dataset data, string name)
    {
        if (_network.Inputs.Count != 1)
            throw new InvalidOperationException($"The trainer feeds one input raster; network '{_network.Descriptor.Name}' has {_network.Inputs.Count} input layers.");
        if (data.Inputs.Neurons != _network.Inputs[0].Size)
            throw new ArgumentException($"The {name} set has {data.Inputs.Neurons} channels but input '{_network.Inputs[0].Name}' has {_network.Inputs[0].Size}.", name);
    }
}
