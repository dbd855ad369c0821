using System.Diagnostics;
using SnnDsl.Data;
using SnnDsl.Training;

namespace SnnDsl.FixedPoint;

/// <summary>
/// Quantization-aware training through the generated BPTT kernels: the optimizer updates float shadow copies of every
/// weight, bias and trainable parameter; before each forward pass the shadows are copied into the network and
/// <see cref="Quantizer.FakeQuantize"/> replaces them with the values the profile's integer network stands for (weights
/// on their integer grid, decays snapped, thresholds and biases scaled). The backward pass differentiates that
/// fake-quantized network, and its gradients update the shadows unchanged — the straight-through estimator. With
/// <see cref="QuantizeStates"/> (the default), every forward pass also rounds each population's states onto the chip's
/// integer grid before each step (<see cref="StateQuantizer"/>). After
/// <see cref="Fit"/>, the network holds the fake-quantized values of the best shadows, which quantize without change.
/// </summary>
public sealed class QuantizationAwareTrainer
{
    private readonly ISpikingNetwork _network;
    private readonly TargetProfile _profile;
    private readonly IObjective _objective;
    private readonly TrainerOptions _options;
    private QuantizationOptions _quantization;
    private readonly NetworkGradients _gradients;
    private readonly (string Name, float[] Value, float[] Gradient)[] _tensors;
    private readonly float[][] _shadows;
    private readonly (float[] Value, float[] Original)[] _fixedParameters;

    /// <summary>
    /// A trainer for <paramref name="network"/> on <paramref name="profile"/>. The decay tolerance of
    /// <paramref name="quantization"/> does not apply (training runs with the snapped decays); its scaling and calibration do
    /// (state peaks are measured on the calibration batch at the start of every epoch).
    /// </summary>
    public QuantizationAwareTrainer(ISpikingNetwork network, TargetProfile profile, IObjective objective,
        Func<IEnumerable<(string Name, float[] Value, float[] Gradient)>, Optimizer> createOptimizer,
        TrainerOptions? options = null, QuantizationOptions? quantization = null)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _objective = objective ?? throw new ArgumentNullException(nameof(objective));
        _options = options ?? new TrainerOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.BatchSize);
        // Options of Trainer that this trainer does not carry out are refused rather than ignored.
        string? unsupported =
            _options.Method != GradientMethod.Bptt ? $"Method = {_options.Method} (it trains with BPTT only)"
            : _options.CheckpointPath is not null || _options.CheckpointEvery > 0 || _options.CheckpointOnEarlyStop ? "checkpoints (CheckpointPath, CheckpointEvery, CheckpointOnEarlyStop)"
            : _options.OnNumericalFault != NumericalFaultAction.Stop ? $"OnNumericalFault = {_options.OnNumericalFault} (a non-finite loss stops it)"
            : null;
        if (unsupported is not null)
            throw new ArgumentException($"QuantizationAwareTrainer does not support TrainerOptions {unsupported}; use Trainer for these.", nameof(options));
        QuantizationOptions q = quantization ?? new QuantizationOptions();
        _quantization = new QuantizationOptions
        {
            Scaling = q.Scaling, Calibration = q.Calibration, StateHeadroom = q.StateHeadroom, ClipWeights = q.ClipWeights, MaxDecayError = double.PositiveInfinity,
        };
        _gradients = new NetworkGradients(network);
        _tensors = _gradients.Tensors().ToArray();
        _shadows = _tensors.Select(t => (float[])t.Value.Clone()).ToArray();
        // Non-trainable parameters (thresholds, fixed decays) are quantized too; keep their float values so that rounding
        // is always applied to the original, never to an already rounded value.
        _fixedParameters = network.Populations
            .SelectMany(p => Enumerable.Range(0, p.Neuron.Parameters.Count).Where(k => !p.Neuron.Parameters[k].Trainable).Select(k => p.Parameter(k)))
            .Select(v => (v, (float[])v.Clone())).ToArray();
        Optimizer = createOptimizer(_tensors.Select((t, k) => (t.Name, _shadows[k], t.Gradient)));
        Quantized = LoadQuantized();
    }

    /// <summary>The optimizer over the shadow tensors.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The float shadows the optimizer updates (name, values), in <see cref="NetworkGradients.Tensors"/> order.</summary>
    public IEnumerable<(string Name, float[] Value)> Shadows => _tensors.Select((t, k) => (t.Name, _shadows[k]));

    /// <summary>The quantized network the network's current (fake-quantized) values stand for.</summary>
    public QuantizedNetwork Quantized { get; private set; }

    /// <summary>
    /// Whether the forward passes of <see cref="Fit"/> and <see cref="Evaluate"/> fake-quantize the states too (default
    /// true): before each population steps, its states are rounded onto the chip's integer grid and clipped to the
    /// chip's range (<see cref="StateQuantizer"/>, saturating where the chip wraps), so that the float twin steps from
    /// the values the chip's states can hold. The backward pass is unchanged (straight-through: it recomputes each step
    /// from the recorded, unrounded states). False gives the forward pass of weights, decays and thresholds alone.
    /// </summary>
    public bool QuantizeStates { get; init; } = true;

    /// <summary>The observer of a forward pass on the current <see cref="Quantized"/> network (null without <see cref="QuantizeStates"/>).</summary>
    private StateQuantizer? States => QuantizeStates ? new StateQuantizer(_network, Quantized) : null;

    /// <summary>With a calibration batch: measures the state peaks of the current network once, for the next batches.</summary>
    private void Recalibrate()
    {
        if (_quantization.Calibration is not { } calibration) return;
        _quantization = new QuantizationOptions
        {
            Scaling = _quantization.Scaling, Calibration = calibration, StateHeadroom = _quantization.StateHeadroom, ClipWeights = _quantization.ClipWeights,
            MaxDecayError = _quantization.MaxDecayError, CalibratedPeaks = FloatModel.Peaks(_network, calibration),
        };
    }

    /// <summary>Copies the shadows into the network and fake-quantizes it.</summary>
    private QuantizedNetwork LoadQuantized()
    {
        for (int k = 0; k < _tensors.Length; k++) _shadows[k].CopyTo(_tensors[k].Value, 0);
        foreach ((float[] value, float[] original) in _fixedParameters) original.CopyTo(value, 0);
        return Quantized = Quantizer.FakeQuantize(_network, _profile, _quantization);
    }

    /// <summary>
    /// Trains like <see cref="Trainer.Fit"/> (epochs, mini-batches, shuffling, schedule, clipping, augmentation, early stop
    /// restoring the best shadows), with every forward pass on the fake-quantized network.
    /// </summary>
    public IReadOnlyList<EpochReport> Fit(Dataset train, Dataset? validation = null, IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
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
        Dataset? selected = null;
        var upstream = new BackwardUpstream();

        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            LoadQuantized();
            Recalibrate();   // the state ranges of this epoch's starting point set the calibrated scales of its batches
            if (_options.Shuffle) shuffle.Shuffle(order);
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < train.Count; start += _options.BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                int[] indices = order[start..Math.Min(train.Count, start + _options.BatchSize)];
                // The previous batch's spikes, recordings and loss gradients are overwritten where the shape is the same.
                Dataset batch = selected = train.Select(indices, selected);
                if (augmentRandom is not null) batch = _options.Augment!(batch, augmentRandom);
                LoadQuantized();
                SimulationResult forward = _network.Simulate([batch.Inputs],
                    new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, Reuse = previous, Observer = States });
                previous = forward;
                upstream.Clear();
                float loss = _objective.Loss(forward, batch.Labels, upstream);
                if (!float.IsFinite(loss))
                    throw new InvalidOperationException($"The loss became {loss} in epoch {epoch} at sample {start}; lower the learning rate or clip the gradient (TrainerOptions.MaxGradientNorm).");
                lossSum += (double)loss * indices.Length;
                correct += Correct(forward, batch.Labels);
                _network.Backward([batch.Inputs], forward, upstream, backwardOptions, _gradients);
                if (_options.MaxGradientNorm > 0f) Optimizer.ClipGradientNorm(_options.MaxGradientNorm);
                Optimizer.Step();   // straight-through: ∂L/∂(quantized value) updates the shadow
                int seen = start + indices.Length;
                batchProgress?.Report(new BatchReport(epoch, _options.Epochs, start / _options.BatchSize + 1, batches, seen,
                    new Evaluation((float)(lossSum / seen), (float)correct / seen), Optimizer.LearningRate, clock.Elapsed));
            }

            LoadQuantized();
            var trainEvaluation = new Evaluation((float)(lossSum / train.Count), (float)correct / train.Count);
            Evaluation? validationEvaluation = validation is null ? null : Evaluate(validation);
            bool stop = false;
            if (validationEvaluation is { } v && _options.Patience > 0)
            {
                if (v.Loss < bestLoss)
                {
                    bestLoss = v.Loss;
                    best = _shadows.Select(s => (float[])s.Clone()).ToArray();
                    epochsWithoutImprovement = 0;
                }
                else stop = ++epochsWithoutImprovement >= _options.Patience;
            }
            var report = new EpochReport(epoch, _options.Epochs, trainEvaluation, validationEvaluation, clock.Elapsed, stop, Optimizer.LearningRate);
            reports.Add(report);
            progress?.Report(report);
            if (stop) break;
            if (_options.Schedule is { } schedule)
                Optimizer.LearningRate = schedule.Next(epoch, initialRate, Optimizer.LearningRate, (validationEvaluation ?? trainEvaluation).Loss);
        }

        if (best is not null)
            for (int k = 0; k < _shadows.Length; k++) best[k].CopyTo(_shadows[k], 0);
        LoadQuantized();
        Recalibrate();
        LoadQuantized();
        return reports;
    }

    /// <summary>
    /// Loss and accuracy of the network as it is (fake-quantized after <see cref="Fit"/>; states too with
    /// <see cref="QuantizeStates"/>); every state is recorded, so
    /// objectives on hidden states (<see cref="MembraneBound"/>) evaluate as in training.
    /// </summary>
    public Evaluation Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var options = new SimulationOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, RecordAllStates = true, Observer = States };
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += _options.BatchSize)
        {
            int[] indices = Enumerable.Range(start, Math.Min(_options.BatchSize, data.Count - start)).ToArray();
            Dataset batch = data.Select(indices);
            SimulationResult forward = _network.Simulate([batch.Inputs], options);
            lossSum += (double)_objective.Loss(forward, batch.Labels, new BackwardUpstream()) * indices.Length;
            correct += Correct(forward, batch.Labels);
        }
        return new Evaluation((float)(lossSum / data.Count), (float)correct / data.Count);
    }

    private int Correct(SimulationResult forward, int[] labels)
    {
        var predictions = new int[labels.Length];
        _objective.Predict(forward, predictions);
        int correct = 0;
        for (int b = 0; b < labels.Length; b++) if (predictions[b] == labels[b]) correct++;
        return correct;
    }
}
