using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SnnDsl.Data;

namespace SnnDsl.Export;

/// <summary>What a model file or checkpoint holds: its kind, version, declaration, metadata and tensors.</summary>
public sealed class SnnFileContents
{
    internal SnnFileContents(string path, string kind, int version, string declarationText, NetworkDescriptor declaration, byte[] fingerprint,
        IReadOnlyDictionary<string, string> metadata, IReadOnlyList<StoredTensor> tensors, long length)
    {
        Path = path;
        Kind = kind;
        FormatVersion = version;
        DeclarationText = declarationText;
        Declaration = declaration;
        Fingerprint = fingerprint;
        Metadata = metadata;
        Tensors = tensors;
        Length = length;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary><c>MODL</c> for a model file, <c>CKPT</c> for a training checkpoint.</summary>
    public string Kind { get; }

    /// <summary>The format version the file was written in.</summary>
    public int FormatVersion { get; }

    /// <summary>The canonical declaration text (see <see cref="NetworkDeclaration"/>).</summary>
    public string DeclarationText { get; }

    /// <summary>The declaration, parsed.</summary>
    public NetworkDescriptor Declaration { get; }

    /// <summary>The declaration's SHA-256 fingerprint (32 bytes).</summary>
    public IReadOnlyList<byte> Fingerprint { get; }

    /// <summary>Free-form key/value pairs (writer, time of writing, …).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Every tensor, in file order.</summary>
    public IReadOnlyList<StoredTensor> Tensors { get; }

    /// <summary>Size of the file in bytes.</summary>
    public long Length { get; }

    /// <summary>The tensor named <paramref name="name"/>, or null.</summary>
    public StoredTensor? Tensor(string name) => Tensors.FirstOrDefault(t => t.Name == name);
}

/// <summary>
/// The binary container of model files and checkpoints (docs/exports.md has the byte layout):
/// a 32-byte prefix (magic, kind, version, header length, payload length), the header (declaration, fingerprint,
/// metadata, tensor directory), the payload (tensor values) and a SHA-256 of everything before it. The prefix and the
/// trailing checksum keep their layout in every version, so a reader can tell a truncated, corrupted or newer file
/// apart before it interprets anything else.
/// </summary>
internal static class SnnFileFormat
{
    public const int Version = 1;
    public const string ModelKind = "MODL";
    public const string CheckpointKind = "CKPT";

    /// <summary>0x89 'S' 'N' 'N' CR LF 0x1A LF: non-ASCII first byte and line endings catch text-mode transfers, as PNG does.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'S', (byte)'N', (byte)'N', 0x0D, 0x0A, 0x1A, 0x0A];

    private const int PrefixLength = 32;
    private const int ChecksumLength = 32;

    public static void Write(string path, string kind, NetworkDescriptor declaration, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<StoredTensor> tensors)
    {
        var names = new HashSet<string>();
        foreach (StoredTensor t in tensors)
            if (!names.Add(t.Name)) throw new ArgumentException($"Tensor '{t.Name}' appears twice.", nameof(tensors));

        var header = new MemoryStream();
        var h = new BinaryWriter(header, System.Text.Encoding.UTF8);
        WriteString(h, NetworkDeclaration.ToText(declaration));
        h.Write(NetworkDeclaration.Fingerprint(declaration));
        h.Write(metadata.Count);
        foreach ((string key, string value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            WriteString(h, key);
            WriteString(h, value);
        }
        h.Write(tensors.Count);
        long offset = 0;
        foreach (StoredTensor t in tensors)
        {
            WriteString(h, t.Name);
            h.Write((byte)t.ElementType);
            h.Write(checked((byte)t.Shape.Count));
            foreach (long d in t.Shape) h.Write((ulong)d);
            long bytes = (long)t.Values.Length * StoredTensor.ElementSize(t.ElementType);
            h.Write((ulong)offset);
            h.Write((ulong)bytes);
            offset += bytes;
        }
        h.Flush();

        byte[] prefix = new byte[PrefixLength];
        Magic.CopyTo(prefix);
        System.Text.Encoding.ASCII.GetBytes(kind, prefix.AsSpan(8, 4));
        BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(12), Version);
        BinaryPrimitives.WriteUInt64LittleEndian(prefix.AsSpan(16), (ulong)header.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(prefix.AsSpan(24), (ulong)offset);

        AtomicFile.Write(path, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Emit(ReadOnlySpan<byte> bytes)
            {
                hash.AppendData(bytes);
                stream.Write(bytes);
            }
            Emit(prefix);
            Emit(header.GetBuffer().AsSpan(0, (int)header.Length));
            foreach (StoredTensor t in tensors) Emit(LittleEndianBytes(t.Values));
            stream.Write(hash.GetHashAndReset());
        });
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static ReadOnlySpan<byte> LittleEndianBytes(Array values)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Model files are written on little-endian machines.");
        return values switch
        {
            float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
            int[] i => MemoryMarshal.AsBytes(i.AsSpan()),
            double[] d => MemoryMarshal.AsBytes(d.AsSpan()),
            long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
            byte[] b => b,
            _ => throw new ArgumentException($"Unsupported array {values.GetType().Name}."),
        };
    }

    /// <summary>Reads and checks a whole file: magic, lengths, checksum, version, then the header and the tensors.</summary>
    public static SnnFileContents Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ModelFileException(path, $"'{path}' could not be read: {e.Message}", e);
        }

        ModelFileCorruptedException Corrupted(string problem) => new(path, $"'{path}' is corrupted: {problem}");
        if (file.Length < Magic.Length || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            if (file.Length < Magic.Length && Magic[..file.Length].SequenceEqual(file))
                throw Corrupted(FormattableString.Invariant($"it is truncated to {file.Length} bytes, inside the 8-byte signature."));
            throw new ModelFileCorruptedException(path, $"'{path}' is not an SnnDsl model file or checkpoint (its first bytes are not the SnnDsl signature).");
        }
        if (file.Length < PrefixLength)
            throw Corrupted(FormattableString.Invariant($"it is truncated to {file.Length} bytes, inside the {PrefixLength}-byte prefix."));
        string kind = System.Text.Encoding.ASCII.GetString(file, 8, 4);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12));
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(16));
        ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(24));
        if (headerLength > (ulong)file.Length || payloadLength > (ulong)file.Length)
            throw Corrupted(FormattableString.Invariant($"its prefix announces a {headerLength}-byte header and a {payloadLength}-byte payload, more than the {file.Length} bytes of the file (truncated or overwritten)."));
        long expected = PrefixLength + (long)headerLength + (long)payloadLength + ChecksumLength;
        if (file.Length < expected)
            throw Corrupted(FormattableString.Invariant($"it is truncated: {file.Length} bytes, but its prefix announces {expected} ({headerLength}-byte header, {payloadLength}-byte payload, 32-byte checksum)."));
        if (file.Length > expected)
            throw Corrupted(FormattableString.Invariant($"it has {file.Length - expected} bytes after the checksum; the prefix announces {expected} bytes in all."));
        byte[] checksum = SHA256.HashData(file.AsSpan(0, (int)(expected - ChecksumLength)));
        if (!checksum.AsSpan().SequenceEqual(file.AsSpan((int)(expected - ChecksumLength))))
            throw Corrupted("its SHA-256 checksum does not match its contents (bytes changed after writing).");
        if (version > Version) throw new ModelFileVersionException(path, (int)Math.Min(version, int.MaxValue), Version);
        if (version == 0) throw Corrupted("it declares format version 0.");
        if (kind is not (ModelKind or CheckpointKind))
            throw Corrupted($"its kind is '{kind}', neither '{ModelKind}' (model) nor '{CheckpointKind}' (checkpoint).");

        var reader = new SpanReader(file.AsMemory(PrefixLength, (int)headerLength), path);
        string declarationText = reader.String("declaration");
        byte[] fingerprint = reader.Bytes(32, "fingerprint").ToArray();
        NetworkDescriptor declaration;
        try
        {
            declaration = NetworkDeclaration.Parse(declarationText);
        }
        catch (FormatException e)
        {
            throw Corrupted("its declaration cannot be parsed: " + e.Message);
        }
        if (!NetworkDeclaration.Fingerprint(declaration).AsSpan().SequenceEqual(fingerprint))
            throw Corrupted("its stored fingerprint is not the SHA-256 of its declaration.");
        int metadataCount = reader.Count("metadata count");
        var metadata = new Dictionary<string, string>();
        for (int m = 0; m < metadataCount; m++) metadata[reader.String("metadata key")] = reader.String("metadata value");
        int tensorCount = reader.Count("tensor count");
        var tensors = new List<StoredTensor>(tensorCount);
        var payload = file.AsMemory(PrefixLength + (int)headerLength, (int)payloadLength);
        var names = new HashSet<string>();
        for (int k = 0; k < tensorCount; k++)
        {
            string name = reader.String("tensor name");
            byte type = reader.Byte($"element type of tensor '{name}'");
            if (!Enum.IsDefined((TensorElementType)type))
                throw Corrupted(FormattableString.Invariant($"tensor '{name}' has unknown element type code {type}."));
            int rank = reader.Byte($"rank of tensor '{name}'");
            var shape = new long[rank];
            long count = 1;
            for (int d = 0; d < rank; d++)
            {
                ulong dim = reader.UInt64($"shape of tensor '{name}'");
                if (dim > int.MaxValue) throw Corrupted(FormattableString.Invariant($"tensor '{name}' has dimension {dim}."));
                shape[d] = (long)dim;
                count = checked(count * (long)dim);
            }
            ulong offset = reader.UInt64($"offset of tensor '{name}'");
            ulong length = reader.UInt64($"length of tensor '{name}'");
            int size = StoredTensor.ElementSize((TensorElementType)type);
            if (length != (ulong)(count * size))
                throw Corrupted(FormattableString.Invariant($"tensor '{name}' has shape {StoredTensor.ShapeText(shape)} of {(TensorElementType)type} ({count * size} bytes) but {length} bytes are stored."));
            if (offset > payloadLength || length > payloadLength - offset)
                throw Corrupted(FormattableString.Invariant($"tensor '{name}' lies at bytes {offset}…{offset + length} of a {payloadLength}-byte payload."));
            if (!names.Add(name)) throw Corrupted($"tensor '{name}' appears twice.");
            tensors.Add(new StoredTensor(name, shape, ToArray((TensorElementType)type, payload.Span.Slice((int)offset, (int)length))));
        }
        if (!reader.AtEnd) throw Corrupted(FormattableString.Invariant($"its header has {reader.Remaining} bytes after the tensor directory."));
        return new SnnFileContents(path, kind, (int)version, declarationText, declaration, fingerprint, metadata, tensors, file.Length);
    }

    private static Array ToArray(TensorElementType type, ReadOnlySpan<byte> bytes) => type switch
    {
        TensorElementType.Float32 => MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
        TensorElementType.Int32 => MemoryMarshal.Cast<byte, int>(bytes).ToArray(),
        TensorElementType.Float64 => MemoryMarshal.Cast<byte, double>(bytes).ToArray(),
        TensorElementType.Int64 => MemoryMarshal.Cast<byte, long>(bytes).ToArray(),
        _ => bytes.ToArray(),
    };

    /// <summary>Bounds-checked little-endian reads of the header.</summary>
    private sealed class SpanReader(ReadOnlyMemory<byte> memory, string path)
    {
        private int _position;

        public bool AtEnd => _position == memory.Length;

        public int Remaining => memory.Length - _position;

        public ReadOnlySpan<byte> Bytes(int count, string what)
        {
            if (count < 0 || count > memory.Length - _position)
                throw new ModelFileCorruptedException(path, FormattableString.Invariant($"'{path}' is corrupted: its header ends inside the {what} (byte {_position} of {memory.Length})."));
            ReadOnlySpan<byte> span = memory.Span.Slice(_position, count);
            _position += count;
            return span;
        }

        public byte Byte(string what) => Bytes(1, what)[0];

        public ulong UInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, what));

        public int Count(string what)
        {
            int value = BinaryPrimitives.ReadInt32LittleEndian(Bytes(4, what));
            if (value < 0) throw new ModelFileCorruptedException(path, string.Create(CultureInfo.InvariantCulture, $"'{path}' is corrupted: negative {what} {value}."));
            return value;
        }

        public string String(string what)
        {
            int length = Count(what + " length");
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Bytes(length, what));
            }
            catch (DecoderFallbackException e)
            {
                throw new ModelFileCorruptedException(path, $"'{path}' is corrupted: the {what} is not valid UTF-8.", e);
            }
        }
    }
}
