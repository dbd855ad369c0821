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

    /// <summary>
    /// What a NaN or infinity in a batch's states, loss or gradients does: stop with a
    /// <see cref="NumericalFaultException"/> naming it (default), or skip the batch (<see cref="NumericalFaultAction"/>).
    /// </summary>
    public NumericalFaultAction OnNumericalFault { get; init; } = NumericalFaultAction.Stop;

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
    /// <summary>The numerical faults of the batches skipped in this epoch (<see cref="NumericalFaultAction.SkipBatch"/>); empty otherwise.</summary>
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
    /// epoch.
    /// </summary>
    public IReadOnlyList<EpochReport> Fit(Dataset train, Dataset? validation = null, IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        CheckInputs(train, nameof(train));
        if (validation is not null) CheckInputs(validation, nameof(validation));
        var reports = new List<EpochReport>();
        var shuffle = new Random(_options.Seed);
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        float bestLoss = float.PositiveInfinity;
        float[][]? best = null;
        int epochsWithoutImprovement = 0;
        SimulationResult? previous = null;
        var batchProgress = progress as IProgress<BatchReport>;
        int batches = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        float initialRate = Optimizer.LearningRate;
        _options.Schedule?.Restart();
        Random? augmentRandom = _options.Augment is null ? null : new Random(_options.Seed);
        var backwardOptions = new BackwardOptions { SparseEpsilon = _options.SparseEpsilon, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism };
        _guard.At(0, 0);
        _guard.CheckModel(Optimizer, _gradients, "Before training");

        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            if (_options.Shuffle) shuffle.Shuffle(order);
            double lossSum = 0;
            int correct = 0, counted = 0;
            for (int start = 0; start < train.Count; start += _options.BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                _guard.At(epoch, start / _options.BatchSize + 1);
                _guard.CheckArrays(Optimizer, _gradients);
                int[] indices = order[start..Math.Min(train.Count, start + _options.BatchSize)];
                Dataset batch = train.Select(indices);
                if (augmentRandom is not null) batch = Augmented(batch, augmentRandom);
                // The previous batch's buffers are overwritten (same shape), so a step allocates little.
                SimulationResult forward = _network.Simulate([batch.Inputs],
                    new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, Reuse = previous });
                previous = forward;
                var upstream = new BackwardUpstream();
                float loss = _objective.Loss(forward, batch.Labels, upstream);
                if (_guard.CheckForward(forward, loss, batch.Inputs) is { } forwardFault) { _guard.Handle(forwardFault); continue; }
                _network.Backward([batch.Inputs], forward, upstream, backwardOptions, _gradients);
                if (_guard.CheckGradients(_gradients, upstream, batch.Inputs) is { } gradientFault) { _guard.Handle(gradientFault); continue; }
                lossSum += (double)loss * indices.Length;
                correct += Correct(forward, batch.Labels);
                counted += indices.Length;
                if (_options.MaxGradientNorm > 0f) Optimizer.ClipGradientNorm(_options.MaxGradientNorm);
                Optimizer.Step();
                _guard.CheckStep(Optimizer, _gradients);
                int seen = start + indices.Length;
                batchProgress?.Report(new BatchReport(epoch, _options.Epochs, start / _options.BatchSize + 1, batches, seen,
                    new Evaluation((float)(lossSum / counted), (float)correct / counted), Optimizer.LearningRate, clock.Elapsed));
            }

            _guard.CheckEpoch(batches);
            var trainEvaluation = new Evaluation((float)(lossSum / counted), (float)correct / counted);
            Evaluation? validationEvaluation = validation is null ? null : Evaluate(validation);
            bool stop = false;
            if (validationEvaluation is { } v && _options.Patience > 0)
            {
                if (v.Loss < bestLoss)
                {
                    bestLoss = v.Loss;
                    best = _gradients.Tensors().Select(t => (float[])t.Value.Clone()).ToArray();
                    epochsWithoutImprovement = 0;
                }
                else stop = ++epochsWithoutImprovement >= _options.Patience;
            }
            var report = new EpochReport(epoch, _options.Epochs, trainEvaluation, validationEvaluation, clock.Elapsed, stop, Optimizer.LearningRate)
            {
                Faults = _guard.EpochFaults.ToArray(),
            };
            reports.Add(report);
            progress?.Report(report);
            if (stop) break;
            if (_options.Schedule is { } schedule)
                Optimizer.LearningRate = schedule.Next(epoch, initialRate, Optimizer.LearningRate, (validationEvaluation ?? trainEvaluation).Loss);
        }

        if (best is not null)
        {
            int k = 0;
            foreach ((string _, float[] value, float[] _) in _gradients.Tensors()) best[k++].CopyTo(value, 0);
        }
        return reports;
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
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += _options.BatchSize)
        {
            int[] indices = Enumerable.Range(start, Math.Min(_options.BatchSize, data.Count - start)).ToArray();
            Dataset batch = data.Select(indices);
            SimulationResult forward = _network.Simulate([batch.Inputs],
                new SimulationOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, RecordAllStates = recordAll, Reuse = previous });
            previous = forward;
            float loss = _objective.Loss(forward, batch.Labels, new BackwardUpstream());
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
