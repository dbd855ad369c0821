using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Passes;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits <c>Backward</c>, BPTT for a network: per chunk of samples (chunks in parallel, reduced in a fixed order), for
/// t = T−1 … 0, for every population in reverse declaration order: add the loss's ∂L/∂h_t and ∂L/∂S_t, read the step's
/// recorded port inputs where the neuron's kernel needs them (or recompute them from the stored spikes and synapse
/// states), call the neuron's
/// <c>StepBackward</c>, then for every incoming connection the synapse's <c>StepBackward</c> (if any) and, for mapped
/// connections and synapse models, ∂L/∂W += S_preᵀ ∂L/∂z (event-driven), and for every bias ∂L/∂b += ∂L/∂x; then
/// ∂L/∂S_pre[t − d] += W ∂L/∂z for all samples of the chunk in lockstep. After the last step, ∂L/∂W of every dense delta
/// synapse from the chunk's history of ∂L/∂x.
/// </summary>
internal static class NetworkBackwardEmitter
{
    private const string Rt = NetworkPlan.Rt;

    public static void Write(IndentedWriter writer, NetworkPlan plan)
    {
        NetworkModel network = plan.Network;
        var locals = new NetworkLocals(plan);
        NameScope names = locals.Names;
        foreach (string fixedName in new[] { "forward", "upstream", "into", "gradients", "chunks", "accumulators", "chunk", "first", "count", "s", "capacity", "pooledScratch", "sparseEpsilon", "weightsSetWhole" })
            names.Claim(fixedName, fixedName);
        string batch = names["batch"], steps = names["steps"], options = names["options"], scratch = names["scratch"], t = names["t"];
        string inputs = names["inputs"], forward = names["forward"], upstream = names["upstream"], into = names["into"];

        writer.Line("/// <inheritdoc/>");
        writer.Line(SourceFile.GeneratedCode);
        string parameters = $"global::System.Collections.Generic.IReadOnlyList<{Rt}SpikeRaster> {inputs}, {Rt}SimulationResult {forward}, " +
                            $"{Rt}BackwardUpstream {upstream}, {Rt}BackwardOptions? {options} = null, {Rt}NetworkGradients? {into} = null";
        using (writer.Block(NetworkEmitter.Implementation(plan.Backward, "Backward", Rt + "NetworkGradients", parameters)))
            FrameEmitter.WriteCall(writer, locals, plan.BackwardFrame, plan.BackwardFrameField, $"{inputs}, {forward}, {upstream}, {options}, {into}");
        writer.Line();

        var run = new IndentedWriter();
        string runParameters = $"global::System.Collections.Generic.IReadOnlyList<{Rt}SpikeRaster> {inputs}, {Rt}SimulationResult {forward}, " +
                               $"{Rt}BackwardUpstream {upstream}, {Rt}BackwardOptions? {options}, {Rt}NetworkGradients? {into}";
        string chunks = names["chunks"], capacity = names["capacity"];
        using (run.Block($"public {Rt}NetworkGradients {locals.Run}({runParameters})"))
        {
            run.Line($"({locals.Field("int", batch)}, {locals.Field("int", steps)}) = {Rt}NetworkExtensions.ValidateInputs({plan.Descriptor}, {inputs});");
            for (int i = 0; i < plan.Inputs.Count; i++)
                run.Line($"{locals.Field(Rt + "SpikeRaster", locals.Raster(plan.Inputs[i].Name))} = {inputs}[{i}];");
            run.Line();
            run.Line("// The forward pass: every spike raster, every state trace and the recorded port inputs (Simulate with RecordAllStates).");
            foreach (LayerModel layer in plan.Populations)
            {
                if (layer.Neuron!.IsSpiking)
                    run.Line($"{locals.Field(Rt + "SpikeRaster", locals.Raster(layer.Name))} = {forward}.Spikes({SourceFile.Quote(layer.Name)});");
                foreach (string state in layer.Neuron.States)
                    run.Line($"{locals.Field(Rt + "StateRecording", locals.Trace(layer.Name, state))} = {forward}.States({SourceFile.Quote(layer.Name)}, {SourceFile.Quote(state)});");
            }
            foreach (ConnectionModel c in network.Connections.Where(c => c.Synapse is not null))
                foreach (string state in c.Synapse!.States)
                    run.Line($"{locals.Field(Rt + "StateRecording", locals.Trace(c.Name, state))} = {forward}.States({SourceFile.Quote(c.Name)}, {SourceFile.Quote(state)});");
            foreach (LayerModel layer in plan.Populations)
                foreach (string port in layer.Neuron!.Ports.Where(p => plan.RecordsInput(layer, p)))
                    run.Line($"{locals.Field(Rt + "StateRecording", locals.InputTrace(layer.Name, port))} = {forward}.Inputs({SourceFile.Quote(layer.Name)}, {SourceFile.Quote(port)});");
            run.Line();
            run.Line("// Upstream gradients of the loss (null where the loss does not depend on it).");
            foreach (LayerModel layer in plan.Populations)
            {
                foreach (string state in layer.Neuron!.States)
                    run.Line($"{locals.Field("float[]?", Upstream(locals, layer.Name, state))} = {upstream}.State({plan.Descriptor}, {SourceFile.Quote(layer.Name)}, {SourceFile.Quote(state)}, {batch}, {steps});");
                if (layer.Neuron.IsSpiking)
                    run.Line($"{locals.Field("float[]?", Upstream(locals, layer.Name, null))} = {upstream}.Spikes({plan.Descriptor}, {SourceFile.Quote(layer.Name)}, {batch}, {steps});");
            }
            run.Line();
            run.Line("// Initial states, parameters, weights, biases, and transposed dense weights for the error propagation W·∂L/∂z.");
            // W itself only where the inputs are recomputed or a mapped connection propagates through it; dense delta
            // synapses into a population with recorded inputs use Wᵀ alone.
            NetworkEmitter.WriteParametersAndWeights(run, plan, locals,
                c => NetworkPlan.IsMapped(c) || plan.RecomputesInputs(plan.Layer(c.To)));
            foreach (ConnectionModel c in TransposedConnections(plan))
                run.Line($"{locals.Field($"{Rt}TransposedWeights", Transposed(locals, c))} = {locals.Member(plan.Field(c.Name))}.RentTransposed({options}?.MaxDegreeOfParallelism ?? 0);");
            run.Line($"{locals.Field("float", names["sparseEpsilon"])} = {options}?.SparseEpsilon ?? 0f;");
            run.Line();
            // The chunks depend on the batch and on the largest dense weight matrix, which may make the batch one chunk.
            ConnectionModel? largest = network.Connections.Where(c => !NetworkPlan.IsMapped(c))
                .OrderByDescending(c => (long)plan.Layer(c.From).Size * plan.Layer(c.To).Size).FirstOrDefault();
            string chunking = batch;
            if (largest is not null)
            {
                int pre = plan.Layer(largest.From).Size, post = plan.Layer(largest.To).Size;
                run.Line($"// Chunks of the batch: {largest.Name} ({pre} × {post}) is the largest weight matrix.");
                chunking = $"{batch}, largestWeights: {((long)pre * post).ToString(CultureInfo.InvariantCulture)}";
            }
            run.Line($"{locals.Field("int", capacity)} = {Rt}BatchParallel.ChunkCapacity({chunking});");
            string gradients = names["gradients"], accumulators = names["accumulators"];
            run.Line($"{Rt}NetworkGradients {gradients} = {into} ?? new({names["network"]});");
            run.Line("// A single chunk (a batch of one sample, or a batch run as one chunk) sets the result itself; more have");
            run.Line("// accumulators of their own, kept by the frame from call to call, and are summed into it afterwards.");
            run.Line($"{Rt}NetworkGradients[] {accumulators} = {gradients}.ChunkAccumulators(ref {chunks}, {Rt}BatchParallel.ChunkCount({chunking}), {names["network"]});");
            run.Line("// Each chunk walks back in time with its samples in lockstep, so that W·∂L/∂z reads every weight matrix once per step for all of them.");
            run.Line($"{Rt}BatchParallel.ForChunks({batch}, {options}?.MaxDegreeOfParallelism ?? 0, {locals.CreateScratch}, {accumulators}, {locals.Body}, {locals.ReleaseScratch});");
            run.Line("// Σ over the chunks in their order, element blocks shared by the threads (the same bits as adding them one after another).");
            run.Line($"if ({accumulators} == {chunks}) {gradients}.SumOf({chunks}, {options}?.MaxDegreeOfParallelism ?? 0);");
            foreach (ConnectionModel c in TransposedConnections(plan))
                run.Line($"{locals.Member(plan.Field(c.Name))}.ReturnTransposed({Transposed(locals, c)});");
            run.Line($"return {gradients};");
        }
        run.Line();

        string chunk = names["chunk"], first = names["first"], count = names["count"];
        // The connections whose ∂L/∂W the chunk sets whole after its time loop, in a static array: a collection
        // expression would make its span from static data by a call that allocates in unoptimized (Debug) code.
        var overTime = network.Connections.Where(NetworkPlan.AccumulatesOverTime).ToList();
        string weightsSetWhole = names["weightsSetWhole"];
        string setWholeField = $"private static readonly int[] {weightsSetWhole} = [{string.Join(", ", overTime.Select(c => plan.ConnectionIndex(c).ToString(CultureInfo.InvariantCulture)))}];";
        string chunkMethod = locals.BodyMethod("Chunk");
        run.Line("/// <summary>One chunk of consecutive samples, t = T−1 … 0, populations in reverse order; then ∂L/∂W of the dense delta synapses.</summary>");
        using (run.Block($"private void {chunkMethod}(int {first}, int {count}, {plan.BackwardScratch} {scratch}, {Rt}NetworkGradients {chunk})"))
        {
            run.Line($"{scratch}.Clear();");
            if (overTime.Count == 0)
            {
                run.Line($"{chunk}.Clear();");
            }
            else
            {
                run.Line($"// Set whole after the time loop: ∂L/∂W of {string.Join(", ", overTime.Select(c => c.Name))}.");
                run.Line($"{chunk}.Clear(exceptWeights: {weightsSetWhole});");
            }
            using (run.Block($"for (int {t} = {steps} - 1; {t} >= 0; {t}--)"))
            {
                foreach (LayerModel layer in Enumerable.Reverse(plan.Populations))
                {
                    WritePopulation(run, plan, locals, layer);
                    run.Line();
                }
                run.Line("// Step t is done: its ∂L/∂S slots are free for t − depth.");
                foreach (LayerModel layer in plan.Populations.Where(l => l.Neuron!.IsSpiking))
                    run.Line($"{scratch}.{SpikeAdjoints(locals, layer)}.Release({t});");
            }
            if (overTime.Count > 0)
            {
                run.Line();
                run.Line("// ∂L/∂W = Σ_t S_pre[t − d]ᵀ ∂L/∂x[t] of the dense delta synapses, set for the whole chunk at once from the adjoint history;");
                run.Line("// each presynaptic population's spikes grouped by neuron once, for all its connections.");
                foreach (IGrouping<string, ConnectionModel> from in overTime.GroupBy(c => c.From))
                {
                    string events = $"{scratch}.{SpikeEvents(locals, from.Key)}";
                    run.Line($"{events}.Group({locals.Raster(from.Key)}, {first}, {count}, {capacity});");
                    foreach (ConnectionModel c in from)
                        run.Line($"{Rt}SpikeOps.SumOuterOverTime({chunk}.Weights[{plan.ConnectionIndex(c)}], {events}, {c.Delay}, {scratch}.{AdjointPort(locals, c.To, c.Port)});");
                }
            }
        }

        string pooled = names["pooledScratch"];
        FrameEmitter.WriteClass(writer, plan, locals, plan.BackwardFrame, plan.BackwardFrameField,
            "Backward's locals and its loop body over the chunks of the batch, bound to a delegate once. A frame serves one call at a time and waits in the network for the next.",
            plan.BackwardScratch, $"global::System.Action<int, int, {plan.BackwardScratch}, {Rt}NetworkGradients>", chunkMethod,
            $"() => {locals.Scratches}.TryTake(out {plan.BackwardScratch}? {pooled}) && {pooled}.{Fits(locals)}({capacity}, {steps}) ? {pooled} : new {plan.BackwardScratch}({capacity}, {steps})",
            persistent: overTime.Count == 0 ? [$"private {Rt}NetworkGradients[] {chunks} = [];"]
                : [$"private {Rt}NetworkGradients[] {chunks} = [];", "/// <summary>The connections (by index) whose ∂L/∂W a chunk sets whole after its time loop.</summary>", setWholeField],
            run.ToString());
        writer.Line();
        WriteScratch(writer, plan, locals);
    }

    private static string Upstream(NetworkLocals locals, string population, string? state) => state is null
        ? locals.Local("upstream-spikes:" + population, NetworkPlan.Camel(population) + "SpikesUpstream")
        : locals.Local("upstream:" + population + "." + state, NetworkPlan.Camel(population) + StepKernel.Capitalized(state) + "Upstream");

    /// <summary>Dense connections from a population: their error propagation reads Wᵀ.</summary>
    private static IEnumerable<ConnectionModel> TransposedConnections(NetworkPlan plan) =>
        plan.Network.Connections.Where(c => !plan.Layer(c.From).IsInput && !NetworkPlan.IsMapped(c));

    private static string Transposed(NetworkLocals locals, ConnectionModel c) =>
        locals.Local("transposed:" + c.Name, NetworkPlan.Camel(c.Name) + "Transposed");

    private static string AdjointState(NetworkLocals locals, string owner, string state) =>
        locals.ScratchMember("adjoint-state:" + owner + "." + state, owner + "Adjoint" + StepKernel.Capitalized(state));

    private static string AdjointPort(NetworkLocals locals, string population, string port) =>
        locals.ScratchMember("adjoint-port:" + population + "." + port, population + "Adjoint" + StepKernel.Capitalized(port));

    private static string AdjointDrive(NetworkLocals locals, ConnectionModel c) => locals.ScratchMember("adjoint-drive:" + c.Name, c.Name + "AdjointDrive");

    private static string SpikeAdjoints(NetworkLocals locals, LayerModel population) =>
        locals.ScratchMember("spike-adjoints:" + population.Name, population.Name + "SpikeAdjoints");

    private static string SpikeEvents(NetworkLocals locals, string population) =>
        locals.ScratchMember("spike-events:" + population, population + "SpikeEvents");

    private static string Zero(NetworkLocals locals) => locals.ScratchMember("zero", "Zero");

    private static string Fits(NetworkLocals locals) => locals.ScratchMember("fits", "Fits");

    private static void WritePopulation(IndentedWriter writer, NetworkPlan plan, NetworkLocals locals, LayerModel layer)
    {
        NameScope names = locals.Names;
        string scratch = names["scratch"], t = names["t"], b = names["b"], s = names["s"], chunk = names["chunk"], count = names["count"];
        string name = layer.Name;
        int n = layer.Size;
        NeuronModel neuron = layer.Neuron!;
        List<ConnectionModel> incoming = plan.Incoming(layer).ToList();
        string Slice(string buffer, int size) => $"{scratch}.{buffer}.AsSpan({s} * {size}, {size})";
        // Port adjoints are kept for every step of the chunk: [steps, capacity, neurons].
        string PortSlice(string port) => $"{scratch}.{AdjointPort(locals, name, port)}.AsSpan(({t} * {names["capacity"]} + {s}) * {n}, {n})";
        // A state at t − 1: recorded, or before the first step its initial value (0 for the previous spike and synapse states).
        string Previous(string owner, string state, int size) =>
            $"{t} > 0 ? {locals.Trace(owner, state)}.RowWalkingBack({b}, {t} - 1) : " +
            (owner == name && state != neuron.PreviousSpike ? $"{locals.Initial(name, state)}.AsSpan()" : $"{scratch}.{Zero(locals)}.AsSpan(0, {size})");
        string spikeAdjoint = $"{scratch}.{SpikeAdjoints(locals, layer)}.At({t}).AsSpan({s} * {n}, {n})";

        BackwardReads reads = plan.BackwardReads(neuron);
        List<string> recordedPorts = neuron.Ports.Where(p => plan.RecordsInput(layer, p)).ToList();
        string inputs = plan.RecomputesInputs(layer) ? "recompute " + NetworkEmitter.Summary(plan, layer)
            : recordedPorts.Count > 0 ? "read the recorded inputs"
            : reads.AfterStep.Any(a => a) ? "the states after the step stand in for the inputs" : "no input needed";
        writer.Line($"// {name}, step t, per sample: ∂L/∂h_t += loss; {inputs}; StepBackward; synapses and ∂L/∂W.");
        using (writer.Block($"for (int {s} = 0; {s} < {count}; {s}++)"))
        {
            writer.Line($"int {b} = {names["first"]} + {s};");
            foreach (string state in neuron.States)
                writer.Line($"if ({Upstream(locals, name, state)} is not null) {Rt}BackwardUpstream.AddWalkingBack({Slice(AdjointState(locals, name, state), n)}, {Upstream(locals, name, state)}, {b}, {t}, {names["steps"]});");
            if (neuron.IsSpiking)
                writer.Line($"if ({Upstream(locals, name, null)} is not null) {Rt}BackwardUpstream.AddWalkingBack({spikeAdjoint}, {Upstream(locals, name, null)}, {b}, {t}, {names["steps"]});");

            // The synapses restart from their recorded states at t − 1 (copies: Step updates them in place).
            foreach (ConnectionModel c in incoming.Where(c => c.Synapse is not null))
                foreach (string state in c.Synapse!.States)
                {
                    string copy = $"{scratch}.{locals.ScratchState(c.Name, state)}";
                    writer.Line($"if ({t} > 0) {locals.Trace(c.Name, state)}.RowWalkingBack({b}, {t} - 1).CopyTo({copy}); else global::System.Array.Clear({copy});");
                }
            if (!plan.RecomputesInputs(layer))
            {
                foreach (string port in recordedPorts)
                    writer.Line($"global::System.ReadOnlySpan<float> {locals.Port(name, port)} = {locals.InputTrace(name, port)}.RowWalkingBack({b}, {t});");
            }
            else
            {
                NetworkEmitter.WritePortInputs(writer, plan, locals, layer, scratch, (c, st) => $"{scratch}.{locals.ScratchState(c.Name, st)}",
                    state => Previous(name, state, n));
            }

            var arguments = new List<string>();
            arguments.AddRange(neuron.States.Select(st => Previous(name, st, n)));
            // h_t where it stands in for h′ (StepDerivatives.ReadsOf): the row the previous iteration read as h_{t−1}.
            arguments.AddRange(neuron.States.Where((_, i) => reads.AfterStep[i]).Select(st => $"{locals.Trace(name, st)}.Row({b}, {t})"));
            arguments.AddRange(neuron.Ports.Where(reads.ReadsInput).Select(p => locals.Port(name, p)));
            arguments.AddRange(neuron.Parameters.Select(p => locals.Parameter(name, p.Name)));
            arguments.AddRange(neuron.States.Select(st => Slice(AdjointState(locals, name, st), n)));
            if (neuron.IsSpiking) arguments.Add(spikeAdjoint);
            arguments.AddRange(neuron.Ports.Select(PortSlice));
            arguments.AddRange(neuron.Parameters.Where(p => p.Trainable).Select(p => $"{chunk}.Parameters[{plan.GradientIndex(name, p.Name)}]"));
            if (neuron.IsSpiking) arguments.Add(names["sparseEpsilon"]);
            WriteCall(writer, $"{neuron.Type.FullyQualifiedName}.{neuron.Kernels.StepBackward}", arguments);

            foreach (ConnectionModel c in incoming)
            {
                int post = n, index = plan.ConnectionIndex(c);
                string adjointDrive = PortSlice(c.Port);
                if (c.Synapse is { } synapse)
                {
                    adjointDrive = Slice(AdjointDrive(locals, c), post);
                    BackwardReads synapseReads = plan.BackwardReads(synapse);
                    var synapseArguments = new List<string>();
                    synapseArguments.AddRange(synapse.States.Select(st => Previous(c.Name, st, post)));
                    if (synapseReads.ReadsInput(synapse.Drive)) synapseArguments.Add(locals.Drive(c.Name));
                    synapseArguments.AddRange(synapse.PostReads.Where(r => synapseReads.ReadsInput(r.Input)).Select(r => Previous(name, r.State, n)));
                    synapseArguments.AddRange(synapse.Parameters.Select(p => locals.Parameter(c.Name, p.Name)));
                    synapseArguments.AddRange(synapse.States.Select(st => Slice(AdjointState(locals, c.Name, st), post)));
                    synapseArguments.Add(PortSlice(c.Port));
                    synapseArguments.Add(adjointDrive);
                    synapseArguments.AddRange(synapse.PostReads.Select(r => Slice(AdjointState(locals, name, r.State), n)));
                    synapseArguments.AddRange(synapse.Parameters.Where(p => p.Trainable).Select(p => $"{chunk}.Parameters[{plan.GradientIndex(c.Name, p.Name)}]"));
                    WriteCall(writer, $"{synapse.Type.FullyQualifiedName}.{synapse.Kernels.StepBackward}", synapseArguments);
                }
                string raster = locals.Raster(c.From);
                if (NetworkPlan.AccumulatesOverTime(c)) continue;   // after the time loop
                if (NetworkPlan.IsMapped(c))
                {
                    writer.Line($"{locals.Member(plan.Field(c.Name))}.AccumulateOuter({chunk}.Weights[{index}], {raster}, {b}, {t}, {adjointDrive});");
                }
                else
                {
                    string outer = $"{Rt}SpikeOps.AccumulateOuter({chunk}.Weights[{index}], {raster}.Row({b}, {NetworkEmitter.Minus(t, c.Delay)}), {adjointDrive});";
                    writer.Line(c.Delay > 0 ? $"if ({t} >= {c.Delay}) {outer}" : outer);
                }
            }
            foreach (BiasModel bias in plan.BiasesOf(layer))
                writer.Line($"{Rt}SpikeOps.AddInPlace({chunk}.Biases[{plan.BiasIndex(bias)}], {PortSlice(bias.Port)});");
        }

        // ∂L/∂S_pre[t − d] += W·∂L/∂z for all samples of the chunk.
        foreach (ConnectionModel c in incoming.Where(c => !plan.Layer(c.From).IsInput))
        {
            LayerModel source = plan.Layer(c.From);
            string adjoints = c.Synapse is null
                ? $"{scratch}.{AdjointPort(locals, name, c.Port)}.AsSpan({t} * {names["capacity"]} * {n}, {count} * {n})"
                : $"{scratch}.{AdjointDrive(locals, c)}.AsSpan(0, {count} * {n})";
            string ring = $"{scratch}.{SpikeAdjoints(locals, source)}";
            if (NetworkPlan.IsMapped(c))
            {
                writer.Line($"{locals.Member(plan.Field(c.Name))}.PropagateErrors({locals.Weights(c.Name)}, {adjoints}, {ring}, {t}, {count});");
            }
            else
            {
                string propagate = $"{Rt}SpikeOps.PropagateErrors({Transposed(locals, c)}.Panels, {adjoints}, {ring}.At({NetworkEmitter.Minus(t, c.Delay)}).AsSpan(0, {count} * {source.Size}), {count});";
                writer.Line(c.Delay > 0 ? $"if ({t} >= {c.Delay}) {propagate}" : propagate);
            }
        }
    }

    private static void WriteCall(IndentedWriter writer, string method, List<string> arguments)
    {
        writer.Line(method + "(");
        using (writer.Indent())
        {
            for (int a = 0; a < arguments.Count; a++)
                writer.Line(arguments[a] + (a == arguments.Count - 1 ? ");" : ","));
        }
    }

    private static void WriteScratch(IndentedWriter writer, NetworkPlan plan, NetworkLocals locals)
    {
        NetworkModel network = plan.Network;
        string capacity = locals.ScratchMember("capacity", "capacity"), steps = locals.ScratchMember("steps", "steps");
        writer.Line("/// <summary>");
        writer.Line("/// One worker's buffers for a chunk of samples: the recomputed inputs of one sample (where they are not recorded), and [capacity, neurons] adjoints —");
        writer.Line("/// ∂L/∂h carried backwards in time, ∂L/∂(drive) of the step, ∂L/∂S for the steps delays reach — and ∂L/∂(port) of every step, [steps, capacity, neurons].");
        writer.Line("/// </summary>");
        var synapses = network.Connections.Where(c => c.Synapse is not null).ToList();
        int zero = plan.Populations.Select(p => p.Size).Max();
        using (writer.Block($"private sealed class {plan.BackwardScratch}(int {capacity}, int {steps})"))
        {
            writer.Line("/// <summary>Whether this scratch serves a call with these chunk and sequence lengths.</summary>");
            writer.Line($"public bool {Fits(locals)}(int {locals.ScratchMember("fits:capacity", "chunkCapacity")}, int {locals.ScratchMember("fits:steps", "sequenceSteps")}) => " +
                        $"{locals.ScratchMember("fits:capacity", "chunkCapacity")} == {capacity} && {locals.ScratchMember("fits:steps", "sequenceSteps")} <= {steps};");
            writer.Line();
            writer.Line($"public readonly float[] {Zero(locals)} = new float[{zero}];");
            var cleared = new List<string>();
            var rings = new List<string>();
            foreach (LayerModel layer in plan.Populations)
            {
                foreach (string port in layer.Neuron!.Ports)
                {
                    if (plan.RecomputesInputs(layer))
                        writer.Line($"public readonly float[] {locals.ScratchPort(layer.Name, port)} = new float[{layer.Size}];");
                    writer.Line($"public readonly float[] {AdjointPort(locals, layer.Name, port)} = new float[{steps} * {capacity} * {layer.Size}];");
                }
                foreach (string state in layer.Neuron.States)
                {
                    cleared.Add(AdjointState(locals, layer.Name, state));
                    writer.Line($"public readonly float[] {cleared[cleared.Count - 1]} = new float[{capacity} * {layer.Size}];");
                }
                if (layer.Neuron.IsSpiking)
                {
                    rings.Add(SpikeAdjoints(locals, layer));
                    writer.Line($"public readonly {Rt}SpikeAdjointRing {rings[rings.Count - 1]} = new({plan.SpikeAdjointDepth(layer)}, {capacity} * {layer.Size});");
                }
            }
            foreach (string population in network.Connections.Where(NetworkPlan.AccumulatesOverTime).Select(c => c.From).Distinct())
                writer.Line($"public readonly {Rt}SpikeEvents {SpikeEvents(locals, population)} = new();");
            foreach (ConnectionModel c in synapses)
            {
                int post = plan.Layer(c.To).Size;
                writer.Line($"public readonly float[] {locals.ScratchDrive(c.Name)} = new float[{post}];");
                writer.Line($"public readonly float[] {AdjointDrive(locals, c)} = new float[{capacity} * {post}];");
                foreach (string state in c.Synapse!.States)
                {
                    writer.Line($"public readonly float[] {locals.ScratchState(c.Name, state)} = new float[{post}];");
                    cleared.Add(AdjointState(locals, c.Name, state));
                    writer.Line($"public readonly float[] {cleared[cleared.Count - 1]} = new float[{capacity} * {post}];");
                }
            }
            writer.Line();
            writer.Line("/// <summary>Nothing flows back from after the last step.</summary>");
            using (writer.Block($"public void {locals.ScratchMember("clear", "Clear")}()"))
            {
                foreach (string buffer in cleared) writer.Line($"global::System.Array.Clear({buffer});");
                foreach (string ring in rings) writer.Line($"{ring}.Clear();");
            }
        }
    }
}
