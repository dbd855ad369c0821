using System.Reflection;

namespace SnnDsl.Export;

/// <summary>
/// The native model file (<c>.snnm</c>): a network's declaration with its fingerprint, and every tensor it has —
/// connection weights, sparse patterns (indices and per-synapse delays), neuron and synapse parameters, biases — in a
/// versioned binary container with a SHA-256 checksum (layout in docs/exports.md). Saving is atomic: the file is
/// written beside the target, flushed to disk and renamed over it. Loading checks everything — signature, length,
/// checksum, version, declaration, every tensor's type and shape, sparse indices — before it writes anything, so a
/// failed load leaves the network exactly as it was.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this library writes, and the newest it reads.</summary>
    public const int FormatVersion = SnnFileFormat.Version;

    /// <summary>Saves every tensor of <paramref name="network"/> with its declaration to <paramref name="path"/>, atomically.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="metadata">Optional key/value pairs stored with the model (e.g. the data set, the accuracy).</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static void Save(ISpikingNetwork network, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        Write(path, network.Descriptor, NetworkTensors.Collect(network), metadata);
    }

    /// <summary>
    /// Writes a model file for a declaration from tensors (what <see cref="NetworkTensors.Collect"/> yields; the NIR
    /// importer uses it to write the model of a declaration it generated, before anything is compiled).
    /// </summary>
    /// <exception cref="ArgumentException">The tensors do not fit the declaration (the message lists every problem).</exception>
    public static void Write(string path, NetworkDescriptor declaration, IReadOnlyList<StoredTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentNullException.ThrowIfNull(tensors);
        IReadOnlyList<string> problems = NetworkTensors.Problems(declaration, tensors);
        if (problems.Count > 0)
            throw new ArgumentException($"The tensors do not fit network '{declaration.Name}': {string.Join("; ", problems)}.", nameof(tensors));
        SnnFileFormat.Write(path, SnnFileFormat.ModelKind, declaration, WithWriter(metadata), tensors.Where(t => NetworkTensors.IsModelTensor(t.Name)).ToList());
    }

    /// <summary>
    /// Loads a model file (or the model part of a checkpoint) into <paramref name="network"/>. Nothing changes unless
    /// every check passes.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileCorruptedException">Not a model file, truncated, bad checksum, malformed or out-of-range data.</exception>
    /// <exception cref="ModelFileVersionException">Written by a newer format version.</exception>
    /// <exception cref="ModelMismatchException">Saved from a different declaration (every difference is named).</exception>
    public static void Load(ISpikingNetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        SnnFileContents contents = SnnFileFormat.Read(path);
        CheckFits(network, contents);
        NetworkTensors.Apply(network, contents.Tensors.Where(t => NetworkTensors.IsModelTensor(t.Name)));
    }

    /// <summary>Reads and checks a model file or checkpoint without loading it into a network (for inspection and export).</summary>
    /// <exception cref="ModelFileCorruptedException">Not a model file, truncated, bad checksum or malformed.</exception>
    /// <exception cref="ModelFileVersionException">Written by a newer format version.</exception>
    public static SnnFileContents Read(string path)
    {
        SnnFileContents contents = SnnFileFormat.Read(path);
        IReadOnlyList<string> problems = NetworkTensors.Problems(contents.Declaration, contents.Tensors);
        if (problems.Count > 0)
            throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: its tensors do not fit its own declaration: {string.Join("; ", problems)}.");
        return contents;
    }

    /// <summary>Throws unless the file's declaration and tensors fit the network.</summary>
    internal static void CheckFits(ISpikingNetwork network, SnnFileContents contents)
    {
        NetworkDescriptor declaration = network.Descriptor;
        if (!NetworkDeclaration.Fingerprint(declaration).AsSpan().SequenceEqual(contents.Fingerprint.ToArray()))
            throw new ModelMismatchException(contents.Path, declaration.Name,
                NetworkDeclaration.Differences(declaration, contents.Declaration, $"network '{declaration.Name}'", $"'{contents.Path}'"));
        IReadOnlyList<string> problems = NetworkTensors.Problems(declaration, contents.Tensors);
        if (problems.Count > 0)
            throw new ModelFileCorruptedException(contents.Path, $"'{contents.Path}' is corrupted: {string.Join("; ", problems)}.");
    }

    internal static IReadOnlyDictionary<string, string> WithWriter(IReadOnlyDictionary<string, string>? metadata)
    {
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>());
        all.TryAdd("writer", "SnnDsl " + (typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown"));
        return all;
    }
}
