using SnnDsl.Neurons;
using SnnDsl.Surrogates;

namespace SnnDsl.Tests.Kernels;

/// <summary>
/// A CUBA LIF written with static helpers (one with a block body, one calling another) and with declared initial
/// values: the helpers are inlined into the IR, so it must equal <see cref="WrittenOutLif"/>.
/// </summary>
[Neuron]
public partial struct HelperLif
{
    [State(Initial = -0.25f)] public float I;
    [State(Initial = 0.5f)] public float U;
    [Param(0.8f, Trainable = true)] public float Alpha;
    [Param(0.9f, PerNeuron = true, Trainable = true)] public float Beta;
    [Param(1f, Trainable = true)] public float Threshold;

    public void Integrate(float input)
    {
        I = Leak(Alpha, I) + Softsign(input);
        U = Leak(Beta, U) + I;
    }

    [Spike(typeof(HelperSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U -= Threshold;

    private static float Leak(float decay, float x) => decay * x;

    private static float Softsign(float x)
    {
        float magnitude = Magnitude(x);
        return x / (1f + magnitude);
    }

    private static float Magnitude(float x) => MathF.Abs(x);
}

/// <summary><see cref="HelperLif"/> with every helper written out by hand.</summary>
[Neuron]
public partial struct WrittenOutLif
{
    [State(Initial = -0.25f)] public float I;
    [State(Initial = 0.5f)] public float U;
    [Param(0.8f, Trainable = true)] public float Alpha;
    [Param(0.9f, PerNeuron = true, Trainable = true)] public float Beta;
    [Param(1f, Trainable = true)] public float Threshold;

    public void Integrate(float input)
    {
        I = Alpha * I + input / (1f + MathF.Abs(input));
        U = Beta * U + I;
    }

    [Spike(typeof(HelperSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U -= Threshold;
}

/// <summary>A surrogate whose helper reads the surrogate's own parameter.</summary>
[Surrogate]
public static partial class HelperSigmoid
{
    [Param(5f)] public static float Slope;

    public static float Derivative(float x) => Square(1f / (Scaled(MathF.Abs(x)) + 1f));

    private static float Square(float v) => v * v;

    private static float Scaled(float v) => Slope * v;
}

/// <summary>A conductance synapse with a helper; it reads the postsynaptic U, whose value before step 0 is its initial value.</summary>
[Synapse]
public partial struct HelperConductance
{
    [State] public float G;
    [Param(0.7f, Trainable = true)] public float Alpha;
    [Param(2f)] public float Reversal;

    public float Deliver(float weightedSpikes, [Postsynaptic("U")] float membrane)
    {
        G = Decay(Alpha, G) + weightedSpikes;
        return G * (Reversal - membrane);
    }

    private static float Decay(float a, float x) => a * x;
}

/// <summary>Helpers and initial values in a network: a conductance synapse, recurrence and a readout.</summary>
[Network]
public partial class HelperNet
{
    [Input(7)] public partial SpikeInput In { get; }
    [Population(19)] public partial Population<HelperLif> Hidden { get; }
    [Population(5)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden), Synapse = typeof(HelperConductance))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}
