using System.Numerics;

namespace SnnDsl.Training;

/// <summary>
/// Stochastic gradient descent with momentum (Polyak's heavy ball, or Nesterov's accelerated gradient in the form of
/// Sutskever, Martens, Dahl &amp; Hinton, ICML 2013), as PyTorch's <c>SGD</c> without dampening. Per element:
/// <code>
/// b ← μ·b + g                                    momentum buffer (b = g at the first step)
/// θ ← θ − η·b                                    heavy ball
/// θ ← θ − η·(g + μ·b)                            Nesterov
/// </code>
/// μ = 0 is plain gradient descent θ ← θ − η·g.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][] _buffer;

    /// <summary>SGD over <paramref name="parameters"/>, with a zero momentum buffer.</summary>
    /// <param name="parameters">(name, value, gradient) triples, kept by reference.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="momentum">μ, in [0, 1).</param>
    /// <param name="nesterov">Nesterov momentum; needs μ &gt; 0.</param>
    public Sgd(
        IEnumerable<(string Name, float[] Value, float[] Gradient)> parameters, float learningRate, float momentum = 0f, bool nesterov = false)
        : base(parameters, learningRate)
    {
        Momentum = CheckDecay(momentum, nameof(momentum));
        if (nesterov && momentum == 0f) throw new ArgumentException("Nesterov momentum needs a momentum μ > 0.", nameof(nesterov));
        Nesterov = nesterov;
        _buffer = StateLikeParameters();
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether the update looks ahead along the momentum (Nesterov).</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, float[][] Arrays)> StateSlots => [("momentum", _buffer)];

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, float> Hyperparameters => new Dictionary<string, float> { ["momentum"] = Momentum, ["nesterov"] = Nesterov ? 1f : 0f };

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> gradient)
    {
        var rule = new Rule(LearningRate, Momentum, Nesterov);
        Span<float> buffer = _buffer[index];
        int i = 0;
        for (; i <= value.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var theta = new Vector<float>(value[i..]);
            var b = new Vector<float>(buffer[i..]);
            rule.Apply(ref theta, ref b, new Vector<float>(gradient[i..]));
            theta.CopyTo(value[i..]);
            b.CopyTo(buffer[i..]);
        }
        for (; i < value.Length; i++)                          // tail: the same rule in every lane, lane 0 kept
        {
            var theta = new Vector<float>(value[i]);
            var b = new Vector<float>(buffer[i]);
            rule.Apply(ref theta, ref b, new Vector<float>(gradient[i]));
            value[i] = theta[0];
            buffer[i] = b[0];
        }
    }

    /// <summary>The per-element update.</summary>
    private readonly struct Rule(float learningRate, float momentum, bool nesterov)
    {
        public void Apply(ref Vector<float> theta, ref Vector<float> b, Vector<float> g)
        {
            b = momentum * b + g;                                                 // b ← μb + g
            theta -= learningRate * (nesterov ? g + momentum * b : b);            // θ ← θ − η(g + μb) or θ − ηb
        }
    }
}
