namespace SnnDsl.Synapses;

// Built-in synapse models, declared with the DSL. A connection without a synapse is a delta synapse: it delivers its
// weighted spikes z = Σ_j W_ji S_j unchanged. docs/semantics.md states where a synapse sits in a time step.

/// <summary>
/// Exponential current synapse: I = αI + z, delivers I (the synaptic current of the paper's Eq. 4, here per
/// connection, so that excitatory and inhibitory inputs can have their own time constants).
/// </summary>
[Synapse]
public partial struct ExponentialCurrent
{
    /// <summary>Synaptic current.</summary>
    [State] public float I;

    /// <summary>Decay α = exp(−Δt/τ_syn); 0.8187 is τ_syn = 5 ms at Δt = 1 ms.</summary>
    [Param(0.8187f, Trainable = true, Min = 0f, Max = 1f)] public float Alpha;

    /// <summary>I = αI + z; the current delivered is I.</summary>
    public float Deliver(float weightedSpikes)
    {
        I = Alpha * I + weightedSpikes;
        return I;
    }
}

/// <summary>
/// Difference-of-exponentials ("alpha"-shaped) current synapse: a spike raises a fast and a slow trace equally,
/// R = α_rise·R + z and D = α_decay·D + z, and the synapse delivers Scale·(D − R), a current that rises with τ_rise and
/// decays with τ_decay.
/// </summary>
[Synapse]
public partial struct DifferenceOfExponentials
{
    /// <summary>The fast (rise) trace.</summary>
    [State] public float Rise;

    /// <summary>The slow (decay) trace.</summary>
    [State] public float Decay;

    /// <summary>α_rise = exp(−Δt/τ_rise); 0.3679 is τ_rise = 1 ms at Δt = 1 ms.</summary>
    [Param(0.3679f)] public float AlphaRise;

    /// <summary>α_decay = exp(−Δt/τ_decay); 0.8187 is τ_decay = 5 ms at Δt = 1 ms.</summary>
    [Param(0.8187f, Trainable = true, Min = 0f, Max = 1f)] public float AlphaDecay;

    /// <summary>Amplitude of the delivered current.</summary>
    [Param(1f)] public float Scale;

    /// <summary>Both traces take the weighted spikes; the current is their scaled difference.</summary>
    public float Deliver(float weightedSpikes)
    {
        Rise = AlphaRise * Rise + weightedSpikes;
        Decay = AlphaDecay * Decay + weightedSpikes;
        return Scale * (Decay - Rise);
    }
}

/// <summary>
/// Conductance-based synapse: the weighted spikes open a conductance that decays exponentially, G = αG + z, and the
/// current it delivers is driven by the distance of the postsynaptic membrane from the reversal potential,
/// G·(E_rev − U) — positive (excitatory) below E_rev, negative above. It reads the postsynaptic neuron's state U as it
/// was at the end of the previous step, so it can drive any neuron with a state named U.
/// </summary>
[Synapse]
public partial struct Conductance
{
    /// <summary>Synaptic conductance G.</summary>
    [State] public float G;

    /// <summary>Decay α = exp(−Δt/τ_syn).</summary>
    [Param(0.8187f, Trainable = true, Min = 0f, Max = 1f)] public float Alpha;

    /// <summary>Reversal potential E_rev in the membrane's units (with threshold 1: excitatory well above it, inhibitory at or below rest).</summary>
    [Param(5f)] public float Reversal;

    /// <summary>G = αG + z; delivers G·(E_rev − U).</summary>
    public float Deliver(float weightedSpikes, [Postsynaptic("U")] float membrane)
    {
        G = Alpha * G + weightedSpikes;
        return G * (Reversal - membrane);
    }
}
