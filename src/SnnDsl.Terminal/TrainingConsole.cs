using System.Globalization;
using Spectre.Console;
using SnnDsl.Data;
using SnnDsl.Training;

namespace SnnDsl.Terminal;

/// <summary>Settings of <see cref="TrainingConsole"/>.</summary>
public sealed class TrainingDisplayOptions
{
    /// <summary>Live bars (true), plain lines (false), or decide from the environment (null, the default): see <see cref="TrainingConsole.LiveByDefault"/>.</summary>
    public bool? Live { get; init; }

    /// <summary>The console of the live display; null uses <see cref="AnsiConsole.Console"/>.</summary>
    public IAnsiConsole? Console { get; init; }

    /// <summary>Where plain lines go; null uses <see cref="System.Console.Out"/>.</summary>
    public TextWriter? PlainOutput { get; init; }

    /// <summary>In plain mode, a batch line is written when at least this much time passed since the last line (an epoch line is always written).</summary>
    public TimeSpan PlainBatchInterval { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Training with a progress display: on a terminal, a live bar per epoch (Spectre.Console) with batch progress,
/// running loss and accuracy, the epoch's remaining time and a spinner, and one summary line per finished epoch with
/// the validation result and the estimated time left for the whole run; when output is redirected or the
/// <c>CI</c> environment variable is set, plain lines instead (<see cref="PlainTrainingProgress"/>).
/// </summary>
public static class TrainingConsole
{
    /// <summary>Whether the live display is the default here: output is a terminal and <c>CI</c> is unset or empty.</summary>
    public static bool LiveByDefault =>
        !System.Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Runs <see cref="Trainer.Fit"/> with the display and returns its epoch reports.</summary>
    public static IReadOnlyList<EpochReport> Fit(Trainer trainer, Dataset train, Dataset? validation = null,
        TrainingDisplayOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        options ??= new TrainingDisplayOptions();
        if (!(options.Live ?? LiveByDefault))
        {
            var plain = new PlainTrainingProgress(options.PlainOutput ?? System.Console.Out, options.PlainBatchInterval);
            return trainer.Fit(train, validation, plain, cancellation);
        }

        IAnsiConsole console = options.Console ?? AnsiConsole.Console;
        IReadOnlyList<EpochReport> reports = [];
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => reports = trainer.Fit(train, validation, new LiveProgress(context, console), cancellation));
        return reports;
    }

    /// <summary>The summary line of an epoch: losses, accuracies, learning rate, duration and, when known, the time left.</summary>
    public static string EpochLine(EpochReport report, TimeSpan? remaining = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        string validation = report.Validation is { } v
            ? string.Create(CultureInfo.InvariantCulture, $"  validation loss {v.Loss:F4} acc {100 * v.Accuracy:F1}%")
            : "";
        string left = remaining is { } r && !report.StoppedEarly && report.Epoch < report.Epochs ? $"  ≈ {Duration(r)} left" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {report.Epoch}/{report.Epochs}  loss {report.Train.Loss:F4}  train acc {100 * report.Train.Accuracy:F1}%{validation}  lr {report.LearningRate:G3}  {report.Elapsed.TotalSeconds:F2} s{left}{(report.StoppedEarly ? "  early stop" : "")}");
    }

    /// <summary>The line of a mini-batch: position in the epoch, running loss and accuracy.</summary>
    public static string BatchLine(BatchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {report.Epoch}/{report.Epochs}  batch {report.Batch}/{report.Batches}  loss {report.Train.Loss:F4}  acc {100 * report.Train.Accuracy:F1}%");
    }

    /// <summary>Time left for the run, from the mean duration of the epochs so far.</summary>
    internal static TimeSpan Remaining(TimeSpan elapsedSoFar, int epochsDone, int epochs) =>
        epochsDone == 0 ? TimeSpan.Zero : elapsedSoFar / epochsDone * (epochs - epochsDone);

    private static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    // Live: one progress task per epoch, advanced per batch; finished epochs become lines above the bar.
    private sealed class LiveProgress(ProgressContext context, IAnsiConsole console) : IProgress<EpochReport>, IProgress<BatchReport>
    {
        private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(50);
        private ProgressTask? _task;
        private int _taskEpoch;
        private TimeSpan _elapsed;
        private DateTime _lastRefresh;

        public void Report(BatchReport value)
        {
            if (_task is null || _taskEpoch != value.Epoch)
            {
                _task = context.AddTask(Markup.Escape($"epoch {value.Epoch}/{value.Epochs}"), maxValue: value.Batches);
                _taskEpoch = value.Epoch;
            }
            _task.Value = value.Batch;
            _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"epoch {value.Epoch}/{value.Epochs}  loss {value.Train.Loss:F4}  acc {100 * value.Train.Accuracy:F1}%"));
            // Redraw now (Spectre's own timer redraws every 100 ms) at an epoch's first batch and then at most every 50 ms.
            if (value.Batch == 1 || DateTime.UtcNow - _lastRefresh >= RefreshInterval)
            {
                context.Refresh();
                _lastRefresh = DateTime.UtcNow;
            }
        }

        public void Report(EpochReport value)
        {
            _elapsed += value.Elapsed;
            _task?.StopTask();
            string line = Markup.Escape(EpochLine(value, Remaining(_elapsed, value.Epoch, value.Epochs)));
            console.MarkupLine(value.StoppedEarly ? $"[yellow]{line}[/]" : line);
        }
    }
}

/// <summary>
/// Plain-text training progress for logs and CI: a line per epoch (<see cref="TrainingConsole.EpochLine"/>) and, at
/// most every <c>batchInterval</c>, a line for the current mini-batch. Written on the trainer's thread, in order.
/// </summary>
public sealed class PlainTrainingProgress(TextWriter output, TimeSpan batchInterval) : IProgress<EpochReport>, IProgress<BatchReport>
{
    private readonly TextWriter _output = output ?? throw new ArgumentNullException(nameof(output));
    private DateTime _lastLine = DateTime.UtcNow;
    private TimeSpan _elapsed;

    /// <inheritdoc/>
    public void Report(BatchReport value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Batch == value.Batches || DateTime.UtcNow - _lastLine < batchInterval) return;
        _output.WriteLine(TrainingConsole.BatchLine(value));
        _lastLine = DateTime.UtcNow;
    }

    /// <inheritdoc/>
    public void Report(EpochReport value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _elapsed += value.Elapsed;
        _output.WriteLine(TrainingConsole.EpochLine(value, TrainingConsole.Remaining(_elapsed, value.Epoch, value.Epochs)));
        _output.Flush();
        _lastLine = DateTime.UtcNow;
    }
}
