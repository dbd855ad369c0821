using System.Globalization;
using System.Numerics;
using ScottPlot;
using SnnDsl.Training;

namespace SnnDsl.Plotting;

/// <summary>
/// Plots of spiking networks, after snnTorch's <c>spikeplot</c>: each method returns a ScottPlot <see cref="Plot"/>
/// (or a <see cref="Multiplot"/> of stacked panels) with titles, axis labels with units and legends, to adjust
/// further or to save with <see cref="PlotFiles.SavePng(Plot, string, int, int)"/>. Times are in milliseconds
/// when the step Δt (seconds) is given, else in steps; states and weights are in the model's own units.
/// </summary>
public static class SnnPlots
{
    /// <summary>Spike raster of one sample: a vertical tick at (time, neuron) for every spike.</summary>
    /// <param name="spikes">Spikes [batch, steps, neurons].</param>
    /// <param name="sample">The sample to draw.</param>
    /// <param name="timeStep">Δt in seconds (e.g. <c>network.Descriptor</c>'s step); null plots steps.</param>
    /// <param name="title">Plot title.</param>
    public static Plot Raster(SpikeRaster spikes, int sample = 0, double? timeStep = null, string title = "Spike raster") =>
        Raster([("spikes", spikes)], sample, timeStep, title);

    /// <summary>
    /// Spike raster of several layers of one sample stacked bottom-up (e.g. input, then hidden), one color and
    /// legend entry per layer; the y axis numbers the neurons of all layers in order.
    /// </summary>
    public static Plot Raster(IReadOnlyList<(string Label, SpikeRaster Spikes)> layers, int sample = 0, double? timeStep = null, string title = "Spike raster")
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("Give at least one layer.", nameof(layers));
        var plot = new Plot();
        int offset = 0;
        var ranges = new List<string>();
        for (int l = 0; l < layers.Count; l++)
        {
            (string label, SpikeRaster spikes) = layers[l];
            CheckSample(spikes.Batch, sample);
            var times = new List<double>();
            var neurons = new List<double>();
            for (int t = 0; t < spikes.Steps; t++)
            {
                Span<ulong> row = spikes.Row(sample, t);
                for (int w = 0; w < row.Length; w++)
                    for (ulong bits = row[w]; bits != 0; bits &= bits - 1)
                    {
                        times.Add(Time(t, timeStep));
                        neurons.Add(offset + (w << 6) + BitOperations.TrailingZeroCount(bits));
                    }
            }
            var markers = plot.Add.Markers(times.ToArray(), neurons.ToArray(), MarkerShape.VerticalBar, MarkerSize(layers.Sum(x => x.Spikes.Neurons)), plot.Add.Palette.GetColor(l));
            markers.MarkerStyle.LineWidth = 2f;
            markers.LegendText = FormattableString.Invariant($"{label} ({times.Count} spikes)");
            ranges.Add(FormattableString.Invariant($"{label} {offset}–{offset + spikes.Neurons - 1}"));
            offset += spikes.Neurons;
        }
        plot.Title(FormattableString.Invariant($"{title}, sample {sample}"));
        plot.XLabel(TimeLabel(timeStep));
        plot.YLabel(layers.Count == 1 ? "neuron index" : "neuron index (" + string.Join(", ", ranges) + ")");
        plot.Axes.SetLimits(Time(0, timeStep) - Time(1, timeStep) / 2, Time(layers[0].Spikes.Steps, timeStep), -1, offset);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// Traces of recorded states of chosen neurons of one sample, one panel per state (e.g. "U" then "I"), one line and
    /// legend entry per neuron, panels sharing the time axis. A dashed line marks <paramref name="threshold"/> on the
    /// first panel when given. Record the states with <see cref="SimulationOptions.RecordStates"/>.
    /// </summary>
    /// <param name="result">The forward pass.</param>
    /// <param name="population">Population name.</param>
    /// <param name="states">State names, one panel each.</param>
    /// <param name="neurons">Neuron indices to draw.</param>
    /// <param name="sample">The sample to draw.</param>
    /// <param name="timeStep">Δt in seconds; null plots steps.</param>
    /// <param name="threshold">Firing threshold ϑ to mark on the first panel, in the state's units.</param>
    public static Multiplot Traces(SimulationResult result, string population, IReadOnlyList<string> states, IReadOnlyList<int> neurons,
        int sample = 0, double? timeStep = null, float? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0) throw new ArgumentException("Give at least one state to plot.", nameof(states));
        var multiplot = new Multiplot();
        var plots = new List<Plot>();
        for (int s = 0; s < states.Count; s++)
        {
            Plot plot = Trace(result.States(population, states[s]), neurons, sample, timeStep, s == 0 ? threshold : null);
            plot.Title(s == 0 ? FormattableString.Invariant($"{population}: states of {neurons.Count} neurons, sample {sample}") : "");
            if (s == 0) multiplot.Reset(plot);   // a new Multiplot holds one empty plot: replace it
            else multiplot.AddPlot(plot);
            plots.Add(plot);
        }
        multiplot.SharedAxes.ShareX(plots);
        return multiplot;
    }

    /// <summary>Trace of one recorded state of chosen neurons of one sample, one line and legend entry per neuron.</summary>
    public static Plot Trace(StateRecording recording, IReadOnlyList<int> neurons, int sample = 0, double? timeStep = null, float? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(neurons);
        if (neurons.Count == 0) throw new ArgumentException("Give at least one neuron to plot.", nameof(neurons));
        CheckSample(recording.Batch, sample);
        var plot = new Plot();
        double[] time = Enumerable.Range(0, recording.Steps).Select(t => Time(t, timeStep)).ToArray();
        foreach (int neuron in neurons)
        {
            if ((uint)neuron >= (uint)recording.Neurons)
                throw new ArgumentOutOfRangeException(nameof(neurons), neuron, $"Population '{recording.Population}' has {recording.Neurons} neurons.");
            double[] values = Enumerable.Range(0, recording.Steps).Select(t => (double)recording[sample, t, neuron]).ToArray();
            var line = plot.Add.ScatterLine(time, values);
            line.LegendText = FormattableString.Invariant($"neuron {neuron}");
            line.LineWidth = 1.5f;
        }
        if (threshold is { } theta)
        {
            var line = plot.Add.HorizontalLine(theta, 1.5f, Colors.Black, LinePattern.Dashed);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"threshold ϑ = {theta}");
        }
        plot.Title(FormattableString.Invariant($"{recording.Population}.{recording.State}, sample {sample}"));
        plot.XLabel(TimeLabel(timeStep));
        plot.YLabel(FormattableString.Invariant($"{recording.Population}.{recording.State} (model units)"));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// Histogram of the neurons' firing rates over all samples of <paramref name="spikes"/>: rate = spikes /
    /// (samples · T · Δt) in Hz when Δt is given, else spikes per step. Silent neurons fall into the first bin.
    /// </summary>
    public static Plot FiringRates(SpikeRaster spikes, double? timeStep = null, string population = "neurons", int bins = 20)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        double[] rates = FiringRateValues(spikes, timeStep);
        var plot = new Plot();
        var histogram = ScottPlot.Statistics.Histogram.WithBinCount(bins, 0, Math.Max(rates.Max(), 1e-12) * (1 + 1e-9));
        histogram.AddRange(rates);
        var bars = plot.Add.Bars(histogram.Bins, histogram.Counts.Select(c => (double)c).ToArray());
        foreach (Bar bar in bars.Bars) bar.Size = histogram.FirstBinSize * 0.95;
        bars.LegendText = FormattableString.Invariant($"{population}: {rates.Length} neurons, mean {rates.Average():G3} {(timeStep is null ? "spikes per step" : "Hz")}");
        plot.Title(FormattableString.Invariant($"Firing rates of {population} ({spikes.Batch} samples × {spikes.Steps} steps)"));
        plot.XLabel(timeStep is null ? "firing rate (spikes per step)" : "firing rate (Hz)");
        plot.YLabel("neurons");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Per-neuron firing rates, in Hz when <paramref name="timeStep"/> is given, else spikes per step.</summary>
    public static double[] FiringRateValues(SpikeRaster spikes, double? timeStep = null)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        var counts = new long[spikes.Neurons];
        for (int b = 0; b < spikes.Batch; b++)
        {
            int[] perNeuron = spikes.CountPerNeuron(b);
            for (int i = 0; i < counts.Length; i++) counts[i] += perNeuron[i];
        }
        double duration = (double)spikes.Batch * spikes.Steps * (timeStep ?? 1.0);
        return Array.ConvertAll(counts, c => c / duration);
    }

    /// <summary>
    /// Loss (top panel) and accuracy (bottom panel) per epoch from the trainer's reports, training and, when
    /// present, validation.
    /// </summary>
    public static Multiplot TrainingCurves(IReadOnlyList<EpochReport> reports, string title = "Training")
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0) throw new ArgumentException("There are no epoch reports to plot.", nameof(reports));
        double[] epochs = reports.Select(r => (double)r.Epoch).ToArray();
        bool validation = reports.All(r => r.Validation is not null);

        var loss = new Plot();
        AddCurve(loss, epochs, reports.Select(r => (double)r.Train.Loss), "training");
        if (validation) AddCurve(loss, epochs, reports.Select(r => (double)r.Validation!.Value.Loss), "validation");
        loss.Title(title);
        loss.YLabel("loss per sample");
        loss.XLabel("epoch");
        loss.ShowLegend(Alignment.UpperRight);

        var accuracy = new Plot();
        AddCurve(accuracy, epochs, reports.Select(r => 100.0 * r.Train.Accuracy), "training");
        if (validation) AddCurve(accuracy, epochs, reports.Select(r => 100.0 * r.Validation!.Value.Accuracy), "validation");
        accuracy.YLabel("accuracy (%)");
        accuracy.XLabel("epoch");
        accuracy.ShowLegend(Alignment.LowerRight);

        var multiplot = new Multiplot();
        multiplot.Reset(loss);
        multiplot.AddPlot(accuracy);
        multiplot.SharedAxes.ShareX([loss, accuracy]);
        return multiplot;
    }

    /// <summary>Histograms of the weights of each connection, overlaid as outlines over common bins, one legend entry each.</summary>
    public static Plot Weights(IEnumerable<Connection> connections, int bins = 60, string title = "Weights")
    {
        ArgumentNullException.ThrowIfNull(connections);
        Connection[] all = connections.ToArray();
        if (all.Length == 0) throw new ArgumentException("Give at least one connection.", nameof(connections));
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        double min = all.Min(c => c.Weights.Min()), max = all.Max(c => c.Weights.Max());
        if (max <= min) max = min + 1e-6;
        var plot = new Plot();
        for (int k = 0; k < all.Length; k++)
        {
            var histogram = ScottPlot.Statistics.Histogram.WithBinCount(bins, min, max * (1 + 1e-9) + 1e-12);
            histogram.AddRange(all[k].Weights.Select(w => (double)w));
            double[] edges = histogram.Edges;
            // Step outline of the counts: x at the bin edges, one level per bin.
            var xs = new List<double> { edges[0] };
            var ys = new List<double> { 0 };
            for (int i = 0; i < histogram.Counts.Length; i++)
            {
                xs.Add(edges[i]); ys.Add(histogram.Counts[i]);
                xs.Add(edges[i + 1]); ys.Add(histogram.Counts[i]);
            }
            xs.Add(edges[^1]); ys.Add(0);
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), plot.Add.Palette.GetColor(k));
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture,
                $"{all[k].Name} ({all[k].From} → {all[k].To}, {all[k].Weights.Length} weights, mean {all[k].Weights.Average():G3})");
        }
        plot.Title(title);
        plot.XLabel("weight (model units)");
        plot.YLabel("synapses per bin");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static void AddCurve(Plot plot, double[] epochs, IEnumerable<double> values, string label)
    {
        var line = plot.Add.Scatter(epochs, values.ToArray());
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = epochs.Length > 40 ? 0 : 5;
    }

    private static double Time(int step, double? timeStep) => timeStep is { } dt ? step * dt * 1e3 : step;

    private static string TimeLabel(double? timeStep) =>
        timeStep is { } dt ? string.Create(CultureInfo.InvariantCulture, $"time (ms; Δt = {dt * 1e3:G4} ms)") : "time step";

    // Tick height in pixels: about one neuron's row on a 550-pixel plot, at least 4 (visible) and at most 12.
    private static float MarkerSize(int neurons) => Math.Clamp(450f / Math.Max(neurons, 1), 4f, 12f);

    private static void CheckSample(int batch, int sample)
    {
        if ((uint)sample >= (uint)batch)
            throw new ArgumentOutOfRangeException(nameof(sample), sample, $"There are {batch} samples.");
    }
}
