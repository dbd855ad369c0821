namespace SnnDsl.FixedPoint;

/// <summary>
/// The built-in neurons' own equations (<c>CubaLif</c>, <c>Lif</c>, <c>LeakyReadout</c>; docs/semantics.md, and <c>CubaLifZeroReset</c>) in the
/// arithmetic of a <see cref="FixedProfile"/>: raw integers in the state format, decays as unsigned fractions; each product
/// decay·state is rounded with the profile's rounding, and each sum brought back into the state format with its overflow.
/// </summary>
public static class FixedNeurons
{
    /// <summary>round(decay·x): the product of the raw state and the raw decay, shifted right by the decay's fraction bits.</summary>
    public static long Decay(long x, long decay, FixedProfile profile, StochasticRounder? random) =>
        FixedArithmetic.ShiftRight(x * decay, profile.DecayFormat.FractionBits, profile.Rounding, random);

    /// <summary>Brings a sum back into the state format.</summary>
    public static long Fit(long x, FixedProfile profile) => FixedArithmetic.Fit(x, profile.StateFormat, profile.Overflow);

    /// <summary>
    /// <c>CubaLif</c>: I = αI + input; U = βU + I; S = U &gt; ϑ; U ← U − ϑ where S. Returns S.
    /// </summary>
    public static bool CubaLif(ref long current, ref long membrane, long input, long alpha, long beta, long threshold, FixedProfile profile, StochasticRounder? random)
    {
        current = Fit(Decay(current, alpha, profile, random) + input, profile);
        membrane = Fit(Decay(membrane, beta, profile, random) + current, profile);
        if (membrane <= threshold) return false;
        membrane = Fit(membrane - threshold, profile);
        return true;
    }

    /// <summary><c>CubaLifZeroReset</c>: I = αI + input; U = βU + I; S = U &gt; ϑ; U ← 0 where S. Returns S.</summary>
    public static bool CubaLifZeroReset(ref long current, ref long membrane, long input, long alpha, long beta, long threshold, FixedProfile profile, StochasticRounder? random)
    {
        current = Fit(Decay(current, alpha, profile, random) + input, profile);
        membrane = Fit(Decay(membrane, beta, profile, random) + current, profile);
        if (membrane <= threshold) return false;
        membrane = 0;
        return true;
    }

    /// <summary><c>Lif</c>: U = βU + input; S = U &gt; ϑ; U ← U − ϑ where S. Returns S.</summary>
    public static bool Lif(ref long membrane, long input, long beta, long threshold, FixedProfile profile, StochasticRounder? random)
    {
        membrane = Fit(Decay(membrane, beta, profile, random) + input, profile);
        if (membrane <= threshold) return false;
        membrane = Fit(membrane - threshold, profile);
        return true;
    }

    /// <summary><c>LeakyReadout</c>: I = αI + input; U = βU + I (no spike).</summary>
    public static void LeakyReadout(ref long current, ref long membrane, long input, long alpha, long beta, FixedProfile profile, StochasticRounder? random)
    {
        current = Fit(Decay(current, alpha, profile, random) + input, profile);
        membrane = Fit(Decay(membrane, beta, profile, random) + current, profile);
    }
}
