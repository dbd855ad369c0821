namespace SnnDsl.FixedPoint;

/// <summary>
/// One Loihi CUBA LIF compartment, bit for bit as Lava's <c>PyLifModelBitAcc</c> computes it
/// (lava-nc/lava <c>src/lava/proc/lif/models.py</c>, <c>AbstractPyLifModelFixed.subthr_dynamics</c>, <c>scale_bias</c>,
/// <c>PyLifModelBitAcc.scale_threshold</c>, <c>spiking_activation</c>, <c>reset_voltage</c>). The numbers (12-bit decays,
/// the current-decay offset, 24-bit states, the shifts by 6) come from the <see cref="LoihiProfile"/>.
/// </summary>
public static class LoihiLif
{
    /// <summary><c>scale_bias</c>: bias_mant &lt;&lt; bias_exp, or &gt;&gt; −bias_exp for a negative exponent.</summary>
    public static int EffectiveBias(int mantissa, int exponent) => exponent >= 0 ? mantissa << exponent : mantissa >> -exponent;

    /// <summary><c>scale_threshold</c>: vth &lt;&lt; 6.</summary>
    public static int EffectiveThreshold(int mantissa, LoihiProfile profile) => mantissa << profile.ThresholdShift;

    /// <summary>
    /// The decay of a state x with decay constant d (du + ds_offset or dv + dm_offset): P = x·(4096 − d) in 64 bits,
    /// then sign(P)·(|P| &gt;&gt; 12) — truncation toward zero.
    /// </summary>
    public static int Decay(int x, int decayConstant, LoihiProfile profile)
    {
        long product = (long)x * (profile.DecayUnity - decayConstant);
        long magnitude = Math.Abs(product) >> profile.DecayShift;
        return (int)(product < 0 ? -magnitude : magnitude);
    }

    /// <summary>
    /// The current's overflow. Wrap as Lava writes it: if u &gt; 2^23 then u − 2^24; then if that is ≤ −2^23, u + 2^24
    /// (one correction each way, 2^23 itself is kept). Saturate, if a profile asks for it: clip to ±(2^23 − 1).
    /// </summary>
    public static int OverflowCurrent(long u, LoihiProfile profile)
    {
        long limit = profile.StateLimit;
        if (profile.CurrentOverflow == Overflow.Saturate) return (int)Math.Clamp(u, -limit + 1, limit - 1);
        long wrapped = u > limit ? u - 2 * limit : u;
        wrapped = wrapped <= -limit ? u + 2 * limit : wrapped;
        return (int)wrapped;
    }

    /// <summary>The voltage's overflow: <c>np.clip(v, −2^23 + 1, 2^23 − 1)</c> (or Lava's wrap if a profile asks for it).</summary>
    public static int OverflowVoltage(long v, LoihiProfile profile)
    {
        long limit = profile.StateLimit;
        if (profile.VoltageOverflow == Overflow.Saturate) return (int)Math.Clamp(v, -limit + 1, limit - 1);
        long wrapped = v > limit ? v - 2 * limit : v;
        wrapped = wrapped <= -limit ? v + 2 * limit : wrapped;
        return (int)wrapped;
    }

    /// <summary>
    /// One time step of one compartment (<c>run_spk</c>): update the current, then the voltage with the new current,
    /// spike where v &gt; vth·2^6, reset v to 0 where spiked. Returns whether it spiked.
    /// </summary>
    /// <param name="u">Current, 24-bit.</param>
    /// <param name="v">Voltage, 24-bit.</param>
    /// <param name="activation">a_in, the summed Dense output of this step (before the shift by 6).</param>
    /// <param name="du">Current decay constant, 0…4095 (the offset of 1 is added here).</param>
    /// <param name="dv">Voltage decay constant, 0…4095.</param>
    /// <param name="effectiveBias">bias_mant·2^bias_exp (<see cref="EffectiveBias"/>).</param>
    /// <param name="effectiveThreshold">vth·2^6 (<see cref="EffectiveThreshold"/>).</param>
    /// <param name="profile">The widths and shifts.</param>
    public static bool Step(ref int u, ref int v, int activation, int du, int dv, int effectiveBias, int effectiveThreshold, LoihiProfile profile)
    {
        // Update current: decayed_curr = sign(u·(4096 − (du + 1)))·(|…| >> 12) + (a_in << 6), wrapped into 24 bits.
        long decayedCurrent = Decay(u, du + profile.CurrentDecayOffset, profile);
        decayedCurrent += (long)activation << profile.ActivationShift;
        u = OverflowCurrent(decayedCurrent, profile);

        // Update voltage with the new current: clip(sign(v·(4096 − dv))·(|…| >> 12) + u + bias, ±(2^23 − 1)).
        long decayedVoltage = Decay(v, dv + profile.VoltageDecayOffset, profile);
        v = OverflowVoltage(decayedVoltage + u + effectiveBias, profile);

        // Spike where v exceeds the threshold (strictly), reset v to 0; u keeps its value.
        if (v > effectiveThreshold)
        {
            v = 0;
            return true;
        }
        return false;
    }
}
