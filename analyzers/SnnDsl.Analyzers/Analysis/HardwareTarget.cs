using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SnnDsl.FixedPoint;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Parsing;

namespace SnnDsl.Analyzers.Analysis;

/// <summary>A decay factor snapped to a chip's format: the value, its encoding, and what the format can hold.</summary>
internal sealed record SnappedDecay(double Value, string Encoding, string Format);

/// <summary>A parameter or constant snapped to the chip's precision: the value it holds, and its format in words.</summary>
internal sealed record SnappedValue(double Value, string Format);

/// <summary>A network that needs more of something than the chip has.</summary>
/// <param name="Member">The input or population the excess belongs to, or null for the network as a whole.</param>
/// <param name="Needs">What and how much, e.g. "1,200 hidden neurons ('Hidden' 1,000, 'Extra' 200)".</param>
/// <param name="Limit">The chip's limit and what it is, e.g. "1,000".</param>
internal sealed record LimitExcess(string? Member, string Needs, string Limit);

/// <summary>A network whose layers are connected in a way the chip's architecture has no place for.</summary>
/// <param name="Member">The connection or layer at fault, or null for the network as a whole.</param>
/// <param name="Subject">What is at fault, e.g. "Connection 'InToOut'".</param>
/// <param name="What">What it does, completing "{Subject}: …".</param>
/// <param name="Instead">What the chip has, completing "…, but …".</param>
internal sealed record TopologyIssue(string? Member, string Subject, string What, string Instead);

/// <summary>What a chip's learning engine keeps, per kind of rule state, in the words of the messages.</summary>
/// <param name="Kept">Per synapse, per presynaptic neuron, per postsynaptic neuron: how many states the chip keeps.</param>
/// <param name="Bits">The width the chip would store each state of that kind at.</param>
/// <param name="What">What the chip keeps, in words, completing "but …".</param>
internal sealed record LearningCapacity(int Kept, int Bits, string What);

/// <summary>
/// The chip a declaration is marked for with <c>[Hardware(Chip.…)]</c>, and the questions the hardware analyzer asks of
/// its target profile. Every number comes from the profile — the runtime's own files in src/SnnDsl/FixedPoint/Profiles,
/// compiled into this assembly — and this class only picks the field that answers a question and says it in words.
/// </summary>
internal sealed class HardwareTarget
{
    public const string AttributeName = "SnnDsl.HardwareAttribute";

    private readonly AttributeData _attribute;

    private HardwareTarget(Chip chip, AttributeData attribute)
    {
        Chip = chip;
        Profile = TargetProfiles.For(chip);
        _attribute = attribute;
    }

    public Chip Chip { get; }

    public TargetProfile Profile { get; }

    /// <summary>The profile's name, e.g. "Loihi" or "XyloAudio2".</summary>
    public string Name => Profile.Name;

    /// <summary>Where the declaration says <c>[Hardware(…)]</c>.</summary>
    public Location? Location => NeuronParser.AttributeLocation(_attribute);

    /// <summary>The chip <paramref name="symbol"/> is marked for, or null (no attribute, or a value that is not a chip).</summary>
    public static HardwareTarget? Of(ISymbol symbol) =>
        symbol.Attribute(AttributeName) is { ConstructorArguments: [{ Value: int value }] } attribute && Enum.IsDefined(typeof(Chip), value)
            ? new HardwareTarget((Chip)value, attribute)
            : null;

    /// <summary>What the step does, e.g. "adds, compares, shifts and multiplies by constants".</summary>
    public string StepArithmetic
    {
        get
        {
            StepOperations operations = Profile.Operations;
            var words = new List<string>();
            if (operations.HasFlag(StepOperations.Add)) words.Add("adds");
            if (operations.HasFlag(StepOperations.Compare)) words.Add("compares");
            if (operations.HasFlag(StepOperations.Shift)) words.Add("shifts");
            if (operations.HasFlag(StepOperations.MultiplyStates)) words.Add("multiplies");
            else if (operations.HasFlag(StepOperations.MultiplyByConstant)) words.Add("multiplies by constants");
            if (operations.HasFlag(StepOperations.Divide)) words.Add("divides");
            if (operations.HasFlag(StepOperations.Transcendental)) words.Add("computes exponentials");
            return words.Count < 2 ? string.Concat(words) : string.Join(", ", words.Take(words.Count - 1)) + " and " + words.Last();
        }
    }

    /// <summary>
    /// The nearest decay the chip represents for a state's decay <paramref name="factor"/>: a membrane's (the state its
    /// spike test compares) or a synaptic current's, which some chips encode differently.
    /// </summary>
    public SnappedDecay? NearestDecay(double factor, bool membrane)
    {
        switch (Profile)
        {
            case LoihiProfile loihi when membrane:
            {
                (int dv, double value) = loihi.VoltageDecay(factor);
                return new SnappedDecay(value, $"dv = {dv}", $"its voltage decays are ({loihi.DecayUnity - loihi.VoltageDecayOffset} − dv)/{loihi.DecayUnity}, dv = 0…{loihi.MaxDecay}");
            }
            case LoihiProfile loihi:
            {
                (int du, double value) = loihi.CurrentDecay(factor);
                return new SnappedDecay(value, $"du = {du}", $"its current decays are ({loihi.DecayUnity - loihi.CurrentDecayOffset} − du)/{loihi.DecayUnity}, du = 0…{loihi.MaxDecay}");
            }
            case XyloProfile xylo:
            {
                int dash = xylo.NearestDash(factor);
                return new SnappedDecay(xylo.DashDecay(dash), $"{(membrane ? "dash_mem" : "dash_syn")} = {dash}", $"its decays are 1 − 2^−dash, dash = 0…{xylo.MaxDash}");
            }
            case SpiNNakerProfile spinnaker when membrane:
            {
                // exp_TC = e^(−Δt/τ_m) in s16.15, below 1 (the closed form needs R = τ_m/c_m finite).
                long raw = Math.Min(Math.Max(spinnaker.Accum.NearestRaw(factor), 0), (1L << spinnaker.Accum.FractionBits) - 1);
                return new SnappedDecay(spinnaker.Accum.ValueOf(raw), $"exp_TC = {raw}/2^{spinnaker.Accum.FractionBits}", $"its membrane decay exp_TC is {spinnaker.Accum} in [0, 1)");
            }
            case SpiNNakerProfile spinnaker:
            {
                long raw = spinnaker.Decay.NearestRaw(factor);
                return new SnappedDecay(spinnaker.Decay.ValueOf(raw), $"decay = {raw}/2^{spinnaker.Decay.FractionBits}", $"its synaptic decays are {spinnaker.Decay}");
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// The nearest value the chip holds for a parameter or constant of a step (not a decay: <see cref="NearestDecay"/>).
    /// SpiNNaker computes in the float model's units (mV, nA, ms) with s16.15 REALs (sPyNNaker <c>maths-util.h</c>; the
    /// host writes parameters as <c>DataType.S1615</c>), so a value is known to the bit before any training. Null on the
    /// chips whose values are scaled with the trained weights (Loihi, Xylo): there the quantizer finds the scale.
    /// </summary>
    public SnappedValue? NearestValue(double value) => Profile is SpiNNakerProfile { Accum: var accum }
        ? new SnappedValue(accum.ValueOf(accum.NearestRaw(value)),
            $"its values are {accum} REALs, {accum.MinValue.ToString("R", CultureInfo.InvariantCulture)} to {accum.MaxValue.ToString("R", CultureInfo.InvariantCulture)} in steps of 2^−{accum.FractionBits}")
        : null;

    /// <summary>
    /// Why the chip's spike threshold must be positive, completing "(…)", and the smallest it holds; null where any
    /// threshold is held (SpiNNaker: V_thresh in mV).
    /// </summary>
    public (string Range, string Smallest)? PositiveThreshold => Profile switch
    {
        LoihiProfile loihi => ($"its thresholds are vth·2^{loihi.ThresholdShift} with vth = 1…{N(loihi.MaxThresholdMantissa)}",
            $"vth = 1, the smallest positive threshold (2^{loihi.ThresholdShift} in the 24-bit state, at the scale the trained weights set)"),
        XyloProfile xylo => ($"its thresholds are int16 in 1…{N(xylo.StateMax)}: with θ ≤ 0, v ≥ θ holds every step",
            "θ = 1, the smallest positive threshold (in the 16-bit state, at the scale the trained weights set)"),
        _ => null,
    };

    /// <summary>How many synaptic currents a neuron may keep besides its membrane, and that limit in words; null when not limited.</summary>
    public (int Limit, string Words)? SynapticCurrents(bool spiking) => Profile switch
    {
        LoihiProfile loihi => (loihi.SynapticCurrents, $"{Name} has {Count(loihi.SynapticCurrents, "synaptic current")} per compartment (u)"),
        XyloProfile xylo when spiking => (xylo.SynapticStatesPerHidden, $"{Name} has {Count(xylo.SynapticStatesPerHidden, "synaptic state")} per hidden neuron"),
        XyloProfile xylo => (xylo.SynapticStatesPerOutput, $"{Name} has {Count(xylo.SynapticStatesPerOutput, "synaptic state")} per readout neuron"),
        SpiNNakerProfile spinnaker => (spinnaker.SynapticCurrents, $"{Name}'s IF_curr_exp has {Count(spinnaker.SynapticCurrents, "synaptic current")} (excitatory and inhibitory)"),
        _ => null,
    };

    /// <summary>What the chip's compartment does instead, completing "…, but …" for a departure from its shape.</summary>
    public string Instead(ShapeIssueKind kind) => kind switch
    {
        ShapeIssueKind.AdaptiveThreshold => $"{Name} compares the membrane with a constant threshold",
        ShapeIssueKind.CoupledCurrent => $"on {Name} each synaptic current integrates weighted spikes only, and the membrane integrates the currents",
        _ => $"{Name} resets only the membrane",
    };

    /// <summary>
    /// The chip's learning engine as SNN0601 names it: what it computes, its name, and its arithmetic completing "the step
    /// …"; null when the profile states no engine arithmetic (Xylo has no engine, SNN0606; SpiNNaker's is software).
    /// </summary>
    public (StepOperations Operations, string Engine, string Arithmetic)? LearningEngine => Profile switch
    {
        LoihiProfile { Learning: { Operations: not StepOperations.None } memory } =>
            (memory.Operations, $"{Name}'s learning engine", "sums products of traces, the weight, the tag and constants x·2^y (+, −, × and sgn in Lava's LoihiLearningRule)"),
        _ => null,
    };

    /// <summary>
    /// What the chip does with a bias, completing "…, but …" for a bias its neuron cannot take: XyloAudio2's neuron
    /// (xylosim v1, <see cref="XyloCoreVersion.V1"/>) has none; every other chip adds it to the membrane (Lava's LIF
    /// v ← v·(1 − dv) + u + bias, xylosim v2's dv + bias, sPyNNaker's I_offset in the membrane's input), not to a current.
    /// </summary>
    public (bool None, string Words) Bias => Profile is XyloProfile { CoreVersion: XyloCoreVersion.V1 }
        ? (true, $"{Name}'s neuron (xylosim v1) has no bias")
        : (false, $"{Name} adds a bias to the membrane only");

    /// <summary>
    /// What the chip's learning engine does with a trace, completing "…, but …"; null when it runs no traces of its own.
    /// Lava's <c>LoihiLearningRule</c> configures each trace by an impulse and a time constant only (<c>x1_impulse</c>,
    /// <c>x1_tau</c>, …, <c>y3_tau</c>): it decays and jumps on its own neuron's spikes, and reads nothing else.
    /// </summary>
    public string? TraceDynamics => Profile is LoihiProfile { Learning.Operations: not StepOperations.None }
        ? $"{Name}'s traces x1, x2, y1, y2, y3 only decay and jump by a constant impulse on their own neuron's spikes (x1_impulse, x1_tau, … in Lava's LoihiLearningRule)"
        : null;

    /// <summary>Whether the chip's compartment has the CUBA LIF shape the shape check compares with.</summary>
    public bool HasCompartmentShape => Profile is LoihiProfile or XyloProfile or SpiNNakerProfile;

    /// <summary>The largest delay a connection may have (at least its inferred minimum), or null when not limited.</summary>
    public int? MaxDelaySteps => Profile switch
    {
        LoihiProfile loihi => loihi.MaxDelaySteps,
        XyloProfile xylo => xylo.MaxDelaySteps,
        SpiNNakerProfile spinnaker => spinnaker.MaxDelaySteps,
        _ => null,
    };

    /// <summary>The chip's delays in words, completing "…, but …".</summary>
    public string DelayRange => Profile switch
    {
        XyloProfile xylo => $"{Name} has no programmable delays: a connection takes {xylo.ConnectionLatency} steps from the input and {xylo.HiddenSpikeLatency} between neurons",
        SpiNNakerProfile spinnaker => $"{Name} delays a spike by at most {spinnaker.MaxDelaySteps} steps on the core (4 delay bits; longer needs a delay extension)",
        _ => $"{Name} delays a spike by at most {MaxDelaySteps} steps (lava-dl netx)",
    };

    /// <summary>
    /// What the chip keeps for a learning rule per synapse, per presynaptic neuron and per postsynaptic neuron; null when
    /// it states no limit (SpiNNaker's plastic synapses are software).
    /// </summary>
    public (LearningCapacity Synapse, LearningCapacity Presynaptic, LearningCapacity Postsynaptic)? Learning
    {
        get
        {
            switch (Profile)
            {
                case LoihiProfile { Learning: { } memory }:
                    return (new LearningCapacity(memory.SynapticStates, memory.SynapticStateBits,
                            $"{Name}'s learning engine keeps {memory.SynapticStates} per synapse besides the weight (the {memory.SynapticStateBits}-bit tag)"),
                        new LearningCapacity(memory.PresynapticTraces, memory.TraceBits,
                            $"{Name}'s learning engine keeps {Count(memory.PresynapticTraces, "trace")} per presynaptic neuron ({memory.TraceBits}-bit x1, x2)"),
                        new LearningCapacity(memory.PostsynapticTraces, memory.TraceBits,
                            $"{Name}'s learning engine keeps {Count(memory.PostsynapticTraces, "trace")} per postsynaptic neuron ({memory.TraceBits}-bit y1, y2, y3)"));
                case XyloProfile { OnChipLearning: false } xylo:
                {
                    string none = $"{Name} has no on-chip learning: its weights are fixed while it runs, and it keeps nothing per";
                    return (new LearningCapacity(0, xylo.StateBits, $"{none} synapse besides the {xylo.WeightBits}-bit weight"),
                        new LearningCapacity(0, xylo.StateBits, $"{none} presynaptic neuron for a rule"),
                        new LearningCapacity(0, xylo.StateBits, $"{none} postsynaptic neuron for a rule"));
                }
                default:
                    return null;
            }
        }
    }

    /// <summary>The network's sizes, fan-in and fan-out and synapse memory beyond the chip's limits.</summary>
    public IEnumerable<LimitExcess> Limits(NetworkModel network)
    {
        List<LayerModel> populations = [.. network.Layers.Where(l => !l.IsInput)];
        LayerModel Layer(string name) => network.Layers.First(l => l.Name == name);
        switch (Profile)
        {
            case LoihiProfile loihi:
            {
                int chipCompartments = loihi.CompartmentsPerCore * loihi.CoresPerChip;
                int compartments = populations.Sum(p => p.Size);
                if (compartments > chipCompartments)
                    yield return new LimitExcess(null, $"{N(compartments)} compartments ({Sizes(populations)})",
                        $"{N(chipCompartments)} ({loihi.CoresPerChip} cores × {N(loihi.CompartmentsPerCore)})");
                foreach (LayerModel population in populations)
                {
                    var incoming = network.Connections.Where(c => c.To == population.Name && FanIn(c, Layer(c.From)) is not null).ToList();
                    long fanIn = incoming.Sum(c => FanIn(c, Layer(c.From))!.Value);
                    if (fanIn > loihi.InputAxonsPerCore)
                        yield return new LimitExcess(population.Name,
                            $"{N(fanIn)} input axons on a core, one per presynaptic neuron ({string.Join(", ", incoming.Select(c => $"'{c.Name}' {N(FanIn(c, Layer(c.From))!.Value)}"))})",
                            $"{N(loihi.InputAxonsPerCore)} per core");
                }
                long synapses = network.Connections.Sum(c => Synapses(c, Layer(c.From), Layer(c.To)) ?? 0);
                long bits = synapses * loihi.WeightBits, chipBits = (long)loihi.SynapseBitsPerCore * loihi.CoresPerChip;
                if (bits > chipBits)
                    yield return new LimitExcess(null, $"at least {N(bits)} bits of synapse memory ({N(synapses)} synapses × {loihi.WeightBits}-bit weights)",
                        $"{N(chipBits)} bits ({loihi.CoresPerChip} cores × {N(loihi.SynapseBitsPerCore)})");
                break;
            }
            case XyloProfile xylo:
            {
                List<LayerModel> inputs = [.. network.Layers.Where(l => l.IsInput)];
                List<LayerModel> hidden = [.. populations.Where(p => p.Neuron!.IsSpiking)];
                List<LayerModel> readout = [.. populations.Where(p => !p.Neuron!.IsSpiking)];
                if (inputs.Sum(i => i.Size) > xylo.InputChannels)
                    yield return inputs.Count == 1
                        ? new LimitExcess(inputs[0].Name, $"{N(inputs[0].Size)} input channels", N(xylo.InputChannels))
                        : new LimitExcess(null, $"{N(inputs.Sum(i => i.Size))} input channels ({Sizes(inputs)})", N(xylo.InputChannels));
                if (hidden.Sum(p => p.Size) > xylo.HiddenNeurons)
                    yield return new LimitExcess(null, $"{N(hidden.Sum(p => p.Size))} hidden (spiking) neurons ({Sizes(hidden)})", N(xylo.HiddenNeurons));
                if (readout.Sum(p => p.Size) > xylo.OutputNeurons)
                    yield return new LimitExcess(null, $"{N(readout.Sum(p => p.Size))} readout (non-spiking) neurons ({Sizes(readout)})", N(xylo.OutputNeurons));
                var recurrent = network.Connections.Where(c => hidden.Any(h => h.Name == c.From) && hidden.Any(h => h.Name == c.To)).ToList();
                foreach (LayerModel source in hidden)
                {
                    var outgoing = recurrent.Where(c => c.From == source.Name && FanOut(c, Layer(c.To)) is not null).ToList();
                    long fanOut = outgoing.Sum(c => FanOut(c, Layer(c.To))!.Value);
                    if (fanOut > xylo.MaxFanOut)
                        yield return new LimitExcess(source.Name,
                            $"{N(fanOut)} recurrent targets per neuron ({string.Join(", ", outgoing.Select(c => $"'{c.Name}' {N(FanOut(c, Layer(c.To))!.Value)}"))})",
                            $"{N(xylo.MaxFanOut)} (fan-out)");
                }
                if (xylo.MaxRecurrentWeights is { } maxWeights)
                {
                    var counted = recurrent.Where(c => Synapses(c, Layer(c.From), Layer(c.To)) is not null).ToList();
                    long weights = counted.Sum(c => Synapses(c, Layer(c.From), Layer(c.To))!.Value);
                    if (weights > maxWeights)
                        yield return new LimitExcess(null, $"{N(weights)} recurrent weights ({string.Join(", ", counted.Select(c => $"'{c.Name}' {N(Synapses(c, Layer(c.From), Layer(c.To))!.Value)}"))})", $"{N(maxWeights)} in total");
                }
                if (xylo.InputExpansionNeurons is { } first)
                {
                    List<LayerModel> fed = [.. hidden.Where(h => network.Connections.Any(c => c.To == h.Name && Layer(c.From).IsInput))];
                    if (fed.Sum(h => h.Size) > first)
                        yield return new LimitExcess(null, $"{N(fed.Sum(h => h.Size))} hidden neurons that receive the input ({Sizes(fed)})", $"{N(first)} (the input reaches only the first {N(first)} hidden neurons)");
                }
                if (xylo.OutputExpansionNeurons is { } last)
                {
                    List<LayerModel> read = [.. hidden.Where(h => network.Connections.Any(c => c.From == h.Name && readout.Any(r => r.Name == c.To)))];
                    if (read.Sum(h => h.Size) > last)
                        yield return new LimitExcess(null, $"{N(read.Sum(h => h.Size))} hidden neurons that drive the readout ({Sizes(read)})", $"{N(last)} (only the last {N(last)} hidden neurons reach the readout)");
                }
                break;
            }
        }
    }

    /// <summary>
    /// Connections the chip's architecture has no place for. Xylo (reference note §3.3, §3.6; rockpool
    /// <c>syns61201/xylo_samna.py</c> <c>config_from_specification</c> and the mappers' design-rule checks) is one input
    /// layer (<c>weights_in</c>: input → hidden), one recurrent hidden layer (<c>weights_rec</c>) and one readout layer fed
    /// by the hidden neurons only (<c>weights_out</c>: hidden → readout); the mapper asks for a hidden and an output layer.
    /// Spiking populations are its hidden neurons and non-spiking ones its readout, as the quantizer maps them.
    /// </summary>
    public IEnumerable<TopologyIssue> Topology(NetworkModel network)
    {
        if (Profile is not XyloProfile xylo) yield break;
        List<LayerModel> inputs = [.. network.Layers.Where(l => l.IsInput)];
        List<LayerModel> readout = [.. network.Layers.Where(l => !l.IsInput && !l.Neuron!.IsSpiking)];
        string subject = $"Network '{network.Type.Name}'";
        if (inputs.Count > 1)
            yield return new TopologyIssue(null, subject, $"it has {inputs.Count} inputs ({Sizes(inputs)})",
                $"a {Name} core has one input layer of {N(xylo.InputChannels)} channels (weights_in)");
        foreach (ConnectionModel connection in network.Connections.Where(c => inputs.Any(i => i.Name == c.From) && readout.Any(r => r.Name == c.To)))
            yield return new TopologyIssue(connection.Name, $"Connection '{connection.Name}'", $"it feeds readout '{connection.To}' from input '{connection.From}'",
                $"{Name}'s readout neurons take their input from hidden neurons only (weights_out is hidden × readout)");
        if (readout.Count == 0)
            yield return new TopologyIssue(null, subject, "it has no readout (non-spiking) population",
                $"{Name} gives its outputs from readout neurons only, and its mapper asks for a hidden and a readout layer");
    }

    /// <summary>Presynaptic neurons per postsynaptic neuron; null for a sparse connection, whose pattern is chosen at run time.</summary>
    private static long? FanIn(ConnectionModel connection, LayerModel source) => connection.Kind switch
    {
        ConnectionKind.Dense => source.Size,
        ConnectionKind.OneToOne => 1,
        ConnectionKind.Conv1d when connection.Convolution is { } conv => (long)conv.InChannels * conv.KernelSize,
        _ => null,
    };

    /// <summary>Postsynaptic neurons per presynaptic neuron; null for a sparse or convolutional connection.</summary>
    private static long? FanOut(ConnectionModel connection, LayerModel target) => connection.Kind switch
    {
        ConnectionKind.Dense => target.Size,
        ConnectionKind.OneToOne => 1,
        _ => null,
    };

    /// <summary>Weights a connection stores (a convolution's shared kernel once); null for a sparse connection.</summary>
    private static long? Synapses(ConnectionModel connection, LayerModel source, LayerModel target) => connection.Kind switch
    {
        ConnectionKind.Dense => (long)source.Size * target.Size,
        ConnectionKind.OneToOne => target.Size,
        ConnectionKind.Conv1d when connection.Convolution is { } conv => (long)conv.OutChannels * conv.InChannels * conv.KernelSize,
        _ => null,
    };

    private static string Sizes(IEnumerable<LayerModel> layers) => string.Join(", ", layers.Select(l => $"'{l.Name}' {N(l.Size)}"));

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>A count with thousands separators, invariant.</summary>
    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
