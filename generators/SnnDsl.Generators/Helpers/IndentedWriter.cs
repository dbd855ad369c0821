using System;
using System.Text;

namespace SnnDsl.Generators.Helpers;

/// <summary>Writes C# source with indentation; <see cref="Block"/> opens a brace block closed on dispose.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public IndentedWriter Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _depth * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes each line of a multi-line string at the current indentation.</summary>
    public IndentedWriter Lines(string text)
    {
        foreach (string line in text.Split('\n')) Line(line.TrimEnd('\r'));
        return this;
    }

    public Scope Block(string? header = null, string close = "}")
    {
        if (header is not null) Line(header);
        Line("{");
        _depth++;
        return new Scope(this, close);
    }

    public Scope Indent()
    {
        _depth++;
        return new Scope(this, null);
    }

    public override string ToString() => _text.ToString();

    internal readonly struct Scope : IDisposable
    {
        private readonly IndentedWriter _writer;
        private readonly string? _close;

        public Scope(IndentedWriter writer, string? close)
        {
            _writer = writer;
            _close = close;
        }

        public void Dispose()
        {
            _writer._depth--;
            if (_close is not null) _writer.Line(_close);
        }
    }
}
