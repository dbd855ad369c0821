using System.Globalization;

namespace SnnDsl.FixedPoint;

/// <summary>
/// Integer operations with an explicit rounding and overflow, the vocabulary of the scalar references: a right shift
/// that rounds, bringing a wide result back into a format, and converting real values to raw integers.
/// </summary>
public static class FixedArithmetic
{
    /// <summary>
    /// x / 2^<paramref name="shift"/> rounded with <paramref name="rounding"/>. <paramref name="random"/> is required for
    /// <see cref="Rounding.Stochastic"/> (it draws <paramref name="shift"/> bits).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The shift is outside 0…62.</exception>
    /// <exception cref="ArgumentNullException">Stochastic rounding without a generator.</exception>
    public static long ShiftRight(long x, int shift, Rounding rounding, StochasticRounder? random = null)
    {
        if ((uint)shift > 62) throw new ArgumentOutOfRangeException(nameof(shift), shift, "A rounding shift must be 0…62.");
        if (shift == 0) return x;
        long floor = x >> shift;
        long dropped = x - (floor << shift);            // 0 ≤ dropped < 2^shift
        switch (rounding)
        {
            case Rounding.Floor:
                return floor;
            case Rounding.TowardZero:
                return x >= 0 || dropped == 0 ? floor : floor + 1;
            case Rounding.NearestHalfUp:
                return floor + ((x >> (shift - 1)) & 1);   // spinn_common __stdfix_round_s64
            case Rounding.NearestEven:
            {
                long half = 1L << (shift - 1);
                return dropped > half || (dropped == half && (floor & 1) != 0) ? floor + 1 : floor;
            }
            case Rounding.Stochastic:
                if (random is null) throw new ArgumentNullException(nameof(random), "Stochastic rounding needs a StochasticRounder.");
                return random.NextBits(shift) < (ulong)dropped ? floor + 1 : floor;
            default:
                throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Unknown rounding mode.");
        }
    }

    /// <summary>Brings <paramref name="raw"/> into <paramref name="format"/>'s raw range by wrapping or saturating.</summary>
    public static long Fit(long raw, FixedFormat format, Overflow overflow)
    {
        if (raw >= format.MinRaw && raw <= format.MaxRaw) return raw;
        if (overflow == Overflow.Saturate) return raw > format.MaxRaw ? format.MaxRaw : format.MinRaw;
        int bits = format.TotalBits;
        long wrapped = raw & ((1L << bits) - 1);                          // the low bits, as unsigned
        if (format.IsSigned && wrapped >= 1L << (bits - 1)) wrapped -= 1L << bits;   // sign-extend
        return wrapped;
    }

    /// <summary>Saturates a wide integer into the signed range of <paramref name="bits"/> bits.</summary>
    public static long Saturate(long x, int bits)
    {
        long max = (1L << (bits - 1)) - 1, min = -(1L << (bits - 1));
        return x > max ? max : x < min ? min : x;
    }

    /// <summary>
    /// The raw integer of <paramref name="value"/> in <paramref name="format"/>, rounded with <paramref name="rounding"/>
    /// (stochastic rounding of parameters uses nearest-even: a parameter is quantized once, deterministically).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite or outside the format's range.</exception>
    public static long ToRaw(double value, FixedFormat format, Rounding rounding, string what)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(what, value, $"{what} = {value} is not finite.");
        double scaled = value * Math.Pow(2, format.FractionBits);
        double rounded = rounding switch
        {
            Rounding.Floor => Math.Floor(scaled),
            Rounding.TowardZero => Math.Truncate(scaled),
            Rounding.NearestHalfUp => Math.Floor(scaled + 0.5),
            _ => Math.Round(scaled, MidpointRounding.ToEven),
        };
        if (rounded > format.MaxRaw || rounded < format.MinRaw)
            throw new ArgumentOutOfRangeException(what, value, string.Create(CultureInfo.InvariantCulture,
                $"{what} = {value:G6} is outside {format} ({format.MinValue:G6}…{format.MaxValue:G6})."));
        return (long)rounded;
    }

    /// <summary>The real value of a raw integer in <paramref name="format"/>.</summary>
    public static double ToReal(long raw, FixedFormat format) => format.ValueOf(raw);
}
