namespace SnnDsl.Training;

/// <summary>
/// An activity regularizer R(ζ) on the spike counts ζ[b, i] = Σ_t S[b, t, i] of one population. It is added to the
/// loss: <see cref="Apply"/> returns R and adds ∂R/∂S[b, t, i] = ∂R/∂ζ[b, i] (equal at every step) into the spike
/// gradient, so that several regularizers and a loss on the same population accumulate.
/// </summary>
public abstract class SpikeRegularizer
{
    /// <summary>Sets the strength s that scales R.</summary>
    protected SpikeRegularizer(float strength)
    {
        if (!(strength >= 0f) || !float.IsFinite(strength))
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "The strength must be finite and non-negative.");
        Strength = strength;
    }

    /// <summary>The strength s.</summary>
    public float Strength { get; }

    /// <summary>Returns R(ζ) and adds ∂R/∂S into <paramref name="spikeGradient"/> (batch × steps × neurons values).</summary>
    public float Apply(SpikeCounts counts, Span<float> spikeGradient)
    {
        counts.CheckSpikeGradient(spikeGradient);
        return Evaluate(counts, spikeGradient);
    }

    /// <summary>Returns R(ζ) and adds ∂R/∂S into <paramref name="spikeGradient"/>, whose length has been checked.</summary>
    protected abstract float Evaluate(SpikeCounts counts, Span<float> spikeGradient);
}

/// <summary>
/// L1 penalty on the total spike count, the first term of SpyTorch's regularizer (tutorials 3 and 4, "L1 loss on
/// total number of spikes"): R = s · Σ_{b,t,i} S[b, t, i] = s · Σ_{b,i} ζ[b, i], so ∂R/∂S[b, t, i] = s. A sum, not a
/// mean: it grows with the batch, as in SpyTorch (s = 1e-5 in tutorial 3, 2e-6 in tutorial 4).
/// </summary>
/// <param name="strength">s.</param>
public sealed class SpikeCountL1(float strength) : SpikeRegularizer(strength)
{
    /// <inheritdoc/>
    protected override float Evaluate(SpikeCounts counts, Span<float> spikeGradient)
    {
        double total = 0;
        foreach (float count in counts.Values) total += count;                 // Σ_{b,i} ζ[b, i]
        int n = counts.Neurons;
        Span<float> g = n <= LossMath.StackLimit ? stackalloc float[n] : new float[n];
        g.Fill(Strength);                                                       // ∂R/∂S = s
        for (int b = 0; b < counts.Batch; b++) counts.SpreadOverSteps(b, g, spikeGradient, add: true);
        return (float)(Strength * total);
    }
}

/// <summary>
/// L2 penalty on each neuron's count over the whole batch, the second term of SpyTorch's regularizer (tutorials 3
/// and 4, "L2 loss on spikes per neuron", <c>mean((Σ_{batch} Σ_{time} spks)²)</c>):
/// R = s · (1/N) Σ_i Z_i² with Z_i = Σ_b ζ[b, i], so ∂R/∂S[b, t, i] = 2s·Z_i / N.
/// </summary>
/// <param name="strength">s.</param>
public sealed class NeuronSpikeCountL2(float strength) : SpikeRegularizer(strength)
{
    /// <inheritdoc/>
    protected override float Evaluate(SpikeCounts counts, Span<float> spikeGradient)
    {
        int n = counts.Neurons;
        Span<float> z = n <= LossMath.StackLimit ? stackalloc float[n] : new float[n];
        z.Clear();
        for (int b = 0; b < counts.Batch; b++)                                  // Z_i = Σ_b ζ[b, i]
            for (int i = 0; i < n; i++) z[i] += counts.Values[b * n + i];
        double sumOfSquares = 0;
        for (int i = 0; i < n; i++)
        {
            sumOfSquares += (double)z[i] * z[i];
            z[i] = 2f * Strength * z[i] / n;                                    // ∂R/∂S[b, t, i] = 2s·Z_i / N
        }
        for (int b = 0; b < counts.Batch; b++) counts.SpreadOverSteps(b, z, spikeGradient, add: true);
        return (float)(Strength * sumOfSquares / n);
    }
}

/// <summary>Which spike count an activity bound constrains.</summary>
public enum ActivityScope
{
    /// <summary>x = ζ[b, i]: each neuron in each sample (stork's <c>dims=False</c>).</summary>
    PerNeuron,

    /// <summary>x = ζ̄[b] = (1/N) Σ_i ζ[b, i]: the population's mean count in each sample (stork's <c>dims=1</c>).</summary>
    PopulationMean,
}

/// <summary>
/// Squared one-sided bound on spike counts, after Cramer, Stradmann, Schemmel &amp; Zenke (2020, "The Heidelberg
/// spiking data sets for the systematic evaluation of spiking neural networks", IEEE TNNLS 33(7), arXiv 1910.07407)
/// in the form of stork's <c>UpperBoundL2</c>/<c>LowerBoundL2</c> (same lab):
/// R = s · mean_x [max(0, ±(x − θ))]², + for an upper bound, − for a lower bound, the mean over the B·N values of x
/// (<see cref="ActivityScope.PerNeuron"/>) or the B values (<see cref="ActivityScope.PopulationMean"/>).
/// θ is a spike count per sample over the whole trial, not a rate: a rate ν at time step Δt over T steps is θ = ν·T·Δt.
/// Stork's SHD configuration bounds each neuron from below (no silent neurons) and the population mean from above
/// (sparse activity); both scopes are allowed for either bound.
/// </summary>
public abstract class SpikeCountBoundL2 : SpikeRegularizer
{
    private readonly float _sign;

    private protected SpikeCountBoundL2(float strength, float threshold, ActivityScope scope, float sign) : base(strength)
    {
        if (!(threshold >= 0f) || !float.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold is a spike count: finite and non-negative.");
        if (!Enum.IsDefined(scope)) throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown activity scope.");
        Threshold = threshold;
        Scope = scope;
        _sign = sign;
    }

    /// <summary>The bound θ, in spikes per sample.</summary>
    public float Threshold { get; }

    /// <summary>Whether each neuron's count or the population mean is bounded.</summary>
    public ActivityScope Scope { get; }

    /// <inheritdoc/>
    protected override float Evaluate(SpikeCounts counts, Span<float> spikeGradient)
    {
        int n = counts.Neurons;
        bool perNeuron = Scope == ActivityScope.PerNeuron;
        double entries = perNeuron ? (double)counts.Batch * n : counts.Batch;
        Span<float> g = n <= LossMath.StackLimit ? stackalloc float[n] : new float[n];
        double sum = 0;
        for (int b = 0; b < counts.Batch; b++)
        {
            ReadOnlySpan<float> zeta = counts.Values.AsSpan(b * n, n);
            if (perNeuron)
            {
                for (int i = 0; i < n; i++)
                {
                    double excess = Math.Max(0, _sign * (zeta[i] - (double)Threshold));   // e = max(0, ±(ζ − θ))
                    sum += excess * excess;
                    g[i] = (float)(2 * Strength * _sign * excess / entries);          // ∂R/∂ζ = ±2s·e / (B·N)
                }
            }
            else
            {
                double mean = 0;
                for (int i = 0; i < n; i++) mean += zeta[i];
                mean /= n;                                                            // ζ̄ = (1/N) Σ_i ζ
                double excess = Math.Max(0, _sign * (mean - Threshold));
                sum += excess * excess;
                g.Fill((float)(2 * Strength * _sign * excess / (entries * n)));       // ∂R/∂ζ[b, i] = ±2s·e / (B·N)
            }
            counts.SpreadOverSteps(b, g, spikeGradient, add: true);
        }
        return (float)(Strength * sum / entries);
    }
}

/// <summary>Penalizes counts above θ: R = s · mean_x [max(0, x − θ)]² (see <see cref="SpikeCountBoundL2"/>).</summary>
/// <param name="strength">s.</param>
/// <param name="threshold">θ, spikes per sample.</param>
/// <param name="scope">Each neuron's count, or the population mean.</param>
public sealed class UpperBoundL2(float strength, float threshold, ActivityScope scope) : SpikeCountBoundL2(strength, threshold, scope, +1f);

/// <summary>Penalizes counts below θ: R = s · mean_x [max(0, θ − x)]² (see <see cref="SpikeCountBoundL2"/>).</summary>
/// <param name="strength">s.</param>
/// <param name="threshold">θ, spikes per sample.</param>
/// <param name="scope">Each neuron's count, or the population mean.</param>
public sealed class LowerBoundL2(float strength, float threshold, ActivityScope scope) : SpikeCountBoundL2(strength, threshold, scope, -1f);
