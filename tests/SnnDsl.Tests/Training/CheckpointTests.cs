using System.Diagnostics;
using SnnDsl.CheckpointChild;
using SnnDsl.Data;
using SnnDsl.Export;
using SnnDsl.Tests.Data;
using SnnDsl.Tests.Export;
using SnnDsl.Training;
using Xunit.Abstractions;

namespace SnnDsl.Tests.Training;

public class CheckpointTests(ITestOutputHelper output)
{
    private static readonly Dataset Train = YinYang.Generate(160, seed: 42).ToSpikes();
    private static readonly Dataset Validation = YinYang.Generate(64, seed: 41).ToSpikes();

    [Fact]
    public void The_subtractive_generator_draws_exactly_what_a_seeded_Random_draws()
    {
        foreach (int seed in new[] { 0, 1, 5, -7, 123456789, int.MaxValue, int.MinValue })
        {
            var expected = new Random(seed);
            var actual = new SubtractiveRandom(seed);
            byte[] a = new byte[13], b = new byte[13];
            for (int k = 0; k < 300; k++)
            {
                Assert.Equal(expected.Next(), actual.Next());
                Assert.Equal(expected.Next(97), actual.Next(97));
                Assert.Equal(expected.Next(-5, 1000), actual.Next(-5, 1000));
                Assert.Equal(expected.Next(int.MinValue, int.MaxValue), actual.Next(int.MinValue, int.MaxValue));
                Assert.Equal(expected.NextDouble(), actual.NextDouble());
                Assert.Equal(expected.NextSingle(), actual.NextSingle());
                Assert.Equal(expected.NextInt64(), actual.NextInt64());
                Assert.Equal(expected.NextInt64(1_000_000_007L), actual.NextInt64(1_000_000_007L));
                expected.NextBytes(a);
                actual.NextBytes(b);
                Assert.Equal(a, b);
            }
            int[] x = Enumerable.Range(0, 50).ToArray(), y = Enumerable.Range(0, 50).ToArray();
            expected.Shuffle(x);
            actual.Shuffle(y);
            Assert.Equal(x, y);
        }
    }

    [Fact]
    public void A_restored_generator_continues_the_sequence()
    {
        var original = new SubtractiveRandom(9);
        for (int k = 0; k < 77; k++) original.Next();
        int[] state = original.ExportState();
        var restored = new SubtractiveRandom(1);
        restored.ImportState(state);
        for (int k = 0; k < 200; k++) Assert.Equal(original.NextDouble(), restored.NextDouble());
        Assert.Throws<ArgumentException>(() => restored.ImportState(new int[3]));
    }

    public static TheoryData<string> Optimizers => ["adam", "adamw", "adamax", "sgd", "nesterov"];

    private static Optimizer Create(string kind, IEnumerable<(string, float[], float[])> tensors) => kind switch
    {
        "adam" => new Adam(tensors, 1e-2f),
        "adamw" => new Adam(tensors, 1e-2f, weightDecay: 0.1f),
        "adamax" => new Adamax(tensors, 1e-2f),
        "sgd" => new Sgd(tensors, 1e-2f, momentum: 0.9f),
        "nesterov" => new Sgd(tensors, 1e-2f, momentum: 0.9f, nesterov: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void An_imported_optimizer_state_continues_bit_for_bit(string kind)
    {
        static (float[] Value, float[] Gradient)[] Tensors() => [(new float[37], new float[37]), (new float[5], new float[5])];
        static void Gradients((float[] Value, float[] Gradient)[] t, int step)
        {
            for (int p = 0; p < t.Length; p++)
                for (int i = 0; i < t[p].Gradient.Length; i++)
                    t[p].Gradient[i] = MathF.Sin(0.37f * i + 1.3f * step + p) - 0.2f * t[p].Value[i];
        }
        var uninterrupted = Tensors();
        Optimizer a = Create(kind, uninterrupted.Select((t, k) => ($"p{k}", t.Value, t.Gradient)));
        for (int step = 0; step < 20; step++) { Gradients(uninterrupted, step); a.Step(); }

        var first = Tensors();
        Optimizer b = Create(kind, first.Select((t, k) => ($"p{k}", t.Value, t.Gradient)));
        for (int step = 0; step < 8; step++) { Gradients(first, step); b.Step(); }
        OptimizerState saved = b.ExportState();
        var resumed = first.Select(t => ((float[])t.Value.Clone(), new float[t.Gradient.Length])).ToArray();
        Optimizer c = Create(kind, resumed.Select((t, k) => ($"p{k}", t.Item1, t.Item2)));
        c.ImportState(saved);
        Assert.Equal(8, c.StepCount);
        for (int step = 8; step < 20; step++) { Gradients(resumed, step); c.Step(); }
        for (int p = 0; p < uninterrupted.Length; p++) Assert.Equal(uninterrupted[p].Value, resumed[p].Item1);
        Assert.NotEmpty(saved.Slots);
    }

    [Fact]
    public void An_optimizer_state_of_another_kind_or_hyperparameter_is_refused_without_change()
    {
        var value = new float[4];
        var adam = new Adam([("w", value, new float[4])], 1e-3f, beta1: 0.8f);
        var sgd = new Sgd([("w", value, new float[4])], 1e-3f, momentum: 0.5f);
        var e = Assert.Throws<ArgumentException>(() => adam.ImportState(sgd.ExportState()));
        Assert.Contains("The state is of a Sgd optimizer; this one is Adam", e.Message);
        var other = new Adam([("w", value, new float[4])], 1e-3f);
        other.Step();
        e = Assert.Throws<ArgumentException>(() => adam.ImportState(other.ExportState()));
        Assert.Contains("Adam hyperparameter 'beta1' is 0.9 in the state and 0.8 here", e.Message);
        Assert.Equal(0, adam.StepCount);
        var longer = new Adam([("w", new float[5], new float[5])], 1e-3f, beta1: 0.8f);
        e = Assert.Throws<ArgumentException>(() => adam.ImportState(longer.ExportState()));
        Assert.Contains("'m' for parameter 'w' has 5 values; the parameter has 4", e.Message);
    }

    private static (TinyYinYang Network, Trainer Trainer) CreateRun(Func<IEnumerable<(string, float[], float[])>, Optimizer> optimizer, int epochs, string? checkpoint = null,
        int every = 0, bool onEarlyStop = false, int patience = 0)
    {
        var network = new TinyYinYang();
        network.InitializeWeights(seed: 7, scale: 2f);
        var trainer = new Trainer(network, new ReadoutCrossEntropy(nameof(TinyYinYang.Readout)), optimizer,
            new TrainerOptions
            {
                Epochs = epochs, BatchSize = 32, Seed = 3, MaxGradientNorm = 5f, Patience = patience,
                Schedule = LearningRateSchedule.ReduceOnPlateau(factor: 0.5f, patience: 0, threshold: 0.05f),
                Augment = (batch, random) => batch.WithInputs(global::SnnDsl.Encoding.RasterAugment.TimeShift(batch.Inputs, 2, random)),
                CheckpointPath = checkpoint, CheckpointEvery = every, CheckpointOnEarlyStop = onEarlyStop,
            });
        return (network, trainer);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Resuming_from_a_checkpoint_gives_bit_identical_weights_to_an_uninterrupted_run(string kind)
    {
        using var folder = new TempFolder();
        Optimizer Make(IEnumerable<(string, float[], float[])> t) => Create(kind, t);
        (TinyYinYang reference, Trainer referenceTrainer) = CreateRun(Make, epochs: 6, patience: 20);
        IReadOnlyList<EpochReport> all = referenceTrainer.Fit(Train, Validation);

        string path = folder.File("run-{epoch}.snnc");
        (_, Trainer first) = CreateRun(Make, epochs: 6, checkpoint: path, every: 2, patience: 20);
        first.Fit(Train, Validation);
        Assert.True(File.Exists(folder.File("run-2.snnc")) && File.Exists(folder.File("run-4.snnc")) && File.Exists(folder.File("run-6.snnc")));

        (TinyYinYang resumed, Trainer second) = CreateRun(Make, epochs: 6, patience: 20);
        second.LoadCheckpoint(folder.File("run-2.snnc"));
        Assert.Equal(2, second.EpochsCompleted);
        IReadOnlyList<EpochReport> rest = second.Fit(Train, Validation);

        Assert.Equal(all.Skip(2).Select(r => (r.Epoch, r.Train, r.Validation, r.LearningRate)), rest.Select(r => (r.Epoch, r.Train, r.Validation, r.LearningRate)));
        ModelFileTests.AssertSameTensors(NetworkTensors.Collect(reference), NetworkTensors.Collect(resumed));
        Assert.Equal(referenceTrainer.Optimizer.ExportState().Slots.SelectMany(s => s.Values), second.Optimizer.ExportState().Slots.SelectMany(s => s.Values));
    }

    [Fact]
    public void A_checkpoint_on_early_stop_resumes_to_the_restored_best_weights()
    {
        using var folder = new TempFolder();
        Optimizer Make(IEnumerable<(string, float[], float[])> t) => new Adam(t, 0.05f);   // too fast: validation soon stops improving
        (TinyYinYang reference, Trainer referenceTrainer) = CreateRun(Make, epochs: 30, patience: 2);
        IReadOnlyList<EpochReport> all = referenceTrainer.Fit(Train, Validation);
        Assert.True(all[^1].StoppedEarly, "the run must stop early for this test");

        string path = folder.File("stop.snnc");
        (_, Trainer first) = CreateRun(Make, epochs: 30, checkpoint: path, onEarlyStop: true, patience: 2);
        first.Fit(Train, Validation);
        SnnFileContents contents = ModelFile.Read(path);
        Assert.Equal("CKPT", contents.Kind);
        Assert.Equal(all.Count, contents.Tensor("trainer/epochs-done")!.AsInt64()[0]);
        Assert.Equal(1, contents.Tensor("trainer/stopped")!.AsUInt8()[0]);

        (TinyYinYang resumed, Trainer second) = CreateRun(Make, epochs: 30, patience: 2);
        second.LoadCheckpoint(path);
        Assert.Empty(second.Fit(Train, Validation));                  // stopped: no epoch runs, the best weights come back
        ModelFileTests.AssertSameTensors(NetworkTensors.Collect(reference), NetworkTensors.Collect(resumed));

        var modelOnly = new TinyYinYang();                             // a checkpoint is also a model file
        ModelFile.Load(modelOnly, path);
        Assert.Equal(contents.Tensor("connection/Recurrent/weights")!.AsFloat32(), modelOnly.Recurrent.Weights);
    }

    [Fact]
    public void A_checkpoint_that_does_not_fit_the_trainer_is_refused_and_changes_nothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("c.snnc");
        (_, Trainer trainer) = CreateRun(t => new Adam(t, 1e-2f), epochs: 1);
        trainer.Fit(Train);
        trainer.SaveCheckpoint(path);

        (TinyYinYang network, Trainer sgd) = CreateRun(t => new Sgd(t, 1e-2f, momentum: 0.9f), epochs: 3);
        IReadOnlyList<StoredTensor> before = NetworkTensors.Collect(network);
        var e = Assert.Throws<CheckpointMismatchException>(() => sgd.LoadCheckpoint(path));
        Assert.Contains($"Checkpoint '{path}' does not fit this trainer: The state is of a Adam optimizer; this one is Sgd", e.Message);
        ModelFileTests.AssertSameTensors(before, NetworkTensors.Collect(network));
        Assert.Equal(0, sgd.EpochsCompleted);

        var other = new TinyYinYang();
        var batch64 = new Trainer(other, new ReadoutCrossEntropy(nameof(TinyYinYang.Readout)), t => new Adam(t, 1e-2f), new TrainerOptions { BatchSize = 64 });
        e = Assert.Throws<CheckpointMismatchException>(() => batch64.LoadCheckpoint(path));
        Assert.Contains("it was written with batch size 32; this trainer uses 64", e.Message);

        ModelFile.Save(network, folder.File("model.snnm"));
        e = Assert.Throws<CheckpointMismatchException>(() => trainer.LoadCheckpoint(folder.File("model.snnm")));
        Assert.Contains("it is a model file, not a training checkpoint", e.Message);

        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        Assert.Throws<ModelFileCorruptedException>(() => sgd.LoadCheckpoint(path));
        ModelFileTests.AssertSameTensors(before, NetworkTensors.Collect(network));
    }

    /// <summary>
    /// Starts the child training run, which the operating system kills in the middle of writing the checkpoint of
    /// epoch 3 (a file-size limit it sets on itself just before, see CheckpointChild's KillDuringCheckpoint), checks that
    /// the checkpoint file still holds epoch 2 intact beside the half-written temporary file, resumes from it in this
    /// process and compares with an uninterrupted run.
    /// </summary>
    [Fact]
    public async Task A_run_killed_while_writing_a_checkpoint_resumes_from_the_previous_one_to_the_same_weights()
    {
        (CheckpointNet reference, Trainer referenceTrainer) = CheckpointRun.Create(checkpointPath: null);
        referenceTrainer.Fit(CheckpointRun.Train, CheckpointRun.Validation);

        string child = Path.Combine(AppContext.BaseDirectory, "SnnDsl.CheckpointChild.dll");
        Assert.True(File.Exists(child), $"{child} is built with the tests");
        using var folder = new TempFolder();
        string checkpoint = folder.File("run.snnc");
        const int killedEpoch = 3;
        using var process = Process.Start(new ProcessStartInfo("dotnet", [child, checkpoint, folder.File("final.snnm"), $"{killedEpoch}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        Task<string> errors = process.StandardError.ReadToEndAsync(), printed = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the child run did not end within 3 minutes");
        }
        const int killedByFileSizeLimit = 128 + 25;                    // SIGXFSZ
        Assert.True(process.ExitCode == killedByFileSizeLimit, $"the child was to die of SIGXFSZ while writing its checkpoint; it exited with {process.ExitCode}: {await errors}{await printed}");

        string temporary = Assert.Single(Directory.GetFiles(folder.Path, ".run.snnc.*.tmp"));
        Assert.False(File.Exists(folder.File("final.snnm")));
        SnnFileContents previous = ModelFile.Read(checkpoint);         // intact: the old file, never half a file
        Assert.Equal(killedEpoch - 1, previous.Tensor("trainer/epochs-done")!.AsInt64()[0]);
        Assert.InRange(new FileInfo(temporary).Length, 1, previous.Length - 1);
        output.WriteLine($"killed while writing the checkpoint of epoch {killedEpoch}; the one of epoch {killedEpoch - 1} ({previous.Length} bytes) is intact; the temporary file has {new FileInfo(temporary).Length} bytes");

        (CheckpointNet resumed, Trainer trainer) = CheckpointRun.Create(checkpointPath: null);
        trainer.LoadCheckpoint(checkpoint);
        trainer.Fit(CheckpointRun.Train, CheckpointRun.Validation);
        ModelFileTests.AssertSameTensors(NetworkTensors.Collect(reference), NetworkTensors.Collect(resumed));
    }
}
