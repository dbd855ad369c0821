using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace SnnDsl.Export.Hdf5;

/// <summary>
/// A small HDF5 reader over the bytes of a file, for what NIR files use (HDF5 File Format Specification 3.0): superblock
/// versions 0–3; object headers version 1 and 2 (with continuation blocks); groups as symbol tables (version-1 B-tree
/// and local heap) or as compact link messages; dataspaces (scalar, simple, null); little-endian integers of 1, 2, 4 or
/// 8 bytes, IEEE floats of 4 or 8 bytes, fixed-length and variable-length strings (global heap); compact, contiguous and
/// chunked layouts (version-1 B-tree, single-chunk, implicit and unpaged fixed-array chunk indices) with the deflate, shuffle and
/// Fletcher-32 filters; compact attributes. Checksums of version-2 structures are verified. Anything else — or a
/// truncated or corrupted file — is an <see cref="Hdf5Exception"/> naming the object and the feature or structure; the
/// reader never indexes outside the file. Compiled into the runtime and, as linked source, into the generator
/// (netstandard2.0), which reads NIR files given as AdditionalFiles with it.
/// </summary>
internal sealed class Hdf5File
{
    private static readonly byte[] Signature = { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a };

    private readonly byte[] _bytes;
    private readonly Dictionary<long, byte[]> _globalHeaps = new();

    private Hdf5File(byte[] bytes, string name)
    {
        _bytes = bytes;
        Name = name;
        Root = null!;
    }

    /// <summary>The file name used in messages.</summary>
    public string Name { get; }

    /// <summary>The root group.</summary>
    public Hdf5Group Root { get; private set; }

    internal int OffsetSize { get; private set; }

    internal int LengthSize { get; private set; }

    private long _base;

    /// <summary>Parses the superblock and the group tree of <paramref name="bytes"/> (data is read when asked for).</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="name">The file's name or path, for messages.</param>
    /// <exception cref="Hdf5Exception">Not HDF5, truncated, corrupted, or a feature this reader does not implement.</exception>
    public static Hdf5File Open(byte[] bytes, string name)
    {
        if (bytes is null) throw new ArgumentNullException(nameof(bytes));
        var file = new Hdf5File(bytes, name);
        file.ReadSuperblock();
        return file;
    }

    internal Hdf5Exception Error(string path, string problem) => new(Name, path, problem);

    private void ReadSuperblock()
    {
        long at = -1;
        for (long candidate = 0; candidate + Signature.Length <= _bytes.Length; candidate = candidate == 0 ? 512 : candidate * 2)
        {
            bool match = true;
            for (int k = 0; k < Signature.Length && match; k++) match = _bytes[candidate + k] == Signature[k];
            if (match) { at = candidate; break; }
        }
        if (at < 0) throw Error("/", $"not an HDF5 file: no superblock signature at offset 0, 512, 1024, … ({_bytes.Length} bytes).");
        var c = new Cursor(this, "/", "superblock", at, _bytes.Length);
        c.Skip(8);
        int version = c.U8();
        long rootHeader;
        switch (version)
        {
            case 0:
            case 1:
                {
                    c.Skip(4);                                         // free-space, root symbol table, reserved, shared header versions
                    SetSizes(c.U8(), c.U8());
                    c.Skip(1 + 2 + 2 + 4 + (version == 1 ? 4 : 0));    // reserved, group K values, consistency flags, indexed-storage K
                    _base = c.Address() ?? 0;
                    c.Address();                                       // free-space info
                    c.Address();                                       // end of file
                    c.Address();                                       // driver info
                    c.Address();                                       // root entry: link name offset
                    rootHeader = c.Address() ?? throw Error("/", "the superblock's root group entry has no object header address.");
                    break;
                }
            case 2:
            case 3:
                {
                    SetSizes(c.U8(), c.U8());
                    var whole = new Cursor(this, "/", "superblock", at, _bytes.Length);
                    whole.Skip(12 + 4 * OffsetSize);
                    whole.VerifyChecksum(at);                          // before any address is trusted
                    c.Skip(1);                                         // consistency flags
                    _base = c.Address() ?? 0;
                    long? extension = c.Address();
                    c.Address();                                       // end of file
                    rootHeader = c.Address() ?? throw Error("/", "the superblock has no root group object header address.");
                    if (extension is not null) throw Error("/", "a superblock extension is not supported.");
                    break;
                }
            default:
                throw Error("/", $"superblock version {version} is not supported (versions 0–3 are).");
        }
        Root = (Hdf5Group)ReadObject("/", "", rootHeader, new HashSet<long>());
    }

    private void SetSizes(int offsets, int lengths)
    {
        if (offsets is not (2 or 4 or 8) || lengths is not (2 or 4 or 8))
            throw Error("/", $"the superblock gives {offsets}-byte offsets and {lengths}-byte lengths; 2, 4 or 8 are valid.");
        OffsetSize = offsets;
        LengthSize = lengths;
    }

    /// <summary>A cursor at <paramref name="address"/> (relative to the base address) for a structure of <paramref name="path"/>.</summary>
    internal Cursor At(string path, string structure, long address)
    {
        long absolute = _base + address;
        if (address < 0 || absolute >= _bytes.Length)
            throw Error(path, $"the {structure} address 0x{address:x} lies outside the file ({_bytes.Length} bytes): truncated or corrupted.");
        return new Cursor(this, path, structure, absolute, _bytes.Length);
    }

    internal byte[] Bytes => _bytes;

    // ---- objects --------------------------------------------------------------------------------------------------

    private Hdf5Object ReadObject(string path, string name, long header, HashSet<long> ancestors)
    {
        if (!ancestors.Add(header)) throw Error(path, "a hard link leads back to an enclosing group (a cycle).");
        try
        {
            List<Message> messages = ObjectHeader.Read(this, path, header);
            var attributes = new List<Hdf5Attribute>();
            foreach (Message m in messages)
            {
                if (m.Type == MessageType.Attribute) attributes.Add(Hdf5Attribute.Read(this, path, m));
                if (m.Type == MessageType.AttributeInfo) CheckCompactAttributes(path, m);
            }
            if (messages.Exists(m => m.Type == MessageType.Layout))
                return new Hdf5Dataset(this, path, name, messages, attributes);
            var children = new List<Hdf5Object>();
            foreach ((string childName, long address) in Links(path, messages))
                children.Add(ReadObject(path == "/" ? "/" + childName : path + "/" + childName, childName, address, ancestors));
            return new Hdf5Group(path, name, children, attributes);
        }
        finally
        {
            ancestors.Remove(header);
        }
    }

    private void CheckCompactAttributes(string path, Message m)
    {
        Cursor c = m.Open(this, path, "attribute info message");
        int version = c.U8();
        if (version != 0) throw Error(path, $"attribute info message version {version} is not supported.");
        int flags = c.U8();
        if ((flags & 1) != 0) c.Skip(2);
        if (c.Address() is not null) throw Error(path, "dense attribute storage (fractal heap) is not supported; this reader reads attributes stored in the object header.");
    }

    /// <summary>The links of a group in the order HDF5 lists them: a symbol table by name (B-tree order), link messages in header order.</summary>
    private List<(string Name, long Address)> Links(string path, List<Message> messages)
    {
        var links = new List<(string, long)>();
        foreach (Message m in messages)
        {
            switch (m.Type)
            {
                case MessageType.SymbolTable:
                    {
                        Cursor c = m.Open(this, path, "symbol table message");
                        long tree = c.Address() ?? throw Error(path, "the symbol table message has no B-tree address.");
                        long heap = c.Address() ?? throw Error(path, "the symbol table message has no local heap address.");
                        SymbolTable.Read(this, path, tree, heap, links);
                        break;
                    }
                case MessageType.LinkInfo:
                    {
                        Cursor c = m.Open(this, path, "link info message");
                        int version = c.U8();
                        if (version != 0) throw Error(path, $"link info message version {version} is not supported.");
                        int flags = c.U8();
                        if ((flags & 1) != 0) c.Skip(8);
                        if (c.Address() is not null) throw Error(path, "dense link storage (fractal heap) is not supported; this reader reads groups whose links are in the object header or in a symbol table.");
                        break;
                    }
                case MessageType.Link:
                    links.Add(ReadLink(path, m));
                    break;
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, _) in links)
            if (!seen.Add(name)) throw Error(path, $"two links are named '{name}'.");
        return links;
    }

    private (string, long) ReadLink(string path, Message m)
    {
        Cursor c = m.Open(this, path, "link message");
        int version = c.U8();
        if (version != 1) throw Error(path, $"link message version {version} is not supported.");
        int flags = c.U8();
        int type = (flags & 0x08) != 0 ? c.U8() : 0;
        if ((flags & 0x04) != 0) c.Skip(8);
        if ((flags & 0x10) != 0) c.Skip(1);
        long length = (long)c.Unsigned(1 << (flags & 3));
        string name = System.Text.Encoding.UTF8.GetString(c.Take(length, "link name"), 0, (int)length);
        if (type != 0) throw Error(path + "/" + name, $"is a {(type == 1 ? "soft" : type == 64 ? "external" : $"type-{type}")} link; this reader follows hard links only.");
        long address = c.Address() ?? throw Error(path + "/" + name, "the hard link has no object address.");
        return (name, address);
    }

    // ---- global heap ----------------------------------------------------------------------------------------------

    /// <summary>Object <paramref name="index"/> of the global heap collection at <paramref name="address"/> (variable-length data).</summary>
    internal byte[] GlobalHeapObject(string path, long address, uint index)
    {
        if (!_globalHeaps.TryGetValue(address, out byte[]? collection))
        {
            Cursor c = At(path, "global heap collection", address);
            c.Signature("GCOL");
            int version = c.U8();
            if (version != 1) throw Error(path, $"global heap collection version {version} is not supported.");
            c.Skip(3);
            long size = c.Length();
            if (size < 8 + 8 + LengthSize) throw Error(path, $"the global heap collection at 0x{address:x} claims {size} bytes, fewer than its header.");
            collection = At(path, "global heap collection", address).Take(size, "global heap collection");
            _globalHeaps[address] = collection;
        }
        var h = new Cursor(this, path, "global heap collection", 0, collection.Length, collection);
        h.Skip(8 + LengthSize);
        while (h.Remaining >= 8 + LengthSize)
        {
            int id = h.U16();
            h.Skip(6);
            long size = h.Length();
            if (id == 0) break;                                         // free space: the end of the objects
            byte[] data = h.Take(size, $"global heap object {id}");
            if (id == index) return data;
            h.Skip(Math.Min(h.Remaining, (8 - size % 8) % 8));
        }
        throw Error(path, $"global heap collection at 0x{address:x} has no object {index}: corrupted variable-length data.");
    }

    // ---- low level ------------------------------------------------------------------------------------------------

    internal enum MessageType
    {
        Nil = 0x00,
        Dataspace = 0x01,
        LinkInfo = 0x02,
        Datatype = 0x03,
        Layout = 0x08,
        FilterPipeline = 0x0B,
        Attribute = 0x0C,
        Continuation = 0x10,
        SymbolTable = 0x11,
        Link = 0x06,
        AttributeInfo = 0x15,
    }

    /// <summary>A header message: its type, flags and where its body lies.</summary>
    internal readonly struct Message
    {
        public Message(MessageType type, int flags, long start, int size)
        {
            Type = type;
            Flags = flags;
            Start = start;
            Size = size;
        }

        public MessageType Type { get; }

        public int Flags { get; }

        public long Start { get; }

        public int Size { get; }

        /// <summary>A cursor confined to the message body (a field running past it is reported as corruption).</summary>
        public Cursor Open(Hdf5File file, string path, string structure)
        {
            if ((Flags & 0x02) != 0) throw file.Error(path, $"the {structure} is shared (stored elsewhere in the file); shared messages are not supported.");
            return new Cursor(file, path, structure, Start, Start + Size);
        }
    }

    /// <summary>Jenkins' lookup3 hash (hashlittle, initial value 0): the checksum of HDF5's version-2 structures.</summary>
    internal static uint Lookup3(byte[] k, long offset, long length)
    {
        uint a, b, c;
        a = b = c = 0xdeadbeef + (uint)length;
        long i = offset;
        while (length > 12)
        {
            a += k[i] | (uint)k[i + 1] << 8 | (uint)k[i + 2] << 16 | (uint)k[i + 3] << 24;
            b += k[i + 4] | (uint)k[i + 5] << 8 | (uint)k[i + 6] << 16 | (uint)k[i + 7] << 24;
            c += k[i + 8] | (uint)k[i + 9] << 8 | (uint)k[i + 10] << 16 | (uint)k[i + 11] << 24;
            a -= c; a ^= Rot(c, 4); c += b;
            b -= a; b ^= Rot(a, 6); a += c;
            c -= b; c ^= Rot(b, 8); b += a;
            a -= c; a ^= Rot(c, 16); c += b;
            b -= a; b ^= Rot(a, 19); a += c;
            c -= b; c ^= Rot(b, 4); b += a;
            length -= 12;
            i += 12;
        }
        if (length == 0) return c;
        // The last 1–12 bytes, the missing ones zero.
        uint[] tail = new uint[12];
        for (int j = 0; j < length; j++) tail[j] = k[i + j];
        a += tail[0] | tail[1] << 8 | tail[2] << 16 | tail[3] << 24;
        b += tail[4] | tail[5] << 8 | tail[6] << 16 | tail[7] << 24;
        c += tail[8] | tail[9] << 8 | tail[10] << 16 | tail[11] << 24;
        c ^= b; c -= Rot(b, 14);
        a ^= c; a -= Rot(c, 11);
        b ^= a; b -= Rot(a, 25);
        c ^= b; c -= Rot(b, 16);
        a ^= c; a -= Rot(c, 4);
        b ^= a; b -= Rot(a, 14);
        c ^= b; c -= Rot(b, 24);
        return c;
    }

    private static uint Rot(uint x, int k) => (x << k) | (x >> (32 - k));

    /// <summary>A bounds-checked little-endian reader over a region of the file (or of a decoded buffer).</summary>
    internal sealed class Cursor
    {
        private readonly Hdf5File _file;
        private readonly byte[] _bytes;
        private readonly long _end;

        public Cursor(Hdf5File file, string path, string structure, long position, long end, byte[]? bytes = null)
        {
            _file = file;
            _bytes = bytes ?? file._bytes;
            Path = path;
            Structure = structure;
            Position = position;
            _end = Math.Min(end, _bytes.Length);
        }

        public string Path { get; }

        public string Structure { get; }

        public long Position { get; private set; }

        public long Remaining => _end - Position;

        private void Need(long count, string? field = null)
        {
            if (count < 0 || count > Remaining)
            {
                throw _file.Error(Path, _end == _bytes.Length && _bytes == _file._bytes
                    ? $"the {Structure} at 0x{Position:x} needs {count} more bytes{(field is null ? "" : $" for its {field}")}, but the file ends at {_bytes.Length}: truncated or corrupted."
                    : $"the {Structure} ends before its {field ?? "next field"} (needs {count} bytes at 0x{Position:x}, {Remaining} left): corrupted.");
            }
        }

        public void Skip(long count)
        {
            Need(count);
            Position += count;
        }

        public int U8()
        {
            Need(1);
            return _bytes[Position++];
        }

        public int U16() => (int)Unsigned(2);

        public uint U32() => (uint)Unsigned(4);

        public ulong Unsigned(int size)
        {
            Need(size);
            ulong v = 0;
            for (int k = size - 1; k >= 0; k--) v = (v << 8) | _bytes[Position + k];
            Position += size;
            return v;
        }

        /// <summary>An address (offset-size bytes); null for HDF5's undefined address (all ones).</summary>
        public long? Address()
        {
            int size = _file.OffsetSize;
            ulong v = Unsigned(size);
            ulong undefined = size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1;
            if (v == undefined) return null;
            if (v > (ulong)_file._bytes.Length) throw _file.Error(Path, $"the {Structure} holds the address 0x{v:x}, beyond the end of the file ({_file._bytes.Length} bytes): truncated or corrupted.");
            return (long)v;
        }

        /// <summary>A length (length-size bytes), checked to fit in the file.</summary>
        public long Length()
        {
            ulong v = Unsigned(_file.LengthSize);
            if (v > (ulong)_file._bytes.Length * 1024UL + (1UL << 20))
                throw _file.Error(Path, $"the {Structure} holds the length {v}, far beyond the size of the file: corrupted.");
            return (long)v;
        }

        public byte[] Take(long count, string field)
        {
            Need(count, field);
            byte[] result = new byte[count];
            Array.Copy(_bytes, Position, result, 0, count);
            Position += count;
            return result;
        }

        public void Signature(string expected)
        {
            Need(4, "signature");
            for (int k = 0; k < 4; k++)
            {
                if (_bytes[Position + k] != expected[k])
                    throw _file.Error(Path, $"no '{expected}' signature at 0x{Position:x} where the {Structure} should begin: corrupted.");
            }
            Position += 4;
        }

        /// <summary>Checks the lookup3 checksum that follows the bytes from <paramref name="start"/> to here.</summary>
        public void VerifyChecksum(long start)
        {
            long length = Position - start;
            uint computed = Lookup3(_bytes, start, length);
            uint stored = U32();
            if (stored != computed)
                throw _file.Error(Path, $"the {Structure}'s checksum is 0x{stored:x8}, but its bytes give 0x{computed:x8}: corrupted.");
        }
    }

    /// <summary>Object headers, versions 1 and 2, with their continuation blocks.</summary>
    private static class ObjectHeader
    {
        public static List<Message> Read(Hdf5File file, string path, long address)
        {
            var messages = new List<Message>();
            Cursor c = file.At(path, "object header", address);
            var blocks = new Queue<(long Start, long Length)>();
            var seen = new HashSet<long>();
            bool v2 = c.Remaining >= 4 && file._bytes[c.Position] == 'O' && file._bytes[c.Position + 1] == 'H' && file._bytes[c.Position + 2] == 'D' && file._bytes[c.Position + 3] == 'R';
            if (v2)
            {
                long start = c.Position;
                c.Skip(4);
                int version = c.U8();
                if (version != 2) throw file.Error(path, $"object header version {version} after 'OHDR' is not supported (2 is).");
                int flags = c.U8();
                if ((flags & 0x20) != 0) c.Skip(16);
                if ((flags & 0x10) != 0) c.Skip(4);
                long size = (long)c.Unsigned(1 << (flags & 3));
                long body = c.Position;
                c.Skip(size);
                c.VerifyChecksum(start);
                ReadMessages(file, path, body, body + size, v2: true, (flags & 0x04) != 0, messages, blocks);
                while (blocks.Count > 0)
                {
                    (long at, long length) = blocks.Dequeue();
                    if (!seen.Add(at)) throw file.Error(path, "object header continuation blocks form a loop: corrupted.");
                    Cursor k = file.At(path, "object header continuation block", at);
                    long begin = k.Position;
                    k.Signature("OCHK");
                    if (length < 8) throw file.Error(path, $"a continuation block of {length} bytes cannot hold its signature and checksum: corrupted.");
                    k.Skip(length - 8);
                    k.VerifyChecksum(begin);
                    ReadMessages(file, path, begin + 4, begin + length - 4, v2: true, (flags & 0x04) != 0, messages, blocks);
                }
            }
            else
            {
                int version = c.U8();
                if (version != 1) throw file.Error(path, $"no object header at 0x{address:x} (version byte {version}, no 'OHDR' signature): corrupted, or an unsupported header version.");
                c.Skip(1);
                c.U16();                                                 // number of messages
                c.U32();                                                 // reference count
                long size = c.U32();
                c.Skip(4);                                               // alignment padding
                long body = c.Position;
                c.Skip(size);
                ReadMessages(file, path, body, body + size, v2: false, false, messages, blocks);
                while (blocks.Count > 0)
                {
                    (long at, long length) = blocks.Dequeue();
                    if (!seen.Add(at)) throw file.Error(path, "object header continuation blocks form a loop: corrupted.");
                    Cursor k = file.At(path, "object header continuation block", at);
                    k.Skip(length);
                    ReadMessages(file, path, k.Position - length, k.Position, v2: false, false, messages, blocks);
                }
            }
            return messages;
        }

        private static void ReadMessages(Hdf5File file, string path, long start, long end, bool v2, bool creationOrder, List<Message> messages, Queue<(long, long)> blocks)
        {
            var c = new Cursor(file, path, "object header", start, end);
            int headerSize = v2 ? 4 + (creationOrder ? 2 : 0) : 8;
            while (c.Remaining >= headerSize)
            {
                int type = v2 ? c.U8() : c.U16();
                int size = c.U16();
                int flags = c.U8();
                if (v2) { if (creationOrder) c.Skip(2); }
                else c.Skip(3);
                long body = c.Position;
                if (size > c.Remaining) throw file.Error(path, $"header message type 0x{type:x} at 0x{body:x} claims {size} bytes, but its block has {c.Remaining} left: corrupted.");
                c.Skip(size);
                if (type == (int)MessageType.Continuation)
                {
                    var k = new Cursor(file, path, "continuation message", body, body + size);
                    long at = k.Address() ?? throw file.Error(path, "a continuation message has no address.");
                    blocks.Enqueue((at, k.Length()));
                    continue;
                }
                if ((flags & 0x80) != 0 && !Enum.IsDefined(typeof(MessageType), type))
                    throw file.Error(path, $"header message type 0x{type:x} must be understood to read this object, and this reader does not implement it.");
                messages.Add(new Message((MessageType)type, flags, body, size));
            }
        }
    }

    /// <summary>Old-style groups: a version-1 B-tree (type 0) of symbol table nodes whose names are in a local heap.</summary>
    private static class SymbolTable
    {
        public static void Read(Hdf5File file, string path, long tree, long heap, List<(string, long)> links)
        {
            Cursor h = file.At(path, "local heap", heap);
            h.Signature("HEAP");
            int version = h.U8();
            if (version != 0) throw file.Error(path, $"local heap version {version} is not supported.");
            h.Skip(3);
            long size = h.Length();
            h.Length();                                                   // free list
            long data = h.Address() ?? throw file.Error(path, "the local heap has no data segment.");
            byte[] names = file.At(path, "local heap data segment", data).Take(size, "local heap data segment");
            Node(file, path, tree, names, links, expectedLevel: -1, new HashSet<long>());
        }

        private static void Node(Hdf5File file, string path, long address, byte[] names, List<(string, long)> links, int expectedLevel, HashSet<long> seen)
        {
            if (!seen.Add(address)) throw file.Error(path, "the group's B-tree visits a node twice: corrupted.");
            Cursor c = file.At(path, "group B-tree node", address);
            c.Signature("TREE");
            int type = c.U8();
            if (type != 0) throw file.Error(path, $"the group's B-tree node has type {type}; a group's is 0.");
            int level = c.U8();
            if (expectedLevel >= 0 && level != expectedLevel) throw file.Error(path, $"a group B-tree node has level {level} where {expectedLevel} was expected: corrupted.");
            int entries = c.U16();
            c.Address();
            c.Address();
            for (int k = 0; k < entries; k++)
            {
                c.Length();                                               // key: heap offset of the largest name below
                long child = c.Address() ?? throw file.Error(path, "a group B-tree entry has no child address: corrupted.");
                if (level > 0) Node(file, path, child, names, links, level - 1, seen);
                else SymbolNode(file, path, child, names, links);
            }
        }

        private static void SymbolNode(Hdf5File file, string path, long address, byte[] names, List<(string, long)> links)
        {
            Cursor c = file.At(path, "symbol table node", address);
            c.Signature("SNOD");
            int version = c.U8();
            if (version != 1) throw file.Error(path, $"symbol table node version {version} is not supported.");
            c.Skip(1);
            int count = c.U16();
            for (int k = 0; k < count; k++)
            {
                long nameOffset = c.Length();
                long header = c.Address() ?? throw file.Error(path, "a symbol table entry has no object header address: corrupted.");
                c.Skip(4 + 4 + 16);                                       // cache type, reserved, scratch pad
                if (nameOffset >= names.Length) throw file.Error(path, $"a symbol table entry names heap offset {nameOffset}, beyond the heap's {names.Length} bytes: corrupted.");
                int end = Array.IndexOf(names, (byte)0, (int)nameOffset);
                if (end < 0) throw file.Error(path, "a link name in the local heap is not terminated: corrupted.");
                links.Add((System.Text.Encoding.UTF8.GetString(names, (int)nameOffset, end - (int)nameOffset), header));
            }
        }
    }

    // ---- data -----------------------------------------------------------------------------------------------------

    /// <summary>Decodes a deflate (zlib) stream into exactly <paramref name="expected"/> bytes.</summary>
    internal static byte[] Inflate(Hdf5File file, string path, byte[] input, long expected)
    {
        if (input.Length < 2 || (input[0] & 0x0f) != 8 || ((input[0] << 8) | input[1]) % 31 != 0)
            throw file.Error(path, "a deflate-filtered chunk does not start with a zlib header: corrupted.");
        var output = new byte[expected];
        try
        {
            using var stream = new DeflateStream(new MemoryStream(input, 2, input.Length - 2), CompressionMode.Decompress);
            int total = 0;
            while (total < expected)
            {
                int read = stream.Read(output, total, (int)(expected - total));
                if (read == 0) break;
                total += read;
            }
            if (total < expected) throw file.Error(path, $"a deflate-filtered chunk decodes to {total} bytes, not the chunk's {expected}: corrupted.");
        }
        catch (InvalidDataException e)
        {
            throw file.Error(path, $"a deflate-filtered chunk is not valid deflate data ({e.Message}): corrupted.");
        }
        return output;
    }
}
