using System.Globalization;
using System.Reflection;
using SnnDsl.Neurons;

namespace SnnDsl.Export.Nir;

/// <summary>
/// Writes a network as a NIR graph (docs/exports.md has the field mapping). Time is continuous in NIR; SnnDsl's
/// discrete parameters map to it by forward Euler with the network's Δt, the convention of snnTorch (reference note
/// §1.6): a decay β becomes τ = Δt/(1 − β) and the gains r and w_in are chosen so that one step of the Euler
/// integration adds the input with gain 1 (r = τ_mem/Δt, w_in = τ_syn/Δt). Δt is recorded in the graph's metadata
/// (<c>dt</c>, seconds), with the reset each neuron performs.
/// </summary>
/// <remarks>
/// Built-in neurons with a NIR primitive: <see cref="Lif"/> → <c>LIF</c> (<c>IF</c> when β = 1), <see cref="CubaLif"/>
/// → <c>CubaLIF</c>, <see cref="LeakyReadout"/> → <c>LI</c> (α = 0) or two <c>LI</c> nodes, current then membrane,
/// <see cref="NorseLif"/> → <c>CubaLIF</c> with r = 1 (Norse's convention). Connections: dense → <c>Affine</c> (with
/// the population's bias) or <c>Linear</c>, weight (post, pre); one-to-one and sparse → the same with a diagonal or
/// zero-filled matrix; conv1d → <c>Conv1d</c>; a delay beyond the one the declaration order already gives (one step for a connection from the same or a later population) → a <c>Delay</c> node
/// before the weights. A neuron without a primitive, a synapse model or a second port is an <see cref="NirExportException"/>
/// naming it.
/// </remarks>
public static class NirExporter
{
    /// <summary>Node metadata key naming the SnnDsl built-in a neuron node came from.</summary>
    public const string NeuronKey = NirKeys.Neuron;

    /// <summary>Node metadata key stating the reset: <c>subtract</c> (U ← U − ϑ) or <c>to-v-reset</c>.</summary>
    public const string ResetKey = "reset";

    /// <summary>Node metadata key of a weight node: the connection kind it came from.</summary>
    public const string KindKey = NirKeys.Kind;

    /// <summary>Node metadata key of a weight node: the name of the bias its <c>bias</c> field holds.</summary>
    public const string BiasKey = NirKeys.Bias;

    /// <summary>Graph metadata key: the declaration order of the connections (names joined by commas).</summary>
    public const string ConnectionsKey = NirKeys.Connections;

    /// <summary>Node metadata key of a sparse connection's weight node: the delay of the synapses it holds.</summary>
    public const string DelayKey = "snndsl_delay";

    /// <summary>Node metadata key of a weight node: the SnnDsl connection it came from.</summary>
    public const string ConnectionKey = NirKeys.Connection;

    /// <summary>Exports <paramref name="network"/>'s current weights and parameters as a NIR graph.</summary>
    /// <exception cref="NirExportException">A neuron, synapse, port, bias or shape has no NIR form (the message names it).</exception>
    public static NirGraph Export(ISpikingNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new Builder(network).Build();
    }

    /// <summary>Exports <paramref name="network"/> and writes the NIR file, atomically.</summary>
    public static void Write(ISpikingNetwork network, string path) => NirFile.Write(path, Export(network));

    /// <summary>Which built-in with a NIR primitive a neuron is (by its model and dynamics, not only its name; <see cref="NirNeurons"/>), or null.</summary>
    internal static string? BuiltIn(NeuronDescriptor neuron) => Mapped.Value.TryGetValue(Identity(neuron), out string? name) ? name : null;

    /// <summary>The built-ins of <see cref="NirNeurons.BuiltIns"/>: their identity → their name.</summary>
    private static readonly Lazy<Dictionary<string, string>> Mapped = new(() => NirNeurons.BuiltIns
        .Select(b => (NeuronDescriptor)typeof(NirExporter).Assembly.GetType(b.Type, throwOnError: true)!
            .GetProperty(nameof(INeuron.Descriptor), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
        .ToDictionary(Identity, d => d.Name));

    private static string Identity(NeuronDescriptor neuron) =>
        NirNeurons.Identity(neuron.Name, neuron.Integrate, neuron.Fires, neuron.Reset, neuron.Parameters.Select(p => p.Name), neuron.Ports);

    private sealed class Builder(ISpikingNetwork network)
    {
        private readonly NetworkDescriptor _d = network.Descriptor;
        private readonly double _dt = network.Descriptor.TimeStep;
        private readonly HashSet<string> _names = [];
        private readonly Dictionary<string, long[]> _shape = [];
        private readonly Dictionary<string, string> _entry = [], _exit = [];
        private readonly List<NirNode> _nodes = [];

        private string Claim(string wanted)
        {
            string name = wanted;
            for (int k = 2; !_names.Add(name); k++) name = wanted + "_" + k.ToString(CultureInfo.InvariantCulture);
            return name;
        }

        private static NirExportException Fail(string message) => new(message);

        public NirGraph Build()
        {
            if (!(_dt > 0) || !double.IsFinite(_dt)) throw Fail($"Network '{_d.Name}' has time step {_dt}; NIR export needs a positive Δt.");
            foreach (LayerDescriptor layer in _d.Layers) _names.Add(layer.Name);
            foreach (ConnectionDescriptor c in _d.Connections) _names.Add(c.Name);
            Shapes();

            foreach (SpikeInput input in network.Inputs)
            {
                _nodes.Add(new NirNode(input.Name, "Input", new Dictionary<string, NirValue> { ["shape"] = Ints(_shape[input.Name]) }));
                _entry[input.Name] = _exit[input.Name] = input.Name;
            }
            foreach (Population p in network.Populations) NeuronNodes(p);

            // Chains per connection: source → [Delay] → [Flatten] → weights → target, edges grouped by target in declaration order.
            var chains = new List<(ConnectionDescriptor Connection, Connection Runtime, List<string> Nodes, string Source, string Target)>();
            var biasOwner = AssignBiases();
            foreach (Population target in network.Populations)
            {
                foreach (Connection c in network.Connections.Where(c => c.To == target.Name))
                {
                    foreach ((string weightNode, NirNode node) in WeightNodes(c, biasOwner))
                    {
                        var chain = new List<string>();
                        string source = _exit[c.From];
                        if (_shape[source].Length == 2 && node.Type is "Affine" or "Linear")
                        {
                            string flatten = Claim(c.Name + "_flatten");
                            _nodes.Add(new NirNode(flatten, "Flatten", new Dictionary<string, NirValue>
                            {
                                ["start_dim"] = NirValue.Scalar(NirDataType.Int64, 0), ["end_dim"] = NirValue.Scalar(NirDataType.Int64, -1),
                                ["input_type"] = Ints(_shape[source]),
                            }));
                            chain.Add(flatten);
                        }
                        _nodes.Add(node);
                        chain.Add(weightNode);
                        chains.Add((c.Descriptor, c, chain, source, _entry[c.To]));
                    }
                }
            }

            // Evaluation order: the declaration's (inputs, then per population its incoming weight nodes and itself). A chain
            // from a population at or after its target is read with the previous step's spikes, as in SnnDsl.
            var order = new List<string>(network.Inputs.Select(i => i.Name));
            var populationIndex = network.Populations.Select((p, k) => (p.Name, k)).ToDictionary(x => x.Name, x => x.k);
            foreach (Population target in network.Populations)
            {
                for (int k = 0; k < chains.Count; k++)
                {
                    (ConnectionDescriptor c, Connection runtime, List<string> chain, string source, string _) = chains[k];
                    if (c.To != target.Name) continue;
                    int lag = populationIndex.TryGetValue(c.From, out int from) && from >= populationIndex[c.To] ? 1 : 0;
                    int delay = runtime is SparseSynapses ? SparseDelay(chain[^1]) : c.Delay;
                    if (delay > lag)
                    {
                        string delayNode = Claim(c.Name + "_delay");
                        long[] shape = _shape[source];
                        _nodes.Add(new NirNode(delayNode, "Delay", new Dictionary<string, NirValue>
                        {
                            ["delay"] = NirValue.Array(NirDataType.Float64, shape, Enumerable.Repeat((delay - lag) * _dt, (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray()),
                        }));
                        chain.Insert(0, delayNode);
                    }
                    order.AddRange(chain);
                }
                if (_entry[target.Name] != _exit[target.Name]) order.Add(_entry[target.Name]);
                order.Add(_exit[target.Name]);
            }
            var edges = new List<(string, string)>();
            foreach (Population target in network.Populations)
            {
                foreach ((ConnectionDescriptor c, _, List<string> chain, string source, string entry) in chains)
                {
                    if (c.To != target.Name) continue;
                    string previous = source;
                    foreach (string n in chain) { edges.Add((previous, n)); previous = n; }
                    edges.Add((previous, entry));
                }
                if (_entry[target.Name] != _exit[target.Name]) edges.Add((_entry[target.Name], _exit[target.Name]));
            }

            // Outputs: the populations no other population reads.
            var leaves = network.Populations.Where(p => !network.Connections.Any(c => c.From == p.Name && c.To != p.Name)).Select(p => p.Name).ToList();
            if (leaves.Count == 0) leaves.Add(network.Populations[^1].Name);
            foreach (string leaf in leaves)
            {
                string output = Claim(leaves.Count == 1 ? "output" : "output_" + leaf);
                _nodes.Add(new NirNode(output, "Output", new Dictionary<string, NirValue> { ["shape"] = Ints(_shape[leaf]) }));
                edges.Add((_exit[leaf], output));
                order.Add(output);
            }

            var metadata = new Dictionary<string, NirValue>
            {
                ["dt"] = NirValue.Scalar(NirDataType.Float64, _dt),
                ["time_unit"] = NirValue.String("s"),
                ["discretization"] = NirValue.String("forward Euler with dt; decay 1 - dt/tau; per-step input gains r*dt/tau and w_in*dt/tau_syn"),
                ["cycles"] = NirValue.String("an edge from a node not yet evaluated in the step carries the previous step's value (NIRTorch)"),
                ["snndsl_network"] = NirValue.String(_d.Name),
                [NirOrder.MetadataKey] = NirValue.String(string.Join(",", order)),
                [ConnectionsKey] = NirValue.String(string.Join(",", _d.Connections.Select(c => c.Name))),
            };
            return new NirGraph(_nodes, edges, metadata, NirFile.LayoutVersion);
        }

        /// <summary>The delay of the synapses a sparse connection's weight node holds (one node per distinct delay).</summary>
        private int SparseDelay(string weightNode) =>
            int.Parse(_nodes.First(n => n.Name == weightNode).Metadata[DelayKey].Text!, CultureInfo.InvariantCulture);

        /// <summary>NIR shapes: (C, L) for layers that feed (inputs) or receive (populations) a 1-D convolution, else (N).</summary>
        private void Shapes()
        {
            foreach (LayerDescriptor layer in _d.Layers) _shape[layer.Name] = [layer.Size];
            foreach (ConnectionDescriptor c in _d.Connections.Where(c => c.Kind == ConnectionKind.Conv1d))
            {
                ConvShape s = c.Convolution!;
                long[] into = [s.OutChannels, s.OutLength];
                if (_shape[c.To].Length == 2 && !_shape[c.To].SequenceEqual(into))
                    throw Fail($"Population '{c.To}' receives convolutions with different output shapes ({StoredTensor.ShapeText(_shape[c.To])} and {StoredTensor.ShapeText(into)}); NIR gives a node one shape.");
                _shape[c.To] = into;
            }
            foreach (ConnectionDescriptor c in _d.Connections.Where(c => c.Kind == ConnectionKind.Conv1d))
            {
                ConvShape s = c.Convolution!;
                long[] from = [s.InChannels, s.InLength];
                if (_d.Layer(c.From).IsInput && _shape[c.From].Length == 1) _shape[c.From] = from;
                if (!_shape[c.From].SequenceEqual(from))
                    throw Fail($"Convolution '{c.Name}' reads '{c.From}' as [{s.InChannels}×{s.InLength}], but '{c.From}' has NIR shape {StoredTensor.ShapeText(_shape[c.From])} (NIR has no reshape from a flat population to channels).");
            }
        }

        private static NirValue Ints(long[] values) => NirValue.Vector(NirDataType.Int64, values.Select(v => (double)v).ToArray());

        private NirValue Floats(long[] shape, float value) =>
            NirValue.Array(NirDataType.Float64, shape, Enumerable.Repeat((double)value, (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray());

        private NirValue Filled(long[] shape, double value) =>
            NirValue.Array(NirDataType.Float64, shape, Enumerable.Repeat(value, (int)shape.Aggregate(1L, (a, b) => a * b)).ToArray());

        private float Shared(Population p, string parameter)
        {
            float[] values = p.Parameter(parameter);
            if (values.Any(v => BitConverter.SingleToInt32Bits(v) != BitConverter.SingleToInt32Bits(values[0])))
                throw Fail($"Population '{p.Name}': parameter {parameter} differs between neurons; the NIR export of {p.Neuron.Name} needs one value.");
            return values[0];
        }

        /// <summary>τ = Δt/(1 − decay) for a decay in [0, 1).</summary>
        private double Tau(Population p, string parameter)
        {
            float decay = Shared(p, parameter);
            if (!(decay >= 0f && decay < 1f))
                throw Fail(FormattableString.Invariant($"Population '{p.Name}': {parameter} = {decay} is outside [0, 1); NIR's τ = Δt/(1 − {parameter}) would not be positive and finite."));
            return _dt / (1.0 - decay);
        }

        private void NeuronNodes(Population p)
        {
            string? builtIn = BuiltIn(p.Neuron);
            long[] shape = _shape[p.Name];
            if (p.Neuron.Ports.Count != 1)
                throw Fail($"Population '{p.Name}': neuron {p.Neuron.Name} has {p.Neuron.Ports.Count} ports; NIR nodes have one input.");
            foreach (string state in p.Neuron.States.Where(s => s != p.Neuron.PreviousSpike))
                if (p.InitialState(state).Any(v => v != 0f))
                    throw Fail($"Population '{p.Name}': state {state} starts at a value other than 0; NIR nodes have no initial state.");
            Dictionary<string, NirValue> Meta(string reset) => new() { [NeuronKey] = NirValue.String(builtIn!), [ResetKey] = NirValue.String(reset) };
            _entry[p.Name] = _exit[p.Name] = p.Name;
            switch (builtIn)
            {
                case "Lif" when Shared(p, "Beta") == 1f:
                    _nodes.Add(new NirNode(p.Name, "IF", new Dictionary<string, NirValue>
                    {
                        ["r"] = Filled(shape, 1.0 / _dt), ["v_threshold"] = Floats(shape, Shared(p, "Threshold")), ["v_reset"] = Filled(shape, 0),
                    }, Meta("subtract")));
                    break;
                case "Lif":
                    {
                        double tau = Tau(p, "Beta");
                        _nodes.Add(new NirNode(p.Name, "LIF", new Dictionary<string, NirValue>
                        {
                            ["tau"] = Filled(shape, tau), ["r"] = Filled(shape, tau / _dt), ["v_leak"] = Filled(shape, 0),
                            ["v_threshold"] = Floats(shape, Shared(p, "Threshold")), ["v_reset"] = Filled(shape, 0),
                        }, Meta("subtract")));
                        break;
                    }
                case "CubaLif":
                    {
                        double tauSyn = Tau(p, "Alpha"), tauMem = Tau(p, "Beta");
                        _nodes.Add(new NirNode(p.Name, "CubaLIF", new Dictionary<string, NirValue>
                        {
                            ["tau_syn"] = Filled(shape, tauSyn), ["tau_mem"] = Filled(shape, tauMem), ["r"] = Filled(shape, tauMem / _dt),
                            ["v_leak"] = Filled(shape, 0), ["v_threshold"] = Floats(shape, Shared(p, "Threshold")), ["v_reset"] = Filled(shape, 0),
                            ["w_in"] = Filled(shape, tauSyn / _dt),
                        }, Meta("subtract")));
                        break;
                    }
                case "NorseLif":
                    {
                        float dtParam = Shared(p, "Dt"), memInv = Shared(p, "TauMemInv"), synInv = Shared(p, "TauSynInv");
                        double memStep = (double)dtParam * memInv, synStep = (double)dtParam * synInv;   // per-step fractions Δt/τ
                        if (!(memStep > 0 && synStep > 0))
                            throw Fail(FormattableString.Invariant($"Population '{p.Name}': Dt·TauMemInv = {memStep} and Dt·TauSynInv = {synStep} must be positive for NIR time constants."));
                        double tauSyn = _dt / synStep, tauMem = _dt / memStep;
                        _nodes.Add(new NirNode(p.Name, "CubaLIF", new Dictionary<string, NirValue>
                        {
                            ["tau_syn"] = Filled(shape, tauSyn), ["tau_mem"] = Filled(shape, tauMem), ["r"] = Filled(shape, 1),
                            ["v_leak"] = Floats(shape, Shared(p, "VLeak")), ["v_threshold"] = Floats(shape, Shared(p, "VTh")),
                            ["v_reset"] = Floats(shape, Shared(p, "VReset")), ["w_in"] = Filled(shape, tauSyn / _dt),
                        }, Meta("to-v-reset")));
                        break;
                    }
                case "LeakyReadout" when Shared(p, "Alpha") == 0f:
                    {
                        double tau = Tau(p, "Beta");
                        _nodes.Add(new NirNode(p.Name, "LI", new Dictionary<string, NirValue>
                        {
                            ["tau"] = Filled(shape, tau), ["r"] = Filled(shape, tau / _dt), ["v_leak"] = Filled(shape, 0),
                        }, Meta("none")));
                        break;
                    }
                case "LeakyReadout":
                    {
                        double tauSyn = Tau(p, "Alpha"), tauMem = Tau(p, "Beta");
                        string current = Claim(p.Name + "_syn");
                        _nodes.Add(new NirNode(current, "LI", new Dictionary<string, NirValue>
                        {
                            ["tau"] = Filled(shape, tauSyn), ["r"] = Filled(shape, tauSyn / _dt), ["v_leak"] = Filled(shape, 0),
                        }, Meta("none")));
                        _nodes.Add(new NirNode(p.Name, "LI", new Dictionary<string, NirValue>
                        {
                            ["tau"] = Filled(shape, tauMem), ["r"] = Filled(shape, tauMem / _dt), ["v_leak"] = Filled(shape, 0),
                        }, Meta("none")));
                        _entry[p.Name] = current;
                        break;
                    }
                default:
                    throw Fail($"Population '{p.Name}' uses neuron {p.Neuron.Name}, which has no NIR primitive. NIR export supports the built-ins {NirNeurons.Supported}.");
            }
        }

        /// <summary>Each bias goes into the Affine node of the first incoming dense, one-to-one or sparse connection of its population.</summary>
        private Dictionary<string, List<Bias>> AssignBiases()
        {
            var owner = new Dictionary<string, List<Bias>>();
            foreach (Bias b in network.Biases)
            {
                if (network.Populations.First(p => p.Name == b.Descriptor.To).Neuron.Ports.Count != 1) continue;
                Connection? carrier = network.Connections.FirstOrDefault(c => c.To == b.Descriptor.To && c.Descriptor.Kind != ConnectionKind.Conv1d);
                if (carrier is null)
                    throw Fail($"Bias '{b.Name}' on '{b.Descriptor.To}': NIR adds a bias only in an Affine node, and '{b.Descriptor.To}' has no dense, one-to-one or sparse input connection to carry it.");
                if (!owner.TryGetValue(carrier.Name, out List<Bias>? list)) owner[carrier.Name] = list = [];
                list.Add(b);
            }
            return owner;
        }

        private IEnumerable<(string Name, NirNode Node)> WeightNodes(Connection c, Dictionary<string, List<Bias>> biasOwner)
        {
            ConnectionDescriptor d = c.Descriptor;
            if (d.Synapse is not null)
                throw Fail($"Connection '{c.Name}' uses synapse model {d.Synapse.Name}; the NIR export maps delta synapses only (a weight node straight into the neuron).");
            if (_d.Layer(c.From).Neuron is { IsSpiking: false })
                throw Fail($"Connection '{c.Name}' starts at '{c.From}', a non-spiking population; its output in NIR would be the membrane, not spikes.");
            var biasValues = new float[c.Post];
            List<Bias> biases = biasOwner.TryGetValue(c.Name, out List<Bias>? list) ? list : [];
            foreach (Bias b in biases)
                for (int i = 0; i < c.Post; i++) biasValues[i] += b.Values[i];
            var meta = new Dictionary<string, NirValue>
            {
                [KindKey] = NirValue.String(NetworkDeclaration.KindName(d.Kind)), [ConnectionKey] = NirValue.String(c.Name),
            };
            if (biases.Count > 0) meta[BiasKey] = NirValue.String(string.Join(",", biases.Select(b => b.Name)));

            NirNode Affine(string name, float[] weight, Dictionary<string, NirValue> metadata)   // weight is (post, pre)
            {
                var fields = new Dictionary<string, NirValue>
                {
                    ["weight"] = NirValue.Array(NirDataType.Float32, [c.Post, c.Pre], weight.Select(w => (double)w).ToArray()),
                };
                if (biases.Count == 0) return new NirNode(name, "Linear", fields, metadata);
                fields["bias"] = NirValue.Vector(NirDataType.Float32, biasValues.Select(v => (double)v).ToArray());
                return new NirNode(name, "Affine", fields, metadata);
            }

            switch (c)
            {
                case DenseSynapses dense:
                    {
                        var w = new float[c.Post * c.Pre];
                        for (int j = 0; j < c.Pre; j++)
                            for (int i = 0; i < c.Post; i++) w[i * c.Pre + j] = dense.Weights[j * c.Post + i];
                        yield return (c.Name, Affine(c.Name, w, meta));
                        break;
                    }
                case OneToOneSynapses:
                    {
                        var w = new float[c.Post * c.Pre];
                        for (int i = 0; i < c.Post; i++) w[i * c.Pre + i] = c.Weights[i];
                        yield return (c.Name, Affine(c.Name, w, meta));
                        break;
                    }
                case SparseSynapses sparse:
                    {
                        int[] delays = sparse.Delays.Distinct().Order().ToArray();
                        if (delays.Length == 0) delays = [d.Delay];
                        bool first = true;
                        foreach (int delay in delays)
                        {
                            var w = new float[c.Post * c.Pre];
                            for (int k = 0; k < sparse.Count; k++)
                                if (sparse.Delays[k] == delay) w[sparse.PostIndex[k] * c.Pre + sparse.PreIndex[k]] = sparse.Weights[k];
                            string name = delays.Length == 1 ? c.Name : Claim(c.Name + "_d" + delay.ToString(CultureInfo.InvariantCulture));
                            var m = new Dictionary<string, NirValue>(meta) { [DelayKey] = NirValue.String(delay.ToString(CultureInfo.InvariantCulture)) };
                            if (!first) { m.Remove(BiasKey); }
                            NirNode node = Affine(name, w, m);
                            if (!first && node.Type == "Affine")   // the bias once, in the first delay group
                                node = new NirNode(name, "Linear", new Dictionary<string, NirValue> { ["weight"] = node.Fields["weight"] }, m);
                            first = false;
                            yield return (name, node);
                        }
                        break;
                    }
                case Conv1dSynapses conv:
                    {
                        ConvShape s = conv.Convolution;
                        var fields = new Dictionary<string, NirValue>
                        {
                            ["weight"] = NirValue.Array(NirDataType.Float32, [s.OutChannels, s.InChannels, s.KernelSize], conv.Weights.Select(w => (double)w).ToArray()),
                            ["bias"] = NirValue.Vector(NirDataType.Float32, new double[s.OutChannels]),
                            ["input_shape"] = NirValue.Scalar(NirDataType.Int64, s.InLength),
                            ["stride"] = NirValue.Scalar(NirDataType.Int64, s.Stride),
                            ["padding"] = NirValue.Scalar(NirDataType.Int64, s.Padding),
                            ["dilation"] = NirValue.Scalar(NirDataType.Int64, 1),
                            ["groups"] = NirValue.Scalar(NirDataType.Int64, 1),
                        };
                        yield return (c.Name, new NirNode(c.Name, "Conv1d", fields, meta));
                        break;
                    }
                default:
                    throw Fail($"Connection '{c.Name}' is a {c.GetType().Name}, which the NIR export does not know.");
            }
        }
    }
}
