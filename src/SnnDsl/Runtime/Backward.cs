using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SnnDsl;

/// <summary>Options of a backward pass.</summary>
public sealed class BackwardOptions
{
    /// <summary>
    /// Sparse backward (Perez-Nieves &amp; Goodman, NeurIPS 2021): at a step where a spiking neuron's surrogate
    /// derivative σ′ is below this value, its adjoints are cut to zero, so the error propagation and weight-gradient
    /// accumulation skip it. 0 (the default) computes the exact surrogate gradient.
    /// </summary>
    public float SparseEpsilon { get; init; }

    /// <summary>Upper bound on worker threads; 0 uses every core. The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// The upstream gradient of a backward pass (the "cotangent"): ∂L/∂(state trace) for any recorded
/// (population, state) and ∂L/∂S for any spiking population, each laid out [batch, steps, neurons] like the
/// forward's <see cref="StateRecording"/>. A loss writes these (e.g. cross-entropy on the readout membrane).
/// </summary>
public sealed class BackwardUpstream
{
    private readonly Dictionary<(string Population, string State), float[]> _states = new();
    private readonly Dictionary<string, float[]> _spikes = new();

    /// <summary>The network whose populations and states the names were last checked against (null after a change).</summary>
    private NetworkDescriptor? _checkedAgainst;

    // The arrays ZeroedState and ZeroedSpikes made, per gradient, kept through Clear: they reuse only these (never an
    // array a caller set and may still read).
    private readonly Dictionary<(string Population, string State), float[]> _madeStates = new();
    private readonly Dictionary<string, float[]> _madeSpikes = new();

    /// <summary>Sets ∂L/∂(population.state) after each step.</summary>
    public BackwardUpstream WithState(string population, string state, float[] gradient)
    {
        if (!_states.ContainsKey((population, state))) _checkedAgainst = null;
        _states[(population, state)] = gradient;
        return this;
    }

    /// <summary>Sets ∂L/∂S of a spiking population.</summary>
    public BackwardUpstream WithSpikes(string population, float[] gradient)
    {
        if (!_spikes.ContainsKey(population)) _checkedAgainst = null;
        _spikes[population] = gradient;
        return this;
    }

    /// <summary>
    /// Unsets every gradient and keeps their arrays, so that a training loop can reuse one upstream for every batch:
    /// a loss then sets its gradients with <see cref="ZeroedState"/> and <see cref="ZeroedSpikes"/>, which allocate
    /// nothing when the arrays fit.
    /// </summary>
    public void Clear()
    {
        _states.Clear();
        _spikes.Clear();
    }

    /// <summary>
    /// Sets ∂L/∂(population.state) to zeros of <paramref name="length"/> values and returns the array for the loss to
    /// fill: the one this method made for this gradient before (also before <see cref="Clear"/>) when it has that
    /// length, else a new one.
    /// </summary>
    public float[] ZeroedState(string population, string state, int length)
    {
        float[] gradient = Zeroed(_madeStates, (population, state), length);
        WithState(population, state, gradient);
        return gradient;
    }

    /// <summary>Sets ∂L/∂S of a spiking population to zeros of <paramref name="length"/> values and returns the array, as <see cref="ZeroedState"/>.</summary>
    public float[] ZeroedSpikes(string population, int length)
    {
        float[] gradient = Zeroed(_madeSpikes, population, length);
        WithSpikes(population, gradient);
        return gradient;
    }

    private static float[] Zeroed<TKey>(Dictionary<TKey, float[]> made, TKey key, int length) where TKey : notnull
    {
        if (made.TryGetValue(key, out float[]? held) && held.Length == length)
        {
            Array.Clear(held);
            return held;
        }
        return made[key] = new float[length];
    }

    /// <summary>The state gradient or null, checked against the network and the batch shape.</summary>
    public float[]? State(NetworkDescriptor network, string population, string state, int batch, int steps)
    {
        Validate(network);
        if (!_states.TryGetValue((population, state), out float[]? g)) return null;
        CheckLength(g, batch, steps, network.Layer(population).Size, population, state);
        return g;
    }

    /// <summary>The spike gradient or null, checked against the network and the batch shape.</summary>
    public float[]? Spikes(NetworkDescriptor network, string population, int batch, int steps)
    {
        Validate(network);
        if (!_spikes.TryGetValue(population, out float[]? g)) return null;
        CheckLength(g, batch, steps, network.Layer(population).Size, population, state: null);
        return g;
    }

    /// <summary>
    /// adjoint += gradient[sample, step] (of [batch, <paramref name="steps"/>, adjoint.Length]), for a backward pass
    /// walking back in time: also asks L2 for the row <see cref="StateRecording.PrefetchSteps"/> steps earlier, which the
    /// pass adds next (as <see cref="StateRecording.RowWalkingBack"/>). The loss wrote the gradient long before, so its
    /// rows come from memory; without the prefetch the SHD-shaped backward pass waited for each (1.03-1.05x slower dense,
    /// 1.05-1.07x sparse; docs/benchmarks.md).
    /// </summary>
    public static void AddWalkingBack(Span<float> adjoint, float[] gradient, int sample, int step, int steps)
    {
        int n = adjoint.Length;
        SpikeOps.AddInPlace(adjoint, gradient.AsSpan((sample * steps + step) * n, n));
        if (step >= StateRecording.PrefetchSteps) SpikeOps.PrefetchRow(gradient.AsSpan((sample * steps + step - StateRecording.PrefetchSteps) * n, n), intoL2: true);
    }

    /// <summary>Every name must be a state of a population, or a spiking population, of <paramref name="network"/>: checked once per network and change.</summary>
    private void Validate(NetworkDescriptor network)
    {
        if (ReferenceEquals(network, _checkedAgainst)) return;
        foreach ((string population, string state) in _states.Keys)
        {
            LayerDescriptor layer = network.Layer(population);
            if (layer.Neuron is null || !layer.Neuron.States.Contains(state))
                throw new ArgumentException($"Upstream gradient for '{population}.{state}', but population '{population}' has no state '{state}'.");
        }
        foreach (string key in _spikes.Keys)
        {
            if (network.Layer(key).Neuron is not { IsSpiking: true })
                throw new ArgumentException($"Upstream spike gradient for '{key}', which is not a spiking population.");
        }
        _checkedAgainst = network;
    }

    private static void CheckLength(float[] gradient, int batch, int steps, int neurons, string population, string? state)
    {
        long expected = (long)batch * steps * neurons;
        if (gradient.Length != expected)
            throw new ArgumentException(
                $"The {(state is null ? $"spike gradient '{population}'" : $"state gradient '{population}.{state}'")} has {gradient.Length} values, but batch {batch} × steps {steps} × neurons {neurons} = {expected}.");
    }
}

/// <summary>
/// Gradients of a loss with respect to every weight array (same layout as <see cref="Connection.Weights"/>), every bias
/// and every trainable neuron and synapse parameter (length 1 when shared, one per neuron otherwise).
/// </summary>
public sealed class NetworkGradients
{
    private readonly ISpikingNetwork _network;
    private readonly (string Name, float[] Value)[] _parameters;

    /// <summary>Zero gradients shaped like <paramref name="network"/>'s weights, biases and trainable parameters.</summary>
    public NetworkGradients(ISpikingNetwork network)
    {
        _network = network;
        Weights = network.Connections.Select(c => new float[c.Weights.Length]).ToArray();
        Biases = network.Biases.Select(b => new float[b.Values.Length]).ToArray();
        (string Name, float[] Value, ParamDescriptor Declared)[] trainable = [.. TrainableDeclarations(network)];
        _parameters = [.. trainable.Select(p => (p.Name, p.Value))];
        _bounded = [.. trainable.Where(p => p.Declared.Bounded).Select(p => (p.Value, p.Declared.Min, p.Declared.Max))];
        Parameters = _parameters.Select(x => new float[x.Value.Length]).ToArray();
    }

    /// <summary>The values of the trainable parameters declared with bounds, and the bounds.</summary>
    private readonly (float[] Values, float Min, float Max)[] _bounded;

    /// <summary>∂L/∂W per connection, in declaration order.</summary>
    public float[][] Weights { get; }

    /// <summary>∂L/∂b per bias, in declaration order.</summary>
    public float[][] Biases { get; }

    /// <summary>
    /// ∂L/∂θ per trainable parameter: first the populations' (populations in declaration order, parameters in
    /// declaration order), then the synapses' (connections in declaration order).
    /// </summary>
    public float[][] Parameters { get; }

    /// <summary>"Population.Parameter" or "Connection.Parameter" and the values of every trainable parameter, in the order of <see cref="Parameters"/>.</summary>
    public static IEnumerable<(string Name, float[] Value)> TrainableParameters(ISpikingNetwork network) =>
        TrainableDeclarations(network).Select(p => (p.Name, p.Value));

    /// <summary>The trainable parameters in the order of <see cref="TrainableParameters"/>, each with its declaration.</summary>
    private static IEnumerable<(string Name, float[] Value, ParamDescriptor Declared)> TrainableDeclarations(ISpikingNetwork network)
    {
        foreach (Population p in network.Populations)
            for (int k = 0; k < p.Neuron.Parameters.Count; k++)
                if (p.Neuron.Parameters[k].Trainable) yield return ($"{p.Name}.{p.Neuron.Parameters[k].Name}", p.Parameter(k), p.Neuron.Parameters[k]);
        foreach (Connection c in network.Connections)
        {
            if (c.Descriptor.Synapse is not { } synapse) continue;
            for (int k = 0; k < synapse.Parameters.Count; k++)
                if (synapse.Parameters[k].Trainable) yield return ($"{c.Name}.{synapse.Parameters[k].Name}", c.SynapseParameter(k), synapse.Parameters[k]);
        }
    }

    /// <summary>
    /// Puts every trainable parameter declared with bounds (<see cref="ParamAttribute.Min"/>,
    /// <see cref="ParamAttribute.Max"/>) back into them, element by element: the projection of a projected gradient
    /// step (a NaN stays NaN, for the numerical checks to see). The <see cref="Training.Trainer"/> does it after every
    /// optimizer step; a training loop of one's own calls it after <see cref="Training.Optimizer.Step"/>.
    /// </summary>
    public void ProjectParametersOntoBounds()
    {
        foreach ((float[] values, float min, float max) in _bounded)
            for (int i = 0; i < values.Length; i++) values[i] = Math.Clamp(values[i], min, max);
    }

    /// <summary>∂L/∂W of a connection.</summary>
    public float[] Weight(string connection)
    {
        for (int c = 0; c < Weights.Length; c++)
            if (_network.Connections[c].Name == connection) return Weights[c];
        throw new ArgumentException($"No connection '{connection}'. Connections: {string.Join(", ", _network.Connections.Select(c => c.Name))}.", nameof(connection));
    }

    /// <summary>∂L/∂b of a bias.</summary>
    public float[] Bias(string bias)
    {
        for (int k = 0; k < Biases.Length; k++)
            if (_network.Biases[k].Name == bias) return Biases[k];
        throw new ArgumentException($"No bias '{bias}'. Biases: {(Biases.Length == 0 ? "none" : string.Join(", ", _network.Biases.Select(b => b.Name)))}.", nameof(bias));
    }

    /// <summary>∂L/∂θ of a trainable parameter of a population or of a connection's synapse.</summary>
    public float[] Parameter(string owner, string parameter)
    {
        string name = owner + "." + parameter;
        for (int k = 0; k < _parameters.Length; k++)
            if (_parameters[k].Name == name) return Parameters[k];
        throw new ArgumentException(
            $"No trainable parameter '{name}'. Trainable: {(_parameters.Length == 0 ? "none" : string.Join(", ", _parameters.Select(p => p.Name)))}.", nameof(parameter));
    }

    /// <summary>Every (name, value array, gradient array) triple, for optimizers.</summary>
    public IEnumerable<(string Name, float[] Value, float[] Gradient)> Tensors()
    {
        for (int c = 0; c < Weights.Length; c++)
            yield return (_network.Connections[c].Name, _network.Connections[c].Weights, Weights[c]);
        for (int b = 0; b < Biases.Length; b++)
            yield return (_network.Biases[b].Name, _network.Biases[b].Values, Biases[b]);
        for (int k = 0; k < _parameters.Length; k++)
            yield return (_parameters[k].Name, _parameters[k].Value, Parameters[k]);
    }

    /// <summary>Adds <paramref name="other"/> element-wise (used to reduce per-chunk gradients in a fixed order).</summary>
    /// <exception cref="ArgumentException">The two are shaped differently (other networks, or a sparse pattern changed in between); the message names the array.</exception>
    public void Add(NetworkGradients other)
    {
        float[][] mine = Arrays().ToArray(), theirs = ArraysShapedLike(other, nameof(other));
        for (int k = 0; k < mine.Length; k++) SpikeOps.AddInPlace(mine[k], theirs[k]);
    }

    /// <summary>
    /// Sets these gradients to the sum of <paramref name="parts"/>, element by element in their order: 0 + parts[0] +
    /// parts[1] + …, the same bits as <see cref="Clear()"/> followed by <see cref="Add"/> of each part. The elements are split
    /// into blocks that the threads share, so the reduction of per-chunk gradients is not a serial tail of the backward
    /// pass; a block's sums do not depend on the thread that forms them.
    /// </summary>
    /// <param name="parts">Gradients of the same network, in the order they are added.</param>
    /// <param name="maxDegreeOfParallelism">Upper bound on worker threads; 0 uses every core.</param>
    /// <exception cref="ArgumentException">A part is shaped differently; the message names the array.</exception>
    public void SumOf(IReadOnlyList<NetworkGradients> parts, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(parts);
        // The backward pass sums the same pooled chunks every step: their plan is checked and made once, not per call.
        SumPlan plan = _sumPlan is { } cached && cached.Serves(this, parts) ? cached : _sumPlan = new SumPlan(this, parts);
        BatchParallel.For(plan.BlockCount, maxDegreeOfParallelism, static () => 0, plan.SumBlock);
    }

    private SumPlan? _sumPlan;

    /// <summary>
    /// What <see cref="SumOf"/> needs for one set of parts: the arrays, checked to be shaped alike, and the blocks of
    /// elements the threads share. It serves a later call while the sum and the parts still hold the same arrays.
    /// </summary>
    private sealed class SumPlan
    {
        private readonly float[][] _sums;
        private readonly NetworkGradients[] _parts;
        /// <summary>The parts' arrays by array: _partsOf[k][p] is part p's array k.</summary>
        private readonly float[][][] _partsOf;
        private readonly (int Array, int Start, int Length)[] _blocks;

        public SumPlan(NetworkGradients sum, IReadOnlyList<NetworkGradients> parts)
        {
            _sums = sum.Arrays().ToArray();
            _parts = parts.ToArray();
            float[][][] theirs = _parts.Select(p => sum.ArraysShapedLike(p, nameof(parts))).ToArray();
            _partsOf = Enumerable.Range(0, _sums.Length).Select(k => theirs.Select(part => part[k]).ToArray()).ToArray();
            var blocks = new List<(int, int, int)>();
            for (int k = 0; k < _sums.Length; k++)
                for (int start = 0; start < _sums[k].Length; start += SumBlockLength)
                    blocks.Add((k, start, Math.Min(SumBlockLength, _sums[k].Length - start)));
            _blocks = blocks.ToArray();
            SumBlock = (b, _) =>
            {
                (int k, int start, int length) = _blocks[b];
                NetworkGradients.SumBlock(_sums[k].AsSpan(start, length), _partsOf[k], start);
            };
        }

        public int BlockCount => _blocks.Length;

        /// <summary>Forms block b of the sum (the body of the parallel loop, made once).</summary>
        public Action<int, int> SumBlock { get; }

        /// <summary>Whether the sum and the parts are the ones planned for and still hold the same arrays.</summary>
        public bool Serves(NetworkGradients sum, IReadOnlyList<NetworkGradients> parts)
        {
            if (parts.Count != _parts.Length || !HoldsArrays(sum, _sums)) return false;
            for (int p = 0; p < _parts.Length; p++)
            {
                if (!ReferenceEquals(parts[p], _parts[p])) return false;
                for (int k = 0; k < _partsOf.Length; k++)
                    if (!ReferenceEquals(_parts[p].ArrayAt(k), _partsOf[k][p])) return false;
            }
            return true;
        }

        private static bool HoldsArrays(NetworkGradients gradients, float[][] arrays)
        {
            if (gradients.ArrayCount != arrays.Length) return false;
            for (int k = 0; k < arrays.Length; k++)
                if (!ReferenceEquals(gradients.ArrayAt(k), arrays[k])) return false;
            return true;
        }
    }

    /// <summary>
    /// sum[i] = 0 + parts[0][start + i] + parts[1][start + i] + … in that order, a vector of elements at a time through
    /// all the parts, so that the sum is written once instead of read and written once per part. The parts are shaped
    /// like the sum (<see cref="SumOf"/> checks them first).
    /// </summary>
    private static void SumBlock(Span<float> sum, float[][] parts, int start)
    {
        int n = sum.Length, i = 0;
        ref float s = ref MemoryMarshal.GetReference(sum);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> a = Vector512<float>.Zero;
                foreach (float[] part in parts) a += Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(part), (nuint)(start + i));
                a.StoreUnsafe(ref s, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> a = Vector256<float>.Zero;
                foreach (float[] part in parts) a += Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(part), (nuint)(start + i));
                a.StoreUnsafe(ref s, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float a = 0f;
            foreach (float[] part in parts) a += part[start + i];
            Unsafe.Add(ref s, i) = a;
        }
    }

    /// <summary>Elements per block of <see cref="SumOf"/>: 64 KB, so that a block and one part's slice stay in L2.</summary>
    private const int SumBlockLength = 16_384;

    /// <summary>The arrays of <paramref name="other"/>, checked to be shaped like these gradients' arrays.</summary>
    private float[][] ArraysShapedLike(NetworkGradients other, string parameter)
    {
        CheckShapedLike(other, "the gradients added", parameter);
        return other.Arrays().ToArray();
    }

    /// <exception cref="ArgumentException"><paramref name="other"/> (<paramref name="described"/>) is shaped differently; the message names the array.</exception>
    private void CheckShapedLike(NetworkGradients other, string described, string parameter)
    {
        ArgumentNullException.ThrowIfNull(other, parameter);
        Span<int> lengths = other.ArrayCount <= 256 ? stackalloc int[other.ArrayCount] : new int[other.ArrayCount];
        for (int k = 0; k < lengths.Length; k++) lengths[k] = other.ArrayAt(k).Length;
        CheckLengths(lengths, described, parameter);
    }

    /// <summary>The check of <see cref="CheckShapedLike(NetworkGradients, string, string)"/> against the arrays <paramref name="network"/>'s gradients would have, without making them.</summary>
    private void CheckShapedLike(ISpikingNetwork network, string described, string parameter)
    {
        int[] lengths = [.. network.Connections.Select(c => c.Weights.Length), .. network.Biases.Select(b => b.Values.Length),
                         .. TrainableDeclarations(network).Select(p => p.Value.Length)];
        CheckLengths(lengths, described, parameter);
    }

    /// <exception cref="ArgumentException">The arrays of <paramref name="described"/> have other <paramref name="lengths"/> than these; the message names the array.</exception>
    private void CheckLengths(ReadOnlySpan<int> lengths, string described, string parameter)
    {
        if (lengths.Length != ArrayCount)
            throw new ArgumentException(FormattableString.Invariant(
                $"These gradients hold {ArrayCount} arrays but {described} hold {lengths.Length}; they belong to different networks."), parameter);
        for (int k = 0; k < ArrayCount; k++)
        {
            if (lengths[k] != ArrayAt(k).Length)
            {
                string name = Tensors().ElementAt(k).Name;
                throw new ArgumentException(FormattableString.Invariant(
                    $"The gradient of '{name}' has {ArrayAt(k).Length} values here but {lengths[k]} in {described}; they belong to differently shaped networks (or a sparse connection's pattern changed in between)."),
                    parameter);
            }
        }
    }

    private NetworkGradients[]? _alone;

    /// <summary>
    /// The accumulators a backward pass of <paramref name="network"/> into these gradients hands to its
    /// <paramref name="chunks"/> chunks (<see cref="BatchParallel.ForChunks"/>). For several chunks, the pass's own, one
    /// per chunk, kept in <paramref name="kept"/> from call to call (made anew when their number changes), whose
    /// <see cref="SumOf"/> these gradients become afterwards. For a single chunk (a batch of one sample, or a batch run
    /// as one chunk, <see cref="BatchParallel.ChunkCount"/>), these gradients themselves, which the chunk sets whole: no
    /// accumulator is made and nothing is left to sum (<see cref="SumOf"/> of one part would copy it; the values are the
    /// same, only a −0 stays −0 where 0 + (−0) gives +0).
    /// </summary>
    /// <param name="kept">The backward pass's accumulators, one per chunk; replaced when <paramref name="chunks"/> (more than one) differs from their number.</param>
    /// <param name="chunks">The pass's chunks, <see cref="BatchParallel.ChunkCount"/>.</param>
    /// <param name="network">The network whose backward pass this is.</param>
    /// <exception cref="ArgumentException">
    /// For a single chunk, these gradients are shaped differently from <paramref name="network"/>'s; the message names the array.
    /// </exception>
    public NetworkGradients[] ChunkAccumulators(ref NetworkGradients[] kept, int chunks, ISpikingNetwork network)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1);
        if (chunks > 1)
        {
            if (kept.Length != chunks) kept = Accumulators(network, chunks);
            return kept;
        }
        // Gradients made for this network object have its shape; those of another are checked against its arrays.
        if (!ReferenceEquals(network, _network)) CheckShapedLike(network, "this network's gradients", "into");
        return _alone ??= [this];
    }

    // Apart from ChunkAccumulators, so that a call that keeps its accumulators does not allocate this lambda's closure
    // (C# creates it where the captured parameter comes into scope: at the start of the method).
    private static NetworkGradients[] Accumulators(ISpikingNetwork network, int chunks) =>
        [.. Enumerable.Range(0, chunks).Select(_ => new NetworkGradients(network))];

    /// <summary>Sets every gradient to zero.</summary>
    public void Clear() => Clear([]);

    /// <summary>
    /// Sets every gradient to zero except the weight gradients of the connections listed (by index in
    /// <see cref="Weights"/>), which the caller sets whole afterwards (<see cref="SpikeOps.SumOuterOverTime"/>).
    /// </summary>
    public void Clear(ReadOnlySpan<int> exceptWeights)
    {
        for (int c = 0; c < Weights.Length; c++)
            if (!exceptWeights.Contains(c)) Array.Clear(Weights[c]);
        foreach (float[] g in Biases) Array.Clear(g);
        foreach (float[] g in Parameters) Array.Clear(g);
    }

    private IEnumerable<float[]> Arrays() => Weights.Concat(Biases).Concat(Parameters);

    private int ArrayCount => Weights.Length + Biases.Length + Parameters.Length;

    /// <summary>Array k of <see cref="Arrays"/>, without enumerating them.</summary>
    private float[] ArrayAt(int k) =>
        k < Weights.Length ? Weights[k] : k < Weights.Length + Biases.Length ? Biases[k - Weights.Length] : Parameters[k - Weights.Length - Biases.Length];
}
