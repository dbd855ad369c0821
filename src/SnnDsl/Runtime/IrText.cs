using System.Globalization;

namespace SnnDsl;

/// <summary>
/// A node of the dynamics IR's text form (docs/ir.md) read as a plain S-expression: an atom, or a list whose first
/// element is the head (<c>block</c>, <c>set-state</c>, <c>+</c>, <c>call</c>, …). <see cref="Text"/> is the node's
/// exact source text, so a message can quote the expression it is about.
/// </summary>
internal sealed class IrNode
{
    private IrNode(string text, string? atom, IrNode[] items)
    {
        Text = text;
        Atom = atom;
        Items = items;
    }

    /// <summary>The node's source text.</summary>
    public string Text { get; }

    /// <summary>The atom, or null for a list.</summary>
    public string? Atom { get; }

    /// <summary>The elements of a list (empty for an atom).</summary>
    public IrNode[] Items { get; }

    /// <summary>The head of a list, or null.</summary>
    public string? Head => Atom is null && Items.Length > 0 ? Items[0].Atom : null;

    /// <summary>Argument <paramref name="k"/> (1-based, after the head) of a list.</summary>
    public IrNode this[int k] => k < Items.Length
        ? Items[k]
        : throw new FormatException($"IR '{Text}' has no argument {k}.");

    /// <summary>The number of arguments after the head.</summary>
    public int Arguments => Math.Max(0, Items.Length - 1);

    /// <summary>A float literal, or null.</summary>
    public float? Number => Atom is not null && float.TryParse(Atom, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) ? value : null;

    /// <summary>Reads one S-expression that spans the whole text.</summary>
    /// <exception cref="FormatException">Unbalanced parentheses or trailing text.</exception>
    public static IrNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int position = 0;
        IrNode node = Read(text, ref position);
        SkipBlanks(text, ref position);
        if (position != text.Length) throw new FormatException($"IR '{text}' has text after position {position}.");
        return node;
    }

    private static IrNode Read(string text, ref int position)
    {
        SkipBlanks(text, ref position);
        if (position >= text.Length) throw new FormatException($"IR '{text}' ends where an expression is expected.");
        int start = position;
        if (text[position] == ')') throw new FormatException($"IR '{text}' has an unexpected ')' at position {position}.");
        if (text[position] != '(')
        {
            while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] is not ('(' or ')')) position++;
            string atom = text[start..position];
            return new IrNode(atom, atom, []);
        }
        position++;
        var items = new List<IrNode>();
        while (true)
        {
            SkipBlanks(text, ref position);
            if (position >= text.Length) throw new FormatException($"IR '{text}' lacks a ')' for the '(' at position {start}.");
            if (text[position] == ')') break;
            items.Add(Read(text, ref position));
        }
        position++;
        return new IrNode(text[start..position], null, items.ToArray());
    }

    private static void SkipBlanks(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
    }
}
