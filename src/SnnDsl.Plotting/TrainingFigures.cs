using SnnDsl.Training;

namespace SnnDsl.Plotting;

/// <summary>The standard figures of a training run, written in one call (what the samples write next to their output).</summary>
public static class TrainingFigures
{
    /// <summary>
    /// Simulates <paramref name="inputs"/> with the trained <paramref name="network"/> and writes to
    /// <paramref name="folder"/> (created if missing): <c>training.png</c> (loss and accuracy per epoch),
    /// <c>raster.png</c> (input and <paramref name="population"/> spikes of sample 0), <c>traces.png</c> (the
    /// <paramref name="states"/> of the <paramref name="traceNeurons"/> most active neurons of sample 0),
    /// <c>rates.png</c> (firing-rate histogram of the population over all samples) and <c>weights.png</c> (weight
    /// histogram of every connection). Returns the paths written.
    /// </summary>
    /// <param name="folder">Output folder.</param>
    /// <param name="network">The trained network (one input layer).</param>
    /// <param name="reports">The trainer's epoch reports.</param>
    /// <param name="inputs">Input spikes to show, e.g. the first samples of the test set.</param>
    /// <param name="population">The spiking population to show.</param>
    /// <param name="states">Its states to trace, e.g. ["U", "I"].</param>
    /// <param name="timeStep">Δt in seconds for time axes in ms and rates in Hz; null uses steps.</param>
    /// <param name="threshold">Firing threshold to mark on the first trace panel.</param>
    /// <param name="traceNeurons">How many neurons to trace.</param>
    public static IReadOnlyList<string> Write(string folder, ISpikingNetwork network, IReadOnlyList<EpochReport> reports, SpikeRaster inputs,
        string population, IReadOnlyList<string> states, double? timeStep = null, float? threshold = null, int traceNeurons = 4)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(traceNeurons);
        Directory.CreateDirectory(folder);
        SimulationResult result = network.Simulate([inputs],
            new SimulationOptions { RecordStates = states.Select(s => population + "." + s).ToArray() });
        SpikeRaster spikes = result.Spikes(population);
        int[] active = spikes.CountPerNeuron(0).Select((count, neuron) => (count, neuron))
            .OrderByDescending(x => x.count).ThenBy(x => x.neuron).Take(traceNeurons).Select(x => x.neuron).Order().ToArray();

        var written = new List<string>();
        string Path(string name)
        {
            string path = System.IO.Path.Combine(folder, name);
            written.Add(path);
            return path;
        }
        SnnPlots.TrainingCurves(reports, $"Training of {network.Descriptor.Name}").SavePng(Path("training.png"), 900, 700);
        SnnPlots.Raster([(network.Inputs[0].Name, inputs), (population, spikes)], 0, timeStep, $"{network.Descriptor.Name} spike raster")
            .SavePng(Path("raster.png"));
        SnnPlots.Traces(result, population, states, active, 0, timeStep, threshold).SavePng(Path("traces.png"), 900, 300 + 250 * states.Count);
        SnnPlots.FiringRates(spikes, timeStep, population).SavePng(Path("rates.png"));
        SnnPlots.Weights(network.Connections, title: $"{network.Descriptor.Name} weights after training").SavePng(Path("weights.png"));
        return written;
    }
}
