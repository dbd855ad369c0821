using SnnDsl.Neurons;
using SnnDsl.Surrogates;

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
    [Dense(nameof(In), nameof(Hidden))] public partial Synapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial Synapses HiddenToOut { get; }
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
    [Dense(nameof(A), nameof(First))] public partial Synapses AToFirst { get; }
    [Dense(nameof(B), nameof(Second))] public partial Synapses BToSecond { get; }
    [Dense(nameof(First), nameof(First))] public partial Synapses FirstRecurrent { get; }
    [Dense(nameof(First), nameof(Second))] public partial Synapses FirstToSecond { get; }
    [Dense(nameof(Second), nameof(First))] public partial Synapses SecondToFirst { get; }
    [Dense(nameof(Second), nameof(Third))] public partial Synapses SecondToThird { get; }
    [Dense(nameof(Third), nameof(Third))] public partial Synapses ThirdRecurrent { get; }
    [Dense(nameof(Third), nameof(Out))] public partial Synapses ThirdToOut { get; }
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
    [Dense(nameof(In), nameof(Hidden))] public partial Synapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial Synapses HiddenRecurrent { get; }
    [Dense(nameof(Hidden), nameof(Second))] public partial Synapses HiddenToSecond { get; }
    [Dense(nameof(Second), nameof(Out))] public partial Synapses SecondToOut { get; }
}
