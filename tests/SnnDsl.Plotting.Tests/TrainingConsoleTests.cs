using Spectre.Console;
using SnnDsl.Data;
using SnnDsl.Neurons;
using SnnDsl.Terminal;
using SnnDsl.Training;

namespace SnnDsl.Plotting.Tests;

[Network]
public partial class ConsoleNet
{
    [Input(5)] public partial SpikeInput Input { get; }
    [Population(16)] public partial Population<CubaLif> Hidden { get; }
    [Population(3)] public partial Population<LeakyReadout> Readout { get; }
    [Dense(nameof(Input), nameof(Hidden))] public partial DenseSynapses InputToHidden { get; }
    [Dense(nameof(Hidden), nameof(Readout))] public partial DenseSynapses HiddenToReadout { get; }
}

public class TrainingConsoleTests
{
    private static readonly Dataset Train = YinYang.Generate(120, seed: 42).ToSpikes();
    private static readonly Dataset Validation = YinYang.Generate(60, seed: 41).ToSpikes();

    private static Trainer CreateTrainer(int epochs)
    {
        var network = new ConsoleNet();
        network.InitializeWeights(seed: 3, scale: 2f);
        return new Trainer(network, new ReadoutCrossEntropy(nameof(ConsoleNet.Readout)), t => new Adam(t, 2e-3f),
            new TrainerOptions { Epochs = epochs, BatchSize = 40 });
    }

    [Fact]
    public void Plain_mode_writes_a_line_per_epoch_and_batch_lines_when_due()
    {
        var output = new StringWriter();
        IReadOnlyList<EpochReport> reports = TrainingConsole.Fit(CreateTrainer(2), Train, Validation,
            new TrainingDisplayOptions { Live = false, PlainOutput = output, PlainBatchInterval = TimeSpan.Zero });
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // 120 samples in batches of 40: batches 1 and 2 get a line, the last batch is covered by the epoch line.
        Assert.Equal(["epoch 1/2  batch 1/3", "epoch 1/2  batch 2/3", "epoch 1/2  loss", "epoch 2/2  batch 1/3", "epoch 2/2  batch 2/3", "epoch 2/2  loss"],
            lines.Select(l => l[..(l.StartsWith("epoch 1/2  loss") || l.StartsWith("epoch 2/2  loss") ? 15 : 20)]));
        Assert.Equal(TrainingConsole.EpochLine(reports[1]), lines[^1]);
        Assert.Contains("validation loss", lines[2]);
        Assert.Contains("left", lines[2]);        // time left after epoch 1 of 2
        Assert.DoesNotContain("left", lines[^1]);

        var quiet = new StringWriter();
        TrainingConsole.Fit(CreateTrainer(1), Train, null, new TrainingDisplayOptions { Live = false, PlainOutput = quiet, PlainBatchInterval = TimeSpan.FromHours(1) });
        Assert.Single(quiet.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Live_mode_draws_bars_on_an_interactive_console_and_leaves_the_epoch_lines()
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 300;   // no wrapping of the epoch lines
        IReadOnlyList<EpochReport> reports = TrainingConsole.Fit(CreateTrainer(2), Train, Validation, new TrainingDisplayOptions { Live = true, Console = console });
        string text = writer.ToString();
        Assert.Equal(2, reports.Count);
        Assert.Contains(TrainingConsole.EpochLine(reports[1]), text);
        Assert.Contains("epoch 1/2  loss", text);
        Assert.Contains("━", text);               // the progress bar was drawn
    }

    [Fact]
    public void Epoch_lines_show_the_learning_rate_and_early_stop()
    {
        var report = new EpochReport(4, 10, new Evaluation(0.5f, 0.75f), null, TimeSpan.FromSeconds(2.5), true, 5e-4f);
        Assert.Equal("epoch 4/10  loss 0.5000  train acc 75.0%  lr 0.0005  2.50 s  early stop", TrainingConsole.EpochLine(report, TimeSpan.FromMinutes(1)));
    }
}
