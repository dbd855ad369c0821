using SnnDsl;
using SnnDsl.Surrogates;

namespace QuickStart;

/// <summary>
/// A user-defined neuron: LIF with a spike-triggered inhibitory current R that decays with ρ (a soft refractory
/// period). R[t] = ρ R[t−1]; U[t] = β U[t−1] + input[t] − R[t]; S[t] = Θ(U[t] − ϑ); on a spike U ← 0 and R ← R + ΔR.
/// </summary>
[Neuron]
public partial struct RefractoryLif
{
    /// <summary>Membrane potential U.</summary>
    [State] public float U;

    /// <summary>Refractory (after-hyperpolarization) current R.</summary>
    [State] public float R;

    /// <summary>Membrane decay β = exp(−Δt/τ_mem), τ_mem ≈ 10 ms at Δt = 1 ms.</summary>
    [Param(0.9f)] public float Beta;

    /// <summary>Refractory-current decay ρ = exp(−Δt/τ_ref), τ_ref ≈ 5 ms.</summary>
    [Param(0.8f)] public float Rho;

    /// <summary>Firing threshold ϑ.</summary>
    [Param(1f)] public float Threshold;

    /// <summary>Jump ΔR of the refractory current per spike.</summary>
    [Param(0.5f)] public float Jump;

    public void Integrate(float input)
    {
        R = Rho * R;
        U = Beta * U + input - R;
    }

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    /// <summary>Reset to rest and raise the refractory current.</summary>
    public void Reset()
    {
        U = 0f;
        R += Jump;
    }
}
