using System.Globalization;
using SnnDsl.Export;

namespace SnnDsl.Training;

/// <summary>The trainer's own part of a checkpoint (see <see cref="Trainer.SaveCheckpoint"/>).</summary>
/// <param name="EpochsDone">Epochs completed.</param>
/// <param name="Stopped">Whether training stopped early after the last of them.</param>
/// <param name="InitialRate">η₀, the rate the schedule starts from.</param>
/// <param name="ShuffleGenerator">The shuffling generator's state (<see cref="SubtractiveRandom.ExportState"/>).</param>
/// <param name="AugmentGenerator">The augmentation generator's state, or null without augmentation.</param>
/// <param name="Order">The current order of the training set (shuffled in place every epoch).</param>
/// <param name="BestLoss">The best validation loss so far (+∞ before the first).</param>
/// <param name="Best">The weights of the best validation loss, by tensor name, or null.</param>
/// <param name="EpochsWithoutImprovement">Epochs since the best validation loss.</param>
public sealed record CheckpointState(
    int EpochsDone, bool Stopped, float InitialRate, int[] ShuffleGenerator, int[]? AugmentGenerator, int[] Order,
    float BestLoss, IReadOnlyList<(string Name, float[] Values)>? Best, int EpochsWithoutImprovement);

/// <summary>A checkpoint does not fit the trainer it is loaded into (optimizer, hyperparameters, options or schedule).</summary>
public sealed class CheckpointMismatchException : ModelFileException
{
    /// <summary>A mismatch described by <paramref name="problem"/>.</summary>
    public CheckpointMismatchException(string path, string problem, Exception? inner = null)
        : base(path, $"Checkpoint '{path}' does not fit this trainer: {problem}", inner)
    {
    }
}

/// <summary>
/// Training checkpoints: the model file's container (kind <c>CKPT</c>) holding the model tensors and declaration, and
/// besides them <c>optimizer/…</c> (type, t, η, hyperparameters, state arrays), <c>schedule/…</c> and
/// <c>trainer/…</c> tensors (docs/exports.md lists them). Written atomically; read with every check of the model file
/// plus the trainer's.
/// </summary>
internal static class Checkpoint
{
    private const string Optimizer = "optimizer/";
    private const string Schedule = "schedule/";
    private const string Trainer = "trainer/";

    public static void Write(string path, ISpikingNetwork network, Optimizer optimizer, TrainerOptions options, CheckpointState state)
    {
        var tensors = new List<StoredTensor>(NetworkTensors.Collect(network));
        OptimizerState o = optimizer.ExportState();
        tensors.Add(Scalar(Optimizer + "step", (long)o.StepCount));
        tensors.Add(Scalar(Optimizer + "learning-rate", o.LearningRate));
        foreach ((string name, float value) in o.Hyperparameters) tensors.Add(Scalar(Optimizer + "hyper/" + name, value));
        foreach (OptimizerSlot slot in o.Slots) tensors.Add(new StoredTensor($"{Optimizer}{slot.Slot}/{slot.Parameter}", [slot.Values.Length], slot.Values));
        if (options.Schedule is { } schedule)
            foreach ((string key, double value) in schedule.ExportState()) tensors.Add(new StoredTensor(Schedule + key, [1], new[] { value }));
        tensors.Add(Scalar(Trainer + "epochs-done", (long)state.EpochsDone));
        tensors.Add(new StoredTensor(Trainer + "stopped", [1], new[] { state.Stopped ? (byte)1 : (byte)0 }));
        tensors.Add(Scalar(Trainer + "initial-rate", state.InitialRate));
        tensors.Add(new StoredTensor(Trainer + "shuffle-generator", [state.ShuffleGenerator.Length], state.ShuffleGenerator));
        if (state.AugmentGenerator is { } augment) tensors.Add(new StoredTensor(Trainer + "augment-generator", [augment.Length], augment));
        tensors.Add(new StoredTensor(Trainer + "order", [state.Order.Length], state.Order));
        tensors.Add(Scalar(Trainer + "best-loss", state.BestLoss));
        tensors.Add(Scalar(Trainer + "epochs-without-improvement", (long)state.EpochsWithoutImprovement));
        if (state.Best is { } best)
            foreach ((string name, float[] values) in best) tensors.Add(new StoredTensor(Trainer + "best/" + name, [values.Length], values));

        var metadata = new Dictionary<string, string>
        {
            ["optimizer"] = o.Type,
            ["schedule"] = options.Schedule?.GetType().Name ?? "none",
            ["batch-size"] = options.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["shuffle"] = options.Shuffle ? "true" : "false",
            ["epochs-planned"] = options.Epochs.ToString(CultureInfo.InvariantCulture),
        };
        SnnFileFormat.Write(path, SnnFileFormat.CheckpointKind, network.Descriptor, ModelFile.WithWriter(metadata), tensors);
    }

    /// <summary>
    /// Reads a checkpoint, checks it against the network, optimizer and options, then restores the network, the
    /// optimizer and the schedule, and returns the trainer's state. Nothing changes when a check fails.
    /// </summary>
    public static CheckpointState Read(string path, ISpikingNetwork network, Optimizer optimizer, TrainerOptions options, NetworkGradients gradients)
    {
        SnnFileContents file = SnnFileFormat.Read(path);
        if (file.Kind != SnnFileFormat.CheckpointKind)
            throw new CheckpointMismatchException(path, "it is a model file, not a training checkpoint (load it with ModelFile.Load).");
        ModelFile.CheckFits(network, file);
        CheckpointMismatchException Mismatch(string problem, Exception? inner = null) => new(path, problem, inner);
        StoredTensor Need(string name) => file.Tensor(name) ?? throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: checkpoint tensor '{name}' is missing.");
        T One<T>(string name, Func<StoredTensor, T[]> read)
        {
            StoredTensor t = Need(name);
            try
            {
                T[] values = read(t);
                return values.Length == 1 ? values[0] : throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: checkpoint tensor '{name}' has {values.Length} values, expected 1.");
            }
            catch (InvalidOperationException e)
            {
                throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: {e.Message}", e);
            }
        }
        string Meta(string key) => file.Metadata.TryGetValue(key, out string? value) ? value
            : throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: checkpoint metadata '{key}' is missing.");

        // The options that shape the sequence of batches must be those of the saved run.
        string batchSize = options.BatchSize.ToString(CultureInfo.InvariantCulture);
        if (Meta("batch-size") != batchSize) throw Mismatch($"it was written with batch size {Meta("batch-size")}; this trainer uses {batchSize}.");
        if (Meta("shuffle") != (options.Shuffle ? "true" : "false")) throw Mismatch($"it was written with Shuffle = {Meta("shuffle")}; this trainer has {(options.Shuffle ? "true" : "false")}.");
        string scheduleType = options.Schedule?.GetType().Name ?? "none";
        if (Meta("schedule") != scheduleType) throw Mismatch($"it was written with learning-rate schedule {Meta("schedule")}; this trainer has {scheduleType}.");

        // Optimizer.
        var slots = new List<OptimizerSlot>();
        var hyper = new Dictionary<string, float>();
        foreach (StoredTensor t in file.Tensors.Where(t => t.Name.StartsWith(Optimizer, StringComparison.Ordinal)))
        {
            string rest = t.Name[Optimizer.Length..];
            if (rest is "step" or "learning-rate") continue;
            if (rest.StartsWith("hyper/", StringComparison.Ordinal)) { hyper[rest["hyper/".Length..]] = One(t.Name, x => x.AsFloat32()); continue; }
            int slash = rest.IndexOf('/');
            if (slash <= 0) throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: unexpected optimizer tensor '{t.Name}'.");
            slots.Add(new OptimizerSlot(rest[..slash], rest[(slash + 1)..], t.AsFloat32()));
        }
        long step = One(Optimizer + "step", x => x.AsInt64());
        var optimizerState = new OptimizerState(Meta("optimizer"), checked((int)step), One(Optimizer + "learning-rate", x => x.AsFloat32()), hyper, slots);
        try
        {
            optimizer.CheckState(optimizerState);
        }
        catch (ArgumentException e)
        {
            throw Mismatch(e.Message, e);
        }

        // Trainer.
        int[] shuffle = Need(Trainer + "shuffle-generator").AsInt32();
        int[]? augment = file.Tensor(Trainer + "augment-generator")?.AsInt32();
        if ((augment is not null) != (options.Augment is not null))
            throw Mismatch(augment is null ? "it was written without TrainerOptions.Augment; this trainer augments." : "it was written with TrainerOptions.Augment; this trainer does not augment.");
        foreach ((string name, int[]? generator) in new[] { ("shuffle", (int[]?)shuffle), ("augment", augment) })
        {
            if (generator is null) continue;
            try
            {
                new SubtractiveRandom(0).ImportState(generator);
            }
            catch (ArgumentException e)
            {
                throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: the {name} generator's state is invalid: {e.Message}", e);
            }
        }
        int[] order = Need(Trainer + "order").AsInt32();
        if (!order.Order().SequenceEqual(Enumerable.Range(0, order.Length)))
            throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: the stored order of the training set is not a permutation of 0…{order.Length - 1}.");
        List<(string Name, float[] Values)>? best = null;
        var bestTensors = file.Tensors.Where(t => t.Name.StartsWith(Trainer + "best/", StringComparison.Ordinal)).ToList();
        if (bestTensors.Count > 0)
        {
            best = [];
            foreach ((string name, float[] value, float[] _) in gradients.Tensors())
            {
                StoredTensor t = Need(Trainer + "best/" + name);
                if (t.Values.Length != value.Length)
                    throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: the best weights of '{name}' have {t.Values.Length} values; the tensor has {value.Length}.");
                best.Add((name, t.AsFloat32()));
            }
            if (bestTensors.Count != best.Count)
                throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: it stores best weights for {bestTensors.Count} tensors; the network trains {best.Count}.");
        }
        var state = new CheckpointState(
            checked((int)One(Trainer + "epochs-done", x => x.AsInt64())), One(Trainer + "stopped", x => x.AsUInt8()) != 0,
            One(Trainer + "initial-rate", x => x.AsFloat32()), shuffle, augment, order, One(Trainer + "best-loss", x => x.AsFloat32()), best,
            checked((int)One(Trainer + "epochs-without-improvement", x => x.AsInt64())));

        // A new sparse pattern would replace weight arrays the optimizer holds.
        foreach (SparseSynapses sparse in network.Connections.OfType<SparseSynapses>())
        {
            if (!NetworkTensors.SamePattern(sparse, Need($"connection/{sparse.Name}/pre").AsInt32(), Need($"connection/{sparse.Name}/post").AsInt32(), Need($"connection/{sparse.Name}/delays").AsInt32()))
                throw Mismatch($"sparse connection '{sparse.Name}' has another pattern in the checkpoint; load the checkpoint's model (ModelFile.Load) before creating the trainer.");
        }

        // Schedule: the one step that can still refuse; nothing has changed yet.
        var scheduleState = file.Tensors.Where(t => t.Name.StartsWith(Schedule, StringComparison.Ordinal))
            .ToDictionary(t => t.Name[Schedule.Length..], t => One(t.Name, x => x.AsFloat64()));
        if (options.Schedule is { } schedule)
        {
            try
            {
                schedule.ImportState(scheduleState);
            }
            catch (ArgumentException e)
            {
                throw Mismatch(e.Message, e);
            }
        }
        else if (scheduleState.Count > 0) throw Mismatch("it holds a schedule's state, but this trainer has no schedule.");

        NetworkTensors.Apply(network, file.Tensors.Where(t => NetworkTensors.IsModelTensor(t.Name)));
        optimizer.ImportState(optimizerState);
        return state;
    }

    private static StoredTensor Scalar(string name, float value) => new(name, [1], new[] { value });

    private static StoredTensor Scalar(string name, long value) => new(name, [1], new[] { value });
}
