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
