using System.Globalization;

namespace SnnDsl.Data;

/// <summary>
/// A labelled spiking data set: input spikes [samples, steps, neurons] and one class label per sample.
/// </summary>
public sealed class Dataset
{
    /// <summary>Wraps <paramref name="inputs"/> and <paramref name="labels"/> (not copied).</summary>
    /// <exception cref="ArgumentException">The label count differs from the raster's sample count, or a label is outside [0, classes).</exception>
    public Dataset(SpikeRaster inputs, int[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (labels.Length != inputs.Batch)
            throw new ArgumentException(FormattableString.Invariant($"{labels.Length} labels for a raster of {inputs.Batch} samples."), nameof(labels));
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException(FormattableString.Invariant($"Label {labels[i]} of sample {i} is outside [0, {classes})."), nameof(labels));
        }
        Inputs = inputs;
        Labels = labels;
        Classes = classes;
    }

    /// <summary>Input spikes, [samples, steps, neurons].</summary>
    public SpikeRaster Inputs { get; }

    /// <summary>Class label of each sample, in [0, <see cref="Classes"/>).</summary>
    public int[] Labels { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The same labels with other input spikes of the same sample count (e.g. augmented ones).</summary>
    public Dataset WithInputs(SpikeRaster inputs) => new(inputs, Labels, Classes);

    /// <summary>
    /// The samples at <paramref name="indices"/>, in that order (a mini-batch), copied into a new raster.
    /// </summary>
    public Dataset Select(ReadOnlySpan<int> indices) => Select(indices, reuse: null);

    /// <summary>
    /// The samples at <paramref name="indices"/>, in that order, copied into <paramref name="reuse"/>'s raster and
    /// labels when it holds as many samples of this data set's shape and classes (a training loop's previous
    /// mini-batch, whose contents are replaced), else into new ones.
    /// </summary>
    public Dataset Select(ReadOnlySpan<int> indices, Dataset? reuse)
    {
        if (indices.IsEmpty) throw new ArgumentException("A selection needs at least one index.", nameof(indices));
        bool fits = reuse is not null && reuse.Count == indices.Length && reuse.Classes == Classes
            && reuse.Inputs.Steps == Inputs.Steps && reuse.Inputs.Neurons == Inputs.Neurons;
        SpikeRaster inputs = fits ? reuse!.Inputs : new SpikeRaster(indices.Length, Inputs.Steps, Inputs.Neurons);
        int[] labels = fits ? reuse!.Labels : new int[indices.Length];
        int block = checked(Inputs.Steps * Inputs.WordsPerRow);
        for (int i = 0; i < indices.Length; i++)
        {
            int sample = indices[i];
            if ((uint)sample >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), sample, FormattableString.Invariant($"Index {i} selects sample {sample}; the data set has {Count}."));
            Inputs.Bits.AsSpan(checked(sample * block), block).CopyTo(inputs.Bits.AsSpan(checked(i * block), block));
            labels[i] = Labels[sample];
        }
        return fits ? reuse! : new Dataset(inputs, labels, Classes);
    }

    /// <summary>
    /// A shuffled sample order, reproducible from <paramref name="seed"/>: numpy's
    /// <c>np.random.RandomState(seed).permutation(Count)</c>.
    /// </summary>
    public int[] Permutation(int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        return new MersenneTwister((uint)seed).Permutation(Count);
    }

    /// <summary>
    /// Consecutive parts with the given fractions of the samples, in order and without shuffling, as
    /// stork's <c>split_dataset(X, y, splits, shuffle=False)</c>: fractions are normalised to sum 1 and part k
    /// has ⌊fraction_k · Count⌋ samples (so a remainder may be left out).
    /// </summary>
    public Dataset[] Split(params double[] fractions)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Length == 0) throw new ArgumentException("Give at least one fraction.", nameof(fractions));
        double total = 0;
        foreach (double f in fractions)
        {
            if (!(f > 0) || double.IsInfinity(f))
                throw new ArgumentOutOfRangeException(nameof(fractions), f, "Split fractions must be positive and finite.");
            total += f;
        }
        var parts = new Dataset[fractions.Length];
        int start = 0;
        for (int k = 0; k < fractions.Length; k++)
        {
            int length = (int)(fractions[k] / total * Count);
            if (length == 0)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Part {k} (fraction {fractions[k]} of {total}) would hold no sample of {Count}."), nameof(fractions));
            parts[k] = Select(Enumerable.Range(start, length).ToArray());
            start += length;
        }
        return parts;
    }
}
