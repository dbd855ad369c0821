using System.Globalization;

namespace SnnDsl.Export;

/// <summary>Element types of a stored tensor (the code is what a model file stores, one byte).</summary>
public enum TensorElementType : byte
{
    /// <summary>IEEE single precision, 4 bytes, little-endian.</summary>
    Float32 = 1,

    /// <summary>Signed 32-bit integer, little-endian.</summary>
    Int32 = 2,

    /// <summary>IEEE double precision, 8 bytes, little-endian.</summary>
    Float64 = 3,

    /// <summary>Signed 64-bit integer, little-endian.</summary>
    Int64 = 4,

    /// <summary>Unsigned byte.</summary>
    UInt8 = 5,
}

/// <summary>
/// A named tensor of a model file or checkpoint: element type, shape (row-major) and values. The values array is
/// <c>float[]</c>, <c>int[]</c>, <c>double[]</c>, <c>long[]</c> or <c>byte[]</c> by <see cref="ElementType"/>.
/// </summary>
public sealed class StoredTensor
{
    /// <summary>A tensor; the number of values must be the product of the shape.</summary>
    /// <exception cref="ArgumentException">The array does not match the element type or the shape.</exception>
    public StoredTensor(string name, long[] shape, Array values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        ElementType = values switch
        {
            float[] => TensorElementType.Float32,
            int[] => TensorElementType.Int32,
            double[] => TensorElementType.Float64,
            long[] => TensorElementType.Int64,
            byte[] => TensorElementType.UInt8,
            _ => throw new ArgumentException($"Tensor '{name}': {values.GetType().Name} is not a supported element array (float[], int[], double[], long[], byte[]).", nameof(values)),
        };
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension in {ShapeText(shape)}.", nameof(shape));
            count = checked(count * d);
        }
        if (count != values.Length)
            throw new ArgumentException($"Tensor '{name}' has shape {ShapeText(shape)} ({count} values) but {values.Length} values were given.", nameof(values));
        Name = name;
        Shape = (long[])shape.Clone();
        Values = values;
    }

    /// <summary>The tensor's name, e.g. <c>connection/Recurrent/weights</c>.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>The dimensions, row-major.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The values, flat.</summary>
    public Array Values { get; }

    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    public static int ElementSize(TensorElementType type) => type switch
    {
        TensorElementType.Float32 or TensorElementType.Int32 => 4,
        TensorElementType.Float64 or TensorElementType.Int64 => 8,
        TensorElementType.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    /// <summary>The values as <c>float[]</c>.</summary>
    /// <exception cref="InvalidOperationException">The tensor holds another element type.</exception>
    public float[] AsFloat32() => Values as float[] ?? throw new InvalidOperationException($"Tensor '{Name}' holds {ElementType}, not Float32.");

    /// <summary>The values as <c>int[]</c>.</summary>
    /// <exception cref="InvalidOperationException">The tensor holds another element type.</exception>
    public int[] AsInt32() => Values as int[] ?? throw new InvalidOperationException($"Tensor '{Name}' holds {ElementType}, not Int32.");

    /// <summary>The values as <c>double[]</c>.</summary>
    /// <exception cref="InvalidOperationException">The tensor holds another element type.</exception>
    public double[] AsFloat64() => Values as double[] ?? throw new InvalidOperationException($"Tensor '{Name}' holds {ElementType}, not Float64.");

    /// <summary>The values as <c>long[]</c>.</summary>
    /// <exception cref="InvalidOperationException">The tensor holds another element type.</exception>
    public long[] AsInt64() => Values as long[] ?? throw new InvalidOperationException($"Tensor '{Name}' holds {ElementType}, not Int64.");

    /// <summary>The values as <c>byte[]</c>.</summary>
    /// <exception cref="InvalidOperationException">The tensor holds another element type.</exception>
    public byte[] AsUInt8() => Values as byte[] ?? throw new InvalidOperationException($"Tensor '{Name}' holds {ElementType}, not UInt8.");

    /// <summary>The shape as text, e.g. <c>[700, 256]</c>.</summary>
    public static string ShapeText(IEnumerable<long> shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ElementType} {ShapeText(Shape)}";
}
