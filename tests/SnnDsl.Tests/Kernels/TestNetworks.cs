using SnnDsl.Neurons;
using SnnDsl.Surrogates;
using SnnDsl.Synapses;

namespace SnnDsl.Tests.Kernels;

// Networks the kernel tests compare with the reference interpreter. Sizes are deliberately not multiples of the
// vector widths (16 and 8 floats) so that every kernel runs its Vector512 loop, its Vector256 loop and its tail.

/// <summary>A user-declared neuron: LIF with a per-neuron threshold and a saturating leak (uses ?: and MathF.Min).</summary>
[Neuron]
public partial struct ClampedLif
{
    [State] public float U;
    [Param(0.9f)] public float Beta;
    [Param(1f, PerNeuron = true, Trainable = true)] public float Threshold;
    [Param(-2f)] public float Floor;

    public void Integrate(float input)
    {
        float leaked = Beta * U;
        U = MathF.Max(leaked + input, Floor);
    }

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U >= Threshold;

    public void Reset() => U = U > 2f * Threshold ? 0f : U - Threshold;
}

/// <summary>Feed-forward: input → CUBA LIF → readout.</summary>
[Network]
public partial class FeedForwardNet
{
    [Input(37)] public partial SpikeInput In { get; }
    [Population(45)] public partial Population<CubaLif> Hidden { get; }
    [Population(11)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>Recurrent, two hidden populations (LIF with a backward connection, adaptive LIF), user neuron, two inputs.</summary>
[Network]
public partial class RecurrentNet
{
    [Input(29)] public partial SpikeInput A { get; }
    [Input(5)] public partial SpikeInput B { get; }
    [Population(53)] public partial Population<Lif> First { get; }
    [Population(27)] public partial Population<AdaptiveLif> Second { get; }
    [Population(19)] public partial Population<ClampedLif> Third { get; }
    [Population(3)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(A), nameof(First))] public partial DenseSynapses AToFirst { get; }
    [Dense(nameof(B), nameof(Second))] public partial DenseSynapses BToSecond { get; }
    [Dense(nameof(First), nameof(First))] public partial DenseSynapses FirstRecurrent { get; }
    [Dense(nameof(First), nameof(Second))] public partial DenseSynapses FirstToSecond { get; }
    [Dense(nameof(Second), nameof(First))] public partial DenseSynapses SecondToFirst { get; }
    [Dense(nameof(Second), nameof(Third))] public partial DenseSynapses SecondToThird { get; }
    [Dense(nameof(Third), nameof(Third))] public partial DenseSynapses ThirdRecurrent { get; }
    [Dense(nameof(Third), nameof(Out))] public partial DenseSynapses ThirdToOut { get; }
}

/// <summary>
/// Wide enough (70 postsynaptic neurons) for the dense error propagation, and trained in batches big enough that
/// gradient chunks hold four or more samples, so the blocked W·∂L/∂x kernels run.
/// </summary>
[Network]
public partial class WideRecurrentNet
{
    [Input(40)] public partial SpikeInput In { get; }
    [Population(70)] public partial Population<CubaLif> Hidden { get; }
    [Population(66)] public partial Population<Lif> Second { get; }
    [Population(5)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenRecurrent { get; }
    [Dense(nameof(Hidden), nameof(Second))] public partial DenseSynapses HiddenToSecond { get; }
    [Dense(nameof(Second), nameof(Out))] public partial DenseSynapses SecondToOut { get; }
}

/// <summary>
/// A recurrent layer of 256 neurons: a batch of one of it shares W·∂L/∂x, the packing of Wᵀ and the rows of ∂L/∂W with
/// the worker team (each is at least 256 × 256 multiply-adds).
/// </summary>
[Network]
public partial class LargeRecurrentNet
{
    [Input(300)] public partial SpikeInput In { get; }
    [Population(256)] public partial Population<CubaLif> Hidden { get; }
    [Population(4)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenRecurrent { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>
/// An input connection of 2,049 × 4,096 weights, just above <see cref="BatchParallel.OneChunkWeights"/>: its backward
/// pass runs a batch as one chunk.
/// </summary>
[Network]
public partial class WideInputNet
{
    [Input(2049)] public partial SpikeInput In { get; }
    [Population(4096)] public partial Population<CubaLif> Hidden { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>
/// A user neuron with two ports, its previous spike read in Integrate (attached), and a per-neuron trainable leak.
/// </summary>
[Neuron]
public partial struct EiLif
{
    [State] public float U;
    [PreviousSpike] public float S;
    [Param(0.9f, PerNeuron = true, Trainable = true)] public float Beta;
    [Param(1f, Trainable = true)] public float Threshold;

    public void Integrate(float excitatory, float inhibitory) => U = Beta * U + excitatory - inhibitory - 0.5f * Threshold * S;

    [Spike(typeof(FastSigmoid), AttachResetGradient = true)]
    public bool Fires() => U > Threshold;

    public void Reset() => U -= Threshold;
}

/// <summary>
/// Every connection kind, synapse model, port, delay and bias together: a convolutional front end, a sparse
/// connection with per-synapse delays, recurrent synapses with delays, a conductance synapse reading the
/// postsynaptic membrane, and biases on a port and on the readout.
/// </summary>
[Network]
public partial class SynapseNet
{
    [Input(24)] public partial SpikeInput A { get; }
    [Input(9)] public partial SpikeInput B { get; }
    [Population(30)] public partial Population<EiLif> Exc { get; }
    [Population(13)] public partial Population<Lif> Inh { get; }
    [Population(4)] public partial Population<LeakyReadout> Out { get; }
    [Conv1d(nameof(A), nameof(Exc), InChannels = 2, OutChannels = 3, KernelSize = 3, Stride = 1, Padding = 0, Port = "excitatory")] public partial Conv1dSynapses AToExc { get; }
    [Dense(nameof(B), nameof(Exc), Port = "excitatory", Synapse = typeof(DifferenceOfExponentials))] public partial DenseSynapses BToExc { get; }
    [Sparse(nameof(Exc), nameof(Inh), Probability = 0.4, Seed = 5, MaxDelay = 3)] public partial SparseSynapses ExcToInh { get; }
    [Dense(nameof(Inh), nameof(Exc), Port = "inhibitory", Synapse = typeof(ExponentialCurrent), Delay = 2)] public partial DenseSynapses InhToExc { get; }
    [OneToOne(nameof(Exc), nameof(Exc), Port = "excitatory", Synapse = typeof(Conductance), Delay = 1)] public partial OneToOneSynapses ExcSelf { get; }
    [Dense(nameof(Exc), nameof(Out), Delay = 1)] public partial DenseSynapses ExcToOut { get; }
    [Dense(nameof(Inh), nameof(Out))] public partial DenseSynapses InhToOut { get; }
    [Bias(nameof(Exc), Port = "excitatory")] public partial Bias ExcBias { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

/// <summary>Every built-in neuron of a peer library, recurrent, into one readout.</summary>
[Network]
public partial class PeerNet
{
    [Input(21)] public partial SpikeInput In { get; }
    [Population(17)] public partial Population<PaperCubaLif> Paper { get; }
    [Population(9)] public partial Population<SnnTorchSynaptic> Synaptic { get; }
    [Population(10)] public partial Population<SnnTorchSynapticZeroReset> SynapticZero { get; }
    [Population(11)] public partial Population<SnnTorchLeaky> Leaky { get; }
    [Population(12)] public partial Population<SnnTorchLeakyZeroReset> LeakyZero { get; }
    [Population(19)] public partial Population<SpyTorchLif> SpyTorch { get; }
    [Population(18)] public partial Population<NorseLif> Norse { get; }
    [Population(3)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Paper))] public partial DenseSynapses InToPaper { get; }
    [Dense(nameof(Paper), nameof(Synaptic))] public partial DenseSynapses PaperToSynaptic { get; }
    [Dense(nameof(Synaptic), nameof(SynapticZero))] public partial DenseSynapses SynapticToSynapticZero { get; }
    [Dense(nameof(In), nameof(Leaky))] public partial DenseSynapses InToLeaky { get; }
    [Dense(nameof(Leaky), nameof(LeakyZero))] public partial DenseSynapses LeakyToLeakyZero { get; }
    [Dense(nameof(LeakyZero), nameof(Leaky))] public partial DenseSynapses LeakyZeroToLeaky { get; }
    [Dense(nameof(In), nameof(SpyTorch))] public partial DenseSynapses InToSpyTorch { get; }
    [Dense(nameof(SpyTorch), nameof(SpyTorch))] public partial DenseSynapses SpyTorchRecurrent { get; }
    [Dense(nameof(In), nameof(Norse))] public partial DenseSynapses InToNorse { get; }
    [Dense(nameof(SynapticZero), nameof(Out))] public partial DenseSynapses SynapticZeroToOut { get; }
    [Dense(nameof(LeakyZero), nameof(Out))] public partial DenseSynapses LeakyZeroToOut { get; }
    [Dense(nameof(SpyTorch), nameof(Out))] public partial DenseSynapses SpyTorchToOut { get; }
    [Dense(nameof(Norse), nameof(Out))] public partial DenseSynapses NorseToOut { get; }
}

/// <summary>
/// Current-based LIF whose input passes a trainable gain, with I assigned twice. No reset statement assigns I, so the
/// backward kernel loads h′ of I from the recorded h_t, and it still reads the input, which ∂L/∂Gain needs.
/// </summary>
[Neuron]
public partial struct GainedCubaLif
{
    [State] public float I;
    [State] public float U;
    [Param(0.85f, Trainable = true)] public float Alpha;
    [Param(0.9f, PerNeuron = true, Trainable = true)] public float Beta;
    [Param(1.2f, PerNeuron = true, Trainable = true)] public float Gain;
    [Param(1f)] public float Threshold;

    public void Integrate(float input)
    {
        I = Alpha * I;
        I = I + Gain * input;
        U = Beta * U + I;
    }

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U -= Threshold;
}

/// <summary>
/// The backward pass reading states after the step: <see cref="GainedCubaLif"/> (h′ of I from h_t, and the recorded
/// input) and <see cref="CubaLif"/> (h′ of I from h_t, no input), recurrent, into a readout (no input either).
/// </summary>
[Network]
public partial class GainNet
{
    [Input(13)] public partial SpikeInput In { get; }
    [Population(21)] public partial Population<GainedCubaLif> Gained { get; }
    [Population(18)] public partial Population<CubaLif> Cuba { get; }
    [Population(3)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Gained))] public partial DenseSynapses InToGained { get; }
    [Dense(nameof(Gained), nameof(Gained))] public partial DenseSynapses GainedToGained { get; }
    [Dense(nameof(Gained), nameof(Cuba))] public partial DenseSynapses GainedToCuba { get; }
    [Dense(nameof(Cuba), nameof(Cuba))] public partial DenseSynapses CubaToCuba { get; }
    [Dense(nameof(Cuba), nameof(Out))] public partial DenseSynapses CubaToOut { get; }
    [Bias(nameof(Cuba))] public partial Bias CubaBias { get; }
}
