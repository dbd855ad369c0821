using System.Globalization;
using PureHDF;
using PureHDF.VOL.Native;
using SnnDsl.Data;
using SnnDsl.FixedPoint;

namespace SnnDsl.Export.Hardware;

/// <summary>Settings of <see cref="NetxExporter.Read"/>.</summary>
public sealed class NetxReadOptions
{
    /// <summary>
    /// Names of the layers in file order (the input first): netx numbers its layers and stores no names. Default
    /// <c>input</c>, <c>layer1</c>, <c>layer2</c>, …
    /// </summary>
    public IReadOnlyList<string>? LayerNames { get; init; }

    /// <summary>The Loihi profile of the network read back (default <see cref="TargetProfiles.Loihi"/>).</summary>
    public LoihiProfile? Profile { get; init; }
}

/// <summary>
/// Loihi through lava-dl's <c>netx</c> HDF5 network exchange layout (reference note §2.6; lava-nc/lava-dl
/// <c>src/lava/lib/dl/netx/hdf5.py</c>, <c>utils.py</c>): <c>layer/0</c> the input, then one <c>dense</c> or
/// <c>dense_rec</c> layer per population in order, each with its <c>neuron</c> group (type <c>CUBA</c>, <c>iDecay</c>,
/// <c>vDecay</c>, <c>vThMant</c>, <c>refDelay</c>, <c>gradedSpike</c>), <c>shape</c>, <c>inFeatures</c>,
/// <c>outFeatures</c>, integer-valued float32 <c>weight</c> (out, in) (and <c>weight_rec</c>), optional <c>bias</c>.
/// <see cref="Write"/> checks the network against netx and Loihi limits first (<see cref="HardwareLimitException"/>);
/// <see cref="Read"/> builds the <see cref="LoihiNetwork"/> that netx would build (weights through netx's
/// <c>optimize_weight_bits</c>, du = iDecay − 1, dv = vDecay, vth = vThMant, bias_mant = bias with bias_exp = 6).
/// </summary>
public static class NetxExporter
{
    private const string Target = "netx (Loihi)";

    /// <summary>netx's <c>bias_exp</c> for every CUBA layer (<c>hdf5.py</c>, <c>get_neuron_params</c>).</summary>
    public const int BiasExponent = 6;

    /// <summary>
    /// The Loihi profile whose quantized networks netx can carry: <see cref="TargetProfiles.Loihi"/> with
    /// <c>WeightExponentMin = 0</c>. netx stores integer weights and lava-dl derives each Dense's weight exponent from
    /// them, so the finer steps of a negative exponent (which <see cref="Quantizer"/> gives connections with smaller
    /// weights) are representable only when every weight is a multiple of them.
    /// </summary>
    public static LoihiProfile Profile { get; } = TargetProfiles.Loihi with { WeightExponentMin = 0 };

    /// <summary>One netx layer as it will be written: a population and its integer weights (out, in) in netx's units.</summary>
    /// <param name="Population">The population.</param>
    /// <param name="Weight">Feed-forward weights, row-major (out, in).</param>
    /// <param name="InFeatures">Presynaptic neurons.</param>
    /// <param name="WeightRec">Recurrent weights (out, out), or null for a <c>dense</c> layer.</param>
    /// <param name="Bias">bias_mant at bias_exp 6 per neuron, or null when every bias is 0.</param>
    /// <param name="VThMant">vThMant (2^17 for a population that never spikes, as netx's integrators).</param>
    public sealed record NetxLayer(LoihiPopulation Population, int[] Weight, int InFeatures, int[]? WeightRec, int[]? Bias, int VThMant);

    /// <summary>Checks <paramref name="network"/> against netx's layout and Loihi's limits and returns the layers to write.</summary>
    /// <exception cref="HardwareLimitException">A limit is violated (named, with the layer or connection and the value).</exception>
    public static IReadOnlyList<NetxLayer> Check(LoihiNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        // Loihi 1's published registers and resources (TargetProfiles.Loihi), whatever profile the network was quantized with.
        LoihiProfile profile = TargetProfiles.Loihi;
        if (network.InputCount != 1)
            throw new HardwareLimitException(Target, "one input layer (layer/0)", "network", $"{network.InputCount} inputs",
                "netx describes a sequential network whose layer 0 is its only input.");
        if (network.Populations.Count == 0)
            throw new HardwareLimitException(Target, "at least one dense layer", "network", "0 populations", "netx needs a layer after the input.");

        string previous = network.Layers[0].Name;
        int previousSize = network.Layers[0].Size;
        var layers = new List<NetxLayer>();
        var used = new HashSet<int>();
        for (int p = 0; p < network.Populations.Count; p++)
        {
            LoihiPopulation population = network.Populations[p];
            int feedForward = -1, recurrent = -1;
            for (int c = 0; c < network.Connections.Count; c++)
            {
                LoihiConnection connection = network.Connections[c];
                if (connection.To != population.Name) continue;
                if (connection.From == previous && feedForward < 0 && connection.From != population.Name) feedForward = c;
                else if (connection.From == population.Name && recurrent < 0) recurrent = c;
                else
                    throw new HardwareLimitException(Target, "sequential layers (one dense input per layer, optionally one recurrent dense_rec)", $"connection '{connection.Name}'",
                        $"{connection.From} → {connection.To}", $"netx layer {p + 1} ('{population.Name}') can only read layer {p} ('{previous}') and itself.");
            }
            if (feedForward < 0)
                throw new HardwareLimitException(Target, "sequential layers (one dense input per layer, optionally one recurrent dense_rec)", $"population '{population.Name}'",
                    "no connection from " + previous, $"netx layer {p + 1} must read layer {p} ('{previous}').");
            used.Add(feedForward);
            if (recurrent >= 0) used.Add(recurrent);

            int[] weight = NetxWeights(network, feedForward, previousSize, population.Size);
            int[]? weightRec = recurrent < 0 ? null : NetxWeights(network, recurrent, population.Size, population.Size);
            int fanIn = previousSize + (recurrent < 0 ? 0 : population.Size);
            if (fanIn > profile.InputAxonsPerCore)
                throw new HardwareLimitException(Target, $"input axons per core ({profile.InputAxonsPerCore})", $"population '{population.Name}'", $"fan-in {fanIn}",
                    "every presynaptic neuron needs an input axon on each core that holds a neuron of the layer.");

            CheckRange(population.Du, 0, profile.MaxDecay, "du (iDecay − 1)", population.Name);
            CheckRange(population.Dv, 0, profile.MaxDecay, "dv (vDecay)", population.Name);
            int vth = profile.NeverSpikeThreshold;
            if (population.IsSpiking)
            {
                CheckRange(population.Threshold, 1, profile.MaxThresholdMantissa, "threshold mantissa vThMant", population.Name);
                vth = population.Threshold;
            }
            int[]? bias = null;
            for (int i = 0; i < population.Size; i++)
            {
                long effective = (long)population.BiasMantissa[i] << population.BiasExponent[i];
                if (effective == 0) continue;
                long unit = 1L << BiasExponent;
                if (effective % unit != 0 || effective / unit < profile.MinBiasMantissa || effective / unit > profile.MaxBiasMantissa)
                    throw new HardwareLimitException(Target, $"netx bias (bias_mant at bias_exp {BiasExponent}: a multiple of 2^{BiasExponent} in {(long)profile.MinBiasMantissa * unit}…{(long)profile.MaxBiasMantissa * unit})",
                        $"population '{population.Name}', neuron {i}", $"bias {population.BiasMantissa[i]}·2^{population.BiasExponent[i]} = {effective}",
                        "netx stores one bias value per neuron and lava-dl loads it as bias_mant with bias_exp = 6.");
                bias ??= new int[population.Size];
                bias[i] = (int)(effective / unit);
            }
            layers.Add(new NetxLayer(population, weight, previousSize, weightRec, bias, vth));
            previous = population.Name;
            previousSize = population.Size;
        }
        for (int c = 0; c < network.Connections.Count; c++)
            if (!used.Contains(c))
                throw new HardwareLimitException(Target, "sequential layers (one dense input per layer, optionally one recurrent dense_rec)", $"connection '{network.Connections[c].Name}'",
                    $"{network.Connections[c].From} → {network.Connections[c].To}", "netx has no place for it.");

        // Chip resources (nengo-loihi block.py): a lower bound of the cores each layer needs, at the weight bits netx will use.
        int cores = 0;
        foreach (NetxLayer layer in layers)
        {
            long synapseBits = (long)layer.Population.Size * (layer.InFeatures * NetxEncoding(layer.Weight).NumWeightBits
                + (layer.WeightRec is null ? 0 : layer.Population.Size * NetxEncoding(layer.WeightRec).NumWeightBits));
            cores += (int)Math.Max(Ceiling(layer.Population.Size, profile.CompartmentsPerCore), Ceiling(synapseBits, profile.SynapseBitsPerCore));
        }
        if (cores > profile.CoresPerChip)
            throw new HardwareLimitException(Target, $"neuro-cores per chip ({profile.CoresPerChip}: {profile.CompartmentsPerCore} compartments and {profile.SynapseBitsPerCore:N0} synapse bits each)",
                "network", $"at least {cores} cores", "the layers need more compartments or synapse memory than one Loihi chip has.");
        return layers;
    }

    /// <summary>Checks <paramref name="network"/> (<see cref="Check"/>) and writes its netx file, atomically.</summary>
    /// <exception cref="ArgumentException">The network was not quantized for Loihi.</exception>
    /// <exception cref="HardwareLimitException">A limit is violated; nothing is written.</exception>
    public static void Write(QuantizedNetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (network is not LoihiNetwork loihi)
            throw new ArgumentException($"netx is Loihi's format; this network was quantized for {network.Profile.Name}. Quantize with a Loihi profile (NetxExporter.Profile).", nameof(network));
        IReadOnlyList<NetxLayer> layers = Check(loihi);

        var layerGroup = new H5Group { ["0"] = new H5Group { ["type"] = new[] { "input" }, ["shape"] = new H5Dataset(new long[] { loihi.Layers[0].Size }, fileDims: [1]) } };
        for (int k = 0; k < layers.Count; k++)
        {
            NetxLayer layer = layers[k];
            LoihiPopulation p = layer.Population;
            var neuron = new H5Group
            {
                ["type"] = "CUBA",
                ["iDecay"] = (long)(p.Du + 1),
                ["vDecay"] = (long)p.Dv,
                ["vThMant"] = (long)layer.VThMant,
                ["refDelay"] = 1L,
                ["gradedSpike"] = false,
            };
            var group = new H5Group
            {
                ["type"] = new[] { layer.WeightRec is null ? "dense" : "dense_rec" },
                ["shape"] = new H5Dataset(new long[] { p.Size }, fileDims: [1]),
                ["neuron"] = neuron,
                ["inFeatures"] = (long)layer.InFeatures,
                ["outFeatures"] = (long)p.Size,
                ["weight"] = new H5Dataset(layer.Weight.Select(w => (float)w).ToArray(), fileDims: [(ulong)p.Size, (ulong)layer.InFeatures]),
            };
            if (layer.WeightRec is { } rec) group["weight_rec"] = new H5Dataset(rec.Select(w => (float)w).ToArray(), fileDims: [(ulong)p.Size, (ulong)p.Size]);
            if (layer.Bias is { } bias) group["bias"] = new H5Dataset(bias.Select(b => (float)b).ToArray(), fileDims: [(ulong)p.Size]);
            layerGroup[(k + 1).ToString(CultureInfo.InvariantCulture)] = group;
        }

        var file = new H5File { ["layer"] = layerGroup };
        AtomicFile.Write(path, stream =>
        {
            using var buffer = new MemoryStream();          // PureHDF needs a readable, seekable stream
            // netx's layer 'type' is fixed-length ASCII S10; PureHDF applies one string length to the whole file.
            file.Write(buffer, new H5WriteOptions(DefaultStringLength: 10));
            buffer.Position = 0;
            buffer.CopyTo(stream);
        });
    }

    /// <summary>
    /// Reads a netx file into the <see cref="LoihiNetwork"/> lava-dl would build from it: layer 0 an input without
    /// neurons, then <c>dense</c>/<c>dense_rec</c> layers of CUBA (or LOIHI) neurons. Each population lags the input by
    /// its layer number (one Dense each).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not HDF5, or a missing, malformed or unsupported field (the file and the field are named).</exception>
    public static LoihiNetwork Read(string path, NetxReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new NetxReadOptions();
        if (!File.Exists(path)) throw new FileNotFoundException($"netx file '{path}' does not exist.", path);
        NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"netx file '{path}': not a readable HDF5 file: {e.Message}", e);
        }
        using (file)
        {
            var reader = new NetxReader(path);
            try
            {
                return reader.Read(file, options);
            }
            catch (InvalidDataException)
            {
                throw;
            }
            catch (ProfileLimitException e)
            {
                throw new InvalidDataException($"netx file '{path}', field '{reader.Field}': {e.Message}", e);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"netx file '{path}', field '{reader.Field}': cannot be read: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// netx's <c>optimize_weight_bits</c> (lava-dl <c>netx/utils.py</c>): sign mode from the extremes (max &lt; 0
    /// inhibitory, min ≥ 0 excitatory, else mixed), scale_bits = ⌊log2 scale⌋ + mixed with scale = min(127/max, −128/min)
    /// (mixed), 255/max, −256/min; n = the largest k ≤ 8 with every weight a multiple of 2^k, minus mixed;
    /// num_weight_bits = 8 − scale_bits − n; weight_exponent = −scale_bits; weights &lt;&lt; scale_bits.
    /// </summary>
    /// <exception cref="ArgumentException">Every weight is 0 (log2 of 255/0), or a weight outside the range netx can shift.</exception>
    internal static (int[] Weights, int NumWeightBits, int WeightExponent, LoihiSignMode Mode) OptimizeWeightBits(IReadOnlyList<int> weights)
    {
        int max = weights.Max(), min = weights.Min();
        LoihiSignMode mode = max < 0 ? LoihiSignMode.Inhibitory : min >= 0 ? LoihiSignMode.Excitatory : LoihiSignMode.Mixed;
        int isSigned = mode == LoihiSignMode.Mixed ? 1 : 0;
        double scale = mode switch
        {
            LoihiSignMode.Mixed => Math.Min(127.0 / max, -128.0 / min),
            LoihiSignMode.Inhibitory => -256.0 / min,
            _ => 255.0 / max,
        };
        if (!double.IsFinite(scale)) throw new ArgumentException("every weight is 0: netx's optimize_weight_bits takes log2(255/0).");
        int scaleBits = (int)Math.Floor(Math.Log2(scale)) + isSigned;
        if (scaleBits < 0) throw new ArgumentException($"weights {min}…{max} need a right shift (scale_bits {scaleBits}), which netx's np.left_shift cannot do.");
        int n = 8;
        while (n > 0 && weights.Any(w => w % (1 << n) != 0)) n--;
        n -= isSigned;
        return (weights.Select(w => w << scaleBits).ToArray(), 8 - scaleBits - n, -scaleBits, mode);
    }

    /// <summary>The encoding netx derives for integer weights (for the resource estimate).</summary>
    private static (int NumWeightBits, int WeightExponent) NetxEncoding(int[] weights)
    {
        (_, int bits, int exponent, _) = OptimizeWeightBits(weights);
        return (bits, exponent);
    }

    /// <summary>
    /// The integer weights (out, in) of connection <paramref name="c"/> in netx's units (the contribution of one spike
    /// to a_in), checked to come back exactly through <see cref="OptimizeWeightBits"/> and Lava's clipping and truncation.
    /// </summary>
    private static int[] NetxWeights(LoihiNetwork network, int c, int pre, int post)
    {
        LoihiConnection connection = network.Connections[c];
        ReadOnlySpan<int> prepared = network.PreparedWeights(c);
        int exponent = connection.WeightExponent;
        string owner = $"connection '{connection.Name}'";
        var weight = new int[post * pre];
        for (int j = 0; j < pre; j++)
        {
            for (int i = 0; i < post; i++)
            {
                int w = prepared[j * post + i];
                if (exponent < 0 && w % (1 << -exponent) != 0)
                    throw new HardwareLimitException(Target, "netx integer weights (lava-dl derives weight_exp from the stored weights)", owner + $", synapse {j} → {i}",
                        $"weight {w}·2^{exponent}", $"netx stores the contribution of a spike as an integer, so a weight at weight_exp {exponent} must be a multiple of 2^{-exponent}; quantize with NetxExporter.Profile (TargetProfiles.Loihi with {{ WeightExponentMin = 0 }}).");
                weight[i * pre + j] = exponent >= 0 ? w << exponent : w >> -exponent;
            }
        }

        int max = weight.Max(), min = weight.Min();
        if (max == 0 && min == 0)
            throw new HardwareLimitException(Target, "netx weights (at least one non-zero weight per matrix)", owner, "all weights 0", "netx's optimize_weight_bits takes log2(255/max) and fails on an all-zero matrix; remove the connection.");
        if (max < 0)
            CheckWeights(weight, -255, -1, "inhibitory sign mode: −255…−1", owner, even: false);
        else if (min >= 0)
            CheckWeights(weight, 0, 255, "excitatory sign mode: 0…255", owner, even: false);
        else
            CheckWeights(weight, -256, 254, "mixed sign mode: even, −256…254", owner, even: true);

        // What lava-dl builds from these integers: optimize_weight_bits, then Lava's Dense clips and truncates.
        (int[] shifted, int bits, int netxExponent, LoihiSignMode mode) = OptimizeWeightBits(weight);
        int[] dense = LoihiDense.Prepare(shifted, mode, bits);
        for (int k = 0; k < weight.Length; k++)
        {
            long back = netxExponent >= 0 ? (long)dense[k] << netxExponent : dense[k] % (1 << -netxExponent) == 0 ? dense[k] >> -netxExponent : long.MinValue;
            if (back != weight[k])
                throw new HardwareLimitException(Target, "netx weight encoding (optimize_weight_bits, then Lava's clip and truncate)", owner + $", synapse {k % pre} → {k / pre}",
                    $"weight {weight[k]}", $"lava-dl would load it as {dense[k]}·2^{netxExponent}.");
        }
        return weight;
    }

    private static void CheckWeights(int[] weight, int min, int max, string range, string owner, bool even)
    {
        for (int k = 0; k < weight.Length; k++)
        {
            int w = weight[k];
            if (w < min || w > max || (even && w % 2 != 0))
                throw new HardwareLimitException(Target, $"netx weight range ({range})", owner, $"weight {w}",
                    "lava-dl's optimize_weight_bits and Lava's Dense keep exactly these integers (SLAYER exports even weights in −256…254).");
        }
    }

    private static void CheckRange(int value, int min, int max, string limit, string population)
    {
        if (value < min || value > max)
            throw new HardwareLimitException(Target, $"{limit} in {min}…{max}", $"population '{population}'", value.ToString(CultureInfo.InvariantCulture), "Lava's LIF register has this range.");
    }

    private static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;

    /// <summary>Reads the layout, remembering the field being read for error messages.</summary>
    private sealed class NetxReader(string path)
    {
        public string Field { get; private set; } = "layer";

        private InvalidDataException Error(string problem) => new($"netx file '{path}', field '{Field}': {problem}");

        public LoihiNetwork Read(NativeFile file, NetxReadOptions options)
        {
            Field = "layer";
            if (!file.LinkExists("layer") || file.Get("layer") is not IH5Group layerGroup) throw Error("missing: a netx file has a group 'layer' with layers 0 … n − 1.");
            var children = layerGroup.Children().ToList();
            int count = children.Count;
            if (count < 2) throw Error($"has {count} layer(s); an input layer and at least one dense layer are needed.");
            var layers = new IH5Group[count];
            foreach (IH5Object child in children)
            {
                Field = "layer/" + child.Name;
                if (!int.TryParse(child.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= count || layers[index] is not null)
                    throw Error($"layers are named 0 … {count - 1}; found '{child.Name}'.");
                layers[index] = child as IH5Group ?? throw Error("is a dataset; every layer is a group.");
            }

            IReadOnlyList<string> names = options.LayerNames ?? ["input", .. Enumerable.Range(1, count - 1).Select(k => "layer" + k.ToString(CultureInfo.InvariantCulture))];
            if (names.Count != count) throw new ArgumentException($"{names.Count} layer names for the {count} layers of '{path}'.", nameof(options));

            // Layer 0: the input (spikes go straight into the first Dense, as netx does when the input layer has no neuron).
            string type = String(layers[0], "layer/0", "type");
            if (type != "input") throw Error($"is '{type}'; layer 0 must be the input.");
            if (layers[0].LinkExists("neuron")) { Field = "layer/0/neuron"; throw Error("an input layer with neurons (netx's Input block) is not supported: LoihiNetwork feeds spikes straight into the first Dense."); }
            int previousSize = Size(layers[0], "layer/0");
            var inputs = new List<(string, int)> { (names[0], previousSize) };
            var populations = new List<LoihiPopulation>();
            var connections = new List<LoihiConnection>();
            var latency = new Dictionary<string, int>();

            for (int k = 1; k < count; k++)
            {
                string where = "layer/" + k.ToString(CultureInfo.InvariantCulture);
                IH5Group layer = layers[k];
                type = String(layer, where, "type");
                if (type is not ("dense" or "dense_rec"))
                    throw Error($"is '{type}'; LoihiNetwork reads 'dense' and 'dense_rec' layers (netx also knows conv, flatten, dense_comp, pool, …).");
                int size = Size(layer, where);
                if (Optional(layer, where, "outFeatures") is { } outFeatures && (outFeatures.Values.Length != 1 || outFeatures.Values[0] != size))
                    throw Error($"is {Describe(outFeatures.Values)} but 'shape' gives {size} neurons.");
                if (Optional(layer, where, "inFeatures") is { } inFeatures && (inFeatures.Values.Length != 1 || inFeatures.Values[0] != previousSize))
                    throw Error($"is {Describe(inFeatures.Values)} but layer {k - 1} has {previousSize} neurons.");

                if (!layer.LinkExists("neuron")) { Field = where + "/neuron"; throw Error("missing; netx's default integrator (iDecay 0, vDecay 4096) is outside Lava's du, dv registers (0…4095)."); }
                Field = where + "/neuron";
                if (layer.Get("neuron") is not IH5Group neuron) throw Error("is a dataset, not a group.");
                string neuronType = String(neuron, where + "/neuron", "type");
                if (neuronType is not ("CUBA" or "LOIHI"))
                    throw Error($"neuron type '{neuronType}' is not supported: LoihiNetwork is Lava's CUBA LIF (netx also knows SDNN and RF neurons).");
                int iDecay = Integer(neuron, where + "/neuron", "iDecay", 1, 4096);
                int vDecay = Integer(neuron, where + "/neuron", "vDecay", 0, 4095);
                long vThMant = Integer(neuron, where + "/neuron", "vThMant", 0, int.MaxValue);
                if (Optional(neuron, where + "/neuron", "gradedSpike") is { } graded && graded.Values.Any(v => v != 0))
                    throw Error("graded spikes are not supported: LoihiNetwork's spikes are binary.");
                if (Optional(neuron, where + "/neuron", "messageBits") is { } messageBits && messageBits.Values.Any(v => v != 0))
                    throw Error("graded spikes (messageBits > 0) are not supported: LoihiNetwork's spikes are binary.");

                int[]? biasMantissa = null;
                if (Optional(layer, where, "bias") is { } bias)
                {
                    if (bias.Values.Length != size && bias.Values.Length != 1) throw Error($"has {bias.Values.Length} values for {size} neurons.");
                    if (bias.Values.Any(b => !double.IsFinite(b) || Math.Truncate(b) < TargetProfiles.Loihi.MinBiasMantissa || Math.Truncate(b) > TargetProfiles.Loihi.MaxBiasMantissa))
                        throw Error($"is {Describe(bias.Values)}; netx loads it as bias_mant, −4096…4095.");
                    biasMantissa = bias.Values.Select(b => (int)Math.Truncate(b)).ToArray();     // netx: astype(int)
                }
                if (Optional(layer, where, "delay") is { } delay && delay.Values.Any(d => d != 0))
                    throw Error("synaptic or axonal delays are not supported: LoihiNetwork's Dense delivers every spike one step later.");

                bool spiking = vThMant < TargetProfiles.Loihi.NeverSpikeThreshold;
                string name = names[k];
                populations.Add(new LoihiPopulation(name, size, iDecay - 1, vDecay, spiking ? (int)vThMant : 0, biasMantissa,
                    biasMantissa is null ? null : [BiasExponent], spiking));
                latency[name] = k;

                int[] weight = Weights(layer, where, "weight", size, previousSize);
                connections.Add(Connection(where + "/weight", names[k - 1], name, weight, size, previousSize));
                if (type == "dense_rec")
                {
                    int[] rec = Weights(layer, where, "weight_rec", size, size);
                    connections.Add(Connection(where + "/weight_rec", name, name, rec, size, size));
                }
                else if (layer.LinkExists("weight_rec")) { Field = where + "/weight_rec"; throw Error("present in a 'dense' layer; recurrent weights belong to a 'dense_rec' layer."); }
                previousSize = size;
            }

            Field = "layer";
            return new LoihiNetwork(inputs, populations, connections, options.Profile ?? TargetProfiles.Loihi, latency);
        }

        private LoihiConnection Connection(string name, string from, string to, int[] outIn, int post, int pre)
        {
            Field = name;
            if (outIn.All(w => w == 0)) throw Error("every weight is 0; lava-dl's optimize_weight_bits cannot encode it (log2 of 255/0).");
            (int[] shifted, int bits, int exponent, LoihiSignMode mode) = OptimizeWeightBits(outIn);
            var prePost = new int[pre * post];
            for (int i = 0; i < post; i++)
                for (int j = 0; j < pre; j++) prePost[j * post + i] = shifted[i * pre + j];
            return new LoihiConnection(name, from, to, prePost, exponent, bits, mode);
        }

        private int[] Weights(IH5Group layer, string where, string name, int post, int pre)
        {
            Field = where + "/" + name;
            (long[] shape, double[] values) = Optional(layer, where, name) ?? throw Error("missing.");
            Field = where + "/" + name;
            if (values.Length != post * pre || (shape.Length == 2 && (shape[0] != post || shape[1] != pre)) || shape.Length > 2)
                throw Error($"has shape [{string.Join(", ", shape)}]; (out, in) = ({post}, {pre}) was expected.");
            var weights = new int[values.Length];
            for (int k = 0; k < values.Length; k++)
            {
                double w = values[k];
                if (!double.IsFinite(w) || Math.Abs(w) > 1 << 20) throw Error($"element {k} is {w.ToString(CultureInfo.InvariantCulture)}; netx weights are integers.");
                weights[k] = (int)Math.Truncate(w);            // netx: astype(int)
            }
            return weights;
        }

        private int Size(IH5Group layer, string where)
        {
            (_, double[] shape) = Optional(layer, where, "shape") ?? throw Error("missing.");
            Field = where + "/shape";
            if (shape.Length == 0 || shape.Any(d => d < 1 || d != Math.Floor(d))) throw Error($"is {Describe(shape)}; a neuron shape of positive integers was expected.");
            double product = shape.Aggregate(1.0, (a, b) => a * b);
            if (product > 1 << 24) throw Error($"has {product} neurons.");
            return (int)product;
        }

        private int Integer(IH5Group group, string where, string name, long min, long max)
        {
            (_, double[] values) = Optional(group, where, name) ?? throw Error("missing.");
            Field = where + "/" + name;
            if (values.Length != 1 || values[0] != Math.Floor(values[0]) || values[0] < min || values[0] > max)
                throw Error($"is {Describe(values)}; one integer in {min}…{max} was expected.");
            return (int)values[0];
        }

        private string String(IH5Group group, string where, string name)
        {
            Field = where + "/" + name;
            if (!group.LinkExists(name)) throw Error("missing.");
            if (group.Get(name) is not IH5Dataset d) throw Error("is a group, not a string dataset.");
            if (d.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength)) throw Error($"has HDF5 type {d.Type.Class}; a string was expected.");
            string text = d.Space.Type == H5DataspaceType.Scalar ? d.Read<string>() : d.Read<string[]>().FirstOrDefault() ?? throw Error("is an empty array.");
            return text.TrimEnd('\0', ' ');
        }

        /// <summary>A numeric dataset as doubles with its shape, or null when absent.</summary>
        private (long[] Shape, double[] Values)? Optional(IH5Group group, string where, string name)
        {
            Field = where + "/" + name;
            if (!group.LinkExists(name)) return null;
            if (group.Get(name) is not IH5Dataset d) throw Error("is a group, not a dataset.");
            long[] shape = d.Space.Type switch
            {
                H5DataspaceType.Scalar => [],
                H5DataspaceType.Simple => d.Space.Dimensions.Select(x => (long)x).ToArray(),
                _ => throw Error("has no value (null dataspace)."),
            };
            IH5DataType type = d.Type;
            double[] values = (type.Class, type.Size) switch
            {
                (H5DataTypeClass.FloatingPoint, 4) => d.Read<float[]>().Select(v => (double)v).ToArray(),
                (H5DataTypeClass.FloatingPoint, 8) => d.Read<double[]>(),
                (H5DataTypeClass.FixedPoint, 8) => d.Read<long[]>().Select(v => (double)v).ToArray(),
                (H5DataTypeClass.FixedPoint, 4) => d.Read<int[]>().Select(v => (double)v).ToArray(),
                (H5DataTypeClass.FixedPoint, 2) => d.Read<short[]>().Select(v => (double)v).ToArray(),
                (H5DataTypeClass.FixedPoint or H5DataTypeClass.BitField or H5DataTypeClass.Enumerated, 1) => d.Read<byte[]>().Select(v => (double)v).ToArray(),
                _ => throw Error($"has HDF5 type {type.Class} of {type.Size} bytes; numbers were expected."),
            };
            return (shape, values);
        }

        private static string Describe(double[] values) =>
            values.Length == 1 ? values[0].ToString(CultureInfo.InvariantCulture) : "[" + string.Join(", ", values.Take(4).Select(v => v.ToString(CultureInfo.InvariantCulture))) + (values.Length > 4 ? ", …]" : "]");
    }
}
