namespace SnnDsl;

/// <summary>
/// Declares a neuron model. The type must be a <c>partial struct</c> with <see cref="StateAttribute"/> fields,
/// optional <see cref="ParamAttribute"/> fields, an <c>Integrate(float input)</c> method, optionally a firing
/// condition marked with <see cref="SpikeAttribute"/> and a <c>Reset()</c> method. Without a firing condition
/// the neuron is non-spiking (e.g. a leaky readout).
/// </summary>
/// <remarks>
/// Within step t the generated kernel computes, per neuron: <c>Integrate(input)</c>; S[t] = <c>Fires()</c>;
/// <c>Reset()</c> where S[t] = 1 (docs/semantics.md). <c>Integrate</c> may take several float parameters: each is a
/// named input (a port) that connections drive, e.g. <c>Integrate(float excitatory, float inhibitory)</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class NeuronAttribute : Attribute;

/// <summary>
/// Marks a field of a <see cref="NeuronAttribute"/> or <see cref="SynapseAttribute"/> type as a state variable (one
/// float per neuron), 0 at t = 0 unless a neuron state declares <see cref="Initial"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class StateAttribute : Attribute
{
    /// <summary>
    /// The value a neuron state holds before the first step (e.g. a resting potential), the same for every neuron;
    /// a finite constant (SNN0032 otherwise, and on a synapse state, whose states start at 0). A population can
    /// change it per neuron at run time with <see cref="Population.InitialState(string)"/>.
    /// </summary>
    public float Initial { get; set; }
}

/// <summary>
/// Marks a field as a parameter of a neuron, synapse or surrogate, with its default value.
/// </summary>
/// <param name="defaultValue">The value a new population (or the surrogate) starts with.</param>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class ParamAttribute(float defaultValue) : Attribute
{
    /// <summary>The value a new population (or the surrogate) starts with.</summary>
    public float DefaultValue { get; } = defaultValue;

    /// <summary>
    /// One value per neuron instead of one value shared by the population (for a synapse: one value per postsynaptic
    /// neuron instead of one shared by the connection).
    /// </summary>
    public bool PerNeuron { get; set; }

    /// <summary>The parameter receives a gradient in training (e.g. a learnable time constant or threshold).</summary>
    public bool Trainable { get; set; }

    /// <summary>
    /// The least value training may give a trainable parameter: after every optimizer step the
    /// <see cref="Training.Trainer"/> (or <see cref="NetworkGradients.ProjectParametersOntoBounds"/> in a loop of one's
    /// own) sets a value below it to it (a projected gradient step), e.g. 0 for a decay.
    /// Unbounded (−∞) unless given; the default value must not lie below it (SNN0033).
    /// </summary>
    public float Min { get; set; } = float.NegativeInfinity;

    /// <summary>
    /// The greatest value training may give a trainable parameter (see <see cref="Min"/>), e.g. 1 for a decay, whose
    /// dynamics grow without bound above it. Unbounded (+∞) unless given; the default value must not lie above it (SNN0033).
    /// </summary>
    public float Max { get; set; } = float.PositiveInfinity;
}

/// <summary>
/// Marks the firing condition of a neuron, a method <c>bool Fires()</c> whose body is a comparison such as
/// <c>U &gt; Threshold</c>. In the backward pass Θ′ is replaced by the surrogate's derivative at the
/// difference of the two sides.
/// </summary>
/// <param name="surrogate">A type declared with <see cref="SurrogateAttribute"/>.</param>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SpikeAttribute(Type surrogate) : Attribute
{
    /// <summary>The surrogate whose derivative replaces Θ′ in the backward pass.</summary>
    public Type Surrogate { get; } = surrogate;

    /// <summary>
    /// Whether the gradient flows through the reset (attached) or not (detached, the default, as in SpyTorch).
    /// </summary>
    public bool AttachResetGradient { get; set; }
}

/// <summary>
/// Marks a <c>float</c> field of a <see cref="NeuronAttribute"/> type that holds the neuron's own spike of the
/// previous step, S[t−1] ∈ {0, 1} (0 at t = 0). Dynamics read it (e.g. the paper's U[t] = βU[t−1] + I[t−1] − ϑS[t−1],
/// or snnTorch's delayed reset) but do not assign it: the generated kernel sets it to S[t] at the end of the step.
/// Its gradient flows into the surrogate path only when the firing condition says
/// <see cref="SpikeAttribute.AttachResetGradient"/>; by default it is detached, as in snnTorch and SpyTorch.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class PreviousSpikeAttribute : Attribute;

/// <summary>
/// Declares a synapse model: a <c>partial struct</c> whose <see cref="StateAttribute"/> fields exist once per
/// postsynaptic neuron of each connection that uses it (the weighted spikes of a connection sum linearly before the
/// synapse, as in GeNN's postsynaptic models), with <see cref="ParamAttribute"/> fields and a method
/// <c>float Deliver(float weightedSpikes)</c> that updates the states and returns the current delivered to the
/// connection's port. A further <c>float</c> parameter marked <see cref="PostsynapticAttribute"/> reads a state of the
/// postsynaptic neuron (e.g. the membrane of a conductance-based synapse).
/// </summary>
/// <remarks>A connection without a synapse is a delta synapse: it delivers the weighted spikes themselves.</remarks>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class SynapseAttribute : Attribute;

/// <summary>
/// Marks a parameter of a synapse's <c>Deliver</c> method that reads the postsynaptic neuron's state
/// <paramref name="state"/>, as it was at the end of the previous step. The network checks at compile time that
/// every population the synapse drives has that state. In a <see cref="LearningRuleAttribute"/> method it reads the
/// postsynaptic neuron's state after the step (after any reset), local to that neuron.
/// </summary>
/// <param name="state">Name of a <see cref="StateAttribute"/> field of the postsynaptic neuron, e.g. <c>"U"</c>.</param>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class PostsynapticAttribute(string state) : Attribute
{
    /// <summary>The postsynaptic state read.</summary>
    public string State { get; } = state;
}

/// <summary>
/// Declares a surrogate derivative: a <c>static partial class</c> with static <see cref="ParamAttribute"/> fields
/// and a method <c>static float Derivative(float x)</c>, x = U − ϑ.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SurrogateAttribute : Attribute;

/// <summary>
/// Declares a network: a <c>partial class</c> with partial properties marked <see cref="InputAttribute"/>,
/// <see cref="PopulationAttribute"/>, connections (<see cref="DenseAttribute"/>, <see cref="SparseAttribute"/>,
/// <see cref="OneToOneAttribute"/>, <see cref="Conv1dAttribute"/>) and <see cref="BiasAttribute"/>. Populations update
/// in declaration order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The simulation time step Δt in seconds (documentation and exports; decays are parameters).</summary>
    public double TimeStep { get; set; } = 1e-3;
}

/// <summary>
/// Declares that a network is meant to be exported to NIR (<c>SnnDsl.Export.Nir.NirExporter</c>, docs/exports.md): the
/// analyzers then check at compile time that the neuron of every population has a NIR primitive (SNN0407), instead of
/// the export failing when it runs. Exporting is opt-in: a network without this attribute is not checked.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NirExportableAttribute : Attribute;

/// <summary>
/// Declares a network imported at build time from a NIR file (docs/exports.md, "NIR import at build time"). The
/// generator reads <paramref name="path"/> — an <c>AdditionalFiles</c> item of the project — converts its graph exactly
/// as <c>SnnDsl.Export.Nir.NirImporter</c> does (the same source), and emits for this <c>partial class</c> the
/// <see cref="NetworkAttribute"/> declaration the importer writes (inputs, populations, connections, biases) with its
/// implementation, plus <c>LoadNirParameters()</c>, which sets the file's trained weights, biases and neuron
/// parameters, and <c>static FromNir()</c>, a new instance with them. Problems are errors at this attribute: SNN0408
/// (the file is not an AdditionalFiles item), SNN0409 (not readable as NIR, a node without SnnDsl equivalent, no Δt;
/// the runtime importer's messages), SNN0410 (the class is not a top-level, non-generic partial class without [Network]).
/// </summary>
/// <param name="path">The NIR file as the project lists it in AdditionalFiles (matched by its trailing path segments).</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NirNetworkAttribute(string path) : Attribute
{
    /// <summary>The NIR file.</summary>
    public string Path { get; } = path;

    /// <summary>
    /// Δt in seconds for a file that records none (as <c>NirImportOptions.TimeStep</c>: snnTorch writes with 10⁻⁴ s,
    /// Norse assumes 10⁻³ s); 0, the default, takes the <c>dt</c> SnnDsl's export records in the file.
    /// </summary>
    public double TimeStep { get; set; }
}

/// <summary>
/// Marks a network, neuron, synapse or learning rule as meant to run on <paramref name="chip"/>. Nothing changes in the
/// generated code or at run time; the analyzers check the declaration against the chip's target profile
/// (<see cref="FixedPoint.TargetProfiles.For(Chip)"/>) and warn (SNN0601–SNN0606) about what the chip cannot run: an
/// operation its step lacks, a decay its format cannot represent, a neuron shape it does not have, a size, fan-in or
/// memory beyond its limits, a delay out of its range, a learning rule that needs state memory it does not keep
/// (docs/fixed-point.md, "Checking a declaration against a chip").
/// </summary>
/// <param name="chip">The chip.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class HardwareAttribute(Chip chip) : Attribute
{
    /// <summary>The chip the declaration is meant for.</summary>
    public Chip Chip { get; } = chip;
}

/// <summary>
/// Asks the generator for an integer step kernel of a [Neuron] on <paramref name="chip"/>, bit for bit the chip's
/// arithmetic: a static <c>Step{Chip}</c> method (e.g. <c>StepLoihi</c>) beside the float <c>Step</c>. The neuron's float
/// dynamics are lowered to the chip's target profile (<see cref="FixedPoint.TargetProfiles.For(Chip)"/>); a neuron that
/// cannot be lowered (an exponential in the step, a division by a state, a decay that is not a [Param], a shape the
/// chip lacks) is error SNN0114 naming each reason (docs/fixed-point.md, "Generated integer kernels").
/// </summary>
/// <param name="chip">The chip whose arithmetic the kernel reproduces: <see cref="Chip.Loihi"/>, a Xylo device or <see cref="Chip.SpiNNaker"/>.</param>
[AttributeUsage(AttributeTargets.Struct, Inherited = false, AllowMultiple = true)]
public sealed class FixedPointAttribute(Chip chip) : Attribute
{
    /// <summary>The chip.</summary>
    public Chip Chip { get; } = chip;
}

/// <summary>
/// Asks the generator for <c>StepFixed</c>, a [Neuron]'s integer step in a generic fixed-point arithmetic
/// (<see cref="FixedPoint.TargetProfiles.Fixed"/>, bit for bit <see cref="FixedPoint.FixedNeurons"/>): states, inputs and the
/// threshold are raw s<paramref name="integerBits"/>.<paramref name="fractionBits"/> integers, decays raw
/// u0.<see cref="DecayFractionBits"/> fractions; each product decay·state is rounded with <see cref="Rounding"/> and each
/// sum brought back into the state format with <see cref="Overflow"/>; the neuron keeps its own spike test and reset. A
/// neuron that cannot be lowered is error SNN0114 (docs/fixed-point.md, "Generated integer kernels").
/// </summary>
/// <param name="integerBits">Integer bits of the signed state format (1 + integer + fraction bits ≤ 30).</param>
/// <param name="fractionBits">Fraction bits of the state format.</param>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class FixedPointFormatAttribute(int integerBits, int fractionBits) : Attribute
{
    /// <summary>Integer bits of the state format.</summary>
    public int IntegerBits { get; } = integerBits;

    /// <summary>Fraction bits of the state format.</summary>
    public int FractionBits { get; } = fractionBits;

    /// <summary>Rounding of each decay product (not <see cref="FixedPoint.Rounding.Stochastic"/>); nearest-even by default.</summary>
    public FixedPoint.Rounding Rounding { get; set; } = FixedPoint.Rounding.NearestEven;

    /// <summary>What a sum outside the state format does; saturate by default.</summary>
    public FixedPoint.Overflow Overflow { get; set; } = FixedPoint.Overflow.Saturate;

    /// <summary>Fraction bits of the unsigned decay format u0.n, 1…30; 16 by default.</summary>
    public int DecayFractionBits { get; set; } = 16;
}

/// <summary>An input layer of <paramref name="size"/> spike channels; the property type is <see cref="SpikeInput"/>.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class InputAttribute(int size) : Attribute
{
    /// <summary>Number of input channels.</summary>
    public int Size { get; } = size;
}

/// <summary>A population of <paramref name="size"/> neurons; the property type is <see cref="Population{TNeuron}"/>.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PopulationAttribute(int size) : Attribute
{
    /// <summary>Number of neurons.</summary>
    public int Size { get; } = size;
}

/// <summary>
/// What every connection declares: its presynaptic layer, its postsynaptic population and optionally its synapse
/// model, the port of the postsynaptic neuron it drives and its delay.
/// </summary>
/// <remarks>
/// Delay: a connection with delay d carries the presynaptic spikes of step t − d. When <see cref="Delay"/> is not set,
/// a connection whose source is an input or a population declared before its target has delay 0 (feed-forward), and
/// one from the same or a later population has delay 1 (recurrent); a delay set explicitly must be at least 1 for
/// the latter, because that population has not yet updated at step t.
/// </remarks>
public abstract class ConnectionAttribute(string from, string to) : Attribute
{
    /// <summary>Name of the presynaptic layer (an input or a spiking population).</summary>
    public string From { get; } = from;

    /// <summary>Name of the postsynaptic population.</summary>
    public string To { get; } = to;

    /// <summary>A <see cref="SynapseAttribute"/> type; null (the default) is a delta synapse.</summary>
    public Type? Synapse { get; set; }

    /// <summary>The parameter of the postsynaptic neuron's <c>Integrate</c> this connection drives; may be omitted when it has only one.</summary>
    public string? Port { get; set; }

    /// <summary>Whole time steps between a presynaptic spike and its arrival; negative (the default) infers 0 or 1 from the declaration order.</summary>
    public int Delay { get; set; } = -1;
}

/// <summary>All-to-all synapses; the property type is <see cref="DenseSynapses"/> (weights [pre, post]).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DenseAttribute(string from, string to) : ConnectionAttribute(from, to);

/// <summary>
/// Synapses with a fixed sparse pattern; the property type is <see cref="SparseSynapses"/> (one weight per synapse).
/// The pattern is random with <see cref="Probability"/> and <see cref="Seed"/> when the probability is set, and can be
/// replaced before training from a mask or an index list (<see cref="SparseSynapses.Connect(int[], int[], int[])"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SparseAttribute(string from, string to) : ConnectionAttribute(from, to)
{
    /// <summary>Probability of each (pre, post) synapse in the initial random pattern; 0 (the default) starts empty.</summary>
    public double Probability { get; set; }

    /// <summary>Seed of the initial random pattern.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The largest per-synapse delay the pattern may use (at least the connection's delay).</summary>
    public int MaxDelay { get; set; } = -1;
}

/// <summary>Neuron i of the source drives neuron i of the target, one weight each; the property type is <see cref="OneToOneSynapses"/>.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class OneToOneAttribute(string from, string to) : ConnectionAttribute(from, to);

/// <summary>
/// A 1-D convolution over the channel axis (the shape of audio front ends such as SHD's 700 frequency channels): the
/// source is read as [<see cref="InChannels"/>, length] and the target as [<see cref="OutChannels"/>, output length],
/// neuron index = channel · length + position, with output length ⌊(length + 2·padding − kernel)/stride⌋ + 1. Weights
/// [out, in, kernel] are shared across positions; the property type is <see cref="Conv1dSynapses"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class Conv1dAttribute(string from, string to) : ConnectionAttribute(from, to)
{
    /// <summary>Input channels (the source size is a multiple of it).</summary>
    public int InChannels { get; set; } = 1;

    /// <summary>Output channels (feature maps).</summary>
    public int OutChannels { get; set; } = 1;

    /// <summary>Kernel width.</summary>
    public int KernelSize { get; set; } = 1;

    /// <summary>Step between kernel positions.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added at each end of the input.</summary>
    public int Padding { get; set; }
}

/// <summary>A trainable constant input per neuron of population <paramref name="to"/>, added to a port every step; the property type is <see cref="Bias"/>.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class BiasAttribute(string to) : Attribute
{
    /// <summary>Name of the population.</summary>
    public string To { get; } = to;

    /// <summary>The port of the neuron's <c>Integrate</c> it drives; may be omitted when it has only one.</summary>
    public string? Port { get; set; }
}

/// <summary>
/// Put by the generator on every neuron and synapse type: the parsed model as text (docs/ir.md), so that a network
/// declared in another assembly sees the dynamics of the neurons and synapses it uses. Not for use by hand.
/// </summary>
/// <param name="model">The model as an S-expression.</param>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class CompiledModelAttribute(string model) : Attribute
{
    /// <summary>The model as an S-expression.</summary>
    public string Model { get; } = model;
}

/// <summary>
/// Declares a learning rule (docs/learning-rules.md): a <c>partial struct</c> whose methods say how a connection's
/// weights change, step by step, from quantities the rule reads — a three-factor rule when it combines a presynaptic
/// trace, a postsynaptic term and a modulatory or error signal. States: <see cref="PresynapticStateAttribute"/> (one per
/// presynaptic neuron), <see cref="PostsynapticStateAttribute"/> (one per postsynaptic neuron),
/// <see cref="SynapticStateAttribute"/> (one per synapse); parameters: <see cref="ParamAttribute"/> (shared). Methods,
/// run in this order after the connection's postsynaptic population stepped: <c>void Presynaptic(…)</c> (optional, once
/// per presynaptic neuron), <c>void Postsynaptic(…)</c> (optional, once per postsynaptic neuron) and
/// <c>float Update(…)</c> (once per synapse), which may update the synaptic states and returns Δw_ij of the step. Each
/// method parameter says what it reads with an attribute: <see cref="PreSpikeAttribute"/>,
/// <see cref="PostSpikeAttribute"/>, <see cref="PostsynapticAttribute"/>, <see cref="PresynapticAttribute"/>,
/// <see cref="WeightAttribute"/>, <see cref="ModulatorAttribute"/>, <see cref="TargetAttribute"/>,
/// <see cref="ErrorAttribute"/>.
/// </summary>
/// <remarks>
/// The generator classifies every quantity a rule reads as synapse-local, neuron-local, broadcast or non-local; the
/// analyzers warn (SNN0501) when a rule that is not <see cref="Offline"/> reads a non-local one.
/// </remarks>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class LearningRuleAttribute : Attribute
{
    /// <summary>
    /// The rule is not meant to run on-line (on a chip): it may read non-local quantities, such as an error from a
    /// backward pass, without a locality warning.
    /// </summary>
    public bool Offline { get; set; }
}

/// <summary>Marks a field of a <see cref="LearningRuleAttribute"/> type as a state kept once per presynaptic neuron (e.g. a trace of its spikes), zero at t = 0.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class PresynapticStateAttribute : Attribute;

/// <summary>Marks a field of a <see cref="LearningRuleAttribute"/> type as a state kept once per postsynaptic neuron, zero at t = 0.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class PostsynapticStateAttribute : Attribute;

/// <summary>Marks a field of a <see cref="LearningRuleAttribute"/> type as a state kept once per synapse (e.g. an eligibility trace), zero at t = 0.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class SynapticStateAttribute : Attribute;

/// <summary>A learning-rule parameter that reads the presynaptic spike s_j(t − d) of the step (1 or 0), d the connection's delay.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class PreSpikeAttribute : Attribute;

/// <summary>A learning-rule parameter that reads the postsynaptic spike S_i(t) of the step (1 or 0).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class PostSpikeAttribute : Attribute;

/// <summary>
/// A learning-rule parameter that reads a state of the presynaptic neuron (after its step). Non-local: a synapse
/// receives only the spikes of its presynaptic neuron.
/// </summary>
/// <param name="state">Name of a state of the presynaptic neuron, e.g. <c>"U"</c>.</param>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class PresynapticAttribute(string state) : Attribute
{
    /// <summary>The presynaptic state read.</summary>
    public string State { get; } = state;
}

/// <summary>A learning-rule parameter that reads the synapse's own weight W_ij (before this step's change).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class WeightAttribute : Attribute;

/// <summary>A learning-rule parameter that reads a modulatory signal: one value per sample and step, the same for every synapse (e.g. reward, dopamine).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class ModulatorAttribute : Attribute;

/// <summary>
/// A learning-rule parameter that reads a target delivered to the postsynaptic neuron at the step (e.g. the target spike
/// train Ŝ_i(t) of SuperSpike): one value per postsynaptic neuron, local to it.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class TargetAttribute : Attribute;

/// <summary>
/// A learning-rule parameter that reads an error signal e_i(t) per postsynaptic neuron computed outside the neuron — from
/// a loss over the whole sequence or sent back through other neurons' weights. Non-local.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class ErrorAttribute : Attribute;
