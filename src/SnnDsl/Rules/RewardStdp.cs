namespace SnnDsl.Rules;

/// <summary>
/// Reward-modulated STDP (Izhikevich 2007, "Solving the distal reward problem through linkage of STDP and dopamine
/// signaling", Cereb. Cortex 17:2443; the three-factor form of Frémaux &amp; Gerstner 2016, "Neuromodulated
/// spike-timing-dependent plasticity, and theory of three-factor learning rules", Front. Neural Circuits 9:85):
/// pairs of pre- and postsynaptic spikes do not change the weight; they tag the synapse with an eligibility trace c_ij,
/// and the weight changes by c_ij times a modulator d(t) (dopamine, reward minus baseline) that arrives later.
/// </summary>
/// <remarks>
/// Izhikevich's equations are ċ = −c/τ_c + STDP(τ)·δ(t − t_pre/post) and ṡ = c·d, with the pair window
/// STDP(τ) = A₊e^{−τ/τ₊} for τ = t_post − t_pre &gt; 0 and −A₋e^{τ/τ₋} for τ &lt; 0. In discrete time, with every pair
/// of spikes (all-to-all pairing) summed through two spike traces:
/// <code>
/// x_j ← λ₊ x_j + A₊ s_j              (presynaptic trace,  λ₊ = e^{−Δt/τ₊})
/// y_i ← λ₋ y_i + A₋ S_i              (postsynaptic trace, λ₋ = e^{−Δt/τ₋})
/// c_ij ← λ_c c_ij + x_j S_i − y_i s_j (eligibility,        λ_c = e^{−Δt/τ_c})
/// Δw_ij = η · d(t) · c_ij
/// </code>
/// which is c_ij(t) = Σ over pairs of W(t_post − t_pre)·λ_c^{t − max(t_pre, t_post)} with W(n) = A₊λ₊ⁿ (n &gt; 0),
/// −A₋λ₋^{−n} (n &lt; 0) and A₊ − A₋ for coincident spikes. The defaults are Izhikevich's at Δt = 1 ms: τ₊ = τ₋ = 20 ms,
/// A₊ = 1, A₋ = 1.5, τ_c = 1 s; η absorbs Δt. The weight is not clipped here (Izhikevich bounds it to [0, 4]; see
/// <c>RuleBinding.WeightBounds</c>). Every quantity is local or broadcast: it runs on-line.
/// </remarks>
[LearningRule]
public partial struct RewardStdp
{
    /// <summary>Presynaptic trace x_j.</summary>
    [PresynapticState] public float X;

    /// <summary>Postsynaptic trace y_i.</summary>
    [PostsynapticState] public float Y;

    /// <summary>Eligibility trace c_ij (Izhikevich's synaptic tag).</summary>
    [SynapticState] public float C;

    /// <summary>λ₊ = e^{−Δt/τ₊}; 0.951229 is τ₊ = 20 ms at Δt = 1 ms.</summary>
    [Param(0.951229f)] public float DecayPlus;

    /// <summary>λ₋ = e^{−Δt/τ₋}; 0.951229 is τ₋ = 20 ms at Δt = 1 ms.</summary>
    [Param(0.951229f)] public float DecayMinus;

    /// <summary>λ_c = e^{−Δt/τ_c}; 0.9990005 is τ_c = 1 s at Δt = 1 ms.</summary>
    [Param(0.9990005f)] public float DecayEligibility;

    /// <summary>A₊, potentiation amplitude (post after pre).</summary>
    [Param(1f)] public float APlus;

    /// <summary>A₋, depression amplitude (pre after post).</summary>
    [Param(1.5f)] public float AMinus;

    /// <summary>η, the learning rate (with Δt).</summary>
    [Param(0.001f)] public float LearningRate;

    /// <summary>x_j ← λ₊ x_j + A₊ s_j.</summary>
    public void Presynaptic([PreSpike] float spike) => X = DecayPlus * X + APlus * spike;

    /// <summary>y_i ← λ₋ y_i + A₋ S_i.</summary>
    public void Postsynaptic([PostSpike] float spike) => Y = DecayMinus * Y + AMinus * spike;

    /// <summary>c_ij ← λ_c c_ij + x_j S_i − y_i s_j; Δw_ij = η d c_ij.</summary>
    public float Update([PreSpike] float pre, [PostSpike] float post, [Modulator] float dopamine)
    {
        C = DecayEligibility * C + X * post - Y * pre;
        return LearningRate * dopamine * C;
    }
}
