using System;
using System.Text;

namespace SnnDsl.Generators.Nir;

/// <summary>
/// How a binary NIR file reaches the generator. The compiler hands AdditionalFiles to generators as decoded text only,
/// and refuses a binary file (CS2015: an HDF5 file always holds NUL bytes); a generator may not open files itself
/// (RS1035). So SnnDsl.targets (buildTransitive) replaces every <c>.nir</c> AdditionalFiles item, before the
/// compiler runs, by a text file in obj/ holding a header line naming the original file and the bytes in Base64; the
/// generator decodes that text back into the exact bytes. A <c>.nir</c> item that reaches the compiler unencoded (the
/// targets not imported) is reported, never read.
/// </summary>
internal static class NirAdditionalFile
{
    /// <summary>The first line's prefix; the original file's full path follows it.</summary>
    public const string Header = "SnnDsl NIR file, Base64 of ";

    /// <summary>The extension of the encoded file (the original name plus this).</summary>
    public const string Extension = ".snndsl-nir";

    /// <summary>The text SnnDsl.targets writes for <paramref name="bytes"/> of <paramref name="path"/> (76-character Base64 lines).</summary>
    public static string Encode(byte[] bytes, string path)
    {
        var text = new StringBuilder(Header).Append(path).Append('\n');
        string base64 = Convert.ToBase64String(bytes);
        for (int k = 0; k < base64.Length; k += 76) text.Append(base64, k, Math.Min(76, base64.Length - k)).Append('\n');
        return text.ToString();
    }

    /// <summary>The original path named by an encoded file's header, or null when <paramref name="text"/> is not one.</summary>
    public static string? OriginalPath(string text)
    {
        if (!text.StartsWith(Header, StringComparison.Ordinal)) return null;
        int end = text.IndexOf('\n');
        return (end < 0 ? text.Substring(Header.Length) : text.Substring(Header.Length, end - Header.Length)).TrimEnd('\r');
    }

    /// <summary>The bytes of an encoded file, or null when its Base64 is damaged.</summary>
    public static byte[]? Decode(string text)
    {
        int end = text.IndexOf('\n');
        if (end < 0) return null;
        try
        {
            return Convert.FromBase64String(text.Substring(end + 1));        // white space between lines is ignored
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
