namespace SnnDsl.Neurons;

/// <summary>
/// Non-spiking leaky integrator for readouts: I = αI + input; U = βU + I (the membrane reads the current of the same
/// step). Its membrane U is the network's output over time (e.g. cross-entropy over the max over time).
/// </summary>
[Neuron]
public partial struct LeakyReadout
{
    /// <summary>Synaptic current I.</summary>
    [State] public float I;

    /// <summary>Membrane potential U (the output).</summary>
    [State] public float U;

    /// <summary>Synaptic decay α = exp(−Δt/τ_syn).</summary>
    [Param(0.8187f, Trainable = true)] public float Alpha;

    /// <summary>Membrane decay β = exp(−Δt/τ_mem).</summary>
    [Param(0.9048f, Trainable = true)] public float Beta;

    /// <summary>I = αI + input; U = βU + I.</summary>
    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }
}
