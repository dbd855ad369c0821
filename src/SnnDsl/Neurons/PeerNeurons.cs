namespace SnnDsl.Neurons;

// The neurons of the seed paper and of the libraries our users come from, each written exactly as that reference
// formulates it. tests/SnnDsl.Tests/Peers checks every one against vectors its reference formulation produced with
// PyTorch (forward and gradient). docs/semantics.md has the table of conventions.

/// <summary>
/// The current-based LIF of Neftci, Mostafa &amp; Zenke (2019), discrete form, exactly as the paper writes it:
/// U[n+1] = βU[n] + I[n] − ϑS[n] (the membrane reads the previous step's current and subtracts the neuron's own previous
/// spike, undecayed), I[n+1] = αI[n] + input[n], S[n] = Θ(U[n] − ϑ). The state after step t holds U[t+1], I[t+1] and the
/// spike of step t is S[t+1] in the paper's indexing. The previous spike is detached (SpyTorch's convention; the paper
/// does not say).
/// </summary>
[Neuron]
public partial struct PaperCubaLif
{
    /// <summary>Membrane potential U.</summary>
    [State] public float U;

    /// <summary>Synaptic current I.</summary>
    [State] public float I;

    /// <summary>The neuron's own spike of the previous step.</summary>
    [PreviousSpike] public float S;

    /// <summary>Synaptic decay α = exp(−Δt/τ_syn) (τ_syn = 5 ms at Δt = 1 ms).</summary>
    [Param(0.8187f, Trainable = true)] public float Alpha;

    /// <summary>Membrane decay β = exp(−Δt/τ_mem) (τ_mem = 10 ms at Δt = 1 ms).</summary>
    [Param(0.9048f, Trainable = true)] public float Beta;

    /// <summary>Firing threshold ϑ (1 in the paper's natural units).</summary>
    [Param(1f)] public float Threshold;

    /// <summary>U = βU + I − ϑS with the current of the previous step; then I = αI + input.</summary>
    public void Integrate(float input)
    {
        U = Beta * U + I - Threshold * S;
        I = Alpha * I + input;
    }

    /// <summary>S = Θ(U − ϑ), SuperSpike surrogate.</summary>
    [Spike(typeof(Surrogates.FastSigmoid))]
    public bool Fires() => U > Threshold;
}

/// <summary>
/// snnTorch's <c>Synaptic</c> with <c>reset_mechanism="subtract"</c> (the default, with the default delayed reset):
/// syn = clamp(α, 0, 1)·syn + input; mem = clamp(β, 0, 1)·mem + syn − R·ϑ, where R = Θ(mem[t−1] − ϑ) is the previous
/// step's spike, detached; spk = Θ(mem − ϑ) from the updated membrane, ArcTan surrogate (α = 2, snnTorch's default).
/// </summary>
[Neuron]
public partial struct SnnTorchSynaptic
{
    /// <summary>Synaptic current (snnTorch's syn).</summary>
    [State] public float I;

    /// <summary>Membrane potential (snnTorch's mem).</summary>
    [State] public float U;

    /// <summary>The previous step's spike, snnTorch's detached reset signal.</summary>
    [PreviousSpike] public float R;

    /// <summary>Synaptic decay α, clamped to [0, 1] in the update as snnTorch does.</summary>
    [Param(0.8187f, Trainable = true)] public float Alpha;

    /// <summary>Membrane decay β, clamped to [0, 1] in the update as snnTorch does.</summary>
    [Param(0.9048f, Trainable = true)] public float Beta;

    /// <summary>Threshold ϑ (snnTorch's default 1).</summary>
    [Param(1f)] public float Threshold;

    /// <summary>syn = clamp(α)·syn + input; mem = clamp(β)·mem + syn − Rϑ.</summary>
    public void Integrate(float input)
    {
        I = Clamp(Alpha) * I + input;
        U = Clamp(Beta) * U + I - R * Threshold;
    }

    /// <summary>clamp(decay, 0, 1), as snnTorch clamps α and β in the forward pass (inlined by the generator).</summary>
    private static float Clamp(float decay) => MathF.Min(MathF.Max(decay, 0f), 1f);

    /// <summary>spk = Θ(mem − ϑ).</summary>
    [Spike(typeof(Surrogates.ArcTan))]
    public bool Fires() => U > Threshold;
}

/// <summary>
/// snnTorch's <c>Synaptic</c> with <c>reset_mechanism="zero"</c>: syn = clamp(α)·syn + input (the current is not reset);
/// m = clamp(β)·mem + syn; mem = m − m·R with R the previous step's spike, detached; spk = Θ(mem − ϑ), ArcTan surrogate.
/// </summary>
[Neuron]
public partial struct SnnTorchSynapticZeroReset
{
    /// <summary>Synaptic current (snnTorch's syn).</summary>
    [State] public float I;

    /// <summary>Membrane potential (snnTorch's mem).</summary>
    [State] public float U;

    /// <summary>The previous step's spike, snnTorch's detached reset signal.</summary>
    [PreviousSpike] public float R;

    /// <summary>Synaptic decay α, clamped to [0, 1].</summary>
    [Param(0.8187f, Trainable = true)] public float Alpha;

    /// <summary>Membrane decay β, clamped to [0, 1].</summary>
    [Param(0.9048f, Trainable = true)] public float Beta;

    /// <summary>Threshold ϑ.</summary>
    [Param(1f)] public float Threshold;

    /// <summary>syn = clamp(α)·syn + input; mem = (clamp(β)·mem + syn) − (clamp(β)·mem + syn)·R.</summary>
    public void Integrate(float input)
    {
        I = Clamp(Alpha) * I + input;
        float integrated = Clamp(Beta) * U + I;
        U = integrated - integrated * R;
    }

    /// <summary>clamp(decay, 0, 1), as snnTorch clamps α and β in the forward pass (inlined by the generator).</summary>
    private static float Clamp(float decay) => MathF.Min(MathF.Max(decay, 0f), 1f);

    /// <summary>spk = Θ(mem − ϑ).</summary>
    [Spike(typeof(Surrogates.ArcTan))]
    public bool Fires() => U > Threshold;
}

/// <summary>
/// snnTorch's <c>Leaky</c> with <c>reset_mechanism="subtract"</c>: mem = clamp(β, 0, 1)·mem + input − R·ϑ with R the
/// previous step's spike, detached; spk = Θ(mem − ϑ), ArcTan surrogate.
/// </summary>
[Neuron]
public partial struct SnnTorchLeaky
{
    /// <summary>Membrane potential (snnTorch's mem).</summary>
    [State] public float U;

    /// <summary>The previous step's spike, snnTorch's detached reset signal.</summary>
    [PreviousSpike] public float R;

    /// <summary>Membrane decay β, clamped to [0, 1].</summary>
    [Param(0.9048f, Trainable = true)] public float Beta;

    /// <summary>Threshold ϑ.</summary>
    [Param(1f)] public float Threshold;

    /// <summary>mem = βmem + input − Rϑ.</summary>
    public void Integrate(float input) => U = MathF.Min(MathF.Max(Beta, 0f), 1f) * U + input - R * Threshold;

    /// <summary>spk = Θ(mem − ϑ).</summary>
    [Spike(typeof(Surrogates.ArcTan))]
    public bool Fires() => U > Threshold;
}

/// <summary>
/// snnTorch's <c>Leaky</c> with <c>reset_mechanism="zero"</c>: the membrane is zeroed where the neuron spiked in the
/// previous step, before the decay and the input: mem = clamp(β, 0, 1)·((1 − R)·mem) + input; spk = Θ(mem − ϑ).
/// </summary>
[Neuron]
public partial struct SnnTorchLeakyZeroReset
{
    /// <summary>Membrane potential (snnTorch's mem).</summary>
    [State] public float U;

    /// <summary>The previous step's spike, snnTorch's detached reset signal.</summary>
    [PreviousSpike] public float R;

    /// <summary>Membrane decay β, clamped to [0, 1].</summary>
    [Param(0.9048f, Trainable = true)] public float Beta;

    /// <summary>Threshold ϑ.</summary>
    [Param(1f)] public float Threshold;

    /// <summary>mem = β((1 − R)mem) + input.</summary>
    public void Integrate(float input) => U = MathF.Min(MathF.Max(Beta, 0f), 1f) * ((1f - R) * U) + input;

    /// <summary>spk = Θ(mem − ϑ).</summary>
    [Spike(typeof(Surrogates.ArcTan))]
    public bool Fires() => U > Threshold;
}

/// <summary>
/// The hidden neuron of Zenke's SpyTorch tutorials: out[t] = Θ(mem[t] − 1) from the membrane before the update;
/// new_mem = (β·mem + syn)·(1 − out[t]) (reset to zero, detached, with the previous step's current);
/// new_syn = α·syn + input. The state after our step t holds (syn[t+1], mem[t+1]) and our spike of step t is SpyTorch's
/// out[t+1]: its out[0] is always 0, and the spike it uses to reset at step t is our previous spike.
/// </summary>
[Neuron]
public partial struct SpyTorchLif
{
    /// <summary>Synaptic current (SpyTorch's syn).</summary>
    [State] public float I;

    /// <summary>Membrane potential (SpyTorch's mem).</summary>
    [State] public float U;

    /// <summary>SpyTorch's out[t], the spike computed from the membrane before this update.</summary>
    [PreviousSpike] public float S;

    /// <summary>α = exp(−Δt/τ_syn), τ_syn = 5 ms at Δt = 1 ms.</summary>
    [Param(0.8187f, Trainable = true)] public float Alpha;

    /// <summary>β = exp(−Δt/τ_mem), τ_mem = 10 ms at Δt = 1 ms.</summary>
    [Param(0.9048f, Trainable = true)] public float Beta;

    /// <summary>Threshold (1 in SpyTorch).</summary>
    [Param(1f)] public float Threshold;

    /// <summary>new_mem = (βmem + syn)(1 − out); new_syn = αsyn + input.</summary>
    public void Integrate(float input)
    {
        U = (Beta * U + I) * (1f - S);
        I = Alpha * I + input;
    }

    /// <summary>out = Θ(mem − 1), SuperSpike surrogate with scale 100.</summary>
    [Spike(typeof(Surrogates.FastSigmoid))]
    public bool Fires() => U > Threshold;
}

/// <summary>
/// Norse's LIF as its feed-forward cell integrates it (<c>lif_feed_forward_step</c>, forward Euler): i = i + input;
/// v = v + Δt·τ_mem⁻¹·((v_leak − v) + i); i = i − Δt·τ_syn⁻¹·i; z = Θ(v − v_th), SuperSpike surrogate (α = 100);
/// v = v_reset where z. The reset is attached (Norse's feed-forward step does not detach z; its recurrent lif_step does).
/// <see cref="Dt"/> should equal the network's time step.
/// </summary>
[Neuron]
public partial struct NorseLif
{
    /// <summary>Synaptic current i.</summary>
    [State] public float I;

    /// <summary>Membrane potential v.</summary>
    [State] public float U;

    /// <summary>Integration step Δt in seconds (Norse's dt, default 1 ms).</summary>
    [Param(0.001f)] public float Dt;

    /// <summary>Inverse membrane time constant τ_mem⁻¹ in 1/s (Norse's default 100).</summary>
    [Param(100f, Trainable = true)] public float TauMemInv;

    /// <summary>Inverse synaptic time constant τ_syn⁻¹ in 1/s (Norse's default 200).</summary>
    [Param(200f, Trainable = true)] public float TauSynInv;

    /// <summary>Leak potential v_leak.</summary>
    [Param(0f)] public float VLeak;

    /// <summary>Threshold v_th.</summary>
    [Param(1f)] public float VTh;

    /// <summary>Reset potential v_reset.</summary>
    [Param(0f)] public float VReset;

    /// <summary>The current jump, then one Euler step of v and i.</summary>
    public void Integrate(float input)
    {
        I = I + input;
        U = U + Dt * TauMemInv * ((VLeak - U) + I);
        I = I + -Dt * TauSynInv * I;
    }

    /// <summary>z = Θ(v − v_th).</summary>
    [Spike(typeof(Surrogates.FastSigmoid), AttachResetGradient = true)]
    public bool Fires() => U > VTh;

    /// <summary>v = v_reset.</summary>
    public void Reset() => U = VReset;
}
