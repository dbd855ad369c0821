using System.Numerics;
using SnnDsl.Data;
using SnnDsl.Training;

namespace SnnDsl.FixedPoint;

/// <summary>How closely an integer network's spikes follow the float network's on the same input (aligned in time).</summary>
/// <param name="Population">The spiking population compared.</param>
/// <param name="FloatSpikes">Spikes of the float network.</param>
/// <param name="IntegerSpikes">Spike events of the integer network (a multi-spike step counts once).</param>
/// <param name="Matched">Spikes at the same (sample, step, neuron) in both.</param>
/// <param name="MatchedWithinOneStep">Float spikes with an integer spike of the same neuron at t − 1, t or t + 1.</param>
public sealed record SpikeAgreement(string Population, long FloatSpikes, long IntegerSpikes, long Matched, long MatchedWithinOneStep)
{
    /// <summary>Dice coefficient 2·matched/(float + integer): 1 when the rasters are identical.</summary>
    public double Dice => FloatSpikes + IntegerSpikes == 0 ? 1 : 2.0 * Matched / (FloatSpikes + IntegerSpikes);

    /// <summary>Fraction of float spikes the integer network reproduces within one step.</summary>
    public double RecallWithinOneStep => FloatSpikes == 0 ? 1 : (double)MatchedWithinOneStep / FloatSpikes;
}

/// <summary>Accuracy and spike agreement of quantized networks.</summary>
public static class QuantizedEvaluation
{
    /// <summary>
    /// Loss and accuracy of <paramref name="network"/> on <paramref name="data"/> with <paramref name="objective"/> applied
    /// to the float view of its (time-aligned) results, in batches.
    /// </summary>
    public static Evaluation Evaluate(QuantizedNetwork network, IObjective objective, Dataset data, int batchSize = 250, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(data);
        double lossSum = 0;
        int correct = 0;
        var options = new QuantizedSimulationOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int[] indices = Enumerable.Range(start, Math.Min(batchSize, data.Count - start)).ToArray();
            Dataset batch = data.Select(indices);
            SimulationResult result = network.Simulate(batch.Inputs, options).Float;
            lossSum += (double)objective.Loss(result, batch.Labels, new BackwardUpstream()) * indices.Length;
            var predictions = new int[indices.Length];
            objective.Predict(result, predictions);
            for (int b = 0; b < indices.Length; b++) if (predictions[b] == batch.Labels[b]) correct++;
        }
        return new Evaluation((float)(lossSum / data.Count), (float)correct / data.Count);
    }

    /// <summary>Compares the spikes of <paramref name="population"/> in the float network and in its quantized twin (aligned).</summary>
    public static SpikeAgreement Agreement(ISpikingNetwork network, QuantizedNetwork quantized, SpikeRaster input, string population, int maxDegreeOfParallelism = 0)
    {
        SpikeRaster a = network.Simulate([input], new SimulationOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }).Spikes(population);
        SpikeRaster b = quantized.Simulate(input, new QuantizedSimulationOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }).Spikes(population);
        return Agreement(population, a, b);
    }

    /// <summary>Compares two rasters of the same shape.</summary>
    public static SpikeAgreement Agreement(string population, SpikeRaster floatSpikes, SpikeRaster integerSpikes)
    {
        if (floatSpikes.Batch != integerSpikes.Batch || floatSpikes.Steps != integerSpikes.Steps || floatSpikes.Neurons != integerSpikes.Neurons)
            throw new ArgumentException($"The rasters of '{population}' differ in shape.", nameof(integerSpikes));
        long matched = 0, near = 0;
        int words = floatSpikes.WordsPerRow;
        Span<ulong> window = stackalloc ulong[words];
        for (int s = 0; s < floatSpikes.Batch; s++)
            for (int t = 0; t < floatSpikes.Steps; t++)
            {
                ReadOnlySpan<ulong> f = floatSpikes.Row(s, t), q = integerSpikes.Row(s, t);
                window.Clear();
                for (int d = -1; d <= 1; d++)
                    if (t + d >= 0 && t + d < floatSpikes.Steps)
                    {
                        ReadOnlySpan<ulong> r = integerSpikes.Row(s, t + d);
                        for (int w = 0; w < words; w++) window[w] |= r[w];
                    }
                for (int w = 0; w < words; w++)
                {
                    matched += BitOperations.PopCount(f[w] & q[w]);
                    near += BitOperations.PopCount(f[w] & window[w]);
                }
            }
        return new SpikeAgreement(population, floatSpikes.Count(), integerSpikes.Count(), matched, near);
    }
}
