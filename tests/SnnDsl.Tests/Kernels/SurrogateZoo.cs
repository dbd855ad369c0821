using SnnDsl.Neurons;
using SnnDsl.Surrogates;

namespace SnnDsl.Tests.Kernels;

// One LIF variant per built-in surrogate (and one user-defined surrogate), so that the backward kernels of every
// surrogate are compared with the reference; the last one attaches the reset gradient.

[Neuron] public partial struct BoxcarLif
{
    [State] public float U;
    [Param(0.9f)] public float Beta;
    [Param(1f, Trainable = true)] public float Threshold;
    public void Integrate(float input) => U = Beta * U + input;
    [Spike(typeof(Boxcar))] public bool Fires() => U > Threshold;
    public void Reset() => U -= Threshold;
}

[Neuron] public partial struct ExponentialLif
{
    [State] public float U;
    [Param(0.9f, Trainable = true)] public float Beta;
    [Param(1f)] public float Threshold;
    public void Integrate(float input) => U = Beta * U + input;
    [Spike(typeof(Exponential))] public bool Fires() => U > Threshold;
    public void Reset() => U = 0f;
}

[Neuron] public partial struct SigmoidLif
{
    [State] public float U;
    [Param(0.9f, Trainable = true, PerNeuron = true)] public float Beta;
    [Param(1f)] public float Threshold;
    public void Integrate(float input) => U = Beta * U + input;
    [Spike(typeof(Sigmoid))] public bool Fires() => U >= Threshold;
    public void Reset() => U -= Threshold;
}

[Neuron] public partial struct ArcTanLif
{
    [State] public float U;
    [Param(0.9f)] public float Beta;
    [Param(1f, Trainable = true, PerNeuron = true)] public float Threshold;
    public void Integrate(float input) => U = Beta * U + input;
    [Spike(typeof(ArcTan))] public bool Fires() => Threshold < U;
    public void Reset() => U -= Threshold;
}

[Neuron] public partial struct GaussianLif
{
    [State] public float U;
    [Param(0.9f, Trainable = true)] public float Beta;
    [Param(1f, Trainable = true)] public float Threshold;
    public void Integrate(float input) => U = Beta * U + MathF.Tanh(input);
    [Spike(typeof(Gaussian))] public bool Fires() => U > Threshold;
    public void Reset() => U -= Threshold;
}

/// <summary>A user-defined surrogate: σ′(x) = exp(−x²/(2w²)), unnormalized.</summary>
[Surrogate]
public static partial class UserBump
{
    [Param(0.3f)] public static float Width;
    public static float Derivative(float x) => MathF.Exp(-(x * x) / (2f * Width * Width));
}

[Neuron] public partial struct AttachedLif
{
    [State] public float U;
    [Param(0.9f, Trainable = true)] public float Beta;
    [Param(1f, Trainable = true)] public float Threshold;
    public void Integrate(float input) => U = Beta * U + input;
    [Spike(typeof(UserBump), AttachResetGradient = true)] public bool Fires() => U > Threshold;
    public void Reset() => U -= Threshold;
}

/// <summary>Every surrogate side by side, with recurrent connections and a readout.</summary>
[Network]
public partial class SurrogateZoo
{
    [Input(23)] public partial SpikeInput In { get; }
    [Population(21)] public partial Population<BoxcarLif> Boxcar { get; }
    [Population(18)] public partial Population<ExponentialLif> Exponential { get; }
    [Population(33)] public partial Population<SigmoidLif> Sigmoid { get; }
    [Population(9)] public partial Population<ArcTanLif> ArcTan { get; }
    [Population(17)] public partial Population<GaussianLif> Gaussian { get; }
    [Population(25)] public partial Population<AttachedLif> Attached { get; }
    [Population(4)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Boxcar))] public partial DenseSynapses InToBoxcar { get; }
    [Dense(nameof(Boxcar), nameof(Exponential))] public partial DenseSynapses BoxcarToExponential { get; }
    [Dense(nameof(Exponential), nameof(Sigmoid))] public partial DenseSynapses ExponentialToSigmoid { get; }
    [Dense(nameof(In), nameof(Sigmoid))] public partial DenseSynapses InToSigmoid { get; }
    [Dense(nameof(Sigmoid), nameof(ArcTan))] public partial DenseSynapses SigmoidToArcTan { get; }
    [Dense(nameof(ArcTan), nameof(Gaussian))] public partial DenseSynapses ArcTanToGaussian { get; }
    [Dense(nameof(Gaussian), nameof(Attached))] public partial DenseSynapses GaussianToAttached { get; }
    [Dense(nameof(In), nameof(Attached))] public partial DenseSynapses InToAttached { get; }
    [Dense(nameof(Attached), nameof(Attached))] public partial DenseSynapses AttachedRecurrent { get; }
    [Dense(nameof(Attached), nameof(Boxcar))] public partial DenseSynapses AttachedToBoxcar { get; }
    [Dense(nameof(Attached), nameof(Out))] public partial DenseSynapses AttachedToOut { get; }
    [Dense(nameof(Sigmoid), nameof(Out))] public partial DenseSynapses SigmoidToOut { get; }
}
