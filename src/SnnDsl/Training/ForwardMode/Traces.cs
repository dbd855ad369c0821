namespace SnnDsl.Training;

/// <summary>
/// Where each block of a neuron's Jacobian sits among the entries its generated StepJacobian kernel writes: J = ∂h_t/∂h_{t−1},
/// C = ∂h_t/∂(port or parameter), Q = ∂S_t/∂·. Index −1 is a structural zero.
/// </summary>
internal sealed class JacobianIndex
{
    public JacobianIndex(NeuronDescriptor neuron, StepTangentsDescriptor tangents)
    {
        States = neuron.States.Count;
        int ports = neuron.Ports.Count, parameters = neuron.Parameters.Count;
        Count = tangents.Entries.Count;
        Hh = Filled(States * States);
        Input = Filled(States * ports);
        Parameter = Filled(States * parameters);
        SpikeState = Filled(States);
        SpikeInput = Filled(ports);
        SpikeParameter = Filled(parameters);
        for (int e = 0; e < Count; e++)
        {
            JacobianEntryDescriptor entry = tangents.Entries[e];
            bool spike = entry.Row == JacobianEntryDescriptor.Spike;
            switch (entry.Seed)
            {
                case TangentSeed.State when spike: SpikeState[entry.Column] = e; break;
                case TangentSeed.State: Hh[entry.Row * States + entry.Column] = e; break;
                case TangentSeed.Input when spike: SpikeInput[entry.Column] = e; break;
                case TangentSeed.Input: Input[entry.Row * ports + entry.Column] = e; break;
                case TangentSeed.Parameter when spike: SpikeParameter[entry.Column] = e; break;
                default: Parameter[entry.Row * parameters + entry.Column] = e; break;
            }
        }
        Ports = ports;
        Parameters = parameters;
        Surrogate = neuron.IsSpiking ? Count : -1;
        Slots = tangents.Slots(neuron.IsSpiking);
        SpikeFollows = tangents.SpikeFollows;
    }

    /// <summary>Where σ′ sits (after the entries), −1 for a non-spiking neuron.</summary>
    public int Surrogate { get; }

    /// <summary>Values per neuron in the kernel's output.</summary>
    public int Slots { get; }

    /// <summary>The state whose trace times σ′ is the spike's eligibility, or −1.</summary>
    public int SpikeFollows { get; }

    public int States { get; }

    public int Ports { get; }

    public int Parameters { get; }

    /// <summary>Entries per neuron.</summary>
    public int Count { get; }

    /// <summary>∂h_t[d]/∂h_{t−1}[e] at [d·H + e].</summary>
    public int[] Hh { get; }

    /// <summary>∂h_t[d]/∂x[k] at [d·ports + k].</summary>
    public int[] Input { get; }

    /// <summary>∂h_t[d]/∂θ[p] at [d·parameters + p].</summary>
    public int[] Parameter { get; }

    /// <summary>∂S_t/∂h_{t−1}[e].</summary>
    public int[] SpikeState { get; }

    /// <summary>∂S_t/∂x[k].</summary>
    public int[] SpikeInput { get; }

    /// <summary>∂S_t/∂θ[p].</summary>
    public int[] SpikeParameter { get; }

    /// <summary>The column C[d] = ∂h_t[d]/∂seed and Q = ∂S_t/∂seed of a port or a parameter.</summary>
    public (int[] C, int Q) Seed(TangentSeed seed, int column)
    {
        var c = new int[States];
        for (int d = 0; d < States; d++) c[d] = seed == TangentSeed.Input ? Input[d * Ports + column] : Parameter[d * Parameters + column];
        return (c, seed == TangentSeed.Input ? SpikeInput[column] : SpikeParameter[column]);
    }

    private static int[] Filled(int length)
    {
        var a = new int[length];
        Array.Fill(a, -1);
        return a;
    }
}

/// <summary>
/// The learning signals of one population at one step: g_h = ∂L/∂h_t (per state, from the loss, or null) and
/// γ = the signal on the spike S_t (the loss's ∂L/∂S_t plus the rule's term), each over the population's neurons.
/// </summary>
internal readonly ref struct Signals(ReadOnlySpan<float> gamma, bool hasGamma, float[]?[] stateGradients, int offset)
{
    public ReadOnlySpan<float> Gamma { get; } = gamma;

    public bool HasGamma { get; } = hasGamma;

    /// <summary>∂L/∂h_t[d] over the neurons, or empty when the loss does not read state d.</summary>
    public ReadOnlySpan<float> State(int d, int n) => stateGradients[d] is { } g ? g.AsSpan(offset, n) : default;
}

/// <summary>
/// The eligibility trace of a quantity that acts on each neuron separately — a neuron parameter θ, a bias on a port, a
/// one-to-one weight: η_i(t) = J_i(t) η_i(t−1) + C_i(t)·a_i(t), ∂S_i(t) = Q_h,i(t)·η_i(t−1) + Q_i(t)·a_i(t), with
/// a_i = 1 (parameters, biases) or the presynaptic activity (one-to-one). The gradient gathers
/// Σ_t g_h,i(t)·η_i(t) + γ_i(t)·∂S_i(t) per neuron.
/// </summary>
internal sealed class NeuronTrace(int states, int neurons)
{
    private float[] _eta = new float[states * neurons], _next = new float[states * neurons];

    public void Clear() => Array.Clear(_eta);

    /// <param name="jacobian">The step's Jacobian entries, entry-major.</param>
    /// <param name="index">Where the entries sit.</param>
    /// <param name="c">Per state, the entry of C = ∂h_t/∂seed (−1: zero).</param>
    /// <param name="q">The entry of ∂S_t/∂seed (−1: zero).</param>
    /// <param name="activity">a_i per neuron, or empty for a_i = 1.</param>
    /// <param name="signals">g_h and γ of the step.</param>
    /// <param name="gradient">One value per neuron, or length 1 to sum over neurons (a shared parameter).</param>
    public void Step(ReadOnlySpan<float> jacobian, JacobianIndex index, int[] c, int q, ReadOnlySpan<float> activity, in Signals signals, Span<float> gradient)
    {
        int n = neurons;
        bool shared = gradient.Length == 1;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            float a = activity.IsEmpty ? 1f : activity[i];
            if (signals.HasGamma && signals.Gamma[i] != 0f)
            {
                // ∂S_i = Q_h·η(t−1) + Q·a
                float dS = q >= 0 ? jacobian[q * n + i] * a : 0f;
                for (int e = 0; e < states; e++)
                    if (index.SpikeState[e] >= 0) dS += jacobian[index.SpikeState[e] * n + i] * _eta[e * n + i];
                float g = signals.Gamma[i] * dS;
                if (shared) total += g; else gradient[i] += g;
            }
            // η(t) = J·η(t−1) + C·a
            for (int d = 0; d < states; d++)
            {
                float value = c[d] >= 0 ? jacobian[c[d] * n + i] * a : 0f;
                for (int e = 0; e < states; e++)
                    if (index.Hh[d * states + e] is int entry and >= 0) value += jacobian[entry * n + i] * _eta[e * n + i];
                _next[d * n + i] = value;
            }
        }
        (_eta, _next) = (_next, _eta);
        for (int d = 0; d < states; d++)
        {
            ReadOnlySpan<float> gh = signals.State(d, n);
            if (gh.IsEmpty) continue;
            for (int i = 0; i < n; i++)
            {
                float g = gh[i] * _eta[d * n + i];
                if (shared) total += g; else gradient[i] += g;
            }
        }
        if (shared) gradient[0] += (float)total;
    }
}

/// <summary>
/// Σ_r a_r ⊗ b_r accumulated into a weight gradient laid out [pre, post], rank-one terms buffered over steps and added
/// as one product of matrices (Bᵀ·A): each gradient row is read once per flush instead of once per step, and rows
/// whose presynaptic value is zero (no spike, no trace yet) are skipped.
/// </summary>
internal sealed class RankUpdate(int pre, int post, int capacity)
{
    private readonly float[] _a = new float[capacity * post], _b = new float[capacity * pre];
    private int _rows;

    /// <summary>Appends a_r (over postsynaptic neurons) and b_r (over presynaptic neurons); flushes into <paramref name="gradient"/> when full.</summary>
    public void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float[] gradient)
    {
        if (_rows == capacity) Flush(gradient);
        a.CopyTo(_a.AsSpan(_rows * post, post));
        b.CopyTo(_b.AsSpan(_rows * pre, pre));
        _rows++;
    }

    /// <summary>Span for a_r to be written in place; call <see cref="Commit"/> with b_r after.</summary>
    public Span<float> Next(float[] gradient)
    {
        if (_rows == capacity) Flush(gradient);
        return _a.AsSpan(_rows * post, post);
    }

    public void Commit(ReadOnlySpan<float> b)
    {
        b.CopyTo(_b.AsSpan(_rows * pre, pre));
        _rows++;
    }

    /// <summary>gradient[j, :] += Σ_r b_r[j]·a_r.</summary>
    public void Flush(float[] gradient)
    {
        for (int j = 0; j < pre; j++)
        {
            Span<float> row = gradient.AsSpan(j * post, post);
            for (int r = 0; r < _rows; r++)
            {
                float b = _b[r * pre + j];
                if (b != 0f) SpikeOps.MultiplyAddInPlace(row, _a.AsSpan(r * post, post), b);
            }
        }
        _rows = 0;
    }
}

/// <summary>
/// The eligibility traces of a dense connection onto a population whose step Jacobian is uniform (factorizable): the
/// trace of W_ij is the presynaptic trace ε_j(t) = J ε_j(t−1) + c·a_j(t), the same for every postsynaptic neuron, so one
/// sample keeps pre × states floats. ∂L/∂W_ij gathers Σ_t g_h,i(t)·ε_j(t) + γ_i(t)·(Q_h,i(t)·ε_j(t−1) + Q_x,i(t)·a_j(t)),
/// a sum of rank-one terms that <see cref="RankUpdate"/> adds in batches.
/// </summary>
internal sealed class PresynapticTrace(int states, int pre, int post)
{
    private float[] _epsilon = new float[states * pre], _previous = new float[states * pre];
    private readonly RankUpdate _update = new(pre, post, 16 * (2 * states + 1));
    private readonly float[] _j = new float[states * states], _c = new float[states];

    public void Clear() => Array.Clear(_epsilon);

    public void Step(ReadOnlySpan<float> jacobian, JacobianIndex index, int port, ReadOnlySpan<float> activity, bool active, in Signals signals, float[] gradient)
    {
        int h = states;
        // The uniform J and c, read from neuron 0.
        for (int k = 0; k < h * h; k++) _j[k] = index.Hh[k] >= 0 ? jacobian[index.Hh[k] * post] : 0f;
        for (int d = 0; d < h; d++) _c[d] = index.Input[d * index.Ports + port] is int e and >= 0 ? jacobian[e * post] : 0f;

        // ε(t) = J ε(t−1) + c·a(t)
        (_epsilon, _previous) = (_previous, _epsilon);
        for (int d = 0; d < h; d++)
        {
            Span<float> target = _epsilon.AsSpan(d * pre, pre);
            target.Clear();
            if (active && _c[d] != 0f) SpikeOps.MultiplyAddInPlace(target, activity, _c[d]);
            for (int e = 0; e < h; e++)
                if (_j[d * h + e] != 0f) SpikeOps.MultiplyAddInPlace(target, _previous.AsSpan(e * pre, pre), _j[d * h + e]);
        }

        // g_h,i ⊗ ε_j(t) per state the loss reads.
        for (int d = 0; d < h; d++)
        {
            ReadOnlySpan<float> gh = signals.State(d, post);
            if (!gh.IsEmpty) _update.Add(gh, _epsilon.AsSpan(d * pre, pre), gradient);
        }
        if (!signals.HasGamma) return;
        if (index.SpikeFollows >= 0)
        {
            // ∂S_i/∂W_ij = σ′_i ε_j[d](t): one term γ_i σ′_i ⊗ ε_j[d](t).
            Span<float> a = _update.Next(gradient);
            Multiply(signals.Gamma, jacobian.Slice(index.Surrogate * post, post), a);
            _update.Commit(_epsilon.AsSpan(index.SpikeFollows * pre, pre));
            return;
        }
        // γ_i Q_h,i[e] ⊗ ε_j[e](t−1) and γ_i Q_x,i ⊗ a_j(t).
        for (int e = 0; e < h; e++)
        {
            if (index.SpikeState[e] < 0) continue;
            Span<float> a = _update.Next(gradient);
            Multiply(signals.Gamma, jacobian.Slice(index.SpikeState[e] * post, post), a);
            _update.Commit(_previous.AsSpan(e * pre, pre));
        }
        if (active && index.SpikeInput[port] >= 0)
        {
            Span<float> a = _update.Next(gradient);
            Multiply(signals.Gamma, jacobian.Slice(index.SpikeInput[port] * post, post), a);
            _update.Commit(activity);
        }
    }

    /// <summary>Adds the buffered terms to the gradient.</summary>
    public void Flush(float[] gradient) => _update.Flush(gradient);

    private static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result)
    {
        for (int i = 0; i < result.Length; i++) result[i] = x[i] * y[i];
    }
}

/// <summary>
/// The eligibility traces of a dense connection onto a population whose step Jacobian differs between neurons (a
/// reset to zero, per-neuron parameters, an attached reset): one trace per synapse, e_ij(t) = J_i(t) e_ij(t−1) + C_i(t)·a_j(t),
/// pre × post × states floats per sample. The gradient is gathered transposed, [post, pre], and added at the end.
/// </summary>
internal sealed class SynapseTrace(int states, int pre, int post)
{
    private readonly float[] _e = new float[states * post * pre], _next = new float[states * pre];

    /// <summary>∂L/∂W transposed, [post, pre], summed over the samples of a run.</summary>
    public float[] TransposedGradient { get; } = new float[post * pre];

    public void Clear() => Array.Clear(_e);

    public void Step(ReadOnlySpan<float> jacobian, JacobianIndex index, int port, ReadOnlySpan<float> activity, bool active, in Signals signals)
    {
        int h = states, n = post;
        for (int i = 0; i < n; i++)
        {
            Span<float> gradient = TransposedGradient.AsSpan(i * pre, pre);
            float gamma = signals.HasGamma ? signals.Gamma[i] : 0f;
            if (gamma != 0f)
            {
                // γ_i·∂S_i/∂W_ij = γ_i (Q_h,i·e_ij(t−1) + Q_x,i·a_j)
                for (int e = 0; e < h; e++)
                    if (index.SpikeState[e] >= 0) SpikeOps.MultiplyAddInPlace(gradient, Trace(e, i), gamma * jacobian[index.SpikeState[e] * n + i]);
                if (active && index.SpikeInput[port] >= 0) SpikeOps.MultiplyAddInPlace(gradient, activity, gamma * jacobian[index.SpikeInput[port] * n + i]);
            }
            // e_ij(t) = J_i e_ij(t−1) + C_i·a_j
            for (int d = 0; d < h; d++)
            {
                Span<float> target = _next.AsSpan(d * pre, pre);
                target.Clear();
                if (active && index.Input[d * index.Ports + port] is int c and >= 0) SpikeOps.MultiplyAddInPlace(target, activity, jacobian[c * n + i]);
                for (int e = 0; e < h; e++)
                    if (index.Hh[d * h + e] is int entry and >= 0) SpikeOps.MultiplyAddInPlace(target, Trace(e, i), jacobian[entry * n + i]);
            }
            for (int d = 0; d < h; d++)
            {
                _next.AsSpan(d * pre, pre).CopyTo(Trace(d, i));
                ReadOnlySpan<float> gh = signals.State(d, n);
                if (!gh.IsEmpty && gh[i] != 0f) SpikeOps.MultiplyAddInPlace(gradient, Trace(d, i), gh[i]);
            }
        }
    }

    private Span<float> Trace(int state, int neuron) => _e.AsSpan((state * post + neuron) * pre, pre);
}
