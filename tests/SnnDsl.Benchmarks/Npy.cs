using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SnnDsl.Benchmarks;

/// <summary>
/// Minimal reader and writer of NumPy's .npy format (version 1.0, little-endian, C order) for float32 and uint8
/// arrays: how this benchmark exchanges data and gradients with the PyTorch peer.
/// </summary>
public static partial class Npy
{
    /// <summary>Reads a float32 array and its shape.</summary>
    public static (float[] Values, int[] Shape) ReadFloat32(string path) => Read(path, "<f4", 4, (bytes, n) =>
    {
        var values = new float[n];
        Buffer.BlockCopy(bytes, 0, values, 0, n * 4);
        return values;
    });

    /// <summary>Reads a uint8 array and its shape.</summary>
    public static (byte[] Values, int[] Shape) ReadUInt8(string path) => Read(path, "|u1", 1, (bytes, n) => bytes[..n]);

    /// <summary>Writes a float32 array atomically (temporary file, then rename).</summary>
    public static void WriteFloat32(string path, ReadOnlySpan<float> values, params int[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} values, but {values.Length} were given.", nameof(shape));
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write((byte)0x93);
            writer.Write("NUMPY"u8);
            writer.Write((byte)1);
            writer.Write((byte)0);
            writer.Write((ushort)header.Length);
            writer.Write(System.Text.Encoding.ASCII.GetBytes(header));
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static (T[] Values, int[] Shape) Read<T>(string path, string descr, int size, Func<byte[], int, T[]> convert)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 10 || file[0] != 0x93 || System.Text.Encoding.ASCII.GetString(file, 1, 5) != "NUMPY")
            throw new InvalidDataException($"'{path}' is not a .npy file.");
        int major = file[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(file, 8) : BitConverter.ToInt32(file, 8);
        int offset = major == 1 ? 10 : 12;
        string header = System.Text.Encoding.ASCII.GetString(file, offset, headerLength);
        if (!header.Contains($"'descr': '{descr}'"))
            throw new InvalidDataException($"'{path}' has header {header.Trim()}, expected dtype {descr}.");
        if (header.Contains("'fortran_order': True"))
            throw new InvalidDataException($"'{path}' is in Fortran order; write it C-contiguous.");
        int[] shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int count = shape.Aggregate(1, (a, b) => a * b);
        int start = offset + headerLength;
        if (file.Length - start != count * size)
            throw new InvalidDataException($"'{path}' holds {file.Length - start} data bytes, but shape [{string.Join(", ", shape)}] needs {count * size}.");
        return (convert(file[start..], count), shape);
    }

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
