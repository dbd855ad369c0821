namespace SnnDsl.Training;

/// <summary>A declared learning rule (<see cref="LearningRuleAttribute"/>) on one connection of a network, with its parameter values.</summary>
public sealed class RuleBinding
{
    internal RuleBinding(ISpikingNetwork network, string connection, LearningRuleDescriptor rule)
    {
        NetworkDescriptor declaration = network.Descriptor;
        ConnectionDescriptor descriptor = declaration.Connection(connection);
        ConnectionIndex = IndexOf(network.Connections.Select(c => c.Name), connection);
        Connection = network.Connections[ConnectionIndex];
        Rule = rule;
        string Where() => $"Rule '{rule.Name}' on connection '{connection}'";
        if (descriptor.Kind != ConnectionKind.Dense)
            throw new NotSupportedException($"{Where()}: the connection is {descriptor.Kind.ToString().ToLowerInvariant()}; declared learning rules run on dense connections, whose weights, synaptic states and weight changes are laid out [pre, post].");

        Target = IndexOf(network.Populations.Select(p => p.Name), descriptor.To);
        Population target = network.Populations[Target];
        PostsynapticReads = rule.PostsynapticReads.Select(state => StateIndex(target, state, "postsynaptic", Where())).ToArray();
        int source = network.Populations.Select(p => p.Name).ToList().IndexOf(descriptor.From);
        SourcePopulation = source;
        SourceInput = source < 0 ? IndexOf(network.Inputs.Select(i => i.Name), descriptor.From) : -1;
        if (source < 0 && rule.PresynapticReads.Count > 0)
            throw new ArgumentException($"{Where()} reads the presynaptic state '{rule.PresynapticReads[0]}', but the connection's source '{descriptor.From}' is an input layer, which has no states.", nameof(connection));
        PresynapticReads = source < 0 ? [] : rule.PresynapticReads.Select(state => StateIndex(network.Populations[source], state, "presynaptic", Where())).ToArray();
        Parameters = new ParameterValues(connection, rule.Name, rule.Parameters, 1);
    }

    /// <summary>The rule.</summary>
    public LearningRuleDescriptor Rule { get; }

    /// <summary>The connection whose weights it changes.</summary>
    public Connection Connection { get; }

    /// <summary>The rule's parameter values for this connection (one value each), writable; they start at the declared defaults.</summary>
    public ParameterValues Parameters { get; }

    /// <summary>
    /// When set, weights changed by <see cref="Plasticity.Simulate"/> are clipped to [Min, Max] after every update (e.g.
    /// Izhikevich's [0, 4] for reward-modulated STDP). The gradient given to a trainer is not clipped.
    /// </summary>
    public (float Min, float Max)? WeightBounds { get; set; }

    internal int ConnectionIndex { get; }

    /// <summary>Index of the postsynaptic population.</summary>
    internal int Target { get; }

    /// <summary>Index of the presynaptic population, or −1 for an input (then <see cref="SourceInput"/>).</summary>
    internal int SourcePopulation { get; }

    internal int SourceInput { get; }

    internal int Delay => Connection.Delay;

    /// <summary>Indices into the neurons' states of <see cref="LearningRuleDescriptor.PresynapticReads"/> and <see cref="LearningRuleDescriptor.PostsynapticReads"/>.</summary>
    internal int[] PresynapticReads { get; }

    internal int[] PostsynapticReads { get; }

    private static int StateIndex(Population population, string state, string side, string where)
    {
        for (int k = 0; k < population.Neuron.States.Count; k++) if (population.Neuron.States[k] == state) return k;
        throw new ArgumentException(
            $"{where} reads the {side} state '{state}', but population '{population.Name}' ({population.Neuron.Name}) has the states {string.Join(", ", population.Neuron.States)}.");
    }

    private static int IndexOf(IEnumerable<string> names, string name)
    {
        int k = 0;
        foreach (string n in names)
        {
            if (n == name) return k;
            k++;
        }
        return -1;
    }
}
