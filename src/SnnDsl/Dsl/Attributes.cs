namespace SnnDsl;

/// <summary>
/// Declares a neuron model. The type must be a <c>partial struct</c> with <see cref="StateAttribute"/> fields,
/// optional <see cref="ParamAttribute"/> fields, an <c>Integrate(float input)</c> method, optionally a firing
/// condition marked with <see cref="SpikeAttribute"/> and a <c>Reset()</c> method. Without a firing condition
/// the neuron is non-spiking (e.g. a leaky readout).
/// </summary>
/// <remarks>
/// Within step t the generated kernel computes, per neuron: <c>Integrate(input)</c>; S[t] = <c>Fires()</c>;
/// <c>Reset()</c> where S[t] = 1 (docs/semantics.md).
/// </remarks>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class NeuronAttribute : Attribute;

/// <summary>Marks a field of a <see cref="NeuronAttribute"/> type as a state variable (one float per neuron, zero at t = 0).</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class StateAttribute : Attribute;

/// <summary>
/// Marks a field as a parameter of a neuron or surrogate, with its default value.
/// </summary>
/// <param name="defaultValue">The value a new population (or the surrogate) starts with.</param>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class ParamAttribute(float defaultValue) : Attribute
{
    /// <summary>The value a new population (or the surrogate) starts with.</summary>
    public float DefaultValue { get; } = defaultValue;

    /// <summary>One value per neuron instead of one value shared by the population.</summary>
    public bool PerNeuron { get; set; }

    /// <summary>The parameter receives a gradient in training (e.g. a learnable time constant or threshold).</summary>
    public bool Trainable { get; set; }
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
/// Declares a surrogate derivative: a <c>static partial class</c> with static <see cref="ParamAttribute"/> fields
/// and a method <c>static float Derivative(float x)</c>, x = U − ϑ.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SurrogateAttribute : Attribute;

/// <summary>
/// Declares a network: a <c>partial class</c> with partial properties marked <see cref="InputAttribute"/>,
/// <see cref="PopulationAttribute"/> and <see cref="DenseAttribute"/>. Populations update in declaration order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The simulation time step Δt in seconds (documentation and exports; decays are parameters).</summary>
    public double TimeStep { get; set; } = 1e-3;
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
/// All-to-all synapses from layer <paramref name="from"/> to population <paramref name="to"/>; the property type is
/// <see cref="Synapses"/>. A connection whose source comes before its target in declaration order is feed-forward
/// (it carries the spikes of step t); one from the same or a later population is recurrent (spikes of step t−1).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DenseAttribute(string from, string to) : Attribute
{
    /// <summary>Name of the presynaptic layer (an input or a population).</summary>
    public string From { get; } = from;

    /// <summary>Name of the postsynaptic population.</summary>
    public string To { get; } = to;
}
