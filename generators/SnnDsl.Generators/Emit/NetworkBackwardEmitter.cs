using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits <c>Backward</c>, BPTT for a network: per sample (chunks in parallel, reduced in a fixed order), for
/// t = T−1 … 0, for every population in reverse declaration order: add the loss's ∂L/∂h_t, recompute the step's
/// synaptic input from the stored spikes, call the neuron's <c>StepBackward</c>, then hand ∂L/∂x_t to every incoming
/// connection: ∂L/∂W += S_preᵀ ∂L/∂x (event-driven) and ∂L/∂S_pre += W ∂L/∂x (at t for feed-forward connections,
/// at t−1 for recurrent ones).
/// </summary>
internal static class NetworkBackwardEmitter
{
    private static string Camel(string name) => NetworkEmitter.Camel(name);

    public static void Write(IndentedWriter writer, NetworkModel network)
    {
        List<LayerModel> populations = network.Layers.Where(l => !l.IsInput).ToList();
        List<LayerModel> inputs = network.Layers.Where(l => l.IsInput).ToList();
        var gradientIndex = new Dictionary<(string, string), int>();
        foreach (LayerModel layer in populations)
            foreach (ParamInfo p in layer.Neuron!.Parameters.Where(p => p.Trainable))
                gradientIndex[(layer.Name, p.Name)] = gradientIndex.Count;

        writer.Line("/// <inheritdoc/>");
        writer.Line(SourceFile.GeneratedCode);
        using (writer.Block("public NetworkGradients Backward(IReadOnlyList<SpikeRaster> inputs, SimulationResult forward, BackwardUpstream upstream, BackwardOptions? options = null, NetworkGradients? into = null)"))
        {
            writer.Line("(int batch, int steps) = NetworkExtensions.ValidateInputs(Descriptor, inputs);");
            for (int i = 0; i < inputs.Count; i++)
                writer.Line($"SpikeRaster {Camel(inputs[i].Name)}Raster = inputs[{i}];");
            writer.Line();
            writer.Line("// The forward pass: every spike raster and every state trace (Simulate with RecordAllStates).");
            foreach (LayerModel layer in populations)
            {
                string camel = Camel(layer.Name);
                if (layer.Neuron!.IsSpiking)
                    writer.Line($"SpikeRaster {camel}Spikes = forward.Spikes({SourceFile.Quote(layer.Name)});");
                foreach (string state in layer.Neuron.States)
                    writer.Line($"StateRecording {camel}{state}Trace = forward.States({SourceFile.Quote(layer.Name)}, {SourceFile.Quote(state)});");
            }
            writer.Line();
            writer.Line("// Upstream gradients of the loss (null where the loss does not depend on it).");
            foreach (LayerModel layer in populations)
            {
                string camel = Camel(layer.Name);
                foreach (string state in layer.Neuron!.States)
                    writer.Line($"float[]? {camel}{state}Upstream = upstream.State(Descriptor, {SourceFile.Quote(layer.Name)}, {SourceFile.Quote(state)}, batch, steps);");
                if (layer.Neuron.IsSpiking)
                    writer.Line($"float[]? {camel}SpikesUpstream = upstream.Spikes(Descriptor, {SourceFile.Quote(layer.Name)}, batch, steps);");
            }
            writer.Line();
            writer.Line("// Parameters, weights, and transposed weights for the error propagation W·∂L/∂x.");
            NetworkEmitter.WriteParametersAndWeights(writer, network);
            foreach (ConnectionModel c in network.Connections.Where(c => !IsFromInput(network, c)))
                writer.Line($"float[] {Camel(c.Name)}Transposed = SpikeOps.Transpose({Camel(c.Name)}Weights, __{c.Name}.Pre, __{c.Name}.Post);");
            writer.Line("float sparseEpsilon = options?.SparseEpsilon ?? 0f;");
            writer.Line();
            writer.Line("// Per-chunk gradient accumulators, reused across calls (taken from the pool, so concurrent calls do not share them).");
            writer.Line("NetworkGradients[] chunks = Interlocked.Exchange(ref __gradientChunks, null) is { } pooled && pooled.Length == BatchParallel.ChunkCount(batch)");
            writer.Line("    ? pooled");
            writer.Line("    : Array.ConvertAll(new int[BatchParallel.ChunkCount(batch)], _ => new NetworkGradients(this));");
            writer.Line("foreach (NetworkGradients chunk in chunks) chunk.Clear();");
            writer.Line("int capacity = BatchParallel.ChunkCapacity(batch);");
            writer.Line("// Each chunk walks back in time with its samples in lockstep, so that W·∂L/∂x reads every weight matrix once per step for all of them.");
            using (writer.Block("BatchParallel.ForChunks(batch, options?.MaxDegreeOfParallelism ?? 0, () => new __BackwardScratch(capacity), chunks, (first, count, scratch, chunk) =>", close: "});"))
            {
                writer.Line("scratch.Clear();");
                using (writer.Block("for (int t = steps - 1; t >= 0; t--)"))
                {
                    foreach (LayerModel layer in Enumerable.Reverse(populations))
                    {
                        WritePopulation(writer, network, layer, gradientIndex);
                        writer.Line();
                    }
                    writer.Line("scratch.ShiftSpikeAdjoints();");
                }
            }
            writer.Line("NetworkGradients gradients = into ?? new(this);");
            writer.Line("gradients.Clear();");
            writer.Line("foreach (NetworkGradients chunk in chunks) gradients.Add(chunk);");
            writer.Line("__gradientChunks = chunks;");
            writer.Line("return gradients;");
        }

        writer.Line();
        writer.Line("private NetworkGradients[]? __gradientChunks;");
        writer.Line();
        WriteScratch(writer, network);
    }

    private static bool IsFromInput(NetworkModel network, ConnectionModel c) => network.Layers.First(l => l.Name == c.From).IsInput;

    private static void WritePopulation(IndentedWriter writer, NetworkModel network, LayerModel layer, Dictionary<(string, string), int> gradientIndex)
    {
        string camel = Camel(layer.Name), name = layer.Name;
        int n = layer.Size;
        NeuronSignature neuron = layer.Neuron!;
        List<ConnectionModel> incoming = network.Connections.Where(c => c.To == name).ToList();
        string slice = $"AsSpan(s * {n}, {n})";
        writer.Line($"// {name}, step t, per sample: ∂L/∂h_t += loss; recompute the input; StepBackward; ∂L/∂W += S_preᵀ ∂L/∂x.");
        using (writer.Block("for (int s = 0; s < count; s++)"))
        {
            writer.Line("int b = first + s;");
            string row = $"((b * steps) + t) * {n}";
            foreach (string state in neuron.States)
                writer.Line($"if ({camel}{state}Upstream is not null) SpikeOps.AddInPlace(scratch.{name}Adjoint{state}.{slice}, {camel}{state}Upstream.AsSpan({row}, {n}));");
            if (neuron.IsSpiking)
                writer.Line($"if ({camel}SpikesUpstream is not null) SpikeOps.AddInPlace(scratch.{name}AdjointSpikes.{slice}, {camel}SpikesUpstream.AsSpan({row}, {n}));");

            writer.Line($"Span<float> {camel}Input = scratch.{name}Input;");
            writer.Line($"{camel}Input.Clear();");
            foreach (ConnectionModel c in incoming)
            {
                string accumulate = $"SpikeOps.AccumulateSpikes({Camel(c.Name)}Weights, {Raster(network, c)}.Row(b, {(c.Recurrent ? "t - 1" : "t")}), {camel}Input);";
                writer.Line(c.Recurrent ? $"if (t > 0) {accumulate}" : accumulate);
            }

            var arguments = new List<string>();
            arguments.AddRange(neuron.States.Select(st => $"t > 0 ? {camel}{st}Trace.Row(b, t - 1) : scratch.Zero.AsSpan(0, {n})"));
            arguments.Add($"{camel}Input");
            arguments.AddRange(neuron.Parameters.Select(p => $"{camel}{p.Name}"));
            arguments.AddRange(neuron.States.Select(st => $"scratch.{name}Adjoint{st}.{slice}"));
            if (neuron.IsSpiking) arguments.Add($"scratch.{name}AdjointSpikes.{slice}");
            arguments.Add($"scratch.{name}AdjointInput.{slice}");
            arguments.AddRange(neuron.Parameters.Where(p => p.Trainable).Select(p => $"chunk.Parameters[{gradientIndex[(name, p.Name)]}]"));
            if (neuron.IsSpiking) arguments.Add("sparseEpsilon");
            writer.Line($"{neuron.FullyQualifiedName}.StepBackward(");
            using (writer.Indent())
            {
                for (int a = 0; a < arguments.Count; a++)
                    writer.Line(arguments[a] + (a == arguments.Count - 1 ? ");" : ","));
            }

            foreach (ConnectionModel c in incoming)
            {
                int index = network.Connections.ToList().IndexOf(c);
                string spikes = $"{Raster(network, c)}.Row(b, {(c.Recurrent ? "t - 1" : "t")})";
                writer.Line($"{(c.Recurrent ? "if (t > 0) " : "")}SpikeOps.AccumulateOuter(chunk.Weights[{index}], {spikes}, scratch.{name}AdjointInput.{slice});");
            }
        }

        // ∂L/∂S_pre += W·∂L/∂x for all samples of the chunk: at t for feed-forward sources, at t−1 for recurrent ones.
        foreach (ConnectionModel c in incoming.Where(c => !IsFromInput(network, c)))
        {
            string target = c.Recurrent ? $"scratch.{c.From}AdjointSpikesPrevious" : $"scratch.{c.From}AdjointSpikes";
            writer.Line($"{(c.Recurrent ? "if (t > 0) " : "")}SpikeOps.PropagateErrors({Camel(c.Name)}Weights, {Camel(c.Name)}Transposed, scratch.{name}AdjointInput.AsSpan(0, count * {n}), {target}.AsSpan(0, count * {network.Layers.First(l => l.Name == c.From).Size}), count);");
        }
    }

    private static string Raster(NetworkModel network, ConnectionModel c)
    {
        LayerModel source = network.Layers.First(l => l.Name == c.From);
        return source.IsInput ? $"{Camel(source.Name)}Raster" : $"{Camel(source.Name)}Spikes";
    }

    private static void WriteScratch(IndentedWriter writer, NetworkModel network)
    {
        List<LayerModel> populations = network.Layers.Where(l => !l.IsInput).ToList();
        writer.Line("/// <summary>");
        writer.Line("/// One worker's adjoint buffers for a chunk of samples, [capacity, neurons] each: ∂L/∂h carried backwards in time,");
        writer.Line("/// ∂L/∂x of the step, and ∂L/∂S at t and at t−1.");
        writer.Line("/// </summary>");
        using (writer.Block("private sealed class __BackwardScratch(int capacity)"))
        {
            writer.Line($"public readonly float[] Zero = new float[{populations.Max(p => p.Size)}];");
            foreach (LayerModel layer in populations)
            {
                writer.Line($"public readonly float[] {layer.Name}Input = new float[{layer.Size}];");
                writer.Line($"public readonly float[] {layer.Name}AdjointInput = new float[capacity * {layer.Size}];");
                foreach (string state in layer.Neuron!.States)
                    writer.Line($"public readonly float[] {layer.Name}Adjoint{state} = new float[capacity * {layer.Size}];");
                if (layer.Neuron.IsSpiking)
                {
                    writer.Line($"public float[] {layer.Name}AdjointSpikes = new float[capacity * {layer.Size}];");
                    writer.Line($"public float[] {layer.Name}AdjointSpikesPrevious = new float[capacity * {layer.Size}];");
                }
            }
            writer.Line();
            writer.Line("/// <summary>Nothing flows back from after the last step.</summary>");
            using (writer.Block("public void Clear()"))
            {
                foreach (LayerModel layer in populations)
                {
                    foreach (string state in layer.Neuron!.States) writer.Line($"Array.Clear({layer.Name}Adjoint{state});");
                    if (layer.Neuron.IsSpiking)
                    {
                        writer.Line($"Array.Clear({layer.Name}AdjointSpikes);");
                        writer.Line($"Array.Clear({layer.Name}AdjointSpikesPrevious);");
                    }
                }
            }
            writer.Line();
            writer.Line("/// <summary>Moving from step t to t−1: what recurrent connections sent to t−1 becomes the current ∂L/∂S.</summary>");
            using (writer.Block("public void ShiftSpikeAdjoints()"))
            {
                foreach (LayerModel layer in populations.Where(l => l.Neuron!.IsSpiking))
                {
                    writer.Line($"({layer.Name}AdjointSpikes, {layer.Name}AdjointSpikesPrevious) = ({layer.Name}AdjointSpikesPrevious, {layer.Name}AdjointSpikes);");
                    writer.Line($"Array.Clear({layer.Name}AdjointSpikesPrevious);");
                }
            }
        }
    }
}
