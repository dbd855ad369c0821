using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits a [Network] class's implementation: the layer and connection objects behind its partial properties, its
/// <c>Descriptor</c>, and the forward pass <c>Simulate</c>: per sample (in parallel over the batch), per step, per
/// population in declaration order, event-driven synaptic accumulation from bit-packed spikes followed by the
/// neuron's fused <c>Step</c> kernel.
/// </summary>
internal static class NetworkEmitter
{

    public static string Emit(NetworkModel network) => SourceFile.Write(network.Type, writer =>
    {
        using (writer.Block($"partial class {network.Type.Name} : ISpikingNetwork"))
        {
            WriteMembers(writer, network);
            writer.Line();
            WriteDescriptor(writer, network);
            writer.Line();
            WriteSimulate(writer, network);
            writer.Line();
            WriteScratch(writer, network);
            writer.Line();
            NetworkBackwardEmitter.Write(writer, network);
        }
    });

    private static IEnumerable<LayerModel> Populations(NetworkModel network) => network.Layers.Where(l => !l.IsInput);

    internal static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    private static string PopulationType(LayerModel layer) => $"Population<{layer.Neuron!.FullyQualifiedName}>";

    private static void WriteMembers(IndentedWriter writer, NetworkModel network)
    {
        writer.Line("// Layers and connections, in declaration order (populations update in this order).");
        foreach (LayerModel layer in network.Layers)
        {
            string type = layer.IsInput ? "SpikeInput" : PopulationType(layer);
            writer.Line($"private readonly {type} __{layer.Name} = new({SourceFile.Quote(layer.Name)}, {layer.Size});");
        }
        foreach (ConnectionModel c in network.Connections)
        {
            int pre = network.Layers.First(l => l.Name == c.From).Size, post = network.Layers.First(l => l.Name == c.To).Size;
            writer.Line($"private readonly Synapses __{c.Name} = new({SourceFile.Quote(c.Name)}, {SourceFile.Quote(c.From)}, {SourceFile.Quote(c.To)}, {pre}, {post}, recurrent: {(c.Recurrent ? "true" : "false")});");
        }
        writer.Line($"private SpikeInput[]? __inputs;");
        writer.Line($"private Population[]? __populations;");
        writer.Line($"private Synapses[]? __connections;");
        writer.Line();
        foreach (LayerModel layer in network.Layers)
        {
            string type = layer.IsInput ? "SpikeInput" : PopulationType(layer);
            writer.Line($"{layer.Accessibility} partial {type} {layer.Name} => __{layer.Name};");
        }
        foreach (ConnectionModel c in network.Connections)
            writer.Line($"{c.Accessibility} partial Synapses {c.Name} => __{c.Name};");
        writer.Line();
        string inputs = string.Join(", ", network.Layers.Where(l => l.IsInput).Select(l => "__" + l.Name));
        string populations = string.Join(", ", Populations(network).Select(l => "__" + l.Name));
        string connections = string.Join(", ", network.Connections.Select(c => "__" + c.Name));
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public IReadOnlyList<SpikeInput> Inputs => __inputs ??= [{inputs}];");
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public IReadOnlyList<Population> Populations => __populations ??= [{populations}];");
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public IReadOnlyList<Synapses> Connections => __connections ??= [{connections}];");
    }

    private static void WriteDescriptor(IndentedWriter writer, NetworkModel network)
    {
        writer.Line($"/// <summary>The structure of <see cref=\"{network.Type.Name}\"/> as declared.</summary>");
        writer.Line($"public static NetworkDescriptor Descriptor {{ get; }} = new(");
        using (writer.Indent())
        {
            writer.Line($"{SourceFile.Quote(network.Type.Name)}, {network.TimeStep.ToString("R", CultureInfo.InvariantCulture)},");
            writer.Line("[");
            using (writer.Indent())
            {
                foreach (LayerModel l in network.Layers)
                    writer.Line($"new LayerDescriptor({SourceFile.Quote(l.Name)}, {l.Size}, {(l.IsInput ? "null" : l.Neuron!.FullyQualifiedName + ".Descriptor")}),");
            }
            writer.Line("],");
            writer.Line("[");
            using (writer.Indent())
            {
                foreach (ConnectionModel c in network.Connections)
                    writer.Line($"new ConnectionDescriptor({SourceFile.Quote(c.Name)}, {SourceFile.Quote(c.From)}, {SourceFile.Quote(c.To)}, Recurrent: {(c.Recurrent ? "true" : "false")}),");
            }
            writer.Line("]);");
        }
        writer.Line();
        writer.Line($"NetworkDescriptor ISpikingNetwork.Descriptor => Descriptor;");
    }

    private static void WriteSimulate(IndentedWriter writer, NetworkModel network)
    {
        List<LayerModel> inputs = network.Layers.Where(l => l.IsInput).ToList();
        writer.Line("/// <inheritdoc/>");
        writer.Line(SourceFile.GeneratedCode);
        using (writer.Block($"public SimulationResult Simulate(IReadOnlyList<SpikeRaster> inputs, SimulationOptions? options = null)"))
        {
            writer.Line($"(int batch, int steps) = NetworkExtensions.ValidateInputs(Descriptor, inputs);");
            for (int i = 0; i < inputs.Count; i++)
                writer.Line($"SpikeRaster {Camel(inputs[i].Name)}Raster = inputs[{i}];");

            writer.Line();
            writer.Line("// Outputs: spikes of the spiking populations; state traces that were asked for, and every state of a non-spiking (readout) population.");
            var traces = new List<string>();
            foreach (LayerModel layer in Populations(network))
            {
                string camel = Camel(layer.Name);
                if (layer.Neuron!.IsSpiking)
                    writer.Line($"SpikeRaster {camel}Spikes = NetworkExtensions.Raster(Descriptor, options, {SourceFile.Quote(layer.Name)}, batch, steps);");
                foreach (string state in layer.Neuron.States)
                {
                    string trace = $"{camel}{state}Trace";
                    traces.Add(trace);
                    writer.Line($"StateRecording? {trace} = NetworkExtensions.Recording(Descriptor, options, {SourceFile.Quote(layer.Name)}, {SourceFile.Quote(state)}, batch, steps, always: {(layer.Neuron.IsSpiking ? "false" : "true")});");
                }
            }

            writer.Line();
            writer.Line("// Parameters and weights, read once per call.");
            WriteParametersAndWeights(writer, network);

            writer.Line();
            writer.Line("// One sample per worker; each worker's scratch is allocated once, so the time loop allocates nothing.");
            using (writer.Block($"BatchParallel.For(batch, options?.MaxDegreeOfParallelism ?? 0, static () => new __Scratch(), (b, scratch) =>", close: "});"))
            {
                writer.Line("scratch.Clear();");
                using (writer.Block("for (int t = 0; t < steps; t++)"))
                {
                    bool first = true;
                    foreach (LayerModel layer in Populations(network))
                    {
                        if (!first) writer.Line();
                        first = false;
                        WritePopulationStep(writer, network, layer);
                    }
                }
            }

            writer.Line();
            string spikes = string.Join(", ", Populations(network).Where(l => l.Neuron!.IsSpiking)
                .Select(l => $"KeyValuePair.Create({SourceFile.Quote(l.Name)}, {Camel(l.Name)}Spikes)"));
            writer.Line($"return new SimulationResult(");
            using (writer.Indent())
            {
                writer.Line($"new KeyValuePair<string, SpikeRaster>[] {{ {spikes} }},");
                writer.Line($"System.Linq.Enumerable.OfType<StateRecording>(new StateRecording?[] {{ {string.Join(", ", traces)} }}));");
            }
        }
    }

    /// <summary>Locals for every population parameter (a float when shared, the array when per neuron) and weight matrix.</summary>
    internal static void WriteParametersAndWeights(IndentedWriter writer, NetworkModel network)
    {
        foreach (LayerModel layer in Populations(network))
        {
            for (int p = 0; p < layer.Neuron!.Parameters.Count; p++)
            {
                ParamInfo param = layer.Neuron.Parameters[p];
                writer.Line(param.PerNeuron
                    ? $"float[] {Camel(layer.Name)}{param.Name} = __{layer.Name}.Parameter({p});"
                    : $"float {Camel(layer.Name)}{param.Name} = __{layer.Name}.Parameter({p})[0];");
            }
        }
        foreach (ConnectionModel c in network.Connections)
            writer.Line($"float[] {Camel(c.Name)}Weights = __{c.Name}.Weights;");
    }

    /// <summary>One population in one step: input = Σ W·S, then the neuron's fused Step, then recording.</summary>
    private static void WritePopulationStep(IndentedWriter writer, NetworkModel network, LayerModel layer)
    {
        string camel = Camel(layer.Name);
        List<ConnectionModel> incoming = network.Connections.Where(c => c.To == layer.Name).ToList();
        string sources = string.Join(" + ", incoming.Select(c => $"W_{c.Name}·S_{c.From}[{(c.Recurrent ? "t−1" : "t")}]"));
        writer.Line($"// {layer.Name}: synaptic input = {(incoming.Count == 0 ? "0" : sources)}, event-driven over the active presynaptic neurons.");
        writer.Line($"Span<float> {camel}Input = scratch.{layer.Name}Input;");
        writer.Line($"{camel}Input.Clear();");
        foreach (ConnectionModel c in incoming)
        {
            LayerModel source = network.Layers.First(l => l.Name == c.From);
            string raster = source.IsInput ? $"{Camel(source.Name)}Raster" : $"{Camel(source.Name)}Spikes";
            string accumulate = $"SpikeOps.AccumulateSpikes({Camel(c.Name)}Weights, {raster}.Row(b, {(c.Recurrent ? "t - 1" : "t")}), {camel}Input);";
            writer.Line(c.Recurrent ? $"if (t > 0) {accumulate}" : accumulate);
        }

        var arguments = new List<string>();
        arguments.AddRange(layer.Neuron!.States.Select(s => $"scratch.{layer.Name}{s}"));
        arguments.Add($"{camel}Input");
        arguments.AddRange(layer.Neuron.Parameters.Select(p => $"{camel}{p.Name}"));
        if (layer.Neuron.IsSpiking) arguments.Add($"{camel}Spikes.Row(b, t)");
        writer.Line($"{layer.Neuron.FullyQualifiedName}.Step({string.Join(", ", arguments)});");
        foreach (string state in layer.Neuron.States)
            writer.Line($"{camel}{state}Trace?.Record(b, t, scratch.{layer.Name}{state});");
    }

    private static void WriteScratch(IndentedWriter writer, NetworkModel network)
    {
        writer.Line("/// <summary>One worker's state and input buffers for one sample (structure of arrays).</summary>");
        using (writer.Block("private sealed class __Scratch"))
        {
            var buffers = new List<string>();
            foreach (LayerModel layer in Populations(network))
            {
                foreach (string state in layer.Neuron!.States) buffers.Add($"{layer.Name}{state}");
                writer.Line($"public readonly float[] {layer.Name}Input = new float[{layer.Size}];");
            }
            foreach (LayerModel layer in Populations(network))
                foreach (string state in layer.Neuron!.States)
                    writer.Line($"public readonly float[] {layer.Name}{state} = new float[{layer.Size}];");
            writer.Line();
            writer.Line("/// <summary>All states start at zero.</summary>");
            using (writer.Block("public void Clear()"))
            {
                foreach (string buffer in buffers) writer.Line($"Array.Clear({buffer});");
            }
        }
    }
}
