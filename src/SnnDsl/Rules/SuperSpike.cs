namespace SnnDsl.Rules;

/// <summary>
/// SuperSpike (Zenke &amp; Ganguli 2018, "SuperSpike: Supervised learning in multilayer spiking neural networks",
/// Neural Comput. 30:1514): a three-factor rule for an output neuron i with a target spike train Ŝ_i —
/// Δw_ij = η · e_i(t) · λ_ij(t), with the error e_i = α ∗ (Ŝ_i − S_i), the eligibility trace
/// λ_ij = α ∗ (σ′(U_i) · (ε ∗ S_j)), the fast-sigmoid surrogate σ′(U) = β / (1 + |β(U − ϑ)|)², ε the postsynaptic-potential
/// kernel and α the van Rossum error kernel, both double exponentials with the same time constants.
/// </summary>
/// <remarks>
/// In discrete time each double-exponential filter is two first-order filters in cascade (rise, then decay):
/// <code>
/// z_j ← a_r z_j + s_j;              P_j ← a_d P_j + z_j                    (P = ε ∗ S_j)
/// ê_i ← a_r ê_i + (Ŝ_i − S_i);      e_i ← a_d e_i + ê_i                    (e = α ∗ (Ŝ − S))
/// σ′_i = β / (1 + |β(U_i − ϑ)|)²
/// λ̂_ij ← a_r λ̂_ij + σ′_i P_j;       λ_ij ← a_d λ_ij + λ̂_ij                 (λ = α ∗ (σ′ P))
/// Δw_ij = η e_i λ_ij
/// </code>
/// the convolution with ε[n] = (a_dⁿ⁺¹ − a_rⁿ⁺¹)/(a_d − a_r), a_r = e^{−Δt/τ_rise}, a_d = e^{−Δt/τ_decay}; defaults
/// τ_rise = 5 ms and τ_decay = 10 ms at Δt = 1 ms, ϑ = 1 as the built-in neurons. U_i is the postsynaptic neuron's
/// state "U" after the step. Like the paper, the eligibility ignores the reset and recurrent paths; the paper's
/// per-weight RMSprop normalization of η is left to an optimizer. Everything it reads is local to the synapse or to
/// neuron i (the target is delivered to the neuron), so it runs on-line. The trainer
/// (<c>GradientMethod.Rule</c>) delivers Ŝ_i = S_i − ∂L/∂S_i, so that Ŝ_i − S_i is the loss's error.
/// </remarks>
[LearningRule]
public partial struct SuperSpike
{
    /// <summary>Rise stage z_j of the presynaptic kernel ε.</summary>
    [PresynapticState] public float PspRise;

    /// <summary>P_j = (ε ∗ S_j)(t), the postsynaptic potential the spikes of j cause.</summary>
    [PresynapticState] public float Psp;

    /// <summary>Rise stage ê_i of the error kernel α.</summary>
    [PostsynapticState] public float ErrorRise;

    /// <summary>e_i = (α ∗ (Ŝ_i − S_i))(t).</summary>
    [PostsynapticState] public float Error;

    /// <summary>σ′(U_i) of the step.</summary>
    [PostsynapticState] public float Surrogate;

    /// <summary>Rise stage λ̂_ij of the eligibility.</summary>
    [SynapticState] public float EligibilityRise;

    /// <summary>λ_ij = (α ∗ (σ′(U_i) P_j))(t).</summary>
    [SynapticState] public float Eligibility;

    /// <summary>a_r = e^{−Δt/τ_rise}; 0.8187308 is τ_rise = 5 ms at Δt = 1 ms.</summary>
    [Param(0.8187308f)] public float RiseFactor;

    /// <summary>a_d = e^{−Δt/τ_decay}; 0.9048374 is τ_decay = 10 ms at Δt = 1 ms.</summary>
    [Param(0.9048374f)] public float DecayFactor;

    /// <summary>ϑ, the firing threshold of the postsynaptic neuron.</summary>
    [Param(1f)] public float Threshold;

    /// <summary>β, the steepness of the fast sigmoid (its peak σ′(ϑ) = β).</summary>
    [Param(5f)] public float Steepness;

    /// <summary>η, the learning rate.</summary>
    [Param(0.01f)] public float LearningRate;

    /// <summary>P_j = ε ∗ S_j, two filters in cascade.</summary>
    public void Presynaptic([PreSpike] float spike)
    {
        PspRise = RiseFactor * PspRise + spike;
        Psp = DecayFactor * Psp + PspRise;
    }

    /// <summary>e_i = α ∗ (Ŝ_i − S_i) and σ′(U_i).</summary>
    public void Postsynaptic([PostSpike] float spike, [Target] float target, [Postsynaptic("U")] float membrane)
    {
        ErrorRise = RiseFactor * ErrorRise + (target - spike);
        Error = DecayFactor * Error + ErrorRise;
        float distance = Steepness * MathF.Abs(membrane - Threshold) + 1f;
        Surrogate = Steepness / (distance * distance);
    }

    /// <summary>λ_ij = α ∗ (σ′(U_i) P_j); Δw_ij = η e_i λ_ij.</summary>
    public float Update()
    {
        EligibilityRise = RiseFactor * EligibilityRise + Surrogate * Psp;
        Eligibility = DecayFactor * Eligibility + EligibilityRise;
        return LearningRate * Error * Eligibility;
    }
}
