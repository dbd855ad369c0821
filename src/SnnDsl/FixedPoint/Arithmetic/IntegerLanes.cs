using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SnnDsl.FixedPoint;

/// <summary>
/// The integer operations of the generated chip kernels (<c>[FixedPoint(Chip.…)]</c>, docs/fixed-point.md), one overload
/// per SIMD width; every width gives the same bits as the scalar one, which computes as the reference simulators do
/// (<see cref="LoihiLif"/>, <see cref="XyloNeuron"/>, <see cref="SpiNNakerLif"/>, <see cref="FixedNeurons"/>).
/// </summary>
public static class IntegerLanes
{
    /// <summary>
    /// sign(P)·(|P| &gt;&gt; <paramref name="shift"/>) with P = x·<paramref name="factor"/> in 64 bits: a decay applied as a
    /// multiply and a right shift that truncates toward zero (Lava's <c>subthr_dynamics</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MultiplyShiftTowardZero(int x, int factor, int shift)
    {
        long product = (long)x * factor;
        long magnitude = Math.Abs(product) >> shift;
        return (int)(product < 0 ? -magnitude : magnitude);
    }

    /// <summary>
    /// <see cref="MultiplyShiftTowardZero(int, int, int)"/> on 16 lanes without 64-bit products: with |x| = h·2^s + l,
    /// (|x|·f) &gt;&gt; s = h·f + ((l·f) &gt;&gt; s) exactly, and both products fit in 32 bits when 0 ≤ f ≤ 2^s, s ≤ 15 and
    /// x &gt; int.MinValue (a chip state is far narrower).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MultiplyShiftTowardZero(Vector512<int> x, Vector512<int> factor, int shift)
    {
        Vector512<int> magnitude = Vector512.Abs(x);
        Vector512<int> high = magnitude >>> shift, low = magnitude & Vector512.Create((1 << shift) - 1);
        Vector512<int> result = high * factor + ((low * factor) >>> shift);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<int>.Zero), -result, result);
    }

    /// <summary><see cref="MultiplyShiftTowardZero(Vector512{int}, Vector512{int}, int)"/> on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyShiftTowardZero(Vector256<int> x, Vector256<int> factor, int shift)
    {
        Vector256<int> magnitude = Vector256.Abs(x);
        Vector256<int> high = magnitude >>> shift, low = magnitude & Vector256.Create((1 << shift) - 1);
        Vector256<int> result = high * factor + ((low * factor) >>> shift);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<int>.Zero), -result, result);
    }

    /// <summary>
    /// Wraps into a <paramref name="bits"/>-bit signed state as Lava writes it (<c>PyLifModelBitAcc</c>): if x &gt; 2^(bits−1)
    /// then x − 2^bits; then if that is ≤ −2^(bits−1), + 2^bits (one correction each way; 2^(bits−1) itself is kept).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Wrap(int x, int bits)
    {
        int limit = 1 << (bits - 1);
        if (x > limit) x -= 2 * limit;
        if (x <= -limit) x += 2 * limit;
        return x;
    }

    /// <summary><see cref="Wrap(int, int)"/> on 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Wrap(Vector512<int> x, int bits)
    {
        Vector512<int> limit = Vector512.Create(1 << (bits - 1)), range = limit + limit;
        x = Vector512.ConditionalSelect(Vector512.GreaterThan(x, limit), x - range, x);
        return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, -limit), x + range, x);
    }

    /// <summary><see cref="Wrap(int, int)"/> on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Wrap(Vector256<int> x, int bits)
    {
        Vector256<int> limit = Vector256.Create(1 << (bits - 1)), range = limit + limit;
        x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, limit), x - range, x);
        return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, -limit), x + range, x);
    }

    /// <summary>Clips to ±(2^(bits−1) − 1), as Lava's <c>np.clip(v, −2^23 + 1, 2^23 − 1)</c> for 24 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Saturate(int x, int bits)
    {
        int max = (1 << (bits - 1)) - 1;
        return Math.Clamp(x, -max, max);
    }

    /// <summary><see cref="Saturate(int, int)"/> on 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Saturate(Vector512<int> x, int bits)
    {
        Vector512<int> max = Vector512.Create((1 << (bits - 1)) - 1);
        return Vector512.Min(Vector512.Max(x, -max), max);
    }

    /// <summary><see cref="Saturate(int, int)"/> on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Saturate(Vector256<int> x, int bits)
    {
        Vector256<int> max = Vector256.Create((1 << (bits - 1)) - 1);
        return Vector256.Min(Vector256.Max(x, -max), max);
    }

    /// <summary>Clips to <paramref name="min"/>…<paramref name="max"/>: xylosim's <c>safe_add</c> for a state in range (<see cref="XyloNeuron.SafeAdd"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Clamp(int x, int min, int max) => Math.Clamp(x, min, max);

    /// <summary><see cref="Clamp(int, int, int)"/> on 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Clamp(Vector512<int> x, int min, int max) => Vector512.Min(Vector512.Max(x, Vector512.Create(min)), Vector512.Create(max));

    /// <summary><see cref="Clamp(int, int, int)"/> on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Clamp(Vector256<int> x, int min, int max) => Vector256.Min(Vector256.Max(x, Vector256.Create(min)), Vector256.Create(max));

    /// <summary>
    /// The low <paramref name="bits"/> bits of x as a signed value, as a C cast to a narrower type: <c>(int16_t)x</c> for
    /// 16 bits (two's complement, so 2^15 becomes −2^15).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Truncate(int x, int bits) => x << (32 - bits) >> (32 - bits);

    /// <summary><see cref="Truncate(int, int)"/> on 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Truncate(Vector512<int> x, int bits) => x << (32 - bits) >> (32 - bits);

    /// <summary><see cref="Truncate(int, int)"/> on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Truncate(Vector256<int> x, int bits) => x << (32 - bits) >> (32 - bits);

    /// <summary>
    /// Δ(x, s) = x &gt;&gt; s (arithmetic: it floors), or sign(x) where that is 0 — the decrement of xylosim's bit-shift
    /// decay x ← x − Δ(x, s), whose minimum step of 1 makes the decay linear near zero (<see cref="XyloNeuron.Decay"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ShiftDecrement(int x, int shift)
    {
        int shifted = x >> shift;
        return shifted != 0 ? shifted : Math.Sign(x);
    }

    /// <summary><see cref="ShiftDecrement(int, int)"/> on 16 lanes; sign(x) is (x &lt; 0) − (x &gt; 0) on all-ones masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftDecrement(Vector512<int> x, int shift)
    {
        Vector512<int> shifted = x >> shift;
        Vector512<int> sign = Vector512.LessThan(x, Vector512<int>.Zero) - Vector512.GreaterThan(x, Vector512<int>.Zero);
        return Vector512.ConditionalSelect(Vector512.Equals(shifted, Vector512<int>.Zero), sign, shifted);
    }

    /// <summary><see cref="ShiftDecrement(int, int)"/> on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftDecrement(Vector256<int> x, int shift)
    {
        Vector256<int> shifted = x >> shift;
        Vector256<int> sign = Vector256.LessThan(x, Vector256<int>.Zero) - Vector256.GreaterThan(x, Vector256<int>.Zero);
        return Vector256.ConditionalSelect(Vector256.Equals(shifted, Vector256<int>.Zero), sign, shifted);
    }

    /// <summary>
    /// x·y / 2^<paramref name="shift"/> rounded to nearest, ties toward +∞, saturated to 32 bits: spinn_common's
    /// <c>__stdfix_smul_k_round_nearest</c> for shift 15 (<see cref="SpiNNakerLif.MultiplyAccum"/>; its −1·−1 case is the
    /// saturation of 2^62 &gt;&gt; 15).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MultiplyRoundNearest(int x, int y, int shift)
    {
        long product = (long)x * y;
        long rounded = (product >> shift) + ((product >> (shift - 1)) & 1);
        return (int)Math.Clamp(rounded, int.MinValue, int.MaxValue);
    }

    /// <summary><see cref="MultiplyRoundNearest(int, int, int)"/> on 16 lanes, in two halves of 64-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MultiplyRoundNearest(Vector512<int> x, int y, int shift)
    {
        (Vector512<long> lower, Vector512<long> upper) = Vector512.Widen(x);
        Vector512<long> factor = Vector512.Create((long)y), min = Vector512.Create((long)int.MinValue), max = Vector512.Create((long)int.MaxValue);
        lower *= factor;
        upper *= factor;
        lower = Vector512.Min(Vector512.Max((lower >> shift) + ((lower >> (shift - 1)) & Vector512<long>.One), min), max);
        upper = Vector512.Min(Vector512.Max((upper >> shift) + ((upper >> (shift - 1)) & Vector512<long>.One), min), max);
        return Vector512.Narrow(lower, upper);
    }

    /// <summary><see cref="MultiplyRoundNearest(int, int, int)"/> on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyRoundNearest(Vector256<int> x, int y, int shift)
    {
        (Vector256<long> lower, Vector256<long> upper) = Vector256.Widen(x);
        Vector256<long> factor = Vector256.Create((long)y), min = Vector256.Create((long)int.MinValue), max = Vector256.Create((long)int.MaxValue);
        lower *= factor;
        upper *= factor;
        lower = Vector256.Min(Vector256.Max((lower >> shift) + ((lower >> (shift - 1)) & Vector256<long>.One), min), max);
        upper = Vector256.Min(Vector256.Max((upper >> shift) + ((upper >> (shift - 1)) & Vector256<long>.One), min), max);
        return Vector256.Narrow(lower, upper);
    }

    /// <summary>⌊x·f / 2^32⌋ with f a u0.32 fraction: sPyNNaker's <c>decay_s1615</c> (<see cref="SpiNNakerLif.DecayS1615"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MultiplyUnsignedFraction(int x, uint fraction) => (int)(((long)x * fraction) >> 32);

    /// <summary><see cref="MultiplyUnsignedFraction(int, uint)"/> on 16 lanes, in two halves of 64-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MultiplyUnsignedFraction(Vector512<int> x, uint fraction)
    {
        (Vector512<long> lower, Vector512<long> upper) = Vector512.Widen(x);
        Vector512<long> factor = Vector512.Create((long)fraction);
        return Vector512.Narrow((lower * factor) >> 32, (upper * factor) >> 32);
    }

    /// <summary><see cref="MultiplyUnsignedFraction(int, uint)"/> on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyUnsignedFraction(Vector256<int> x, uint fraction)
    {
        (Vector256<long> lower, Vector256<long> upper) = Vector256.Widen(x);
        Vector256<long> factor = Vector256.Create((long)fraction);
        return Vector256.Narrow((lower * factor) >> 32, (upper * factor) >> 32);
    }

    /// <summary>
    /// x·<paramref name="factor"/> / 2^<paramref name="shift"/> in 64 bits rounded with <paramref name="rounding"/>: the
    /// decay product of a generic fixed-point profile (<see cref="FixedNeurons.Decay"/>). From the floor f and the dropped
    /// bits d = P − f·2^s: toward zero adds 1 where P &lt; 0 and d ≠ 0; nearest (ties up) adds bit s − 1 of P; nearest-even
    /// adds 1 where d &gt; 2^(s−1), or d = 2^(s−1) and f is odd. A generated kernel passes a constant rounding, so the
    /// switch folds away.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Rounding.Stochastic"/>, which needs a generator (<see cref="FixedArithmetic.ShiftRight"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MultiplyShift(int x, int factor, int shift, Rounding rounding)
    {
        long product = (long)x * factor, floor = product >> shift, dropped = product - (floor << shift), half = 1L << (shift - 1);
        return (int)(rounding switch
        {
            Rounding.Floor => floor,
            Rounding.TowardZero => product < 0 && dropped != 0 ? floor + 1 : floor,
            Rounding.NearestHalfUp => floor + ((product >> (shift - 1)) & 1),
            Rounding.NearestEven => dropped > half || (dropped == half && (floor & 1) != 0) ? floor + 1 : floor,
            _ => throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "A kernel rounds deterministically."),
        });
    }

    /// <summary><see cref="MultiplyShift(int, int, int, Rounding)"/> on 16 lanes, in two halves of 64-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> MultiplyShift(Vector512<int> x, int factor, int shift, Rounding rounding)
    {
        (Vector512<long> lower, Vector512<long> upper) = Vector512.Widen(x);
        Vector512<long> f = Vector512.Create((long)factor);
        return Vector512.Narrow(RoundShift(lower * f, shift, rounding), RoundShift(upper * f, shift, rounding));
    }

    /// <summary><see cref="MultiplyShift(int, int, int, Rounding)"/> on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyShift(Vector256<int> x, int factor, int shift, Rounding rounding)
    {
        (Vector256<long> lower, Vector256<long> upper) = Vector256.Widen(x);
        Vector256<long> f = Vector256.Create((long)factor);
        return Vector256.Narrow(RoundShift(lower * f, shift, rounding), RoundShift(upper * f, shift, rounding));
    }

    // The roundings of MultiplyShift on 64-bit lanes; a mask is −1 where true, so floor − mask adds 1 there.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> RoundShift(Vector512<long> product, int shift, Rounding rounding)
    {
        Vector512<long> floor = product >> shift, dropped = product - (floor << shift), half = Vector512.Create(1L << (shift - 1));
        return rounding switch
        {
            Rounding.Floor => floor,
            Rounding.TowardZero => floor - (Vector512.LessThan(product, Vector512<long>.Zero) & ~Vector512.Equals(dropped, Vector512<long>.Zero)),
            Rounding.NearestHalfUp => floor + ((product >> (shift - 1)) & Vector512<long>.One),
            Rounding.NearestEven => floor - (Vector512.GreaterThan(dropped, half) | (Vector512.Equals(dropped, half) & Vector512.Equals(floor & Vector512<long>.One, Vector512<long>.One))),
            _ => throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "A kernel rounds deterministically."),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> RoundShift(Vector256<long> product, int shift, Rounding rounding)
    {
        Vector256<long> floor = product >> shift, dropped = product - (floor << shift), half = Vector256.Create(1L << (shift - 1));
        return rounding switch
        {
            Rounding.Floor => floor,
            Rounding.TowardZero => floor - (Vector256.LessThan(product, Vector256<long>.Zero) & ~Vector256.Equals(dropped, Vector256<long>.Zero)),
            Rounding.NearestHalfUp => floor + ((product >> (shift - 1)) & Vector256<long>.One),
            Rounding.NearestEven => floor - (Vector256.GreaterThan(dropped, half) | (Vector256.Equals(dropped, half) & Vector256.Equals(floor & Vector256<long>.One, Vector256<long>.One))),
            _ => throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "A kernel rounds deterministically."),
        };
    }

    /// <summary>Throws unless a kernel argument (a decay register, a threshold mantissa) lies in the chip's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is outside <paramref name="min"/>…<paramref name="max"/>.</exception>
    public static void RequireRange(int value, int min, int max, string name)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} is outside the chip's range {min}…{max}.");
    }
}
