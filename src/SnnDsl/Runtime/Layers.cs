using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SnnDsl.Data;

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
/// The values of a model's parameters for one population or connection: one value for a shared parameter, one per
/// neuron (per postsynaptic neuron for a synapse) for a parameter declared <see cref="ParamAttribute.PerNeuron"/>.
/// </summary>
public sealed class ParameterValues
{
    private readonly float[][] _values;

    /// <summary>Every parameter at its declared default.</summary>
    public ParameterValues(string owner, string model, IReadOnlyList<ParamDescriptor> parameters, int size)
    {
        Owner = owner;
        Model = model;
        Descriptors = parameters;
        _values = new float[parameters.Count][];
        for (int p = 0; p < _values.Length; p++)
        {
            _values[p] = new float[parameters[p].PerNeuron ? size : 1];
            Array.Fill(_values[p], parameters[p].DefaultValue);
        }
    }

    /// <summary>The population or connection these values belong to.</summary>
    public string Owner { get; }

    /// <summary>The neuron or synapse model.</summary>
    public string Model { get; }

    /// <summary>The declared parameters, in declaration order.</summary>
    public IReadOnlyList<ParamDescriptor> Descriptors { get; }

    /// <summary>The values of a parameter: length 1 when shared, one per neuron otherwise. Writable.</summary>
    /// <exception cref="ArgumentException">The model has no parameter of that name.</exception>
    public float[] this[string name]
    {
        get
        {
            for (int p = 0; p < _values.Length; p++)
                if (Descriptors[p].Name == name) return _values[p];
            throw new ArgumentException(
                $"'{Model}' of '{Owner}' has no parameter '{name}'. Parameters: {(Descriptors.Count == 0 ? "none" : string.Join(", ", Descriptors.Select(p => p.Name)))}.",
                nameof(name));
        }
    }

    /// <summary>The values of the parameter at declaration index <paramref name="index"/>.</summary>
    public float[] this[int index] => _values[index];
}

/// <summary>
/// A population of neurons with its parameter values: one value for a shared parameter, one per neuron for a
/// parameter declared <see cref="ParamAttribute.PerNeuron"/>.
/// </summary>
public class Population
{
    private readonly ParameterValues _parameters;
    private readonly float[][] _initial;

    /// <summary>Creates a population with every parameter at its declared default.</summary>
    protected Population(string name, int size, NeuronDescriptor neuron)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Name = name;
        Size = size;
        Neuron = neuron;
        _parameters = new ParameterValues(name, neuron.Name, neuron.Parameters, size);
        _initial = new float[neuron.States.Count][];
        for (int s = 0; s < _initial.Length; s++)
        {
            _initial[s] = new float[size];
            Array.Fill(_initial[s], neuron.InitialValues is { } values ? values[s] : 0f);
        }
    }

    /// <summary>Layer name.</summary>
    public string Name { get; }

    /// <summary>Number of neurons.</summary>
    public int Size { get; }

    /// <summary>The neuron model.</summary>
    public NeuronDescriptor Neuron { get; }

    /// <summary>The values of a parameter: length 1 when shared, <see cref="Size"/> when per neuron. Writable.</summary>
    /// <exception cref="ArgumentException">The neuron has no parameter of that name.</exception>
    public float[] Parameter(string name) => _parameters[name];

    /// <summary>The values of the parameter at declaration index <paramref name="index"/>.</summary>
    public float[] Parameter(int index) => _parameters[index];

    /// <summary>
    /// The value each neuron's state <paramref name="state"/> holds before the first step of every sample: one per
    /// neuron, starting at the declared <see cref="StateAttribute.Initial"/> (0 when not declared). Writable, e.g. to
    /// start each neuron at its own membrane potential; <c>Simulate</c> and <c>Backward</c> read it on every call.
    /// </summary>
    /// <exception cref="ArgumentException">The neuron has no state of that name, or it is the [PreviousSpike] field (S[−1] is always 0).</exception>
    public float[] InitialState(string state) => InitialState(Neuron.IndexOfState(state));

    /// <summary>The initial values of the state at declaration index <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentException">The state is the [PreviousSpike] field.</exception>
    public float[] InitialState(int index) =>
        Neuron.States[index] == Neuron.PreviousSpike
            ? throw new ArgumentException($"'{Neuron.States[index]}' of '{Name}' holds the previous step's spike, which is 0 before the first step; it has no initial value to set.", nameof(index))
            : _initial[index];
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
/// A connection: its declaration, its weights and the parameter values of its synapse model. The kinds differ in
/// how <see cref="Weights"/> maps presynaptic to postsynaptic neurons.
/// </summary>
public abstract class Connection
{
    private readonly ParameterValues? _synapse;

    /// <summary>A connection with zero weights of length <paramref name="weights"/>.</summary>
    private protected Connection(ConnectionDescriptor descriptor, int pre, int post, int weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pre);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(post);
        Descriptor = descriptor;
        Pre = pre;
        Post = post;
        Weights = new float[weights];
        if (descriptor.Synapse is { } synapse) _synapse = new ParameterValues(descriptor.Name, synapse.Name, synapse.Parameters, post);
    }

    /// <summary>The declaration.</summary>
    public ConnectionDescriptor Descriptor { get; }

    /// <summary>Connection name.</summary>
    public string Name => Descriptor.Name;

    /// <summary>Presynaptic layer.</summary>
    public string From => Descriptor.From;

    /// <summary>Postsynaptic population.</summary>
    public string To => Descriptor.To;

    /// <summary>Presynaptic size.</summary>
    public int Pre { get; }

    /// <summary>Postsynaptic size.</summary>
    public int Post { get; }

    /// <summary>Steps between a presynaptic spike and its arrival (the smallest one for per-synapse delays).</summary>
    public int Delay => Descriptor.Delay;

    /// <summary>The weights; the layout depends on the kind.</summary>
    public float[] Weights { get; private protected set; }

    /// <summary>Presynaptic neurons whose spike reaches a postsynaptic neuron, on average (sets the initialization scale).</summary>
    public abstract double FanIn { get; }

    /// <summary>The values of a synapse parameter: length 1 when shared, <see cref="Post"/> when per postsynaptic neuron. Writable.</summary>
    /// <exception cref="ArgumentException">The connection has no synapse model, or the model has no such parameter.</exception>
    public float[] SynapseParameter(string name) =>
        _synapse is null
            ? throw new ArgumentException($"Connection '{Name}' is a delta synapse: it has no synapse parameters.", nameof(name))
            : _synapse[name];

    /// <summary>The values of the synapse parameter at declaration index <paramref name="index"/>.</summary>
    public float[] SynapseParameter(int index) =>
        (_synapse ?? throw new InvalidOperationException($"Connection '{Name}' is a delta synapse: it has no synapse parameters."))[index];
}

/// <summary>
/// Dense synapses. <see cref="Connection.Weights"/> is row-major [pre, post]: the row of presynaptic neuron j is
/// contiguous, so a spike of j adds one row to the postsynaptic input (event-driven accumulation).
/// </summary>
public sealed class DenseSynapses : Connection
{
    /// <summary>Creates a zero weight matrix.</summary>
    public DenseSynapses(ConnectionDescriptor descriptor, int pre, int post) : base(descriptor, pre, post, checked(pre * post))
    {
    }

    /// <inheritdoc/>
    public override double FanIn => Pre;

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

    private TransposedWeights? _transposed;

    /// <summary>
    /// Wᵀ [post, pre] of the current weights in panels (<see cref="SpikeOps.PackTransposed"/>), for the error
    /// propagation of a backward pass (<see cref="SpikeOps.PropagateErrors(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>). The buffer is the
    /// connection's own, reused across calls; give it back with <see cref="ReturnTransposed"/> (a concurrent call gets
    /// a buffer of its own meanwhile).
    /// </summary>
    /// <param name="maxDegreeOfParallelism">Threads that share the panels (1: the caller alone; 0: every core).</param>
    public TransposedWeights RentTransposed(int maxDegreeOfParallelism = 1)
    {
        TransposedWeights transposed = Interlocked.Exchange(ref _transposed, null) ?? new TransposedWeights(Weights.Length);
        transposed.Pack(Weights, Pre, Post, maxDegreeOfParallelism);
        return transposed;
    }

    /// <summary>Gives back a buffer from <see cref="RentTransposed"/>.</summary>
    public void ReturnTransposed(TransposedWeights transposed) => _transposed = transposed;
}

/// <summary>
/// Wᵀ of a dense connection packed in panels (<see cref="DenseSynapses.RentTransposed"/>), held where its first value
/// starts a cache line (64 bytes): each row of a full panel (64 floats) is then whole lines, and no 64-byte load of the
/// error propagation spans two of them (docs/benchmarks.md: a split load costs two).
/// </summary>
public sealed class TransposedWeights
{
    private readonly float[] _pinned;
    private readonly int _start, _length;

    internal unsafe TransposedWeights(int length)
    {
        // A pinned array never moves, so the line boundary found once stays where it is.
        _pinned = GC.AllocateArray<float>(length + SpikeOps.CacheLineBytes / sizeof(float) - 1, pinned: true);
        _start = SpikeOps.FloatsToLineBoundary((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_pinned)));
        _length = length;
    }

    /// <summary>The panels, as <see cref="SpikeOps.PackTransposed"/> lays them out.</summary>
    public ReadOnlySpan<float> Panels => new(_pinned, _start, _length);

    internal Span<float> Writable => new(_pinned, _start, _length);

    /// <summary>
    /// Weights of a matrix from which the threads share out its panels: 256 × 256, which two threads of a Zen 3 packed
    /// in 91 against 136 μs (1,024 × 1,024: 669 against 1,049 μs; docs/benchmarks.md).
    /// </summary>
    private const int SharedPackLength = 1 << 16;

    private float[] _weights = [];
    private int _pre, _post;
    private Action<int, int>? _packPanel;

    /// <summary>
    /// Packs W [pre, post] (<see cref="SpikeOps.PackTransposed"/>); a large W's panels are shared by up to
    /// <paramref name="maxDegreeOfParallelism"/> threads (each panel is written by one thread, whichever).
    /// </summary>
    internal void Pack(float[] weights, int pre, int post, int maxDegreeOfParallelism)
    {
        int panels = (pre + SpikeOps.PanelWidth - 1) / SpikeOps.PanelWidth;
        if (maxDegreeOfParallelism == 1 || panels < 2 || weights.Length < SharedPackLength)
        {
            SpikeOps.PackTransposed(weights, pre, post, Writable);
            return;
        }
        (_weights, _pre, _post) = (weights, pre, post);
        BatchParallel.For(panels, maxDegreeOfParallelism, static () => 0, _packPanel ??= (p, _) => SpikeOps.PackPanel(_weights, _pre, _post, Writable, p * SpikeOps.PanelWidth));
        _weights = [];
    }
}

/// <summary>
/// The synapses of a connection stored by presynaptic neuron and grouped by delay (compressed sparse rows, one set
/// per delay): a spike of neuron j at step t reaches, for each delay d, the entries of row j of group d at step t + d.
/// Each entry names its postsynaptic neuron and the index of its weight, so that several synapses can share one
/// weight (convolutions).
/// </summary>
public abstract partial class MappedConnection : Connection
{
    private protected MappedConnection(ConnectionDescriptor descriptor, int pre, int post, int weights) : base(descriptor, pre, post, weights)
    {
        Rows = [];
    }

    /// <summary>Per delay <see cref="Connection.Delay"/> + g, the synapses of every presynaptic neuron.</summary>
    public SynapseRows[] Rows { get; private protected set; }

    /// <summary>Builds <see cref="Rows"/> from a list of synapses (pre, post, weight index, delay).</summary>
    private protected void Build(ReadOnlySpan<int> pre, ReadOnlySpan<int> post, ReadOnlySpan<int> weightIndex, ReadOnlySpan<int> delay, int maxDelay)
    {
        var groups = new SynapseRows[maxDelay - Delay + 1];
        for (int g = 0; g < groups.Length; g++)
        {
            int d = Delay + g;
            var rowStart = new int[Pre + 1];
            for (int k = 0; k < pre.Length; k++)
                if (delay[k] == d) rowStart[pre[k] + 1]++;
            for (int j = 0; j < Pre; j++) rowStart[j + 1] += rowStart[j];
            var target = new int[rowStart[Pre]];
            var index = new int[rowStart[Pre]];
            var next = (int[])rowStart.Clone();
            for (int k = 0; k < pre.Length; k++)
            {
                if (delay[k] != d) continue;
                int slot = next[pre[k]]++;
                target[slot] = post[k];
                index[slot] = weightIndex[k];
            }
            // Within a row, ascending postsynaptic index (a deterministic order whatever the input order).
            for (int j = 0; j < Pre; j++)
                Array.Sort(target, index, rowStart[j], rowStart[j + 1] - rowStart[j]);
            groups[g] = new SynapseRows(rowStart, target, index);
        }
        Rows = groups;
    }
}

/// <summary>Compressed sparse rows of one delay: row j holds entries <c>RowStart[j] … RowStart[j + 1] − 1</c>.</summary>
/// <param name="RowStart">Per presynaptic neuron (plus one), the first entry of its row.</param>
/// <param name="Target">Per entry, the postsynaptic neuron.</param>
/// <param name="WeightIndex">Per entry, the index of its weight.</param>
public sealed record SynapseRows(int[] RowStart, int[] Target, int[] WeightIndex);

/// <summary>
/// Synapses with a fixed sparse pattern, one weight per synapse: <see cref="Connection.Weights"/>[k] belongs to the
/// synapse (<see cref="PreIndex"/>[k], <see cref="PostIndex"/>[k]) with delay <see cref="Delays"/>[k]. Set the pattern
/// before creating a trainer: a new pattern replaces the weight array.
/// </summary>
public sealed class SparseSynapses : MappedConnection
{
    /// <summary>An empty pattern, or a random one when the declaration gives a probability.</summary>
    public SparseSynapses(ConnectionDescriptor descriptor, int pre, int post, double probability = 0, int seed = 1) : base(descriptor, pre, post, 0)
    {
        PreIndex = PostIndex = Delays = [];
        if (probability > 0) ConnectRandom(probability, seed);
        else Connect([], [], null);
    }

    /// <summary>Presynaptic neuron of each synapse.</summary>
    public int[] PreIndex { get; private set; }

    /// <summary>Postsynaptic neuron of each synapse.</summary>
    public int[] PostIndex { get; private set; }

    /// <summary>Delay of each synapse, in steps.</summary>
    public int[] Delays { get; private set; }

    /// <summary>Number of synapses.</summary>
    public int Count => PreIndex.Length;

    /// <inheritdoc/>
    public override double FanIn => Math.Max(1.0, (double)Count / Post);

    /// <summary>
    /// Sets the pattern from lists: synapse k connects <paramref name="pre"/>[k] to <paramref name="post"/>[k] with delay
    /// <paramref name="delays"/>[k] (the connection's delay when null). Weights start at zero, in this order.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, an index or delay is out of range, or a synapse repeats.</exception>
    public void Connect(int[] pre, int[] post, int[]? delays = null)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        if (pre.Length != post.Length || (delays is not null && delays.Length != pre.Length))
            throw new ArgumentException($"Connection '{Name}': {pre.Length} presynaptic indices, {post.Length} postsynaptic indices{(delays is null ? "" : $" and {delays.Length} delays")}; they must have the same length.", nameof(pre));
        int maxDelay = Descriptor.MaxDelay;
        delays ??= Enumerable.Repeat(Delay, pre.Length).ToArray();
        var seen = new HashSet<long>();
        for (int k = 0; k < pre.Length; k++)
        {
            if ((uint)pre[k] >= (uint)Pre)
                throw new ArgumentException($"Connection '{Name}', synapse {k}: presynaptic index {pre[k]} is outside 0…{Pre - 1} ('{From}').", nameof(pre));
            if ((uint)post[k] >= (uint)Post)
                throw new ArgumentException($"Connection '{Name}', synapse {k}: postsynaptic index {post[k]} is outside 0…{Post - 1} ('{To}').", nameof(post));
            if (delays[k] < Delay || delays[k] > maxDelay)
                throw new ArgumentException($"Connection '{Name}', synapse {k}: delay {delays[k]} is outside {Delay}…{maxDelay} (declared Delay and MaxDelay).", nameof(delays));
            if (!seen.Add((long)pre[k] * Post + post[k]))
                throw new ArgumentException($"Connection '{Name}', synapse {k}: {pre[k]} → {post[k]} appears twice.", nameof(pre));
        }
        PreIndex = (int[])pre.Clone();
        PostIndex = (int[])post.Clone();
        Delays = (int[])delays.Clone();
        Weights = new float[pre.Length];
        Build(PreIndex, PostIndex, Enumerable.Range(0, pre.Length).ToArray(), Delays, maxDelay);
    }

    /// <summary>Sets the pattern from a [pre, post] mask (row by row), every synapse with the connection's delay.</summary>
    /// <exception cref="ArgumentException">The mask is not [<see cref="Connection.Pre"/>, <see cref="Connection.Post"/>].</exception>
    public void Connect(bool[,] mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.GetLength(0) != Pre || mask.GetLength(1) != Post)
            throw new ArgumentException($"Connection '{Name}' is {Pre}×{Post}, but the mask is {mask.GetLength(0)}×{mask.GetLength(1)}.", nameof(mask));
        var pre = new List<int>();
        var post = new List<int>();
        for (int j = 0; j < Pre; j++)
            for (int i = 0; i < Post; i++)
                if (mask[j, i]) { pre.Add(j); post.Add(i); }
        Connect(pre.ToArray(), post.ToArray());
    }

    /// <summary>
    /// A random pattern: each (pre, post) pair, row by row, is a synapse with probability <paramref name="probability"/>,
    /// drawn from MT19937 seeded with <paramref name="seed"/> (the same pattern on every machine).
    /// </summary>
    public void ConnectRandom(double probability, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1.0);
        var random = new MersenneTwister(unchecked((uint)seed));
        var pre = new List<int>();
        var post = new List<int>();
        for (int j = 0; j < Pre; j++)
            for (int i = 0; i < Post; i++)
                if (random.NextDouble() < probability) { pre.Add(j); post.Add(i); }
        Connect(pre.ToArray(), post.ToArray());
    }
}

/// <summary>Neuron i of the source drives neuron i of the target with weight <see cref="Connection.Weights"/>[i].</summary>
public sealed class OneToOneSynapses : MappedConnection
{
    /// <summary>Zero weights.</summary>
    /// <exception cref="ArgumentException">The layers differ in size.</exception>
    public OneToOneSynapses(ConnectionDescriptor descriptor, int pre, int post) : base(descriptor, pre, post, post)
    {
        if (pre != post) throw new ArgumentException($"One-to-one connection '{Name}' joins layers of {pre} and {post} neurons; they must be equal.");
        int[] index = Enumerable.Range(0, pre).ToArray();
        Build(index, index, index, Enumerable.Repeat(Delay, pre).ToArray(), Delay);
    }

    /// <inheritdoc/>
    public override double FanIn => 1;
}

/// <summary>
/// A 1-D convolution over channels: <see cref="Connection.Weights"/> is [out, in, kernel]; source neuron
/// c·InLength + l drives target neuron o·OutLength + p through weight [o, c, k] where l = p·stride − padding + k.
/// </summary>
public sealed class Conv1dSynapses : MappedConnection
{
    /// <summary>Zero weights.</summary>
    public Conv1dSynapses(ConnectionDescriptor descriptor, int pre, int post)
        : base(descriptor, pre, post, Shape(descriptor).OutChannels * Shape(descriptor).InChannels * Shape(descriptor).KernelSize)
    {
        ConvShape s = Shape(descriptor);
        if (s.InChannels * s.InLength != pre || s.OutChannels * s.OutLength != post)
            throw new ArgumentException($"Convolution '{Name}': [{s.InChannels}×{s.InLength}] → [{s.OutChannels}×{s.OutLength}] does not match layers of {pre} and {post} neurons.");
        var from = new List<int>();
        var to = new List<int>();
        var weight = new List<int>();
        for (int o = 0; o < s.OutChannels; o++)
            for (int p = 0; p < s.OutLength; p++)
                for (int c = 0; c < s.InChannels; c++)
                    for (int k = 0; k < s.KernelSize; k++)
                    {
                        int l = p * s.Stride - s.Padding + k;
                        if (l < 0 || l >= s.InLength) continue; // zero padding
                        from.Add(c * s.InLength + l);
                        to.Add(o * s.OutLength + p);
                        weight.Add((o * s.InChannels + c) * s.KernelSize + k);
                    }
        Build(from.ToArray(), to.ToArray(), weight.ToArray(), Enumerable.Repeat(Delay, from.Count).ToArray(), Delay);
    }

    /// <summary>The convolution's shape.</summary>
    public ConvShape Convolution => Shape(Descriptor);

    /// <inheritdoc/>
    public override double FanIn => Convolution.InChannels * Convolution.KernelSize;

    /// <summary>Weight of output channel <paramref name="output"/>, input channel <paramref name="input"/>, kernel tap <paramref name="tap"/>.</summary>
    public ref float this[int output, int input, int tap]
    {
        get
        {
            ConvShape s = Convolution;
            if ((uint)output >= (uint)s.OutChannels || (uint)input >= (uint)s.InChannels || (uint)tap >= (uint)s.KernelSize)
                throw new ArgumentOutOfRangeException(nameof(output), $"Convolution '{Name}' has weights [{s.OutChannels}, {s.InChannels}, {s.KernelSize}]; [{output}, {input}, {tap}] is outside.");
            return ref Weights[(output * s.InChannels + input) * s.KernelSize + tap];
        }
    }

    private static ConvShape Shape(ConnectionDescriptor descriptor) =>
        descriptor.Convolution ?? throw new ArgumentException($"Connection '{descriptor.Name}' is not a convolution.", nameof(descriptor));
}

/// <summary>A trainable constant input to every neuron of a population, added to one port each step.</summary>
public sealed class Bias
{
    /// <summary>Zero biases.</summary>
    public Bias(BiasDescriptor descriptor, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Descriptor = descriptor;
        Values = new float[size];
    }

    /// <summary>The declaration.</summary>
    public BiasDescriptor Descriptor { get; }

    /// <summary>Name of the bias.</summary>
    public string Name => Descriptor.Name;

    /// <summary>One value per neuron of <see cref="BiasDescriptor.To"/>.</summary>
    public float[] Values { get; }
}
