using System;
using System.IO;

// Shared with the generator (generators/SnnDsl.Generators/SnnDsl.Generators.csproj), which compiles this file into
// a namespace of its own, so that its tests, which reference both assemblies, see one NirGraph, not two.
#if SNNDSL_ANALYZERS
namespace SnnDsl.Generators.RuntimeNir;
#else
namespace SnnDsl.Export.Nir;
#endif

/// <summary>A NIR file cannot be read: it is not HDF5, lacks a dataset, has a dangling edge, a field of the wrong type or shape (the message names the file, the node and the field).</summary>
public sealed class NirFormatException : IOException
{
    /// <summary>A problem with <paramref name="node"/>'s <paramref name="field"/> in <paramref name="path"/>.</summary>
    public NirFormatException(string path, string node, string field, string problem, Exception? inner = null)
        : base($"NIR file '{path}', node '{node}', field '{field}': {problem}", inner)
    {
        FilePath = path;
        Node = node;
        Field = field;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The node's path in the file (e.g. <c>node/nodes/lif1</c>), or the group of the problem.</summary>
    public string Node { get; }

    /// <summary>The field (dataset) of the problem.</summary>
    public string Field { get; }
}

/// <summary>A network cannot be written as NIR (the message names the population, connection or neuron and why).</summary>
public sealed class NirExportException : InvalidOperationException
{
    /// <summary>An export error.</summary>
    public NirExportException(string message) : base(message)
    {
    }
}

/// <summary>A NIR graph cannot become a SnnDsl declaration (the message names the node and the field).</summary>
public sealed class NirImportException : InvalidOperationException
{
    /// <summary>A problem with <paramref name="node"/>'s <paramref name="field"/>.</summary>
    public NirImportException(string node, string field, string problem)
        : base($"NIR node '{node}', field '{field}': {problem}")
    {
        Node = node;
        Field = field;
    }

    /// <summary>The node.</summary>
    public string Node { get; }

    /// <summary>The field.</summary>
    public string Field { get; }
}
