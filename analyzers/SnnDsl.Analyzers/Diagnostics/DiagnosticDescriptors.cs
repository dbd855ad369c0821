using Microsoft.CodeAnalysis;

namespace SnnDsl.Diagnostics;

/// <summary>
/// The catalogue of SnnDsl diagnostics. Owned by the analyzers project and linked into the generator, so every
/// ID is defined once. Each ID has a help page at docs/diagnostics/ID.md.
/// SNN0001–SNN0099 (Structure): the shape of neuron, synapse, surrogate, learning-rule and network declarations (generator).
/// SNN0100–SNN0199 (Translation): constructs outside the translatable subset of C# in dynamics bodies (generator).
/// SNN0300–SNN0399 (Numerics), SNN0400–SNN0499 (Usage): models that compile but compute something other than
/// intended (analyzers). SNN0500–SNN0599 (Locality): learning rules that need information a synapse does not have
/// (analyzers). SNN0600–SNN0699 (Hardware): declarations marked [Hardware(Chip.…)] that the chip cannot run as written
/// (analyzers, from the target profiles).
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Structure = "SnnDsl.Structure";
    private const string Translation = "SnnDsl.Translation";
    private const string Numerics = "SnnDsl.Numerics";
    private const string Usage = "SnnDsl.Usage";
    private const string Locality = "SnnDsl.Locality";
    private const string Hardware = "SnnDsl.Hardware";
    private const string HelpRoot = "https://github.com/snndsl/snndsl/blob/main/docs/diagnostics/";

    private static DiagnosticDescriptor Error(string id, string title, string message, string category) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");

    private static DiagnosticDescriptor Warning(string id, string title, string message, string category) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");

    private static DiagnosticDescriptor Info(string id, string title, string message, string category) =>
        new(id, title, message, category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");

    /// <summary>SNN0001: "The [{0}] type '{1}' must be declared {2}".</summary>
    public static readonly DiagnosticDescriptor MustBePartial = Error("SNN0001",
        "Declaration must be partial", "The [{0}] type '{1}' must be declared {2}", Structure);

    /// <summary>SNN0002: "Neuron '{0}' declares no [State] field; add at least one, e.g. '[State] public float U;'".</summary>
    public static readonly DiagnosticDescriptor NoState = Error("SNN0002",
        "Neuron has no state", "Neuron '{0}' declares no [State] field; add at least one, e.g. '[State] public float U;'", Structure);

    /// <summary>SNN0003: "Neuron '{0}' needs a method 'public void Integrate(float input)' with a body".</summary>
    public static readonly DiagnosticDescriptor MissingIntegrate = Error("SNN0003",
        "Neuron has no Integrate method", "Neuron '{0}' needs a method 'public void Integrate(float input)' with a body", Structure);

    /// <summary>SNN0004: "'{0}' must have the signature {1}".</summary>
    public static readonly DiagnosticDescriptor WrongSignature = Error("SNN0004",
        "Method has the wrong signature", "'{0}' must have the signature {1}", Structure);

    /// <summary>SNN0005: "[{0}] field '{1}' must be {2}".</summary>
    public static readonly DiagnosticDescriptor WrongField = Error("SNN0005",
        "State or parameter field of the wrong kind", "[{0}] field '{1}' must be {2}", Structure);

    /// <summary>SNN0006: "'{0}' is not a [Surrogate] type; declare it as '[Surrogate] public static partial class {0}'".</summary>
    public static readonly DiagnosticDescriptor NotASurrogate = Error("SNN0006",
        "Spike surrogate is not a [Surrogate] type", "'{0}' is not a [Surrogate] type; declare it as '[Surrogate] public static partial class {0}' with 'public static float Derivative(float x)'", Structure);

    /// <summary>SNN0007: "Neuron '{0}' has more than one [Spike] method".</summary>
    public static readonly DiagnosticDescriptor MultipleFiringConditions = Error("SNN0007",
        "More than one firing condition", "Neuron '{0}' has more than one [Spike] method; keep one", Structure);

    /// <summary>SNN0008: "Neuron '{0}' declares Reset() but no [Spike] firing condition; add one or remove Reset".</summary>
    public static readonly DiagnosticDescriptor ResetWithoutSpike = Error("SNN0008",
        "Reset without firing condition", "Neuron '{0}' declares Reset() but no [Spike] firing condition; add one or remove Reset", Structure);

    /// <summary>SNN0009: "Surrogate '{0}' needs a method 'public static float Derivative(float x)' with a body".</summary>
    public static readonly DiagnosticDescriptor MissingDerivative = Error("SNN0009",
        "Surrogate has no Derivative method", "Surrogate '{0}' needs a method 'public static float Derivative(float x)' with a body", Structure);

    /// <summary>SNN0010: "Network property '{0}' must be declared 'public partial {1} {0} {{ get; }}'".</summary>
    public static readonly DiagnosticDescriptor WrongLayerProperty = Error("SNN0010",
        "Network member of the wrong shape", "Network property '{0}' must be declared 'public partial {1} {0} {{ get; }}'", Structure);

    /// <summary>SNN0011: "Layer '{0}' has size {1}; a size must be positive".</summary>
    public static readonly DiagnosticDescriptor NonPositiveSize = Error("SNN0011",
        "Layer size must be positive", "Layer '{0}' has size {1}; a size must be positive", Structure);

    /// <summary>SNN0012: "Connection '{0}' names '{1}', which is not a layer of network '{2}'; layers: {3}".</summary>
    public static readonly DiagnosticDescriptor UnknownLayer = Error("SNN0012",
        "Connection names an unknown layer", "Connection '{0}' names '{1}', which is not a layer of network '{2}'; layers: {3}", Structure);

    /// <summary>SNN0013: "Connection '{0}' targets input layer '{1}'; a connection must end at a population".</summary>
    public static readonly DiagnosticDescriptor TargetIsInput = Error("SNN0013",
        "Connection targets an input", "Connection '{0}' targets input layer '{1}'; a connection must end at a population", Structure);

    /// <summary>SNN0014: "Connection '{0}' has presynaptic layer '{1}', a non-spiking population; only inputs and spiking populations can be presynaptic".</summary>
    public static readonly DiagnosticDescriptor NonSpikingSource = Error("SNN0014",
        "Connection from a non-spiking population", "Connection '{0}' has presynaptic layer '{1}', a non-spiking population; only inputs and spiking populations can be presynaptic", Structure);

    /// <summary>SNN0015: "Network '{0}' needs at least one [Input] and one [Population]".</summary>
    public static readonly DiagnosticDescriptor EmptyNetwork = Error("SNN0015",
        "Network has no input or no population", "Network '{0}' needs at least one [Input] and one [Population]", Structure);

    /// <summary>SNN0016: "Population '{0}' uses '{1}', which is not a [Neuron] type".</summary>
    public static readonly DiagnosticDescriptor NotANeuron = Error("SNN0016",
        "Population of a type that is not a neuron", "Population '{0}' uses '{1}', which is not a [Neuron] type", Structure);

    /// <summary>SNN0017: "Neuron '{0}' has an error; populations of it cannot be generated (see the diagnostics on '{0}')".</summary>
    public static readonly DiagnosticDescriptor InvalidNeuron = Error("SNN0017",
        "Population of an invalid neuron", "Neuron '{0}' has an error; populations of it cannot be generated (see the diagnostics on '{0}')", Structure);

    /// <summary>SNN0018: "'{0}' is declared twice in network '{1}'".</summary>
    public static readonly DiagnosticDescriptor DuplicateConnection = Error("SNN0018",
        "Duplicate connection", "Connection '{0}' repeats {1} → {2}, already connected by '{3}'; merge them into one", Structure);

    /// <summary>SNN0020: "'{0}' drives port '{1}', but neuron '{2}' has the ports {3}".</summary>
    public static readonly DiagnosticDescriptor UnknownPort = Error("SNN0020",
        "Unknown port", "'{0}' drives port '{1}', but neuron '{2}' has the ports {3} (the parameters of its Integrate)", Structure);

    /// <summary>SNN0021: "'{0}' must say which port of population '{1}' it drives".</summary>
    public static readonly DiagnosticDescriptor PortRequired = Error("SNN0021",
        "Port not given", "'{0}' must say which port of population '{1}' it drives: neuron '{2}' has the ports {3}; add Port = \"…\"", Structure);

    /// <summary>SNN0022: "Connection '{0}' uses '{1}', which is not a [Synapse] type".</summary>
    public static readonly DiagnosticDescriptor NotASynapse = Error("SNN0022",
        "Synapse of a type that is not a synapse", "Connection '{0}' uses '{1}', which is not a [Synapse] type", Structure);

    /// <summary>SNN0023: "Synapse '{0}' has an error; connections using it cannot be generated".</summary>
    public static readonly DiagnosticDescriptor InvalidSynapse = Error("SNN0023",
        "Connection with an invalid synapse", "Synapse '{0}' has an error; connections using it cannot be generated (see the diagnostics on '{0}')", Structure);

    /// <summary>SNN0024: "Synapse '{0}' of connection '{1}' reads postsynaptic state '{2}', which neuron '{3}' does not have".</summary>
    public static readonly DiagnosticDescriptor PostsynapticStateMissing = Error("SNN0024",
        "Synapse reads a state the postsynaptic neuron lacks", "Synapse '{0}' of connection '{1}' reads postsynaptic state '{2}', but neuron '{3}' has the states {4}", Structure);

    /// <summary>SNN0025: "Connection '{0}': {1}" (delays).</summary>
    public static readonly DiagnosticDescriptor InvalidDelay = Error("SNN0025",
        "Invalid delay", "Connection '{0}': {1}", Structure);

    /// <summary>SNN0026: "Connection '{0}': {1}" (sizes, shapes, probabilities).</summary>
    public static readonly DiagnosticDescriptor InvalidConnectionShape = Error("SNN0026",
        "Connection does not fit its layers", "Connection '{0}': {1}", Structure);

    /// <summary>SNN0027: "Synapse '{0}' needs a method 'public float Deliver(float weightedSpikes)' with a body".</summary>
    public static readonly DiagnosticDescriptor MissingDeliver = Error("SNN0027",
        "Synapse has no Deliver method", "Synapse '{0}' needs a method 'public float Deliver(float weightedSpikes)' with a body that updates its states and returns the current", Structure);

    /// <summary>SNN0028: "'{0}' from assembly '{1}' carries no compiled model".</summary>
    public static readonly DiagnosticDescriptor CompiledModelMissing = Error("SNN0028",
        "Model from a referenced assembly is unreadable", "'{0}' from assembly '{1}' carries no model this generator can read; rebuild that assembly with the same SnnDsl version", Structure);

    /// <summary>SNN0029: "Surrogate '{0}' has an error; neuron '{1}' cannot be generated".</summary>
    public static readonly DiagnosticDescriptor InvalidSurrogate = Error("SNN0029",
        "Neuron with an invalid surrogate", "Surrogate '{0}' has an error; neuron '{1}' cannot be generated (see the diagnostics on '{0}')", Structure);

    /// <summary>SNN0030: "Learning rule '{0}' needs a method 'public float Update(…)' with a body".</summary>
    public static readonly DiagnosticDescriptor MissingUpdate = Error("SNN0030",
        "Learning rule has no Update method", "Learning rule '{0}' needs a method 'public float Update(…)' with a body that returns the weight change Δw_ij of the step", Structure);

    /// <summary>SNN0031: "Parameter '{0}' of {1}: {2}".</summary>
    public static readonly DiagnosticDescriptor RuleInputWithoutRole = Error("SNN0031",
        "Learning-rule parameter without a role it can have", "Parameter '{0}' of {1}: {2}", Structure);

    /// <summary>SNN0032: "The initial value of state '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidInitialValue = Error("SNN0032",
        "Invalid initial value of a state", "The initial value of state '{0}' {1}", Structure);

    /// <summary>SNN0033: "The bounds of parameter '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidParameterBounds = Error("SNN0033",
        "Invalid bounds of a parameter", "The bounds of parameter '{0}' {1}", Structure);

    /// <summary>SNN0101: "{0} is not supported in dynamics; {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedLoop = Error("SNN0101",
        "Loop in dynamics", "{0} is not supported in dynamics: a neuron update is one step of straight-line code; unroll it or move the iteration into the network", Translation);

    /// <summary>SNN0102: "Call to '{0}' is not supported in dynamics; {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedCall = Error("SNN0102",
        "Unsupported method call", "Call to '{0}' is not supported in dynamics; use arithmetic or MathF.Exp, Log, Abs, Sqrt, Tanh, Max, Min, Pow", Translation);

    /// <summary>SNN0103: "'{0}' is not a state, parameter, constant or local of '{1}'".</summary>
    public static readonly DiagnosticDescriptor UnsupportedMemberAccess = Error("SNN0103",
        "Access to something outside the model", "'{0}' is not a state, parameter, constant or local of '{1}'; dynamics may read only those (and the input)", Translation);

    /// <summary>SNN0104: "{0} allocates; dynamics run inside the time loop and must not allocate".</summary>
    public static readonly DiagnosticDescriptor UnsupportedAllocation = Error("SNN0104",
        "Allocation in dynamics", "{0} allocates; dynamics run inside the time loop and must not allocate — use float locals", Translation);

    /// <summary>SNN0105: "{0} is not supported in dynamics; {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedStatement = Error("SNN0105",
        "Unsupported statement", "{0} is not supported in dynamics; {1}", Translation);

    /// <summary>SNN0106: "Operator '{0}' is not supported in dynamics; {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedOperator = Error("SNN0106",
        "Unsupported operator", "Operator '{0}' is not supported in dynamics; {1}", Translation);

    /// <summary>SNN0107: "Cannot assign to '{0}': {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidAssignment = Error("SNN0107",
        "Invalid assignment target", "Cannot assign to '{0}': {1}", Translation);

    /// <summary>SNN0108: "{0} has type '{1}'; dynamics compute in float only".</summary>
    public static readonly DiagnosticDescriptor UnsupportedType = Error("SNN0108",
        "Non-float value in dynamics", "{0} has type '{1}'; dynamics compute in float only (write literals with an 'f' suffix, declare locals as float)", Translation);

    /// <summary>SNN0109: "The firing condition of '{0}' must be a comparison 'x &gt; y' (or &gt;=, &lt;, &lt;=)".</summary>
    public static readonly DiagnosticDescriptor FiringConditionNotComparison = Error("SNN0109",
        "Firing condition is not a comparison", "The firing condition of '{0}' must be a single comparison such as 'U > Threshold' (or >=, <, <=), so that its surrogate has an argument", Translation);

    /// <summary>SNN0110: "{0} is not supported in dynamics; {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("SNN0110",
        "Unsupported expression", "{0} is not supported in dynamics; {1}", Translation);

    /// <summary>SNN0111: "{0} cannot read or assign '{1}': {2}".</summary>
    public static readonly DiagnosticDescriptor StateNotVisible = Error("SNN0111",
        "State not visible in this method", "{0} cannot read or assign '{1}': {2}", Translation);

    /// <summary>SNN0112: "Helper '{0}' calls itself{1}; helpers are inlined, so they cannot recurse".</summary>
    public static readonly DiagnosticDescriptor RecursiveHelper = Error("SNN0112",
        "Recursive helper method", "Helper '{0}' calls itself{1}; helpers are inlined into the dynamics, so they cannot recurse — write the recursion out or use a closed form", Translation);

    /// <summary>SNN0113: "Helper '{0}' cannot be inlined: {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedHelper = Error("SNN0113",
        "Helper method of the wrong shape", "Helper '{0}' cannot be inlined: {1}; a helper is 'static float Name(float a, …)' declared in the model, with a body", Translation);

    /// <summary>SNN0114: "Neuron '{0}' cannot be lowered to {1}'s integer arithmetic: {2}".</summary>
    public static readonly DiagnosticDescriptor NotLowerable = Error("SNN0114",
        "Neuron cannot be lowered to the chip's integer arithmetic", "Neuron '{0}' cannot be lowered to {1}'s integer arithmetic for [FixedPoint]: {2}", Translation);

    /// <summary>SNN0115: "{0} is not supported in integer neuron '{1}'; {2}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedIntegerConstruct = Error("SNN0115",
        "Unsupported construct in integer dynamics", "{0} is not supported in integer neuron '{1}'; {2}", Translation);

    /// <summary>SNN0116: "'{0}' is an integer neuron and cannot {1}".</summary>
    public static readonly DiagnosticDescriptor IntegerNeuronNotDifferentiable = Error("SNN0116",
        "Integer neuron where a float neuron is needed", "'{0}' is an integer neuron and cannot {1}: integer neurons have no float dynamics and no surrogate gradient, and run only through their generated Step kernel", Translation);

    /// <summary>SNN0301: "'{0}' divides by parameter '{1}', whose default is 0".</summary>
    public static readonly DiagnosticDescriptor DivisionByZeroDefault = Warning("SNN0301",
        "Division by a parameter whose default is 0", "'{0}' divides by parameter '{1}', whose default is 0: unless every population or connection sets it, the result is NaN or infinite from the first step", Numerics);

    /// <summary>SNN0302: "Parameter '{0}' decays state '{1}' but its default {2} is outside (0, 1]".</summary>
    public static readonly DiagnosticDescriptor DecayOutOfRange = Warning("SNN0302",
        "Decay outside (0, 1]", "Parameter '{0}' multiplies state '{1}' in its own update, a decay, but its default {2} is outside (0, 1]: {3}", Numerics);

    /// <summary>SNN0303: "The derivative of surrogate '{0}' is {1} at x = {2}".</summary>
    public static readonly DiagnosticDescriptor NegativeSurrogate = Warning("SNN0303",
        "Surrogate derivative negative or not finite", "The derivative of surrogate '{0}' is {1} at x = {2} with its default parameters; a surrogate derivative must be finite and non-negative, or the gradient points the wrong way", Numerics);

    /// <summary>SNN0304: "Division by the constant {0}: multiplying by {1} is exact".</summary>
    public static readonly DiagnosticDescriptor DivisionByConstant = Info("SNN0304",
        "Division by a power-of-two constant", "Division by the constant {0}: multiplying by {1} gives the same float result and is cheaper in every kernel", Numerics);

    /// <summary>SNN0401: "'{0}' looks like a firing condition but has no [Spike] attribute".</summary>
    public static readonly DiagnosticDescriptor FiresWithoutSpike = Warning("SNN0401",
        "Firing condition without [Spike]", "'{0}' looks like a firing condition but has no [Spike] attribute, so neuron '{1}' never spikes; add [Spike(typeof(FastSigmoid))]", Usage);

    /// <summary>SNN0402: "'{0}' on surrogate parameter '{1}' has no effect".</summary>
    public static readonly DiagnosticDescriptor IgnoredSurrogateFlag = Warning("SNN0402",
        "Flag without effect on a surrogate parameter", "'{0}' on surrogate parameter '{1}' has no effect: surrogate parameters are static values shared by every neuron, and they are not trained", Usage);

    /// <summary>SNN0403: "State '{0}' of '{1}' is never assigned".</summary>
    public static readonly DiagnosticDescriptor StateNeverWritten = Warning("SNN0403",
        "State never written", "State '{0}' of '{1}' is never assigned by its dynamics, so it stays 0", Usage);

    /// <summary>SNN0404: "State '{0}' of '{1}' is never read".</summary>
    public static readonly DiagnosticDescriptor StateNeverRead = Info("SNN0404",
        "State never read", "State '{0}' of '{1}' is assigned but never read by its dynamics; it only serves as a recorded output", Usage);

    /// <summary>SNN0405: "Population '{0}' receives no connection and no bias".</summary>
    public static readonly DiagnosticDescriptor PopulationWithoutInput = Warning("SNN0405",
        "Population without input", "Population '{0}' receives no connection and no bias; its neurons see zero input", Usage);

    /// <summary>SNN0406: "Trainable parameter '{0}' of '{1}' {2}, so its gradient is always 0".</summary>
    public static readonly DiagnosticDescriptor TrainableWithoutGradient = Warning("SNN0406",
        "Trainable parameter without gradient", "Trainable parameter '{0}' of '{1}' {2}, so its gradient is always 0", Usage);

    /// <summary>SNN0407: "Network '{0}' is [NirExportable], but population '{1}' uses neuron '{2}', which has no NIR primitive".</summary>
    public static readonly DiagnosticDescriptor NoNirPrimitive = Warning("SNN0407",
        "Neuron without a NIR primitive in a network to export to NIR", "Network '{0}' is [NirExportable], but population '{1}' uses neuron '{2}', which has no NIR primitive; the NIR export maps the built-ins {3}", Usage);

    /// <summary>SNN0408: "NIR file '{0}' of [NirNetwork] on '{1}' is not an AdditionalFiles item of the project{2}".</summary>
    public static readonly DiagnosticDescriptor NirFileNotListed = Error("SNN0408",
        "NIR file not among the AdditionalFiles", "NIR file '{0}' of [NirNetwork] on '{1}' is not an AdditionalFiles item of the project{2}; add <AdditionalFiles Include=\"{0}\" />", Usage);

    /// <summary>SNN0409: "NIR file '{0}' cannot become network '{1}': {2}".</summary>
    public static readonly DiagnosticDescriptor NirNotImportable = Error("SNN0409",
        "NIR file cannot be imported", "NIR file '{0}' cannot become network '{1}': {2}", Usage);

    /// <summary>SNN0410: "[NirNetwork] cannot complete '{0}': {1}".</summary>
    public static readonly DiagnosticDescriptor NirNetworkClass = Error("SNN0410",
        "Class cannot take an imported network", "[NirNetwork] cannot complete '{0}': {1}", Usage);

    /// <summary>SNN0501: "Learning rule '{0}' is not local: {1} reads {2} ({3}) — a chip cannot run it on-line".</summary>
    public static readonly DiagnosticDescriptor NonLocalRule = Warning("SNN0501",
        "Learning rule reads a non-local quantity", "Learning rule '{0}' is not local: {1} reads {2} ({3}) — a chip cannot run it on-line; declare it [LearningRule(Offline = true)] if it is not meant to", Locality);

    /// <summary>SNN0601: "{0} computes {1} (it reads {2}), which {3} cannot execute in its step: the step {4}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedStepOperation = Warning("SNN0601",
        "Operation the chip cannot execute in the step", "{0} computes {1} (it reads {2}), which {3} cannot execute in its step: the step {4}", Hardware);

    /// <summary>SNN0602: "{0} decays state '{1}' by {2}, which {3} cannot represent ({4}); the nearest is {5} ({6}), a relative error of {7}".</summary>
    public static readonly DiagnosticDescriptor UnrepresentableDecay = Warning("SNN0602",
        "Decay the chip cannot represent", "{0} decays state '{1}' by {2}, which {3} cannot represent ({4}); the nearest is {5} ({6}), a relative error of {7}", Hardware);

    /// <summary>SNN0603: "{0}: {1}, but {2}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedNeuronShape = Warning("SNN0603",
        "Neuron shape the chip does not have", "{0}: {1}, but {2}", Hardware);

    /// <summary>SNN0604: "{0} needs {1}, but {2} has at most {3}".</summary>
    public static readonly DiagnosticDescriptor DeviceLimitExceeded = Warning("SNN0604",
        "Beyond a device limit", "{0} needs {1}, but {2} has at most {3}", Hardware);

    /// <summary>SNN0605: "Connection '{0}' has a delay of {1} steps, but {2}".</summary>
    public static readonly DiagnosticDescriptor DelayOutOfRange = Warning("SNN0605",
        "Delay out of the chip's range", "Connection '{0}' has a delay of {1} steps, but {2}", Hardware);

    /// <summary>SNN0606: "Learning rule '{0}' keeps {1} ({2}), {3} bytes per {4} at {5} bits each, but {6}".</summary>
    public static readonly DiagnosticDescriptor LearningStateMemory = Warning("SNN0606",
        "Learning rule needs state memory the chip does not keep", "Learning rule '{0}' keeps {1} ({2}), {3} bytes per {4} at {5} bits each, but {6}", Hardware);

    /// <summary>SNN0607: "{0}: {1}, but {2}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedTopology = Warning("SNN0607",
        "Connection the chip's architecture has no place for", "{0}: {1}, but {2}", Hardware);

    /// <summary>SNN0608: "{0} is {1}, which {2} cannot represent ({3}); the nearest is {4}".</summary>
    public static readonly DiagnosticDescriptor UnrepresentableValue = Warning("SNN0608",
        "Parameter or constant the chip cannot represent", "{0} is {1}, which {2} cannot represent ({3}); the nearest is {4}", Hardware);
}
