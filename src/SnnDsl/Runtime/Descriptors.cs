namespace SnnDsl;

/// <summary>A neuron or surrogate parameter as declared.</summary>
/// <param name="Name">Field name.</param>
/// <param name="DefaultValue">Value from <see cref="ParamAttribute"/>.</param>
/// <param name="PerNeuron">One value per neuron (else shared by the population).</param>
/// <param name="Trainable">Receives a gradient in training.</param>
public sealed record ParamDescriptor(string Name, float DefaultValue, bool PerNeuron, bool Trainable);

/// <summary>
/// A surrogate as the generator parsed it: parameters and the derivative as expression IR
/// (S-expressions, grammar in docs/ir.md) over <c>(arg)</c>, x = U − ϑ.
/// </summary>
/// <param name="Name">Type name.</param>
/// <param name="Parameters">Static parameters.</param>
/// <param name="Derivative">IR of σ′(x).</param>
public sealed record SurrogateDescriptor(string Name, IReadOnlyList<ParamDescriptor> Parameters, string Derivative);

/// <summary>
/// A neuron model as the generator parsed it. <see cref="Integrate"/>, <see cref="Fires"/> and <see cref="Reset"/>
/// are the expression IR in S-expression form (grammar in docs/ir.md); the reference interpreter in the tests
/// and the exporters read them.
/// </summary>
/// <param name="Name">Type name.</param>
/// <param name="States">State variables in declaration order.</param>
/// <param name="Parameters">Parameters in declaration order.</param>
/// <param name="Integrate">IR of <c>Integrate(input)</c>: a <c>(block …)</c> of assignments.</param>
/// <param name="Fires">IR of the firing condition, or null for a non-spiking neuron.</param>
/// <param name="Reset">IR of <c>Reset()</c>, or null when there is none.</param>
/// <param name="Surrogate">The surrogate of the firing condition, or null.</param>
/// <param name="AttachResetGradient">Whether the reset carries gradient in the backward pass.</param>
public sealed record NeuronDescriptor(
    string Name,
    IReadOnlyList<string> States,
    IReadOnlyList<ParamDescriptor> Parameters,
    string Integrate,
    string? Fires,
    string? Reset,
    SurrogateDescriptor? Surrogate,
    bool AttachResetGradient)
{
    /// <summary>Whether the neuron emits spikes.</summary>
    public bool IsSpiking => Fires is not null;
}

/// <summary>A layer of a network: an input (Neuron is null) or a population.</summary>
/// <param name="Name">Property name.</param>
/// <param name="Size">Number of channels or neurons.</param>
/// <param name="Neuron">The neuron model, null for an input layer.</param>
public sealed record LayerDescriptor(string Name, int Size, NeuronDescriptor? Neuron)
{
    /// <summary>Whether this is an input layer.</summary>
    public bool IsInput => Neuron is null;
}

/// <summary>A dense connection.</summary>
/// <param name="Name">Property name.</param>
/// <param name="From">Presynaptic layer.</param>
/// <param name="To">Postsynaptic population.</param>
/// <param name="Recurrent">Carries the spikes of step t−1 (else those of step t).</param>
public sealed record ConnectionDescriptor(string Name, string From, string To, bool Recurrent);

/// <summary>A network as declared: layers in update order and connections.</summary>
/// <param name="Name">Type name.</param>
/// <param name="TimeStep">Δt in seconds.</param>
/// <param name="Layers">Inputs and populations in declaration order (populations update in this order).</param>
/// <param name="Connections">Dense connections in declaration order.</param>
public sealed record NetworkDescriptor(
    string Name, double TimeStep, IReadOnlyList<LayerDescriptor> Layers, IReadOnlyList<ConnectionDescriptor> Connections)
{
    /// <summary>Finds a layer by name.</summary>
    /// <exception cref="ArgumentException">No layer has that name.</exception>
    public LayerDescriptor Layer(string name) =>
        Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new ArgumentException($"Network '{Name}' has no layer named '{name}'. Layers: {string.Join(", ", Layers.Select(l => l.Name))}.", nameof(name));
}
