namespace SnnDsl.Export;

/// <summary>
/// A model file or checkpoint could not be read or does not fit the network: the base of the specific errors below.
/// Nothing in memory has changed when it is thrown.
/// </summary>
public class ModelFileException : IOException
{
    /// <summary>An error about the file at <paramref name="path"/>.</summary>
    public ModelFileException(string path, string message, Exception? inner = null) : base(message, inner)
    {
        FilePath = path;
    }

    /// <summary>The file the error is about.</summary>
    public string FilePath { get; }
}

/// <summary>The file is not a model file or checkpoint, is truncated, fails its checksum, or holds malformed or out-of-range data.</summary>
public sealed class ModelFileCorruptedException : ModelFileException
{
    /// <summary>A corrupted file.</summary>
    public ModelFileCorruptedException(string path, string message, Exception? inner = null) : base(path, message, inner)
    {
    }
}

/// <summary>The file was written in a newer format version than this library reads.</summary>
public sealed class ModelFileVersionException : ModelFileException
{
    /// <summary>A file of format version <paramref name="fileVersion"/>.</summary>
    public ModelFileVersionException(string path, int fileVersion, int supportedVersion)
        : base(path, $"'{path}' is format version {fileVersion}; this SnnDsl reads versions up to {supportedVersion}. Update SnnDsl to read it.")
    {
        FileVersion = fileVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The version the file declares.</summary>
    public int FileVersion { get; }

    /// <summary>The newest version this library reads.</summary>
    public int SupportedVersion { get; }
}

/// <summary>The file's declaration (or a tensor's shape) differs from the network it is loaded into.</summary>
public sealed class ModelMismatchException : ModelFileException
{
    /// <summary>A mismatch, with one sentence per difference.</summary>
    public ModelMismatchException(string path, string network, IReadOnlyList<string> differences)
        : base(path, $"'{path}' was saved from a different declaration than network '{network}': {string.Join("; ", differences)}.")
    {
        Differences = differences;
    }

    /// <summary>What differs, one sentence each (layers, sizes, models, connections, delays, ports, biases, shapes).</summary>
    public IReadOnlyList<string> Differences { get; }
}
