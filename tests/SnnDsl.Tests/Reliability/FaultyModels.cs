using SnnDsl.Neurons;
using SnnDsl.Surrogates;

namespace SnnDsl.Tests.Reliability;

/// <summary>
/// LIF written with a membrane time constant in steps, U = U − U/Tau + input/Tau, whose Tau defaults to 0: the mistake of
/// issue 12 (every membrane NaN, no spike, training at chance with a loss of exactly ln 2).
/// </summary>
// The mistake is the point: SNN0301 flags it at compile time too; the tests check what the runtime reports.
#pragma warning disable SNN0301
[Neuron]
public partial struct TauLif
{
    [State] public float U;
    [Param(0f)] public float Tau;
    [Param(1f)] public float Threshold;

    public void Integrate(float input) => U = U - U / Tau + input / Tau;

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U -= Threshold;
}
#pragma warning restore SNN0301

/// <summary>
/// An exponential-integrate-and-fire-like neuron: U = βU + input + Gain·exp(U). Its membrane runs away to +∞ once
/// strong input lifts it above ≈ 2, because the threshold is far away; issue 12's "an Exp that overflows".
/// </summary>
[Neuron]
public partial struct RunawayLif
{
    [State] public float U;
    [Param(0.5f)] public float Beta;
    [Param(0.05f)] public float Gain;
    [Param(1000f)] public float Threshold;

    public void Integrate(float input) => U = Beta * U + input + Gain * MathF.Exp(U);

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U -= Threshold;
}

/// <summary>A neuron whose leak is written with Log and Sqrt of parameters, with a guard on a parameter-only condition.</summary>
[Neuron]
public partial struct LogLeakLif
{
    [State] public float U;
    [Param(10f, PerNeuron = true)] public float TauSteps;
    [Param(1f)] public float Scale;
    [Param(1f)] public float Threshold;

    public void Integrate(float input) => U = MathF.Exp(-1f / TauSteps) * U + MathF.Sqrt(Scale) * input + (Scale > 0f ? MathF.Log(Scale) : 0f);

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U -= Threshold;
}

[Network]
public partial class TauNet
{
    [Input(6)] public partial SpikeInput In { get; }
    [Population(12)] public partial Population<TauLif> Hidden { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

[Network]
public partial class RunawayNet
{
    [Input(6)] public partial SpikeInput In { get; }
    [Population(12)] public partial Population<RunawayLif> Hidden { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

[Network]
public partial class LogLeakNet
{
    [Input(6)] public partial SpikeInput In { get; }
    [Population(12)] public partial Population<LogLeakLif> Hidden { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>A small two-class network of built-in neurons.</summary>
[Network]
public partial class SmallClassifier
{
    [Input(6)] public partial SpikeInput In { get; }
    [Population(12)] public partial Population<CubaLif> Hidden { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}
