using System.Globalization;

namespace SnnDsl.Training;

/// <summary>What <see cref="Trainer.Fit"/> does when a mini-batch has a numerical fault (see <see cref="NumericalFault"/>).</summary>
public enum NumericalFaultAction
{
    /// <summary>Throw <see cref="NumericalFaultException"/> naming the fault (the default).</summary>
    Stop,

    /// <summary>
    /// Leave the batch out — no optimizer step, not counted in the epoch's loss and accuracy — record the fault in
    /// <see cref="EpochReport.Faults"/> and go on. A fault that does not belong to a batch (a NaN parameter or weight, or
    /// one the optimizer step itself produced) still stops training, as does an epoch in which every batch faulted.
    /// With on-line updates within the sequences (<see cref="GradientMethod.Online"/> with updateEvery), the updates
    /// taken before the faulty gradient stay (each was checked) and the batch's remaining ones are left out.
    /// </summary>
    SkipBatch,

    /// <summary>
    /// Return to the newest checkpoint of the run — written through <see cref="TrainerOptions.CheckpointPath"/> and
    /// <see cref="TrainerOptions.CheckpointEvery"/> (both required), or the one training resumed from — restoring the
    /// weights, parameters and biases, the optimizer's state, the learning-rate schedule, the shuffling and augmentation
    /// generators, the epoch and the early-stopping state, and train on from there with the faulting batch left out of
    /// the replay: training is deterministic, so replayed as it was it would meet the same fault again. This also covers
    /// what <see cref="SkipBatch"/> cannot, a fault the optimizer step itself produced. The left-out batch's fault, with
    /// what was restored, is in <see cref="EpochReport.Faults"/> of the replayed epoch. A fault before the first
    /// checkpoint, or after <see cref="TrainerOptions.MaxRollbacks"/> rollbacks, stops training; so do a NaN parameter
    /// or weight before training and a fault while evaluating.
    /// </summary>
    Rollback,
}

/// <summary>How much of each forward pass <see cref="Trainer"/> checks for NaN and infinities.</summary>
public enum NumericalCheckLevel
{
    /// <summary>No check (the loss is still required to be finite).</summary>
    Off,

    /// <summary>
    /// In training, the states after the last step, the loss, the gradients, and the weights and parameters before
    /// training and after every optimizer step; in <see cref="Trainer.Evaluate"/>, the model, the loss and the
    /// readout states (the only ones recorded there).
    /// </summary>
    FinalStates,

    /// <summary>
    /// As <see cref="FinalStates"/>, but every recorded state of every step, which also catches a NaN or ∞ that does not
    /// last to the end; <see cref="Trainer.Evaluate"/> then records and checks every state too. The default.
    /// </summary>
    AllStates,
}

/// <summary>
/// The trainer's numerical checks, once per mini-batch: before training and after every optimizer step the
/// parameters (NaN, or values that make the dynamics undefined) and weights; after the forward pass the loss and the
/// recorded states; after the backward pass the gradients. A fault found is located (population or connection,
/// variable, sample, step, neuron) and stops training, skips the batch, or rolls training back to the last checkpoint.
/// </summary>
internal sealed class NumericalGuard(ISpikingNetwork network, IObjective objective, TrainerOptions options)
{
    private int _epoch;
    private int _batch;

    /// <summary>The batches whose fault made training roll back, by epoch and batch: the replay leaves them out.</summary>
    private readonly Dictionary<(int Epoch, int Batch), NumericalFault> _leftOut = [];

    /// <summary>Faults of skipped batches in the current epoch.</summary>
    public List<NumericalFault> EpochFaults { get; } = [];

    /// <summary>Forgets the rollbacks of a previous <see cref="Trainer.Fit"/>.</summary>
    public void Start()
    {
        _leftOut.Clear();
        EpochFaults.Clear();
    }

    /// <summary>Sets the position that faults are reported at.</summary>
    public void At(int epoch, int batch)
    {
        if (epoch != _epoch) EpochFaults.Clear();
        _epoch = epoch;
        _batch = batch;
    }

    /// <summary>
    /// Throws when the parameters or weights are not usable, or when an optimizer's arrays are no longer the network's
    /// (a sparse connection's pattern was replaced after the trainer was created).
    /// </summary>
    public void CheckModel(Optimizer optimizer, NetworkGradients gradients, string when)
    {
        CheckArrays(optimizer, gradients);
        if (options.NumericalChecks == NumericalCheckLevel.Off) return;
        if ((NumericalChecks.FindParameterFault(network) ?? NumericalChecks.FindWeightFault(network)) is { } fault)
            throw new NumericalFaultException(fault with { Description = $"{when}: {fault.Description}", Epoch = _epoch, Batch = _batch });
    }

    /// <summary>
    /// After an optimizer step: null when the weights and parameters it wrote are finite and valid. Otherwise the step
    /// is named and, with <see cref="NumericalFaultAction.Rollback"/>, the fault returned to roll back for; with the
    /// other actions it throws (a step cannot be skipped once taken).
    /// </summary>
    public NumericalFault? CheckStep(Optimizer optimizer)
    {
        if (options.NumericalChecks == NumericalCheckLevel.Off) return null;
        if ((NumericalChecks.FindParameterFault(network) ?? NumericalChecks.FindWeightFault(network)) is not { } fault) return null;
        double sumOfSquares = 0;
        foreach ((string _, float[] _, float[] gradient) in optimizer.Parameters)
            foreach (float g in gradient) sumOfSquares += (double)g * g;
        float norm = (float)Math.Sqrt(sumOfSquares);
        string step = string.Create(CultureInfo.InvariantCulture,
            $"The optimizer step (learning rate {optimizer.LearningRate}, gradients of global norm {norm} after any clipping) made the model invalid — lower the learning rate or clip the gradient (TrainerOptions.MaxGradientNorm); a step cannot be skipped once taken");
        NumericalFault located = fault with { Description = $"{step}. {fault.Description}", Epoch = _epoch, Batch = _batch };
        return options.OnNumericalFault == NumericalFaultAction.Rollback ? located : throw new NumericalFaultException(located);
    }

    /// <summary>The fault of a forward pass (states, then loss), located, or null.</summary>
    public NumericalFault? CheckForward(SimulationResult forward, float loss, SpikeRaster inputs)
    {
        if (options.NumericalChecks != NumericalCheckLevel.Off
            && NumericalChecks.HasNonFiniteState(forward, allSteps: options.NumericalChecks == NumericalCheckLevel.AllStates)
            && NumericalChecks.FindStateFault(network, forward, [inputs]) is { } state)
            return state with { Epoch = _epoch, Batch = _batch };
        if (!float.IsFinite(loss))
        {
            string states = options.NumericalChecks == NumericalCheckLevel.Off ? "" : " although every recorded state is finite";
            return new NumericalFault(NumericalFaultKind.Loss, objective.GetType().Name, "loss", loss,
                $"The loss of {objective.GetType().Name} is {NumericalChecks.Format(loss)}{states}; check the objective's inputs (e.g. readout values so large that the loss overflows) and its settings.")
            { Epoch = _epoch, Batch = _batch };
        }
        return null;
    }

    /// <summary>
    /// The fault of the gradients about to be applied, or null: when a gradient is not finite, the objective's upstream
    /// gradient is named if it is the source, else the first gradient element. <paramref name="updatesTaken"/> is the
    /// number of on-line updates (<see cref="GradientMethod.Online"/> with updateEvery) already applied in this batch.
    /// </summary>
    public NumericalFault? CheckGradients(NetworkGradients gradients, BackwardUpstream upstream, SpikeRaster inputs, int updatesTaken)
    {
        if (options.NumericalChecks == NumericalCheckLevel.Off || NumericalChecks.FindGradientFault(network, gradients) is not { } fault) return null;
        NumericalFault source = NumericalChecks.FindUpstreamFault(network, upstream, inputs.Batch, inputs.Steps, objective.GetType().Name) ?? fault;
        string description = updatesTaken == 0 ? source.Description : FormattableString.Invariant(
            $"{source.Description} (found before on-line update {updatesTaken + 1} of the batch; the {updatesTaken} before it were applied and stay)");
        return source with { Description = description, Epoch = _epoch, Batch = _batch };
    }

    /// <summary>
    /// Stops (throws), or records the fault of a batch to skip it, or — with <see cref="NumericalFaultAction.Rollback"/> —
    /// returns true: the trainer then restores its last checkpoint (<see cref="LeaveOut"/>).
    /// </summary>
    public bool Handle(NumericalFault fault)
    {
        switch (options.OnNumericalFault)
        {
            case NumericalFaultAction.SkipBatch:
                EpochFaults.Add(fault);
                return false;
            case NumericalFaultAction.Rollback:
                return true;
            default:
                throw new NumericalFaultException(fault);
        }
    }

    /// <summary>
    /// Throws once <see cref="TrainerOptions.MaxRollbacks"/> rollbacks were made, before anything is restored: a fault
    /// that comes back after each of them is not passing.
    /// </summary>
    public void CheckRollbacksLeft(NumericalFault fault)
    {
        if (_leftOut.Count < options.MaxRollbacks) return;
        string leftOut = string.Join(", ", _leftOut.Keys.Select(k => FormattableString.Invariant($"epoch {k.Epoch} batch {k.Batch}")));
        throw new NumericalFaultException(fault with
        {
            Description = FormattableString.Invariant(
                $"{fault.Description} Not rolled back again: training was rolled back {_leftOut.Count} times already (TrainerOptions.MaxRollbacks), leaving out {leftOut}, and the faults keep coming; lower the learning rate, clip the gradient (TrainerOptions.MaxGradientNorm) or check the data."),
        });
    }

    /// <summary>
    /// Records a rollback for <paramref name="fault"/>, after the trainer restored what <paramref name="restored"/> says:
    /// the replay leaves the faulting batch out.
    /// </summary>
    public void LeaveOut(NumericalFault fault, string restored)
    {
        _leftOut[(fault.Epoch, fault.Batch)] = fault with
        {
            Description = FormattableString.Invariant($"{fault.Description} {restored}; the batch is left out of the replay (rollback {_leftOut.Count + 1} of at most {options.MaxRollbacks})."),
        };
        EpochFaults.Clear();
    }

    /// <summary>Whether the replay leaves this batch out (its fault made training roll back); if so its fault joins the epoch's.</summary>
    public bool LeavesOut(int epoch, int batch)
    {
        if (!_leftOut.TryGetValue((epoch, batch), out NumericalFault? fault)) return false;
        EpochFaults.Add(fault);
        return true;
    }

    /// <summary>Stops when every batch of the epoch was skipped: nothing was learned and nothing would be.</summary>
    public void CheckEpoch(int batches)
    {
        if (EpochFaults.Count < batches) return;
        NumericalFault first = EpochFaults[0];
        throw new NumericalFaultException(first with
        {
            Description = FormattableString.Invariant($"All {batches} batches of the epoch had a numerical fault and were skipped; the first: {first.Description}"),
            Batch = 0,
        });
    }

    /// <summary>Throws when an optimizer's arrays are no longer the network's (a sparse pattern replaced after the trainer was created).</summary>
    public void CheckArrays(Optimizer optimizer, NetworkGradients gradients)
    {
        int k = 0;
        foreach ((string name, float[] value, float[] gradient) in gradients.Tensors())
        {
            if (k >= optimizer.Parameters.Count) break;
            (string _, float[] trained, float[] _) = optimizer.Parameters[k++];
            if (ReferenceEquals(trained, value) && gradient.Length == value.Length) continue;
            throw new InvalidOperationException(FormattableString.Invariant(
                $"'{name}' has a new array of {value.Length} values, but the trainer was created with {trained.Length} (a sparse connection's Connect replaces its weight array); create the Trainer after setting the connection's pattern."));
        }
    }
}
