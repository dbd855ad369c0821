namespace SnnDsl.FixedPoint;

/// <summary>
/// A network (or a parameter, a weight, a size) that the target profile cannot represent. The message names the population
/// or connection, the parameter and the limit, and — for a value — the nearest representable one.
/// </summary>
public sealed class ProfileLimitException : Exception
{
    /// <summary>An exception about <paramref name="owner"/>'s <paramref name="parameter"/>.</summary>
    public ProfileLimitException(string profile, string owner, string parameter, string message)
        : base($"{profile}: {owner}{(parameter.Length == 0 ? "" : "." + parameter)}: {message}")
    {
        Profile = profile;
        Owner = owner;
        Parameter = parameter;
    }

    /// <summary>The profile's name.</summary>
    public string Profile { get; }

    /// <summary>The population, connection or network concerned.</summary>
    public string Owner { get; }

    /// <summary>The parameter concerned (empty for a size or a structure).</summary>
    public string Parameter { get; }
}
