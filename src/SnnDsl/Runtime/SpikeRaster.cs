using System.Numerics;

namespace SnnDsl;

/// <summary>
/// Bit-packed spikes [batch, steps, neurons]: one bit per neuron per step. Each (sample, step) row starts on a
/// 64-bit word boundary; bit i of the row is neuron i.
/// </summary>
public sealed class SpikeRaster
{
    /// <summary>Creates an all-zero raster.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is zero or negative (an empty batch or data set, no step, no neuron).</exception>
    public SpikeRaster(int batch, int steps, int neurons)
    {
        if (batch <= 0 || steps <= 0 || neurons <= 0)
        {
            (string name, int value, string what) = batch <= 0 ? (nameof(batch), batch, "sample: a batch or data set cannot be empty")
                : steps <= 0 ? (nameof(steps), steps, "time step")
                : (nameof(neurons), neurons, "neuron (channel)");
            throw new ArgumentOutOfRangeException(name, value,
                FormattableString.Invariant($"A spike raster [batch {batch}, steps {steps}, neurons {neurons}] needs at least one {what}."));
        }
        Batch = batch;
        Steps = steps;
        Neurons = neurons;
        WordsPerRow = WordsFor(neurons);
        Bits = new ulong[checked((long)batch * steps * WordsPerRow)];
    }

    /// <summary>Number of samples.</summary>
    public int Batch { get; }

    /// <summary>Number of time steps.</summary>
    public int Steps { get; }

    /// <summary>Number of neurons (channels).</summary>
    public int Neurons { get; }

    /// <summary>64-bit words per (sample, step) row.</summary>
    public int WordsPerRow { get; }

    /// <summary>The packed bits, row after row, sample-major then step-major.</summary>
    public ulong[] Bits { get; }

    /// <summary>Words needed for <paramref name="neurons"/> bits.</summary>
    public static int WordsFor(int neurons) => (neurons + 63) >> 6;

    /// <summary>Whether neuron <paramref name="neuron"/> spiked at step <paramref name="step"/> of sample <paramref name="sample"/>.</summary>
    public bool this[int sample, int step, int neuron]
    {
        get => (Bits[WordIndex(sample, step, neuron)] >> (neuron & 63) & 1UL) != 0;
        set
        {
            long w = WordIndex(sample, step, neuron);
            ulong bit = 1UL << (neuron & 63);
            Bits[w] = value ? Bits[w] | bit : Bits[w] & ~bit;
        }
    }

    /// <summary>The words of one (sample, step) row.</summary>
    public Span<ulong> Row(int sample, int step)
    {
        CheckRow(sample, step);
        return Bits.AsSpan(checked((int)(((long)sample * Steps + step) * WordsPerRow)), WordsPerRow);
    }

    /// <summary>Total number of spikes.</summary>
    public long Count()
    {
        long n = 0;
        foreach (ulong w in Bits) n += BitOperations.PopCount(w);
        return n;
    }

    /// <summary>Number of spikes of one sample, per neuron.</summary>
    public int[] CountPerNeuron(int sample)
    {
        var counts = new int[Neurons];
        for (int t = 0; t < Steps; t++)
        {
            Span<ulong> row = Row(sample, t);
            for (int w = 0; w < row.Length; w++)
            {
                for (ulong bits = row[w]; bits != 0; bits &= bits - 1)
                {
                    counts[(w << 6) + BitOperations.TrailingZeroCount(bits)]++;
                }
            }
        }
        return counts;
    }

    /// <summary>Bernoulli spikes with probability <paramref name="p"/> per neuron and step (seeded, reproducible).</summary>
    public static SpikeRaster Bernoulli(int batch, int steps, int neurons, double p, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        var raster = new SpikeRaster(batch, steps, neurons);
        var random = new Random(seed);
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int i = 0; i < neurons; i++)
                    if (random.NextDouble() < p) raster[b, t, i] = true;
        return raster;
    }

    private long WordIndex(int sample, int step, int neuron)
    {
        CheckRow(sample, step);
        if ((uint)neuron >= (uint)Neurons)
            throw new ArgumentOutOfRangeException(nameof(neuron), neuron, $"The raster has {Neurons} neurons.");
        return ((long)sample * Steps + step) * WordsPerRow + (neuron >> 6);
    }

    private void CheckRow(int sample, int step)
    {
        if ((uint)sample >= (uint)Batch)
            throw new ArgumentOutOfRangeException(nameof(sample), sample, $"The raster has {Batch} samples.");
        if ((uint)step >= (uint)Steps)
            throw new ArgumentOutOfRangeException(nameof(step), step, $"The raster has {Steps} steps.");
    }
}
