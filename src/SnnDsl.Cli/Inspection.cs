using System.Globalization;
using SnnDsl.Export;
using SnnDsl.Export.Nir;

namespace SnnDsl.Cli;

/// <summary>The summaries <c>snn inspect</c> prints.</summary>
public static class Inspection
{
    /// <summary>A NIR graph: version, metadata, every node with its type and fields, every edge; nested graphs indented.</summary>
    public static void Nir(NirGraph graph, string path, TextWriter output)
    {
        output.WriteLine($"NIR file {path}");
        output.WriteLine($"version {graph.Version ?? "?"}");
        Graph(graph, output, "");
    }

    private static void Graph(NirGraph graph, TextWriter output, string indent)
    {
        foreach ((string key, NirValue value) in graph.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            output.WriteLine($"{indent}metadata {key} = {value}");
        output.WriteLine($"{indent}{graph.Nodes.Count} nodes");
        foreach (NirNode node in graph.Nodes)
        {
            string fields = string.Join(", ", node.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"));
            output.WriteLine($"{indent}  {node.Name}: {node.Type}{(fields.Length > 0 ? " (" + fields + ")" : "")}");
            if (node.Subgraph is { } sub) Graph(sub, output, indent + "    ");
        }
        output.WriteLine($"{indent}{graph.Edges.Count} edges");
        foreach ((string from, string to) in graph.Edges) output.WriteLine($"{indent}  {from} -> {to}");
    }

    /// <summary>A model file or checkpoint: kind, version, declaration, fingerprint, metadata and tensors.</summary>
    public static void Model(SnnFileContents contents, TextWriter output)
    {
        NetworkDescriptor d = contents.Declaration;
        output.WriteLine($"{(contents.Kind == "CKPT" ? "checkpoint" : "model file")} {contents.Path} ({contents.Length.ToString(CultureInfo.InvariantCulture)} bytes, format version {contents.FormatVersion})");
        output.WriteLine($"network {d.Name}, Δt = {d.TimeStep.ToString("R", CultureInfo.InvariantCulture)} s, fingerprint {Convert.ToHexStringLower(contents.Fingerprint.ToArray())}");
        foreach ((string key, string value) in contents.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal)) output.WriteLine($"metadata {key} = {value}");
        foreach (LayerDescriptor layer in d.Layers)
            output.WriteLine(layer.Neuron is null ? $"  input {layer.Name} [{layer.Size}]" : $"  population {layer.Name} [{layer.Size}] {layer.Neuron.Name}");
        foreach (ConnectionDescriptor c in d.Connections)
            output.WriteLine($"  connection {c.Name}: {c.From} -> {c.To}, {NetworkDeclaration.KindName(c.Kind)}, delay {c.Delay}{(c.MaxDelay != c.Delay ? "…" + c.MaxDelay : "")}, port {c.Port}{(c.Synapse is null ? "" : ", synapse " + c.Synapse.Name)}");
        foreach (BiasDescriptor b in d.Biases) output.WriteLine($"  bias {b.Name} on {b.To}.{b.Port}");
        output.WriteLine($"{contents.Tensors.Count} tensors");
        foreach (StoredTensor t in contents.Tensors)
        {
            string summary = t.Values is float[] f && f.Length > 0
                ? FormattableString.Invariant($" min {f.Min():G6} max {f.Max():G6} mean {f.Average(v => (double)v):G6}")
                : "";
            output.WriteLine($"  {t.Name} {t.ElementType.ToString().ToLowerInvariant()} {StoredTensor.ShapeText(t.Shape)}{summary}");
        }
    }
}
