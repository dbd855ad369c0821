using System.Numerics;

namespace SnnDsl.Training;

/// <summary>
/// Adamax (Kingma &amp; Ba, ICLR 2015, §7.1, Algorithm 2), Adam with the infinity norm, the optimizer of SpyTorch
/// tutorials 3–5. Per element, at step t:
/// <code>
/// m ← β₁·m + (1 − β₁)·g                          first moment
/// u ← max(β₂·u, |g| + ε)                         exponentially weighted infinity norm
/// θ ← θ − (η / (1 − β₁ᵗ))·m / u
/// </code>
/// ε inside the max is PyTorch's guard against u = 0 (the paper has none). Defaults are PyTorch's: η = 2e-3,
/// β₁ = 0.9, β₂ = 0.999, ε = 1e-8; SpyTorch uses η = 2e-4 (SHD) and β = (0.9, 0.995), η = 1e-2 (Braille).
/// </summary>
public sealed class Adamax : Optimizer
{
    private readonly float[][] _m;
    private readonly float[][] _u;

    /// <summary>Adamax over <paramref name="parameters"/>, with zero moments.</summary>
    /// <param name="parameters">(name, value, gradient) triples, kept by reference.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="beta1">β₁, decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">β₂, decay of the infinity norm, in [0, 1).</param>
    /// <param name="epsilon">ε, added to |g| inside the max.</param>
    public Adamax(
        IEnumerable<(string Name, float[] Value, float[] Gradient)> parameters,
        float learningRate = 2e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
        : base(parameters, learningRate)
    {
        Beta1 = CheckDecay(beta1, nameof(beta1));
        Beta2 = CheckDecay(beta2, nameof(beta2));
        Epsilon = CheckNonNegative(epsilon, nameof(epsilon));
        _m = StateLikeParameters();
        _u = StateLikeParameters();
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, float[][] Arrays)> StateSlots => [("m", _m), ("u", _u)];

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, float> Hyperparameters => new Dictionary<string, float> { ["beta1"] = Beta1, ["beta2"] = Beta2, ["epsilon"] = Epsilon };

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient)
    {
        var rule = new Rule(this);
        Span<float> m = _m[index], u = _u[index];
        int i = 0;
        for (; i <= value.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var theta = new Vector<float>(value[i..]);
            var mi = new Vector<float>(m[i..]);
            var ui = new Vector<float>(u[i..]);
            rule.Apply(ref theta, ref mi, ref ui, new Vector<float>(gradient[i..]));
            theta.CopyTo(value[i..]);
            mi.CopyTo(m[i..]);
            ui.CopyTo(u[i..]);
        }
        for (; i < value.Length; i++)                          // tail: the same rule in every lane, lane 0 kept
        {
            var theta = new Vector<float>(value[i]);
            var mi = new Vector<float>(m[i]);
            var ui = new Vector<float>(u[i]);
            rule.Apply(ref theta, ref mi, ref ui, new Vector<float>(gradient[i]));
            value[i] = theta[0];
            m[i] = mi[0];
            u[i] = ui[0];
        }
    }

    /// <summary>The per-element update with this step's coefficients.</summary>
    private readonly struct Rule(Adamax adamax)
    {
        private readonly float _beta1 = adamax.Beta1, _beta2 = adamax.Beta2;
        private readonly float _stepSize = (float)(adamax.LearningRate / (1 - Math.Pow(adamax.Beta1, adamax.StepCount)));   // η / (1 − β₁ᵗ)
        private readonly Vector<float> _epsilon = new(adamax.Epsilon);

        public void Apply(ref Vector<float> theta, ref Vector<float> m, ref Vector<float> u, Vector<float> g)
        {
            m = _beta1 * m + (1f - _beta1) * g;                                   // m ← β₁m + (1 − β₁)g
            u = Vector.Max(_beta2 * u, Vector.Abs(g) + _epsilon);                 // u ← max(β₂u, |g| + ε)
            theta -= _stepSize * m / u;                                           // θ ← θ − η/(1 − β₁ᵗ)·m/u
        }
    }
}
