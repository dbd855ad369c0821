namespace SnnDsl.Neurons;

/// <summary>
/// Non-spiking leaky integrator for readouts: I = αI + input; U = βU + I (the membrane reads the current of the same
/// step). Its membrane U is the network's output over time (e.g. cross-entropy over the max over time).
/// Its integer steps, generated from this declaration, are the readouts as the quantizer maps them (docs/fixed-point.md):
/// <c>StepLoihi</c>, a Lava compartment that never spikes (vth = 2^17), bit for bit <see cref="FixedPoint.LoihiLif"/>;
/// <c>StepXyloAudio2</c>, <c>StepXyloAudio3</c>, <c>StepXyloImu</c>, a Xylo readout neuron (θ = 2^15 − 1, one spike at
/// most, which subtracts θ where the membrane saturates), bit for bit <see cref="FixedPoint.XyloNeuron"/>;
/// <c>StepSpiNNaker</c>, IF_curr_exp with the largest V_thresh, bit for bit <see cref="FixedPoint.SpiNNakerLif"/>.
/// None writes spikes.
/// </summary>
[Neuron]
[FixedPoint(Chip.Loihi)]
[FixedPoint(Chip.XyloAudio2)]
[FixedPoint(Chip.XyloAudio3)]
[FixedPoint(Chip.XyloImu)]
[FixedPoint(Chip.SpiNNaker)]
public partial struct LeakyReadout
{
    /// <summary>Synaptic current I.</summary>
    [State] public float I;

    /// <summary>Membrane potential U (the output).</summary>
    [State] public float U;

    /// <summary>Synaptic decay α = exp(−Δt/τ_syn).</summary>
    [Param(0.8187f, Trainable = true, Min = 0f, Max = 1f)] public float Alpha;

    /// <summary>Membrane decay β = exp(−Δt/τ_mem).</summary>
    [Param(0.9048f, Trainable = true, Min = 0f, Max = 1f)] public float Beta;

    /// <summary>I = αI + input; U = βU + I.</summary>
    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }
}
