using SnnDsl.Generators.Helpers;

namespace SnnDsl.Generators.Model;

// A neuron declared directly in integer arithmetic: [State] int/short fields, Integrate(int input), Fires(), Reset()
// written in C# integer operations (Parsing/IntegerNeuronParser.cs), emitted as one vector step (Emit/IntegerNeuronEmitter.cs).
// The expressions are the integer IR (IntegerIr.cs) plus what C# integer code has beyond the chips' operations: every
// value is an int, arithmetic wraps at 32 bits (unchecked C#), and a cast to short is IntTruncate(…, 16).

/// <summary>a · b, the low 32 bits (C#'s unchecked int product).</summary>
internal sealed record IntMultiply(IntExpr Left, IntExpr Right) : IntExpr;

/// <summary>
/// Value &gt;&gt; Shift (arithmetic, so it floors), or &gt;&gt;&gt; (logical) where Logical. Shift reads only constants
/// and parameters, the same for every lane; C# uses its low 5 bits.
/// </summary>
internal sealed record IntShiftRightBy(IntExpr Value, IntExpr Shift, bool Logical = false) : IntExpr;

/// <summary>−Value, wrapping (−int.MinValue is int.MinValue).</summary>
internal sealed record IntNegate(IntExpr Value) : IntExpr;

/// <summary>~Value, the bitwise complement.</summary>
internal sealed record IntComplement(IntExpr Value) : IntExpr;

/// <summary>The bitwise operators &amp;, |, ^ on ints.</summary>
internal enum IntBitwiseOp { And, Or, Xor }

/// <summary>Left &amp; Right, Left | Right or Left ^ Right.</summary>
internal sealed record IntBitwise(IntBitwiseOp Op, IntExpr Left, IntExpr Right) : IntExpr;

/// <summary>Math.Min(Left, Right).</summary>
internal sealed record IntMin(IntExpr Left, IntExpr Right) : IntExpr;

/// <summary>Math.Max(Left, Right).</summary>
internal sealed record IntMax(IntExpr Left, IntExpr Right) : IntExpr;

/// <summary>
/// Math.Clamp(Value, Min, Max) with bounds that read only constants and parameters (Math.Clamp throws where Min &gt; Max;
/// the kernel checks that once per call).
/// </summary>
internal sealed record IntClampBetween(IntExpr Value, IntExpr Min, IntExpr Max) : IntExpr;

/// <summary>Condition ? WhenTrue : WhenFalse.</summary>
internal sealed record IntSelect(IntCondition Condition, IntExpr WhenTrue, IntExpr WhenFalse) : IntExpr;

/// <summary>A bool-valued expression over ints: a spike test, the condition of an if or of ?:.</summary>
internal abstract record IntCondition;

internal enum IntComparison { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual }

/// <summary>Left (op) Right.</summary>
internal sealed record IntCompare(IntComparison Op, IntExpr Left, IntExpr Right) : IntCondition;

/// <summary>Left &amp;&amp; Right (its operands have no side effects, so it is Left &amp; Right).</summary>
internal sealed record IntBoth(IntCondition Left, IntCondition Right) : IntCondition;

/// <summary>Left || Right.</summary>
internal sealed record IntEither(IntCondition Left, IntCondition Right) : IntCondition;

/// <summary>!Condition.</summary>
internal sealed record IntNot(IntCondition Condition) : IntCondition;

/// <summary>A statement of the integer dynamics, with its C# text (emitted as a comment).</summary>
internal abstract record IntStatement(string Source);

/// <summary>The declaration of a local of the method (read back with <see cref="IntState"/>).</summary>
internal sealed record IntLet(string Name, IntExpr Value, string Source) : IntStatement(Source);

/// <summary>An assignment to a state or a local.</summary>
internal sealed record IntSet(string Target, IntExpr Value, string Source) : IntStatement(Source);

/// <summary>if (Condition) Then else Else: in vector code each assignment selects its lanes.</summary>
internal sealed record IntIf(IntCondition Condition, EquatableArray<IntStatement> Then, EquatableArray<IntStatement> Else, string Source) : IntStatement(Source);

/// <summary>A state or parameter of an integer neuron: its name and its width (16 for short, 32 for int).</summary>
internal sealed record IntegerField(string Name, int Bits)
{
    public string TypeName => Bits == 16 ? "short" : "int";
}

/// <summary>
/// A [Neuron] declared in integer arithmetic: its states and parameters (int or short), the int ports of Integrate, and
/// its three methods as integer statements. Simulation only: no float model, no surrogate, no gradient.
/// </summary>
/// <param name="Fires">The spike test, null for a neuron that does not spike.</param>
/// <param name="Reset">The reset where the neuron fires, empty when there is none.</param>
/// <param name="StepName">The generated kernel's name: Step, suffixed where the user took the name.</param>
/// <param name="FiresSource">The firing condition as written, for the comments.</param>
internal sealed record IntegerNeuronModel(
    DeclaredType Type,
    EquatableArray<IntegerField> States,
    EquatableArray<IntegerField> Parameters,
    EquatableArray<string> Ports,
    EquatableArray<IntStatement> Integrate,
    IntCondition? Fires,
    string FiresSource,
    EquatableArray<IntStatement> Reset,
    string StepName)
{
    /// <summary>The Step kernel's span of a port: portInput for Integrate(int input).</summary>
    public static string PortSpan(string port) => "port" + char.ToUpperInvariant(port[0]) + port.Substring(1);
}
