using System.Globalization;
using System.Text;
using System.Text.Json;
using SnnDsl.Data;
using SnnDsl.FixedPoint;

namespace SnnDsl.Export.Hardware;

/// <summary>Settings of <see cref="XyloSpecification.Read"/>.</summary>
public sealed class XyloReadOptions
{
    /// <summary>The device; default the one the file's <c>snndsl.device</c> names, else <see cref="TargetProfiles.XyloAudio2"/>.</summary>
    public XyloProfile? Profile { get; init; }
}

/// <summary>A Xylo specification read back: the integer network and the time step it records.</summary>
/// <param name="Network">The network, as xylosim computes it.</param>
/// <param name="TimeStep">The specification's <c>dt</c> in seconds, or null when it has none.</param>
public sealed record XyloSpecificationFile(XyloNetwork Network, double? TimeStep);

/// <summary>
/// The Xylo hardware specification as JSON (reference note §3.3; synsense/rockpool
/// <c>devices/xylo/syns61201/xylo_samna.py</c>, <c>config_from_specification</c>): integer <c>weights_in</c>
/// (N_in, N_hidden, N_syn), <c>weights_rec</c> (N_hidden, N_hidden, N_syn), <c>weights_out</c> (N_hidden, N_out),
/// <c>dash_mem</c>, <c>dash_syn</c>, <c>dash_syn_2</c>, <c>dash_mem_out</c>, <c>dash_syn_out</c>, <c>threshold</c>,
/// <c>threshold_out</c>, <c>bias_hidden</c>, <c>bias_out</c>, <c>weight_shift_in</c>, <c>weight_shift_rec</c>,
/// <c>weight_shift_out</c>, <c>aliases</c>, <c>dt</c> — the keyword arguments of <c>config_from_specification</c>
/// (which takes <c>**kwargs</c>, so the extra <c>snndsl</c> object with the device and the population names is
/// ignored there). <see cref="Write"/> checks the device's limits first (<see cref="HardwareLimitException"/>).
/// </summary>
public static class XyloSpecification
{
    /// <summary>Checks <paramref name="network"/> against its device's limits (reference note §3.1, §3.6, §5.3).</summary>
    /// <exception cref="HardwareLimitException">A limit is violated (named, with the population or matrix and the value).</exception>
    public static void Check(XyloNetwork network, double timeStep)
    {
        ArgumentNullException.ThrowIfNull(network);
        // The published device's limits: a profile with lifted limits (e.g. `with { InputChannels = 20 }`) measures the
        // arithmetic on a network the device cannot hold; it is not a deployable configuration.
        var own = (XyloProfile)network.Profile;
        XyloProfile profile = Published(own.Device) ?? own;
        string target = $"Xylo specification ({profile.Device})";
        void Fail(string limit, string owner, object value, string detail) =>
            throw new HardwareLimitException(target, limit, owner, Convert.ToString(value, CultureInfo.InvariantCulture)!, detail);

        if (!(timeStep > 0) || !double.IsFinite(timeStep))
            Fail("dt > 0 (one global time step)", "network", timeStep, "the specification records the time step in seconds.");
        QuantizedLayer input = network.Layers[0];
        int hidden = network.Hidden.Sum(g => g.Size), readout = network.Readout.Sum(g => g.Size);
        if (input.Size > profile.InputChannels)
            Fail($"SNN input channels ({profile.InputChannels})", $"input '{input.Name}'", input.Size, "Xylo has 16 input channels on every device.");
        if (hidden == 0 || readout == 0)
            Fail("at least two neuron layers, hidden and readout (mapper design rule)", "network", $"{hidden} hidden, {readout} readout neurons", "Xylo's outputs come from readout neurons that read hidden neurons.");
        if (hidden > profile.HiddenNeurons)
            Fail($"hidden neurons ({profile.HiddenNeurons})", string.Join(" + ", network.Hidden.Select(g => g.Name)), hidden, $"{profile.Device} has {profile.HiddenNeurons}.");
        if (readout > profile.OutputNeurons)
            Fail($"output neurons ({profile.OutputNeurons})", string.Join(" + ", network.Readout.Select(g => g.Name)), readout, $"{profile.Device} has {profile.OutputNeurons}.");

        foreach ((XyloNeuronGroup g, bool isHidden) in network.Hidden.Select(g => (g, true)).Concat(network.Readout.Select(g => (g, false))))
        {
            string suffix = isHidden ? "" : "_out";
            int maxSynapses = isHidden ? profile.SynapticStatesPerHidden : 1;
            if (g.Synapses > maxSynapses)
                Fail($"synaptic states per {(isHidden ? "hidden" : "output")} neuron ({maxSynapses})", $"population '{g.Name}'", g.Synapses, "each state has its own weights and dash_syn.");
            for (int i = 0; i < g.Size; i++)
            {
                if (g.DashMem[i] < 0 || g.DashMem[i] > profile.MaxDash)
                    Fail($"dash_mem{suffix} in 0…{profile.MaxDash} ({profile.DashBits}-bit)", $"population '{g.Name}', neuron {i}", g.DashMem[i], "the bit-shift decay parameter has 4 bits.");
                for (int s = 0; s < g.Synapses; s++)
                    if (g.DashSyn[s][i] < 0 || g.DashSyn[s][i] > profile.MaxDash)
                        Fail($"{(s == 0 ? "dash_syn" : "dash_syn_2")}{suffix} in 0…{profile.MaxDash} ({profile.DashBits}-bit)", $"population '{g.Name}', neuron {i}", g.DashSyn[s][i], "the bit-shift decay parameter has 4 bits.");
                if (g.Threshold[i] < 1 || g.Threshold[i] > profile.StateMax)
                    Fail($"threshold{suffix} in 1…{profile.StateMax} (int16, positive)", $"population '{g.Name}', neuron {i}", g.Threshold[i], "thresholds are 16-bit; θ ≤ 0 makes v ≥ θ always true.");
                if (g.Bias[i] < profile.StateMin || g.Bias[i] > profile.StateMax)
                    Fail($"bias{(isHidden ? "_hidden" : "_out")} in {profile.StateMin}…{profile.StateMax} (int16)", $"population '{g.Name}', neuron {i}", g.Bias[i], "biases are 16-bit.");
                if (g.Bias[i] != 0 && profile.CoreVersion == XyloCoreVersion.V1)
                    Fail("no bias on xylosim v1", $"population '{g.Name}', neuron {i}", g.Bias[i], $"the {profile.Device} neuron (xylosim v1) has no bias.");
            }
        }
        foreach ((int shift, string name) in new[] { (network.ShiftIn, "weight_shift_in"), (network.ShiftRec, "weight_shift_rec"), (network.ShiftOut, "weight_shift_out") })
            if (shift < 0 || shift > profile.MaxWeightShift)
                Fail($"{name} in 0…{profile.MaxWeightShift}", "network", shift, "w << shift is passed to xylosim as an int16; beyond 8 an int8 weight can wrap.");

        int synapses = network.Hidden.Max(g => g.Synapses);
        int recurrentWeights = 0;
        for (int j = 0; j < hidden; j++)
        {
            int fanOut = 0;
            for (int i = 0; i < hidden; i++)
            {
                bool any = false;
                for (int s = 0; s < synapses; s++) any |= network.WeightsRec[(j * hidden + i) * synapses + s] != 0;
                if (any) fanOut++;
                for (int s = 0; s < synapses; s++) recurrentWeights += network.WeightsRec[(j * hidden + i) * synapses + s] != 0 ? 1 : 0;
            }
            if (fanOut > profile.MaxFanOut)
                Fail($"recurrent fan-out per hidden neuron ({profile.MaxFanOut})", $"weights_rec, hidden neuron {j} ({HiddenName(network, j)})", fanOut, $"{profile.Device} routes a hidden neuron's spikes to at most {profile.MaxFanOut} hidden neurons.");
        }
        if (profile.MaxRecurrentWeights is int maxRecurrent && recurrentWeights > maxRecurrent)
            Fail($"recurrent weights in total ({maxRecurrent:N0})", "weights_rec", recurrentWeights, $"{profile.Device} stores at most {maxRecurrent:N0} recurrent weights.");
        if (profile.InputExpansionNeurons is int firstN)
            for (int c = 0; c < input.Size; c++)
                for (int i = firstN; i < hidden; i++)
                    for (int s = 0; s < synapses; s++)
                        if (network.WeightsIn[(c * hidden + i) * synapses + s] != 0)
                            Fail($"input projection to the first {firstN} hidden neurons", $"weights_in, channel {c} → hidden neuron {i} ({HiddenName(network, i)})", network.WeightsIn[(c * hidden + i) * synapses + s], $"inputs reach only the first {firstN} hidden neurons on {profile.Device}.");
        if (profile.OutputExpansionNeurons is int lastN)
            for (int j = 0; j < hidden - lastN; j++)
                for (int o = 0; o < readout; o++)
                    if (network.WeightsOut[j * readout + o] != 0)
                        Fail($"output projection from the last {lastN} hidden neurons", $"weights_out, hidden neuron {j} ({HiddenName(network, j)}) → readout {o}", network.WeightsOut[j * readout + o], $"only the last {lastN} hidden neurons drive readouts on {profile.Device}.");
    }

    /// <summary>The specification of <paramref name="network"/> as JSON text (after <see cref="Check"/>).</summary>
    /// <exception cref="ArgumentException">The network was not quantized for Xylo.</exception>
    /// <exception cref="HardwareLimitException">A limit is violated.</exception>
    public static string ToJson(QuantizedNetwork network, double timeStep)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is not XyloNetwork xylo)
            throw new ArgumentException($"The Xylo specification needs a network quantized for a Xylo device; this one was quantized for {network.Profile.Name}.", nameof(network));
        Check(xylo, timeStep);
        var profile = (XyloProfile)xylo.Profile;
        int inputs = xylo.Layers[0].Size, hidden = xylo.Hidden.Sum(g => g.Size), readout = xylo.Readout.Sum(g => g.Size);
        int synapses = xylo.Hidden.Max(g => g.Synapses);
        int[] Hidden(Func<XyloNeuronGroup, int[]> field) => xylo.Hidden.SelectMany(field).ToArray();
        int[] Readout(Func<XyloNeuronGroup, int[]> field) => xylo.Readout.SelectMany(field).ToArray();

        var json = new StringBuilder("{\n");
        void Key(string key) => json.Append("  ").Append(JsonSerializer.Serialize(key)).Append(": ");
        void Vector(string key, IEnumerable<int>? values, bool last = false)
        {
            Key(key);
            json.Append(values is null ? "null" : "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]").Append(last ? "\n" : ",\n");
        }
        void Matrix(string key, sbyte[] values, int rows, int columns, int depth)
        {
            Key(key);
            json.Append("[\n");
            for (int r = 0; r < rows; r++)
            {
                json.Append("    [");
                for (int c = 0; c < columns; c++)
                {
                    if (c > 0) json.Append(", ");
                    if (depth == 0) json.Append(values[r * columns + c].ToString(CultureInfo.InvariantCulture));
                    else json.Append('[').Append(string.Join(", ", Enumerable.Range(0, depth).Select(s => values[(r * columns + c) * depth + s].ToString(CultureInfo.InvariantCulture)))).Append(']');
                }
                json.Append(r < rows - 1 ? "],\n" : "]\n");
            }
            json.Append("  ],\n");
        }

        Matrix("weights_in", xylo.WeightsIn, inputs, hidden, synapses);
        Matrix("weights_rec", xylo.WeightsRec, hidden, hidden, synapses);
        Matrix("weights_out", xylo.WeightsOut, hidden, readout, 0);
        Vector("dash_mem", Hidden(g => g.DashMem));
        Vector("dash_mem_out", Readout(g => g.DashMem));
        Vector("dash_syn", Hidden(g => g.DashSyn[0]));
        Vector("dash_syn_2", synapses == 2 ? Hidden(g => g.DashSyn[1]) : null);
        Vector("dash_syn_out", Readout(g => g.DashSyn[0]));
        Vector("threshold", Hidden(g => g.Threshold));
        Vector("threshold_out", Readout(g => g.Threshold));
        int[] biasHidden = Hidden(g => g.Bias), biasOut = Readout(g => g.Bias);
        Vector("bias_hidden", biasHidden.Any(b => b != 0) ? biasHidden : null);
        Vector("bias_out", biasOut.Any(b => b != 0) ? biasOut : null);
        Key("weight_shift_in"); json.Append(xylo.ShiftIn.ToString(CultureInfo.InvariantCulture)).Append(",\n");
        Key("weight_shift_rec"); json.Append(xylo.ShiftRec.ToString(CultureInfo.InvariantCulture)).Append(",\n");
        Key("weight_shift_out"); json.Append(xylo.ShiftOut.ToString(CultureInfo.InvariantCulture)).Append(",\n");
        Key("aliases"); json.Append("null,\n");
        Key("dt"); json.Append(timeStep.ToString("R", CultureInfo.InvariantCulture)).Append(",\n");
        Key("snndsl");
        json.Append("{\n    \"device\": ").Append(JsonSerializer.Serialize(profile.Device))
            .Append(",\n    \"input\": ").Append(Group(xylo.Layers[0]))
            .Append(",\n    \"hidden\": [").Append(string.Join(", ", xylo.Hidden.Select(g => Group(xylo.Layer(g.Name)))))
            .Append("],\n    \"readout\": [").Append(string.Join(", ", xylo.Readout.Select(g => Group(xylo.Layer(g.Name)))))
            .Append("]\n  }\n}\n");
        return json.ToString();

        static string Group(QuantizedLayer layer) =>
            $"{{\"name\": {JsonSerializer.Serialize(layer.Name)}, \"size\": {layer.Size.ToString(CultureInfo.InvariantCulture)}, \"latency\": {layer.Latency.ToString(CultureInfo.InvariantCulture)}}}";
    }

    /// <summary>Checks <paramref name="network"/> and writes its specification as JSON (UTF-8), atomically.</summary>
    /// <param name="network">A network quantized for a Xylo device.</param>
    /// <param name="path">The JSON file.</param>
    /// <param name="timeStep">The time step in seconds (the float network's <c>Descriptor.TimeStep</c>).</param>
    /// <exception cref="ArgumentException">The network was not quantized for Xylo.</exception>
    /// <exception cref="HardwareLimitException">A limit is violated; nothing is written.</exception>
    public static void Write(QuantizedNetwork network, string path, double timeStep)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json = ToJson(network, timeStep);
        AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(json));
    }

    /// <summary>
    /// Reads a specification into the <see cref="XyloNetwork"/> it configures. Accepts what
    /// <c>config_from_specification</c> accepts: 2-D <c>weights_in</c>/<c>weights_rec</c> (one synapse), fewer input
    /// targets than hidden neurons, missing optional fields with Rockpool's defaults (dashes 1, weight shifts 0, no
    /// recurrent weights, no biases); thresholds must then still be positive.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not JSON, or a missing, malformed or out-of-range field (the file and the field are named).</exception>
    public static XyloSpecificationFile Read(string path, XyloReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new XyloReadOptions();
        if (!File.Exists(path)) throw new FileNotFoundException($"Xylo specification '{path}' does not exist.", path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Xylo specification '{path}': not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        using (document)
        {
            var reader = new SpecificationReader(path);
            return reader.Read(document.RootElement, options);
        }
    }

    /// <summary>The published profile of a device name (XyloAudio2, XyloAudio3, XyloIMU), or null.</summary>
    internal static XyloProfile? Published(string? device) =>
        new[] { TargetProfiles.XyloAudio2, TargetProfiles.XyloAudio3, TargetProfiles.XyloImu }.FirstOrDefault(p => p.Device == device);

    private static string HiddenName(XyloNetwork network, int neuron)
    {
        int start = 0;
        foreach (XyloNeuronGroup g in network.Hidden)
        {
            if (neuron < start + g.Size) return g.Name;
            start += g.Size;
        }
        return "hidden";
    }

    private sealed class SpecificationReader(string path)
    {
        private InvalidDataException Error(string field, string problem, Exception? inner = null) =>
            new($"Xylo specification '{path}', field '{field}': {problem}", inner);

        public XyloSpecificationFile Read(JsonElement root, XyloReadOptions options)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error("(root)", $"is a JSON {root.ValueKind}; the specification is an object of named fields.");

            (int[] inShape, int[] weightsIn) = Tensor(root, "weights_in", required: true, 2, 3)!.Value;
            (int[] outShape, int[] weightsOut) = Tensor(root, "weights_out", required: true, 2, 2)!.Value;
            int inputs = inShape[0], inTargets = inShape[1], synapses = inShape.Length == 3 ? inShape[2] : 1;
            int hidden = outShape[0], readout = outShape[1];
            if (synapses is < 1 or > 2) throw Error("weights_in", $"has {synapses} synapses on its third axis; Xylo has one or two.");
            if (inTargets > hidden) throw Error("weights_in", $"targets {inTargets} hidden neurons but weights_out has {hidden} rows (N_in_res ≤ N_hidden).");
            for (int k = 0; k < weightsIn.Length; k++) CheckWeight("weights_in", k, weightsIn[k]);
            for (int k = 0; k < weightsOut.Length; k++) CheckWeight("weights_out", k, weightsOut[k]);

            // Input weights to hidden neurons beyond N_in_res are zero.
            var fullIn = new sbyte[inputs * hidden * synapses];
            for (int c = 0; c < inputs; c++)
                for (int i = 0; i < inTargets; i++)
                    for (int s = 0; s < synapses; s++) fullIn[(c * hidden + i) * synapses + s] = (sbyte)weightsIn[(c * inTargets + i) * synapses + s];

            var rec = new sbyte[hidden * hidden * synapses];
            if (Tensor(root, "weights_rec", required: false, 2, 3) is var (recShape, weightsRec))
            {
                int recSynapses = recShape.Length == 3 ? recShape[2] : 1;
                if (recShape[0] != hidden || recShape[1] != hidden) throw Error("weights_rec", $"has shape [{string.Join(", ", recShape)}]; ({hidden}, {hidden}, N_syn) was expected.");
                if (recSynapses != synapses) throw Error("weights_rec", $"has {recSynapses} synapse(s) on its third axis, weights_in {synapses}.");
                for (int k = 0; k < weightsRec.Length; k++) rec[k] = (sbyte)CheckWeight("weights_rec", k, weightsRec[k]);
            }

            int[] dashMem = Vector(root, "dash_mem", hidden, 1), dashSyn = Vector(root, "dash_syn", hidden, 1), dashSyn2 = Vector(root, "dash_syn_2", hidden, 1);
            int[] dashMemOut = Vector(root, "dash_mem_out", readout, 1), dashSynOut = Vector(root, "dash_syn_out", readout, 1);
            int[] threshold = Vector(root, "threshold", hidden, 0), thresholdOut = Vector(root, "threshold_out", readout, 0);
            string biasField = root.TryGetProperty("bias_hidden", out _) || !root.TryGetProperty("bias", out _) ? "bias_hidden" : "bias";
            int[] bias = Vector(root, biasField, hidden, 0), biasOut = Vector(root, "bias_out", readout, 0);
            int shiftIn = Scalar(root, "weight_shift_in", 0), shiftRec = Scalar(root, "weight_shift_rec", 0), shiftOut = Scalar(root, "weight_shift_out", 0);
            if (root.TryGetProperty("aliases", out JsonElement aliases) && aliases.ValueKind != JsonValueKind.Null)
            {
                if (aliases.ValueKind != JsonValueKind.Array || aliases.GetArrayLength() != hidden) throw Error("aliases", $"must be null or a list of {hidden} lists (one per hidden neuron).");
                int n = 0;
                foreach (JsonElement a in aliases.EnumerateArray())
                {
                    if (a.ValueKind != JsonValueKind.Array) throw Error("aliases", $"entry {n} is a JSON {a.ValueKind}, not a list.");
                    if (a.GetArrayLength() > 0) throw Error("aliases", $"hidden neuron {n} has alias targets; aliases are not supported by XyloNetwork.");
                    n++;
                }
            }
            double? timeStep = null;
            if (root.TryGetProperty("dt", out JsonElement dt) && dt.ValueKind != JsonValueKind.Null)
            {
                if (dt.ValueKind != JsonValueKind.Number || !(dt.GetDouble() > 0)) throw Error("dt", $"is {dt.GetRawText()}; a positive number of seconds was expected.");
                timeStep = dt.GetDouble();
            }

            // SnnDsl's own object: the device and the populations' names, sizes and latencies.
            XyloProfile? profile = options.Profile;
            (string Name, int Size, int Latency) inputGroup = ("input", inputs, 0);
            List<(string Name, int Size, int Latency)> hiddenGroups = [("hidden", hidden, 0)], readoutGroups = [("readout", readout, 1)];
            if (root.TryGetProperty("snndsl", out JsonElement snndsl) && snndsl.ValueKind != JsonValueKind.Null)
            {
                if (snndsl.ValueKind != JsonValueKind.Object) throw Error("snndsl", "must be an object.");
                if (profile is null && snndsl.TryGetProperty("device", out JsonElement device))
                {
                    string? name = device.ValueKind == JsonValueKind.String ? device.GetString() : null;
                    profile = Published(name) ?? throw Error("snndsl.device", $"is {device.GetRawText()}; XyloAudio2, XyloAudio3 or XyloIMU was expected.");
                }
                if (snndsl.TryGetProperty("input", out JsonElement inputElement))
                {
                    inputGroup = Groups(inputElement, "snndsl.input", inputs, single: true)[0];
                }
                if (snndsl.TryGetProperty("hidden", out JsonElement h)) hiddenGroups = Groups(h, "snndsl.hidden", hidden, single: false);
                if (snndsl.TryGetProperty("readout", out JsonElement r)) readoutGroups = Groups(r, "snndsl.readout", readout, single: false);
            }
            profile ??= TargetProfiles.XyloAudio2;

            var hiddenNeurons = new List<XyloNeuronGroup>();
            int start = 0;
            foreach ((string name, int size, _) in hiddenGroups)
            {
                int[][] dash = synapses == 2 ? [dashSyn[start..(start + size)], dashSyn2[start..(start + size)]] : [dashSyn[start..(start + size)]];
                hiddenNeurons.Add(new XyloNeuronGroup(name, size, dashMem[start..(start + size)], dash, threshold[start..(start + size)], bias[start..(start + size)]));
                start += size;
            }
            var readoutNeurons = new List<XyloNeuronGroup>();
            start = 0;
            foreach ((string name, int size, _) in readoutGroups)
            {
                readoutNeurons.Add(new XyloNeuronGroup(name, size, dashMemOut[start..(start + size)], [dashSynOut[start..(start + size)]], thresholdOut[start..(start + size)], biasOut[start..(start + size)]));
                start += size;
            }
            var latency = hiddenGroups.Concat(readoutGroups).ToDictionary(g => g.Name, g => g.Latency);
            try
            {
                var network = new XyloNetwork((inputGroup.Name, inputs), hiddenNeurons, readoutNeurons, fullIn, rec, weightsOut.Select(w => (sbyte)w).ToArray(),
                    shiftIn, shiftRec, shiftOut, profile, latency);
                return new XyloSpecificationFile(network, timeStep);
            }
            catch (ProfileLimitException e)
            {
                bool isReadout = readoutGroups.Any(g => g.Name == e.Owner);
                string field = e.Parameter switch
                {
                    "" => "weights_in/weights_out (sizes)",
                    "bias" => isReadout ? "bias_out" : biasField,
                    "dash_mem" or "dash_syn" or "threshold" when isReadout => e.Parameter + "_out",
                    _ => e.Parameter,
                };
                throw Error(field, e.Message, e);
            }
            catch (ArgumentException e)
            {
                throw Error("snndsl", e.Message, e);
            }
        }

        private int CheckWeight(string field, int index, int w) =>
            w is < sbyte.MinValue or > sbyte.MaxValue ? throw Error(field, $"element {index} is {w}; Xylo weights are int8 (−128…127).") : w;

        private List<(string Name, int Size, int Latency)> Groups(JsonElement element, string field, int total, bool single)
        {
            var groups = new List<(string, int, int)>();
            IEnumerable<JsonElement> items = single ? [element] : element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw Error(field, "must be a list of {name, size, latency} objects.");
            foreach (JsonElement g in items)
            {
                if (g.ValueKind != JsonValueKind.Object || !g.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String
                    || !g.TryGetProperty("size", out JsonElement size) || !size.TryGetInt32(out int n) || n < 1)
                    throw Error(field, $"entry {g.GetRawText()} must be {{\"name\": string, \"size\": positive integer, \"latency\": integer}}.");
                int latency = g.TryGetProperty("latency", out JsonElement l) && l.TryGetInt32(out int lag) ? lag : 0;
                groups.Add((name.GetString()!, n, latency));
            }
            if (groups.Sum(g => g.Item2) != total) throw Error(field, $"sizes add up to {groups.Sum(g => g.Item2)}, but the weights have {total} neurons.");
            return groups;
        }

        private int Scalar(JsonElement root, string field, int fallback)
        {
            if (!root.TryGetProperty(field, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return fallback;
            return Integer(e, field, "");
        }

        private int[] Vector(JsonElement root, string field, int length, int fallback)
        {
            if (!root.TryGetProperty(field, out JsonElement e) || e.ValueKind == JsonValueKind.Null) return Enumerable.Repeat(fallback, length).ToArray();
            if (e.ValueKind != JsonValueKind.Array) throw Error(field, $"is a JSON {e.ValueKind}; a list of {length} integers was expected.");
            if (e.GetArrayLength() != length) throw Error(field, $"has {e.GetArrayLength()} entries; {length} were expected (one per neuron).");
            return e.EnumerateArray().Select((x, k) => Integer(x, field, $" element {k}")).ToArray();
        }

        private (int[] Shape, int[] Values)? Tensor(JsonElement root, string field, bool required, int minRank, int maxRank)
        {
            if (!root.TryGetProperty(field, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
                return required ? throw Error(field, "missing.") : null;
            var shape = new List<int>();
            for (JsonElement x = e; x.ValueKind == JsonValueKind.Array; x = x.GetArrayLength() > 0 ? x[0] : default)
            {
                shape.Add(x.GetArrayLength());
                if (x.GetArrayLength() == 0) break;
            }
            if (shape.Count < minRank || shape.Count > maxRank || shape.Any(d => d == 0))
                throw Error(field, $"has shape [{string.Join(", ", shape)}]; a non-empty {(minRank == maxRank ? $"{minRank}" : $"{minRank}- or {maxRank}")}-D list of integers was expected.");
            var values = new List<int>();
            void Walk(JsonElement x, int depth, string at)
            {
                if (depth == shape.Count)
                {
                    values.Add(Integer(x, field, $" element {at}"));
                    return;
                }
                if (x.ValueKind != JsonValueKind.Array || x.GetArrayLength() != shape[depth])
                    throw Error(field, $"element {at} is not a list of {shape[depth]} entries (a ragged array).");
                int k = 0;
                foreach (JsonElement child in x.EnumerateArray()) Walk(child, depth + 1, at + "[" + (k++).ToString(CultureInfo.InvariantCulture) + "]");
            }
            Walk(e, 0, "");
            return (shape.ToArray(), values.ToArray());
        }

        private int Integer(JsonElement e, string field, string at)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double d) || d != Math.Floor(d) || Math.Abs(d) > int.MaxValue)
                throw Error(field, $"{(at.Length == 0 ? "value" : at.TrimStart())} is {e.GetRawText()}; an integer was expected.");
            return (int)d;
        }
    }
}
