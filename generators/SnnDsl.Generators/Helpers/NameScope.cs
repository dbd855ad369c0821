using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;

namespace SnnDsl.Generators.Helpers;

/// <summary>
/// Hands out the C# identifiers of one generated scope (a type's members, a method's locals) so that no two can
/// collide and none hides a name the user declared: the user's names are taken first, and every generated name gets
/// a numeric suffix when its preferred spelling is already taken. Identifiers that are C# keywords come back escaped
/// with '@'. Each key (a logical name such as "state:U") maps to one identifier for the life of the scope.
/// </summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken;
    private readonly Dictionary<string, string> _names;

    /// <param name="taken">Names that generated identifiers must avoid (the user's member names, the type's name).</param>
    public NameScope(IEnumerable<string> taken)
    {
        _taken = new HashSet<string>(taken);
        _names = new Dictionary<string, string>();
    }

    private NameScope(NameScope parent)
    {
        _taken = new HashSet<string>(parent._taken);
        _names = new Dictionary<string, string>(parent._names);
    }

    /// <summary>A scope nested in this one: it sees every name taken so far, and its own names do not leak back.</summary>
    public NameScope Nested() => new(this);

    /// <summary>The identifier of <paramref name="key"/>, claimed on first use from <paramref name="preferred"/>.</summary>
    public string this[string key, string preferred]
    {
        get
        {
            if (_names.TryGetValue(key, out string? name)) return name;
            name = Escape(Unique(preferred));
            _names[key] = name;
            return name;
        }
    }

    /// <summary>Claims the identifier of <paramref name="key"/> now, so that it gets its preferred spelling before later names.</summary>
    public void Claim(string key, string preferred) => _ = this[key, preferred];

    /// <summary>The identifier already claimed for <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">Nothing was claimed for it (a bug in an emitter).</exception>
    public string this[string key] => _names[key];

    /// <summary>Marks a name as taken without a key (e.g. a name the user declares in this scope).</summary>
    public void Take(string name) => _taken.Add(name);

    private string Unique(string preferred)
    {
        string candidate = preferred;
        for (int n = 1; !_taken.Add(candidate); n++) candidate = preferred + "_" + n;
        return candidate;
    }

    /// <summary>An identifier as C# source: keywords are escaped (a user may declare <c>@event</c>).</summary>
    public static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
