namespace SnnDsl.Export.Hardware;

/// <summary>
/// A quantized network that a hardware configuration cannot carry: the message names the target format, the violated
/// limit, the layer or connection and the value. Thrown before anything is written (no file is created or replaced).
/// </summary>
public sealed class HardwareLimitException : InvalidOperationException
{
    /// <summary>A violation of <paramref name="limit"/> by <paramref name="owner"/> with <paramref name="value"/>.</summary>
    /// <param name="target">The format and device, e.g. "netx (Loihi)" or "Xylo specification (XyloAudio2)".</param>
    /// <param name="limit">The limit, e.g. "netx weight range (mixed sign: even, −256…254)".</param>
    /// <param name="owner">The layer, connection or network concerned.</param>
    /// <param name="value">The offending value.</param>
    /// <param name="detail">What the limit means and how to meet it.</param>
    public HardwareLimitException(string target, string limit, string owner, string value, string detail)
        : base($"{target}: {owner}: {value} violates the limit '{limit}': {detail}")
    {
        Target = target;
        Limit = limit;
        Owner = owner;
        Value = value;
    }

    /// <summary>The format and device.</summary>
    public string Target { get; }

    /// <summary>The violated limit.</summary>
    public string Limit { get; }

    /// <summary>The layer, connection or network concerned.</summary>
    public string Owner { get; }

    /// <summary>The offending value (as text).</summary>
    public string Value { get; }
}
