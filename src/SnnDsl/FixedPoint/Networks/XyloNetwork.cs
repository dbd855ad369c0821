using System.Numerics;
using SnnDsl.Neurons;

namespace SnnDsl.FixedPoint;

/// <summary>
/// A population placed on Xylo's hidden (reservoir) or readout neurons: per neuron a membrane dash, one dash per synaptic
/// state, an int16 threshold and bias.
/// </summary>
public sealed class XyloNeuronGroup
{
    /// <summary>A group; per-neuron arrays may also hold a single value for all neurons.</summary>
    /// <param name="name">Population name.</param>
    /// <param name="size">Neurons.</param>
    /// <param name="dashMem">Membrane bit-shift decay, 0…15.</param>
    /// <param name="dashSyn">Per synaptic state, the bit-shift decay, 0…15 (one or two states).</param>
    /// <param name="threshold">Threshold, 1…32767.</param>
    /// <param name="bias">Bias added to the membrane change each step (xylosim v2 only).</param>
    /// <param name="scale">Raw units per float unit, one value or one per neuron (for the float view).</param>
    public XyloNeuronGroup(string name, int size, int[] dashMem, int[][] dashSyn, int[] threshold, int[]? bias = null, double[]? scale = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (dashSyn.Length is < 1 or > 2) throw new ArgumentException($"Group '{name}' has {dashSyn.Length} synaptic states; Xylo has one or two.", nameof(dashSyn));
        Name = name;
        Size = size;
        DashMem = Expand(dashMem, size, name, "dash_mem");
        DashSyn = dashSyn.Select((d, k) => Expand(d, size, name, k == 0 ? "dash_syn" : "dash_syn_2")).ToArray();
        Threshold = Expand(threshold, size, name, "threshold");
        Bias = Expand(bias ?? [0], size, name, "bias");
        Scale = scale is null ? [1.0] : scale.Length == 1 || scale.Length == size ? (double[])scale.Clone()
            : throw new ArgumentException($"Group '{name}': {scale.Length} scales for {size} neurons.", nameof(scale));
    }

    /// <summary>Population name.</summary>
    public string Name { get; }

    /// <summary>Neurons.</summary>
    public int Size { get; }

    /// <summary>dash_mem per neuron.</summary>
    public int[] DashMem { get; }

    /// <summary>dash_syn per synaptic state per neuron.</summary>
    public int[][] DashSyn { get; }

    /// <summary>Threshold per neuron.</summary>
    public int[] Threshold { get; }

    /// <summary>Bias per neuron.</summary>
    public int[] Bias { get; }

    /// <summary>Raw units per float unit (one or per neuron).</summary>
    public double[] Scale { get; }

    /// <summary>Synaptic states.</summary>
    public int Synapses => DashSyn.Length;

    private static int[] Expand(int[] values, int size, string owner, string parameter) =>
        values.Length == 1 ? Enumerable.Repeat(values[0], size).ToArray()
            : values.Length == size ? (int[])values.Clone()
            : throw new ArgumentException($"Group '{owner}': {parameter} has {values.Length} values for {size} neurons; give one or {size}.");
}

/// <summary>
/// A network on one Xylo core, simulated as xylosim's <c>XyloLayer::evolve</c>: one input layer (≤ 16 channels), the
/// hidden neurons of every spiking population side by side (recurrent weights between them), readout neurons. Weights are
/// int8 with a left shift per matrix: input [channel, hidden, synapse], recurrent [hidden, hidden, synapse], readout
/// [hidden, readout]. Per step: deliver this step's input events, deliver the previous step's hidden spike counts to
/// hidden and readout neurons, then evolve hidden (≤ 31 spikes) and readout (≤ 1 spike) neurons. With
/// <see cref="QuantizedEngine.Kernels"/> the events are added a weight row at a time with saturating SIMD adds, and a group
/// evolves with <c>CubaLif.StepXyloAudio2</c> (v1) or <c>StepXyloAudio3</c>/<c>StepXyloImu</c> (v2) over each run of neurons
/// with equal dashes and threshold, unless it has two synaptic states or a bias (<see cref="QuantizedNetwork.KernelFallback"/>).
/// </summary>
public sealed class XyloNetwork : QuantizedNetwork
{
    /// <summary>The signature of the generated <c>CubaLif.StepXylo…</c> kernels.</summary>
    private delegate void XyloKernel(Span<int> stateI, Span<int> stateU, ReadOnlySpan<int> synapticInput, int dashSyn, int dashMem, int threshold, int maxSpikes, Span<int> spikeCounts);

    /// <summary>Neurons first…first + Length − 1 of a group, which share their dashes and threshold.</summary>
    private readonly record struct ParameterRun(int First, int Length, int DashSyn, int DashMem, int Threshold);

    private readonly XyloProfile _profile;
    private readonly SynapseList _in, _rec, _out;
    private readonly int _hidden, _readout, _synapses;
    private readonly int[] _groupStart;   // first neuron of each hidden group, then each readout group
    private readonly int[] _rowsIn, _rowsRec, _rowsOut;   // (int16)(weight << shift), [pre, post, synapse]
    private readonly XyloKernel _kernel;
    private readonly string?[] _fallback;   // why each group runs on XyloNeuron under the kernel engine, or null
    private readonly ParameterRun[][] _runs;          // each kernel group's runs of equal parameters

    /// <summary>Builds and checks a network against the device's limits.</summary>
    /// <param name="input">The input layer (name, channels).</param>
    /// <param name="hidden">Spiking populations, placed side by side on the hidden neurons in this order.</param>
    /// <param name="readout">Readout populations, side by side on the readout neurons (one synaptic state each).</param>
    /// <param name="weightsIn">[channel, hidden, synapse] int8.</param>
    /// <param name="weightsRec">[hidden, hidden, synapse] int8 (null: none).</param>
    /// <param name="weightsOut">[hidden, readout] int8.</param>
    /// <param name="shiftIn">Left shift of input weights.</param>
    /// <param name="shiftRec">Left shift of recurrent weights.</param>
    /// <param name="shiftOut">Left shift of readout weights.</param>
    /// <param name="profile">The device (default <see cref="TargetProfiles.Xylo"/>).</param>
    /// <param name="latency">Per population, the steps it lags the float network; default 0.</param>
    /// <param name="report">What quantization changed.</param>
    /// <exception cref="ProfileLimitException">A size, a parameter or a weight placement exceeds the device.</exception>
    public XyloNetwork((string Name, int Size) input, IReadOnlyList<XyloNeuronGroup> hidden, IReadOnlyList<XyloNeuronGroup> readout,
        sbyte[] weightsIn, sbyte[]? weightsRec, sbyte[] weightsOut, int shiftIn, int shiftRec, int shiftOut,
        XyloProfile? profile = null, IReadOnlyDictionary<string, int>? latency = null, QuantizationReport? report = null)
        : base(profile ?? TargetProfiles.Xylo, Describe(input, hidden, readout, latency), report)
    {
        _profile = (XyloProfile)Profile;
        Hidden = hidden;
        Readout = readout;
        ShiftIn = shiftIn;
        ShiftRec = shiftRec;
        ShiftOut = shiftOut;
        _hidden = hidden.Sum(g => g.Size);
        _readout = readout.Sum(g => g.Size);
        _synapses = hidden.Count == 0 ? 1 : hidden.Max(g => g.Synapses);
        _groupStart = new int[hidden.Count + readout.Count];
        for (int g = 1; g < hidden.Count; g++) _groupStart[g] = _groupStart[g - 1] + hidden[g - 1].Size;
        for (int g = 1; g < readout.Count; g++) _groupStart[hidden.Count + g] = _groupStart[hidden.Count + g - 1] + readout[g - 1].Size;

        string name = Profile.Name;
        if (input.Size > _profile.InputChannels)
            throw new ProfileLimitException(name, input.Name, "", $"{input.Size} input channels; {name} has {_profile.InputChannels}.");
        if (_hidden > _profile.HiddenNeurons)
            throw new ProfileLimitException(name, string.Join(" + ", hidden.Select(g => g.Name)), "", $"{_hidden} hidden neurons; {name} has {_profile.HiddenNeurons}.");
        if (_readout > _profile.OutputNeurons)
            throw new ProfileLimitException(name, string.Join(" + ", readout.Select(g => g.Name)), "", $"{_readout} readout neurons; {name} has {_profile.OutputNeurons}.");
        foreach (XyloNeuronGroup g in hidden) CheckGroup(g, _profile.SynapticStatesPerHidden, _profile.CoreVersion);
        foreach (XyloNeuronGroup g in readout) CheckGroup(g, 1, _profile.CoreVersion);
        foreach (XyloNeuronGroup g in hidden.Where(g => g.Synapses != _synapses))
            throw new ArgumentException($"Every hidden group must have the same number of synaptic states; '{g.Name}' has {g.Synapses}, others {_synapses}.");
        CheckShift(shiftIn, "weight_shift_in");
        CheckShift(shiftRec, "weight_shift_rec");
        CheckShift(shiftOut, "weight_shift_out");
        if (weightsIn.Length != input.Size * _hidden * _synapses)
            throw new ArgumentException($"weights_in has {weightsIn.Length} entries; [{input.Size}, {_hidden}, {_synapses}] needs {input.Size * _hidden * _synapses}.", nameof(weightsIn));
        weightsRec ??= new sbyte[_hidden * _hidden * _synapses];
        if (weightsRec.Length != _hidden * _hidden * _synapses)
            throw new ArgumentException($"weights_rec has {weightsRec.Length} entries; [{_hidden}, {_hidden}, {_synapses}] needs {_hidden * _hidden * _synapses}.", nameof(weightsRec));
        if (weightsOut.Length != _hidden * _readout)
            throw new ArgumentException($"weights_out has {weightsOut.Length} entries; [{_hidden}, {_readout}] needs {_hidden * _readout}.", nameof(weightsOut));

        WeightsIn = (sbyte[])weightsIn.Clone();
        WeightsRec = (sbyte[])weightsRec.Clone();
        WeightsOut = (sbyte[])weightsOut.Clone();
        _in = SynapseList.Build(WeightsIn, input.Size, _hidden, _synapses);
        _rec = SynapseList.Build(WeightsRec, _hidden, _hidden, _synapses);
        _out = SynapseList.Build(WeightsOut, _hidden, _readout, 1);
        CheckPlacement(input.Name);

        _rowsIn = WeightsIn.Select(w => (int)unchecked((short)(w << shiftIn))).ToArray();
        _rowsRec = WeightsRec.Select(w => (int)unchecked((short)(w << shiftRec))).ToArray();
        _rowsOut = WeightsOut.Select(w => (int)unchecked((short)(w << shiftOut))).ToArray();
        _kernel = _profile.CoreVersion == XyloCoreVersion.V1 ? CubaLif.StepXyloAudio2
            : _profile.Device == TargetProfiles.XyloImu.Device ? CubaLif.StepXyloImu : CubaLif.StepXyloAudio3;
        _fallback = Enumerable.Range(0, hidden.Count + readout.Count).Select(KernelObstacle).ToArray();
        _runs = Enumerable.Range(0, hidden.Count + readout.Count).Select(g => _fallback[g] is null ? Runs(Group(g)) : []).ToArray();
    }

    /// <summary>Hidden groups.</summary>
    public IReadOnlyList<XyloNeuronGroup> Hidden { get; }

    /// <summary>Readout groups.</summary>
    public IReadOnlyList<XyloNeuronGroup> Readout { get; }

    /// <summary>weights_in [channel, hidden, synapse].</summary>
    public sbyte[] WeightsIn { get; }

    /// <summary>weights_rec [hidden, hidden, synapse].</summary>
    public sbyte[] WeightsRec { get; }

    /// <summary>weights_out [hidden, readout].</summary>
    public sbyte[] WeightsOut { get; }

    /// <summary>weight_shift_in.</summary>
    public int ShiftIn { get; }

    /// <summary>weight_shift_rec.</summary>
    public int ShiftRec { get; }

    /// <summary>weight_shift_out.</summary>
    public int ShiftOut { get; }

    private protected override bool CountsSpikes => true;

    private static List<QuantizedLayer> Describe((string Name, int Size) input, IReadOnlyList<XyloNeuronGroup> hidden, IReadOnlyList<XyloNeuronGroup> readout, IReadOnlyDictionary<string, int>? latency)
    {
        var layers = new List<QuantizedLayer> { new(input.Name, input.Size, true, false, [], 0) };
        layers.AddRange(hidden.Select(g => new QuantizedLayer(g.Name, g.Size, false, true, g.Synapses == 2 ? ["I", "I2", "U"] : ["I", "U"], latency?.GetValueOrDefault(g.Name) ?? 0)));
        layers.AddRange(readout.Select(g => new QuantizedLayer(g.Name, g.Size, false, false, ["I", "U"], latency?.GetValueOrDefault(g.Name) ?? 0)));
        return layers;
    }

    private void CheckGroup(XyloNeuronGroup g, int maxSynapses, XyloCoreVersion version)
    {
        string name = Profile.Name;
        if (g.Synapses > maxSynapses)
            throw new ProfileLimitException(name, g.Name, "dash_syn", $"{g.Synapses} synaptic states per neuron; {name} has {maxSynapses} here.");
        for (int i = 0; i < g.Size; i++)
        {
            if (g.DashMem[i] < 0 || g.DashMem[i] > _profile.MaxDash)
                throw new ProfileLimitException(name, g.Name, "dash_mem", $"neuron {i}: {g.DashMem[i]} is outside 0…{_profile.MaxDash}.");
            foreach (int[] d in g.DashSyn)
                if (d[i] < 0 || d[i] > _profile.MaxDash)
                    throw new ProfileLimitException(name, g.Name, "dash_syn", $"neuron {i}: {d[i]} is outside 0…{_profile.MaxDash}.");
            if (g.Threshold[i] < 1 || g.Threshold[i] > _profile.StateMax)
                throw new ProfileLimitException(name, g.Name, "threshold", $"neuron {i}: {g.Threshold[i]} is outside 1…{_profile.StateMax} (θ ≤ 0 makes v ≥ θ always true).");
            if (g.Bias[i] < _profile.StateMin || g.Bias[i] > _profile.StateMax)
                throw new ProfileLimitException(name, g.Name, "bias", $"neuron {i}: {g.Bias[i]} is outside {_profile.StateMin}…{_profile.StateMax}.");
            if (g.Bias[i] != 0 && version == XyloCoreVersion.V1)
                throw new ProfileLimitException(name, g.Name, "bias", $"neuron {i} has bias {g.Bias[i]}, but xylosim v1 (the {name} neuron) has no bias.");
        }
    }

    private void CheckShift(int shift, string parameter)
    {
        if (shift < 0 || shift > _profile.MaxWeightShift)
            throw new ProfileLimitException(Profile.Name, "network", parameter, $"{shift} is outside 0…{_profile.MaxWeightShift}.");
    }

    private void CheckPlacement(string inputName)
    {
        string name = Profile.Name;
        for (int j = 0; j < _hidden; j++)
        {
            int fanOut = _rec.RowStart[j + 1] - _rec.RowStart[j] == 0 ? 0 : _rec.Target.AsSpan(_rec.RowStart[j], _rec.RowStart[j + 1] - _rec.RowStart[j]).ToArray().Distinct().Count();
            if (fanOut > _profile.MaxFanOut)
                throw new ProfileLimitException(name, HiddenName(j), "weights_rec", $"hidden neuron {j} has {fanOut} recurrent targets; {name} allows a fan-out of {_profile.MaxFanOut}.");
        }
        if (_profile.InputExpansionNeurons is int firstN)
            for (int k = 0; k < _in.Target.Length; k++)
                if (_in.Target[k] >= firstN)
                    throw new ProfileLimitException(name, inputName, "weights_in", $"inputs reach only the first {firstN} hidden neurons on {name}, but a weight targets hidden neuron {_in.Target[k]} ({HiddenName(_in.Target[k])}).");
        if (_profile.OutputExpansionNeurons is int lastN)
            for (int j = 0; j < _hidden - lastN; j++)
                if (_out.RowStart[j + 1] > _out.RowStart[j])
                    throw new ProfileLimitException(name, HiddenName(j), "weights_out", $"only the last {lastN} hidden neurons drive readouts on {name}, but hidden neuron {j} has readout weights.");
    }

    private string HiddenName(int neuron)
    {
        for (int g = Hidden.Count - 1; g >= 0; g--)
            if (neuron >= _groupStart[g]) return Hidden[g].Name;
        return "hidden";
    }

    private protected override double[] StateScale(int population, int state) => Group(population).Scale;

    private protected override string? FallbackReason(int population) => _fallback[population];

    private XyloNeuronGroup Group(int g) => g < Hidden.Count ? Hidden[g] : Readout[g - Hidden.Count];

    private int MaxSpikes(int g) => g < Hidden.Count ? _profile.MaxHiddenSpikes : _profile.MaxOutputSpikes;

    /// <summary>What keeps group <paramref name="g"/> off the generated <c>StepXylo…</c>, or null.</summary>
    private string? KernelObstacle(int g)
    {
        XyloNeuronGroup group = Group(g);
        if (_profile.StateBits != 16)
            return $"the profile's states are {_profile.StateBits}-bit, and the StepXylo… kernels are xylosim's int16";
        if (MaxSpikes(g) is < 1 or > 31)
            return $"its spike cap {MaxSpikes(g)} is outside the kernels' 1…31";
        if (group.Synapses != 1)
            return $"it has {group.Synapses} synaptic states, and CubaLif's StepXylo… has one";
        if (group.Bias.Any(b => b != 0))
            return "it has a bias, and CubaLif's StepXylo… has none";
        return null;
    }

    /// <summary>The runs of consecutive neurons with equal dash_syn, dash_mem and threshold.</summary>
    private static ParameterRun[] Runs(XyloNeuronGroup group)
    {
        var runs = new List<ParameterRun>();
        for (int first = 0, i = 1; i <= group.Size; i++)
        {
            if (i < group.Size && group.DashSyn[0][i] == group.DashSyn[0][first] && group.DashMem[i] == group.DashMem[first] && group.Threshold[i] == group.Threshold[first])
                continue;
            runs.Add(new ParameterRun(first, i - first, group.DashSyn[0][first], group.DashMem[first], group.Threshold[first]));
            first = i;
        }
        return runs.ToArray();
    }

    /// <summary>Non-zero synapses per presynaptic neuron, ordered by target then synapse (the order they are delivered in).</summary>
    private sealed record SynapseList(int[] RowStart, int[] Target, byte[] Synapse, sbyte[] Weight)
    {
        public static SynapseList Build(sbyte[] weights, int pre, int post, int synapses)
        {
            var rowStart = new int[pre + 1];
            var target = new List<int>();
            var synapse = new List<byte>();
            var weight = new List<sbyte>();
            for (int j = 0; j < pre; j++)
            {
                for (int i = 0; i < post; i++)
                    for (int s = 0; s < synapses; s++)
                    {
                        sbyte w = weights[(j * post + i) * synapses + s];
                        if (w == 0) continue;
                        target.Add(i);
                        synapse.Add((byte)s);
                        weight.Add(w);
                    }
                rowStart[j + 1] = target.Count;
            }
            return new SynapseList(rowStart, target.ToArray(), synapse.ToArray(), weight.ToArray());
        }
    }

    private sealed class Worker
    {
        public Worker(int hidden, int readout, int synapses)
        {
            HiddenCurrent = new short[hidden * synapses];
            HiddenMembrane = new short[hidden];
            HiddenSpikes = new byte[hidden];
            ReadoutCurrent = new short[readout];
            ReadoutMembrane = new short[readout];
        }

        public short[] HiddenCurrent { get; }
        public short[] HiddenMembrane { get; }
        public byte[] HiddenSpikes { get; }    // the recurrent spike buffer: counts of the previous step
        public short[] ReadoutCurrent { get; }
        public short[] ReadoutMembrane { get; }
    }

    /// <summary>The kernel engine's scratch: the same states as ints, the kernels' state type.</summary>
    private sealed class KernelWorker
    {
        public KernelWorker(int hidden, int readout, int synapses)
        {
            HiddenCurrent = new int[hidden * synapses];
            HiddenMembrane = new int[hidden];
            HiddenSpikes = new int[hidden];
            ReadoutCurrent = new int[readout];
            ReadoutMembrane = new int[readout];
            Counts = new int[Math.Max(hidden, readout)];
            Zero = new int[Math.Max(hidden, readout)];
        }

        public int[] HiddenCurrent { get; }
        public int[] HiddenMembrane { get; }
        public int[] HiddenSpikes { get; }     // the recurrent spike buffer: counts of the previous step
        public int[] ReadoutCurrent { get; }
        public int[] ReadoutMembrane { get; }
        public int[] Counts { get; }           // the spike counts of the group being evolved
        public int[] Zero { get; }             // the kernels' input: the events are already in i_syn
    }

    private protected override object CreateWorker(QuantizedEngine engine) =>
        engine == QuantizedEngine.Kernels ? new KernelWorker(_hidden, _readout, _synapses) : new Worker(_hidden, _readout, _synapses);

    private static void Deliver(SynapseList list, int pre, int count, short[] current, int synapses, int shift)
    {
        for (int k = list.RowStart[pre]; k < list.RowStart[pre + 1]; k++)
        {
            int index = list.Target[k] * synapses + list.Synapse[k];
            for (int n = 0; n < count; n++)
                current[index] = XyloNeuron.ReceiveSpike(current[index], list.Weight[k], shift);
        }
    }

    /// <summary>xylosim's evolve of neuron <paramref name="i"/> of a group (v1 or v2); returns its spike count.</summary>
    private int Evolve(int g, int i, Span<short> syn, ref short membrane)
    {
        XyloNeuronGroup group = Group(g);
        Span<byte> dashSyn = stackalloc byte[2];
        for (int s = 0; s < syn.Length; s++) dashSyn[s] = (byte)group.DashSyn[s][i];
        return _profile.CoreVersion == XyloCoreVersion.V1
            ? XyloNeuron.EvolveV1(ref membrane, syn, group.DashMem[i], dashSyn[..syn.Length], (short)group.Threshold[i], 0, MaxSpikes(g), _profile.StateBits)
            : XyloNeuron.EvolveV2(ref membrane, syn, group.DashMem[i], dashSyn[..syn.Length], (short)group.Threshold[i], group.Bias[i] != 0, (short)group.Bias[i], 0, MaxSpikes(g), _profile.StateBits);
    }

    private protected override void RunSample(SampleRun sample, object scratch)
    {
        if (scratch is KernelWorker kernelWorker) RunKernels(sample, kernelWorker);
        else RunReference(sample, (Worker)scratch);
    }

    private void RunReference(SampleRun sample, Worker w)
    {
        Array.Clear(w.HiddenCurrent);
        Array.Clear(w.HiddenMembrane);
        Array.Clear(w.HiddenSpikes);
        Array.Clear(w.ReadoutCurrent);
        Array.Clear(w.ReadoutMembrane);
        int inputs = Layers[0].Size;
        bool[][] record = Recorded(sample);
        for (int t = 0; t < sample.ChipSteps; t++)
        {
            // Deliver this step's input events (a binary raster: one event, within the cap of 15).
            ReadOnlySpan<ulong> row = sample.InputRow(0, t);
            for (int j = 0; j < inputs; j++)
                if ((row[j >> 6] >> (j & 63) & 1) != 0)
                    Deliver(_in, j, Math.Min(1, _profile.MaxInputSpikes), w.HiddenCurrent, _synapses, ShiftIn);

            // Deliver the previous step's hidden spike counts to hidden and readout neurons, then clear the buffer.
            for (int j = 0; j < _hidden; j++)
            {
                int count = Math.Min(w.HiddenSpikes[j], (byte)_profile.MaxHiddenSpikes);
                if (count == 0) continue;
                Deliver(_rec, j, count, w.HiddenCurrent, _synapses, ShiftRec);
                Deliver(_out, j, count, w.ReadoutCurrent, 1, ShiftOut);
            }
            Array.Clear(w.HiddenSpikes);

            // Evolve the hidden neurons, then the readout neurons.
            for (int g = 0; g < Hidden.Count + Readout.Count; g++)
            {
                bool isHidden = g < Hidden.Count;
                int start = _groupStart[g], synapses = isHidden ? _synapses : 1;
                short[] current = isHidden ? w.HiddenCurrent : w.ReadoutCurrent, membrane = isHidden ? w.HiddenMembrane : w.ReadoutMembrane;
                for (int i = 0; i < Group(g).Size; i++)
                {
                    int n = start + i;
                    Span<short> syn = current.AsSpan(n * synapses, synapses);
                    int spikes = Evolve(g, i, syn, ref membrane[n]);
                    long sum = 0;
                    for (int s = 0; s < synapses; s++) sum += syn[s];
                    sample.ObserveInput(sum);
                    // A readout spike (only when its membrane reaches θ) leaves the chip; hidden spikes are buffered for t + 1.
                    if (spikes > 0 && isHidden)
                    {
                        w.HiddenSpikes[n] = (byte)spikes;
                        sample.Spike(g, t, i, spikes);
                    }
                    for (int s = 0; s < synapses; s++)
                        if (record[g][s]) sample.Record(g, s, t, i, syn[s]);
                    if (record[g][synapses]) sample.Record(g, synapses, t, i, membrane[n]);
                }
            }
        }
    }

    private void RunKernels(SampleRun sample, KernelWorker w)
    {
        Array.Clear(w.HiddenCurrent);
        Array.Clear(w.HiddenMembrane);
        Array.Clear(w.HiddenSpikes);
        Array.Clear(w.ReadoutCurrent);
        Array.Clear(w.ReadoutMembrane);
        int inputEvents = Math.Min(1, _profile.MaxInputSpikes), hiddenRow = _hidden * _synapses;
        bool[][] record = Recorded(sample);
        for (int t = 0; t < sample.ChipSteps; t++)
        {
            // Deliver this step's input events, channel by channel, each a saturating add (safe_add) of its weight row.
            ReadOnlySpan<ulong> active = sample.InputRow(0, t);
            for (int word = 0; word < active.Length && inputEvents > 0; word++)
                for (ulong bits = active[word]; bits != 0; bits &= bits - 1)
                {
                    int j = (word << 6) + BitOperations.TrailingZeroCount(bits);
                    IntegerSynapses.AddSaturating(w.HiddenCurrent, _rowsIn.AsSpan(j * hiddenRow, hiddenRow), inputEvents, short.MinValue, short.MaxValue);
                }

            // Deliver the previous step's hidden spike counts to hidden and readout neurons, then clear the buffer.
            for (int j = 0; j < _hidden; j++)
            {
                int count = Math.Min(w.HiddenSpikes[j], _profile.MaxHiddenSpikes);
                if (count == 0) continue;
                IntegerSynapses.AddSaturating(w.HiddenCurrent, _rowsRec.AsSpan(j * hiddenRow, hiddenRow), count, short.MinValue, short.MaxValue);
                IntegerSynapses.AddSaturating(w.ReadoutCurrent, _rowsOut.AsSpan(j * _readout, _readout), count, short.MinValue, short.MaxValue);
            }
            Array.Clear(w.HiddenSpikes);

            // Evolve the hidden neurons, then the readout neurons.
            for (int g = 0; g < Hidden.Count + Readout.Count; g++)
            {
                if (_fallback[g] is null) EvolveKernel(sample, w, g, t);
                else EvolveReference(sample, w, g, t, record[g]);
            }
        }
    }

    /// <summary>Group <paramref name="g"/>'s step with the generated kernel over each run of equal parameters; its input is zero, the events are already in i_syn.</summary>
    private void EvolveKernel(SampleRun sample, KernelWorker w, int g, int t)
    {
        bool isHidden = g < Hidden.Count;
        int start = _groupStart[g], size = Group(g).Size;
        Span<int> current = (isHidden ? w.HiddenCurrent : w.ReadoutCurrent).AsSpan(start, size);
        Span<int> membrane = (isHidden ? w.HiddenMembrane : w.ReadoutMembrane).AsSpan(start, size);
        Span<int> counts = w.Counts.AsSpan(0, size);
        foreach (ParameterRun run in _runs[g])
            _kernel(current.Slice(run.First, run.Length), membrane.Slice(run.First, run.Length), w.Zero.AsSpan(0, run.Length),
                run.DashSyn, run.DashMem, run.Threshold, MaxSpikes(g), counts.Slice(run.First, run.Length));
        sample.ObserveInputs(current);
        // A readout spike leaves the chip; hidden spike counts are buffered for t + 1.
        if (isHidden)
        {
            counts.CopyTo(w.HiddenSpikes.AsSpan(start, size));
            sample.SpikeCounts(g, t, counts);
        }
        sample.Record(g, 0, t, current);
        sample.Record(g, 1, t, membrane);
    }

    /// <summary>Group <paramref name="g"/>'s step with <see cref="XyloNeuron"/>, neuron by neuron, on the kernel engine's int states.</summary>
    private void EvolveReference(SampleRun sample, KernelWorker w, int g, int t, bool[] record)
    {
        bool isHidden = g < Hidden.Count;
        int start = _groupStart[g], synapses = isHidden ? _synapses : 1;
        int[] current = isHidden ? w.HiddenCurrent : w.ReadoutCurrent, membrane = isHidden ? w.HiddenMembrane : w.ReadoutMembrane;
        Span<short> syn = stackalloc short[synapses];
        for (int i = 0; i < Group(g).Size; i++)
        {
            int n = start + i;
            for (int s = 0; s < synapses; s++) syn[s] = (short)current[n * synapses + s];
            short v = (short)membrane[n];
            int spikes = Evolve(g, i, syn, ref v);
            membrane[n] = v;
            long sum = 0;
            for (int s = 0; s < synapses; s++) sum += current[n * synapses + s] = syn[s];
            sample.ObserveInput(sum);
            if (spikes > 0 && isHidden)
            {
                w.HiddenSpikes[n] = spikes;
                sample.Spike(g, t, i, spikes);
            }
            for (int s = 0; s < synapses; s++)
                if (record[s]) sample.Record(g, s, t, i, syn[s]);
            if (record[synapses]) sample.Record(g, synapses, t, i, v);
        }
    }

    /// <summary>Per group, whether each of its states is recorded.</summary>
    private bool[][] Recorded(SampleRun sample) => Enumerable.Range(0, Hidden.Count + Readout.Count)
        .Select(g => Enumerable.Range(0, Layers[1 + g].States.Count).Select(s => sample.Records(g, s)).ToArray()).ToArray();
}
