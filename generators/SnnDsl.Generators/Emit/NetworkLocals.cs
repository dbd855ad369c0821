using System.Collections.Generic;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// The identifiers of one generated network method (<c>Simulate</c> or <c>Backward</c>), of its frame and of its
/// scratch class, derived from the user's layer, connection and bias names (e.g. "hiddenSpikes", "inToHiddenWeights")
/// and made unique by <see cref="NameScope"/>, so that no choice of names can make them collide. The locals that the
/// method's loop body reads are fields of its frame (<see cref="Field"/>).
/// </summary>
internal sealed class NetworkLocals
{
    private readonly NetworkPlan _plan;

    public NetworkLocals(NetworkPlan plan)
    {
        _plan = plan;
        Names = plan.Members.Nested();
        foreach (string fixedName in new[] { "inputs", "options", "batch", "steps", "b", "scratch", "t", "network", "frame", "scratches", "createScratch", "body", "releaseScratch" })
            Names.Claim(fixedName, fixedName);
        foreach (string method in new[] { "Run", "Forget" }) Names.Claim(method, method);
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
        foreach (LayerModel layer in plan.Populations)
            if (layer.Neuron!.IsSpiking) ScratchSpikeList(layer.Name);
    }

    /// <summary>The method's locals and parameters, and its frame's members.</summary>
    public NameScope Names { get; }

    private readonly List<(string Type, string Name)> _fields = [];

    /// <summary>
    /// Declares a local of the call as a field of the frame (set by Run, read by the loop body, let go of by Forget) and
    /// returns its name.
    /// </summary>
    public string Field(string type, string name)
    {
        if (!_fields.Exists(f => f.Name == name)) _fields.Add((type, name));
        return name;
    }

    /// <summary>The frame's fields for the call's locals, in the order declared.</summary>
    public IReadOnlyList<(string Type, string Name)> Fields => _fields;

    /// <summary>A member of the network, reached from its frame.</summary>
    public string Member(string field) => Names["network"] + "." + field;

    /// <summary>The frame's method that runs the call.</summary>
    public string Run => Names["Run"];

    /// <summary>The frame's method that lets go of the call's locals.</summary>
    public string Forget => Names["Forget"];

    /// <summary>The frame's method that the parallel loop runs (one sample, or one chunk).</summary>
    public string BodyMethod(string preferred) => Names["body-method", preferred];

    /// <summary>The frame's delegates of the loop: its body (bound once), and taking and giving back a worker's scratch.</summary>
    public string Body => Names["body"];

    public string CreateScratch => Names["createScratch"];

    public string ReleaseScratch => Names["releaseScratch"];

    /// <summary>The frame's pool of scratches, reused across calls.</summary>
    public string Scratches => Names["scratches"];

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

    /// <summary>The forward scratch's list of a spiking population's neurons that spiked (when its connections share one).</summary>
    public string ScratchSpikeList(string population) => ScratchMembers["spiking:" + population, population + "Spiking"];

    public string ScratchMember(string key, string preferred) => ScratchMembers[key, preferred];
}
