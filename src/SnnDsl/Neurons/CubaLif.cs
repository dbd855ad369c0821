namespace SnnDsl.Neurons;

/// <summary>
/// Current-based LIF neuron, the seed paper's model (Neftci, Mostafa &amp; Zenke 2019, Eqs. 2–5, discrete time):
/// I[t] = α I[t−1] + input[t] (exponential synapse), U[t] = β U[t−1] + I[t], S[t] = Θ(U[t] − ϑ), reset by
/// subtraction of ϑ. The membrane reads the current of the same step (as snnTorch's Synaptic; the paper's
/// notation lags it by one step — docs/semantics.md).
/// </summary>
[Neuron]
public partial struct CubaLif
{
    /// <summary>Synaptic current I.</summary>
    [State] public float I;

    /// <summary>Membrane potential U.</summary>
    [State] public float U;

    /// <summary>Synaptic decay α = exp(−Δt/τ_syn); 0.8187 is τ_syn = 5 ms at Δt = 1 ms (SpyTorch).</summary>
    [Param(0.8187f, Trainable = true)] public float Alpha;

    /// <summary>Membrane decay β = exp(−Δt/τ_mem); 0.9048 is τ_mem = 10 ms at Δt = 1 ms (SpyTorch).</summary>
    [Param(0.9048f, Trainable = true)] public float Beta;

    /// <summary>Firing threshold ϑ.</summary>
    [Param(1f)] public float Threshold;

    /// <summary>Eqs. 4–5: I = αI + input; U = βU + I.</summary>
    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }

    /// <summary>Eq. 3: S = Θ(U − ϑ), SuperSpike surrogate in the backward pass.</summary>
    [Spike(typeof(Surrogates.FastSigmoid))]
    public bool Fires() => U > Threshold;

    /// <summary>Reset by subtraction: U ← U − ϑ.</summary>
    public void Reset() => U -= Threshold;
}
