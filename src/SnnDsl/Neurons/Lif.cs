namespace SnnDsl.Neurons;

/// <summary>
/// Leaky integrate-and-fire neuron, discrete time: U[t] = β U[t−1] + input[t]; S[t] = Θ(U[t] − ϑ); U ← U − ϑ in the
/// same step where S[t] = 1 (reset by subtraction inside the step; snnTorch's Leaky subtracts at the next step instead,
/// see <see cref="SnnTorchLeaky"/>). It has no generated chip kernel: Loihi (du = 4095) and sPyNNaker (IF_curr_delta) reset
/// to 0 where it subtracts ϑ, and Xylo passes every input through a decaying synaptic state (docs/fixed-point.md,
/// "Generated integer kernels"); the quantizer maps it to each chip with these differences reported.
/// </summary>
[Neuron]
public partial struct Lif
{
    /// <summary>Membrane potential U.</summary>
    [State] public float U;

    /// <summary>Membrane decay β = exp(−Δt/τ_mem); 0.9048 is τ_mem = 10 ms at Δt = 1 ms.</summary>
    [Param(0.9048f, Trainable = true, Min = 0f, Max = 1f)] public float Beta;

    /// <summary>Firing threshold ϑ.</summary>
    [Param(1f)] public float Threshold;

    /// <summary>U = βU + input.</summary>
    public void Integrate(float input) => U = Beta * U + input;

    /// <summary>S = Θ(U − ϑ), with the SuperSpike surrogate in the backward pass.</summary>
    [Spike(typeof(Surrogates.FastSigmoid))]
    public bool Fires() => U > Threshold;

    /// <summary>Reset by subtraction.</summary>
    public void Reset() => U -= Threshold;
}
