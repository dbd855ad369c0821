namespace SnnDsl;

/// <summary>An input layer: <see cref="Size"/> channels of externally given spikes.</summary>
public sealed class SpikeInput
{
    /// <summary>Creates an input layer.</summary>
    public SpikeInput(string name, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        Size = size;
    }

    /// <summary>Layer name.</summary>
    public string Name { get; }

    /// <summary>Number of channels.</summary>
    public int Size { get; }
}

/// <summary>
/// A population of neurons with its parameter values: one value for a shared parameter, one per neuron for a
/// parameter declared <see cref="ParamAttribute.PerNeuron"/>.
/// </summary>
public class Population
{
    private readonly float[][] _parameters;

    /// <summary>Creates a population with every parameter at its declared default.</summary>
    protected Population(string name, int size, NeuronDescriptor neuron)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        Size = size;
        Neuron = neuron;
        _parameters = new float[neuron.Parameters.Count][];
        for (int p = 0; p < _parameters.Length; p++)
        {
            ParamDescriptor param = neuron.Parameters[p];
            _parameters[p] = new float[param.PerNeuron ? size : 1];
            Array.Fill(_parameters[p], param.DefaultValue);
        }
    }

    /// <summary>Layer name.</summary>
    public string Name { get; }

    /// <summary>Number of neurons.</summary>
    public int Size { get; }

    /// <summary>The neuron model.</summary>
    public NeuronDescriptor Neuron { get; }

    /// <summary>
    /// The values of a parameter: length 1 when shared, <see cref="Size"/> when per neuron. Writable.
    /// </summary>
    /// <exception cref="ArgumentException">The neuron has no parameter of that name.</exception>
    public float[] Parameter(string name)
    {
        for (int p = 0; p < _parameters.Length; p++)
        {
            if (Neuron.Parameters[p].Name == name) return _parameters[p];
        }
        throw new ArgumentException(
            $"Neuron '{Neuron.Name}' of population '{Name}' has no parameter '{name}'. Parameters: {string.Join(", ", Neuron.Parameters.Select(p => p.Name))}.",
            nameof(name));
    }

    /// <summary>The values of the parameter at declaration index <paramref name="index"/>.</summary>
    public float[] Parameter(int index) => _parameters[index];
}

/// <summary>A population of <typeparamref name="TNeuron"/> neurons.</summary>
public sealed class Population<TNeuron> : Population
    where TNeuron : struct, INeuron
{
    /// <summary>Creates a population with every parameter at its declared default.</summary>
    public Population(string name, int size) : base(name, size, TNeuron.Descriptor)
    {
    }
}

/// <summary>
/// Dense synapses. <see cref="Weights"/> is row-major [pre, post]: the row of presynaptic neuron j is contiguous,
/// so a spike of j adds one row to the postsynaptic input (event-driven accumulation).
/// </summary>
public sealed class Synapses
{
    /// <summary>Creates a zero weight matrix.</summary>
    public Synapses(string name, string from, string to, int pre, int post, bool recurrent)
    {
        Name = name;
        From = from;
        To = to;
        Pre = pre;
        Post = post;
        Recurrent = recurrent;
        Weights = new float[checked(pre * post)];
    }

    /// <summary>Connection name.</summary>
    public string Name { get; }

    /// <summary>Presynaptic layer.</summary>
    public string From { get; }

    /// <summary>Postsynaptic population.</summary>
    public string To { get; }

    /// <summary>Presynaptic size.</summary>
    public int Pre { get; }

    /// <summary>Postsynaptic size.</summary>
    public int Post { get; }

    /// <summary>Whether the connection carries spikes of step t−1.</summary>
    public bool Recurrent { get; }

    /// <summary>Row-major [pre, post] weights.</summary>
    public float[] Weights { get; }

    /// <summary>Weight from presynaptic neuron <paramref name="pre"/> to postsynaptic neuron <paramref name="post"/>.</summary>
    public ref float this[int pre, int post]
    {
        get
        {
            if ((uint)pre >= (uint)Pre) throw new ArgumentOutOfRangeException(nameof(pre), pre, $"Connection '{Name}' has {Pre} presynaptic neurons.");
            if ((uint)post >= (uint)Post) throw new ArgumentOutOfRangeException(nameof(post), post, $"Connection '{Name}' has {Post} postsynaptic neurons.");
            return ref Weights[pre * Post + post];
        }
    }

    /// <summary>The contiguous weight row of presynaptic neuron <paramref name="pre"/>.</summary>
    public Span<float> Row(int pre) => Weights.AsSpan(pre * Post, Post);
}
