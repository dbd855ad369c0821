using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

// Shared with the generator (generators/SnnDsl.Generators/SnnDsl.Generators.csproj), which compiles this file into
// a namespace of its own, so that its tests, which reference both assemblies, see one NirGraph, not two.
#if SNNDSL_ANALYZERS
namespace SnnDsl.Generators.RuntimeNir;
#else
namespace SnnDsl.Export.Nir;
#endif

/// <summary>The HDF5 element type a NIR dataset has (or gets when written).</summary>
public enum NirDataType
{
    /// <summary>IEEE single precision.</summary>
    Float32,

    /// <summary>IEEE double precision.</summary>
    Float64,

    /// <summary>Signed 64-bit integer.</summary>
    Int64,

    /// <summary>Variable-length UTF-8 string.</summary>
    String,
}

/// <summary>
/// A NIR dataset: a scalar or an array (row-major) of numbers, or a string. Numbers are held as double whatever their
/// stored type, which <see cref="DataType"/> keeps (float32 and int64 values are exact in double).
/// </summary>
public sealed class NirValue
{
    private NirValue(NirDataType type, long[] shape, double[] numbers, string? text, bool compressed)
    {
        DataType = type;
        Shape = shape;
        Numbers = numbers;
        Text = text;
        Compressed = compressed;
    }

    /// <summary>A numeric array.</summary>
    /// <param name="type">Float32, Float64 or Int64.</param>
    /// <param name="shape">Dimensions (empty for a scalar).</param>
    /// <param name="values">Row-major values.</param>
    /// <param name="compressed">Written gzip-compressed and chunked (as nir.write does for numpy arrays), else contiguous.</param>
    public static NirValue Array(NirDataType type, long[] shape, double[] values, bool compressed = true)
    {
        if (type == NirDataType.String) throw new ArgumentException("Use NirValue.String for text.", nameof(type));
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length) throw new ArgumentException($"Shape {ShapeText(shape)} needs {count} values, not {values.Length}.", nameof(values));
        return new NirValue(type, shape, values, null, compressed && shape.Length > 0 && count > 0);
    }

    /// <summary>A 1-D array.</summary>
    public static NirValue Vector(NirDataType type, double[] values, bool compressed = true) => Array(type, [values.Length], values, compressed);

    /// <summary>A scalar number (never compressed: nir.write stores Python numbers as plain scalars).</summary>
    public static NirValue Scalar(NirDataType type, double value) => new(type, [], [value], null, false);

    /// <summary>A scalar string.</summary>
    public static NirValue String(string text) => new(NirDataType.String, [], [], text, false);

    /// <summary>The stored element type.</summary>
    public NirDataType DataType { get; }

    /// <summary>Dimensions; empty for a scalar.</summary>
    public long[] Shape { get; }

    /// <summary>The numbers, row-major (empty for a string).</summary>
    public double[] Numbers { get; }

    /// <summary>The text of a string value, else null.</summary>
    public string? Text { get; }

    /// <summary>Whether the dataset is (or is to be written) gzip-compressed.</summary>
    public bool Compressed { get; }

    /// <summary>A shape as "[a, b]" (the model file's notation).</summary>
    internal static string ShapeText(IEnumerable<long> shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Number of elements.</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <inheritdoc/>
    public override string ToString() => Text is not null ? $"\"{Text}\""
        : Shape.Length == 0 ? Numbers[0].ToString("R", CultureInfo.InvariantCulture) + " " + DataType
        : $"{DataType.ToString().ToLowerInvariant()} {ShapeText(Shape)}"
          + (Numbers.Length > 0 && Numbers.All(v => v.Equals(Numbers[0])) ? " all " + Numbers[0].ToString("R", CultureInfo.InvariantCulture) : "");
}

/// <summary>A node of a NIR graph: its type string (e.g. "CubaLIF"), its fields, its metadata, and for "NIRGraph" its subgraph.</summary>
public sealed class NirNode
{
    /// <summary>A node.</summary>
    public NirNode(string name, string type, IReadOnlyDictionary<string, NirValue>? fields = null, IReadOnlyDictionary<string, NirValue>? metadata = null, NirGraph? subgraph = null)
    {
        Name = name;
        Type = type;
        Fields = fields ?? new Dictionary<string, NirValue>();
        Metadata = metadata ?? new Dictionary<string, NirValue>();
        Subgraph = subgraph;
    }

    /// <summary>The node's name (its HDF5 group name).</summary>
    public string Name { get; }

    /// <summary>The NIR type string.</summary>
    public string Type { get; }

    /// <summary>Datasets of the node other than <c>type</c>.</summary>
    public IReadOnlyDictionary<string, NirValue> Fields { get; }

    /// <summary>The node's metadata group (empty when absent).</summary>
    public IReadOnlyDictionary<string, NirValue> Metadata { get; }

    /// <summary>The nested graph of a "NIRGraph" node, else null.</summary>
    public NirGraph? Subgraph { get; }

    /// <summary>A field, or null.</summary>
    public NirValue? Field(string name) => Fields.TryGetValue(name, out NirValue? v) ? v : null;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Type})";
}

/// <summary>
/// A NIR graph as stored (docs/exports.md and the reference note §1.1): nodes by name, edges as (source, target) pairs
/// in file order, metadata. The root graph also carries the file's <see cref="Version"/>.
/// </summary>
public sealed class NirGraph
{
    /// <summary>A graph.</summary>
    public NirGraph(IReadOnlyList<NirNode> nodes, IReadOnlyList<(string From, string To)> edges, IReadOnlyDictionary<string, NirValue>? metadata = null, string? version = null)
    {
        Nodes = nodes;
        Edges = edges;
        Metadata = metadata ?? new Dictionary<string, NirValue>();
        Version = version;
    }

    /// <summary>Nodes in the order they were added or read.</summary>
    public IReadOnlyList<NirNode> Nodes { get; }

    /// <summary>Edges in file order.</summary>
    public IReadOnlyList<(string From, string To)> Edges { get; }

    /// <summary>Graph metadata (empty when absent).</summary>
    public IReadOnlyDictionary<string, NirValue> Metadata { get; }

    /// <summary>The root <c>version</c> dataset (null for nested graphs).</summary>
    public string? Version { get; }

    /// <summary>A node by name, or null.</summary>
    public NirNode? Node(string name) => Nodes.FirstOrDefault(n => n.Name == name);
}
