namespace SnnDsl;

/// <summary>Implemented by the generator for every <see cref="LearningRuleAttribute"/> type.</summary>
public interface ILearningRule
{
    /// <summary>The parsed rule: states, parameters, the IR of its methods, the locality of what it reads and its kernels.</summary>
    static abstract LearningRuleDescriptor Descriptor { get; }
}

/// <summary>What a parameter of a learning-rule method reads (the attribute on it).</summary>
public enum RuleInputKind
{
    /// <summary><see cref="PreSpikeAttribute"/>: s_j(t − d), per presynaptic neuron.</summary>
    PreSpike,

    /// <summary><see cref="PostSpikeAttribute"/>: S_i(t), per postsynaptic neuron.</summary>
    PostSpike,

    /// <summary><see cref="PresynapticAttribute"/>: a state of the presynaptic neuron after its step.</summary>
    PresynapticState,

    /// <summary><see cref="PostsynapticAttribute"/>: a state of the postsynaptic neuron after its step.</summary>
    PostsynapticState,

    /// <summary><see cref="WeightAttribute"/>: W_ij.</summary>
    Weight,

    /// <summary><see cref="ModulatorAttribute"/>: one value per sample and step.</summary>
    Modulator,

    /// <summary><see cref="TargetAttribute"/>: a target delivered to postsynaptic neuron i.</summary>
    Target,

    /// <summary><see cref="ErrorAttribute"/>: an error signal e_i(t) computed outside the neuron.</summary>
    Error,
}

/// <summary>Where a quantity a learning rule reads lives, for a rule that runs on-line (docs/learning-rules.md).</summary>
public enum Locality
{
    /// <summary>At the synapse: its weight, its own states, the spikes it receives and traces of them.</summary>
    SynapseLocal,

    /// <summary>At the postsynaptic neuron: its spike, its states, its traces and what is delivered to it.</summary>
    NeuronLocal,

    /// <summary>One value for every synapse (a neuromodulator such as reward).</summary>
    Broadcast,

    /// <summary>Another neuron's state, another synapse's weight, a future step or a backward-pass error.</summary>
    NonLocal,
}

/// <summary>A parameter of a learning-rule method: its name in the IR, <c>(input Name)</c>, and what it reads.</summary>
/// <param name="Name">The C# parameter name.</param>
/// <param name="Kind">What it reads.</param>
/// <param name="State">The neuron state read, for <see cref="RuleInputKind.PresynapticState"/> and <see cref="RuleInputKind.PostsynapticState"/>.</param>
public sealed record RuleInputDescriptor(string Name, RuleInputKind Kind, string? State = null);

/// <summary>A method of a learning rule as IR text (docs/ir.md).</summary>
/// <param name="Inputs">Its parameters in order.</param>
/// <param name="Body">The statements, a <c>(block …)</c>.</param>
/// <param name="Result">The value returned (Δw_ij, for <c>Update</c>), else null.</param>
public sealed record RuleMethodDescriptor(IReadOnlyList<RuleInputDescriptor> Inputs, string Body, string? Result);

/// <summary>One quantity a learning rule reads, with its classification.</summary>
/// <param name="Quantity">What it is, e.g. "presynaptic state X" or "[Error] error".</param>
/// <param name="Method">The first method that reads it.</param>
/// <param name="Name">The field or parameter that holds it.</param>
/// <param name="Locality">Where it lives.</param>
/// <param name="Reason">Why it has that locality.</param>
public sealed record LocalityRead(string Quantity, string Method, string Name, Locality Locality, string Reason);

/// <summary>
/// The buffers a learning rule's kernels read and write for one connection and one sample at one step. Per presynaptic
/// neuron: length <see cref="Pre"/>; per postsynaptic neuron: <see cref="Post"/>; per synapse: Pre × Post, row-major by
/// presynaptic neuron like a dense weight matrix.
/// </summary>
public sealed class LearningRuleStep
{
    /// <summary>Buffers for a rule on a connection of <paramref name="pre"/> × <paramref name="post"/> synapses.</summary>
    public LearningRuleStep(LearningRuleDescriptor rule, int pre, int post)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pre);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(post);
        Pre = pre;
        Post = post;
        int synapses = checked(pre * post);
        PresynapticStates = rule.PresynapticStates.Select(_ => new float[pre]).ToArray();
        PostsynapticStates = rule.PostsynapticStates.Select(_ => new float[post]).ToArray();
        SynapticStates = rule.SynapticStates.Select(_ => new float[synapses]).ToArray();
        PresynapticReads = rule.PresynapticReads.Select(_ => new float[pre]).ToArray();
        PostsynapticReads = rule.PostsynapticReads.Select(_ => new float[post]).ToArray();
        PreSpikes = new float[pre];
        PostSpikes = new float[post];
        Target = new float[post];
        Error = new float[post];
        Parameters = rule.Parameters.Select(p => p.DefaultValue).ToArray();
        Weights = new float[synapses];
        WeightChanges = new float[synapses];
    }

    /// <summary>Presynaptic neurons.</summary>
    public int Pre { get; }

    /// <summary>Postsynaptic neurons.</summary>
    public int Post { get; }

    /// <summary>The rule's presynaptic states, in declaration order.</summary>
    public float[][] PresynapticStates { get; }

    /// <summary>The rule's postsynaptic states, in declaration order.</summary>
    public float[][] PostsynapticStates { get; }

    /// <summary>The rule's synaptic states, in declaration order.</summary>
    public float[][] SynapticStates { get; }

    /// <summary>s_j(t − d) as 0 or 1.</summary>
    public float[] PreSpikes { get; }

    /// <summary>S_i(t) as 0 or 1.</summary>
    public float[] PostSpikes { get; }

    /// <summary>The presynaptic neuron states the rule reads, in <see cref="LearningRuleDescriptor.PresynapticReads"/> order.</summary>
    public float[][] PresynapticReads { get; }

    /// <summary>The postsynaptic neuron states the rule reads, in <see cref="LearningRuleDescriptor.PostsynapticReads"/> order.</summary>
    public float[][] PostsynapticReads { get; }

    /// <summary>The modulatory signal of the step.</summary>
    public float Modulator { get; set; }

    /// <summary>The target delivered to each postsynaptic neuron.</summary>
    public float[] Target { get; }

    /// <summary>The error signal of each postsynaptic neuron.</summary>
    public float[] Error { get; }

    /// <summary>The rule's parameters, in declaration order.</summary>
    public float[] Parameters { get; }

    /// <summary>W_ij, row-major [pre, post] (a dense connection's own array may be assigned instead).</summary>
    public float[] Weights { get; set; }

    /// <summary>Accumulates Δw_ij of every <c>Update</c>, row-major [pre, post].</summary>
    public float[] WeightChanges { get; }

    /// <summary>Zeroes the rule's states (a new sample).</summary>
    public void ClearStates()
    {
        foreach (float[] s in PresynapticStates) Array.Clear(s);
        foreach (float[] s in PostsynapticStates) Array.Clear(s);
        foreach (float[] s in SynapticStates) Array.Clear(s);
    }
}

/// <summary>The generated kernels of a learning rule, over the buffers of a <see cref="LearningRuleStep"/>.</summary>
/// <param name="Presynaptic">Runs <c>Presynaptic</c> for every presynaptic neuron, or null when the rule has none.</param>
/// <param name="Postsynaptic">Runs <c>Postsynaptic</c> for every postsynaptic neuron, or null when the rule has none.</param>
/// <param name="Update">Runs <c>Update</c> for every synapse and adds its Δw_ij to <see cref="LearningRuleStep.WeightChanges"/>.</param>
public sealed record LearningRuleKernels(Action<LearningRuleStep>? Presynaptic, Action<LearningRuleStep>? Postsynaptic, Action<LearningRuleStep> Update);

/// <summary>
/// A learning rule as the generator parsed it (docs/learning-rules.md): its states, parameters, the IR of its methods
/// and the locality of every quantity it reads.
/// </summary>
/// <param name="Name">Type name.</param>
/// <param name="Offline">Declared not to run on-line (<see cref="LearningRuleAttribute.Offline"/>).</param>
/// <param name="PresynapticStates">States per presynaptic neuron.</param>
/// <param name="PostsynapticStates">States per postsynaptic neuron.</param>
/// <param name="SynapticStates">States per synapse.</param>
/// <param name="Parameters">Parameters (shared by the connection).</param>
/// <param name="PresynapticReads">States of the presynaptic neuron the rule reads.</param>
/// <param name="PostsynapticReads">States of the postsynaptic neuron the rule reads.</param>
/// <param name="Presynaptic">The <c>Presynaptic</c> method, or null.</param>
/// <param name="Postsynaptic">The <c>Postsynaptic</c> method, or null.</param>
/// <param name="Update">The <c>Update</c> method.</param>
/// <param name="Reads">Every quantity the methods read, classified.</param>
/// <param name="Kernels">The generated kernels.</param>
public sealed record LearningRuleDescriptor(
    string Name,
    bool Offline,
    IReadOnlyList<string> PresynapticStates,
    IReadOnlyList<string> PostsynapticStates,
    IReadOnlyList<string> SynapticStates,
    IReadOnlyList<ParamDescriptor> Parameters,
    IReadOnlyList<string> PresynapticReads,
    IReadOnlyList<string> PostsynapticReads,
    RuleMethodDescriptor? Presynaptic,
    RuleMethodDescriptor? Postsynaptic,
    RuleMethodDescriptor Update,
    IReadOnlyList<LocalityRead> Reads,
    LearningRuleKernels Kernels)
{
    /// <summary>Whether everything the rule reads is synapse-local, neuron-local or broadcast.</summary>
    public bool IsLocal => Reads.All(r => r.Locality != Locality.NonLocal);

    /// <summary>Whether some method has a parameter of <paramref name="kind"/> (the runtime must supply that signal).</summary>
    public bool Declares(RuleInputKind kind) =>
        new[] { Presynaptic, Postsynaptic, Update }.Any(m => m is not null && m.Inputs.Any(i => i.Kind == kind));
}
