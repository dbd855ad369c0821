using System;
using System.Globalization;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// How one SIMD width spells the IR's operations: the scalar tail uses float and MathF, the vector loops
/// Vector256/Vector512 and their static methods (Tanh and Pow, which the BCL lacks, come from SnnDsl.SimdMath).
/// One expression emitter serves all three widths. Every type is written with its global:: name, so that no name
/// a user declares (a state called <c>Vector512</c>, a type called <c>MathF</c>) can change what generated code means.
/// </summary>
internal sealed class SimdFlavor
{
    public static readonly SimdFlavor Scalar = new(null);
    public static readonly SimdFlavor Vector256 = new("Vector256");
    public static readonly SimdFlavor Vector512 = new("Vector512");

    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    public const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    public const string Span = "global::System.Span<float>";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

    private readonly string? _vector;

    private SimdFlavor(string? vector) => _vector = vector;

    public bool IsScalar => _vector is null;

    /// <summary>"Vector512" etc.; only for vector flavors.</summary>
    public string Name => _vector ?? throw new InvalidOperationException("The scalar flavor has no vector type.");

    /// <summary>The static class of the vector operations, e.g. global::System.Runtime.Intrinsics.Vector512.</summary>
    public string Vector => "global::System.Runtime.Intrinsics." + Name;

    /// <summary>Type of a float value: float or VectorN&lt;float&gt;.</summary>
    public string FloatType => _vector is null ? "float" : Vector + "<float>";

    /// <summary>Type of a condition: bool, or a lane mask VectorN&lt;float&gt;.</summary>
    public string MaskType => _vector is null ? "bool" : FloatType;

    public string Zero => _vector is null ? "0f" : FloatType + ".Zero";

    public string Splat(string scalar) => _vector is null ? scalar : $"{Vector}.Create({scalar})";

    public string Literal(float value) => Splat(FloatLiteral(value));

    public string Compare(CompareOp op, string left, string right) => _vector is null
        ? $"{left} {op.Symbol()} {right}"
        : op switch
        {
            CompareOp.Less => $"{Vector}.LessThan({left}, {right})",
            CompareOp.LessOrEqual => $"{Vector}.LessThanOrEqual({left}, {right})",
            CompareOp.Greater => $"{Vector}.GreaterThan({left}, {right})",
            CompareOp.GreaterOrEqual => $"{Vector}.GreaterThanOrEqual({left}, {right})",
            CompareOp.Equal => $"{Vector}.Equals({left}, {right})",
            CompareOp.NotEqual => $"~{Vector}.Equals({left}, {right})",
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };

    public string And(string left, string right) => _vector is null ? $"({left} && {right})" : $"({left} & {right})";

    public string Or(string left, string right) => _vector is null ? $"({left} || {right})" : $"({left} | {right})";

    public string Not(string operand) => _vector is null ? $"!({operand})" : $"~({operand})";

    public string Bool(bool value) => _vector is null ? (value ? "true" : "false") : $"{FloatType}.{(value ? "AllBitsSet" : "Zero")}";

    public string Select(string condition, string whenTrue, string whenFalse) => _vector is null
        ? $"({condition} ? {whenTrue} : {whenFalse})"
        : $"{Vector}.ConditionalSelect({condition}, {whenTrue}, {whenFalse})";

    public string Call(MathFunction function, string[] arguments)
    {
        string args = string.Join(", ", arguments);
        if (_vector is null) return $"global::System.MathF.{function}({args})";
        return function is MathFunction.Tanh or MathFunction.Pow
            ? $"global::SnnDsl.SimdMath.{function}({args})"
            : $"{Vector}.{function}({args})";
    }

    /// <summary>Element <paramref name="index"/> of the array <paramref name="reference"/> (a ref local) points into.</summary>
    public string Load(string reference, string index) => _vector is null
        ? $"{Unsafe}.Add(ref {reference}, {index})"
        : $"{Vector}.LoadUnsafe(ref {reference}, (uint){index})";

    public string Store(string value, string reference, string index) => _vector is null
        ? $"{Unsafe}.Add(ref {reference}, {index}) = {value};"
        : $"{Vector}.StoreUnsafe({value}, ref {reference}, (uint){index});";

    /// <summary>The lanes' spike bits of a mask, as a ulong to shift into the bit-packed raster word.</summary>
    public string SpikeBits(string mask) => this == Vector512
        ? $"{Vector}.ExtractMostSignificantBits({mask})"
        : $"(ulong){Vector}.ExtractMostSignificantBits({mask})";

    public static string FloatLiteral(float value)
    {
        if (float.IsNaN(value)) return "float.NaN";
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text + "f";
    }
}
