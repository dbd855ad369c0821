using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

// Shared with the generator (generators/SnnDsl.Generators/SnnDsl.Generators.csproj), which compiles this file into
// a namespace of its own, so that its tests, which reference both assemblies, see one NirGraph, not two.
#if SNNDSL_ANALYZERS
namespace SnnDsl.Generators.RuntimeNir;
#else
namespace SnnDsl.Export.Nir;
#endif

/// <summary>Options of <c>NirImporter</c> (and of the build-time import, <c>[NirNetwork]</c>).</summary>
public sealed class NirImportOptions
{
    /// <summary>
    /// Δt in seconds. NIR stores none; files SnnDsl wrote carry it in the graph metadata (<c>dt</c>), which is used when
    /// this is null. A file without it needs it here (snnTorch writes with 10⁻⁴ s, Norse assumes 10⁻³ s; Sinabs and
    /// Spyx count τ in steps, i.e. Δt = 1).
    /// </summary>
    public double? TimeStep { get; init; }

    /// <summary>The name of the generated network class.</summary>
    public string ClassName { get; init; } = "ImportedNetwork";

    /// <summary>The namespace of the generated class ("" for the global namespace).</summary>
    public string Namespace { get; init; } = "Imported";
}

/// <summary>The graph metadata keys SnnDsl writes (<c>NirExporter</c>) and reads back (<see cref="NirConversion"/>).</summary>
internal static class NirKeys
{
    public const string Neuron = "snndsl_neuron";
    public const string Kind = "snndsl_kind";
    public const string Bias = "snndsl_bias";
    public const string Connections = "snndsl_connections";
    public const string Connection = "snndsl_connection";
}

/// <summary>
/// A built-in neuron an import produces, as the declaration needs it: its type name, its parameters in declaration
/// order and its input port. The runtime checks these against the neurons' own descriptors (<c>NirImporter</c>).
/// </summary>
internal sealed class NirBuiltIn
{
    private NirBuiltIn(string name, params string[] parameters)
    {
        Name = name;
        Parameters = parameters;
    }

    public static readonly NirBuiltIn Lif = new("Lif", "Beta", "Threshold");
    public static readonly NirBuiltIn CubaLif = new("CubaLif", "Alpha", "Beta", "Threshold");
    public static readonly NirBuiltIn NorseLif = new("NorseLif", "Dt", "TauMemInv", "TauSynInv", "VLeak", "VTh", "VReset");
    public static readonly NirBuiltIn SnnTorchLeakyZeroReset = new("SnnTorchLeakyZeroReset", "Beta", "Threshold");
    public static readonly NirBuiltIn LeakyReadout = new("LeakyReadout", "Alpha", "Beta");

    /// <summary>The C# type name in SnnDsl.Neurons.</summary>
    public string Name { get; }

    /// <summary>Parameter names in declaration order.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>The input port of <c>Integrate</c>.</summary>
    public string Port => "input";
}

/// <summary>An input (no neuron) or a population of an imported declaration, with its parameter values (one per parameter).</summary>
internal sealed record NirLayer(string Name, int Size, NirBuiltIn? Neuron, IReadOnlyList<(string Name, float[] Values)> Parameters);

/// <summary>The connection kinds an import produces.</summary>
internal enum NirConnectionKind
{
    Dense,
    OneToOne,
    Conv1d,
}

/// <summary>A 1-D convolution's shape.</summary>
internal sealed record NirConvShape(int InChannels, int InLength, int OutChannels, int OutLength, int KernelSize, int Stride, int Padding);

/// <summary>A connection with its weights as a model file stores them (dense: [pre, post] row-major).</summary>
internal sealed record NirConnection(string Name, string From, string To, NirConnectionKind Kind, int Delay, string Port, NirConvShape? Convolution, long[] Shape, float[] Weights);

/// <summary>A bias with its values.</summary>
internal sealed record NirBias(string Name, string To, string Port, float[] Values);

/// <summary>An imported declaration: layers in evaluation order, connections, biases, all values, and its C# source.</summary>
internal sealed class NirDeclaration(string className, double timeStep, IReadOnlyList<NirLayer> layers, IReadOnlyList<NirConnection> connections,
    IReadOnlyList<NirBias> biases, IReadOnlyList<string> conversions)
{
    public string ClassName { get; } = className;

    public double TimeStep { get; } = timeStep;

    public IReadOnlyList<NirLayer> Layers { get; } = layers;

    public IReadOnlyList<NirConnection> Connections { get; } = connections;

    public IReadOnlyList<NirBias> Biases { get; } = biases;

    /// <summary>One sentence per node: which built-in it became and with which converted parameters.</summary>
    public IReadOnlyList<string> Conversions { get; } = conversions;

    /// <summary>C# source of the <c>[Network]</c> declaration.</summary>
    public string Source { get; set; } = "";
}

/// <summary>
/// The NIR → SnnDsl conversion, one source compiled into the runtime (<c>NirImporter</c>, <c>snn import nir</c>)
/// and into the generator (<c>[NirNetwork]</c>), so that both produce the same declaration and values. Turns a NIR graph
/// into a declaration over built-in neurons (docs/exports.md has the table). Forward Euler with Δt is the
/// discretization (NIR's own reference and snnTorch's, reference note §1.3, §1.6): a time constant τ becomes the decay
/// 1 − Δt/τ, and the per-step gains of the inputs (r·Δt/τ, w_in·Δt/τ_syn) are folded into the incoming weights and
/// biases, per target neuron. Neurons SnnDsl wrote come back as the built-in named in their metadata; others follow
/// NIR's reset to v_reset: LIF and CubaLIF → NorseLif (Euler, same-step reset to v_reset, leak), IF →
/// SnnTorchLeakyZeroReset with β = 1 (v_reset = 0), LI and CubaLI → LeakyReadout. Subgraphs are flattened ("G.B");
/// Input and Output nodes of subgraphs and Flatten nodes pass values through; cycles get a one-step delay where
/// <see cref="NirOrder"/> puts it.
/// </summary>
internal static class NirConversion
{
    /// <summary>Converts a graph; <paramref name="modifiers"/> are the generated class's (e.g. "public", "internal sealed").</summary>
    /// <exception cref="NirImportException">A node has no SnnDsl equivalent or a field cannot be converted (node and field named).</exception>
    public static NirDeclaration Convert(NirGraph graph, NirImportOptions options, string modifiers = "public") =>
        new Converter(graph, options, modifiers).Run();

    /// <summary>Refuses a time step that is not positive and finite (also checked on [NirNetwork]'s TimeStep before the file is read).</summary>
    /// <exception cref="NirImportException">The time step, named as the graph's <c>metadata/dt</c>.</exception>
    public static void CheckTimeStep(double dt)
    {
        if (!(dt > 0) || double.IsInfinity(dt)) throw new NirImportException("(graph)", "metadata/dt", FormattableString.Invariant($"time step {dt} is not positive and finite."));
    }

    /// <summary>One route into a neuron node: its source, the weight node on it (none for a direct edge), the Delay steps, whether it closes a cycle, and the index of its last edge.</summary>
    private sealed record Chain(string Source, string? Weight, int Delay, bool Lagged, int LastEdge);

    private sealed class Converter(NirGraph graph, NirImportOptions options, string modifiers)
    {
        private readonly Dictionary<string, NirNode> _nodes = new(StringComparer.Ordinal);
        private readonly List<(string From, string To)> _edges = [];
        private readonly HashSet<string> _outputs = [];
        private readonly Dictionary<string, NirNode> _mergedCurrent = [];   // membrane LI node → the current LI node merged into it
        private readonly List<string> _conversions = [];
        private double _dt;

        private static NirImportException Fail(string node, string field, string problem) => new(node, field, problem);

        public NirDeclaration Run()
        {
            Flatten(graph, "");
            _dt = options.TimeStep ?? (graph.Metadata.TryGetValue("dt", out NirValue? dt) && dt.Text is null && dt.Count == 1 ? dt.Numbers[0]
                : throw Fail("(graph)", "metadata/dt", "the file records no time step; pass one (NirImportOptions.TimeStep, snn import nir --dt, [NirNetwork(…, TimeStep = …)])."));
            CheckTimeStep(_dt);
            RemovePassThrough();
            foreach (NirNode node in _nodes.Values) Classify(node);
            MergeLeakyIntegrators();

            List<string>? declared = graph.Metadata.TryGetValue(NirOrder.MetadataKey, out NirValue? o) && o.Text is { } orderText
                ? orderText.Split(',').Where(_nodes.ContainsKey).ToList() : null;
            (IReadOnlyList<string> order, ISet<int> lagged) = NirOrder.Evaluate(_nodes.Keys.ToList(), _edges, declared);
            var inputs = order.Where(n => _nodes[n].Type == "Input").ToList();
            var populations = order.Where(n => IsNeuron(_nodes[n].Type)).ToList();
            if (inputs.Count == 0) throw Fail("(graph)", "nodes", "the graph has no Input node.");
            if (populations.Count == 0) throw Fail("(graph)", "nodes", "the graph has no neuron node.");

            var names = new Names();
            foreach (string n in inputs.Concat(populations)) names.Claim(n);
            var layers = new List<NirLayer>();
            var sizes = new Dictionary<string, int>();
            foreach (string input in inputs)
            {
                sizes[input] = checked((int)Product(Need(_nodes[input], "shape")));
                layers.Add(new NirLayer(names[input], sizes[input], null, []));
            }
            var neurons = new Dictionary<string, (NirBuiltIn Neuron, double[] Gain)>();
            foreach (string p in populations)
            {
                (NirBuiltIn neuron, int size, double[] gain, List<(string Name, float[] Values)> parameters) = Neuron(p);
                sizes[p] = size;
                neurons[p] = (neuron, gain);
                layers.Add(new NirLayer(names[p], size, neuron, parameters));
            }

            var connections = new List<NirConnection>();
            var biases = new List<NirBias>();
            foreach (string target in populations)
            {
                List<Chain> paths = PathsInto(target, lagged).OrderBy(p => p.Lagged).ThenBy(p => p.LastEdge).ToList();   // this step's inputs first
                (NirBuiltIn neuron, double[] gain) = neurons[target];
                foreach (Chain path in paths)
                {
                    if (!sizes.ContainsKey(path.Source))
                        throw Fail(path.Source, "edges", $"feeds '{target}' but is neither an Input nor a spiking neuron node.");
                    int pre = sizes[path.Source], post = sizes[target];
                    int delay = path.Delay + (path.Lagged ? 1 : 0);
                    string from = names[path.Source], to = names[target];
                    NirNode? weight = path.Weight is null ? null : _nodes[path.Weight];
                    string kind = weight?.Metadata.TryGetValue(NirKeys.Kind, out NirValue? k) == true ? k.Text ?? "" : "";
                    string wanted = weight is null ? $"{from}To{to}"
                        : weight.Metadata.TryGetValue(NirKeys.Connection, out NirValue? cn) && cn.Text is { } text && !names.Contains(text) ? text : path.Weight!;
                    string name = names.Claim(wanted);
                    NirConnection descriptor;
                    switch (weight?.Type)
                    {
                        case null:
                            if (pre != post) throw Fail(path.Source, "edges", $"an edge straight into '{target}' needs equal sizes, but they are {pre} and {post}.");
                            descriptor = new NirConnection(name, from, to, NirConnectionKind.OneToOne, delay, neuron.Port, null, [post], gain.Select(g => (float)g).ToArray());
                            break;
                        case "Affine" or "Linear":
                            {
                                NirValue w = Need(weight, "weight");
                                if (w.Shape.Length != 2 || w.Shape[0] != post || w.Shape[1] != pre)
                                    throw Fail(weight.Name, "weight", $"has shape {NirValue.ShapeText(w.Shape)}; between '{path.Source}' ({pre}) and '{target}' ({post}) it must be ({post}, {pre}).");
                                if (kind == "one-to-one" && pre == post && OffDiagonalZero(w, post))
                                {
                                    var weights = new float[post];
                                    for (int i = 0; i < post; i++) weights[i] = Scaled(w.Numbers[i * pre + i], gain[i]);
                                    descriptor = new NirConnection(name, from, to, NirConnectionKind.OneToOne, delay, neuron.Port, null, [post], weights);
                                }
                                else
                                {
                                    var weights = new float[pre * post];
                                    for (int i = 0; i < post; i++)
                                        for (int j = 0; j < pre; j++) weights[j * post + i] = Scaled(w.Numbers[i * pre + j], gain[i]);
                                    descriptor = new NirConnection(name, from, to, NirConnectionKind.Dense, delay, neuron.Port, null, [pre, post], weights);
                                }
                                if (weight.Type == "Affine")
                                {
                                    NirValue b = Need(weight, "bias");
                                    if (b.Count != post) throw Fail(weight.Name, "bias", $"has {b.Count} values; '{target}' has {post} neurons.");
                                    string biasName = weight.Metadata.TryGetValue(NirKeys.Bias, out NirValue? bn) && bn.Text is { } bt && bt.IndexOf(',') < 0 && !names.Contains(bt) ? bt : name + "Bias";
                                    biasName = names.Claim(biasName);
                                    biases.Add(new NirBias(biasName, to, neuron.Port, Enumerable.Range(0, post).Select(i => Scaled(b.Numbers[i], gain[i])).ToArray()));
                                }
                                break;
                            }
                        case "Conv1d":
                            descriptor = Conv(weight, name, from, to, pre, post, delay, neuron.Port, gain, names, biases);
                            break;
                        default:
                            throw Fail(weight.Name, "type", $"'{weight.Type}' is not a weight node.");
                    }
                    connections.Add(descriptor);
                }
            }
            if (graph.Metadata.TryGetValue(NirKeys.Connections, out NirValue? declaredConnections) && declaredConnections.Text is { } list)
            {
                List<string> rank = list.Split(',').ToList();
                int Rank(string name) => rank.IndexOf(name) is var r && r >= 0 ? r : int.MaxValue;
                connections = connections.OrderBy(c => Rank(c.Name)).ToList();    // stable: unnamed ones keep their place at the end
            }
            var declaration = new NirDeclaration(options.ClassName, _dt, layers, connections, biases, _conversions);
            declaration.Source = Source(declaration);
            return declaration;
        }

        private static float Scaled(double value, double gain) => (float)(Math.Abs(gain - 1.0) < 1e-12 ? value : value * gain);

        private static bool OffDiagonalZero(NirValue w, int n)
        {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (i != j && w.Numbers[i * n + j] != 0) return false;
            return true;
        }

        private static NirConnection Conv(NirNode node, string name, string from, string to, int pre, int post, int delay, string port, double[] gain,
            Names names, List<NirBias> biases)
        {
            NirValue w = Need(node, "weight");
            if (w.Shape.Length != 3) throw Fail(node.Name, "weight", $"has shape {NirValue.ShapeText(w.Shape)}; Conv1d weights are (C_out, C_in, K).");
            int outChannels = (int)w.Shape[0], inChannels = (int)w.Shape[1], kernel = (int)w.Shape[2];
            int Int(string field, int fallback)
            {
                NirValue? v = node.Field(field);
                if (v is null) return fallback;
                if (v.Text is not null) throw Fail(node.Name, field, $"is '{v.Text}'; SnnDsl needs an explicit integer.");
                if (v.Numbers.Distinct().Count() != 1) throw Fail(node.Name, field, $"is {v}; SnnDsl needs one value.");
                return checked((int)v.Numbers[0]);
            }
            if (Int("dilation", 1) != 1) throw Fail(node.Name, "dilation", "must be 1; SnnDsl's Conv1d has no dilation.");
            if (Int("groups", 1) != 1) throw Fail(node.Name, "groups", "must be 1; SnnDsl's Conv1d has no groups.");
            int stride = Int("stride", 1), padding = Int("padding", 0);
            int inLength = pre / inChannels;
            if (inLength * inChannels != pre) throw Fail(node.Name, "weight", $"has {inChannels} input channels, which do not divide the {pre} inputs.");
            if (node.Field("input_shape") is { } shapeField && shapeField.Numbers.Length > 0 && (int)shapeField.Numbers[0] != inLength)
                throw Fail(node.Name, "input_shape", $"is {shapeField.Numbers[0]}, but the source gives {inLength} positions per channel.");
            int outLength = (inLength + 2 * padding - kernel) / stride + 1;
            if (outChannels * outLength != post)
                throw Fail(node.Name, "weight", $"gives [{outChannels}×{outLength}] = {outChannels * outLength} outputs; the target has {post}.");
            var weights = new float[w.Numbers.Length];
            for (int o = 0; o < outChannels; o++)
            {
                double g = gain[o * outLength];
                for (int p = 1; p < outLength; p++)
                    if (gain[o * outLength + p] != g) throw Fail(node.Name, "weight", $"the target's input gain varies within channel {o}; convolution weights are shared across positions.");
                for (int k = 0; k < inChannels * kernel; k++) weights[o * inChannels * kernel + k] = Scaled(w.Numbers[o * inChannels * kernel + k], g);
            }
            if (node.Field("bias") is { } bias && bias.Numbers.Any(b => b != 0))
            {
                if (bias.Count != outChannels) throw Fail(node.Name, "bias", $"has {bias.Count} values for {outChannels} output channels.");
                string biasName = names.Claim(name + "Bias");
                biases.Add(new NirBias(biasName, to, port, Enumerable.Range(0, post).Select(i => Scaled(bias.Numbers[i / outLength], gain[i])).ToArray()));
            }
            var shape = new NirConvShape(inChannels, inLength, outChannels, outLength, kernel, stride, padding);
            return new NirConnection(name, from, to, NirConnectionKind.Conv1d, delay, port, shape, [outChannels, inChannels, kernel], weights);
        }

        /// <summary>Every path source → [Delay…] → [weights] → [Delay…] → target, with its total delay and whether a lagged edge is on it.</summary>
        private List<Chain> PathsInto(string target, ISet<int> lagged)
        {
            var paths = new List<Chain>();
            for (int e = 0; e < _edges.Count; e++)
                if (_edges[e].To == target) Walk(_edges[e].From, e, null, 0, lagged.Contains(e), e, paths, lagged, depth: 0);
            return paths;
        }

        private void Walk(string node, int edge, string? weight, int delay, bool isLagged, int lastEdge, List<Chain> paths, ISet<int> lagged, int depth)
        {
            NirNode n = _nodes[node];
            if (depth > _nodes.Count) throw Fail(node, "edges", "lies on a cycle of weight and delay nodes without a neuron.");
            switch (n.Type)
            {
                case "Input":
                case var t when IsNeuron(t):
                    if (n.Type is "LI" or "CubaLI")
                        throw Fail(node, "edges", $"feeds another node, but {n.Type} does not spike; SnnDsl connections carry spikes.");
                    paths.Add(new Chain(node, weight, delay, isLagged, lastEdge));
                    return;
                case "Delay":
                    delay += DelaySteps(n);
                    break;
                case "Affine" or "Linear" or "Conv1d":
                    if (weight is not null) throw Fail(node, "edges", $"feeds weight node '{weight}'; SnnDsl connections have one weight matrix (compose them first).");
                    weight = node;
                    break;
                default:
                    throw Fail(node, "type", $"'{n.Type}' has no SnnDsl equivalent here.");
            }
            var incoming = Enumerable.Range(0, _edges.Count).Where(e => _edges[e].To == node).ToList();
            if (incoming.Count != 1)
                throw Fail(node, "edges", $"has {incoming.Count} inputs; a {n.Type} node between neurons needs exactly one.");
            int e = incoming[0];
            Walk(_edges[e].From, e, weight, delay, isLagged || lagged.Contains(e), lastEdge, paths, lagged, depth + 1);
        }

        private int DelaySteps(NirNode node)
        {
            NirValue d = Need(node, "delay");
            double first = d.Numbers.Length > 0 ? d.Numbers[0] : 0;
            if (d.Numbers.Any(v => v != first)) throw Fail(node.Name, "delay", "differs between elements; SnnDsl gives a connection one delay.");
            double steps = first / _dt;
            long rounded = (long)Math.Round(steps);
            if (rounded < 0 || Math.Abs(steps - rounded) > 1e-6 * Math.Max(1, Math.Abs(steps)))
                throw Fail(node.Name, "delay", FormattableString.Invariant($"is {first} s = {steps} steps of {_dt} s; it must be a whole, non-negative number of steps."));
            return checked((int)rounded);
        }

        private static bool IsNeuron(string type) => type is "LIF" or "CubaLIF" or "LI" or "CubaLI" or "IF";

        private static NirValue Need(NirNode node, string field) =>
            node.Field(field) ?? throw new NirImportException(node.Name, field, $"is missing; a {node.Type} node has it.");

        private static long Product(NirValue shape) => shape.Numbers.Aggregate(1L, (a, b) => a * (long)b);

        private void Classify(NirNode node)
        {
            if (node.Type is "Input" or "Delay" or "Affine" or "Linear" or "Conv1d" || IsNeuron(node.Type)) return;
            throw Fail(node.Name, "type", $"'{node.Type}' has no SnnDsl equivalent (supported: Input, Output, Affine, Linear, Conv1d, Delay, Flatten, LIF, CubaLIF, IF, LI, CubaLI, nested NIRGraph).");
        }

        /// <summary>Flattens nested graphs into "G.B" names; Input/Output nodes of subgraphs, top-level Outputs and Flatten nodes become pass-throughs.</summary>
        private void Flatten(NirGraph g, string prefix)
        {
            var inner = new Dictionary<string, (List<string> Inputs, List<string> Outputs)>();
            foreach (NirNode node in g.Nodes)
            {
                string name = prefix + node.Name;
                if (node.Subgraph is { } sub)
                {
                    Flatten(sub, name + ".");
                    inner[node.Name] = (sub.Nodes.Where(n => n.Type == "Input").Select(n => name + "." + n.Name).ToList(),
                                        sub.Nodes.Where(n => n.Type == "Output").Select(n => name + "." + n.Name).ToList());
                    continue;
                }
                string type = node.Type;
                if (prefix.Length > 0 && type is "Input" or "Output") type = "PassThrough";
                else if (type == "Flatten") type = "PassThrough";
                else if (type == "Output") { _outputs.Add(name); type = "PassThrough"; }
                if (_nodes.ContainsKey(name)) throw Fail(name, "(name)", "two nodes have this name once subgraphs are flattened.");
                _nodes.Add(name, new NirNode(name, type, node.Fields, node.Metadata));
            }
            foreach ((string from, string to) in g.Edges)
            {
                string source = inner.TryGetValue(from, out var f) ? Single(f.Outputs, from, "Output") : prefix + from;
                string target = inner.TryGetValue(to, out var t) ? Single(t.Inputs, to, "Input") : prefix + to;
                _edges.Add((source, target));
            }
        }

        private static string Single(List<string> ports, string graphNode, string kind) => ports.Count == 1 ? ports[0]
            : throw new NirImportException(graphNode, "nodes", $"an edge reaches subgraph '{graphNode}' as a whole, so it needs exactly one {kind} node, but it has {ports.Count}.");

        /// <summary>Replaces every pass-through node by edges from each of its sources to each of its targets, in place.</summary>
        private void RemovePassThrough()
        {
            while (_nodes.Values.FirstOrDefault(n => n.Type == "PassThrough") is { } pass)
            {
                var targets = _edges.Where(e => e.From == pass.Name).Select(e => e.To).ToList();
                var rewritten = new List<(string, string)>();
                foreach ((string from, string to) in _edges)
                {
                    if (from == pass.Name) continue;
                    if (to == pass.Name)
                    {
                        if (from == pass.Name) continue;
                        foreach (string t in targets) rewritten.Add((from, t));
                    }
                    else rewritten.Add((from, to));
                }
                _edges.Clear();
                _edges.AddRange(rewritten);
                _nodes.Remove(pass.Name);
            }
        }

        /// <summary>An LI whose only edge goes to an LI that has no other input is a current feeding a membrane: one LeakyReadout.</summary>
        private void MergeLeakyIntegrators()
        {
            foreach (NirNode current in _nodes.Values.Where(n => n.Type == "LI").ToList())
            {
                var outgoing = _edges.Where(e => e.From == current.Name).ToList();
                if (outgoing.Count != 1 || outgoing[0].To == current.Name) continue;
                NirNode membrane = _nodes[outgoing[0].To];
                if (membrane.Type != "LI" || _edges.Count(e => e.To == membrane.Name) != 1 || _mergedCurrent.ContainsKey(current.Name)) continue;
                _mergedCurrent[membrane.Name] = current;
                _nodes.Remove(current.Name);
                for (int e = 0; e < _edges.Count; e++)
                    if (_edges[e].To == current.Name) _edges[e] = (_edges[e].From, membrane.Name);
                _edges.Remove(outgoing[0]);
            }
        }

        private double[] Uniform(NirNode node, string field, int size, double? fallback = null)
        {
            NirValue? v = node.Field(field);
            if (v is null)
            {
                if (fallback is { } f) return Enumerable.Repeat(f, size).ToArray();
                throw Fail(node.Name, field, $"is missing; a {node.Type} node has it.");
            }
            if (v.Count != size) throw Fail(node.Name, field, $"has {v.Count} values; the node's other parameters have {size}.");
            return v.Numbers;
        }

        private double Shared(NirNode node, string field, int size, string builtIn, double? fallback = null)
        {
            double[] values = Uniform(node, field, size, fallback);
            if (values.Any(x => x != values[0]))
                throw Fail(node.Name, field, FormattableString.Invariant($"varies across the {size} neurons ({values.Min()} … {values.Max()}); the built-in {builtIn} shares it."));
            return values[0];
        }

        /// <summary>The decay 1 − Δt/τ, checked to lie in [0, 1).</summary>
        private float Decay(NirNode node, string field, double tau)
        {
            if (!(tau > 0)) throw Fail(node.Name, field, FormattableString.Invariant($"is {tau}; a time constant must be positive."));
            double decay = 1.0 - _dt / tau;
            if (decay < 0) throw Fail(node.Name, field, FormattableString.Invariant($"is {tau} s, shorter than the time step {_dt} s: forward Euler would overshoot (Δt/τ = {_dt / tau}); pass the time step the file was written with."));
            return (float)decay;
        }

        private void RequireZero(NirNode node, string field, int size, string why)
        {
            double[] values = Uniform(node, field, size, 0);
            if (values.Any(x => x != 0)) throw Fail(node.Name, field, FormattableString.Invariant($"is {values.First(x => x != 0)}, but {why}."));
        }

        private (NirBuiltIn Neuron, int Size, double[] Gain, List<(string Name, float[] Values)> Parameters) Neuron(string name)
        {
            NirNode node = _nodes[name];
            string? builtIn = node.Metadata.TryGetValue(NirKeys.Neuron, out NirValue? b) ? b.Text : null;
            string[] sizing = node.Type switch { "IF" => ["v_threshold", "r"], "LI" => ["tau", "r"], "CubaLI" => ["tau_mem", "r"], "LIF" => ["tau", "r", "v_threshold"], _ => ["tau_mem", "tau_syn", "r", "v_threshold"] };
            int size = checked((int)Need(node, sizing[0]).Count);
            string Text(NirBuiltIn d, params (string Name, float Value)[] p) =>
                $"node '{name}' ({node.Type}) → {d.Name}: " + string.Join(", ", p.Select(x => FormattableString.Invariant($"{x.Name} = {x.Value:R}")));
            List<(string, float[])> Values(NirBuiltIn d, params (string Name, float Value)[] p)
            {
                _conversions.Add(Text(d, p));
                return d.Parameters.Select(q => (q, new[] { p.First(x => x.Name == q).Value })).ToList();
            }
            double[] Gain(Func<int, double> g) => Enumerable.Range(0, size).Select(g).ToArray();

            if (_mergedCurrent.TryGetValue(name, out NirNode? current))
            {
                double tauSyn = Shared(current, "tau", size, "LeakyReadout"), tauMem = Shared(node, "tau", size, "LeakyReadout");
                RequireZero(current, "v_leak", size, "LeakyReadout has no leak potential");
                RequireZero(node, "v_leak", size, "LeakyReadout has no leak potential");
                double[] rs = Uniform(current, "r", size), rm = Uniform(node, "r", size);
                var parameters = Values(NirBuiltIn.LeakyReadout, ("Alpha", Decay(current, "tau", tauSyn)), ("Beta", Decay(node, "tau", tauMem)));
                return (NirBuiltIn.LeakyReadout, size, Gain(i => rs[i] * _dt / tauSyn * rm[i] * _dt / tauMem), parameters);
            }
            switch (node.Type)
            {
                case "LIF" when builtIn == "Lif":
                    {
                        double tau = Shared(node, "tau", size, "Lif");
                        RequireZero(node, "v_leak", size, "Lif has no leak potential");
                        double[] r = Uniform(node, "r", size);
                        return (NirBuiltIn.Lif, size, Gain(i => r[i] * _dt / tau),
                            Values(NirBuiltIn.Lif, ("Beta", Decay(node, "tau", tau)), ("Threshold", (float)Shared(node, "v_threshold", size, "Lif"))));
                    }
                case "IF" when builtIn == "Lif":
                    {
                        double[] r = Uniform(node, "r", size);
                        return (NirBuiltIn.Lif, size, Gain(i => r[i] * _dt), Values(NirBuiltIn.Lif, ("Beta", 1f), ("Threshold", (float)Shared(node, "v_threshold", size, "Lif"))));
                    }
                case "CubaLIF" when builtIn == "CubaLif":
                    {
                        double tauSyn = Shared(node, "tau_syn", size, "CubaLif"), tauMem = Shared(node, "tau_mem", size, "CubaLif");
                        RequireZero(node, "v_leak", size, "CubaLif has no leak potential");
                        double[] r = Uniform(node, "r", size), wIn = Uniform(node, "w_in", size, 1);
                        return (NirBuiltIn.CubaLif, size, Gain(i => wIn[i] * _dt / tauSyn * r[i] * _dt / tauMem),
                            Values(NirBuiltIn.CubaLif, ("Alpha", Decay(node, "tau_syn", tauSyn)), ("Beta", Decay(node, "tau_mem", tauMem)),
                                ("Threshold", (float)Shared(node, "v_threshold", size, "CubaLif"))));
                    }
                case "CubaLIF":
                    {
                        double tauSyn = Shared(node, "tau_syn", size, "NorseLif"), tauMem = Shared(node, "tau_mem", size, "NorseLif");
                        Decay(node, "tau_syn", tauSyn);
                        Decay(node, "tau_mem", tauMem);
                        double[] r = Uniform(node, "r", size), wIn = Uniform(node, "w_in", size, 1);
                        float dt = (float)_dt;
                        return (NirBuiltIn.NorseLif, size, Gain(i => r[i] * wIn[i] * _dt / tauSyn),
                            Values(NirBuiltIn.NorseLif, ("Dt", dt), ("TauMemInv", (float)(_dt / (tauMem * dt))), ("TauSynInv", (float)(_dt / (tauSyn * dt))),
                                ("VLeak", (float)Shared(node, "v_leak", size, "NorseLif")), ("VTh", (float)Shared(node, "v_threshold", size, "NorseLif")),
                                ("VReset", (float)Shared(node, "v_reset", size, "NorseLif", 0))));
                    }
                case "LIF":
                    {
                        double tau = Shared(node, "tau", size, "NorseLif");
                        Decay(node, "tau", tau);
                        double[] r = Uniform(node, "r", size);
                        float dt = (float)_dt;
                        return (NirBuiltIn.NorseLif, size, Gain(i => r[i]),
                            Values(NirBuiltIn.NorseLif, ("Dt", dt), ("TauMemInv", (float)(_dt / (tau * dt))), ("TauSynInv", 1f / dt),
                                ("VLeak", (float)Shared(node, "v_leak", size, "NorseLif")), ("VTh", (float)Shared(node, "v_threshold", size, "NorseLif")),
                                ("VReset", (float)Shared(node, "v_reset", size, "NorseLif", 0))));
                    }
                case "IF":
                    {
                        RequireZero(node, "v_reset", size, "the built-in that resets an integrate-and-fire neuron (SnnTorchLeakyZeroReset, β = 1) resets to 0");
                        double[] r = Uniform(node, "r", size);
                        return (NirBuiltIn.SnnTorchLeakyZeroReset, size, Gain(i => r[i] * _dt),
                            Values(NirBuiltIn.SnnTorchLeakyZeroReset, ("Beta", 1f), ("Threshold", (float)Shared(node, "v_threshold", size, "SnnTorchLeakyZeroReset"))));
                    }
                case "LI":
                    {
                        double tau = Shared(node, "tau", size, "LeakyReadout");
                        RequireZero(node, "v_leak", size, "LeakyReadout has no leak potential");
                        double[] r = Uniform(node, "r", size);
                        return (NirBuiltIn.LeakyReadout, size, Gain(i => r[i] * _dt / tau), Values(NirBuiltIn.LeakyReadout, ("Alpha", 0f), ("Beta", Decay(node, "tau", tau))));
                    }
                case "CubaLI":
                    {
                        double tauSyn = Shared(node, "tau_syn", size, "LeakyReadout"), tauMem = Shared(node, "tau_mem", size, "LeakyReadout");
                        RequireZero(node, "v_leak", size, "LeakyReadout has no leak potential");
                        double[] r = Uniform(node, "r", size), wIn = Uniform(node, "w_in", size, 1);
                        return (NirBuiltIn.LeakyReadout, size, Gain(i => wIn[i] * _dt / tauSyn * r[i] * _dt / tauMem),
                            Values(NirBuiltIn.LeakyReadout, ("Alpha", Decay(node, "tau_syn", tauSyn)), ("Beta", Decay(node, "tau_mem", tauMem))));
                    }
                default:
                    throw Fail(name, "type", $"'{node.Type}' is not a neuron type SnnDsl imports.");
            }
        }

        private string Source(NirDeclaration d)
        {
            var s = new StringBuilder();
            string dt = d.TimeStep.ToString("R", CultureInfo.InvariantCulture);
            s.Append("// <auto-generated/>\n");
            s.Append($"// Imported by SnnDsl from a NIR graph (version {graph.Version ?? "?"}) with Δt = {dt} s, forward Euler.\n");
            foreach (string c in _conversions) s.Append("// ").Append(c).Append('\n');
            s.Append("// The weights (with each node's input gain folded in) and these parameters are in the model file written with\n");
            s.Append("// this declaration: ModelFile.Load(network, path).\n");
            s.Append("using SnnDsl;\nusing SnnDsl.Neurons;\n\n");
            if (options.Namespace.Length > 0) s.Append($"namespace {options.Namespace};\n\n");
            s.Append($"/// <summary>A network imported from NIR; its NIR outputs are {(_outputs.Count == 0 ? "not marked" : string.Join(", ", _outputs))}.</summary>\n");
            s.Append($"[Network(TimeStep = {dt})]\n");
            s.Append($"{modifiers} partial class {options.ClassName}\n{{\n");
            foreach (NirLayer layer in d.Layers)
            {
                s.Append(layer.Neuron is null
                    ? $"    [Input({layer.Size})] public partial SpikeInput {layer.Name} {{ get; }}\n"
                    : $"    [Population({layer.Size})] public partial Population<{layer.Neuron.Name}> {layer.Name} {{ get; }}\n");
            }
            var order = d.Layers.Select(l => l.Name).ToList();
            foreach (NirConnection c in d.Connections)
            {
                int minimum = order.IndexOf(c.From) < order.IndexOf(c.To) ? 0 : 1;
                string delay = c.Delay == minimum ? "" : $", Delay = {c.Delay}";
                string line = c.Kind switch
                {
                    NirConnectionKind.Dense => $"    [Dense(nameof({c.From}), nameof({c.To}){delay})] public partial DenseSynapses {c.Name} {{ get; }}\n",
                    NirConnectionKind.OneToOne => $"    [OneToOne(nameof({c.From}), nameof({c.To}){delay})] public partial OneToOneSynapses {c.Name} {{ get; }}\n",
                    _ => $"    [Conv1d(nameof({c.From}), nameof({c.To}), InChannels = {c.Convolution!.InChannels}, OutChannels = {c.Convolution.OutChannels}, KernelSize = {c.Convolution.KernelSize}, Stride = {c.Convolution.Stride}, Padding = {c.Convolution.Padding}{delay})] public partial Conv1dSynapses {c.Name} {{ get; }}\n",
                };
                s.Append(line);
            }
            foreach (NirBias b in d.Biases) s.Append($"    [Bias(nameof({b.To}))] public partial Bias {b.Name} {{ get; }}\n");
            s.Append("}\n");
            return s.ToString();
        }
    }

    /// <summary>C# identifiers for node names, unique; a valid identifier stays as it is.</summary>
    private sealed class Names
    {
        private readonly Dictionary<string, string> _map = [];
        private readonly HashSet<string> _used = [];

        public string this[string node] => _map[node];

        public bool Contains(string identifier) => _used.Contains(identifier);

        public string Claim(string node)
        {
            if (_map.TryGetValue(node, out string? existing)) return existing;
            string wanted = Identifier(node);
            string name = wanted;
            for (int k = 2; !_used.Add(name); k++) name = wanted + k.ToString(CultureInfo.InvariantCulture);
            _map[node] = name;
            return name;
        }

        /// <summary>C#'s reserved keywords, which cannot name a property.</summary>
        private static readonly HashSet<string> Keywords =
        [
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue", "decimal",
            "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally", "fixed", "float", "for",
            "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new", "null",
            "object", "operator", "out", "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte",
            "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
            "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
        ];

        private static string Identifier(string text)
        {
            bool valid = text.Length > 0 && (IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => IsAsciiLetterOrDigit(c) || c == '_');
            if (valid && !Keywords.Contains(text)) return text;
            var s = new StringBuilder();
            var part = new StringBuilder();
            foreach (char c in text.Append(' '))
            {
                if (IsAsciiLetterOrDigit(c)) { part.Append(c); continue; }
                if (part.Length == 0) continue;
                s.Append(char.ToUpperInvariant(part[0])).Append(part.ToString(1, part.Length - 1));
                part.Clear();
            }
            if (s.Length == 0 || !IsAsciiLetter(s[0])) s.Insert(0, 'N');
            return s.ToString();
        }

        private static bool IsAsciiLetter(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';

        private static bool IsAsciiLetterOrDigit(char c) => IsAsciiLetter(c) || c is >= '0' and <= '9';
    }
}
