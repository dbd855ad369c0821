using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// The identifiers of one generated network method (<c>Simulate</c> or <c>Backward</c>) and of its scratch class,
/// derived from the user's layer, connection and bias names (e.g. "hiddenSpikes", "inToHiddenWeights") and made
/// unique by <see cref="NameScope"/>, so that no choice of names can make them collide.
/// </summary>
internal sealed class NetworkLocals
{
    private readonly NetworkPlan _plan;

    public NetworkLocals(NetworkPlan plan)
    {
        _plan = plan;
        Names = plan.Members.Nested();
        foreach (string fixedName in new[] { "inputs", "options", "batch", "steps", "b", "scratch", "t" }) Names.Claim(fixedName, fixedName);
        ScratchMembers = new NameScope([plan.Scratch, plan.BackwardScratch]);
        ScratchMembers.Claim("clear", "Clear");
        // Every buffer the forward and backward scratch classes share, in one fixed order, so that every instance agrees.
        foreach (LayerModel layer in plan.Populations)
            foreach (string port in layer.Neuron!.Ports) ScratchPort(layer.Name, port);
        foreach (ConnectionModel c in plan.Network.Connections)
            if (c.Synapse is not null) ScratchDrive(c.Name);
        foreach (LayerModel layer in plan.Populations)
            foreach (string state in layer.Neuron!.States) ScratchState(layer.Name, state);
        foreach (ConnectionModel c in plan.Network.Connections)
            if (c.Synapse is { } synapse)
                foreach (string state in synapse.States) ScratchState(c.Name, state);
        foreach (LayerModel layer in plan.Populations)
        {
            ScratchStates(layer.Name);
            ScratchPorts(layer.Name);
        }
    }

    /// <summary>The method's locals and parameters.</summary>
    public NameScope Names { get; }

    /// <summary>The scratch class's members.</summary>
    public NameScope ScratchMembers { get; }

    private static string Camel(string name) => NetworkPlan.Camel(name);

    private static string Pascal(string name) => StepKernel.Capitalized(name);

    /// <summary>The raster of a layer: the input's, or the population's spikes.</summary>
    public string Raster(string layer) =>
        Names["raster:" + layer, Camel(layer) + (_plan.Layer(layer).IsInput ? "Raster" : "Spikes")];

    /// <summary>The recording of a population port's inputs (forward: written; backward: read).</summary>
    public string InputTrace(string population, string port) => Names["input-trace:" + population + "." + port, Camel(population) + Pascal(port) + "Recording"];

    public string Trace(string owner, string state) => Names["trace:" + owner + "." + state, Camel(owner) + Pascal(state) + "Trace"];

    /// <summary>A population state's initial values, one per neuron (read once per call).</summary>
    public string Initial(string population, string state) => Names["initial:" + population + "." + state, Camel(population) + Pascal(state) + "Initial"];

    public string Parameter(string owner, string parameter) => Names["param:" + owner + "." + parameter, Camel(owner) + Pascal(parameter)];

    public string Weights(string connection) => Names["weights:" + connection, Camel(connection) + "Weights"];

    public string Bias(string bias) => Names["bias:" + bias, Camel(bias) + "Values"];

    /// <summary>The span over a population's port buffer in the time loop.</summary>
    public string Port(string population, string port) => Names["port:" + population + "." + port, Camel(population) + Pascal(port)];

    /// <summary>The span over a synapse connection's weighted spikes in the time loop.</summary>
    public string Drive(string connection) => Names["drive:" + connection, Camel(connection) + "Drive"];

    public string Local(string key, string preferred) => Names[key, preferred];

    public string ScratchPort(string population, string port) => ScratchMembers["port:" + population + "." + port, population + Pascal(port)];

    public string ScratchDrive(string connection) => ScratchMembers["drive:" + connection, connection + "Drive"];

    public string ScratchState(string owner, string state) => ScratchMembers["state:" + owner + "." + state, owner + Pascal(state)];

    /// <summary>The scratch's array of a population's state buffers (what a step observer sees).</summary>
    public string ScratchStates(string population) => ScratchMembers["states:" + population, population + "States"];

    /// <summary>The scratch's array of a population's port buffers.</summary>
    public string ScratchPorts(string population) => ScratchMembers["ports:" + population, population + "Ports"];

    public string ScratchMember(string key, string preferred) => ScratchMembers[key, preferred];
}
