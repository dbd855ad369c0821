using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;
using SnnDsl.Data;

namespace SnnDsl.Export.Nir;

/// <summary>
/// Reads and writes NIR files (HDF5) in the layout <c>nir.write</c> produces (reference note §1.1): a root
/// <c>version</c> string, a group <c>node</c> holding the graph (<c>type</c> "NIRGraph", <c>nodes/…</c>, <c>edges</c>
/// as an (E, 2) array of strings, optional <c>metadata/</c>); every value a dataset, no attributes. The reader accepts
/// the older uncompressed layout and the current gzip one, missing optional fields, an empty numeric <c>edges</c>,
/// and nested graphs; every edge must name a node of its graph (a dotted name "G.B" may address node B inside
/// subgraph G).
/// </summary>
public static class NirFile
{
    /// <summary>The NIR release whose layout this writer follows; written to the root <c>version</c> dataset.</summary>
    public const string LayoutVersion = "1.0.7";

    /// <summary>Reads a NIR file into a graph (no conversion; <see cref="NirImporter"/> converts).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NirFormatException">Not HDF5, a missing or malformed dataset, or a dangling edge (node and field named).</exception>
    public static NirGraph Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"NIR file '{path}' does not exist.", path);
        NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new NirFormatException(path, "/", "(file)", $"not a readable HDF5 file: {e.Message}", e);
        }
        using (file)
        {
            var reader = new Reader(path);
            try
            {
                string version = reader.ReadString(file, "/", "version");
                IH5Group root = reader.Group(file, "/", "node");
                NirGraph graph = reader.ReadGraph(root, "node", version);
                NirGraphReader.Validate(path, graph, "node");
                return graph;
            }
            catch (NirFormatException)
            {
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Any failure of PureHDF's lazy reads is bad data — including an OutOfMemoryException from a
                // corrupted size field ("Array dimensions exceeded supported range").
                throw new NirFormatException(path, "node", "(structure)", $"unreadable HDF5 structure: {e.Message}", e);
            }
        }
    }

    private sealed class Reader(string path)
    {
        public NirFormatException Error(string node, string field, string problem, Exception? inner = null) => new(path, node, field, problem, inner);

        public IH5Group Group(IH5Group parent, string where, string name)
        {
            if (!parent.LinkExists(name)) throw Error(where, name, "is missing (a NIR file has a root 'version' dataset and a 'node' group).");
            return parent.Get(name) as IH5Group ?? throw Error(where, name, "is a dataset, not a group.");
        }

        public string ReadString(IH5Group parent, string where, string name)
        {
            if (!parent.LinkExists(name)) throw Error(where, name, "is missing.");
            if (parent.Get(name) is not IH5Dataset dataset) throw Error(where, name, "is a group, not a string dataset.");
            NirValue value = Value(dataset, where, name);
            return value.Text ?? throw Error(where, name, $"must be a string, but it is {value}.");
        }

        public NirGraph ReadGraph(IH5Group group, string where, string? version)
        {
            string type = ReadString(group, where, "type");
            if (type != "NIRGraph") throw Error(where, "type", $"is '{type}'; a graph group has type 'NIRGraph'.");
            var nodes = new List<NirNode>();
            if (group.LinkExists("nodes"))
            {
                IH5Group nodesGroup = Group(group, where, "nodes");
                foreach (IH5Object child in nodesGroup.Children())
                {
                    string childWhere = $"{where}/nodes/{child.Name}";
                    if (child is not IH5Group nodeGroup) throw Error(childWhere, "(node)", "is a dataset; every node is a group.");
                    nodes.Add(ReadNode(nodeGroup, child.Name, childWhere));
                }
            }
            var edges = new List<(string, string)>();
            if (group.LinkExists("edges"))
            {
                if (group.Get("edges") is not IH5Dataset edgeSet) throw Error(where, "edges", "is a group, not a dataset.");
                NirValue e = Value(edgeSet, where, "edges", allowStringArray: true, out string[]? strings);
                if (strings is not null)
                {
                    if (e.Shape.Length != 2 || e.Shape[1] != 2)
                        throw Error(where, "edges", $"must have shape (E, 2), but it has {StoredTensor.ShapeText(e.Shape)}.");
                    for (int k = 0; k < strings.Length; k += 2) edges.Add((strings[k], strings[k + 1]));
                }
                else if (e.Count != 0)
                    throw Error(where, "edges", $"must be strings (source, target); a numeric edges dataset is only written for an empty graph, but this one has {e.Count} values.");
            }
            return new NirGraph(nodes, edges, ReadMetadata(group, where), version);
        }

        private NirNode ReadNode(IH5Group group, string name, string where)
        {
            string type = ReadString(group, where, "type");
            if (type == "NIRGraph") return new NirNode(name, type, null, ReadMetadata(group, where), ReadGraph(group, where, null));
            var fields = new Dictionary<string, NirValue>();
            foreach (IH5Object child in group.Children())
            {
                if (child.Name is "type" or "metadata") continue;
                if (child is not IH5Dataset dataset) throw Error(where, child.Name, "is a group; node fields are datasets.");
                fields[child.Name] = Value(dataset, where, child.Name);
            }
            return new NirNode(name, type, fields, ReadMetadata(group, where));
        }

        private Dictionary<string, NirValue> ReadMetadata(IH5Group group, string where)
        {
            var metadata = new Dictionary<string, NirValue>();
            if (!group.LinkExists("metadata")) return metadata;
            IH5Group m = Group(group, where, "metadata");
            foreach (IH5Object child in m.Children())
                if (child is IH5Dataset d) metadata[child.Name] = Value(d, where + "/metadata", child.Name, allowStringArray: true, out _);
            return metadata;
        }

        public NirValue Value(IH5Dataset dataset, string where, string name) => Value(dataset, where, name, allowStringArray: false, out _);

        public NirValue Value(IH5Dataset dataset, string where, string name, bool allowStringArray, out string[]? strings)
        {
            strings = null;
            long[] shape = dataset.Space.Type switch
            {
                H5DataspaceType.Scalar => [],
                H5DataspaceType.Simple => dataset.Space.Dimensions.Select(d => (long)d).ToArray(),
                _ => throw Error(where, name, "has a null dataspace (no value)."),
            };
            bool compressed = dataset.Layout.Class == H5DataLayoutClass.Chunked;
            IH5DataType type = dataset.Type;
            try
            {
                switch (type.Class)
                {
                    case H5DataTypeClass.String:
                    case H5DataTypeClass.VariableLength when type.VariableLength.BaseType.Class == H5DataTypeClass.FixedPoint && type.Size == 16:
                        if (shape.Length == 0) return NirValue.String(dataset.Read<string>());
                        strings = dataset.Read<string[]>();
                        if (!allowStringArray) throw Error(where, name, $"is an array of strings {StoredTensor.ShapeText(shape)}; a single string or numbers were expected.");
                        return NirValue.Array(NirDataType.Float64, shape, new double[strings.Length], compressed);
                    case H5DataTypeClass.FloatingPoint when type.Size == 4:
                        return NirValue.Array(NirDataType.Float32, shape, dataset.Read<float[]>().Select(v => (double)v).ToArray(), compressed);
                    case H5DataTypeClass.FloatingPoint when type.Size == 8:
                        return NirValue.Array(NirDataType.Float64, shape, dataset.Read<double[]>(), compressed);
                    case H5DataTypeClass.FixedPoint when type.Size == 8:
                        return NirValue.Array(NirDataType.Int64, shape, dataset.Read<long[]>().Select(v => (double)v).ToArray(), compressed);
                    case H5DataTypeClass.FixedPoint when type.Size == 4:
                        return NirValue.Array(NirDataType.Int64, shape, dataset.Read<int[]>().Select(v => (double)v).ToArray(), compressed);
                    case H5DataTypeClass.BitField or H5DataTypeClass.FixedPoint when type.Size == 1:
                        return NirValue.Array(NirDataType.Int64, shape, dataset.Read<byte[]>().Select(v => (double)v).ToArray(), compressed);
                    default:
                        throw Error(where, name, $"has HDF5 type {type.Class} of {type.Size} bytes; NIR fields are strings, floats or integers.");
                }
            }
            catch (NirFormatException)
            {
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Error(where, name, $"cannot be read: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Writes a graph as <c>nir.write</c> does: root <c>version</c> (<see cref="LayoutVersion"/>), group <c>node</c>;
    /// arrays gzip-compressed and chunked, scalars and strings plain, <c>edges</c> an (E, 2) string array (float64 (0,)
    /// when there are none), metadata groups only when not empty. Atomic (temporary file, flush, rename).
    /// </summary>
    public static void Write(string path, NirGraph graph)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(graph);
        var file = new H5File { ["version"] = graph.Version ?? LayoutVersion, ["node"] = GraphGroup(graph) };
        AtomicFile.Write(path, stream =>
        {
            using var buffer = new MemoryStream();          // PureHDF needs a readable, seekable stream
            file.Write(buffer);
            buffer.Position = 0;
            buffer.CopyTo(stream);
        });
    }

    private static H5Group GraphGroup(NirGraph graph)
    {
        var nodes = new H5Group();
        foreach (NirNode node in graph.Nodes) nodes[node.Name] = NodeGroup(node);
        var group = new H5Group { ["type"] = "NIRGraph", ["nodes"] = nodes };
        if (graph.Edges.Count == 0) group["edges"] = Array.Empty<double>();
        else
        {
            var edges = new string[graph.Edges.Count, 2];
            for (int k = 0; k < graph.Edges.Count; k++) (edges[k, 0], edges[k, 1]) = graph.Edges[k];
            group["edges"] = edges;
        }
        if (graph.Metadata.Count > 0) group["metadata"] = ValuesGroup(graph.Metadata);
        return group;
    }

    private static H5Group NodeGroup(NirNode node)
    {
        if (node.Subgraph is { } sub)
        {
            H5Group nested = GraphGroup(sub);
            if (node.Metadata.Count > 0) nested["metadata"] = ValuesGroup(node.Metadata);
            return nested;
        }
        var group = ValuesGroup(node.Fields);
        group["type"] = node.Type;
        if (node.Metadata.Count > 0) group["metadata"] = ValuesGroup(node.Metadata);
        return group;
    }

    private static H5Group ValuesGroup(IReadOnlyDictionary<string, NirValue> values)
    {
        var group = new H5Group();
        foreach ((string name, NirValue value) in values) group[name] = Dataset(value);
        return group;
    }

    private static readonly H5DatasetCreation Gzip = new(Filters: [new H5Filter(DeflateFilter.Id, new() { [DeflateFilter.COMPRESSION_LEVEL] = 9 })]);

    private static object Dataset(NirValue value)
    {
        if (value.Text is { } text) return text;
        if (value.Shape.Length == 0)
        {
            return value.DataType switch
            {
                NirDataType.Float32 => (object)(float)value.Numbers[0],
                NirDataType.Int64 => (object)(long)value.Numbers[0],
                _ => (object)value.Numbers[0],
            };
        }
        Array data = value.DataType switch
        {
            NirDataType.Float32 => value.Numbers.Select(v => (float)v).ToArray(),
            NirDataType.Int64 => value.Numbers.Select(v => (long)v).ToArray(),
            _ => (double[])value.Numbers.Clone(),
        };
        ulong[] dims = value.Shape.Select(d => (ulong)d).ToArray();
        if (!value.Compressed) return new H5Dataset(data, fileDims: dims);
        // Chunks of whole rows, at most about 1 MiB each (any chunk shape is valid HDF5; h5py guesses its own).
        uint[] chunks = value.Shape.Select(d => (uint)d).ToArray();
        long rowBytes = value.Count / value.Shape[0] * (value.DataType == NirDataType.Float32 ? 4 : 8);
        chunks[0] = (uint)Math.Clamp((1 << 20) / Math.Max(1, rowBytes), 1, value.Shape[0]);
        return new H5Dataset(data, chunks: chunks, fileDims: dims, datasetCreation: Gzip);
    }
}
