using System;
using System.Collections.Generic;
using System.Linq;

namespace SnnDsl.Export.Hdf5;

/// <summary>A group or dataset of an <see cref="Hdf5File"/>.</summary>
internal abstract class Hdf5Object
{
    protected Hdf5Object(string path, string name, IReadOnlyList<Hdf5Attribute> attributes)
    {
        Path = path;
        Name = name;
        Attributes = attributes;
    }

    /// <summary>The absolute path ("/" for the root).</summary>
    public string Path { get; }

    /// <summary>The link name ("" for the root).</summary>
    public string Name { get; }

    /// <summary>The attributes stored in the object header, in header order.</summary>
    public IReadOnlyList<Hdf5Attribute> Attributes { get; }
}

/// <summary>A group: its children in HDF5's listing order (by name for a symbol table, header order for link messages).</summary>
internal sealed class Hdf5Group : Hdf5Object
{
    public Hdf5Group(string path, string name, IReadOnlyList<Hdf5Object> children, IReadOnlyList<Hdf5Attribute> attributes)
        : base(path, name, attributes) => Children = children;

    /// <summary>The linked objects.</summary>
    public IReadOnlyList<Hdf5Object> Children { get; }

    /// <summary>A child by link name, or null.</summary>
    public Hdf5Object? Get(string name) => Children.FirstOrDefault(c => c.Name == name);
}

/// <summary>The element types this reader converts: little-endian integers, IEEE floats, strings.</summary>
internal enum Hdf5Class
{
    /// <summary>Fixed-point (integer), 1, 2, 4 or 8 bytes.</summary>
    Integer,

    /// <summary>IEEE floating point, 4 or 8 bytes.</summary>
    Float,

    /// <summary>Fixed-length or variable-length string.</summary>
    String,
}

/// <summary>An element type.</summary>
internal sealed class Hdf5Type
{
    private Hdf5Type(Hdf5Class type, int size, bool signed, bool variableLength, int padding)
    {
        Class = type;
        Size = size;
        Signed = signed;
        VariableLength = variableLength;
        Padding = padding;
    }

    /// <summary>Integer, float or string.</summary>
    public Hdf5Class Class { get; }

    /// <summary>Bytes per stored element (a variable-length string's is its heap reference).</summary>
    public int Size { get; }

    /// <summary>Whether an integer is signed.</summary>
    public bool Signed { get; }

    /// <summary>Whether a string is variable-length (in the global heap).</summary>
    public bool VariableLength { get; }

    /// <summary>A fixed-length string's padding: 0 null-terminated, 1 null-padded, 2 space-padded.</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    public override string ToString() => Class switch
    {
        Hdf5Class.Integer => (Signed ? "int" : "uint") + (8 * Size),
        Hdf5Class.Float => "float" + (8 * Size),
        _ => VariableLength ? "variable-length string" : $"string of {Size} bytes",
    };

    private static readonly string[] ClassNames =
        { "fixed-point", "floating-point", "time", "string", "bit field", "opaque", "compound", "reference", "enumerated", "variable-length", "array" };

    /// <summary>Parses a datatype message body (HDF5 spec IV.A.2.d).</summary>
    internal static Hdf5Type Read(Hdf5File file, Hdf5File.Cursor c)
    {
        int classAndVersion = c.U8();
        int type = classAndVersion & 0x0f, version = classAndVersion >> 4;
        int bits = c.U8() | c.U8() << 8 | c.U8() << 16;
        long size = c.U32();
        string Name(int t) => t < ClassNames.Length ? ClassNames[t] : $"class {t}";
        if (version is < 1 or > 3) throw file.Error(c.Path, $"datatype message version {version} is not supported.");
        switch (type)
        {
            case 0:
                {
                    if ((bits & 1) != 0) throw file.Error(c.Path, $"has a big-endian {size}-byte integer type; this reader reads little-endian data.");
                    int offset = c.U16(), precision = c.U16();
                    if (size is not (1 or 2 or 4 or 8) || offset != 0 || precision != 8 * size)
                        throw file.Error(c.Path, $"has an integer type of {size} bytes with {precision} bits at bit {offset}; 1, 2, 4 or 8 full bytes are supported.");
                    return new Hdf5Type(Hdf5Class.Integer, (int)size, (bits & 0x08) != 0, false, 0);
                }
            case 1:
                {
                    if ((bits & 0x41) != 0) throw file.Error(c.Path, $"has a big-endian or VAX {size}-byte float type; this reader reads little-endian IEEE floats.");
                    int offset = c.U16(), precision = c.U16();
                    int exponentAt = c.U8(), exponentBits = c.U8(), mantissaAt = c.U8(), mantissaBits = c.U8();
                    long bias = c.U32();
                    bool single = size == 4 && precision == 32 && exponentAt == 23 && exponentBits == 8 && mantissaBits == 23 && bias == 127;
                    bool dbl = size == 8 && precision == 64 && exponentAt == 52 && exponentBits == 11 && mantissaBits == 52 && bias == 1023;
                    if (offset != 0 || mantissaAt != 0 || !(single || dbl))
                        throw file.Error(c.Path, $"has a {size}-byte float type ({precision} bits, {exponentBits}-bit exponent); IEEE single and double precision are supported.");
                    return new Hdf5Type(Hdf5Class.Float, (int)size, true, false, 0);
                }
            case 3:
                if (size < 1) throw file.Error(c.Path, "has a fixed-length string type of 0 bytes: corrupted.");
                if ((bits & 0x0f) > 2) throw file.Error(c.Path, $"has a string type with padding {bits & 0x0f}; 0–2 are defined.");
                return new Hdf5Type(Hdf5Class.String, (int)size, false, false, bits & 0x0f);
            case 9:
                {
                    if ((bits & 0x0f) != 1) throw file.Error(c.Path, "has a variable-length sequence type; only variable-length strings are supported.");
                    if (size != 4 + file.OffsetSize + 4) throw file.Error(c.Path, $"has a variable-length string type of {size} bytes; a heap reference has {4 + file.OffsetSize + 4}.");
                    Read(file, c);                                               // base type: a character
                    return new Hdf5Type(Hdf5Class.String, (int)size, false, true, (bits >> 4) & 0x0f);
                }
            default:
                throw file.Error(c.Path, $"has a datatype of class {Name(type)}; this reader supports integers, floats and strings.");
        }
    }

    /// <summary>Converts <paramref name="count"/> stored elements to a typed array (float[], double[], long[], …, string[]).</summary>
    internal Array Decode(Hdf5File file, string path, byte[] data, long count)
    {
        if (data.LongLength < count * Size) throw file.Error(path, $"holds {data.LongLength} bytes for {count} elements of {Size} bytes: corrupted.");
        int n = checked((int)count);
        switch (Class)
        {
            case Hdf5Class.Float when Size == 4:
                {
                    var v = new float[n];
                    for (int k = 0; k < n; k++) v[k] = BitConverter.ToSingle(Ordered(data, 4 * k, 4), 0);
                    return v;
                }
            case Hdf5Class.Float:
                {
                    var v = new double[n];
                    for (int k = 0; k < n; k++) v[k] = BitConverter.Int64BitsToDouble((long)Little(data, 8 * k, 8));
                    return v;
                }
            case Hdf5Class.Integer:
                return (Size, Signed) switch
                {
                    (1, true) => Fill(n, k => (sbyte)data[k]),
                    (1, false) => Fill(n, k => data[k]),
                    (2, true) => Fill(n, k => (short)Little(data, 2 * k, 2)),
                    (2, false) => Fill(n, k => (ushort)Little(data, 2 * k, 2)),
                    (4, true) => Fill(n, k => (int)Little(data, 4 * k, 4)),
                    (4, false) => Fill(n, k => (uint)Little(data, 4 * k, 4)),
                    (8, true) => Fill(n, k => (long)Little(data, 8 * k, 8)),
                    _ => (Array)Fill(n, k => Little(data, 8 * k, 8)),
                };
            default:
                {
                    var v = new string[n];
                    for (int k = 0; k < n; k++) v[k] = VariableLength ? HeapString(file, path, data, k) : FixedString(data, k);
                    return v;
                }
        }
    }

    private static T[] Fill<T>(int n, Func<int, T> element)
    {
        var v = new T[n];
        for (int k = 0; k < n; k++) v[k] = element(k);
        return v;
    }

    private static ulong Little(byte[] data, int at, int size)
    {
        ulong v = 0;
        for (int k = size - 1; k >= 0; k--) v = (v << 8) | data[at + k];
        return v;
    }

    private static byte[] Ordered(byte[] data, int at, int size)
    {
        var b = new byte[size];
        Array.Copy(data, at, b, 0, size);
        if (!BitConverter.IsLittleEndian) Array.Reverse(b);
        return b;
    }

    private string FixedString(byte[] data, int k)
    {
        int start = k * Size, end = start + Size;
        if (Padding is 0 or 1)
        {
            int zero = Array.IndexOf(data, (byte)0, start, Size);
            if (zero >= 0) end = zero;
        }
        else
        {
            while (end > start && data[end - 1] == (byte)' ') end--;
        }
        return System.Text.Encoding.UTF8.GetString(data, start, end - start);
    }

    private string HeapString(Hdf5File file, string path, byte[] data, int k)
    {
        int at = k * Size;
        long length = (long)Little(data, at, 4);
        ulong address = Little(data, at + 4, file.OffsetSize);
        uint index = (uint)Little(data, at + 4 + file.OffsetSize, 4);
        ulong undefined = file.OffsetSize == 8 ? ulong.MaxValue : (1UL << (8 * file.OffsetSize)) - 1;
        if (length == 0 || address == undefined || address == 0) return "";
        if (address >= (ulong)file.Bytes.Length) throw file.Error(path, $"a variable-length string points at 0x{address:x}, beyond the end of the file: truncated or corrupted.");
        byte[] text = file.GlobalHeapObject(path, (long)address, index);
        if (length > text.Length) throw file.Error(path, $"a variable-length string of {length} bytes is stored in a heap object of {text.Length}: corrupted.");
        int end = (int)length;
        while (end > 0 && text[end - 1] == 0) end--;
        return System.Text.Encoding.UTF8.GetString(text, 0, end);
    }
}

/// <summary>A dataset's or attribute's value: its element type, shape (empty for a scalar) and elements, row-major.</summary>
internal sealed class Hdf5Value
{
    public Hdf5Value(Hdf5Type type, long[] shape, Array data)
    {
        Type = type;
        Shape = shape;
        Data = data;
    }

    /// <summary>The stored element type.</summary>
    public Hdf5Type Type { get; }

    /// <summary>Dimensions; empty for a scalar.</summary>
    public long[] Shape { get; }

    /// <summary>float[], double[], sbyte[]…ulong[] or string[], row-major.</summary>
    public Array Data { get; }

    /// <summary>The elements as doubles (exact for float32 and integers up to 2⁵³).</summary>
    public double[] Numbers()
    {
        var v = new double[Data.Length];
        for (int k = 0; k < v.Length; k++) v[k] = Convert.ToDouble(Data.GetValue(k), System.Globalization.CultureInfo.InvariantCulture);
        return v;
    }
}

/// <summary>Dataspace message (HDF5 spec IV.A.2.b): null, scalar or simple.</summary>
internal static class Hdf5Space
{
    /// <summary>The shape (empty for a scalar), or null for a null dataspace.</summary>
    public static long[]? Read(Hdf5File file, Hdf5File.Cursor c)
    {
        int version = c.U8();
        int rank = c.U8();
        int flags = c.U8();
        bool isNull = false;
        switch (version)
        {
            case 1:
                c.Skip(5);
                break;
            case 2:
                {
                    int type = c.U8();
                    if (type > 2) throw file.Error(c.Path, $"has dataspace type {type}; 0–2 are defined.");
                    isNull = type == 2;
                    break;
                }
            default:
                throw file.Error(c.Path, $"dataspace message version {version} is not supported.");
        }
        if (rank > 32) throw file.Error(c.Path, $"has a dataspace of rank {rank}; HDF5 allows at most 32.");
        var shape = new long[rank];
        for (int k = 0; k < rank; k++) shape[k] = c.Length();
        if ((flags & 1) != 0) for (int k = 0; k < rank; k++) c.Length();
        if (isNull) return null;
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
            if (count > int.MaxValue) throw file.Error(c.Path, $"has a dataspace of {string.Join(" × ", shape)} elements, more than this reader holds: corrupted or too large.");
        }
        return shape;
    }

    public static long Count(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>An attribute stored in an object header (HDF5 spec IV.A.2.m).</summary>
internal sealed class Hdf5Attribute
{
    private Hdf5Attribute(string name, Hdf5Value? value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary>The value, or null for a null dataspace.</summary>
    public Hdf5Value? Value { get; }

    internal static Hdf5Attribute Read(Hdf5File file, string path, Hdf5File.Message m)
    {
        Hdf5File.Cursor c = m.Open(file, path, "attribute message");
        int version = c.U8();
        if (version is < 1 or > 3) throw file.Error(path, $"attribute message version {version} is not supported.");
        int flags = c.U8();
        if ((flags & 3) != 0) throw file.Error(path, "an attribute with a shared datatype or dataspace is not supported.");
        int nameSize = c.U16(), typeSize = c.U16(), spaceSize = c.U16();
        if (version == 3) c.Skip(1);
        int Padded(int n) => version == 1 ? (n + 7) / 8 * 8 : n;
        byte[] nameBytes = c.Take(Padded(nameSize), "attribute name");
        int end = Array.IndexOf(nameBytes, (byte)0, 0, nameSize);
        string name = System.Text.Encoding.UTF8.GetString(nameBytes, 0, end < 0 ? nameSize : end);
        string where = path + " (attribute '" + name + "')";
        long typeAt = c.Position;
        c.Skip(Padded(typeSize));
        Hdf5Type type = Hdf5Type.Read(file, new Hdf5File.Cursor(file, where, "attribute datatype", typeAt, typeAt + typeSize));
        long spaceAt = c.Position;
        c.Skip(Padded(spaceSize));
        long[]? shape = Hdf5Space.Read(file, new Hdf5File.Cursor(file, where, "attribute dataspace", spaceAt, spaceAt + spaceSize));
        if (shape is null) return new Hdf5Attribute(name, null);
        long count = Hdf5Space.Count(shape);
        byte[] data = c.Take(count * type.Size, "attribute data");
        return new Hdf5Attribute(name, new Hdf5Value(type, shape, type.Decode(file, where, data, count)));
    }
}
