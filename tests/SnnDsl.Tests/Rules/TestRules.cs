using SnnDsl.Neurons;

namespace SnnDsl.Tests.Rules;

/// <summary>
/// A rule that reads every kind of input and uses locals, a conditional and MathF calls: what the generator must
/// translate and vectorize, checked against <see cref="ReferenceRule"/>. It reads an error and the presynaptic neuron's
/// membrane, so it is declared offline.
/// </summary>
[LearningRule(Offline = true)]
public partial struct KitchenSinkRule
{
    [PresynapticState] public float A;
    [PresynapticState] public float B;
    [PostsynapticState] public float P;
    [SynapticState] public float E;
    [SynapticState] public float F;
    [Param(0.9f)] public float Decay;
    [Param(0.5f)] public float Gain;

    public void Presynaptic([PreSpike] float s, [Presynaptic("U")] float u, [Modulator] float m)
    {
        A = Decay * A + s;
        B = u > 0.5f ? B + m : B * Decay;
    }

    public void Postsynaptic([PostSpike] float s, [Postsynaptic("U")] float u, [Target] float target, [Error] float error)
    {
        float x = target - s;
        P = Decay * P + x * MathF.Exp(-MathF.Abs(u)) + error;
    }

    public float Update([PreSpike] float s, [PostSpike] float post, [Weight] float w, [Modulator] float m, [Error] float e, [Postsynaptic("U")] float u)
    {
        E = Decay * E + A * post - P * s;
        F = MathF.Max(F, B) * Gain;
        float bound = 1f - w * w;
        return m * E * bound + e * F * u / 4f;
    }
}

/// <summary>Hebb's rule with a decay and no states: Δw = η (s_j S_i − λ w).</summary>
[LearningRule]
public partial struct DecayingHebb
{
    [Param(0.01f)] public float Rate;
    [Param(0.1f)] public float Leak;

    public float Update([PreSpike] float pre, [PostSpike] float post, [Weight] float w) => Rate * (pre * post - Leak * w);
}

/// <summary>Input → recurrent LIF → LIF, with a delay: where the rules' plumbing (delays, reads of both neurons) is checked.</summary>
[Network]
public partial class PlasticNet
{
    [Input(9)] public partial SpikeInput In { get; }
    [Population(21)] public partial Population<Lif> Hidden { get; }
    [Population(37)] public partial Population<CubaLif> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses Recurrent { get; }
    [Dense(nameof(Hidden), nameof(Out), Delay = 2)] public partial DenseSynapses HiddenToOut { get; }
    [Sparse(nameof(In), nameof(Out), Probability = 0.5)] public partial SparseSynapses InToOut { get; }
}

/// <summary>A rule that declares an error it never reads: only what the IR reads is classified.</summary>
[LearningRule]
public partial struct DeclaredButUnread
{
    public float Update([PreSpike] float pre, [Error] float unused) => 0.5f * pre;
}

/// <summary>Two groups of inputs onto two LIF neurons, one per choice (the reward and SuperSpike tasks).</summary>
[Network]
public partial class ChoiceNet
{
    [Input(40)] public partial SpikeInput Stimulus { get; }
    [Population(2)] public partial Population<Lif> Choice { get; }
    [Dense(nameof(Stimulus), nameof(Choice))] public partial DenseSynapses Sensory { get; }
}
