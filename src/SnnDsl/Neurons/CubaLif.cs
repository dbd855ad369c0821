namespace SnnDsl.Neurons;

/// <summary>
/// Current-based LIF neuron with the reset inside the step: I[t] = α I[t−1] + input[t] (exponential synapse),
/// U[t] = β U[t−1] + I[t] (the membrane reads the current of the same step), S[t] = Θ(U[t] − ϑ), and U ← U − ϑ in the
/// same step where S[t] = 1. This is the fastest form to train (no state holds the previous spike) and our benchmark
/// network; it is neither the paper's Eqs. 2–5 (<see cref="PaperCubaLif"/>: lagged current, reset at the next step)
/// nor snnTorch's Synaptic (<see cref="SnnTorchSynaptic"/>: reset at the next step) — docs/semantics.md compares them.
/// It is the float model of a Xylo neuron (docs/fixed-point.md): <c>StepXyloAudio2</c>, <c>StepXyloAudio3</c> and
/// <c>StepXyloImu</c>, generated from this declaration, are its integer steps on those devices, bit for bit
/// <see cref="FixedPoint.XyloNeuron"/> (v1, v2), where the chip tests v ≥ θ and subtracts θ up to its spike cap.
/// </summary>
[Neuron]
[FixedPoint(Chip.XyloAudio2)]
[FixedPoint(Chip.XyloAudio3)]
[FixedPoint(Chip.XyloImu)]
public partial struct CubaLif
{
    /// <summary>Synaptic current I.</summary>
    [State] public float I;

    /// <summary>Membrane potential U.</summary>
    [State] public float U;

    /// <summary>Synaptic decay α = exp(−Δt/τ_syn); 0.8187 is τ_syn = 5 ms at Δt = 1 ms (SpyTorch).</summary>
    [Param(0.8187f, Trainable = true, Min = 0f, Max = 1f)] public float Alpha;

    /// <summary>Membrane decay β = exp(−Δt/τ_mem); 0.9048 is τ_mem = 10 ms at Δt = 1 ms (SpyTorch).</summary>
    [Param(0.9048f, Trainable = true, Min = 0f, Max = 1f)] public float Beta;

    /// <summary>Firing threshold ϑ.</summary>
    [Param(1f)] public float Threshold;

    /// <summary>I = αI + input; U = βU + I.</summary>
    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }

    /// <summary>S = Θ(U − ϑ), SuperSpike surrogate in the backward pass.</summary>
    [Spike(typeof(Surrogates.FastSigmoid))]
    public bool Fires() => U > Threshold;

    /// <summary>Reset by subtraction: U ← U − ϑ.</summary>
    public void Reset() => U -= Threshold;
}
