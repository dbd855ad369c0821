using System.Runtime.InteropServices;
using SnnDsl;
using SnnDsl.Data;
using SnnDsl.Encoding;
using SnnDsl.Export;
using SnnDsl.Neurons;
using SnnDsl.Training;
using SnnDsl.CheckpointChild;

// Trains CheckpointNet with a checkpoint after every epoch: `SnnDsl.CheckpointChild <checkpoint> <final-model> [<epoch>]`.
// With <epoch>, the process is killed by the operating system in the middle of writing the checkpoint of that epoch:
// once the epoch's report arrives (just before its checkpoint), the file-size limit drops below a checkpoint's size,
// and the write that crosses it ends the process with SIGXFSZ, half a temporary file on disk. The checkpoint tests then
// resume from the checkpoint before.
if (args.Length is not (2 or 3) || args.Length == 3 && !int.TryParse(args[2], out _))
{
    Console.Error.WriteLine("usage: SnnDsl.CheckpointChild <checkpoint-path> <final-model-path> [<epoch whose checkpoint write is killed>]");
    return 2;
}
(CheckpointNet network, Trainer trainer) = CheckpointRun.Create(checkpointPath: args[0]);
IProgress<EpochReport>? killer = args.Length == 3 ? new KillDuringCheckpoint(int.Parse(args[2])) : null;
trainer.Fit(CheckpointRun.Train, CheckpointRun.Validation, killer);
ModelFile.Save(network, args[1]);
return 0;

namespace SnnDsl.CheckpointChild
{
    /// <summary>
    /// A network whose checkpoint (5.8 MB: a 600 × 600 recurrent matrix, Adam's two moments of it and the early-stopping
    /// copy of the weights) is well over the 1 MB file-size limit that <see cref="KillDuringCheckpoint"/> sets.
    /// </summary>
    [Network]
    public partial class CheckpointNet
    {
        [Input(5)] public partial SpikeInput Input { get; }
        [Population(600)] public partial Population<CubaLif> Hidden { get; }
        [Population(3)] public partial Population<LeakyReadout> Readout { get; }
        [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
        [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
        [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
    }

    /// <summary>The run the child performs and the tests repeat in-process.</summary>
    public static class CheckpointRun
    {
        /// <summary>Epochs of the run.</summary>
        public const int Epochs = 5;

        /// <summary>Yin-Yang training samples, latency-coded.</summary>
        public static Dataset Train { get; } = YinYang.Generate(96, seed: 42).ToSpikes();

        /// <summary>Validation samples (early-stopping state is part of the checkpoint).</summary>
        public static Dataset Validation { get; } = YinYang.Generate(32, seed: 41).ToSpikes();

        /// <summary>The network and its trainer: Adam with decoupled weight decay, a plateau schedule, augmentation, early stopping.</summary>
        public static (CheckpointNet Network, Trainer Trainer) Create(string? checkpointPath)
        {
            var network = new CheckpointNet();
            network.InitializeWeights(seed: 3, scale: 2f);
            var trainer = new Trainer(network, new ReadoutCrossEntropy(nameof(CheckpointNet.Readout)),
                t => new Adam(t, 3e-3f, weightDecay: 1e-3f),
                new TrainerOptions
                {
                    Epochs = Epochs, BatchSize = 32, Seed = 5, Patience = 10, MaxGradientNorm = 5f,
                    Schedule = LearningRateSchedule.ReduceOnPlateau(factor: 0.5f, patience: 0),
                    Augment = (batch, random) => batch.WithInputs(RasterAugment.TimeShift(batch.Inputs, 2, random)),
                    CheckpointPath = checkpointPath, CheckpointEvery = checkpointPath is null ? 0 : 1,
                });
            return (network, trainer);
        }
    }

    /// <summary>
    /// At the report of epoch <c>epoch</c>, which the trainer gives just before that epoch's checkpoint, limits the size
    /// of any file this process writes to 1 MB (setrlimit RLIMIT_FSIZE), a sixth of a checkpoint. The checkpoint's
    /// write then crosses the limit and the kernel kills the process with SIGXFSZ, which .NET leaves at its default.
    /// </summary>
    internal sealed class KillDuringCheckpoint(int epoch) : IProgress<EpochReport>
    {
        private const int RlimitFsize = 1;    // Linux and macOS

        public void Report(EpochReport value)
        {
            if (value.Epoch != epoch) return;
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
                throw new PlatformNotSupportedException("killing a checkpoint write needs setrlimit (Linux or macOS)");
            if (GetResourceLimit(RlimitFsize, out ResourceLimit limit) != 0)
                throw new InvalidOperationException($"getrlimit(RLIMIT_FSIZE) failed: errno {Marshal.GetLastPInvokeError()}");
            limit.Current = 1 << 20;    // the soft limit; the hard one stays
            if (SetResourceLimit(RlimitFsize, ref limit) != 0)
                throw new InvalidOperationException($"setrlimit(RLIMIT_FSIZE) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct ResourceLimit
        {
            public ulong Current;
            public ulong Maximum;
        }

        [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
        private static extern int GetResourceLimit(int resource, out ResourceLimit limit);

        [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
        private static extern int SetResourceLimit(int resource, ref ResourceLimit limit);
    }
}
