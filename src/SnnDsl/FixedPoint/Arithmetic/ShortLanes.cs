using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SnnDsl.FixedPoint;

/// <summary>
/// Loads and stores of <c>short</c> states for the generated kernels of integer neurons (docs/fixed-point.md, "Neurons
/// declared in integer arithmetic"): a kernel computes on int lanes, as C# promotes a short to int, and stores back the
/// low 16 bits, which hold the whole value because every assignment to a short state has truncated it already.
/// </summary>
public static class ShortLanes
{
    /// <summary>16 shorts from <paramref name="source"/> + <paramref name="index"/>, sign-extended to 16 int lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Load512(ref short source, nuint index) =>
        Vector512.WidenLower(Vector256.LoadUnsafe(ref source, index).ToVector512Unsafe());

    /// <summary>8 shorts from <paramref name="source"/> + <paramref name="index"/>, sign-extended to 8 int lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load256(ref short source, nuint index) =>
        Vector256.WidenLower(Vector128.LoadUnsafe(ref source, index).ToVector256Unsafe());

    /// <summary>The low 16 bits of each of 16 int lanes, stored as shorts at <paramref name="destination"/> + <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<int> lanes, ref short destination, nuint index) =>
        Vector512.Narrow(lanes, lanes).GetLower().StoreUnsafe(ref destination, index);

    /// <summary>The low 16 bits of each of 8 int lanes, stored as shorts at <paramref name="destination"/> + <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<int> lanes, ref short destination, nuint index) =>
        Vector256.Narrow(lanes, lanes).GetLower().StoreUnsafe(ref destination, index);
}
