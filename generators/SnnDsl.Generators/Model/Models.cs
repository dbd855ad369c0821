using System.Linq;
using SnnDsl.Generators.Helpers;

namespace SnnDsl.Generators.Model;

/// <summary>Where a generated partial type goes: namespace, containing types, name and accessibility.</summary>
/// <param name="Namespace">Namespace, empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the enclosing types, outermost first (e.g. "partial class Outer").</param>
/// <param name="Name">Type name.</param>
/// <param name="FullyQualifiedName">Name with "global::" prefix, for references from other generated code.</param>
internal sealed record DeclaredType(string Namespace, EquatableArray<string> ContainingTypes, string Name, string FullyQualifiedName)
{
    /// <summary>The name as C# source (escaped when it is a keyword).</summary>
    public string Identifier => NameScope.Escape(Name);
}

/// <summary>A neuron, synapse or surrogate parameter; <see cref="Min"/> and <see cref="Max"/> are ±∞ where the declaration gives no bound.</summary>
internal sealed record ParamInfo(string Name, float DefaultValue, bool PerNeuron, bool Trainable,
    float Min = float.NegativeInfinity, float Max = float.PositiveInfinity)
{
    public bool HasMin => !float.IsNegativeInfinity(Min);

    public bool HasMax => !float.IsPositiveInfinity(Max);
}

/// <summary>A parsed surrogate: σ′(x) as IR over <see cref="ArgRef"/>.</summary>
/// <param name="Argument">The name of Derivative's parameter (x).</param>
/// <param name="Members">Every member name the user declared in the type (generated members avoid them).</param>
internal sealed record SurrogateModel(DeclaredType Type, EquatableArray<ParamInfo> Parameters, string Argument, Expr Derivative, EquatableArray<string> Members);

/// <summary>The names of the members the generator adds to a neuron or synapse type, chosen not to collide with the user's.</summary>
internal sealed record KernelNames(string Descriptor, string Step, string StepBackward, string StepJacobian);

/// <summary>A parsed neuron: states, parameters, ports and the IR of its three methods.</summary>
/// <param name="States">State fields in declaration order, including <paramref name="PreviousSpike"/>.</param>
/// <param name="Initial">Per state, its declared initial value ([State(Initial = …)], 0 when not given).</param>
/// <param name="Ports">The parameters of Integrate, read as <see cref="InputRef"/>.</param>
/// <param name="PreviousSpike">The [PreviousSpike] state holding S[t−1], or null.</param>
/// <param name="Fires">The firing condition, null for a non-spiking neuron.</param>
/// <param name="Reset">The reset, empty when there is none.</param>
/// <param name="Surrogate">Fully qualified name of the firing condition's surrogate type.</param>
/// <param name="SurrogateDescriptor">The name of the surrogate's generated descriptor property.</param>
/// <param name="Kernels">Names of the generated members.</param>
/// <param name="Members">Every member name the user declared in the type.</param>
/// <param name="IntegerKernels">The neuron lowered to each chip of its [FixedPoint(Chip.…)] attributes.</param>
internal sealed record NeuronModel(
    DeclaredType Type,
    EquatableArray<string> States,
    EquatableArray<float> Initial,
    EquatableArray<ParamInfo> Parameters,
    EquatableArray<string> Ports,
    string? PreviousSpike,
    Block Integrate,
    Cond? Fires,
    Block Reset,
    string? Surrogate,
    string? SurrogateDescriptor,
    bool AttachResetGradient,
    KernelNames Kernels,
    EquatableArray<string> Members,
    EquatableArray<IntegerKernel> IntegerKernels = default)
{
    public bool IsSpiking => Fires is not null;

    /// <summary>Whether some state starts at a value other than 0.</summary>
    public bool HasInitialValues => Initial.Any(v => v != 0f);
}

/// <summary>A parameter of Deliver that reads a state of the postsynaptic neuron.</summary>
internal sealed record PostRead(string Input, string State);

/// <summary>A parsed synapse: states and parameters per connection, Deliver as statements and the returned current.</summary>
/// <param name="Drive">Deliver's first parameter, the weighted spikes.</param>
/// <param name="PostReads">Deliver's further parameters, each reading a postsynaptic state.</param>
/// <param name="Deliver">The statements of Deliver.</param>
/// <param name="Current">The value Deliver returns.</param>
internal sealed record SynapseModel(
    DeclaredType Type,
    EquatableArray<string> States,
    EquatableArray<ParamInfo> Parameters,
    string Drive,
    EquatableArray<PostRead> PostReads,
    Block Deliver,
    Expr Current,
    KernelNames Kernels,
    EquatableArray<string> Members)
{
    /// <summary>Every input of the step: the drive, then the postsynaptic reads.</summary>
    public EquatableArray<string> Inputs => new[] { Drive }.Concat(PostReads.Select(r => r.Input)).ToEquatableArray();
}

/// <summary>What a parameter of a learning-rule method reads (the runtime's RuleInputKind, same order).</summary>
internal enum RuleInputKind { PreSpike, PostSpike, PresynapticState, PostsynapticState, Weight, Modulator, Target, Error }

/// <summary>The three methods of a learning rule, in the order they run in a step.</summary>
internal enum RuleMethodKind { Presynaptic, Postsynaptic, Update }

/// <summary>Where a quantity a rule reads lives (the runtime's Locality, same order).</summary>
internal enum Locality { SynapseLocal, NeuronLocal, Broadcast, NonLocal }

/// <summary>A parameter of a learning-rule method: its name (the IR's <see cref="InputRef"/>) and what it reads.</summary>
/// <param name="State">The neuron state, for <see cref="RuleInputKind.PresynapticState"/> and <see cref="RuleInputKind.PostsynapticState"/>.</param>
internal sealed record RuleInput(string Name, RuleInputKind Kind, string? State);

/// <summary>A learning-rule method as IR: its inputs, statements and (for Update) the returned Δw_ij.</summary>
internal sealed record RuleMethod(RuleMethodKind Kind, EquatableArray<RuleInput> Inputs, Block Body, Expr? Result);

/// <summary>A quantity a rule reads, classified by <c>Passes/RuleLocality</c>.</summary>
/// <param name="Quantity">What it is, in words.</param>
/// <param name="Method">The (first) method that reads it.</param>
/// <param name="Name">The field or method parameter that holds it.</param>
internal sealed record LocalityRead(string Quantity, RuleMethodKind Method, string Name, Locality Locality, string Reason);

/// <summary>The names of the members the generator adds to a learning-rule type.</summary>
internal sealed record RuleKernelNames(string Descriptor, string Presynaptic, string Postsynaptic, string Update);

/// <summary>A parsed learning rule: states per presynaptic neuron, postsynaptic neuron and synapse; shared parameters; its methods as IR.</summary>
/// <param name="Offline">Declared [LearningRule(Offline = true)].</param>
/// <param name="Reads">Every quantity the methods read, classified (<c>Passes/RuleLocality</c>).</param>
/// <param name="Members">Every member name the user declared in the type.</param>
internal sealed record LearningRuleModel(
    DeclaredType Type,
    bool Offline,
    EquatableArray<string> PresynapticStates,
    EquatableArray<string> PostsynapticStates,
    EquatableArray<string> SynapticStates,
    EquatableArray<ParamInfo> Parameters,
    RuleMethod? Presynaptic,
    RuleMethod? Postsynaptic,
    RuleMethod Update,
    EquatableArray<LocalityRead> Reads,
    RuleKernelNames Kernels,
    EquatableArray<string> Members)
{
    /// <summary>The methods the rule declares, in the order they run.</summary>
    public System.Collections.Generic.IEnumerable<RuleMethod> Methods => new[] { Presynaptic, Postsynaptic, Update }.Where(m => m is not null)!;

    /// <summary>States of the presynaptic neuron the rule reads, in order of first appearance.</summary>
    public EquatableArray<string> PresynapticReads => NeuronReads(RuleInputKind.PresynapticState);

    /// <summary>States of the postsynaptic neuron the rule reads, in order of first appearance.</summary>
    public EquatableArray<string> PostsynapticReads => NeuronReads(RuleInputKind.PostsynapticState);

    private EquatableArray<string> NeuronReads(RuleInputKind kind) =>
        Methods.SelectMany(m => m.Inputs).Where(i => i.Kind == kind).Select(i => i.State!).Distinct().ToEquatableArray();
}

/// <summary>An input layer or a population; <paramref name="Accessibility"/> repeats the property's declaration.</summary>
internal sealed record LayerModel(string Name, string Accessibility, int Size, NeuronModel? Neuron)
{
    public bool IsInput => Neuron is null;
}

internal enum ConnectionKind { Dense, Sparse, OneToOne, Conv1d }

/// <summary>The shape of a 1-D convolution.</summary>
internal sealed record ConvShape(int InChannels, int InLength, int OutChannels, int OutLength, int KernelSize, int Stride, int Padding);

/// <summary>A connection: kind, ends, delay (MaxDelay for per-synapse delays), port, synapse model.</summary>
/// <param name="Probability">Initial random pattern of a sparse connection (0: empty).</param>
internal sealed record ConnectionModel(
    string Name, string Accessibility, ConnectionKind Kind, string From, string To, int Delay, int MaxDelay, string Port,
    SynapseModel? Synapse, ConvShape? Convolution, double Probability, int Seed);

/// <summary>A bias on a population's port.</summary>
internal sealed record BiasModel(string Name, string Accessibility, string To, string Port);

/// <summary>A parsed network; <paramref name="Members"/> are every member name the user declared in the class.</summary>
internal sealed record NetworkModel(
    DeclaredType Type, double TimeStep, EquatableArray<LayerModel> Layers, EquatableArray<ConnectionModel> Connections,
    EquatableArray<BiasModel> Biases, EquatableArray<string> Members);

/// <summary>The typed persistence members a [Network] class gets (<c>Parsing/PersistenceParser</c>): <c>Save</c>, the static <c>Load</c>, or both.</summary>
internal sealed record PersistenceModel(DeclaredType Type, bool Save, bool Load);

internal enum ShellKind { Neuron, Network, LearningRule }

/// <summary>A partial property of a network that the shell implements (the definition part the user wrote).</summary>
/// <param name="Type">Its type as fully qualified C#.</param>
/// <param name="Accessors">Its accessor keywords, e.g. "get".</param>
internal sealed record ShellProperty(string Name, string Accessibility, string Type, EquatableArray<string> Accessors);

/// <summary>
/// What the generator emits for a declaration with errors: the interface and the partial members the user's own code
/// relies on, each throwing, so that the SNN diagnostics are the only errors the user sees.
/// </summary>
/// <param name="Diagnostics">The IDs of the declaration's diagnostics, for the exception message.</param>
/// <param name="PopulationStandIn">
/// A network only: the shell declares a <c>Population&lt;TNeuron&gt;</c> without constraints in the network, because a
/// population of a type that is no neuron (SNN0016) would fail SnnDsl's (CS0315, CS0453).
/// </param>
internal sealed record ShellModel(DeclaredType Type, ShellKind Kind, EquatableArray<ShellProperty> Properties, string Diagnostics = "", bool PopulationStandIn = false);
