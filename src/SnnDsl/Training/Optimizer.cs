namespace SnnDsl.Training;

/// <summary>
/// A first-order optimizer over named parameter tensors, each a value array θ and a gradient array g of the same
/// length (the triples <c>NetworkGradients.Tensors()</c> yields). <see cref="Step"/> updates every θ in place from
/// its g; the optimizer's state (moments, momentum) is allocated once, in the constructor.
/// </summary>
public abstract class Optimizer
{
    private readonly (string Name, float[] Value, float[] Gradient)[] _parameters;
    private readonly float[][] _gradients;
    private float _learningRate;

    /// <summary>Takes the parameter tensors (kept by reference) and the learning rate η.</summary>
    protected Optimizer(IEnumerable<(string Name, float[] Value, float[] Gradient)> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("There are no parameters to optimize.", nameof(parameters));
        foreach ((string name, float[] value, float[] gradient) in _parameters)
        {
            if (value.Length != gradient.Length)
                throw new ArgumentException($"Parameter '{name}' has {value.Length} values but its gradient has {gradient.Length}.", nameof(parameters));
        }
        _gradients = _parameters.Select(p => p.Gradient).ToArray();
        LearningRate = learningRate;
    }

    /// <summary>The parameter tensors, in the order given.</summary>
    public IReadOnlyList<(string Name, float[] Value, float[] Gradient)> Parameters => _parameters;

    /// <summary>The learning rate η, finite and non-negative; set it between steps for a schedule.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0f) || !float.IsFinite(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and non-negative.");
            _learningRate = value;
        }
    }

    /// <summary>Updates taken so far, t (bias corrections use it).</summary>
    public int StepCount { get; private set; }

    /// <summary>One update of every parameter from its gradient; t counts from 1.</summary>
    public void Step()
    {
        StepCount++;
        for (int k = 0; k < _parameters.Length; k++) Update(k, _parameters[k].Value, _parameters[k].Gradient);
    }

    /// <summary>Updates parameter <paramref name="index"/> (in <see cref="Parameters"/> order) with <see cref="StepCount"/> already advanced.</summary>
    protected abstract void Update(int index, Span<float> value, ReadOnlySpan<float> gradient);

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (float[] gradient in _gradients) Array.Clear(gradient);
    }

    /// <summary>
    /// The optimizer's whole state: its type, t, η, its hyperparameters and every state array (moments, momentum), one
    /// per parameter tensor, copied. <see cref="ImportState"/> restores it, so that training resumed from a checkpoint
    /// takes bit for bit the steps the uninterrupted run takes.
    /// </summary>
    public OptimizerState ExportState()
    {
        var slots = new List<OptimizerSlot>();
        foreach ((string slot, float[][] arrays) in StateSlots)
            for (int k = 0; k < _parameters.Length; k++)
                slots.Add(new OptimizerSlot(slot, _parameters[k].Name, (float[])arrays[k].Clone()));
        return new OptimizerState(GetType().Name, StepCount, LearningRate, new Dictionary<string, float>(Hyperparameters), slots);
    }

    /// <summary>
    /// Restores a state from <see cref="ExportState"/> (of an optimizer of the same type and hyperparameters over
    /// tensors of the same names and lengths). Everything is checked before anything changes.
    /// </summary>
    /// <exception cref="ArgumentException">The type, a hyperparameter, a tensor name or a length differs (the message says which).</exception>
    public void ImportState(OptimizerState state)
    {
        List<(float[] Source, float[] Target)> plan = Plan(state);
        LearningRate = state.LearningRate;
        StepCount = state.StepCount;
        foreach ((float[] source, float[] target) in plan) source.CopyTo(target, 0);
    }

    /// <summary>Checks a state as <see cref="ImportState"/> does, without changing anything.</summary>
    /// <exception cref="ArgumentException">The state does not fit (the message says why).</exception>
    public void CheckState(OptimizerState state) => Plan(state);

    private List<(float[] Source, float[] Target)> Plan(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Type != GetType().Name)
            throw new ArgumentException($"The state is of a {state.Type} optimizer; this one is {GetType().Name}.", nameof(state));
        foreach ((string name, float value) in Hyperparameters)
        {
            if (!state.Hyperparameters.TryGetValue(name, out float saved))
                throw new ArgumentException($"The {state.Type} state has no hyperparameter '{name}'.", nameof(state));
            if (BitConverter.SingleToInt32Bits(saved) != BitConverter.SingleToInt32Bits(value))
                throw new ArgumentException(FormattableString.Invariant($"{state.Type} hyperparameter '{name}' is {saved:R} in the state and {value:R} here; resuming with other hyperparameters would not continue the same run."), nameof(state));
        }
        if (!(state.LearningRate >= 0f) || !float.IsFinite(state.LearningRate))
            throw new ArgumentException(FormattableString.Invariant($"The state's learning rate {state.LearningRate} is not finite and non-negative."), nameof(state));
        if (state.StepCount < 0) throw new ArgumentException($"The state's step count {state.StepCount} is negative.", nameof(state));
        var plan = new List<(float[] Source, float[] Target)>();
        foreach ((string slot, float[][] arrays) in StateSlots)
        {
            for (int k = 0; k < _parameters.Length; k++)
            {
                string tensor = _parameters[k].Name;
                OptimizerSlot? saved = state.Slots.FirstOrDefault(s => s.Slot == slot && s.Parameter == tensor)
                    ?? throw new ArgumentException($"The {state.Type} state has no '{slot}' for parameter '{tensor}'.", nameof(state));
                if (saved.Values.Length != arrays[k].Length)
                    throw new ArgumentException($"The {state.Type} state's '{slot}' for parameter '{tensor}' has {saved.Values.Length} values; the parameter has {arrays[k].Length}.", nameof(state));
                plan.Add((saved.Values, arrays[k]));
            }
        }
        int expectedSlots = StateSlots.Count * _parameters.Length;
        if (state.Slots.Count != expectedSlots)
            throw new ArgumentException($"The {state.Type} state has {state.Slots.Count} state arrays; this optimizer has {expectedSlots} (parameters: {string.Join(", ", _parameters.Select(p => p.Name))}).", nameof(state));
        return plan;
    }

    /// <summary>
    /// The state arrays, by name (e.g. Adam's "m" and "v"), one array per parameter tensor in <see cref="Parameters"/>
    /// order. An optimizer with state overrides it, so that checkpoints hold that state.
    /// </summary>
    protected virtual IReadOnlyList<(string Name, float[][] Arrays)> StateSlots => [];

    /// <summary>The hyperparameters a resumed run must share (e.g. β₁, β₂, ε, λ), by name.</summary>
    protected virtual IReadOnlyDictionary<string, float> Hyperparameters => new Dictionary<string, float>();

    /// <summary>Clips the gradients by their global L2 norm (<see cref="GradientClipping.ByGlobalNorm"/>); returns the norm before clipping.</summary>
    public float ClipGradientNorm(float maxNorm) => GradientClipping.ByGlobalNorm(_gradients, maxNorm);

    /// <summary>Clamps every gradient element to [−limit, limit] (<see cref="GradientClipping.ByValue"/>).</summary>
    public void ClipGradientValues(float limit) => GradientClipping.ByValue(_gradients, limit);

    /// <summary>Zero state arrays shaped like the parameters, one per parameter.</summary>
    private protected float[][] StateLikeParameters() => _parameters.Select(p => new float[p.Value.Length]).ToArray();

    /// <summary>Throws unless 0 ≤ <paramref name="beta"/> &lt; 1.</summary>
    private protected static float CheckDecay(float beta, string name) =>
        beta is >= 0f and < 1f ? beta : throw new ArgumentOutOfRangeException(name, beta, "A decay rate must be in [0, 1).");

    /// <summary>Throws unless <paramref name="value"/> is finite and non-negative.</summary>
    private protected static float CheckNonNegative(float value, string name) =>
        value >= 0f && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "Must be finite and non-negative.");
}

/// <summary>One state array of an optimizer for one parameter tensor.</summary>
/// <param name="Slot">The state's name, e.g. "m".</param>
/// <param name="Parameter">The parameter tensor's name, e.g. "Recurrent".</param>
/// <param name="Values">The values, one per parameter element.</param>
public sealed record OptimizerSlot(string Slot, string Parameter, float[] Values);

/// <summary>An optimizer's whole state (see <see cref="Optimizer.ExportState"/>).</summary>
/// <param name="Type">The optimizer's type name, e.g. "Adam".</param>
/// <param name="StepCount">Updates taken, t.</param>
/// <param name="LearningRate">η.</param>
/// <param name="Hyperparameters">Hyperparameters by name.</param>
/// <param name="Slots">Every state array.</param>
public sealed record OptimizerState(string Type, int StepCount, float LearningRate, IReadOnlyDictionary<string, float> Hyperparameters, IReadOnlyList<OptimizerSlot> Slots);
