using ScottPlot;
using ScottPlot.Plottables;
using SnnDsl.Data;
using SnnDsl.Encoding;
using SnnDsl.Neurons;
using SnnDsl.Training;

namespace SnnDsl.Plotting.Tests;

/// <summary>A small network whose forward pass feeds the plots.</summary>
[Network(TimeStep = 1e-3)]
public partial class PlotNet
{
    [Input(12)] public partial SpikeInput In { get; }
    [Population(20)] public partial Population<CubaLif> Hidden { get; }
    [Population(3)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

public sealed class PlotTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "snndsl-plots-" + Guid.NewGuid().ToString("N"));
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public PlotTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (PlotNet Network, SpikeRaster Input, SimulationResult Result) Simulate()
    {
        var network = new PlotNet();
        network.InitializeWeights(seed: 1, scale: 3f);
        SpikeRaster input = RateCode.Bernoulli(Filled(2, 12, 0.2f), steps: 80, seed: 2);
        SimulationResult result = network.Simulate([input], new SimulationOptions { RecordStates = ["Hidden.U", "Hidden.I"] });
        return (network, input, result);
    }

    private static float[,] Filled(int samples, int features, float value)
    {
        var x = new float[samples, features];
        for (int b = 0; b < samples; b++) for (int f = 0; f < features; f++) x[b, f] = value;
        return x;
    }

    // Saves through the given call into the test folder and checks the PNG.
    private void SaveAndCheck(Action<string> save, string name)
    {
        string path = Path.Combine(_folder, name);
        save(path);
        AssertPng(path);
    }

    private void AssertPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} has only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(_folder).Select(Path.GetFileName).Where(n => n!.StartsWith('.') || n == Path.GetFileName(path)));
    }

    private static Coordinates[] Points(IPlottable plottable) => plottable switch
    {
        Markers m => m.Data.GetScatterPoints().ToArray(),
        Scatter s => s.Data.GetScatterPoints().ToArray(),
        _ => throw new InvalidOperationException(plottable.GetType().Name),
    };

    [Fact]
    public void A_raster_has_one_tick_per_spike_at_its_time_and_neuron()
    {
        (_, SpikeRaster input, SimulationResult result) = Simulate();
        SpikeRaster hidden = result.Spikes("Hidden");
        Plot plot = SnnPlots.Raster([("input", input), ("hidden", hidden)], sample: 1, timeStep: 1e-3);
        Markers[] layers = plot.GetPlottables().OfType<Markers>().ToArray();
        Assert.Equal(2, layers.Length);
        Coordinates[] inputTicks = Points(layers[0]), hiddenTicks = Points(layers[1]);
        Assert.Equal(input.CountPerNeuron(1).Sum(), inputTicks.Length);
        Assert.Equal(hidden.CountPerNeuron(1).Sum(), hiddenTicks.Length);
        Assert.All(inputTicks, p => Assert.True(input[1, (int)Math.Round(p.X), (int)p.Y]));                  // Δt = 1 ms: x in ms is the step
        Assert.All(hiddenTicks, p => Assert.True(hidden[1, (int)Math.Round(p.X), (int)p.Y - input.Neurons]));   // hidden above the inputs
        Assert.Contains("time (ms", plot.Axes.Bottom.Label.Text);

        SaveAndCheck(p => plot.SavePng(p), "raster.png");
    }

    [Fact]
    public void Traces_draw_the_recorded_values_of_the_chosen_neurons_one_panel_per_state()
    {
        (_, _, SimulationResult result) = Simulate();
        Multiplot traces = SnnPlots.Traces(result, "Hidden", ["U", "I"], [0, 5, 7], sample: 0, timeStep: 1e-3, threshold: 1f);
        Plot[] panels = traces.GetPlots();
        Assert.Equal(2, panels.Length);
        StateRecording u = result.States("Hidden", "U");
        Scatter[] lines = panels[0].GetPlottables().OfType<Scatter>().ToArray();
        Assert.Equal(3, lines.Length);
        Coordinates[] neuron5 = Points(lines[1]);
        Assert.Equal(Enumerable.Range(0, u.Steps).Select(t => (double)u[0, t, 5]), neuron5.Select(p => p.Y));
        Assert.Single(panels[0].GetPlottables().OfType<HorizontalLine>());
        Assert.Empty(panels[1].GetPlottables().OfType<HorizontalLine>());
        Assert.Equal("Hidden.I (model units)", panels[1].Axes.Left.Label.Text);

        SaveAndCheck(p => traces.SavePng(p, 900, 700), "traces.png");
        Assert.Throws<ArgumentOutOfRangeException>(() => SnnPlots.Trace(u, [20]));
        Assert.Throws<ArgumentException>(() => SnnPlots.Traces(result, "Hidden", ["V"], [0]));
    }

    [Fact]
    public void Firing_rates_are_spikes_per_second_per_neuron_and_the_histogram_counts_every_neuron()
    {
        (_, _, SimulationResult result) = Simulate();
        SpikeRaster hidden = result.Spikes("Hidden");
        double[] rates = SnnPlots.FiringRateValues(hidden, 1e-3);
        for (int i = 0; i < hidden.Neurons; i++)
            Assert.Equal((hidden.CountPerNeuron(0)[i] + hidden.CountPerNeuron(1)[i]) / (2 * 80 * 1e-3), rates[i], 9);
        Plot plot = SnnPlots.FiringRates(hidden, 1e-3, "Hidden");
        BarPlot bars = plot.GetPlottables().OfType<BarPlot>().Single();
        Assert.Equal(hidden.Neurons, bars.Bars.Sum(b => b.Value));
        Assert.Equal("firing rate (Hz)", plot.Axes.Bottom.Label.Text);
        SaveAndCheck(p => plot.SavePng(p), "rates.png");
    }

    [Fact]
    public void Training_curves_plot_the_reported_losses_and_accuracies()
    {
        EpochReport[] reports = Enumerable.Range(1, 5).Select(e => new EpochReport(e, 5,
            new Evaluation(1f / e, 0.5f + 0.05f * e), new Evaluation(1.2f / e, 0.4f + 0.05f * e), TimeSpan.FromSeconds(1), false, 1e-3f)).ToArray();
        Multiplot curves = SnnPlots.TrainingCurves(reports);
        Plot[] panels = curves.GetPlots();
        Scatter[] loss = panels[0].GetPlottables().OfType<Scatter>().ToArray();
        Assert.Equal(["training", "validation"], loss.Select(l => l.LegendText));
        Assert.Equal(reports.Select(r => (double)r.Validation!.Value.Loss), Points(loss[1]).Select(p => p.Y));
        Assert.Equal(reports.Select(r => 100.0 * r.Train.Accuracy), Points(panels[1].GetPlottables().OfType<Scatter>().First()).Select(p => p.Y));
        SaveAndCheck(p => curves.SavePng(p, 900, 700), "curves.png");
        Assert.Throws<ArgumentException>(() => SnnPlots.TrainingCurves([]));
    }

    [Fact]
    public void Weight_histograms_count_every_weight_of_every_connection()
    {
        (PlotNet network, _, _) = Simulate();
        Plot plot = SnnPlots.Weights(network.Connections, bins: 30);
        Scatter[] outlines = plot.GetPlottables().OfType<Scatter>().ToArray();
        Assert.Equal(network.Connections.Count, outlines.Length);
        for (int c = 0; c < outlines.Length; c++)
        {
            // The outline holds each bin's count twice (left and right edge), framed by two zeros.
            double total = Points(outlines[c]).Skip(1).SkipLast(1).Where((_, i) => i % 2 == 0).Sum(p => p.Y);
            Assert.Equal(network.Connections[c].Weights.Length, total);
        }
        SaveAndCheck(p => plot.SavePng(p), "weights.png");
    }

    [Fact]
    public void Saving_into_a_missing_folder_names_the_folder()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => SnnPlots.Raster(new SpikeRaster(1, 5, 3)).SavePng(Path.Combine(_folder, "nope", "r.png")));
        Assert.Contains("nope", e.Message);
    }
}

public class TrainingFiguresTests
{
    [Fact]
    public void The_standard_figures_are_written_as_non_empty_pngs()
    {
        string folder = Path.Combine(Path.GetTempPath(), "snndsl-figures-" + Guid.NewGuid().ToString("N"), "out");
        try
        {
            var network = new PlotNet();
            network.InitializeWeights(seed: 1, scale: 3f);
            SpikeRaster input = RateCode.Bernoulli(new float[,] { { 0.2f, 0.3f, 0.1f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f } }, 60, seed: 3);
            EpochReport[] reports = [new(1, 2, new Evaluation(1f, 0.4f), null, TimeSpan.FromSeconds(1), false, 1e-3f), new(2, 2, new Evaluation(0.8f, 0.5f), null, TimeSpan.FromSeconds(1), false, 1e-3f)];
            IReadOnlyList<string> files = TrainingFigures.Write(folder, network, reports, input, "Hidden", ["U", "I"], 1e-3, threshold: 1f);
            Assert.Equal(["training.png", "raster.png", "traces.png", "rates.png", "weights.png"], files.Select(Path.GetFileName));
            Assert.All(files, f => Assert.True(new FileInfo(f).Length > 1000, f));
            Assert.Equal(5, Directory.GetFiles(folder).Length);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
