namespace SnnDsl.Training;

/// <summary>The modulatory signal of a step (reward, dopamine, reward minus baseline), the same for every synapse of a rule.</summary>
public delegate float ModulatorSignal(PlasticityContext context);

/// <summary>Writes a per-postsynaptic-neuron signal of a step (a target or an error) into <paramref name="values"/>.</summary>
public delegate void NeuronSignal(PlasticityContext context, Span<float> values);

/// <summary>What a signal callback sees: which sample, step and rule, and the spikes of the network so far.</summary>
public sealed class PlasticityContext
{
    private readonly ISpikingNetwork _network;
    private readonly ulong[][] _spikes;

    internal PlasticityContext(ISpikingNetwork network, ulong[][] latestSpikes)
    {
        _network = network;
        _spikes = latestSpikes;
        Rule = null!;
    }

    /// <summary>The sample of the batch.</summary>
    public int Sample { get; internal set; }

    /// <summary>The time step.</summary>
    public int Step { get; internal set; }

    /// <summary>The rule (and connection) asking.</summary>
    public RuleBinding Rule { get; internal set; }

    /// <summary>
    /// The latest spikes of a spiking population, bit-packed: of this step for the rule's target and the populations before
    /// it in the update order, of the previous step for those after it.
    /// </summary>
    /// <exception cref="ArgumentException">No spiking population has that name.</exception>
    public ReadOnlySpan<ulong> Spikes(string population)
    {
        for (int p = 0; p < _network.Populations.Count; p++)
            if (_network.Populations[p].Name == population && _network.Populations[p].Neuron.IsSpiking) return _spikes[p];
        throw new ArgumentException($"Network '{_network.Descriptor.Name}' has no spiking population '{population}'.", nameof(population));
    }

    /// <summary>Whether neuron <paramref name="neuron"/> of <paramref name="population"/> fired in its latest step.</summary>
    public bool Fired(string population, int neuron) => (Spikes(population)[neuron >> 6] >> (neuron & 63) & 1UL) != 0;
}

/// <summary>
/// Declared learning rules on the connections of a network (docs/learning-rules.md). Each step, after a rule's
/// postsynaptic population stepped, its generated kernels run: <c>Presynaptic</c> over the presynaptic neurons,
/// <c>Postsynaptic</c> over the postsynaptic neurons, <c>Update</c> over the synapses, which adds Δw_ij. Two uses:
/// <list type="bullet">
/// <item><see cref="Simulate"/>: plasticity during simulation — the samples run one after another and the weights change
/// every <see cref="UpdateEvery"/> steps.</item>
/// <item><see cref="GradientMethod.Rule(Plasticity)"/>: the trainer's weight update is −Σ_t Δw over the batch (the rule's direction
/// in place of a gradient), with the targets and errors taken from the loss.</item>
/// </list>
/// A rule's states start at zero with every sample.
/// </summary>
public sealed class Plasticity
{
    private readonly List<RuleBinding> _rules = [];

    /// <summary>No rules yet on <paramref name="network"/>; add them with <see cref="Add{TRule}"/>.</summary>
    public Plasticity(ISpikingNetwork network) => Network = network;

    /// <summary>The network whose weights the rules change.</summary>
    public ISpikingNetwork Network { get; }

    /// <summary>The rules, in the order they were added.</summary>
    public IReadOnlyList<RuleBinding> Rules => _rules;

    /// <summary>The modulatory signal, for rules with a <see cref="ModulatorAttribute"/> parameter.</summary>
    public ModulatorSignal? Modulator { get; set; }

    /// <summary>The targets of the postsynaptic neurons, for rules with a <see cref="TargetAttribute"/> parameter (in <see cref="Simulate"/>).</summary>
    public NeuronSignal? Target { get; set; }

    /// <summary>The errors of the postsynaptic neurons, for rules with an <see cref="ErrorAttribute"/> parameter (in <see cref="Simulate"/>).</summary>
    public NeuronSignal? Error { get; set; }

    /// <summary>In <see cref="Simulate"/>, the weights change after every this many steps (and after a sample's last step) by the Δw gathered since.</summary>
    public int UpdateEvery { get; set; } = 1;

    /// <summary>Puts rule <typeparamref name="TRule"/> on <paramref name="connection"/>.</summary>
    /// <exception cref="ArgumentException">No such connection, it has a rule already, or a neuron lacks a state the rule reads.</exception>
    /// <exception cref="NotSupportedException">The connection is not dense.</exception>
    public RuleBinding Add<TRule>(string connection) where TRule : struct, ILearningRule => Add(connection, TRule.Descriptor);

    /// <summary>Puts <paramref name="rule"/> on <paramref name="connection"/>.</summary>
    /// <exception cref="ArgumentException">No such connection, it has a rule already, or a neuron lacks a state the rule reads.</exception>
    /// <exception cref="NotSupportedException">The connection is not dense.</exception>
    public RuleBinding Add(string connection, LearningRuleDescriptor rule)
    {
        if (_rules.FirstOrDefault(r => r.Connection.Name == connection) is { } existing)
            throw new ArgumentException($"Connection '{connection}' has the rule '{existing.Rule.Name}' already; one rule per connection.", nameof(connection));
        var binding = new RuleBinding(Network, connection, rule);
        _rules.Add(binding);
        return binding;
    }

    /// <summary>
    /// Runs the network with plasticity: the samples one after another, on one thread (the weights they share change as
    /// they run); after every <see cref="UpdateEvery"/> steps of a sample, and after its last step, every rule's connection
    /// receives the Δw gathered since. The options are those of <see cref="ISpikingNetwork.Simulate"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A rule reads a signal that has no callback, or the options carry an observer.</exception>
    public SimulationResult Simulate(IReadOnlyList<SpikeRaster> inputs, SimulationOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(UpdateEvery);
        if (options?.Observer is not null)
            throw new InvalidOperationException("Plasticity.Simulate observes the pass itself; SimulationOptions.Observer must be null.");
        (int batch, int steps) = NetworkExtensions.ValidateInputs(Network.Descriptor, inputs);
        RequireSignal(RuleInputKind.Modulator, Modulator, nameof(Modulator));
        RequireSignal(RuleInputKind.Target, Target, nameof(Target));
        RequireSignal(RuleInputKind.Error, Error, nameof(Error));
        var pass = new PlasticityPass(this, inputs, batch, steps, upstream: null);
        return Network.Simulate(inputs, new SimulationOptions
        {
            RecordStates = options?.RecordStates ?? [],
            RecordReadouts = options?.RecordReadouts ?? true,
            RecordAllStates = options?.RecordAllStates ?? false,
            Reuse = options?.Reuse,
            MaxDegreeOfParallelism = 1,
            Observer = pass,
        });
    }

    /// <summary>
    /// Runs the network with the rules over a batch without changing the weights and overwrites <paramref name="into"/>
    /// with −Σ_{samples, t} Δw for the rules' connections and zero elsewhere. <see cref="TargetAttribute"/> parameters
    /// read Ŝ_i(t) = S_i(t) − ∂L/∂S_i(t) and <see cref="ErrorAttribute"/> parameters e_i(t) = −∂L/∂S_i(t), from the
    /// spike gradient <paramref name="upstream"/> gives the rule's postsynaptic population. Deterministic: samples are
    /// reduced in a fixed order whatever the number of threads.
    /// </summary>
    /// <exception cref="InvalidOperationException">A rule reads a target or error but the loss gives no spike gradient for its population, or a modulator without <see cref="Modulator"/>.</exception>
    public NetworkGradients Gradients(IReadOnlyList<SpikeRaster> inputs, BackwardUpstream upstream, NetworkGradients into, int maxDegreeOfParallelism = 0)
    {
        (int batch, int steps) = NetworkExtensions.ValidateInputs(Network.Descriptor, inputs);
        RequireSignal(RuleInputKind.Modulator, Modulator, nameof(Modulator));
        var pass = new PlasticityPass(this, inputs, batch, steps, upstream);
        Network.Simulate(inputs, new SimulationOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, Observer = pass, RecordReadouts = false });
        into.Clear();
        pass.AddGradients(into);
        return into;
    }

    private void RequireSignal(RuleInputKind kind, Delegate? signal, string property)
    {
        if (signal is not null) return;
        if (_rules.FirstOrDefault(r => r.Rule.Declares(kind)) is { } binding)
            throw new InvalidOperationException($"Rule '{binding.Rule.Name}' on connection '{binding.Connection.Name}' reads a {kind.ToString().ToLowerInvariant()} signal; set Plasticity.{property}.");
    }
}
