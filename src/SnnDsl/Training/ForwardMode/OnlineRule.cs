namespace SnnDsl.Training;

/// <summary>Where the learning signal of a hidden population comes from in e-prop.</summary>
public enum Feedback
{
    /// <summary>Through the transposed output weights, B = W_outᵀ (symmetric e-prop, Bellec et al. 2020).</summary>
    Symmetric,

    /// <summary>Through fixed random weights drawn once (random e-prop, after feedback alignment).</summary>
    Random,
}

/// <summary>How forward-mode learning credits the populations the loss does not read directly.</summary>
public enum OnlineRuleKind
{
    /// <summary>Exact forward mode (OSTL for one layer): only the populations the loss reads have trainable inputs.</summary>
    Exact,

    /// <summary>E-prop (Bellec et al. 2020): a hidden neuron's learning signal is the readout's error sent back through feedback weights.</summary>
    EProp,

    /// <summary>DECOLLE (Kaiser, Mostafa &amp; Neftci 2020): each hidden population learns from a local loss through a fixed random readout.</summary>
    Decolle,
}

/// <summary>
/// A forward-mode learning rule (docs/forward-mode.md). Every rule trains the populations the loss reads with the exact
/// forward-mode gradient; they differ in the learning signal of the other populations:
/// <list type="bullet">
/// <item><see cref="Exact"/>: none (one trainable layer; equals BPTT there).</item>
/// <item><see cref="EProp"/>: L_i(t) = Σ_k B_ki ∂L/∂x_k(t), the output error at the readout's input sent back through B.</item>
/// <item><see cref="Decolle"/>: L_i(t) = ∂ℓ_t/∂S_i of a per-step cross-entropy on G·S(t), G a fixed random readout per population.</item>
/// </list>
/// </summary>
public sealed record OnlineRule
{
    private OnlineRule(OnlineRuleKind kind, Feedback feedback, int seed)
    {
        Kind = kind;
        Feedback = feedback;
        Seed = seed;
    }

    /// <summary>Which rule.</summary>
    public OnlineRuleKind Kind { get; }

    /// <summary>E-prop's feedback weights.</summary>
    public Feedback Feedback { get; }

    /// <summary>Seed of the random feedback or local readout weights.</summary>
    public int Seed { get; }

    /// <summary>Exact forward mode for networks whose trainable inputs all feed populations the loss reads.</summary>
    public static OnlineRule Exact { get; } = new(OnlineRuleKind.Exact, Feedback.Symmetric, 0);

    /// <summary>E-prop with symmetric or random feedback.</summary>
    public static OnlineRule EProp(Feedback feedback = Feedback.Symmetric, int seed = 1) => new(OnlineRuleKind.EProp, feedback, seed);

    /// <summary>DECOLLE-style local losses through fixed random readouts drawn from <paramref name="seed"/>.</summary>
    public static OnlineRule Decolle(int seed = 1) => new(OnlineRuleKind.Decolle, Feedback.Random, seed);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        OnlineRuleKind.EProp => $"e-prop ({Feedback.ToString().ToLowerInvariant()} feedback)",
        OnlineRuleKind.Decolle => "DECOLLE",
        _ => "exact forward mode",
    };
}
