namespace SnnDsl.Neurons;

/// <summary>
/// Adaptive LIF neuron of the LSNN (Bellec, Salaj, Subramoney, Legenstein &amp; Maass, NeurIPS 2018): a spike raises
/// an adaptation variable A that decays with ρ = exp(−Δt/τ_a) and lifts the threshold to ϑ = b₀ + β_a·A.
/// U[t] = β U[t−1] + input[t]; A[t] = ρ A[t−1] (+ (1 − ρ) after a spike); S[t] = Θ(U[t] − (b₀ + β_a A[t]));
/// reset by subtraction of the adapted threshold.
/// </summary>
[Neuron]
public partial struct AdaptiveLif
{
    /// <summary>Membrane potential U.</summary>
    [State] public float U;

    /// <summary>Threshold adaptation A.</summary>
    [State] public float A;

    /// <summary>Membrane decay β = exp(−Δt/τ_mem) (τ_mem = 20 ms at Δt = 1 ms, as in the LSNN paper).</summary>
    [Param(0.9512f, Trainable = true, Min = 0f, Max = 1f)] public float Beta;

    /// <summary>Adaptation decay ρ = exp(−Δt/τ_a) (τ_a = 200 ms at Δt = 1 ms).</summary>
    [Param(0.995f)] public float Rho;

    /// <summary>Baseline threshold b₀.</summary>
    [Param(1f)] public float Threshold;

    /// <summary>Adaptation strength β_a (1.8 in Bellec et al. 2018).</summary>
    [Param(1.8f)] public float Adaptation;

    /// <summary>U = βU + input; A = ρA.</summary>
    public void Integrate(float input)
    {
        U = Beta * U + input;
        A = Rho * A;
    }

    /// <summary>S = Θ(U − (b₀ + β_a A)), piecewise-linear surrogate as in the LSNN.</summary>
    [Spike(typeof(Surrogates.Triangle))]
    public bool Fires() => U > Threshold + Adaptation * A;

    /// <summary>U ← U − (b₀ + β_a A); A ← A + (1 − ρ).</summary>
    public void Reset()
    {
        U -= Threshold + Adaptation * A;
        A += 1f - Rho;
    }
}
