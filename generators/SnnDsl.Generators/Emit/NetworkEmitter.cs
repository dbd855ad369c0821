using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits a [Network] class's implementation: the layer, connection and bias objects behind its partial properties,
/// its <c>Descriptor</c>, and the forward pass <c>Simulate</c>: per sample (in parallel over the batch), per step, per
/// population in declaration order, the port inputs from every incoming connection — event-driven accumulation of
/// the weighted spikes, through the connection's synapse model when it has one — and the biases, followed by the
/// neuron's fused <c>Step</c> kernel. <see cref="NetworkBackwardEmitter"/> writes <c>Backward</c>.
/// </summary>
internal static class NetworkEmitter
{
    private const string Rt = NetworkPlan.Rt;

    public static string Emit(NetworkModel network) => SourceFile.Write(network.Type, writer =>
    {
        var plan = new NetworkPlan(network);
        using (writer.Block($"partial class {network.Type.Identifier} : {Rt}ISpikingNetwork"))
        {
            WriteMembers(writer, plan);
            writer.Line();
            WriteDescriptor(writer, plan);
            writer.Line();
            WriteSimulate(writer, plan);
            writer.Line();
            WriteScratch(writer, plan);
            writer.Line();
            NetworkBackwardEmitter.Write(writer, plan);
        }
    });

    private static void WriteMembers(IndentedWriter writer, NetworkPlan plan)
    {
        NetworkModel network = plan.Network;
        writer.Line("// Layers, connections and biases, in declaration order (populations update in this order).");
        foreach (LayerModel layer in network.Layers)
        {
            string type = layer.IsInput ? Rt + "SpikeInput" : plan.PopulationType(layer);
            writer.Line($"private readonly {type} {plan.Field(layer.Name)} = new({SourceFile.Quote(layer.Name)}, {layer.Size});");
        }
        for (int k = 0; k < network.Connections.Count; k++)
        {
            ConnectionModel c = network.Connections[k];
            string extra = c.Kind == ConnectionKind.Sparse ? $", {c.Probability.ToString("R", CultureInfo.InvariantCulture)}, {c.Seed}" : "";
            writer.Line($"private readonly {NetworkPlan.ConnectionType(c)} {plan.Field(c.Name)} = new({plan.Descriptor}.Connections[{k}], {plan.Layer(c.From).Size}, {plan.Layer(c.To).Size}{extra});");
        }
        for (int k = 0; k < network.Biases.Count; k++)
            writer.Line($"private readonly {Rt}Bias {plan.Field(network.Biases[k].Name)} = new({plan.Descriptor}.Biases[{k}], {plan.Layer(network.Biases[k].To).Size});");
        writer.Line($"private {Rt}SpikeInput[]? {plan.Members["list:inputs"]};");
        writer.Line($"private {Rt}Population[]? {plan.Members["list:populations"]};");
        writer.Line($"private {Rt}Connection[]? {plan.Members["list:connections"]};");
        writer.Line($"private {Rt}Bias[]? {plan.Members["list:biases"]};");
        writer.Line();
        foreach (LayerModel layer in network.Layers)
            writer.Line($"{layer.Accessibility} partial {(layer.IsInput ? Rt + "SpikeInput" : plan.PopulationType(layer))} {NameScope.Escape(layer.Name)} => {plan.Field(layer.Name)};".TrimStart());
        foreach (ConnectionModel c in network.Connections)
            writer.Line($"{c.Accessibility} partial {NetworkPlan.ConnectionType(c)} {NameScope.Escape(c.Name)} => {plan.Field(c.Name)};".TrimStart());
        foreach (BiasModel b in network.Biases)
            writer.Line($"{b.Accessibility} partial {Rt}Bias {NameScope.Escape(b.Name)} => {plan.Field(b.Name)};".TrimStart());
        writer.Line();
        string List(IEnumerable<string> members) => SourceFile.List(members.Select(plan.Field));
        string list = "global::System.Collections.Generic.IReadOnlyList";
        void Property(string name, string element, IEnumerable<string> members)
        {
            string header = plan.Members["property:" + name] == name ? $"public {list}<{Rt}{element}> {name}" : $"{list}<{Rt}{element}> {Rt}ISpikingNetwork.{name}";
            writer.Line("/// <inheritdoc/>");
            writer.Line($"{header} => {plan.Members["list:" + name.ToLowerInvariant()]} ??= {List(members)};");
        }
        Property("Inputs", "SpikeInput", plan.Inputs.Select(l => l.Name));
        Property("Populations", "Population", plan.Populations.Select(l => l.Name));
        Property("Connections", "Connection", network.Connections.Select(c => c.Name));
        Property("Biases", "Bias", network.Biases.Select(b => b.Name));
    }

    private static void WriteDescriptor(IndentedWriter writer, NetworkPlan plan)
    {
        NetworkModel network = plan.Network;
        writer.Line($"/// <summary>The structure of <see cref=\"{network.Type.Identifier}\"/> as declared.</summary>");
        writer.Line($"public static {Rt}NetworkDescriptor {plan.Descriptor} {{ get; }} = new(");
        using (writer.Indent())
        {
            writer.Line($"{SourceFile.Quote(network.Type.Name)}, {network.TimeStep.ToString("R", CultureInfo.InvariantCulture)},");
            writer.Line("[");
            using (writer.Indent())
            {
                foreach (LayerModel l in network.Layers)
                    writer.Line($"new {Rt}LayerDescriptor({SourceFile.Quote(l.Name)}, {l.Size}, {(l.IsInput ? "null" : l.Neuron!.Type.FullyQualifiedName + "." + l.Neuron.Kernels.Descriptor)}),");
            }
            writer.Line("],");
            writer.Line("[");
            using (writer.Indent())
            {
                foreach (ConnectionModel c in network.Connections)
                {
                    string synapse = c.Synapse is null ? "null" : c.Synapse.Type.FullyQualifiedName + "." + c.Synapse.Kernels.Descriptor;
                    string shape = c.Convolution is { } s
                        ? $", new {Rt}ConvShape({s.InChannels}, {s.InLength}, {s.OutChannels}, {s.OutLength}, {s.KernelSize}, {s.Stride}, {s.Padding})"
                        : "";
                    writer.Line($"new {Rt}ConnectionDescriptor({SourceFile.Quote(c.Name)}, {SourceFile.Quote(c.From)}, {SourceFile.Quote(c.To)}, {Rt}ConnectionKind.{c.Kind}, " +
                                $"{c.Delay}, {c.MaxDelay}, {SourceFile.Quote(c.Port)}, {synapse}{shape}),");
                }
            }
            writer.Line("],");
            writer.Line("[");
            using (writer.Indent())
            {
                foreach (BiasModel b in network.Biases)
                    writer.Line($"new {Rt}BiasDescriptor({SourceFile.Quote(b.Name)}, {SourceFile.Quote(b.To)}, {SourceFile.Quote(b.Port)}),");
            }
            writer.Line("]);");
        }
        writer.Line();
        writer.Line($"{Rt}NetworkDescriptor {Rt}ISpikingNetwork.Descriptor => {plan.Descriptor};");
    }

    /// <summary>The header of a method of ISpikingNetwork: public when its name is free, else an explicit implementation.</summary>
    internal static string Implementation(string name, string interfaceName, string returnType, string parameters) =>
        name == interfaceName
            ? $"public {returnType} {name}({parameters})"
            : $"{returnType} {Rt}ISpikingNetwork.{interfaceName}({parameters})";

    private static void WriteSimulate(IndentedWriter writer, NetworkPlan plan)
    {
        NetworkModel network = plan.Network;
        var locals = new NetworkLocals(plan);
        NameScope names = locals.Names;
        string inputs = names["inputs"], options = names["options"], batch = names["batch"], steps = names["steps"];
        writer.Line("/// <inheritdoc/>");
        writer.Line(SourceFile.GeneratedCode);
        using (writer.Block(Implementation(plan.Simulate, "Simulate", Rt + "SimulationResult",
                   $"global::System.Collections.Generic.IReadOnlyList<{Rt}SpikeRaster> {inputs}, {Rt}SimulationOptions? {options} = null")))
            FrameEmitter.WriteCall(writer, locals, plan.SimulateFrame, plan.SimulateFrameField, $"{inputs}, {options}");
        writer.Line();

        var run = new IndentedWriter();
        using (run.Block($"public {Rt}SimulationResult {locals.Run}(global::System.Collections.Generic.IReadOnlyList<{Rt}SpikeRaster> {inputs}, {Rt}SimulationOptions? {options})"))
        {
            run.Line($"({locals.Field("int", batch)}, {locals.Field("int", steps)}) = {Rt}NetworkExtensions.ValidateInputs({plan.Descriptor}, {inputs});");
            for (int i = 0; i < plan.Inputs.Count; i++)
                run.Line($"{locals.Field(Rt + "SpikeRaster", locals.Raster(plan.Inputs[i].Name))} = {inputs}[{i}];");

            run.Line();
            run.Line("// Outputs: spikes of the spiking populations; state traces that were asked for, and every state of a non-spiking (readout) population;");
            run.Line("// with RecordAllStates, also the port inputs the backward pass reads (where the states after the step do not stand in for them).");
            var traces = new List<string>();
            foreach (LayerModel layer in plan.Populations)
            {
                if (layer.Neuron!.IsSpiking)
                    run.Line($"{locals.Field(Rt + "SpikeRaster", locals.Raster(layer.Name))} = {Rt}NetworkExtensions.Raster({plan.Descriptor}, {options}, {SourceFile.Quote(layer.Name)}, {batch}, {steps});");
                foreach (string state in layer.Neuron.States)
                {
                    traces.Add(locals.Field(Rt + "StateRecording?", locals.Trace(layer.Name, state)));
                    run.Line($"{locals.Trace(layer.Name, state)} = {Rt}NetworkExtensions.Recording({plan.Descriptor}, {options}, " +
                             $"{SourceFile.Quote(layer.Name)}, {SourceFile.Quote(state)}, {batch}, {steps}, {layer.Size}, always: {(layer.Neuron.IsSpiking ? "false" : "true")});");
                }
            }
            var inputTraces = new List<string>();
            foreach (LayerModel layer in plan.Populations)
            {
                foreach (string port in layer.Neuron!.Ports.Where(p => plan.RecordsInput(layer, p)))
                {
                    inputTraces.Add(locals.Field(Rt + "StateRecording?", locals.InputTrace(layer.Name, port)));
                    run.Line($"{inputTraces[inputTraces.Count - 1]} = {Rt}NetworkExtensions.InputRecording({options}, " +
                             $"{SourceFile.Quote(layer.Name)}, {SourceFile.Quote(port)}, {batch}, {steps}, {layer.Size});");
                }
            }
            foreach (ConnectionModel c in network.Connections.Where(c => c.Synapse is not null))
            {
                foreach (string state in c.Synapse!.States)
                {
                    traces.Add(locals.Field(Rt + "StateRecording?", locals.Trace(c.Name, state)));
                    run.Line($"{locals.Trace(c.Name, state)} = {Rt}NetworkExtensions.Recording({plan.Descriptor}, {options}, " +
                             $"{SourceFile.Quote(c.Name)}, {SourceFile.Quote(state)}, {batch}, {steps}, {plan.Layer(c.To).Size}, always: false);");
                }
            }

            run.Line();
            run.Line("// Initial states, parameters, weights and biases, read once per call.");
            WriteParametersAndWeights(run, plan, locals);

            run.Line();
            run.Line("// One sample per worker (with an observer, runs of consecutive samples per worker).");
            string observer = locals.Field(Rt + "IStepObserver?", names["observer", "observer"]);
            run.Line($"{observer} = {options}?.Observer;");
            run.Line($"{Rt}BatchParallel.ForSamples({batch}, {options}?.MaxDegreeOfParallelism ?? 0, {observer}, {locals.CreateScratch}, {locals.Body}, {locals.ReleaseScratch});");

            run.Line();
            run.Line("// The result: Reuse itself when this pass recorded into exactly its buffers.");
            string spikes = string.Join(", ", plan.Populations.Where(l => l.Neuron!.IsSpiking)
                .Select(l => $"global::System.Collections.Generic.KeyValuePair.Create({SourceFile.Quote(l.Name)}, {locals.Raster(l.Name)})"));
            string recordedInputs = inputTraces.Count == 0 ? "" : $", [{string.Join(", ", inputTraces)}]";
            run.Line($"return {Rt}SimulationResult.Of({options}?.Reuse, [{spikes}], [{string.Join(", ", traces)}]{recordedInputs});");
        }
        run.Line();

        string b = names["b"], scratch = names["scratch"], t = names["t"], chunk = names["chunk", "chunk"];
        run.Line("/// <summary>One sample, every step: each population in declaration order takes its inputs and steps.</summary>");
        string sample = locals.BodyMethod("Sample");
        using (run.Block($"private void {sample}(int {b}, int {chunk}, {plan.Scratch} {scratch})"))
        {
            run.Line($"{scratch}.Clear();");
            foreach (LayerModel layer in plan.Populations)
                foreach (string state in InitializedStates(layer.Neuron!))
                    run.Line($"{locals.Initial(layer.Name, state)}.CopyTo({scratch}.{locals.ScratchState(layer.Name, state)}, 0);");
            using (run.Block($"for (int {t} = 0; {t} < {steps}; {t}++)"))
            {
                bool first = true;
                foreach (LayerModel layer in plan.Populations)
                {
                    if (!first) run.Line();
                    first = false;
                    WritePopulationStep(run, plan, locals, layer);
                }
            }
            run.Line("// The state traces may have been streamed past the caches: a fence, before the sample is reported done to the thread that reads them.");
            run.Line($"{Rt}StateRecording.FinishStreaming();");
        }

        string pooled = names["pooledScratch", "pooledScratch"];
        FrameEmitter.WriteClass(writer, plan, locals, plan.SimulateFrame, plan.SimulateFrameField,
            "Simulate's locals and its loop body over the samples, bound to a delegate once. A frame serves one call at a time and waits in the network for the next.",
            plan.Scratch, "global::System.Action<int, int, " + plan.Scratch + ">", sample,
            $"() => {locals.Scratches}.TryTake(out {plan.Scratch}? {pooled}) ? {pooled} : new {plan.Scratch}()",
            persistent: [], run.ToString());
    }

    /// <summary>The states that start at their population's initial values (all but the previous spike, which starts at 0).</summary>
    internal static IEnumerable<string> InitializedStates(NeuronModel neuron) => neuron.States.Where(s => s != neuron.PreviousSpike);

    /// <summary>Frame fields for every initial state, parameter (a float when shared, the array when per neuron), weight array and bias.</summary>
    /// <param name="readsWeights">Which connections' weight arrays the method reads (all when null).</param>
    internal static void WriteParametersAndWeights(IndentedWriter writer, NetworkPlan plan, NetworkLocals locals, System.Func<ConnectionModel, bool>? readsWeights = null)
    {
        foreach (LayerModel layer in plan.Populations)
        {
            string population = locals.Member(plan.Field(layer.Name));
            for (int s = 0; s < layer.Neuron!.States.Count; s++)
            {
                if (layer.Neuron.States[s] != layer.Neuron.PreviousSpike)
                    writer.Line($"{locals.Field("float[]", locals.Initial(layer.Name, layer.Neuron.States[s]))} = {population}.InitialState({s});");
            }
            for (int p = 0; p < layer.Neuron!.Parameters.Count; p++)
            {
                ParamInfo param = layer.Neuron.Parameters[p];
                writer.Line(param.PerNeuron
                    ? $"{locals.Field("float[]", locals.Parameter(layer.Name, param.Name))} = {population}.Parameter({p});"
                    : $"{locals.Field("float", locals.Parameter(layer.Name, param.Name))} = {population}.Parameter({p})[0];");
            }
        }
        foreach (ConnectionModel c in plan.Network.Connections)
        {
            string connection = locals.Member(plan.Field(c.Name));
            if (readsWeights?.Invoke(c) ?? true) writer.Line($"{locals.Field("float[]", locals.Weights(c.Name))} = {connection}.Weights;");
            if (c.Synapse is null) continue;
            for (int p = 0; p < c.Synapse.Parameters.Count; p++)
            {
                ParamInfo param = c.Synapse.Parameters[p];
                writer.Line(param.PerNeuron
                    ? $"{locals.Field("float[]", locals.Parameter(c.Name, param.Name))} = {connection}.SynapseParameter({p});"
                    : $"{locals.Field("float", locals.Parameter(c.Name, param.Name))} = {connection}.SynapseParameter({p})[0];");
            }
        }
        foreach (BiasModel b in plan.Network.Biases)
            writer.Line($"{locals.Field("float[]", locals.Bias(b.Name))} = {locals.Member(plan.Field(b.Name))}.Values;");
    }

    /// <summary>
    /// The port inputs of one population in one step, for one sample: every incoming connection in declaration
    /// order (weighted spikes straight into the port for a delta synapse; into the drive, then through the synapse's
    /// Step, otherwise), then the biases. Shared by the forward pass and by the backward pass, which recomputes them.
    /// </summary>
    /// <param name="synapseState">The buffer of a synapse state for the synapse Step (connection, state).</param>
    /// <param name="postsynapticState">What a synapse reads of the population's state (its value at the end of t − 1).</param>
    /// <param name="intoRecording">
    /// Whether this is the forward pass, which accumulates a recorded port input in its row of the recording (so it is
    /// not copied there afterwards); with an observer, which sees the scratch buffers, it stays in the scratch buffer.
    /// </param>
    /// <param name="spikeList">The <c>SpikeList</c> a connection reads its presynaptic spikes from, or null for their raster row.</param>
    internal static void WritePortInputs(IndentedWriter writer, NetworkPlan plan, NetworkLocals locals, LayerModel layer, string scratch,
        System.Func<ConnectionModel, string, string> synapseState, System.Func<string, string> postsynapticState, bool intoRecording = false,
        System.Func<ConnectionModel, string?>? spikeList = null)
    {
        NameScope names = locals.Names;
        string b = names["b"], t = names["t"];
        // A buffer whose first input is a dense connection without delay is set by it (SumSpikes), not cleared first:
        // a port whose first connection is one without a synapse, and the drive of such a connection with a synapse.
        bool SetsItsTarget(ConnectionModel c) => c.Delay == 0 && !NetworkPlan.IsMapped(c)
            && (c.Synapse is not null || ReferenceEquals(plan.Incoming(layer).First(x => x.Port == c.Port), c));
        var setPorts = new HashSet<string>(plan.Incoming(layer).Where(c => c.Synapse is null && SetsItsTarget(c)).Select(c => c.Port));
        foreach (string port in layer.Neuron!.Ports)
        {
            string buffer = $"{scratch}.{locals.ScratchPort(layer.Name, port)}";
            if (intoRecording && plan.RecordsInput(layer, port))
            {
                string recording = locals.InputTrace(layer.Name, port);
                writer.Line($"// Summed straight into its row of {recording}, which the backward pass reads; with an observer (it sees the scratch buffers), in scratch and copied.");
                buffer = $"{recording} is not null && {names["observer"]} is null ? {recording}.RowWalkingForward({b}, {t}) : {buffer}";
            }
            writer.Line($"global::System.Span<float> {locals.Port(layer.Name, port)} = {buffer};");
            if (!setPorts.Contains(port)) writer.Line($"{locals.Port(layer.Name, port)}.Clear();");
        }
        foreach (ConnectionModel c in plan.Incoming(layer))
        {
            string target = locals.Port(layer.Name, c.Port);
            if (c.Synapse is not null)
            {
                writer.Line($"global::System.Span<float> {locals.Drive(c.Name)} = {scratch}.{locals.ScratchDrive(c.Name)};");
                if (!SetsItsTarget(c)) writer.Line($"{locals.Drive(c.Name)}.Clear();");
                target = locals.Drive(c.Name);
            }
            string raster = locals.Raster(c.From);
            if (NetworkPlan.IsMapped(c))
            {
                writer.Line($"{locals.Member(plan.Field(c.Name))}.Accumulate({locals.Weights(c.Name)}, {raster}, {b}, {t}, {target});");
            }
            else
            {
                string kernel = SetsItsTarget(c) ? "SumSpikes" : "AccumulateSpikes";
                string spikes = spikeList?.Invoke(c) ?? $"{raster}.Row({b}, {Minus(t, c.Delay)})";
                string accumulate = $"{Rt}SpikeOps.{kernel}({locals.Weights(c.Name)}, {spikes}, {target});";
                writer.Line(c.Delay > 0 ? $"if ({t} >= {c.Delay}) {accumulate}" : accumulate);
            }
            if (c.Synapse is { } synapse)
            {
                var arguments = new List<string>();
                arguments.AddRange(synapse.States.Select(s => synapseState(c, s)));
                arguments.Add(locals.Drive(c.Name));
                arguments.AddRange(synapse.PostReads.Select(r => postsynapticState(r.State)));
                arguments.AddRange(synapse.Parameters.Select(p => locals.Parameter(c.Name, p.Name)));
                arguments.Add(locals.Port(layer.Name, c.Port));
                writer.Line($"{synapse.Type.FullyQualifiedName}.{synapse.Kernels.Step}({string.Join(", ", arguments)});");
            }
        }
        foreach (BiasModel bias in plan.BiasesOf(layer))
            writer.Line($"{Rt}SpikeOps.AddInPlace({locals.Port(layer.Name, bias.Port)}, {locals.Bias(bias.Name)});");
    }

    internal static string Minus(string t, int delay) => delay == 0 ? t : $"{t} - {delay}";

    /// <summary>One population in one step: the port inputs, then the neuron's fused Step, then recording.</summary>
    private static void WritePopulationStep(IndentedWriter writer, NetworkPlan plan, NetworkLocals locals, LayerModel layer)
    {
        NameScope names = locals.Names;
        string b = names["b"], t = names["t"], scratch = names["scratch"];
        NeuronModel neuron = layer.Neuron!;
        writer.Line($"// {layer.Name}: {Summary(plan, layer)}, then {neuron.Type.Name}.{neuron.Kernels.Step}.");
        WritePortInputs(writer, plan, locals, layer, scratch, (c, s) => $"{scratch}.{locals.ScratchState(c.Name, s)}",
            state => $"{scratch}.{locals.ScratchState(layer.Name, state)}", intoRecording: true,
            c => SharesSpikeList(plan, plan.Layer(c.From)) && ReadsSpikeList(plan, c) ? $"{scratch}.{locals.ScratchSpikeList(c.From)}" : null);
        foreach (ConnectionModel c in plan.Incoming(layer).Where(c => c.Synapse is not null))
            foreach (string s in c.Synapse!.States)
                writer.Line($"{locals.Trace(c.Name, s)}?.Stream({b}, {t}, {scratch}.{locals.ScratchState(c.Name, s)});");
        foreach (string port in neuron.Ports.Where(p => plan.RecordsInput(layer, p)))
            writer.Line($"if ({names["observer"]} is not null) {locals.InputTrace(layer.Name, port)}?.Record({b}, {t}, {locals.Port(layer.Name, port)});");

        var arguments = new List<string>();
        arguments.AddRange(neuron.States.Select(s => $"{scratch}.{locals.ScratchState(layer.Name, s)}"));
        arguments.AddRange(neuron.Ports.Select(p => locals.Port(layer.Name, p)));
        arguments.AddRange(neuron.Parameters.Select(p => locals.Parameter(layer.Name, p.Name)));
        if (neuron.IsSpiking) arguments.Add($"{locals.Raster(layer.Name)}.Row({b}, {t})");
        string observer = names["observer"], chunk = names["chunk"], index = plan.Populations.IndexOf(layer).ToString(CultureInfo.InvariantCulture);
        writer.Line($"{observer}?.Integrating({chunk}, {b}, {t}, {index}, {scratch}.{locals.ScratchStates(layer.Name)}, {scratch}.{locals.ScratchPorts(layer.Name)});");
        writer.Line($"{neuron.Type.FullyQualifiedName}.{neuron.Kernels.Step}({string.Join(", ", arguments)});");
        writer.Line($"{observer}?.Stepped({chunk}, {b}, {t}, {index}, {(neuron.IsSpiking ? $"{locals.Raster(layer.Name)}.Row({b}, {t})" : "default")});");
        foreach (string state in neuron.States)
            writer.Line($"{locals.Trace(layer.Name, state)}?.Stream({b}, {t}, {scratch}.{locals.ScratchState(layer.Name, state)});");
        if (SharesSpikeList(plan, layer))
        {
            var readers = plan.Network.Connections.Where(c => c.From == layer.Name && ReadsSpikeList(plan, c))
                .Select(c => c.Delay == 0 ? c.Name : $"{c.Name} (at {t} + 1)");
            writer.Line($"// Listed once for {string.Join(" and ", readers)}.");
            writer.Line($"{scratch}.{locals.ScratchSpikeList(layer.Name)}.List({locals.Raster(layer.Name)}.Row({b}, {t}));");
        }
    }

    /// <summary>
    /// Whether a dense connection reads its source population's spikes of the step that the population's
    /// <c>SpikeList</c> holds when the connection sums them: the list is written right after the population steps at
    /// t, so it holds step t for a connection without delay into a population that steps later in t, and step t − 1
    /// for a connection with a delay of one into the population itself or one that steps before it.
    /// </summary>
    private static bool ReadsSpikeList(NetworkPlan plan, ConnectionModel c)
    {
        LayerModel source = plan.Layer(c.From);
        if (source.IsInput || NetworkPlan.IsMapped(c) || c.MaxDelay != c.Delay) return false;
        int from = plan.Populations.IndexOf(source), to = plan.Populations.IndexOf(plan.Layer(c.To));
        return c.Delay == 0 ? to > from : c.Delay == 1 && to <= from;
    }

    /// <summary>Whether the forward pass lists a population's spikes once for its connections: when at least two read the list.</summary>
    private static bool SharesSpikeList(NetworkPlan plan, LayerModel population) =>
        population.Neuron is { IsSpiking: true } && plan.Network.Connections.Count(c => c.From == population.Name && ReadsSpikeList(plan, c)) >= 2;

    /// <summary>"port input = W_A·S_In[t] + Exp(W_B·S_Hidden[t−1]) + b", for the comment above a population's step.</summary>
    internal static string Summary(NetworkPlan plan, LayerModel layer)
    {
        var parts = new List<string>();
        foreach (string port in layer.Neuron!.Ports)
        {
            var terms = plan.Incoming(layer).Where(c => c.Port == port)
                .Select(c =>
                {
                    string Step(int d) => d == 0 ? "t" : $"t−{d}";
                    string term = $"W_{c.Name}·S_{c.From}[{(c.MaxDelay == c.Delay ? Step(c.Delay) : $"{Step(c.Delay)}…{Step(c.MaxDelay)}")}]";
                    return c.Synapse is null ? term : $"{c.Synapse.Type.Name}({term})";
                })
                .Concat(plan.BiasesOf(layer).Where(x => x.Port == port).Select(x => x.Name)).ToList();
            parts.Add($"{port} = {(terms.Count == 0 ? "0" : string.Join(" + ", terms))}");
        }
        return string.Join("; ", parts);
    }

    private static void WriteScratch(IndentedWriter writer, NetworkPlan plan)
    {
        var locals = new NetworkLocals(plan);
        writer.Line("/// <summary>One worker's state and input buffers for one sample (structure of arrays).</summary>");
        using (writer.Block($"private sealed class {plan.Scratch}"))
        {
            var states = new List<string>();
            foreach (LayerModel layer in plan.Populations)
                foreach (string port in layer.Neuron!.Ports)
                    writer.Line($"public readonly float[] {locals.ScratchPort(layer.Name, port)} = new float[{layer.Size}];");
            foreach (ConnectionModel c in plan.Network.Connections.Where(c => c.Synapse is not null))
                writer.Line($"public readonly float[] {locals.ScratchDrive(c.Name)} = new float[{plan.Layer(c.To).Size}];");
            foreach (LayerModel layer in plan.Populations)
                foreach (string state in layer.Neuron!.States)
                {
                    if (state == layer.Neuron.PreviousSpike) states.Add(locals.ScratchState(layer.Name, state));
                    writer.Line($"public readonly float[] {locals.ScratchState(layer.Name, state)} = new float[{layer.Size}];");
                }
            foreach (ConnectionModel c in plan.Network.Connections.Where(c => c.Synapse is not null))
                foreach (string state in c.Synapse!.States)
                {
                    states.Add(locals.ScratchState(c.Name, state));
                    writer.Line($"public readonly float[] {states[states.Count - 1]} = new float[{plan.Layer(c.To).Size}];");
                }
            foreach (LayerModel layer in plan.Populations.Where(p => SharesSpikeList(plan, p)))
            {
                writer.Line($"/// <summary>The {layer.Name} neurons that spiked in the last step, listed once for its connections.</summary>");
                writer.Line($"public readonly {Rt}SpikeList {locals.ScratchSpikeList(layer.Name)} = new({layer.Size});");
            }
            foreach (LayerModel layer in plan.Populations)
            {
                writer.Line($"/// <summary>{layer.Name}'s state buffers, in declaration order (what an <see cref=\"{Rt}IStepObserver\"/> sees).</summary>");
                writer.Line($"public readonly float[][] {locals.ScratchStates(layer.Name)};");
                writer.Line($"/// <summary>{layer.Name}'s port buffers, in declaration order.</summary>");
                writer.Line($"public readonly float[][] {locals.ScratchPorts(layer.Name)};");
            }
            writer.Line();
            using (writer.Block($"public {plan.Scratch}()"))
            {
                foreach (LayerModel layer in plan.Populations)
                {
                    writer.Line($"{locals.ScratchStates(layer.Name)} = [{string.Join(", ", layer.Neuron!.States.Select(s => locals.ScratchState(layer.Name, s)))}];");
                    writer.Line($"{locals.ScratchPorts(layer.Name)} = [{string.Join(", ", layer.Neuron.Ports.Select(p => locals.ScratchPort(layer.Name, p)))}];");
                }
            }
            writer.Line();
            writer.Line("/// <summary>Synapse states and previous spikes start at zero (neuron states are then set to their population's initial values).</summary>");
            using (writer.Block($"public void {locals.ScratchMember("clear", "Clear")}()"))
            {
                foreach (string buffer in states) writer.Line($"global::System.Array.Clear({buffer});");
            }
        }
    }
}
