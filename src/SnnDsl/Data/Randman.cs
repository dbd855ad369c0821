namespace SnnDsl.Data;

/// <summary>
/// A smooth random manifold (Zenke &amp; Vogels 2021, "The remarkable robustness of surrogate gradient learning for
/// instilling complex function in spiking neural networks", Neural Computation 33(4):899–925; fzenke/randman,
/// <c>TorchRandman</c>). Each embedding coordinate e is a product over the manifold dimensions d of random 1-D
/// Fourier series, y_e(x) = Π_d Σ_i θ₀·s_i·sin(2π(i·x_d·θ₁ + θ₂)), with spectrum s_i = 1/(|i + 1 − β|^α + 1).
/// </summary>
/// <remarks>
/// Identical to the Python original (checked against torch 1.13 on the CPU): the parameters θ ~ U[0, 1) are torch's
/// <c>torch.rand</c> stream after <c>torch.manual_seed(seed)</c> (MT19937 seeded with the low 32 bits of the seed,
/// each float from the low 24 bits of one draw), and evaluation follows torch's float32 operation order. Not
/// guaranteed identical: float32 <c>sin</c> may differ from torch's vectorised kernel in the last bit. The package's
/// <c>NumpyRandman</c> uses s_i = 1/(i + 1)^α instead and gives other manifolds.
/// </remarks>
public sealed class Randman
{
    // θ[e, d, p, i]: p = 0 amplitude, 1 frequency scale, 2 phase; i = Fourier term.
    private readonly float[] _theta;
    private readonly float[] _spectrum;

    /// <summary>Draws the manifold's parameters (TorchRandman's constructor, <c>dtype=float32</c>).</summary>
    /// <param name="embeddingDim">Embedding dimension E (number of input units).</param>
    /// <param name="manifoldDim">Intrinsic dimension D.</param>
    /// <param name="alpha">Power-spectrum fall-off α: larger is smoother.</param>
    /// <param name="beta">Spectral peak β (<c>res</c>).</param>
    /// <param name="precision">Sets the number of Fourier terms, ⌈precision^(−1/α)⌉.</param>
    /// <param name="maxFrequencyCutoff">Upper bound on the number of Fourier terms.</param>
    /// <param name="useBias">Whether to keep the amplitude θ₀ of the constant term i = 0.</param>
    /// <param name="seed">The value torch.manual_seed receives.</param>
    public Randman(int embeddingDim, int manifoldDim, long seed, double alpha = 2.0, double beta = 0.0,
        double precision = 1e-3, int maxFrequencyCutoff = 1000, bool useBias = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(manifoldDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(precision);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrequencyCutoff);
        EmbeddingDim = embeddingDim;
        ManifoldDim = manifoldDim;
        // f_cutoff = min(ceil(prec^(−1/α)), max_f_cutoff)
        FrequencyCutoff = (int)Math.Min(Math.Ceiling(Math.Pow(precision, -1.0 / alpha)), maxFrequencyCutoff);

        // θ ~ U[0, 1), shape (E, D, 3, f_cutoff), from torch's generator; θ[:, :, 0, 0] = 0 without bias.
        var torchRandom = new MersenneTwister(unchecked((uint)seed));
        _theta = new float[checked(embeddingDim * manifoldDim * 3 * FrequencyCutoff)];
        for (int k = 0; k < _theta.Length; k++)
            _theta[k] = (torchRandom.NextUInt32() & 0xFFFFFF) * (1.0f / 16777216.0f);
        if (!useBias)
        {
            for (int ed = 0; ed < embeddingDim * manifoldDim; ed++)
                _theta[ed * 3 * FrequencyCutoff] = 0f;
        }

        // s_i = 1 / (|(i + 1) − β|^α + 1)
        _spectrum = new float[FrequencyCutoff];
        for (int i = 0; i < FrequencyCutoff; i++)
            _spectrum[i] = 1.0f / (MathF.Pow(MathF.Abs(i + 1 - (float)beta), (float)alpha) + 1.0f);
    }

    /// <summary>Embedding dimension E.</summary>
    public int EmbeddingDim { get; }

    /// <summary>Manifold dimension D.</summary>
    public int ManifoldDim { get; }

    /// <summary>Number of Fourier terms per 1-D function.</summary>
    public int FrequencyCutoff { get; }

    /// <summary>
    /// <c>eval_manifold(x)</c>: the embedding [samples, E] of intrinsic coordinates <paramref name="x"/>
    /// [samples, D] (each in [0, 1), rounded to float32 as torch does).
    /// </summary>
    public float[,] Evaluate(double[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.GetLength(1) != ManifoldDim)
            throw new ArgumentException(FormattableString.Invariant(
                $"Coordinates of shape [{x.GetLength(0)}, {x.GetLength(1)}] for a manifold of dimension {ManifoldDim}."), nameof(x));
        int samples = x.GetLength(0);
        var y = new float[samples, EmbeddingDim];
        Parallel.For(0, EmbeddingDim, e =>
        {
            for (int n = 0; n < samples; n++)
            {
                // y_e = Π_d f(x_d; θ_{e,d})
                float product = 1f;
                for (int d = 0; d < ManifoldDim; d++)
                    product *= RandomFunction1D((float)x[n, d], (e * ManifoldDim + d) * 3 * FrequencyCutoff);
                y[n, e] = product;
            }
        });
        return y;
    }

    // f(x; θ) = Σ_i θ₀ᵢ·s_i·sin(2π(i·x·θ₁ᵢ + θ₂ᵢ)), summed in float32 in torch's order.
    private float RandomFunction1D(float x, int offset)
    {
        const float TwoPi = (float)(2 * Math.PI);
        ReadOnlySpan<float> amplitude = _theta.AsSpan(offset, FrequencyCutoff);
        ReadOnlySpan<float> frequency = _theta.AsSpan(offset + FrequencyCutoff, FrequencyCutoff);
        ReadOnlySpan<float> phase = _theta.AsSpan(offset + 2 * FrequencyCutoff, FrequencyCutoff);
        float sum = 0f;
        for (int i = 0; i < FrequencyCutoff; i++)
            sum += amplitude[i] * _spectrum[i] * MathF.Sin(TwoPi * (i * x * frequency[i] + phase[i]));
        return sum;
    }

    /// <summary>
    /// The spiking Randman classification set ("tempo randman"; stork <c>datasets.make_tempo_randman</c>, the
    /// randman notebook "Spiking dataset generation example"): every class is its own set of manifolds, one per
    /// spike index; each unit fires exactly <see cref="RandmanSettings.SpikesPerUnit"/> spikes per sample, so the
    /// class is only in the relative spike timing.
    /// </summary>
    /// <remarks>
    /// Steps: numpy <c>RandomState(seed)</c> draws the manifold seeds <c>randint(2⁶³ − 1, size=(classes, spikes))</c>;
    /// per class x ~ U[0,1)^(samples × D); each manifold's embedding is min–max standardised per unit over the
    /// class, v = (y − min)/(max − min + 10⁻⁷) ∈ [0, 1); the spike step is
    /// ⌊T·(step_frac·(1 − offset_frac)·v + offset_frac)⌋; the samples are shuffled with the same numpy generator.
    /// The manifold seeds, coordinates, class order and shuffle are numpy's exactly, the manifolds torch's (see
    /// <see cref="Randman"/>); float32 <c>sin</c> may move a rare spike by one step at a bin edge (with the default
    /// settings 1 of 200 000 spikes differs from torch 1.13). Two spikes of one
    /// unit in the same step (possible with several spikes per unit) are one bit in the raster. The regression
    /// targets (intrinsic coordinates) are not returned.
    /// </remarks>
    public static Dataset CreateSpikingDataset(RandmanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        int classes = settings.Classes, units = settings.Units, spikes = settings.SpikesPerUnit;
        int perClass = settings.SamplesPerClass, dim = settings.ManifoldDim;
        int total = checked(classes * perClass);

        var numpy = new MersenneTwister((uint)settings.Seed);
        var manifoldSeeds = new long[classes * spikes];
        for (int k = 0; k < manifoldSeeds.Length; k++) manifoldSeeds[k] = numpy.NextInt64(long.MaxValue);

        // steps[sample, spike index, unit], class-major before shuffling.
        var spikeSteps = new int[total, spikes, units];
        var labels = new int[total];
        double scale = settings.StepFraction * (1.0 - settings.OffsetFraction);
        for (int c = 0; c < classes; c++)
        {
            var x = new double[perClass, dim];
            for (int n = 0; n < perClass; n++)
                for (int d = 0; d < dim; d++)
                    x[n, d] = numpy.NextDouble();
            for (int s = 0; s < spikes; s++)
            {
                var manifold = new Randman(units, dim, manifoldSeeds[c * spikes + s], settings.Alpha);
                float[,] y = manifold.Evaluate(x);
                for (int u = 0; u < units; u++)
                {
                    // standardize: (y − min) / (max − min + eps) per unit over the class's samples
                    float min = float.PositiveInfinity, max = float.NegativeInfinity;
                    for (int n = 0; n < perClass; n++)
                    {
                        min = MathF.Min(min, y[n, u]);
                        max = MathF.Max(max, y[n, u]);
                    }
                    float range = max - min + 1e-7f;
                    for (int n = 0; n < perClass; n++)
                    {
                        double v = (y[n, u] - min) / range;
                        spikeSteps[c * perClass + n, s, u] = (int)(settings.Steps * (scale * v + settings.OffsetFraction));
                    }
                }
            }
            labels.AsSpan(c * perClass, perClass).Fill(c);
        }

        int[] order = numpy.Permutation(total);
        var raster = new SpikeRaster(total, settings.Steps, units);
        var shuffledLabels = new int[total];
        for (int i = 0; i < total; i++)
        {
            int source = order[i];
            shuffledLabels[i] = labels[source];
            for (int s = 0; s < spikes; s++)
                for (int u = 0; u < units; u++)
                    raster[i, spikeSteps[source, s, u], u] = true;
        }
        return new Dataset(raster, shuffledLabels, classes);
    }
}

/// <summary>
/// Settings of <see cref="Randman.CreateSpikingDataset"/>. The defaults are the published stork example
/// "01 Shallow SNN Randman" (96.3 % test accuracy there): 10 classes, 20 units, 100 steps, spikes in the first
/// half (step_frac 0.5), a 1-D manifold, one spike per unit, 1000 samples per class, α = 1, seed 1.
/// </summary>
/// <param name="Classes">Number of classes (nb_classes).</param>
/// <param name="Units">Input units = embedding dimension (nb_units).</param>
/// <param name="Steps">Time steps T (nb_steps).</param>
/// <param name="StepFraction">Fraction of the steps, from the start, that can hold spikes (step_frac).</param>
/// <param name="ManifoldDim">Intrinsic manifold dimension D (dim_manifold).</param>
/// <param name="SpikesPerUnit">Spikes of each unit per sample (nb_spikes).</param>
/// <param name="SamplesPerClass">Samples drawn from each class's manifolds (nb_samples).</param>
/// <param name="Alpha">Smoothness α of the manifolds.</param>
/// <param name="Seed">numpy seed of the whole data set (0 ≤ seed &lt; 2³²).</param>
/// <param name="OffsetFraction">Fraction of the steps left empty before the first spike (stork's offset_frac).</param>
public sealed record RandmanSettings(
    int Classes = 10,
    int Units = 20,
    int Steps = 100,
    double StepFraction = 0.5,
    int ManifoldDim = 1,
    int SpikesPerUnit = 1,
    int SamplesPerClass = 1000,
    double Alpha = 1.0,
    long Seed = 1,
    double OffsetFraction = 0.0)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Units);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StepFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(StepFraction, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ManifoldDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SpikesPerUnit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SamplesPerClass);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Alpha);
        ArgumentOutOfRangeException.ThrowIfNegative(Seed);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Seed, uint.MaxValue);
        ArgumentOutOfRangeException.ThrowIfNegative(OffsetFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(OffsetFraction, 1.0);
    }
}
