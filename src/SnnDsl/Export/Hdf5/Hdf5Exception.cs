using System;
using System.IO;

namespace SnnDsl.Export.Hdf5;

/// <summary>
/// An HDF5 file cannot be read by <see cref="Hdf5File"/>: it is truncated or corrupted, or it uses a feature this
/// reader does not implement (the message names the file, the object and the structure or feature).
/// </summary>
internal sealed class Hdf5Exception : IOException
{
    /// <summary>A problem with <paramref name="objectPath"/> in <paramref name="file"/>.</summary>
    public Hdf5Exception(string file, string objectPath, string problem)
        : base($"HDF5 file '{file}', object '{objectPath}': {problem}")
    {
        FileName = file;
        ObjectPath = objectPath;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string FileName { get; }

    /// <summary>The object's path in the file ("/" for the file itself).</summary>
    public string ObjectPath { get; }

    /// <summary>What is wrong or unsupported.</summary>
    public string Problem { get; }
}
