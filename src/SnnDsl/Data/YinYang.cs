using System.Globalization;

namespace SnnDsl.Data;

/// <summary>
/// The Yin-Yang data set (Kriener, Göltz &amp; Petrovici, "The Yin-Yang dataset", NICE 2022, arXiv 2102.08211),
/// reproduced bit for bit from the published generator (lkriener/yin_yang_data_set, <c>dataset.py</c>): numpy's
/// legacy <c>RandomState(seed)</c> (<see cref="MersenneTwister"/>), one goal class per sample from
/// <c>randint(3)</c>, then rejection sampling of points in [0, 2·r_big)² until one inside the big circle has the
/// goal class. Classes: 0 and 1 are the two halves (1 is the <c>is_yin</c> region), 2 the two dots.
/// </summary>
public static class YinYang
{
    /// <summary>Radius of the dots, r_small (published default).</summary>
    public const double DefaultRSmall = 0.1;

    /// <summary>Radius of the whole symbol, r_big (published default).</summary>
    public const double DefaultRBig = 0.5;

    /// <summary>Number of classes (yin, yang, dot).</summary>
    public const int Classes = 3;

    /// <summary>The published training set: 5000 samples, seed 42.</summary>
    public static YinYangSamples Train() => Generate(5000, 42);

    /// <summary>The published validation set: 1000 samples, seed 41.</summary>
    public static YinYangSamples Validation() => Generate(1000, 41);

    /// <summary>The published test set: 1000 samples, seed 40.</summary>
    public static YinYangSamples Test() => Generate(1000, 40);

    /// <summary><c>YinYangDataset(r_small, r_big, size, seed)</c>: <paramref name="size"/> samples, classes balanced by construction.</summary>
    public static YinYangSamples Generate(int size, int seed, double rSmall = DefaultRSmall, double rBig = DefaultRBig)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rSmall);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rBig, 2 * rSmall);
        var random = new MersenneTwister((uint)seed);
        var features = new double[size, 4];
        var labels = new int[size];
        for (int i = 0; i < size; i++)
        {
            // Goal class first, then sample until a point of that class is found (get_sample).
            int goal = (int)random.NextInt64(Classes);
            double x, y;
            do
            {
                // x, y = rand(2) · 2 · r_big; reject points outside the big circle.
                x = random.NextDouble() * 2.0 * rBig;
                y = random.NextDouble() * 2.0 * rBig;
            }
            while (Math.Sqrt((x - rBig) * (x - rBig) + (y - rBig) * (y - rBig)) > rBig || WhichClass(x, y, rSmall, rBig) != goal);

            // Mirrored coordinates (x, y, 1 − x, 1 − y), so models without a bias can solve the task.
            features[i, 0] = x;
            features[i, 1] = y;
            features[i, 2] = 1.0 - x;
            features[i, 3] = 1.0 - y;
            labels[i] = goal;
        }
        return new YinYangSamples(features, labels);
    }

    /// <summary>
    /// <c>which_class(x, y)</c>: 2 inside either dot (distance &lt; r_small from (0.5·r_big, r_big) or
    /// (1.5·r_big, r_big)); otherwise 1 where <c>is_yin</c> holds, else 0.
    /// </summary>
    public static int WhichClass(double x, double y, double rSmall = DefaultRSmall, double rBig = DefaultRBig)
    {
        double dRight = Math.Sqrt((x - 1.5 * rBig) * (x - 1.5 * rBig) + (y - rBig) * (y - rBig));
        double dLeft = Math.Sqrt((x - 0.5 * rBig) * (x - 0.5 * rBig) + (y - rBig) * (y - rBig));
        bool criterion1 = dRight <= rSmall;
        bool criterion2 = dLeft > rSmall && dLeft <= 0.5 * rBig;
        bool criterion3 = y > rBig && dRight > 0.5 * rBig;
        bool isYin = criterion1 || criterion2 || criterion3;
        bool isCircles = dRight < rSmall || dLeft < rSmall;
        return isCircles ? 2 : isYin ? 1 : 0;
    }
}

/// <summary>Yin-Yang samples: features [samples, 4] = (x, y, 1 − x, 1 − y) in [0, 1] and labels in {0, 1, 2}.</summary>
public sealed class YinYangSamples
{
    /// <summary>Wraps generated features and labels (not copied).</summary>
    public YinYangSamples(double[,] features, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.GetLength(1) != 4 || features.GetLength(0) != labels.Length)
            throw new ArgumentException(FormattableString.Invariant(
                $"Features of shape [{features.GetLength(0)}, {features.GetLength(1)}] do not match [{labels.Length}, 4]."), nameof(features));
        Features = features;
        Labels = labels;
    }

    /// <summary>(x, y, 1 − x, 1 − y) per sample.</summary>
    public double[,] Features { get; }

    /// <summary>Class per sample: 0, 1 (is_yin) or 2 (dot).</summary>
    public int[] Labels { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>
    /// Latency code used by the spiking Yin-Yang studies (Göltz et al. 2021; hxtorch <c>CoordinatesToSpikes</c>,
    /// Spilger et al. 2023): each of the 4 features v fires one spike at t = t_early + v·(t_late − t_early),
    /// placed at step round(t) (half to even, as torch.round), and a fifth bias neuron fires once at
    /// <see cref="YinYangEncoding.BiasStep"/>. Neurons 0–3 are x, y, 1 − x, 1 − y; neuron 4 is the bias.
    /// </summary>
    /// <exception cref="InvalidOperationException">A feature lies outside [0, 1].</exception>
    public Dataset ToSpikes(YinYangEncoding? encoding = null)
    {
        encoding ??= new YinYangEncoding();
        encoding.Validate();
        var raster = new SpikeRaster(Count, encoding.Steps, 5);
        for (int i = 0; i < Count; i++)
        {
            for (int n = 0; n < 4; n++)
            {
                double v = Features[i, n];
                if (!(v >= 0 && v <= 1))
                    throw new InvalidOperationException(FormattableString.Invariant($"Feature {n} of sample {i} is {v}; the latency code needs values in [0, 1]."));
                double t = encoding.TEarly + v * (encoding.TLate - encoding.TEarly);
                raster[i, (int)Math.Round(t, MidpointRounding.ToEven), n] = true;
            }
            raster[i, encoding.BiasStep, 4] = true;
        }
        return new Dataset(raster, (int[])Labels.Clone(), YinYang.Classes);
    }
}

/// <summary>
/// Spike-time window of the Yin-Yang latency code, in units of the simulation step Δt. Defaults are those of the
/// hxtorch surrogate-gradient Yin-Yang tutorial (BrainScaleS-2; Spilger et al. 2023) at its Δt = 2 µs:
/// T = 60 µs → 30 steps, t_early = 2 µs → 1, t_late = 40 µs → 20, t_bias = 18 µs → step 9.
/// </summary>
/// <param name="Steps">Number of time steps T of a sample.</param>
/// <param name="TEarly">Spike time of a feature equal to 0, in steps.</param>
/// <param name="TLate">Spike time of a feature equal to 1, in steps; round(t_late) must be below <paramref name="Steps"/>.</param>
/// <param name="BiasStep">Step of the bias neuron's spike.</param>
public sealed record YinYangEncoding(int Steps = 30, double TEarly = 1.0, double TLate = 20.0, int BiasStep = 9)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Steps);
        if (!(TEarly >= 0) || !(TLate >= TEarly) || Math.Round(TLate, MidpointRounding.ToEven) >= Steps)
            throw new ArgumentOutOfRangeException(nameof(TLate), string.Create(CultureInfo.InvariantCulture,
                $"Need 0 ≤ t_early ≤ t_late and round(t_late) < {Steps} steps; got t_early = {TEarly}, t_late = {TLate}."));
        ArgumentOutOfRangeException.ThrowIfNegative(BiasStep);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(BiasStep, Steps);
    }
}
