namespace SnnDsl.FixedPoint;

/// <summary>
/// The float twin of the chips that reset to a value: a current-based LIF exactly as Lava's float LIF
/// (lava-nc/lava <c>src/lava/proc/lif/models.py</c>, <c>PyLifModelFloat</c>: u ← u(1 − du) + a_in; v ← v(1 − dv) + u;
/// s = v &gt; vth; v ← 0 where s), with <see cref="Neurons.CubaLif"/>'s parameters: I = αI + input; U = βU + I;
/// S = Θ(U − ϑ); U ← 0 in the same step (the reset is detached in the backward pass). It maps onto Loihi's compartment
/// and sPyNNaker's IF_curr_exp (V_reset = 0) without the reset difference <see cref="Neurons.CubaLif"/>'s subtraction has;
/// train with it (or fine-tune with <see cref="QuantizationAwareTrainer"/>) to deploy there. <c>StepLoihi</c> and
/// <c>StepSpiNNaker</c>, generated from this declaration, are its integer steps on Loihi and SpiNNaker, bit for bit
/// <see cref="LoihiLif"/> and <see cref="SpiNNakerLif"/> (where the chip tests V ≥ V_thresh); <c>StepSpiNNakerExcInh</c>
/// is IF_curr_exp with both receptors, I the excitatory input and a second state for the inhibitory one, V driven by their
/// difference.
/// </summary>
[Neuron]
[FixedPoint(Chip.Loihi)]
[FixedPoint(Chip.SpiNNaker)]
public partial struct CubaLifZeroReset
{
    /// <summary>Synaptic current I (Lava's u).</summary>
    [State] public float I;

    /// <summary>Membrane potential U (Lava's v).</summary>
    [State] public float U;

    /// <summary>Synaptic decay α = 1 − du (Lava's float du), exp(−Δt/τ_syn).</summary>
    [Param(0.8187f, Trainable = true, Min = 0f, Max = 1f)] public float Alpha;

    /// <summary>Membrane decay β = 1 − dv, exp(−Δt/τ_mem).</summary>
    [Param(0.9048f, Trainable = true, Min = 0f, Max = 1f)] public float Beta;

    /// <summary>Firing threshold ϑ (Lava's vth).</summary>
    [Param(1f)] public float Threshold;

    /// <summary>I = αI + input; U = βU + I.</summary>
    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }

    /// <summary>S = Θ(U − ϑ), strict as Lava's <c>v &gt; vth</c>; SuperSpike surrogate.</summary>
    [Spike(typeof(Surrogates.FastSigmoid))]
    public bool Fires() => U > Threshold;

    /// <summary>U ← 0 (Lava's <c>reset_voltage</c>).</summary>
    public void Reset() => U = 0f;
}
