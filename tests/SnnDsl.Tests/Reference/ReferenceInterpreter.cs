using System.Runtime.InteropServices;
using static SnnDsl.Tests.Reference.Ir;

namespace SnnDsl.Tests.Reference;

/// <summary>
/// The scalar reference every generated kernel is checked against: it reads a network's dynamics from the IR text
/// of its descriptors (docs/ir.md) and runs docs/semantics.md one neuron, one synapse, one step, one IEEE float32
/// operation at a time in the written order (C# float arithmetic on .NET: no FMA contraction, no wider
/// intermediates). The gradient is the same run recorded on a <see cref="Tape"/> and swept once in reverse
/// (surrogate-gradient BPTT). Connections are read as lists of synapses (pre, post, weight, delay) that this file
/// derives from each kind's definition on its own, not from the runtime's compressed rows.
/// </summary>
public static class ReferenceInterpreter
{
    /// <summary>
    /// The forward pass: spikes of every spiking population, every state of every population and of every synapse
    /// after each step. <paramref name="inputs"/> holds one raster per input layer, in declaration order.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs or the network are inconsistent (the message says how).</exception>
    /// <exception cref="IrSyntaxException">A descriptor carries malformed IR.</exception>
    public static ReferenceTrace Forward(ISpikingNetwork network, IReadOnlyList<SpikeRaster> inputs)
    {
        var model = new NetworkModel(network, inputs, surrogateParameters: null);
        var trace = new ReferenceTrace(model);
        for (int sample = 0; sample < model.Batch; sample++)
        {
            var tape = new Tape(); // stays empty: with constant weights and parameters every value is a constant
            trace.Record(sample, model.Run(sample, model.Bind(tape, differentiate: false)));
        }
        return trace;
    }

    /// <summary>
    /// Surrogate-gradient BPTT of the loss whose upstream gradient is <paramref name="upstream"/> (∂L/∂ state traces,
    /// ∂L/∂S): ∂L/∂W for every connection, ∂L/∂b for every bias and ∂L/∂θ for every trainable neuron and synapse
    /// parameter, accumulated in float64 over the samples. The forward values on the tape are those of
    /// <see cref="Forward"/>, bit for bit.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs, the upstream gradient, the options or the network are inconsistent.</exception>
    public static ReferenceGradients Gradients(
        ISpikingNetwork network, IReadOnlyList<SpikeRaster> inputs, BackwardUpstream upstream, ReferenceOptions? options = null)
    {
        var model = new NetworkModel(network, inputs, options?.SurrogateParameters, options?.SparseEpsilon ?? 0f);
        var gradients = new ReferenceGradients(model);
        for (int sample = 0; sample < model.Batch; sample++)
        {
            var tape = new Tape();
            Bindings leaves = model.Bind(tape, differentiate: true);
            History history = model.Run(sample, leaves);
            gradients.Forward.Record(sample, history);
            gradients.Accumulate(leaves, tape.Backward(model.Seeds(sample, history, upstream)));
        }
        return gradients;
    }
}

/// <summary>
/// Tape scalars for everything a loss can depend on: weights [connection][index], biases [bias][neuron], and parameter
/// values [population][parameter][1 or neuron] and [connection][synapse parameter][1 or neuron].
/// </summary>
internal sealed record Bindings(Tape Tape, Scalar[][] Weights, Scalar[][] Biases, Scalar[][][] NeuronParameters, Scalar[][][] SynapseParameters);

/// <summary>
/// One sample's run: every state after every step [population][state][step · Size + neuron], every synapse state
/// [connection][state][step · Post + neuron], and every spike [population][step · Size + neuron].
/// </summary>
internal sealed record History(Scalar[][][] States, Scalar[]?[] Spikes, Scalar[][][] SynapseStates);

/// <summary>One synapse of a connection as the reference reads it.</summary>
internal readonly record struct SynapseEntry(int Pre, int WeightIndex, int Delay);

/// <summary>A connection as its target population reads it: per postsynaptic neuron, its synapses in summation order.</summary>
internal sealed class ConnectionModel
{
    public ConnectionModel(int index, Connection connection, int sourceInput, int sourcePopulation, SynapseRuleModel? synapse)
    {
        Index = index;
        Connection = connection;
        SourceInput = sourceInput;
        SourcePopulation = sourcePopulation;
        Synapse = synapse;
        var entries = new List<SynapseEntry>[connection.Post];
        for (int i = 0; i < entries.Length; i++) entries[i] = [];
        foreach ((int pre, int post, int weight, int delay) in SynapsesOf(connection)) entries[post].Add(new SynapseEntry(pre, weight, delay));
        // docs/semantics.md: for each postsynaptic neuron, delays in ascending order, presynaptic neurons in ascending order.
        Entries = entries.Select(list => list.OrderBy(e => e.Delay).ThenBy(e => e.Pre).ToArray()).ToArray();
    }

    public int Index { get; }

    public Connection Connection { get; }

    public ConnectionDescriptor Descriptor => Connection.Descriptor;

    public int SourceInput { get; }

    public int SourcePopulation { get; }

    public bool FromInput => SourceInput >= 0;

    public SynapseRuleModel? Synapse { get; }

    /// <summary>Per postsynaptic neuron, its synapses.</summary>
    public SynapseEntry[][] Entries { get; }

    /// <summary>Every synapse (pre, post, weight index, delay), from each kind's definition.</summary>
    private static IEnumerable<(int Pre, int Post, int Weight, int Delay)> SynapsesOf(Connection c)
    {
        int delay = c.Descriptor.Delay;
        switch (c)
        {
            case DenseSynapses:
                for (int j = 0; j < c.Pre; j++)
                    for (int i = 0; i < c.Post; i++) yield return (j, i, j * c.Post + i, delay);
                break;
            case OneToOneSynapses:
                for (int i = 0; i < c.Post; i++) yield return (i, i, i, delay);
                break;
            case SparseSynapses sparse:
                for (int k = 0; k < sparse.Count; k++) yield return (sparse.PreIndex[k], sparse.PostIndex[k], k, sparse.Delays[k]);
                break;
            case Conv1dSynapses conv:
            {
                // out[o, p] = Σ_c Σ_k W[o, c, k] · in[c, p·stride − padding + k], zero outside the input.
                ConvShape s = conv.Convolution;
                for (int o = 0; o < s.OutChannels; o++)
                    for (int p = 0; p < s.OutLength; p++)
                        for (int ch = 0; ch < s.InChannels; ch++)
                            for (int k = 0; k < s.KernelSize; k++)
                            {
                                int position = p * s.Stride - s.Padding + k;
                                if (position >= 0 && position < s.InLength)
                                    yield return (ch * s.InLength + position, o * s.OutLength + p, (o * s.InChannels + ch) * s.KernelSize + k, delay);
                            }
                break;
            }
            default:
                throw new ArgumentException($"Connection '{c.Name}' is of a kind the reference does not know: {c.GetType().Name}.");
        }
    }
}

/// <summary>A synapse model, parsed: Deliver's statements and returned current, with the parameters' names.</summary>
internal sealed class SynapseRuleModel(SynapseDescriptor descriptor)
{
    public SynapseDescriptor Descriptor { get; } = descriptor;

    public Block Deliver { get; } = ParseBlock(descriptor.Deliver);

    public Expr Current { get; } = ParseExpr(descriptor.Current);

    public Dictionary<string, int> ParameterIndex { get; } = descriptor.Parameters.Select((p, k) => (p.Name, k)).ToDictionary();
}

/// <summary>A network checked against its inputs, with every population's and synapse's IR parsed once.</summary>
internal sealed class NetworkModel
{
    private readonly IReadOnlyList<SpikeRaster> _inputs;

    public NetworkModel(ISpikingNetwork network, IReadOnlyList<SpikeRaster> inputs, IReadOnlyDictionary<string, float>? surrogateParameters, float sparseEpsilon = 0f)
    {
        Network = network;
        SparseEpsilon = sparseEpsilon;
        _inputs = inputs;
        if (inputs.Count != network.Inputs.Count)
            throw new ArgumentException($"Network '{network.Descriptor.Name}' has {network.Inputs.Count} input layers, but {inputs.Count} rasters were given.", nameof(inputs));
        if (inputs.Count == 0) throw new ArgumentException("The reference needs at least one input layer to know the batch and the number of steps.", nameof(inputs));
        Batch = inputs[0].Batch;
        Steps = inputs[0].Steps;
        for (int k = 0; k < inputs.Count; k++)
        {
            SpikeInput layer = network.Inputs[k];
            SpikeRaster raster = inputs[k];
            if (raster.Neurons != layer.Size || raster.Batch != Batch || raster.Steps != Steps)
                throw new ArgumentException(
                    $"Input '{layer.Name}': raster [batch {raster.Batch}, steps {raster.Steps}, neurons {raster.Neurons}], expected [batch {Batch}, steps {Steps}, neurons {layer.Size}].",
                    nameof(inputs));
        }

        IReadOnlyDictionary<string, float> overrides = surrogateParameters ?? new Dictionary<string, float>();
        Populations = network.Populations.Select(p => new PopulationModel(p, overrides)).ToArray();
        var known = Populations.SelectMany(p => p.SurrogateParameterKeys).ToHashSet();
        foreach (string key in overrides.Keys)
            if (!known.Contains(key))
                throw new ArgumentException($"Surrogate parameter '{key}' does not exist. Known: {string.Join(", ", known)} (\"Surrogate.Parameter\").", nameof(surrogateParameters));

        Connections = network.Connections.Select(Connect).ToArray();
        foreach (Bias bias in network.Biases)
        {
            int target = Array.FindIndex(Populations, p => p.Population.Name == bias.Descriptor.To);
            if (target < 0) throw new ArgumentException($"Bias '{bias.Name}' targets '{bias.Descriptor.To}', which is not a population.");
            if (bias.Values.Length != Populations[target].Size) throw new ArgumentException($"Bias '{bias.Name}' has {bias.Values.Length} values for {Populations[target].Size} neurons.");
            Populations[target].Biases.Add(Array.IndexOf(network.Biases.ToArray(), bias));
        }
    }

    public ISpikingNetwork Network { get; }

    /// <summary><see cref="ReferenceOptions.SparseEpsilon"/>.</summary>
    public float SparseEpsilon { get; }

    public int Batch { get; }

    public int Steps { get; }

    public PopulationModel[] Populations { get; }

    public ConnectionModel[] Connections { get; }

    /// <summary>Weights, biases (all) and trainable parameters become leaves when differentiating, everything else a constant.</summary>
    public Bindings Bind(Tape tape, bool differentiate)
    {
        Scalar Value(float v, bool trainable) => differentiate && trainable ? tape.Leaf(v) : Scalar.Constant(v);
        return new Bindings(
            tape,
            Network.Connections.Select(c => c.Weights.Select(w => Value(w, true)).ToArray()).ToArray(),
            Network.Biases.Select(b => b.Values.Select(v => Value(v, true)).ToArray()).ToArray(),
            Populations.Select(p => p.Population.Neuron.Parameters
                .Select((d, k) => p.Population.Parameter(k).Select(v => Value(v, d.Trainable)).ToArray()).ToArray()).ToArray(),
            Connections.Select(c => c.Synapse is null
                ? []
                : c.Synapse.Descriptor.Parameters.Select((d, k) => c.Connection.SynapseParameter(k).Select(v => Value(v, d.Trainable)).ToArray()).ToArray()).ToArray());
    }

    /// <summary>
    /// docs/semantics.md: neuron states start at their population's initial values (the declared [State(Initial = …)]
    /// unless changed per neuron; the previous spike at 0), synapse states at 0; for t = 0 … T−1, every population in
    /// declaration order.
    /// </summary>
    public History Run(int sample, Bindings bound)
    {
        var history = new History(
            Populations.Select(p => p.States.Select(_ => new Scalar[Steps * p.Size]).ToArray()).ToArray(),
            Populations.Select(p => p.Fires is null ? null : new Scalar[Steps * p.Size]).ToArray(),
            Connections.Select(c => (c.Synapse?.Descriptor.States ?? []).Select(_ => new Scalar[Steps * c.Connection.Post]).ToArray()).ToArray());
        for (int t = 0; t < Steps; t++)
        {
            for (int p = 0; p < Populations.Length; p++)
            {
                PopulationModel population = Populations[p];
                int n = population.Size;
                for (int i = 0; i < n; i++)
                {
                    // h_{t−1} of this neuron (what its synapses' postsynaptic reads see).
                    Scalar[] h = population.States.Select((_, k) => t == 0 ? Scalar.Constant(population.InitialValue(k, i)) : history.States[p][k][(t - 1) * n + i]).ToArray();
                    Scalar[] ports = population.Ports.Select(port => PortInput(population, port, i, sample, t, h, history, bound)).ToArray();
                    Scalar? spike = population.Step(h, ports, bound.Tape, bound.NeuronParameters[p], i, SparseEpsilon);
                    for (int k = 0; k < h.Length; k++) history.States[p][k][t * n + i] = h[k];
                    if (spike is { } s) history.Spikes[p]![t * n + i] = s;
                }
            }
        }
        return history;
    }

    /// <summary>The upstream gradient as seeds on the recorded states and spikes of one sample.</summary>
    public IEnumerable<(Scalar, double)> Seeds(int sample, History history, BackwardUpstream upstream)
    {
        NetworkDescriptor descriptor = Network.Descriptor;
        for (int p = 0; p < Populations.Length; p++)
        {
            PopulationModel population = Populations[p];
            int n = population.Size;
            for (int k = 0; k < population.States.Count; k++)
            {
                float[]? gradient = upstream.State(descriptor, population.Population.Name, population.States[k], Batch, Steps);
                if (gradient is null) continue;
                for (int j = 0; j < Steps * n; j++) yield return (history.States[p][k][j], gradient[sample * Steps * n + j]);
            }
            if (population.Fires is null) continue;
            float[]? spikes = upstream.Spikes(descriptor, population.Population.Name, Batch, Steps);
            if (spikes is null) continue;
            for (int j = 0; j < Steps * n; j++) yield return (history.Spikes[p]![j], spikes[sample * Steps * n + j]);
        }
    }

    /// <summary>
    /// docs/semantics.md step 1, one port of neuron i: starting from 0, for every incoming connection to the port in
    /// declaration order: a delta synapse adds W[w] for each of its synapses (delays ascending, presynaptic neurons
    /// ascending) whose presynaptic neuron fired at t − d; a synapse model sums those into its drive z from 0, runs
    /// Deliver(z, postsynaptic states at t − 1) and adds the current; then the biases of the port. On the tape:
    /// ∂/∂W = S, ∂/∂S = W also where S = 0 (surrogate path), ∂/∂(current) = ∂/∂(bias) = 1.
    /// </summary>
    private Scalar PortInput(PopulationModel population, string port, int i, int sample, int t, Scalar[] h, History history, Bindings bound)
    {
        float sum = 0f;
        var partials = new List<(Scalar, double)>();
        foreach (ConnectionModel c in population.Incoming.Where(c => c.Descriptor.Port == port))
        {
            if (c.Synapse is null)
            {
                AddSynapses(c, i, sample, t, history, bound, ref sum, partials);
                continue;
            }
            float drive = 0f;
            var drivePartials = new List<(Scalar, double)>();
            AddSynapses(c, i, sample, t, history, bound, ref drive, drivePartials);
            Scalar z = bound.Tape.Push(drive, CollectionsMarshal.AsSpan(drivePartials));
            Scalar current = Deliver(c, i, t, z, h, population, history, bound);
            sum += current.Value;
            partials.Add((current, 1));
        }
        foreach (int b in population.Biases.Where(b => Network.Biases[b].Descriptor.Port == port))
        {
            Scalar bias = bound.Biases[b][i];
            sum += bias.Value;
            partials.Add((bias, 1));
        }
        return bound.Tape.Push(sum, CollectionsMarshal.AsSpan(partials));
    }

    private void AddSynapses(ConnectionModel c, int i, int sample, int t, History history, Bindings bound, ref float sum, List<(Scalar, double)> partials)
    {
        foreach (SynapseEntry e in c.Entries[i])
        {
            int step = t - e.Delay;
            if (step < 0) continue;
            Scalar spike = c.FromInput
                ? Scalar.Constant(_inputs[c.SourceInput][sample, step, e.Pre] ? 1f : 0f)
                : history.Spikes[c.SourcePopulation]![step * c.Connection.Pre + e.Pre];
            Scalar weight = bound.Weights[c.Index][e.WeightIndex];
            if (spike.Value == 1f)
            {
                sum += weight.Value;
                partials.Add((weight, 1));
            }
            partials.Add((spike, weight.Value));
        }
    }

    /// <summary>One synapse (the one on postsynaptic neuron i) of a connection with a synapse model, one step.</summary>
    private Scalar Deliver(ConnectionModel c, int i, int t, Scalar drive, Scalar[] postStates, PopulationModel post, History history, Bindings bound)
    {
        SynapseRuleModel synapse = c.Synapse!;
        SynapseDescriptor d = synapse.Descriptor;
        int n = c.Connection.Post;
        Scalar[] states = d.States.Select((_, k) => t == 0 ? Scalar.Constant(0f) : history.SynapseStates[c.Index][k][(t - 1) * n + i]).ToArray();
        Scalar[][] parameters = bound.SynapseParameters[c.Index];
        Scalar? Parameter(string name) =>
            synapse.ParameterIndex.TryGetValue(name, out int k) ? parameters[k][parameters[k].Length == 1 ? 0 : i] : null;
        var inputs = new Dictionary<string, Scalar> { [d.Drive] = drive };
        foreach (PostsynapticRead read in d.Postsynaptic)
        {
            int k = post.States.ToList().IndexOf(read.State);
            if (k < 0) throw new ArgumentException($"Synapse '{d.Name}' of '{c.Connection.Name}' reads '{read.State}', which '{post.Population.Name}' does not have.");
            inputs[read.Input] = postStates[k];
        }
        var scope = new Scope(bound.Tape, $"{d.Name}.Deliver", d.States, states, Parameter, inputs);
        Evaluator.Run(synapse.Deliver, scope);
        Scalar current = Evaluator.Eval(synapse.Current, scope);
        for (int k = 0; k < states.Length; k++) history.SynapseStates[c.Index][k][t * n + i] = states[k];
        return current;
    }

    private ConnectionModel Connect(Connection connection, int index)
    {
        ConnectionDescriptor d = connection.Descriptor;
        int target = Array.FindIndex(Populations, p => p.Population.Name == d.To);
        if (target < 0) throw new ArgumentException($"Connection '{d.Name}' targets '{d.To}', which is not a population.");
        int input = Network.Inputs.ToList().FindIndex(l => l.Name == d.From);
        int source = Array.FindIndex(Populations, p => p.Population.Name == d.From);
        int preSize = input >= 0 ? Network.Inputs[input].Size
            : source >= 0 ? Populations[source].Size
            : throw new ArgumentException($"Connection '{d.Name}' comes from '{d.From}', which is neither an input nor a population.");
        if (connection.Pre != preSize || connection.Post != Populations[target].Size)
            throw new ArgumentException($"Connection '{d.Name}' is {connection.Pre}×{connection.Post}, but its layers have {preSize} and {Populations[target].Size} neurons.");
        if (source >= 0 && Populations[source].Fires is null)
            throw new ArgumentException($"Connection '{d.Name}' comes from '{d.From}', a non-spiking population: synapses carry spikes.");
        if (source >= target && d.Delay < 1)
            throw new ArgumentException($"Connection '{d.Name}' has delay {d.Delay}, but '{d.From}' does not update before '{d.To}': it needs a delay of at least 1.");
        if (!Populations[target].Ports.Contains(d.Port))
            throw new ArgumentException($"Connection '{d.Name}' drives port '{d.Port}', which '{d.To}' does not have.");
        var model = new ConnectionModel(index, connection, input, source, d.Synapse is null ? null : new SynapseRuleModel(d.Synapse));
        Populations[target].Incoming.Add(model);
        return model;
    }
}

/// <summary>One population's neuron model, parsed, and the step of one neuron (docs/ir.md steps 2–4).</summary>
internal sealed class PopulationModel
{
    private readonly Block _integrate;
    private readonly Block? _reset;
    private readonly Expr? _derivative;
    private readonly Dictionary<string, int> _parameterIndex;
    private readonly Dictionary<string, float> _surrogateValues = [];

    public PopulationModel(Population population, IReadOnlyDictionary<string, float> surrogateOverrides)
    {
        Population = population;
        NeuronDescriptor neuron = population.Neuron;
        _parameterIndex = neuron.Parameters.Select((p, k) => (p.Name, k)).ToDictionary();
        _integrate = ParseBlock(neuron.Integrate);
        _reset = neuron.Reset is null ? null : ParseBlock(neuron.Reset);
        if (neuron.PreviousSpike is { } previous && !neuron.States.Contains(previous))
            throw new ArgumentException($"Neuron '{neuron.Name}': the previous-spike state '{previous}' is not among its states.");
        if (neuron.Fires is null) return;

        Fires = ParseCond(neuron.Fires) as Compare;
        if (Fires is null || Fires.Op is CompareOp.Equal or CompareOp.NotEqual)
            throw new ArgumentException($"Neuron '{neuron.Name}': the firing condition must be one comparison <, <=, > or >= (its two sides give the surrogate's argument), not {neuron.Fires}.");
        SurrogateDescriptor surrogate = neuron.Surrogate
            ?? throw new ArgumentException($"Neuron '{neuron.Name}' fires but has no surrogate.");
        _derivative = ParseExpr(surrogate.Derivative);
        foreach (ParamDescriptor p in surrogate.Parameters)
        {
            string key = surrogate.Name + "." + p.Name;
            SurrogateParameterKeys.Add(key);
            _surrogateValues[p.Name] = surrogateOverrides.TryGetValue(key, out float value) ? value : p.DefaultValue;
        }
    }

    public Population Population { get; }

    public int Size => Population.Size;

    public IReadOnlyList<string> States => Population.Neuron.States;

    /// <summary>State k of neuron i before the first step: 0 for the previous spike, else the population's initial value.</summary>
    public float InitialValue(int k, int i) => States[k] == Population.Neuron.PreviousSpike ? 0f : Population.InitialState(k)[i];

    public IReadOnlyList<string> Ports => Population.Neuron.Ports;

    /// <summary>The firing condition (&gt; a b), (&gt;= a b), (&lt; a b) or (&lt;= a b); null for a non-spiking neuron.</summary>
    public Compare? Fires { get; }

    /// <summary>Incoming connections in declaration order.</summary>
    public List<ConnectionModel> Incoming { get; } = [];

    /// <summary>Indices of the biases on this population, in declaration order.</summary>
    public List<int> Biases { get; } = [];

    /// <summary>"Surrogate.Parameter" for each surrogate parameter, the keys of <see cref="ReferenceOptions.SurrogateParameters"/>.</summary>
    public List<string> SurrogateParameterKeys { get; } = [];

    /// <summary>Advances neuron <paramref name="neuron"/> by one step; <paramref name="h"/> holds its states and is updated in place.</summary>
    /// <param name="sparseEpsilon">
    /// The sparse backward's ε: where σ′ of this step is below it, the step reads its states and ports as constants, so
    /// nothing flows back to them through it (<see cref="ReferenceOptions.SparseEpsilon"/>).
    /// </param>
    /// <returns>The spike S, or null for a non-spiking neuron.</returns>
    public Scalar? Step(Scalar[] h, Scalar[] ports, Tape tape, Scalar[][] parameters, int neuron, float sparseEpsilon = 0f)
    {
        NeuronDescriptor model = Population.Neuron;
        Scalar? Parameter(string name) =>
            _parameterIndex.TryGetValue(name, out int k) ? parameters[k][parameters[k].Length == 1 ? 0 : neuron] : null;
        if (sparseEpsilon > 0f && Fires is not null && !(SurrogateOfStep(h, ports, Parameter) >= sparseEpsilon))
        {
            for (int k = 0; k < h.Length; k++) h[k] = Scalar.Constant(h[k].Value);
            ports = Constants(ports);
        }

        // 2. Integrate(ports), then the firing condition's two sides.
        if (IntegrateAndCompare(tape, h, ports, Parameter) is not (Scalar a, Scalar b)) return null;

        // 3. S = Θ(a − b) of (> a b) / (>= a b), Θ(b − a) of (< a b) / (<= a b); backward: Θ′ → σ′ of that difference.
        bool fired = Evaluator.Holds(Fires!.Op, a.Value, b.Value);
        double slope = Upward ? SurrogateOf(a.Value, b.Value) : -SurrogateOf(a.Value, b.Value);
        Scalar spike = tape.Push(fired ? 1f : 0f, (a, slope), (b, -slope));

        // 4. Reset where S = 1: h ← S·r(h) + (1 − S)·h. Detached: S is a constant there, so only where it fired, and
        //    then h = r(h) with r's own derivative. Attached: ∂h/∂S = r(h) − h, so r(h) is needed where S = 0 too.
        bool attached = model.AttachResetGradient;
        if (_reset is not null && (fired || attached))
        {
            Scalar[] r = (Scalar[])h.Clone();
            Evaluator.Run(_reset, new Scope(tape, $"{model.Name}.Reset", States, r, Parameter));
            for (int k = 0; k < h.Length; k++)
            {
                if (r[k] == h[k]) continue; // not assigned by Reset
                h[k] = attached
                    ? tape.Push(fired ? r[k].Value : h[k].Value, (r[k], fired ? 1 : 0), (h[k], fired ? 0 : 1), (spike, (double)r[k].Value - h[k].Value))
                    : r[k];
            }
        }

        // The previous-spike state becomes S[t]: ∂/∂S = 1 when attached, a constant when detached.
        if (model.PreviousSpike is { } previous)
        {
            int k = States.ToList().IndexOf(previous);
            h[k] = attached ? tape.Push(spike.Value, (spike, 1)) : Scalar.Constant(spike.Value);
        }
        return spike;
    }

    /// <summary>
    /// Integrate(ports) on <paramref name="tape"/>, the assignments in order, each read seeing the latest value (h is
    /// updated in place); then the two sides of the firing condition, or null for a non-spiking neuron.
    /// </summary>
    private (Scalar A, Scalar B)? IntegrateAndCompare(Tape tape, Scalar[] h, Scalar[] ports, Func<string, Scalar?> parameter)
    {
        NeuronDescriptor model = Population.Neuron;
        var inputs = Ports.Select((port, k) => (port, ports[k])).ToDictionary();
        Evaluator.Run(_integrate, new Scope(tape, $"{model.Name}.Integrate", States, h, parameter, inputs));
        if (Fires is null) return null;
        var fires = new Scope(tape, $"{model.Name}.Fires", States, h, parameter);
        return (Evaluator.Eval(Fires.Left, fires), Evaluator.Eval(Fires.Right, fires));
    }

    /// <summary>σ′ of the step from <paramref name="h"/> and <paramref name="ports"/>, by their values alone (a run on a tape of its own).</summary>
    private float SurrogateOfStep(Scalar[] h, Scalar[] ports, Func<string, Scalar?> parameter)
    {
        Scalar? Value(string name) => parameter(name) is { } p ? Scalar.Constant(p.Value) : null;
        (Scalar a, Scalar b) = IntegrateAndCompare(new Tape(), Constants(h), Constants(ports), Value)!.Value;
        return SurrogateOf(a.Value, b.Value);
    }

    /// <summary>The values of <paramref name="xs"/> as constants: nothing flows back to them.</summary>
    private static Scalar[] Constants(Scalar[] xs) => xs.Select(x => Scalar.Constant(x.Value)).ToArray();

    /// <summary>Whether the firing condition is (&gt; a b) or (&gt;= a b), S = Θ(a − b); else S = Θ(b − a).</summary>
    private bool Upward => Fires!.Op is CompareOp.Greater or CompareOp.GreaterOrEqual;

    /// <summary>σ′ of the firing condition's difference: of a − b where <see cref="Upward"/>, else of b − a.</summary>
    private float SurrogateOf(float a, float b) => Upward ? SurrogateDerivative(a - b) : SurrogateDerivative(b - a);

    /// <summary>σ′(x) from the surrogate's Derivative IR, in float32, with the surrogate's current parameter values.</summary>
    private float SurrogateDerivative(float x)
    {
        var scope = new Scope(new Tape(), $"{Population.Neuron.Surrogate!.Name}.Derivative", [], [],
            name => _surrogateValues.TryGetValue(name, out float v) ? Scalar.Constant(v) : null, arg: Scalar.Constant(x));
        return Evaluator.Eval(_derivative!, scope).Value;
    }
}

/// <summary>What an IR body reads while it runs once: states (written in place), parameters, its own locals, named inputs, (arg).</summary>
internal sealed class Scope(
    Tape tape, string body, IReadOnlyList<string> stateNames, Scalar[] states, Func<string, Scalar?> parameter,
    IReadOnlyDictionary<string, Scalar>? inputs = null, Scalar? arg = null)
{
    private readonly Dictionary<string, Scalar> _locals = [];

    public Tape Tape => tape;

    public Scalar Input(string name) =>
        inputs is not null && inputs.TryGetValue(name, out Scalar value)
            ? value
            : throw new InvalidOperationException($"{body}: no input '{name}'. Inputs: {(inputs is null ? "none" : string.Join(", ", inputs.Keys))}.");

    public Scalar Arg => arg ?? throw new InvalidOperationException($"{body}: (arg) exists only in a surrogate's Derivative.");

    public Scalar Parameter(string name) =>
        parameter(name) ?? throw new InvalidOperationException($"{body}: no parameter '{name}'.");

    public Scalar Local(string name) =>
        _locals.TryGetValue(name, out Scalar value) ? value : throw new InvalidOperationException($"{body}: local '{name}' is read before it is set.");

    public void SetLocal(string name, Scalar value) => _locals[name] = value;

    public ref Scalar State(string name)
    {
        for (int k = 0; k < stateNames.Count; k++)
            if (stateNames[k] == name) return ref states[k];
        throw new InvalidOperationException($"{body}: no state '{name}'. States: {string.Join(", ", stateNames)}.");
    }
}

/// <summary>The IR evaluated on the tape: values in float32 in the written order, exact local derivatives.</summary>
internal static class Evaluator
{
    public static void Run(Statement statement, Scope scope)
    {
        switch (statement)
        {
            case Block block:
                foreach (Statement s in block.Statements) Run(s, scope);
                break;
            case SetState set:
                scope.State(set.Name) = Eval(set.Value, scope);
                break;
            case SetLocal set:
                scope.SetLocal(set.Name, Eval(set.Value, scope));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(statement), statement.GetType().Name);
        }
    }

    public static Scalar Eval(Expr expr, Scope scope)
    {
        Tape tape = scope.Tape;
        return expr switch
        {
            Number n => Scalar.Constant(n.Value),
            State s => scope.State(s.Name),
            Param p => scope.Parameter(p.Name),
            Local l => scope.Local(l.Name),
            Input i => scope.Input(i.Name),
            Arg => scope.Arg,
            Negate n => tape.Negate(Eval(n.Operand, scope)),
            Binary b => b.Op switch
            {
                BinaryOp.Add => tape.Add(Eval(b.Left, scope), Eval(b.Right, scope)),
                BinaryOp.Subtract => tape.Subtract(Eval(b.Left, scope), Eval(b.Right, scope)),
                BinaryOp.Multiply => tape.Multiply(Eval(b.Left, scope), Eval(b.Right, scope)),
                _ => tape.Divide(Eval(b.Left, scope), Eval(b.Right, scope)),
            },
            // Only the taken branch is evaluated, so only it receives gradient; the condition has none.
            Select s => Holds(s.Condition, scope) ? Eval(s.WhenTrue, scope) : Eval(s.WhenFalse, scope),
            Call c => c.Function switch
            {
                Function.Exp => tape.Exp(Eval(c.First, scope)),
                Function.Log => tape.Log(Eval(c.First, scope)),
                Function.Abs => tape.Abs(Eval(c.First, scope)),
                Function.Sqrt => tape.Sqrt(Eval(c.First, scope)),
                Function.Tanh => tape.Tanh(Eval(c.First, scope)),
                Function.Max => tape.Max(Eval(c.First, scope), Eval(c.Second!, scope)),
                Function.Min => tape.Min(Eval(c.First, scope), Eval(c.Second!, scope)),
                _ => tape.Pow(Eval(c.First, scope), Eval(c.Second!, scope)),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(expr), expr.GetType().Name),
        };
    }

    public static bool Holds(Cond cond, Scope scope) => cond switch
    {
        Compare c => Holds(c.Op, Eval(c.Left, scope).Value, Eval(c.Right, scope).Value),
        And a => Holds(a.Left, scope) && Holds(a.Right, scope),
        Or o => Holds(o.Left, scope) || Holds(o.Right, scope),
        Not n => !Holds(n.Operand, scope),
        Bool b => b.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(cond), cond.GetType().Name),
    };

    public static bool Holds(CompareOp op, float a, float b) => op switch
    {
        CompareOp.Less => a < b,
        CompareOp.LessOrEqual => a <= b,
        CompareOp.Greater => a > b,
        CompareOp.GreaterOrEqual => a >= b,
        CompareOp.Equal => a == b,
        _ => a != b,
    };
}
