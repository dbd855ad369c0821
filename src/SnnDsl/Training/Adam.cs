using System.Numerics;

namespace SnnDsl.Training;

/// <summary>
/// Adam (Kingma &amp; Ba, "Adam: a method for stochastic optimization", ICLR 2015, Algorithm 1), with optional
/// decoupled weight decay, which makes it AdamW (Loshchilov &amp; Hutter, "Decoupled weight decay regularization",
/// ICLR 2019) in PyTorch's form. Per element, at step t:
/// <code>
/// θ ← θ − η·λ·θ                                  decoupled weight decay (AdamW), when λ &gt; 0
/// m ← β₁·m + (1 − β₁)·g                          first moment
/// v ← β₂·v + (1 − β₂)·g²                         second raw moment
/// θ ← θ − η·m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
/// </code>
/// The weight decay is decoupled, as PyTorch's <c>AdamW</c>: it shrinks θ directly rather than adding λθ to g as
/// PyTorch's <c>Adam(weight_decay)</c> does, which the normalization by √v̂ would rescale. Defaults are PyTorch's:
/// η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0 (SpyTorch tutorials 1–2 use Adam with η = 2e-3 and 2e-4).
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly float[][] _m;
    private readonly float[][] _v;

    /// <summary>Adam over <paramref name="parameters"/>, with zero moments.</summary>
    /// <param name="parameters">(name, value, gradient) triples, kept by reference.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁, decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">β₂, decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">ε, added to √v̂.</param>
    /// <param name="weightDecay">λ, decoupled weight decay (AdamW); 0 is plain Adam.</param>
    public Adam(
        IEnumerable<(string Name, float[] Value, float[] Gradient)> parameters,
        float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(parameters, learningRate)
    {
        Beta1 = CheckDecay(beta1, nameof(beta1));
        Beta2 = CheckDecay(beta2, nameof(beta2));
        Epsilon = CheckNonNegative(epsilon, nameof(epsilon));
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        _m = StateLikeParameters();
        _v = StateLikeParameters();
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ, decoupled (AdamW).</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, float[][] Arrays)> StateSlots => [("m", _m), ("v", _v)];

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, float> Hyperparameters => new Dictionary<string, float> { ["beta1"] = Beta1, ["beta2"] = Beta2, ["epsilon"] = Epsilon, ["weight-decay"] = WeightDecay };

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient)
    {
        var rule = new Rule(this);
        Span<float> m = _m[index], v = _v[index];
        int i = 0;
        for (; i <= value.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var theta = new Vector<float>(value[i..]);
            var mi = new Vector<float>(m[i..]);
            var vi = new Vector<float>(v[i..]);
            rule.Apply(ref theta, ref mi, ref vi, new Vector<float>(gradient[i..]));
            theta.CopyTo(value[i..]);
            mi.CopyTo(m[i..]);
            vi.CopyTo(v[i..]);
        }
        for (; i < value.Length; i++)                          // tail: the same rule in every lane, lane 0 kept
        {
            var theta = new Vector<float>(value[i]);
            var mi = new Vector<float>(m[i]);
            var vi = new Vector<float>(v[i]);
            rule.Apply(ref theta, ref mi, ref vi, new Vector<float>(gradient[i]));
            value[i] = theta[0];
            m[i] = mi[0];
            v[i] = vi[0];
        }
    }

    /// <summary>The per-element update with this step's coefficients.</summary>
    private readonly struct Rule(Adam adam)
    {
        private readonly float _beta1 = adam.Beta1, _beta2 = adam.Beta2;
        private readonly float _decay = 1f - adam.LearningRate * adam.WeightDecay;
        private readonly float _stepSize = (float)(adam.LearningRate / (1 - Math.Pow(adam.Beta1, adam.StepCount)));    // η / (1 − β₁ᵗ)
        private readonly float _sqrtCorrection2 = (float)Math.Sqrt(1 - Math.Pow(adam.Beta2, adam.StepCount));          // √(1 − β₂ᵗ)
        private readonly Vector<float> _epsilon = new(adam.Epsilon);

        public void Apply(ref Vector<float> theta, ref Vector<float> m, ref Vector<float> v, Vector<float> g)
        {
            theta *= _decay;                                                      // θ ← (1 − ηλ)θ
            m = _beta1 * m + (1f - _beta1) * g;                                   // m ← β₁m + (1 − β₁)g
            v = _beta2 * v + (1f - _beta2) * (g * g);                             // v ← β₂v + (1 − β₂)g²
            theta -= _stepSize * m / (Vector.SquareRoot(v) / _sqrtCorrection2 + _epsilon);   // θ ← θ − η·m̂/(√v̂ + ε)
        }
    }
}
