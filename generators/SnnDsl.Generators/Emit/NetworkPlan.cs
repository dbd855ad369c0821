using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// The names and indices the network emitters share: one <see cref="NameScope"/> for the class's generated members
/// (which avoid every member the user declared), the order of the trainable tensors in NetworkGradients, and per
/// population its incoming connections, biases and outgoing delays.
/// </summary>
internal sealed class NetworkPlan
{
    public const string Rt = "global::SnnDsl.";

    public NetworkPlan(NetworkModel network)
    {
        Network = network;
        Members = new NameScope(network.Members);
        foreach (LayerModel layer in network.Layers) Members.Claim("field:" + layer.Name, "__" + layer.Name);
        foreach (ConnectionModel c in network.Connections) Members.Claim("field:" + c.Name, "__" + c.Name);
        foreach (BiasModel b in network.Biases) Members.Claim("field:" + b.Name, "__" + b.Name);
        foreach (string list in new[] { "inputs", "populations", "connections", "biases" }) Members.Claim("list:" + list, "__" + list);
        Descriptor = Members["descriptor", "Descriptor"];
        foreach (string list in new[] { "Inputs", "Populations", "Connections", "Biases" }) Members.Claim("property:" + list, list);
        Simulate = Members["simulate", "Simulate"];
        Backward = Members["backward", "Backward"];
        Scratch = Members["class:scratch", "__Scratch"];
        BackwardScratch = Members["class:backward-scratch", "__BackwardScratch"];
        SimulateFrame = Members["class:simulate-frame", "__SimulateFrame"];
        SimulateFrameField = Members["simulate-frame", "__simulateFrame"];
        BackwardFrame = Members["class:backward-frame", "__BackwardFrame"];
        BackwardFrameField = Members["backward-frame", "__backwardFrame"];

        Populations = network.Layers.Where(l => !l.IsInput).ToList();
        Inputs = network.Layers.Where(l => l.IsInput).ToList();
        foreach (LayerModel p in Populations)
            foreach (ParamInfo param in p.Neuron!.Parameters.Where(x => x.Trainable))
                _gradientIndex[(p.Name, param.Name)] = _gradientIndex.Count;
        foreach (ConnectionModel c in network.Connections.Where(c => c.Synapse is not null))
            foreach (ParamInfo param in c.Synapse!.Parameters.Where(x => x.Trainable))
                _gradientIndex[(c.Name, param.Name)] = _gradientIndex.Count;
    }

    private readonly Dictionary<(string Owner, string Parameter), int> _gradientIndex = new();

    public NetworkModel Network { get; }

    /// <summary>The class scope: backing fields, generated members, nested classes.</summary>
    public NameScope Members { get; }

    public string Descriptor { get; }

    public string Simulate { get; }

    public string Backward { get; }

    public string Scratch { get; }

    public string BackwardScratch { get; }

    /// <summary>The class of Simulate's frame (its locals and loop body, <see cref="FrameEmitter"/>).</summary>
    public string SimulateFrame { get; }

    /// <summary>The field where Simulate's frame waits between calls.</summary>
    public string SimulateFrameField { get; }

    /// <summary>The class of Backward's frame.</summary>
    public string BackwardFrame { get; }

    /// <summary>The field where Backward's frame waits between calls.</summary>
    public string BackwardFrameField { get; }

    public List<LayerModel> Populations { get; }

    public List<LayerModel> Inputs { get; }

    public string Field(string member) => Members["field:" + member];

    public LayerModel Layer(string name) => Network.Layers.First(l => l.Name == name);

    public int ConnectionIndex(ConnectionModel c) => Network.Connections.ToList().IndexOf(c);

    public int BiasIndex(BiasModel b) => Network.Biases.ToList().IndexOf(b);

    /// <summary>The index of a trainable parameter in NetworkGradients.Parameters: populations first, then synapses.</summary>
    public int GradientIndex(string owner, string parameter) => _gradientIndex[(owner, parameter)];

    public IEnumerable<ConnectionModel> Incoming(LayerModel population) => Network.Connections.Where(c => c.To == population.Name);

    /// <summary>
    /// Whether the backward pass recomputes the population's port inputs from the stored spikes and synapse states:
    /// when a synapse model sits on an incoming connection (its backward needs its drive and states, which it
    /// recomputes with the inputs).
    /// </summary>
    public bool RecomputesInputs(LayerModel population) => Incoming(population).Any(c => c.Synapse is not null);

    /// <summary>
    /// Whether the forward pass records a port's input for the backward pass, which then reads it instead of
    /// recomputing it: where the inputs are not recomputed and the neuron's <c>StepBackward</c> reads the port at all
    /// (it does not where the states after the step stand in for what it needed the input for).
    /// </summary>
    public bool RecordsInput(LayerModel population, string port) => !RecomputesInputs(population) && BackwardReads(population.Neuron!).ReadsInput(port);

    /// <summary>What a neuron's <c>StepBackward</c> reads besides h_{t−1} (<see cref="Passes.StepDerivatives.ReadsOf"/>).</summary>
    public Passes.BackwardReads BackwardReads(NeuronModel neuron) => BackwardReads(StepKernel.Of(neuron));

    /// <summary>What a synapse's <c>StepBackward</c> reads besides h_{t−1}.</summary>
    public Passes.BackwardReads BackwardReads(SynapseModel synapse) => BackwardReads(StepKernel.Of(synapse));

    private Passes.BackwardReads BackwardReads(StepKernel kernel)
    {
        if (!_backwardReads.TryGetValue(kernel.Type.FullyQualifiedName, out Passes.BackwardReads? reads))
            _backwardReads[kernel.Type.FullyQualifiedName] = reads = kernel.BackwardReads();
        return reads;
    }

    private readonly Dictionary<string, Passes.BackwardReads> _backwardReads = new();

    /// <summary>
    /// Whether the backward pass accumulates the connection's weight gradient once per chunk from the adjoint history
    /// (<c>SpikeOps.SumOuterOverTime</c>) rather than per sample and step: a dense delta synapse.
    /// </summary>
    public static bool AccumulatesOverTime(ConnectionModel c) => c.Synapse is null && !IsMapped(c);

    public IEnumerable<BiasModel> BiasesOf(LayerModel population) => Network.Biases.Where(b => b.To == population.Name);

    /// <summary>How many steps of ∂L/∂S a spiking population keeps in the backward pass: its longest outgoing delay, plus one.</summary>
    public int SpikeAdjointDepth(LayerModel population) =>
        1 + Network.Connections.Where(c => c.From == population.Name).Select(c => c.MaxDelay).DefaultIfEmpty(0).Max();

    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    public string PopulationType(LayerModel layer) => $"{Rt}Population<{layer.Neuron!.Type.FullyQualifiedName}>";

    public static string ConnectionType(ConnectionModel c) => Rt + c.Kind switch
    {
        ConnectionKind.Dense => "DenseSynapses",
        ConnectionKind.Sparse => "SparseSynapses",
        ConnectionKind.OneToOne => "OneToOneSynapses",
        _ => "Conv1dSynapses",
    };

    public static bool IsMapped(ConnectionModel c) => c.Kind != ConnectionKind.Dense;
}
