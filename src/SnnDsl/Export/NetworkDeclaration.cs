using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SnnDsl.Export;

/// <summary>
/// The declaration of a network as canonical text: every layer, neuron and synapse model (with the IR of its
/// dynamics), connection, port, delay and bias, one item per line, in declaration order. Model files and checkpoints
/// carry it, so that a file can be checked against the network it is loaded into, and exported or inspected without
/// the assembly that declared the network. The text parses back into a <see cref="NetworkDescriptor"/>.
/// </summary>
/// <remarks>
/// The fingerprint is the SHA-256 of the text without its <c>network</c> line: renaming the network class keeps its
/// files loadable; any change of structure, time step, model, parameter declaration or dynamics does not.
/// Sparse patterns are data, not declaration: model files store their indices and delays as tensors.
/// </remarks>
public static class NetworkDeclaration
{
    /// <summary>The first line of every declaration text, with the version of the text form.</summary>
    public const string Header = "snndsl-declaration 1";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The canonical text of <paramref name="network"/> (lines end with <c>\n</c>).</summary>
    public static string ToText(NetworkDescriptor network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("network ").Append(network.Name).Append('\n');
        text.Append(StructureText(network));
        return text.ToString();
    }

    /// <summary>The SHA-256 fingerprint of the declaration (everything but the network's name), 32 bytes.</summary>
    public static byte[] Fingerprint(NetworkDescriptor network) =>
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(StructureText(network)));

    /// <summary>The fingerprint as lower-case hexadecimal.</summary>
    public static string FingerprintHex(NetworkDescriptor network) => Convert.ToHexStringLower(Fingerprint(network));

    private static string StructureText(NetworkDescriptor network)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line("time-step " + network.TimeStep.ToString("R", Invariant));
        foreach (LayerDescriptor layer in network.Layers)
            Line(layer.Neuron is null ? $"input {layer.Name} {Int(layer.Size)}" : $"population {layer.Name} {Int(layer.Size)} {layer.Neuron.Name}");
        foreach (ConnectionDescriptor c in network.Connections)
        {
            string line = $"connection {c.Name} {c.From} {c.To} {KindName(c.Kind)} delay {Int(c.Delay)} {Int(c.MaxDelay)} port {c.Port} synapse {c.Synapse?.Name ?? "-"}";
            if (c.Convolution is { } s)
                line += $" conv {Int(s.InChannels)} {Int(s.InLength)} {Int(s.OutChannels)} {Int(s.OutLength)} {Int(s.KernelSize)} {Int(s.Stride)} {Int(s.Padding)}";
            Line(line);
        }
        foreach (BiasDescriptor b in network.Biases) Line($"bias {b.Name} {b.To} {b.Port}");

        // Every model once, in order of first use.
        var neurons = new List<NeuronDescriptor>();
        foreach (LayerDescriptor layer in network.Layers)
            if (layer.Neuron is { } n && !neurons.Any(m => m.Name == n.Name)) neurons.Add(n);
        foreach (NeuronDescriptor n in neurons)
        {
            Line("neuron " + n.Name);
            foreach (string s in n.States) Line("  state " + s + (n.InitialValue(s) == 0f ? "" : " initial " + n.InitialValue(s).ToString("R", Invariant)));
            if (n.PreviousSpike is { } previous) Line("  previous-spike " + previous);
            foreach (string p in n.Ports) Line("  port " + p);
            foreach (ParamDescriptor p in n.Parameters) Line("  " + ParamText(p));
            Line("  integrate " + n.Integrate);
            if (n.Fires is { } fires) Line("  fires " + fires);
            if (n.Reset is { } reset) Line("  reset " + reset);
            if (n.Surrogate is { } surrogate)
            {
                Line("  surrogate " + surrogate.Name);
                foreach (ParamDescriptor p in surrogate.Parameters) Line("  surrogate-" + ParamText(p));
                Line("  surrogate-derivative " + surrogate.Derivative);
            }
            Line("  attach-reset-gradient " + (n.AttachResetGradient ? "true" : "false"));
        }
        var synapses = new List<SynapseDescriptor>();
        foreach (ConnectionDescriptor c in network.Connections)
            if (c.Synapse is { } s && !synapses.Any(m => m.Name == s.Name)) synapses.Add(s);
        foreach (SynapseDescriptor s in synapses)
        {
            Line("synapse " + s.Name);
            foreach (string state in s.States) Line("  state " + state);
            foreach (ParamDescriptor p in s.Parameters) Line("  " + ParamText(p));
            Line("  drive " + s.Drive);
            foreach (PostsynapticRead read in s.Postsynaptic) Line($"  postsynaptic {read.Input} {read.State}");
            Line("  deliver " + s.Deliver);
            Line("  current " + s.Current);
        }
        return text.ToString();
    }

    private static string ParamText(ParamDescriptor p) =>
        $"param {p.Name} {p.DefaultValue.ToString("R", Invariant)} {(p.PerNeuron ? "per-neuron" : "shared")} {(p.Trainable ? "trainable" : "fixed")}";

    private static string Int(int value) => value.ToString(Invariant);

    /// <summary>The name a connection kind has in declaration texts and NIR metadata.</summary>
    public static string KindName(ConnectionKind kind) => kind switch
    {
        ConnectionKind.Dense => "dense",
        ConnectionKind.Sparse => "sparse",
        ConnectionKind.OneToOne => "one-to-one",
        ConnectionKind.Conv1d => "conv1d",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown connection kind."),
    };

    private static ConnectionKind ParseKind(string name, int line) => name switch
    {
        "dense" => ConnectionKind.Dense,
        "sparse" => ConnectionKind.Sparse,
        "one-to-one" => ConnectionKind.OneToOne,
        "conv1d" => ConnectionKind.Conv1d,
        _ => throw new FormatException($"Declaration line {line}: unknown connection kind '{name}'."),
    };

    /// <summary>Parses a declaration text written by <see cref="ToText"/>.</summary>
    /// <exception cref="FormatException">The text is not a declaration, or a line is malformed (the message names the line).</exception>
    public static NetworkDescriptor Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] lines = text.Split('\n');
        if (lines.Length == 0 || lines[0] != Header)
            throw new FormatException($"A declaration starts with '{Header}', not '{(lines.Length == 0 ? "" : lines[0])}'.");
        string? name = null;
        double? timeStep = null;
        var layers = new List<(string Name, int Size, string? Neuron)>();
        var connections = new List<(string Line, int Number)>();
        var biases = new List<BiasDescriptor>();
        var neurons = new Dictionary<string, NeuronDescriptor>();
        var synapses = new Dictionary<string, SynapseDescriptor>();
        int i = 1;
        while (i < lines.Length)
        {
            string line = lines[i];
            int number = i + 1;
            if (line.Length == 0) { i++; continue; }
            string[] w = line.Split(' ');
            switch (w[0])
            {
                case "network":
                    name = Arity(w, 2, number)[1];
                    i++;
                    break;
                case "time-step":
                    timeStep = ParseDouble(Arity(w, 2, number)[1], number);
                    i++;
                    break;
                case "input":
                    Arity(w, 3, number);
                    layers.Add((w[1], ParseInt(w[2], number), null));
                    i++;
                    break;
                case "population":
                    Arity(w, 4, number);
                    layers.Add((w[1], ParseInt(w[2], number), w[3]));
                    i++;
                    break;
                case "connection":
                    connections.Add((line, number));
                    i++;
                    break;
                case "bias":
                    Arity(w, 4, number);
                    biases.Add(new BiasDescriptor(w[1], w[2], w[3]));
                    i++;
                    break;
                case "neuron":
                    {
                        NeuronDescriptor neuron = ParseNeuron(Arity(w, 2, number)[1], lines, ref i);
                        neurons[neuron.Name] = neuron;
                        break;
                    }
                case "synapse":
                    {
                        SynapseDescriptor synapse = ParseSynapse(Arity(w, 2, number)[1], lines, ref i);
                        synapses[synapse.Name] = synapse;
                        break;
                    }
                default:
                    throw new FormatException($"Declaration line {number}: unknown item '{w[0]}'.");
            }
        }
        if (name is null) throw new FormatException("The declaration has no 'network' line.");
        if (timeStep is null) throw new FormatException("The declaration has no 'time-step' line.");

        var layerDescriptors = layers.Select(l => new LayerDescriptor(l.Name, l.Size,
            l.Neuron is null ? null : neurons.TryGetValue(l.Neuron, out NeuronDescriptor? n) ? n
                : throw new FormatException($"Population '{l.Name}' uses neuron '{l.Neuron}', which the declaration does not define."))).ToList();
        var connectionDescriptors = new List<ConnectionDescriptor>();
        foreach ((string line, int number) in connections)
        {
            string[] w = line.Split(' ');
            if (w.Length != 12 && w.Length != 20 || w[5] != "delay" || w[8] != "port" || w[10] != "synapse")
                throw new FormatException($"Declaration line {number}: malformed connection '{line}'.");
            ConnectionKind kind = ParseKind(w[4], number);
            SynapseDescriptor? synapse = w[11] == "-" ? null
                : synapses.TryGetValue(w[11], out SynapseDescriptor? s) ? s
                : throw new FormatException($"Declaration line {number}: connection '{w[1]}' uses synapse '{w[11]}', which the declaration does not define.");
            ConvShape? conv = null;
            if (w.Length == 20)
            {
                if (w[12] != "conv") throw new FormatException($"Declaration line {number}: malformed connection '{line}'.");
                conv = new ConvShape(ParseInt(w[13], number), ParseInt(w[14], number), ParseInt(w[15], number), ParseInt(w[16], number),
                    ParseInt(w[17], number), ParseInt(w[18], number), ParseInt(w[19], number));
            }
            if ((kind == ConnectionKind.Conv1d) != (conv is not null))
                throw new FormatException($"Declaration line {number}: a conv1d connection, and only one, gives its convolution shape.");
            connectionDescriptors.Add(new ConnectionDescriptor(w[1], w[2], w[3], kind, ParseInt(w[6], number), ParseInt(w[7], number), w[9], synapse, conv));
        }
        return new NetworkDescriptor(name, timeStep.Value, layerDescriptors, connectionDescriptors, biases);
    }

    private static NeuronDescriptor ParseNeuron(string name, string[] lines, ref int i)
    {
        var states = new List<string>();
        var initial = new List<float>();
        var ports = new List<string>();
        var parameters = new List<ParamDescriptor>();
        var surrogateParameters = new List<ParamDescriptor>();
        string? previous = null, integrate = null, fires = null, reset = null, surrogate = null, derivative = null;
        bool attach = false;
        for (i++; i < lines.Length && lines[i].StartsWith("  ", StringComparison.Ordinal); i++)
        {
            int number = i + 1;
            (string key, string rest) = KeyValue(lines[i], number);
            switch (key)
            {
                case "state":
                    string[] state = rest.Split(' ');
                    if (state.Length is not (1 or 3) || (state.Length == 3 && state[1] != "initial"))
                        throw new FormatException($"Declaration line {number}: malformed state '{rest}'.");
                    states.Add(state[0]);
                    initial.Add(state.Length == 3 ? ParseFloat(state[2], number) : 0f);
                    break;
                case "previous-spike": previous = rest; break;
                case "port": ports.Add(rest); break;
                case "param": parameters.Add(ParseParam(rest, number)); break;
                case "integrate": integrate = rest; break;
                case "fires": fires = rest; break;
                case "reset": reset = rest; break;
                case "surrogate": surrogate = rest; break;
                case "surrogate-param": surrogateParameters.Add(ParseParam(rest, number)); break;
                case "surrogate-derivative": derivative = rest; break;
                case "attach-reset-gradient": attach = rest == "true"; break;
                default: throw new FormatException($"Declaration line {number}: unknown neuron item '{key}'.");
            }
        }
        if (integrate is null) throw new FormatException($"Neuron '{name}' has no 'integrate' line.");
        SurrogateDescriptor? surrogateDescriptor = surrogate is null ? null
            : new SurrogateDescriptor(surrogate, surrogateParameters, derivative ?? throw new FormatException($"Neuron '{name}': surrogate '{surrogate}' has no derivative."));
        return new NeuronDescriptor(name, states, parameters, ports, previous, integrate, fires, reset, surrogateDescriptor, attach,
            InitialValues: initial.Any(v => v != 0f) ? initial : null);
    }

    private static SynapseDescriptor ParseSynapse(string name, string[] lines, ref int i)
    {
        var states = new List<string>();
        var parameters = new List<ParamDescriptor>();
        var reads = new List<PostsynapticRead>();
        string? drive = null, deliver = null, current = null;
        for (i++; i < lines.Length && lines[i].StartsWith("  ", StringComparison.Ordinal); i++)
        {
            int number = i + 1;
            (string key, string rest) = KeyValue(lines[i], number);
            switch (key)
            {
                case "state": states.Add(rest); break;
                case "param": parameters.Add(ParseParam(rest, number)); break;
                case "drive": drive = rest; break;
                case "postsynaptic":
                    string[] pair = rest.Split(' ');
                    if (pair.Length != 2) throw new FormatException($"Declaration line {number}: 'postsynaptic' needs an input and a state.");
                    reads.Add(new PostsynapticRead(pair[0], pair[1]));
                    break;
                case "deliver": deliver = rest; break;
                case "current": current = rest; break;
                default: throw new FormatException($"Declaration line {number}: unknown synapse item '{key}'.");
            }
        }
        return new SynapseDescriptor(name, states, parameters,
            drive ?? throw new FormatException($"Synapse '{name}' has no 'drive' line."), reads,
            deliver ?? throw new FormatException($"Synapse '{name}' has no 'deliver' line."),
            current ?? throw new FormatException($"Synapse '{name}' has no 'current' line."));
    }

    private static (string Key, string Value) KeyValue(string line, int number)
    {
        string body = line[2..];
        int space = body.IndexOf(' ');
        if (space <= 0) throw new FormatException($"Declaration line {number}: '{line}' has no value.");
        return (body[..space], body[(space + 1)..]);
    }

    private static ParamDescriptor ParseParam(string text, int number)
    {
        string[] w = text.Split(' ');
        if (w.Length != 4 || w[2] is not ("shared" or "per-neuron") || w[3] is not ("trainable" or "fixed"))
            throw new FormatException($"Declaration line {number}: malformed parameter '{text}'.");
        return new ParamDescriptor(w[0], ParseFloat(w[1], number), w[2] == "per-neuron", w[3] == "trainable");
    }

    private static float ParseFloat(string text, int number) =>
        float.TryParse(text, NumberStyles.Float, Invariant, out float value) ? value : throw new FormatException($"Declaration line {number}: '{text}' is not a number.");

    private static string[] Arity(string[] words, int count, int number) =>
        words.Length == count ? words : throw new FormatException($"Declaration line {number}: '{string.Join(' ', words)}' needs {count - 1} value(s).");

    private static int ParseInt(string text, int number) =>
        int.TryParse(text, NumberStyles.Integer, Invariant, out int value) ? value : throw new FormatException($"Declaration line {number}: '{text}' is not an integer.");

    private static double ParseDouble(string text, int number) =>
        double.TryParse(text, NumberStyles.Float, Invariant, out double value) ? value : throw new FormatException($"Declaration line {number}: '{text}' is not a number.");

    /// <summary>
    /// What differs between two declarations, one sentence per difference (empty when the fingerprints agree):
    /// layers, sizes, models, connections (endpoints, kind, delays, port, synapse, convolution), biases, the time step,
    /// and, for a model of the same name, its states, ports, parameters and dynamics.
    /// </summary>
    /// <param name="expected">The declaration of the network in memory.</param>
    /// <param name="actual">The declaration in a file.</param>
    /// <param name="expectedLabel">How to call the first side, e.g. "network 'Classifier'".</param>
    /// <param name="actualLabel">How to call the second side, e.g. "the file".</param>
    public static IReadOnlyList<string> Differences(NetworkDescriptor expected, NetworkDescriptor actual, string expectedLabel = "the network", string actualLabel = "the file")
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        string e = expectedLabel, a = actualLabel;
        if (BitConverter.DoubleToInt64Bits(expected.TimeStep) != BitConverter.DoubleToInt64Bits(actual.TimeStep))
            differences.Add(FormattableString.Invariant($"time step: {expected.TimeStep:R} s in {e}, {actual.TimeStep:R} s in {a}"));

        string Layers(NetworkDescriptor n) => string.Join(", ", n.Layers.Select(l => l.Name));
        if (Layers(expected) != Layers(actual))
            differences.Add($"layers: {Layers(expected)} in {e}, {Layers(actual)} in {a}");
        foreach (LayerDescriptor x in expected.Layers)
        {
            LayerDescriptor? y = actual.Layers.FirstOrDefault(l => l.Name == x.Name);
            if (y is null) continue;
            string what = x.IsInput ? "input" : "population";
            if (x.IsInput != y.IsInput)
                differences.Add($"'{x.Name}' is an {(x.IsInput ? "input" : "population")} in {e}, {(y.IsInput ? "an input" : "a population")} in {a}");
            else if (x.Size != y.Size)
                differences.Add(FormattableString.Invariant($"{what} '{x.Name}': {x.Size} neurons in {e}, {y.Size} in {a}"));
            if (x.Neuron is { } xn && y.Neuron is { } yn)
            {
                if (xn.Name != yn.Name) differences.Add($"population '{x.Name}': neuron {xn.Name} in {e}, {yn.Name} in {a}");
                else differences.AddRange(NeuronDifferences(xn, yn).Select(d => $"neuron {xn.Name} (population '{x.Name}'): {d} in {e} vs {a}"));
            }
        }

        string Names<T>(IEnumerable<T> items, Func<T, string> name) => string.Join(", ", items.Select(name));
        if (Names(expected.Connections, c => c.Name) != Names(actual.Connections, c => c.Name))
            differences.Add($"connections: {Or(Names(expected.Connections, c => c.Name))} in {e}, {Or(Names(actual.Connections, c => c.Name))} in {a}");
        foreach (ConnectionDescriptor x in expected.Connections)
        {
            ConnectionDescriptor? y = actual.Connections.FirstOrDefault(c => c.Name == x.Name);
            if (y is null) continue;
            void Check(string what, string ours, string theirs)
            {
                if (ours != theirs) differences.Add($"connection '{x.Name}': {what} {ours} in {e}, {theirs} in {a}");
            }
            Check("runs", $"{x.From} → {x.To}", $"{y.From} → {y.To}");
            Check("kind", KindName(x.Kind), KindName(y.Kind));
            Check("delay", DelayText(x), DelayText(y));
            Check("port", x.Port, y.Port);
            Check("synapse", x.Synapse?.Name ?? "none (delta)", y.Synapse?.Name ?? "none (delta)");
            Check("convolution", ConvText(x.Convolution), ConvText(y.Convolution));
            if (x.Synapse is { } xs && y.Synapse is { } ys && xs.Name == ys.Name)
                differences.AddRange(SynapseDifferences(xs, ys).Select(d => $"synapse {xs.Name} (connection '{x.Name}'): {d} in {e} vs {a}"));
        }

        if (Names(expected.Biases, b => b.Name) != Names(actual.Biases, b => b.Name))
            differences.Add($"biases: {Or(Names(expected.Biases, b => b.Name))} in {e}, {Or(Names(actual.Biases, b => b.Name))} in {a}");
        foreach (BiasDescriptor x in expected.Biases)
        {
            BiasDescriptor? y = actual.Biases.FirstOrDefault(b => b.Name == x.Name);
            if (y is not null && (x.To != y.To || x.Port != y.Port))
                differences.Add($"bias '{x.Name}': on {x.To}.{x.Port} in {e}, on {y.To}.{y.Port} in {a}");
        }

        // Anything the sentences above do not name (e.g. the same model name used with other dynamics elsewhere).
        if (differences.Count == 0 && !Fingerprint(expected).AsSpan().SequenceEqual(Fingerprint(actual)))
            differences.Add("the canonical declaration texts differ (compare NetworkDeclaration.ToText of both)");
        return differences;
    }

    private static string Or(string list) => list.Length == 0 ? "none" : list;

    private static string DelayText(ConnectionDescriptor c) =>
        c.Delay == c.MaxDelay ? c.Delay.ToString(Invariant) : $"{c.Delay.ToString(Invariant)}…{c.MaxDelay.ToString(Invariant)}";

    private static string ConvText(ConvShape? s) => s is null ? "none"
        : FormattableString.Invariant($"[{s.InChannels}×{s.InLength}] → [{s.OutChannels}×{s.OutLength}], kernel {s.KernelSize}, stride {s.Stride}, padding {s.Padding}");

    private static IEnumerable<string> NeuronDifferences(NeuronDescriptor x, NeuronDescriptor y)
    {
        if (!x.States.SequenceEqual(y.States)) yield return $"states {string.Join(", ", x.States)} vs {string.Join(", ", y.States)}";
        else
        {
            foreach (string s in x.States.Where(s => x.InitialValue(s) != y.InitialValue(s)))
                yield return FormattableString.Invariant($"initial value of {s} {x.InitialValue(s)} vs {y.InitialValue(s)}");
        }
        if (!x.Ports.SequenceEqual(y.Ports)) yield return $"ports {string.Join(", ", x.Ports)} vs {string.Join(", ", y.Ports)}";
        if (x.PreviousSpike != y.PreviousSpike) yield return $"previous-spike state {x.PreviousSpike ?? "none"} vs {y.PreviousSpike ?? "none"}";
        foreach (string d in ParameterDifferences(x.Parameters, y.Parameters)) yield return d;
        if (x.Integrate != y.Integrate) yield return $"Integrate {x.Integrate} vs {y.Integrate}";
        if (x.Fires != y.Fires) yield return $"Fires {x.Fires ?? "none"} vs {y.Fires ?? "none"}";
        if (x.Reset != y.Reset) yield return $"Reset {x.Reset ?? "none"} vs {y.Reset ?? "none"}";
        if (x.Surrogate?.Name != y.Surrogate?.Name) yield return $"surrogate {x.Surrogate?.Name ?? "none"} vs {y.Surrogate?.Name ?? "none"}";
        else if (x.Surrogate is { } xs && y.Surrogate is { } ys)
        {
            if (xs.Derivative != ys.Derivative) yield return $"surrogate derivative {xs.Derivative} vs {ys.Derivative}";
            foreach (string d in ParameterDifferences(xs.Parameters, ys.Parameters)) yield return "surrogate " + d;
        }
        if (x.AttachResetGradient != y.AttachResetGradient) yield return $"reset gradient {(x.AttachResetGradient ? "attached" : "detached")} vs {(y.AttachResetGradient ? "attached" : "detached")}";
    }

    private static IEnumerable<string> SynapseDifferences(SynapseDescriptor x, SynapseDescriptor y)
    {
        if (!x.States.SequenceEqual(y.States)) yield return $"states {string.Join(", ", x.States)} vs {string.Join(", ", y.States)}";
        foreach (string d in ParameterDifferences(x.Parameters, y.Parameters)) yield return d;
        if (x.Drive != y.Drive) yield return $"drive {x.Drive} vs {y.Drive}";
        string Reads(SynapseDescriptor s) => string.Join(", ", s.Postsynaptic.Select(r => $"{r.Input}={r.State}"));
        if (Reads(x) != Reads(y)) yield return $"postsynaptic reads {Reads(x)} vs {Reads(y)}";
        if (x.Deliver != y.Deliver) yield return $"Deliver {x.Deliver} vs {y.Deliver}";
        if (x.Current != y.Current) yield return $"current {x.Current} vs {y.Current}";
    }

    private static IEnumerable<string> ParameterDifferences(IReadOnlyList<ParamDescriptor> x, IReadOnlyList<ParamDescriptor> y)
    {
        string Text(IReadOnlyList<ParamDescriptor> ps) => string.Join(", ", ps.Select(ParamText).Select(t => t["param ".Length..]));
        if (Text(x) != Text(y)) yield return $"parameters {Text(x)} vs {Text(y)}";
    }
}
