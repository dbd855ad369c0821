// Target profiles are plain data, shared: the analyzers compile this folder from the same files
// (analyzers/SnnDsl.Analyzers/SnnDsl.Analyzers.csproj), so it uses only what netstandard2.0 has (no Span, no MathF, no
// Math.Clamp, no Math.Log2, no double.IsFinite). There SNNDSL_ANALYZERS makes every type internal, so that the analyzer
// assembly does not export a second copy of the runtime's public types.
using System;
using System.Globalization;

namespace SnnDsl.FixedPoint
{
    /// <summary>How a value that falls between two representable numbers is rounded.</summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    enum Rounding
    {
        /// <summary>Toward zero (truncation of the magnitude): Lava's decays, <c>sign(x)·(|x| &gt;&gt; n)</c>.</summary>
        TowardZero,

        /// <summary>Toward −∞: an arithmetic right shift (Xylo's bit-shift decay, Lava's negative weight exponent, sPyNNaker's <c>decay_s1615</c>).</summary>
        Floor,

        /// <summary>To nearest, ties toward +∞: sPyNNaker's <c>__stdfix_round_s64</c>, <c>(x &gt;&gt; n) + ((x &gt;&gt; (n − 1)) &amp; 1)</c>.</summary>
        NearestHalfUp,

        /// <summary>To nearest, ties to the even neighbour (IEEE 754's default).</summary>
        NearestEven,

        /// <summary>Up with probability equal to the dropped fraction, from a seeded generator (reproducible).</summary>
        Stochastic,
    }

    /// <summary>What happens to a value outside a format's range.</summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    enum Overflow
    {
        /// <summary>Two's-complement wrap-around to the format's width.</summary>
        Wrap,

        /// <summary>Clamp to the largest or smallest representable value.</summary>
        Saturate,
    }

    /// <summary>
    /// A binary fixed-point format: an optional sign bit, <see cref="IntegerBits"/> integer bits and
    /// <see cref="FractionBits"/> fraction bits, written s<c>m</c>.<c>n</c> or u<c>m</c>.<c>n</c> as in ISO/IEC TR 18037
    /// and sPyNNaker (<c>s16.15</c> is the 32-bit <c>accum</c>: sign, 16 integer bits, 15 fraction bits; <c>u0.32</c> the
    /// <c>unsigned long fract</c>). A value v is stored as the integer raw = v·2^n.
    /// </summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    sealed record FixedFormat
    {
        /// <summary>A format; the total width (sign + integer + fraction bits) must be 1…63.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A bit count is negative or the width is outside 1…63.</exception>
        public FixedFormat(bool isSigned, int integerBits, int fractionBits)
        {
            if (integerBits < 0) throw new ArgumentOutOfRangeException(nameof(integerBits), integerBits, "A fixed-point format has at least 0 integer bits.");
            if (fractionBits < 0) throw new ArgumentOutOfRangeException(nameof(fractionBits), fractionBits, "A fixed-point format has at least 0 fraction bits.");
            int total = (isSigned ? 1 : 0) + integerBits + fractionBits;
            if (total < 1 || total > 63)
                throw new ArgumentOutOfRangeException(nameof(integerBits), total, $"{(isSigned ? "s" : "u")}{integerBits}.{fractionBits} is {total} bits wide; the width must be 1…63.");
            IsSigned = isSigned;
            IntegerBits = integerBits;
            FractionBits = fractionBits;
        }

        /// <summary>Whether the format has a sign bit (two's complement).</summary>
        public bool IsSigned { get; }

        /// <summary>Integer bits, not counting the sign.</summary>
        public int IntegerBits { get; }

        /// <summary>Fraction bits: the value of one LSB is 2^−<see cref="FractionBits"/>.</summary>
        public int FractionBits { get; }

        /// <summary>The width in bits, sign included.</summary>
        public int TotalBits => (IsSigned ? 1 : 0) + IntegerBits + FractionBits;

        /// <summary>The largest raw integer.</summary>
        public long MaxRaw => IsSigned ? (1L << (TotalBits - 1)) - 1 : (1L << TotalBits) - 1;

        /// <summary>The smallest raw integer.</summary>
        public long MinRaw => IsSigned ? -(1L << (TotalBits - 1)) : 0;

        /// <summary>The value of one LSB, 2^−n.</summary>
        public double Resolution => Math.Pow(2, -FractionBits);

        /// <summary>The largest representable value.</summary>
        public double MaxValue => MaxRaw * Resolution;

        /// <summary>The smallest representable value.</summary>
        public double MinValue => MinRaw * Resolution;

        /// <summary>
        /// The raw integer nearest to <paramref name="value"/> (ties to even), clamped to the format's range: how a
        /// constant such as a decay factor is snapped to the format once, before the run.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN.</exception>
        public long NearestRaw(double value)
        {
            if (double.IsNaN(value)) throw new ArgumentOutOfRangeException(nameof(value), value, $"NaN has no raw value in {this}.");
            double raw = Math.Round(value * Math.Pow(2, FractionBits), MidpointRounding.ToEven);
            return raw >= MaxRaw ? MaxRaw : raw <= MinRaw ? MinRaw : (long)raw;
        }

        /// <summary>The value a raw integer stands for, raw·2^−n.</summary>
        public double ValueOf(long raw) => raw * Resolution;

        /// <summary>A signed format s<paramref name="integerBits"/>.<paramref name="fractionBits"/>.</summary>
        public static FixedFormat Signed(int integerBits, int fractionBits) => new FixedFormat(true, integerBits, fractionBits);

        /// <summary>An unsigned format u<paramref name="integerBits"/>.<paramref name="fractionBits"/>.</summary>
        public static FixedFormat Unsigned(int integerBits, int fractionBits) => new FixedFormat(false, integerBits, fractionBits);

        /// <summary>sPyNNaker's <c>REAL</c> = ISO/IEC TR 18037 <c>accum</c>, s16.15 (maths-util.h).</summary>
        public static FixedFormat S16_15 { get; } = Signed(16, 15);

        /// <summary>sPyNNaker's <c>decay_t</c> = <c>unsigned long fract</c>, u0.32 (decay.h).</summary>
        public static FixedFormat U0_32 { get; } = Unsigned(0, 32);

        /// <summary>Parses "s16.15" or "u0.32".</summary>
        /// <exception cref="FormatException">The text is not s<c>m</c>.<c>n</c> or u<c>m</c>.<c>n</c>.</exception>
        public static FixedFormat Parse(string text)
        {
            if (text is null) throw new ArgumentNullException(nameof(text));
            string t = text.Trim();
            int dot = t.IndexOf('.');
            if (t.Length < 4 || (t[0] != 's' && t[0] != 'u') || dot < 2
                || !int.TryParse(t.Substring(1, dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int m)
                || !int.TryParse(t.Substring(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                throw new FormatException($"'{text}' is not a fixed-point format; write s<integer bits>.<fraction bits> or u<integer bits>.<fraction bits>, e.g. s16.15.");
            return new FixedFormat(t[0] == 's', m, n);
        }

        /// <summary>s<c>m</c>.<c>n</c> or u<c>m</c>.<c>n</c>.</summary>
        public override string ToString() =>
            (IsSigned ? "s" : "u") + IntegerBits.ToString(CultureInfo.InvariantCulture) + "." + FractionBits.ToString(CultureInfo.InvariantCulture);
    }
}
