using System;
using System.Collections.Generic;
using System.Linq;
using SnnDsl.Export.Hdf5;

// Shared with the generator (generators/SnnDsl.Generators/SnnDsl.Generators.csproj), which compiles this file into
// a namespace of its own, so that its tests, which reference both assemblies, see one NirGraph, not two.
#if SNNDSL_ANALYZERS
namespace SnnDsl.Generators.RuntimeNir;
#else
namespace SnnDsl.Export.Nir;
#endif

/// <summary>
/// Reads a NIR graph from the bytes of an HDF5 file with the small reader of src/SnnDsl/Export/Hdf5 — the generator's
/// route (<c>[NirNetwork]</c>, netstandard2.0, no PureHDF). It follows <c>NirFile.Read</c> field for field (the
/// layout of reference note §1.1: root <c>version</c>, group <c>node</c>, nodes, <c>edges</c>, metadata) and shares its
/// edge validation; the tests check that both give the same graph for every fixture and export.
/// </summary>
internal static class NirGraphReader
{
    /// <summary>Reads and validates the graph in <paramref name="bytes"/>; <paramref name="path"/> names the file in messages.</summary>
    /// <exception cref="NirFormatException">Not HDF5, an HDF5 feature the reader lacks, a missing or malformed dataset, or a dangling edge.</exception>
    public static NirGraph Read(byte[] bytes, string path)
    {
        Hdf5File file;
        try
        {
            file = Hdf5File.Open(bytes, path);
        }
        catch (Hdf5Exception e)
        {
            throw new NirFormatException(path, e.ObjectPath, "(file)", $"not a readable HDF5 file: {e.Problem}", e);
        }
        var reader = new Reader(path);
        string version = reader.ReadString(file.Root, "/", "version");
        NirGraph graph = reader.ReadGraph(reader.Group(file.Root, "/", "node"), "node", version);
        Validate(path, graph, "node");
        return graph;
    }

    /// <summary>Checks that every edge names a node of its graph (or "G.B", node B of subgraph G), recursively.</summary>
    internal static void Validate(string path, NirGraph graph, string where)
    {
        foreach ((string from, string to) in graph.Edges)
        {
            foreach (string end in new[] { from, to })
            {
                if (Resolves(graph, end)) continue;
                throw new NirFormatException(path, where, "edges",
                    $"edge {from} → {to} names node '{end}', which does not exist in this graph (nodes: {string.Join(", ", graph.Nodes.Select(n => n.Name))}).");
            }
        }
        foreach (NirNode node in graph.Nodes)
            if (node.Subgraph is { } sub) Validate(path, sub, $"{where}/nodes/{node.Name}");
    }

    /// <summary>Whether <paramref name="name"/> is a node of <paramref name="graph"/> or "G.B" with B a node of subgraph G.</summary>
    internal static bool Resolves(NirGraph graph, string name)
    {
        if (graph.Node(name) is not null) return true;
        int dot = name.IndexOf('.');
        return dot > 0 && graph.Node(name.Substring(0, dot)) is { Subgraph: { } sub } && Resolves(sub, name.Substring(dot + 1));
    }

    private sealed class Reader(string path)
    {
        private NirFormatException Error(string node, string field, string problem, Exception? inner = null) => new(path, node, field, problem, inner);

        public Hdf5Group Group(Hdf5Group parent, string where, string name) => parent.Get(name) switch
        {
            null => throw Error(where, name, "is missing (a NIR file has a root 'version' dataset and a 'node' group)."),
            Hdf5Group g => g,
            _ => throw Error(where, name, "is a dataset, not a group."),
        };

        public string ReadString(Hdf5Group parent, string where, string name)
        {
            Hdf5Object? child = parent.Get(name);
            if (child is null) throw Error(where, name, "is missing.");
            if (child is not Hdf5Dataset dataset) throw Error(where, name, "is a group, not a string dataset.");
            NirValue value = Value(dataset, where, name, allowStringArray: false, out _);
            return value.Text ?? throw Error(where, name, $"must be a string, but it is {value}.");
        }

        public NirGraph ReadGraph(Hdf5Group group, string where, string? version)
        {
            string type = ReadString(group, where, "type");
            if (type != "NIRGraph") throw Error(where, "type", $"is '{type}'; a graph group has type 'NIRGraph'.");
            var nodes = new List<NirNode>();
            if (group.Get("nodes") is not null)
            {
                foreach (Hdf5Object child in Group(group, where, "nodes").Children)
                {
                    string childWhere = $"{where}/nodes/{child.Name}";
                    if (child is not Hdf5Group nodeGroup) throw Error(childWhere, "(node)", "is a dataset; every node is a group.");
                    nodes.Add(ReadNode(nodeGroup, child.Name, childWhere));
                }
            }
            var edges = new List<(string, string)>();
            if (group.Get("edges") is { } edgeObject)
            {
                if (edgeObject is not Hdf5Dataset edgeSet) throw Error(where, "edges", "is a group, not a dataset.");
                NirValue e = Value(edgeSet, where, "edges", allowStringArray: true, out string[]? strings);
                if (strings is not null)
                {
                    if (e.Shape.Length != 2 || e.Shape[1] != 2)
                        throw Error(where, "edges", $"must have shape (E, 2), but it has {NirValue.ShapeText(e.Shape)}.");
                    for (int k = 0; k < strings.Length; k += 2) edges.Add((strings[k], strings[k + 1]));
                }
                else if (e.Count != 0)
                    throw Error(where, "edges", $"must be strings (source, target); a numeric edges dataset is only written for an empty graph, but this one has {e.Count} values.");
            }
            return new NirGraph(nodes, edges, ReadMetadata(group, where), version);
        }

        private NirNode ReadNode(Hdf5Group group, string name, string where)
        {
            string type = ReadString(group, where, "type");
            if (type == "NIRGraph") return new NirNode(name, type, null, ReadMetadata(group, where), ReadGraph(group, where, null));
            var fields = new Dictionary<string, NirValue>();
            foreach (Hdf5Object child in group.Children)
            {
                if (child.Name is "type" or "metadata") continue;
                if (child is not Hdf5Dataset dataset) throw Error(where, child.Name, "is a group; node fields are datasets.");
                fields[child.Name] = Value(dataset, where, child.Name, allowStringArray: false, out _);
            }
            return new NirNode(name, type, fields, ReadMetadata(group, where));
        }

        private Dictionary<string, NirValue> ReadMetadata(Hdf5Group group, string where)
        {
            var metadata = new Dictionary<string, NirValue>();
            if (group.Get("metadata") is null) return metadata;
            foreach (Hdf5Object child in Group(group, where, "metadata").Children)
                if (child is Hdf5Dataset d) metadata[child.Name] = Value(d, where + "/metadata", child.Name, allowStringArray: true, out _);
            return metadata;
        }

        private NirValue Value(Hdf5Dataset dataset, string where, string name, bool allowStringArray, out string[]? strings)
        {
            strings = null;
            if (dataset.Shape is null) throw Error(where, name, "has a null dataspace (no value).");
            Hdf5Value value;
            try
            {
                value = dataset.Read();
            }
            catch (Hdf5Exception e)
            {
                throw Error(where, name, $"cannot be read: {e.Problem}", e);
            }
            long[] shape = value.Shape;
            bool compressed = dataset.Chunked;
            Hdf5Type type = value.Type;
            switch (type.Class)
            {
                case Hdf5Class.String:
                    strings = (string[])value.Data;
                    if (shape.Length == 0) return NirValue.String(strings[0]);
                    if (!allowStringArray) throw Error(where, name, $"is an array of strings {NirValue.ShapeText(shape)}; a single string or numbers were expected.");
                    return NirValue.Array(NirDataType.Float64, shape, new double[strings.Length], compressed);
                case Hdf5Class.Float:
                    return NirValue.Array(type.Size == 4 ? NirDataType.Float32 : NirDataType.Float64, shape, value.Numbers(), compressed);
                case Hdf5Class.Integer when type.Size is 8 or 4 or 1:
                    return NirValue.Array(NirDataType.Int64, shape, value.Numbers(), compressed);
                default:
                    throw Error(where, name, $"has HDF5 type {type}; NIR fields are strings, floats or integers of 1, 4 or 8 bytes.");
            }
        }
    }
}
