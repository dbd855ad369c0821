using System;
using System.Collections.Generic;
using System.Linq;

namespace SnnDsl.Export.Hdf5;

/// <summary>A dataset: element type, shape and storage are parsed when the file is opened, the data when <see cref="Read"/> asks.</summary>
internal sealed class Hdf5Dataset : Hdf5Object
{
    private readonly Hdf5File _file;
    private readonly Storage _storage;
    private readonly List<(int Id, bool Optional, uint[] Parameters)> _filters = new();

    internal Hdf5Dataset(Hdf5File file, string path, string name, List<Hdf5File.Message> messages, IReadOnlyList<Hdf5Attribute> attributes)
        : base(path, name, attributes)
    {
        _file = file;
        Hdf5File.Message Single(Hdf5File.MessageType type, string what)
        {
            List<Hdf5File.Message> found = messages.FindAll(m => m.Type == type);
            if (found.Count != 1) throw file.Error(path, $"a dataset has {found.Count} {what} messages; it needs exactly one.");
            return found[0];
        }
        Type = Hdf5Type.Read(file, Single(Hdf5File.MessageType.Datatype, "datatype").Open(file, path, "datatype message"));
        Shape = Hdf5Space.Read(file, Single(Hdf5File.MessageType.Dataspace, "dataspace").Open(file, path, "dataspace message"));
        foreach (Hdf5File.Message m in messages.Where(m => m.Type == Hdf5File.MessageType.FilterPipeline)) ReadFilters(m.Open(file, path, "filter pipeline message"));
        _storage = Storage.Read(file, Single(Hdf5File.MessageType.Layout, "data layout").Open(file, path, "data layout message"), Shape?.Length ?? 0);
    }

    /// <summary>The element type.</summary>
    public Hdf5Type Type { get; }

    /// <summary>The shape (empty for a scalar), or null for a null dataspace (no value).</summary>
    public long[]? Shape { get; }

    /// <summary>Whether the data is chunked (and possibly filtered).</summary>
    public bool Chunked => _storage.Chunk is not null;

    /// <summary>Reads and decodes the data.</summary>
    /// <exception cref="Hdf5Exception">A null dataspace, truncated or corrupted storage, or an unsupported filter or chunk index.</exception>
    public Hdf5Value Read()
    {
        if (Shape is null) throw _file.Error(Path, "has a null dataspace (no value).");
        long count = Hdf5Space.Count(Shape);
        long bytes = count * Type.Size;
        byte[] raw = _storage.Chunk is null ? Contiguous(bytes) : Chunks(bytes);
        return new Hdf5Value(Type, Shape, Type.Decode(_file, Path, raw, count));
    }

    private byte[] Contiguous(long bytes)
    {
        if (_storage.Compact is { } compact)
        {
            if (compact.Length != bytes) throw _file.Error(Path, $"compact storage holds {compact.Length} bytes, but {bytes} are needed: corrupted.");
            return compact;
        }
        if (bytes == 0) return new byte[0];
        if (_storage.Address is not { } address) throw _file.Error(Path, "has no storage allocated (never written); fill values are not supported.");
        if (_storage.Size is { } size && size < bytes) throw _file.Error(Path, $"contiguous storage of {size} bytes is smaller than the {bytes} the dataset needs: corrupted.");
        return _file.At(Path, "contiguous data", address).Take(bytes, "data");
    }

    // ---- chunked storage ------------------------------------------------------------------------------------------

    private byte[] Chunks(long bytes)
    {
        long[] shape = Shape!;
        int rank = shape.Length;
        long[] chunk = _storage.Chunk!;
        if (chunk.Length != rank) throw _file.Error(Path, $"has {chunk.Length}-dimensional chunks for a {rank}-dimensional dataspace: corrupted.");
        if (rank == 0) throw _file.Error(Path, "is a chunked scalar: corrupted.");
        if (chunk.Any(d => d <= 0)) throw _file.Error(Path, "has a chunk dimension of 0: corrupted.");
        long chunkBytes = Type.Size;
        foreach (long d in chunk)
        {
            chunkBytes *= d;
            if (chunkBytes > int.MaxValue) throw _file.Error(Path, $"has chunks of ({string.Join(", ", chunk)}) elements, more than this reader holds: corrupted or too large.");
        }
        var output = new byte[bytes];
        if (bytes == 0) return output;
        if (_storage.Address is not { } address) return output;         // no chunk written: the fill value, 0
        var grid = new long[rank];
        for (int d = 0; d < rank; d++) grid[d] = (shape[d] + chunk[d] - 1) / chunk[d];
        long chunks = Hdf5Space.Count(grid);
        foreach ((long[] offset, long at, long size, uint mask) in ChunkList(address, chunks, chunkBytes, grid, chunk))
        {
            for (int d = 0; d < rank; d++)
            {
                if (offset[d] % chunk[d] != 0 || offset[d] >= shape[d])
                    throw _file.Error(Path, $"a chunk sits at offset ({string.Join(", ", offset)}), not on the chunk grid of ({string.Join(", ", chunk)}) inside ({string.Join(", ", shape)}): corrupted.");
            }
            byte[] stored = _file.At(Path, "chunk", at).Take(size, "chunk");
            byte[] data = Unfilter(stored, mask, chunkBytes);
            Place(data, offset, chunk, shape, output);
        }
        return output;
    }

    /// <summary>Every written chunk: its offset in elements, its address, its stored size and its filter mask.</summary>
    private IEnumerable<(long[] Offset, long Address, long Size, uint Mask)> ChunkList(long address, long chunks, long chunkBytes, long[] grid, long[] chunk)
    {
        long[] OffsetOf(long index)
        {
            var offset = new long[grid.Length];
            for (int d = grid.Length - 1; d >= 0; d--)
            {
                offset[d] = index % grid[d] * chunk[d];
                index /= grid[d];
            }
            return offset;
        }
        switch (_storage.Index)
        {
            case ChunkIndex.BTree:
                return BTreeChunks(address, chunk.Length, new HashSet<long>(), -1);
            case ChunkIndex.Single:
                return new[] { (OffsetOf(0), address, _storage.FilteredSize ?? chunkBytes, _storage.FilterMask) };
            case ChunkIndex.Implicit:
                return Enumerable.Range(0, checked((int)chunks)).Select(k => (OffsetOf(k), address + k * chunkBytes, chunkBytes, 0u));
            case ChunkIndex.FixedArray:
                return FixedArray(address, chunks).Select((e, k) => (OffsetOf(k), e.Address, e.Size ?? chunkBytes, e.Mask)).Where(e => e.Address >= 0);
            default:
                throw _file.Error(Path, $"uses the {_storage.Index} chunk index; this reader reads version-1 B-tree, single-chunk, implicit and fixed-array indices.");
        }
    }

    /// <summary>Version-1 B-tree of type 1: keys (size, filter mask, offsets), children chunks at level 0.</summary>
    private List<(long[], long, long, uint)> BTreeChunks(long address, int rank, HashSet<long> seen, int expectedLevel)
    {
        if (!seen.Add(address)) throw _file.Error(Path, "the chunk B-tree visits a node twice: corrupted.");
        Hdf5File.Cursor c = _file.At(Path, "chunk B-tree node", address);
        c.Signature("TREE");
        int type = c.U8();
        if (type != 1) throw _file.Error(Path, $"the chunk B-tree node has type {type}; a chunk index's is 1.");
        int level = c.U8();
        if (expectedLevel >= 0 && level != expectedLevel) throw _file.Error(Path, $"a chunk B-tree node has level {level} where {expectedLevel} was expected: corrupted.");
        int entries = c.U16();
        c.Address();
        c.Address();
        var result = new List<(long[], long, long, uint)>();
        for (int k = 0; k < entries; k++)
        {
            long size = c.U32();
            uint mask = c.U32();
            var offset = new long[rank];
            for (int d = 0; d < rank; d++) offset[d] = (long)c.Unsigned(8);
            c.Unsigned(8);                                                 // the element-size dimension, always 0
            long child = c.Address() ?? throw _file.Error(Path, "a chunk B-tree entry has no child address: corrupted.");
            if (level > 0) result.AddRange(BTreeChunks(child, rank, seen, level - 1));
            else result.Add((offset, child, size, mask));
        }
        return result;
    }

    /// <summary>Fixed-array chunk index (HDF5 spec III.H): header FAHD, data block FADB (unpaged).</summary>
    private List<(long Address, long? Size, uint Mask)> FixedArray(long address, long chunks)
    {
        Hdf5File.Cursor h = _file.At(Path, "fixed array header", address);
        long start = h.Position;
        h.Signature("FAHD");
        int version = h.U8();
        if (version != 0) throw _file.Error(Path, $"fixed array header version {version} is not supported.");
        int client = h.U8();
        int entrySize = h.U8();
        int pageBits = h.U8();
        long entries = h.Length();
        long? block = h.Address();
        h.VerifyChecksum(start);
        if (client is not (0 or 1)) throw _file.Error(Path, $"fixed array client {client} is not a chunk index.");
        int sizeBytes = entrySize - _file.OffsetSize - 4;
        if (client == 0 ? entrySize != _file.OffsetSize : sizeBytes is < 1 or > 8)
            throw _file.Error(Path, $"fixed array entries of {entrySize} bytes do not fit client {client}: corrupted.");
        if (entries != chunks) throw _file.Error(Path, $"the fixed array has {entries} entries for {chunks} chunks: corrupted.");
        if (pageBits < 40 && entries > 1L << pageBits)
            throw _file.Error(Path, $"has a paged fixed-array chunk index ({entries} chunks, pages of 2^{pageBits}); this reader reads unpaged fixed arrays (PureHDF writes those; the HDF5 library pages above 1024 chunks).");
        var result = new List<(long, long?, uint)>();
        if (block is null) return result;
        Hdf5File.Cursor b = _file.At(Path, "fixed array data block", block.Value);
        long blockStart = b.Position;
        b.Signature("FADB");
        b.U8();
        if (b.U8() != client) throw _file.Error(Path, "the fixed array data block's client differs from its header's: corrupted.");
        b.Address();
        (long, long?, uint) Entry()
        {
            long? a = b.Address();
            long? size = client == 1 ? (long)b.Unsigned(sizeBytes) : null;
            uint mask = client == 1 ? b.U32() : 0;
            return (a ?? -1, size, mask);
        }
        for (long k = 0; k < entries; k++) result.Add(Entry());
        b.VerifyChecksum(blockStart);
        return result;
    }

    private byte[] Unfilter(byte[] stored, uint mask, long chunkBytes)
    {
        byte[] data = stored;
        for (int f = _filters.Count - 1; f >= 0; f--)
        {
            if ((mask & (1u << f)) != 0) continue;                          // skipped when the chunk was written
            (int id, _, _) = _filters[f];
            switch (id)
            {
                case 1:
                    data = Hdf5File.Inflate(_file, Path, data, chunkBytes);
                    break;
                case 2:
                    data = Unshuffle(data, Type.Size);
                    break;
                case 3:
                    if (data.Length < 4) throw _file.Error(Path, "a Fletcher-32 filtered chunk is shorter than its checksum: corrupted.");
                    Array.Resize(ref data, data.Length - 4);
                    break;
                default:
                    throw _file.Error(Path, $"is compressed with HDF5 filter {id} ({FilterName(id)}); this reader implements deflate (1), shuffle (2) and Fletcher-32 (3).");
            }
        }
        if (data.LongLength < chunkBytes) throw _file.Error(Path, $"a chunk holds {data.LongLength} bytes after its filters, not {chunkBytes}: corrupted.");
        return data;
    }

    private static string FilterName(int id) => id switch
    {
        4 => "szip",
        5 => "n-bit",
        6 => "scale-offset",
        32000 => "LZF",
        32001 => "Blosc",
        32004 => "LZ4",
        32008 => "bitshuffle",
        32015 => "Zstandard",
        _ => "unknown",
    };

    /// <summary>Undoes the shuffle filter: byte b of element i was stored at b·n + i.</summary>
    private static byte[] Unshuffle(byte[] data, int size)
    {
        if (size <= 1) return data;
        int n = data.Length / size;
        var output = new byte[data.Length];
        for (int b = 0; b < size; b++)
            for (int i = 0; i < n; i++) output[i * size + b] = data[b * n + i];
        Array.Copy(data, n * size, output, n * size, data.Length - n * size);
        return output;
    }

    /// <summary>Copies a chunk's elements inside the dataset into the row-major output (edge chunks are clipped).</summary>
    private void Place(byte[] data, long[] offset, long[] chunk, long[] shape, byte[] output)
    {
        int rank = shape.Length, size = Type.Size;
        long run = Math.Min(chunk[rank - 1], shape[rank - 1] - offset[rank - 1]) * size;
        var index = new long[rank];                                          // position within the chunk, last dimension 0
        while (true)
        {
            long source = 0, target = 0;
            bool inside = true;
            for (int d = 0; d < rank; d++)
            {
                source = source * chunk[d] + index[d];
                target = target * shape[d] + offset[d] + index[d];
                inside &= offset[d] + index[d] < shape[d];
            }
            if (inside) Array.Copy(data, source * size, output, target * size, run);
            int k = rank - 2;
            while (k >= 0 && ++index[k] == chunk[k]) index[k--] = 0;
            if (k < 0) return;
        }
    }

    private void ReadFilters(Hdf5File.Cursor c)
    {
        int version = c.U8();
        int count = c.U8();
        if (version is not (1 or 2)) throw _file.Error(Path, $"filter pipeline message version {version} is not supported.");
        if (version == 1) c.Skip(6);
        for (int f = 0; f < count; f++)
        {
            int id = c.U16();
            int nameLength = version == 1 || id >= 256 ? c.U16() : 0;
            int flags = c.U16();
            int values = c.U16();
            c.Skip(version == 1 ? (nameLength + 7) / 8 * 8 : nameLength);
            var parameters = new uint[values];
            for (int k = 0; k < values; k++) parameters[k] = c.U32();
            if (version == 1 && values % 2 == 1) c.Skip(4);
            _filters.Add((id, (flags & 1) != 0, parameters));
        }
    }

    internal enum ChunkIndex
    {
        BTree,
        Single,
        Implicit,
        FixedArray,
        ExtensibleArray,
        BTree2,
    }

    /// <summary>Data layout message (HDF5 spec IV.A.2.i), versions 3 and 4.</summary>
    private sealed class Storage
    {
        public byte[]? Compact { get; private set; }

        public long? Address { get; private set; }

        public long? Size { get; private set; }

        public long[]? Chunk { get; private set; }

        public ChunkIndex Index { get; private set; }

        public long? FilteredSize { get; private set; }

        public uint FilterMask { get; private set; }

        public static Storage Read(Hdf5File file, Hdf5File.Cursor c, int rank)
        {
            var s = new Storage();
            int version = c.U8();
            if (version is not (3 or 4)) throw file.Error(c.Path, $"data layout message version {version} is not supported (3 and 4 are).");
            int layout = c.U8();
            switch (layout)
            {
                case 0:
                    s.Compact = c.Take(c.U16(), "compact data");
                    return s;
                case 1:
                    s.Address = c.Address();
                    s.Size = c.Length();
                    return s;
                case 2 when version == 3:
                    {
                        int dims = c.U8();
                        s.Address = c.Address();
                        s.Chunk = ChunkDims(file, c, dims, rank, 4);
                        s.Index = ChunkIndex.BTree;
                        return s;
                    }
                case 2:
                    {
                        int flags = c.U8();
                        int dims = c.U8();
                        int encoded = c.U8();
                        if (encoded is < 1 or > 8) throw file.Error(c.Path, $"chunk dimensions encoded in {encoded} bytes: corrupted.");
                        s.Chunk = ChunkDims(file, c, dims, rank, encoded);
                        int index = c.U8();
                        switch (index)
                        {
                            case 1:
                                s.Index = ChunkIndex.Single;
                                if ((flags & 2) != 0)
                                {
                                    s.FilteredSize = c.Length();
                                    s.FilterMask = c.U32();
                                }
                                break;
                            case 2:
                                s.Index = ChunkIndex.Implicit;
                                break;
                            case 3:
                                s.Index = ChunkIndex.FixedArray;
                                c.U8();                                                  // page bits, repeated in the header
                                break;
                            case 4:
                                throw file.Error(c.Path, "uses an extensible-array chunk index (a dataset with one unlimited dimension); this reader reads fixed-size datasets.");
                            case 5:
                                throw file.Error(c.Path, "uses a version-2 B-tree chunk index (a dataset with several unlimited dimensions); this reader reads fixed-size datasets.");
                            default:
                                throw file.Error(c.Path, $"has chunk index type {index}; 1–5 are defined: corrupted.");
                        }
                        s.Address = c.Address();
                        return s;
                    }
                case 3:
                    throw file.Error(c.Path, "is a virtual dataset (data in other files); this reader reads data stored in the file.");
                default:
                    throw file.Error(c.Path, $"has layout class {layout}; 0–3 are defined: corrupted.");
            }
        }

        /// <summary>The chunk's dimensions; the stored list has one more, the element size.</summary>
        private static long[] ChunkDims(Hdf5File file, Hdf5File.Cursor c, int dims, int rank, int bytes)
        {
            if (dims != rank + 1) throw file.Error(c.Path, $"chunks have {dims - 1} dimensions, the dataspace {rank}: corrupted.");
            var chunk = new long[rank];
            for (int d = 0; d < rank; d++) chunk[d] = (long)Math.Min(c.Unsigned(bytes), int.MaxValue);
            c.Unsigned(bytes);
            return chunk;
        }
    }
}
