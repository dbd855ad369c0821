using System.Globalization;

namespace SnnDsl.Samples;

/// <summary>The samples' "--name value" options (linked into each sample project).</summary>
internal static class CommandLine
{
    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The float after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static float Float(string[] args, string name, float fallback) =>
        Value(args, name) is { } text ? float.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The text after <paramref name="name"/>, or null.</summary>
    public static string? Value(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
