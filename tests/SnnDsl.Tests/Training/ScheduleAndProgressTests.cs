using SnnDsl.Data;
using SnnDsl.Encoding;
using SnnDsl.Training;

namespace SnnDsl.Tests.Training;

public class LearningRateScheduleTests
{
    private static float[] Run(LearningRateSchedule schedule, float initial, params float[] losses)
    {
        var rates = new List<float> { initial };
        schedule.Restart();
        for (int e = 1; e <= losses.Length; e++) rates.Add(schedule.Next(e, initial, rates[^1], losses[e - 1]));
        return rates.ToArray();
    }

    [Fact]
    public void Step_decay_multiplies_by_gamma_every_step_size_epochs()
    {
        float[] rates = Run(LearningRateSchedule.Step(2, 0.5f), 0.1f, 0, 0, 0, 0, 0);
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.05f, 0.025f, 0.025f], rates);
    }

    [Fact]
    public void Cosine_annealing_follows_the_closed_form_and_stays_at_the_minimum()
    {
        float[] rates = Run(LearningRateSchedule.Cosine(4, 0.01f), 0.1f, 0, 0, 0, 0, 0, 0);
        for (int e = 0; e <= 4; e++)
            Assert.Equal(0.01 + 0.09 * (1 + Math.Cos(Math.PI * e / 4)) / 2, rates[e], 6);
        Assert.Equal(0.01f, rates[5]);
        Assert.Equal(0.01f, rates[6]);
    }

    [Fact]
    public void Plateau_reduction_follows_pytorch_patience_threshold_and_cooldown()
    {
        // PyTorch ReduceLROnPlateau(factor=0.5, patience=1, threshold=0.1, cooldown=1), rates after each epoch, worked by hand:
        // loss 1.0 best → 0.95 not < 0.9 (bad 1) → 0.95 (bad 2 > 1: halve, cooldown 1) → 0.5 best (cooldown ends)
        // → 0.6 (bad 1) → 0.6 (bad 2: halve) → 0.6 (cooldown: bad reset) → 0.6 (bad 1) → 0.6 (bad 2: halve).
        float[] rates = Run(LearningRateSchedule.ReduceOnPlateau(factor: 0.5f, patience: 1, threshold: 0.1f, cooldown: 1), 1f,
            1.0f, 0.95f, 0.95f, 0.5f, 0.6f, 0.6f, 0.6f, 0.6f, 0.6f);
        Assert.Equal([1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 0.25f, 0.25f, 0.25f, 0.125f], rates);
    }

    [Fact]
    public void Plateau_reduction_stops_at_the_minimum_rate_and_restarts_clean()
    {
        LearningRateSchedule plateau = LearningRateSchedule.ReduceOnPlateau(factor: 0.1f, patience: 0, minRate: 0.05f);
        Assert.Equal([1f, 1f, 0.1f, 0.05f, 0.05f], Run(plateau, 1f, 1, 1, 1, 1));
        Assert.Equal([1f, 1f, 0.1f, 0.05f, 0.05f], Run(plateau, 1f, 1, 1, 1, 1));
    }

    [Fact]
    public void Bad_settings_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(0, 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(10, -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.ReduceOnPlateau(factor: 1f));
    }
}

public class TrainerScheduleAndProgressTests
{
    private static readonly Dataset Train = YinYang.Generate(200, seed: 42).ToSpikes();
    private static readonly Dataset Validation = YinYang.Generate(100, seed: 41).ToSpikes();

    private static (TinyYinYang Network, Trainer Trainer) Create(TrainerOptions options)
    {
        var network = new TinyYinYang();
        network.InitializeWeights(seed: 7, scale: 2f);
        return (network, new Trainer(network, new ReadoutCrossEntropy(nameof(TinyYinYang.Readout)), t => new Adam(t, 3e-3f), options));
    }

    [Fact]
    public void A_step_schedule_trains_bit_identically_to_changing_the_rate_in_a_callback()
    {
        var options = new TrainerOptions { Epochs = 3, BatchSize = 32, Seed = 3 };
        (TinyYinYang scheduled, Trainer withSchedule) = Create(new TrainerOptions { Epochs = 3, BatchSize = 32, Seed = 3, Schedule = LearningRateSchedule.Step(1, 0.9f) });
        (TinyYinYang manual, Trainer byHand) = Create(options);
        IReadOnlyList<EpochReport> reports = withSchedule.Fit(Train);
        byHand.Fit(Train, progress: new Callback<EpochReport>(_ => byHand.Optimizer.LearningRate *= 0.9f));
        for (int c = 0; c < scheduled.Connections.Count; c++)
            Assert.Equal(manual.Connections[c].Weights, scheduled.Connections[c].Weights);
        Assert.Equal([3e-3f, 3e-3f * 0.9f, 3e-3f * 0.9f * 0.9f], reports.Select(r => r.LearningRate));
    }

    [Fact]
    public void Batch_reports_count_up_to_the_epoch_and_end_on_the_epoch_mean()
    {
        (_, Trainer trainer) = Create(new TrainerOptions { Epochs = 2, BatchSize = 64, Seed = 1 });
        var progress = new Recorder();
        IReadOnlyList<EpochReport> reports = trainer.Fit(Train, Validation, progress);
        Assert.Equal(2 * 4, progress.Batches.Count);   // 200 samples in batches of 64: 64, 64, 64, 8
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            BatchReport[] batches = progress.Batches.Where(b => b.Epoch == epoch).ToArray();
            Assert.Equal([1, 2, 3, 4], batches.Select(b => b.Batch));
            Assert.All(batches, b => Assert.Equal(4, b.Batches));
            Assert.Equal([64, 128, 192, 200], batches.Select(b => b.Samples));
            Assert.Equal(reports[epoch - 1].Train, batches[^1].Train);
        }
        // Epoch reports come after that epoch's batches, in order.
        Assert.Equal(["b1", "b1", "b1", "b1", "e1", "b2", "b2", "b2", "b2", "e2"], progress.Order);
    }

    [Fact]
    public void Augmentation_is_applied_to_every_training_batch_reproducibly()
    {
        Func<Dataset, Random, Dataset> shift = (batch, random) => batch.WithInputs(RasterAugment.TimeShift(batch.Inputs, 3, random));
        (TinyYinYang first, Trainer a) = Create(new TrainerOptions { Epochs = 2, BatchSize = 50, Seed = 2, Augment = shift });
        (TinyYinYang second, Trainer b) = Create(new TrainerOptions { Epochs = 2, BatchSize = 50, Seed = 2, Augment = shift });
        (TinyYinYang plain, Trainer c) = Create(new TrainerOptions { Epochs = 2, BatchSize = 50, Seed = 2 });
        a.Fit(Train);
        b.Fit(Train);
        c.Fit(Train);
        Assert.Equal(first.InputToHidden.Weights, second.InputToHidden.Weights);
        Assert.NotEqual(first.InputToHidden.Weights, plain.InputToHidden.Weights);

        int calls = 0;
        (_, Trainer counting) = Create(new TrainerOptions { Epochs = 2, BatchSize = 50, Augment = (batch, _) => { calls++; return batch; } });
        counting.Fit(Train, Validation);
        Assert.Equal(2 * 4, calls);   // training batches only, never validation

        (_, Trainer broken) = Create(new TrainerOptions { Epochs = 1, BatchSize = 50, Augment = (batch, _) => batch.Select([0]) });
        Assert.Contains("must keep the shape", Assert.Throws<InvalidOperationException>(() => broken.Fit(Train)).Message);
    }

    private sealed class Callback<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed class Recorder : IProgress<EpochReport>, IProgress<BatchReport>
    {
        public List<BatchReport> Batches { get; } = [];
        public List<string> Order { get; } = [];
        public void Report(EpochReport value) => Order.Add("e" + value.Epoch);
        public void Report(BatchReport value) { Batches.Add(value); Order.Add("b" + value.Epoch); }
    }
}
