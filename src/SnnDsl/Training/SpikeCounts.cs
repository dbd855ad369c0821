using System.Numerics;

namespace SnnDsl.Training;

/// <summary>
/// Spike counts ζ[b, i] = Σ_t S[b, t, i] of one population over a trial, laid out [batch, neurons], with the number
/// of steps they were counted over. Count losses and activity regularizers see the spikes only through ζ, so their
/// gradient is the same at every step: ∂L/∂S[b, t, i] = ∂L/∂ζ[b, i]; they write it laid out [batch, steps, neurons],
/// the spike gradient a backward pass takes.
/// </summary>
public sealed class SpikeCounts
{
    /// <summary>Zero counts for <paramref name="batch"/> samples of <paramref name="neurons"/> neurons over <paramref name="steps"/> steps.</summary>
    public SpikeCounts(int batch, int steps, int neurons)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(neurons);
        Batch = batch;
        Steps = steps;
        Neurons = neurons;
        Values = new float[checked(batch * neurons)];
    }

    /// <summary>The counts of a spike raster.</summary>
    public static SpikeCounts Of(SpikeRaster spikes)
    {
        var counts = new SpikeCounts(spikes.Batch, spikes.Steps, spikes.Neurons);
        counts.Count(spikes);
        return counts;
    }

    /// <summary>Samples B.</summary>
    public int Batch { get; }

    /// <summary>Steps T the counts were summed over.</summary>
    public int Steps { get; }

    /// <summary>Neurons N.</summary>
    public int Neurons { get; }

    /// <summary>ζ[b, i], sample-major.</summary>
    public float[] Values { get; }

    /// <summary>ζ of neuron <paramref name="neuron"/> in sample <paramref name="sample"/>.</summary>
    public float this[int sample, int neuron] => Values[sample * Neurons + neuron];

    /// <summary>Recounts from a bit-packed raster of the same shape (no allocation).</summary>
    public void Count(SpikeRaster spikes)
    {
        if (spikes.Batch != Batch || spikes.Steps != Steps || spikes.Neurons != Neurons)
            throw new ArgumentException(
                $"The raster is batch {spikes.Batch} × steps {spikes.Steps} × neurons {spikes.Neurons}, but the counts are for batch {Batch} × steps {Steps} × neurons {Neurons}.",
                nameof(spikes));
        Array.Clear(Values);
        for (int b = 0; b < Batch; b++)
        {
            Span<float> counts = Values.AsSpan(b * Neurons, Neurons);
            for (int t = 0; t < Steps; t++)
            {
                Span<ulong> row = spikes.Row(b, t);
                for (int w = 0; w < row.Length; w++)
                    for (ulong bits = row[w]; bits != 0; bits &= bits - 1)
                        counts[(w << 6) + BitOperations.TrailingZeroCount(bits)] += 1f;
            }
        }
    }

    /// <summary>Recounts from real-valued spikes S[b, t, i] (graded spikes, or a gradient check), laid out [batch, steps, neurons].</summary>
    public void Count(ReadOnlySpan<float> spikes)
    {
        LossMath.CheckLayout(spikes.Length, "spike array", Batch, Steps, Neurons, "neurons");
        for (int b = 0; b < Batch; b++)
        {
            Span<float> counts = Values.AsSpan(b * Neurons, Neurons);
            counts.Clear();
            for (int t = 0; t < Steps; t++) AddTo(counts, spikes.Slice((b * Steps + t) * Neurons, Neurons));
        }
    }

    internal void CheckSpikeGradient(Span<float> spikeGradient) =>
        LossMath.CheckLayout(spikeGradient.Length, "spike gradient", Batch, Steps, Neurons, "neurons");

    /// <summary>∂L/∂S[b, t, i] = ∂L/∂ζ[b, i] for every step t of sample b: written, or added when <paramref name="add"/>.</summary>
    internal void SpreadOverSteps(int sample, ReadOnlySpan<float> countGradient, Span<float> spikeGradient, bool add)
    {
        for (int t = 0; t < Steps; t++)
        {
            Span<float> row = spikeGradient.Slice((sample * Steps + t) * Neurons, Neurons);
            if (add) AddTo(row, countGradient);
            else countGradient.CopyTo(row);
        }
    }

    private static void AddTo(Span<float> y, ReadOnlySpan<float> x)
    {
        int i = 0;
        for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(y[i..]) + new Vector<float>(x[i..])).CopyTo(y[i..]);
        for (; i < y.Length; i++) y[i] += x[i];
    }
}
