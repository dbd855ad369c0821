namespace SnnDsl;

/// <summary>A neuron, synapse or surrogate parameter as declared.</summary>
/// <param name="Name">Field name.</param>
/// <param name="DefaultValue">Value from <see cref="ParamAttribute"/>.</param>
/// <param name="PerNeuron">One value per neuron (for a synapse: per postsynaptic neuron); else shared.</param>
/// <param name="Trainable">Receives a gradient in training.</param>
/// <param name="Min">The least value training may give it (<see cref="ParamAttribute.Min"/>); −∞ when unbounded.</param>
/// <param name="Max">The greatest value training may give it (<see cref="ParamAttribute.Max"/>); +∞ when unbounded.</param>
public sealed record ParamDescriptor(string Name, float DefaultValue, bool PerNeuron, bool Trainable,
    float Min = float.NegativeInfinity, float Max = float.PositiveInfinity)
{
    /// <summary>Whether training keeps the parameter within [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public bool Bounded => Trainable && (!float.IsNegativeInfinity(Min) || !float.IsPositiveInfinity(Max));
}

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
/// <param name="States">State variables in declaration order (including the <see cref="PreviousSpike"/> field, if any).</param>
/// <param name="Parameters">Parameters in declaration order.</param>
/// <param name="Ports">The inputs of <c>Integrate</c>, in parameter order; IR reads them as <c>(input name)</c>.</param>
/// <param name="PreviousSpike">The state that holds S[t−1] (set to S[t] at the end of each step), or null.</param>
/// <param name="Integrate">IR of <c>Integrate(…)</c>: a <c>(block …)</c> of assignments.</param>
/// <param name="Fires">IR of the firing condition, or null for a non-spiking neuron.</param>
/// <param name="Reset">IR of <c>Reset()</c>, or null when there is none.</param>
/// <param name="Surrogate">The surrogate of the firing condition, or null.</param>
/// <param name="AttachResetGradient">Whether the reset (and <see cref="PreviousSpike"/>) carries gradient into the spike in the backward pass.</param>
/// <param name="Tangents">The step's forward-mode Jacobian and its generated kernel (null for a model read from text).</param>
/// <param name="InitialValues">Per state, in the order of <see cref="States"/>, the declared initial value
/// (<see cref="StateAttribute.Initial"/>); null when every state starts at 0.</param>
/// <param name="Equations">The dynamics as C#-like text, one line per method, as the generator translated them (helpers
/// inlined); null for a model read from a declaration text.</param>
public sealed record NeuronDescriptor(
    string Name,
    IReadOnlyList<string> States,
    IReadOnlyList<ParamDescriptor> Parameters,
    IReadOnlyList<string> Ports,
    string? PreviousSpike,
    string Integrate,
    string? Fires,
    string? Reset,
    SurrogateDescriptor? Surrogate,
    bool AttachResetGradient,
    StepTangentsDescriptor? Tangents = null,
    IReadOnlyList<float>? InitialValues = null,
    string? Equations = null)
{
    /// <summary>Whether the neuron emits spikes.</summary>
    public bool IsSpiking => Fires is not null;

    /// <summary>The declared initial value of a state (0 unless it declares <see cref="StateAttribute.Initial"/>).</summary>
    /// <exception cref="ArgumentException">The neuron has no state of that name.</exception>
    public float InitialValue(string state)
    {
        int k = IndexOfState(state);
        return InitialValues is { } values ? values[k] : 0f;
    }

    internal int IndexOfState(string state)
    {
        for (int k = 0; k < States.Count; k++)
            if (States[k] == state) return k;
        throw new ArgumentException($"Neuron '{Name}' has no state '{state}'. States: {string.Join(", ", States)}.", nameof(state));
    }

    /// <summary>
    /// A readable, multi-line summary of the model: its states with their initial values, its parameters with their
    /// defaults (shared or per neuron, fixed or trainable), its ports, and its equations as C#-like text — for printing.
    /// </summary>
    public string Summary() => NeuronSummary.Write(this);
}

/// <summary>A parameter of a synapse's <c>Deliver</c> that reads a state of the postsynaptic neuron.</summary>
/// <param name="Input">The parameter's name, read in the IR as <c>(input name)</c>.</param>
/// <param name="State">The postsynaptic neuron's state it reads (its value at the end of the previous step).</param>
public sealed record PostsynapticRead(string Input, string State);

/// <summary>
/// A synapse model as the generator parsed it: states (one per postsynaptic neuron of a connection), parameters, and
/// <c>Deliver</c> as IR: the statements and the returned current.
/// </summary>
/// <param name="Name">Type name.</param>
/// <param name="States">State variables in declaration order.</param>
/// <param name="Parameters">Parameters (shared by the connection, or one per postsynaptic neuron).</param>
/// <param name="Drive">The name of <c>Deliver</c>'s first parameter, the weighted spikes Σ_j W_ji S_j.</param>
/// <param name="Postsynaptic">The further parameters and the postsynaptic states they read.</param>
/// <param name="Deliver">IR of the statements of <c>Deliver</c>, a <c>(block …)</c>.</param>
/// <param name="Current">IR of the value <c>Deliver</c> returns, the current added to the port.</param>
public sealed record SynapseDescriptor(
    string Name,
    IReadOnlyList<string> States,
    IReadOnlyList<ParamDescriptor> Parameters,
    string Drive,
    IReadOnlyList<PostsynapticRead> Postsynaptic,
    string Deliver,
    string Current);

/// <summary>A layer of a network: an input (Neuron is null) or a population.</summary>
/// <param name="Name">Property name.</param>
/// <param name="Size">Number of channels or neurons.</param>
/// <param name="Neuron">The neuron model, null for an input layer.</param>
public sealed record LayerDescriptor(string Name, int Size, NeuronDescriptor? Neuron)
{
    /// <summary>Whether this is an input layer.</summary>
    public bool IsInput => Neuron is null;
}

/// <summary>How a connection's weights map presynaptic to postsynaptic neurons.</summary>
public enum ConnectionKind
{
    /// <summary>All to all, weights [pre, post].</summary>
    Dense,

    /// <summary>A fixed sparse pattern, one weight per synapse.</summary>
    Sparse,

    /// <summary>Neuron i to neuron i, one weight each.</summary>
    OneToOne,

    /// <summary>A 1-D convolution over channels, weights [out, in, kernel] shared across positions.</summary>
    Conv1d,
}

/// <summary>The shape of a 1-D convolution (see <see cref="Conv1dAttribute"/>).</summary>
/// <param name="InChannels">Input channels.</param>
/// <param name="InLength">Positions per input channel (source size / input channels).</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="OutLength">Positions per output channel, ⌊(InLength + 2·Padding − KernelSize)/Stride⌋ + 1.</param>
/// <param name="KernelSize">Kernel width.</param>
/// <param name="Stride">Step between kernel positions.</param>
/// <param name="Padding">Zeros at each end of the input.</param>
public sealed record ConvShape(int InChannels, int InLength, int OutChannels, int OutLength, int KernelSize, int Stride, int Padding);

/// <summary>A connection as declared.</summary>
/// <param name="Name">Property name.</param>
/// <param name="From">Presynaptic layer.</param>
/// <param name="To">Postsynaptic population.</param>
/// <param name="Kind">Dense, sparse, one-to-one or 1-D convolution.</param>
/// <param name="Delay">Steps between a presynaptic spike and its arrival (the smallest per-synapse delay for sparse connections).</param>
/// <param name="MaxDelay">The largest per-synapse delay (equal to <paramref name="Delay"/> except for sparse connections).</param>
/// <param name="Port">The postsynaptic neuron's input it drives.</param>
/// <param name="Synapse">The synapse model, or null for a delta synapse.</param>
/// <param name="Convolution">The convolution's shape, for <see cref="ConnectionKind.Conv1d"/>.</param>
public sealed record ConnectionDescriptor(
    string Name, string From, string To, ConnectionKind Kind, int Delay, int MaxDelay, string Port, SynapseDescriptor? Synapse, ConvShape? Convolution = null);

/// <summary>A trainable bias: one value per neuron of <paramref name="To"/>, added to <paramref name="Port"/> every step.</summary>
/// <param name="Name">Property name.</param>
/// <param name="To">The population.</param>
/// <param name="Port">The input it drives.</param>
public sealed record BiasDescriptor(string Name, string To, string Port);

/// <summary>A network as declared: layers in update order, connections and biases.</summary>
/// <param name="Name">Type name.</param>
/// <param name="TimeStep">Δt in seconds.</param>
/// <param name="Layers">Inputs and populations in declaration order (populations update in this order).</param>
/// <param name="Connections">Connections in declaration order.</param>
/// <param name="Biases">Biases in declaration order.</param>
public sealed record NetworkDescriptor(
    string Name, double TimeStep, IReadOnlyList<LayerDescriptor> Layers, IReadOnlyList<ConnectionDescriptor> Connections, IReadOnlyList<BiasDescriptor> Biases)
{
    /// <summary>Finds a layer by name.</summary>
    /// <exception cref="ArgumentException">No layer has that name.</exception>
    public LayerDescriptor Layer(string name)
    {
        // A loop, not LINQ: the forward and backward passes look layers up on every call.
        for (int k = 0; k < Layers.Count; k++)
            if (Layers[k].Name == name) return Layers[k];
        throw new ArgumentException($"Network '{Name}' has no layer named '{name}'. Layers: {string.Join(", ", Layers.Select(l => l.Name))}.", nameof(name));
    }

    /// <summary>Finds a connection by name.</summary>
    /// <exception cref="ArgumentException">No connection has that name.</exception>
    public ConnectionDescriptor Connection(string name) =>
        Connections.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"Network '{Name}' has no connection named '{name}'. Connections: {string.Join(", ", Connections.Select(c => c.Name))}.", nameof(name));
}
