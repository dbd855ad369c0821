using System.Collections.Immutable;
using System.Globalization;

namespace SnnDsl.Tests.Reference;

/// <summary>
/// The dynamics IR of docs/ir.md as an immutable tree, read from and printed back to its S-expression text form.
/// Written apart from the generator's own IR on purpose: the reference must not share the code it checks.
/// </summary>
public static class Ir
{
    /// <summary>A float-valued expression.</summary>
    public abstract record Expr
    {
        /// <summary>The S-expression text.</summary>
        public sealed override string ToString() => Print(this);
    }

    /// <summary>A float literal.</summary>
    public sealed record Number(float Value) : Expr;

    /// <summary><c>(state NAME)</c>: the latest value of a state variable.</summary>
    public sealed record State(string Name) : Expr;

    /// <summary><c>(param NAME)</c>: a neuron parameter, or a surrogate parameter inside a derivative.</summary>
    public sealed record Param(string Name) : Expr;

    /// <summary><c>(local NAME)</c>: a float local of the same body.</summary>
    public sealed record Local(string Name) : Expr;

    /// <summary><c>(input NAME)</c>: a named input — a port of <c>Integrate</c>, or a parameter of a synapse's <c>Deliver</c>.</summary>
    public sealed record Input(string Name) : Expr;

    /// <summary><c>(arg)</c>: the argument x of a surrogate's <c>Derivative(float x)</c>.</summary>
    public sealed record Arg : Expr;

    /// <summary><c>(neg e)</c>.</summary>
    public sealed record Negate(Expr Operand) : Expr;

    /// <summary><c>(+ a b)</c>, <c>(- a b)</c>, <c>(* a b)</c>, <c>(/ a b)</c>.</summary>
    public sealed record Binary(BinaryOp Op, Expr Left, Expr Right) : Expr;

    /// <summary><c>(select cond a b)</c>: cond ? a : b.</summary>
    public sealed record Select(Cond Condition, Expr WhenTrue, Expr WhenFalse) : Expr;

    /// <summary><c>(call FN a)</c> or <c>(call FN a b)</c>; <see cref="Second"/> is set exactly when <see cref="Arity"/> is 2.</summary>
    public sealed record Call(Function Function, Expr First, Expr? Second = null) : Expr;

    /// <summary>A boolean condition.</summary>
    public abstract record Cond
    {
        /// <summary>The S-expression text.</summary>
        public sealed override string ToString() => Print(this);
    }

    /// <summary><c>(&lt; a b)</c>, <c>(&lt;= a b)</c>, <c>(&gt; a b)</c>, <c>(&gt;= a b)</c>, <c>(== a b)</c>, <c>(!= a b)</c>.</summary>
    public sealed record Compare(CompareOp Op, Expr Left, Expr Right) : Cond;

    /// <summary><c>(and a b)</c>.</summary>
    public sealed record And(Cond Left, Cond Right) : Cond;

    /// <summary><c>(or a b)</c>.</summary>
    public sealed record Or(Cond Left, Cond Right) : Cond;

    /// <summary><c>(not c)</c>.</summary>
    public sealed record Not(Cond Operand) : Cond;

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public sealed record Bool(bool Value) : Cond;

    /// <summary>A statement of <c>Integrate</c> or <c>Reset</c>.</summary>
    public abstract record Statement
    {
        /// <summary>The S-expression text.</summary>
        public sealed override string ToString() => Print(this);
    }

    /// <summary><c>(set-state NAME e)</c>.</summary>
    public sealed record SetState(string Name, Expr Value) : Statement;

    /// <summary><c>(set-local NAME e)</c>: declares or reassigns a float local.</summary>
    public sealed record SetLocal(string Name, Expr Value) : Statement;

    /// <summary><c>(block stmt*)</c>: statements in order. Equality compares the statements, not the array instance.</summary>
    public sealed record Block(ImmutableArray<Statement> Statements) : Statement
    {
        /// <summary>Structural equality.</summary>
        public bool Equals(Block? other) => other is not null && Statements.SequenceEqual(other.Statements);

        /// <summary>Hash of the statements.</summary>
        public override int GetHashCode() => Statements.Aggregate(0, (h, s) => HashCode.Combine(h, s));
    }

    /// <summary>Arithmetic operators.</summary>
    public enum BinaryOp { Add, Subtract, Multiply, Divide }

    /// <summary>The MathF functions of the IR.</summary>
    public enum Function { Exp, Log, Abs, Sqrt, Tanh, Max, Min, Pow }

    /// <summary>Comparison operators.</summary>
    public enum CompareOp { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual }

    /// <summary>Number of arguments of <paramref name="function"/>.</summary>
    public static int Arity(Function function) => function is Function.Max or Function.Min or Function.Pow ? 2 : 1;

    /// <summary>The operator's symbol in the text form.</summary>
    public static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The operator's symbol in the text form.</summary>
    public static string Symbol(CompareOp op) => op switch
    {
        CompareOp.Less => "<",
        CompareOp.LessOrEqual => "<=",
        CompareOp.Greater => ">",
        CompareOp.GreaterOrEqual => ">=",
        CompareOp.Equal => "==",
        CompareOp.NotEqual => "!=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    // ── Reading ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Reads an <c>expr</c> (a surrogate's <c>Derivative</c>).</summary>
    /// <exception cref="IrSyntaxException">The text is not exactly one expression.</exception>
    public static Expr ParseExpr(string text) => new Reader(text).Whole(r => r.Expr());

    /// <summary>Reads a <c>cond</c> (a neuron's <c>Fires</c>).</summary>
    /// <exception cref="IrSyntaxException">The text is not exactly one condition.</exception>
    public static Cond ParseCond(string text) => new Reader(text).Whole(r => r.Cond());

    /// <summary>Reads a <c>stmt</c>.</summary>
    /// <exception cref="IrSyntaxException">The text is not exactly one statement.</exception>
    public static Statement ParseStatement(string text) => new Reader(text).Whole(r => r.Statement());

    /// <summary>Reads a <c>(block …)</c> (a neuron's <c>Integrate</c> or <c>Reset</c>).</summary>
    /// <exception cref="IrSyntaxException">The text is not exactly one block.</exception>
    public static Block ParseBlock(string text) => new Reader(text).Whole(r => r.Block());

    // ── Printing ─────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>The text form; numbers in invariant culture, round-trip precision.</summary>
    public static string Print(Expr expr) => expr switch
    {
        Number n => n.Value.ToString("R", CultureInfo.InvariantCulture),
        State s => $"(state {s.Name})",
        Param p => $"(param {p.Name})",
        Local l => $"(local {l.Name})",
        Input i => $"(input {i.Name})",
        Arg => "(arg)",
        Negate n => $"(neg {Print(n.Operand)})",
        Binary b => $"({Symbol(b.Op)} {Print(b.Left)} {Print(b.Right)})",
        Select s => $"(select {Print(s.Condition)} {Print(s.WhenTrue)} {Print(s.WhenFalse)})",
        Call { Second: null } c => $"(call {c.Function} {Print(c.First)})",
        Call c => $"(call {c.Function} {Print(c.First)} {Print(c.Second)})",
        _ => throw new ArgumentOutOfRangeException(nameof(expr), expr.GetType().Name),
    };

    /// <summary>The text form.</summary>
    public static string Print(Cond cond) => cond switch
    {
        Compare c => $"({Symbol(c.Op)} {Print(c.Left)} {Print(c.Right)})",
        And a => $"(and {Print(a.Left)} {Print(a.Right)})",
        Or o => $"(or {Print(o.Left)} {Print(o.Right)})",
        Not n => $"(not {Print(n.Operand)})",
        Bool b => b.Value ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(cond), cond.GetType().Name),
    };

    /// <summary>The text form.</summary>
    public static string Print(Statement statement) => statement switch
    {
        SetState s => $"(set-state {s.Name} {Print(s.Value)})",
        SetLocal l => $"(set-local {l.Name} {Print(l.Value)})",
        Block b => "(block" + string.Concat(b.Statements.Select(s => " " + Print(s))) + ")",
        _ => throw new ArgumentOutOfRangeException(nameof(statement), statement.GetType().Name),
    };

    private static readonly Dictionary<string, BinaryOp> BinaryOps = Enum.GetValues<BinaryOp>().ToDictionary(Symbol);
    private static readonly Dictionary<string, CompareOp> CompareOps = Enum.GetValues<CompareOp>().ToDictionary(Symbol);
    private static readonly Dictionary<string, Function> Functions = Enum.GetValues<Function>().ToDictionary(f => f.ToString());

    /// <summary>Recursive descent over tokens '(' , ')' and atoms (maximal runs of other non-blank characters).</summary>
    private sealed class Reader
    {
        private readonly string _text;
        private readonly List<(string Text, int Position)> _tokens = [];
        private int _next;

        public Reader(string text)
        {
            _text = text;
            for (int i = 0; i < text.Length;)
            {
                if (char.IsWhiteSpace(text[i])) { i++; continue; }
                int start = i;
                if (text[i] is '(' or ')') i++;
                else while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')')) i++;
                _tokens.Add((text[start..i], start));
            }
        }

        public T Whole<T>(Func<Reader, T> read)
        {
            T result = read(this);
            if (_next < _tokens.Count) throw Error("end of text", _tokens[_next]);
            return result;
        }

        public Statement Statement()
        {
            Open("a statement");
            (string head, int position) = Atom("block, set-state or set-local");
            if (head == "block") return BlockBody();
            if (head is not ("set-state" or "set-local")) throw Error("block, set-state or set-local", (head, position));
            string name = Name();
            Expr value = Expr();
            Close();
            return head == "set-state" ? new SetState(name, value) : new SetLocal(name, value);
        }

        public Block Block()
        {
            Open("(block …)");
            (string head, int position) = Atom("block");
            return head == "block" ? BlockBody() : throw Error("block", (head, position));
        }

        private Block BlockBody()
        {
            var statements = ImmutableArray.CreateBuilder<Statement>();
            while (Peek() is { } next && next.Text != ")") statements.Add(Statement());
            Close();
            return new Block(statements.ToImmutable());
        }

        public Expr Expr()
        {
            (string text, int position) token = Take("an expression");
            if (token.text == ")") throw Error("an expression", token);
            if (token.text != "(")
            {
                return float.TryParse(token.text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                    ? new Number(value)
                    : throw Error("a number or '('", token);
            }
            const string heads = "state, param, local, input, arg, neg, +, -, *, /, select or call";
            (string head, int position) = Atom(heads);
            Expr result = head switch
            {
                "state" => new State(Name()),
                "param" => new Param(Name()),
                "local" => new Local(Name()),
                "input" => new Input(Name()),
                "arg" => new Arg(),
                "neg" => new Negate(Expr()),
                "select" => new Select(Cond(), Expr(), Expr()),
                "call" => CallBody(),
                _ when BinaryOps.TryGetValue(head, out BinaryOp op) => new Binary(op, Expr(), Expr()),
                _ => throw Error(heads, (head, position)),
            };
            Close();
            return result;
        }

        public Cond Cond()
        {
            (string text, int position) token = Take("a condition");
            if (token.text == ")") throw Error("a condition", token);
            if (token.text is "true" or "false") return new Bool(token.text == "true");
            if (token.text != "(") throw Error("true, false or '('", token);
            const string heads = "<, <=, >, >=, ==, !=, and, or or not";
            (string head, int position) = Atom(heads);
            Cond result = head switch
            {
                "and" => new And(Cond(), Cond()),
                "or" => new Or(Cond(), Cond()),
                "not" => new Not(Cond()),
                _ when CompareOps.TryGetValue(head, out CompareOp op) => new Compare(op, Expr(), Expr()),
                _ => throw Error(heads, (head, position)),
            };
            Close();
            return result;
        }

        private Call CallBody()
        {
            string names = string.Join(", ", Functions.Keys);
            (string name, int position) = Atom("a function (" + names + ")");
            if (!Functions.TryGetValue(name, out Function function)) throw Error("a function (" + names + ")", (name, position));
            Expr first = Expr();
            return Arity(function) == 2 ? new Call(function, first, Expr()) : new Call(function, first);
        }

        private string Name()
        {
            (string text, int position) token = Atom("a name");
            bool identifier = (char.IsLetter(token.text[0]) || token.text[0] == '_') && token.text.All(c => char.IsLetterOrDigit(c) || c == '_');
            return identifier ? token.text : throw Error("a name", token);
        }

        private (string, int) Atom(string expected)
        {
            (string text, int position) token = Take(expected);
            return token.text is "(" or ")" ? throw Error(expected, token) : token;
        }

        private void Open(string expected)
        {
            (string text, int position) token = Take(expected);
            if (token.text != "(") throw Error($"'(' starting {expected}", token);
        }

        private void Close()
        {
            (string text, int position) token = Take("')'");
            if (token.text != ")") throw Error("')'", token);
        }

        private (string Text, int Position)? Peek() => _next < _tokens.Count ? _tokens[_next] : null;

        private (string, int) Take(string expected) =>
            _next < _tokens.Count ? _tokens[_next++] : throw Error(expected, null);

        private IrSyntaxException Error(string expected, (string Text, int Position)? found)
        {
            int position = found?.Position ?? _text.Length;
            string what = found is { } f ? $"'{f.Text}'" : "the end of the text";
            return new IrSyntaxException(
                $"IR syntax error at position {position}: expected {expected}, found {what}.{Environment.NewLine}  {_text}{Environment.NewLine}  {new string(' ', position)}^",
                position);
        }
    }
}

/// <summary>Malformed IR text; <see cref="Position"/> is the character offset of the offending token.</summary>
public sealed class IrSyntaxException(string message, int position) : FormatException(message)
{
    /// <summary>Character offset of the offending token (the text length at an unexpected end).</summary>
    public int Position { get; } = position;
}
