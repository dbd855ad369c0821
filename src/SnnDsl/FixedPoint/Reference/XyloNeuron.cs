using System.Runtime.CompilerServices;

namespace SnnDsl.FixedPoint;

/// <summary>
/// One Xylo IAF neuron as xylosim computes it, written from its source operation by operation (xylosim 0.1.2,
/// <c>src/v1/cpp/XyloIAFNeuron.cpp</c> and the later <c>XyloIAFNeuron.cpp</c> with bias and hibernation;
/// <c>XyloIAFNeuron.h</c>: <c>safe_add</c>, <c>BITS_STATE</c>). States and parameters are int16; <c>dash</c> values are
/// 4-bit shifts. Checked on hand-computed cases; xylosim itself is not run here (docs/fixed-point.md, Verification).
/// </summary>
public static class XyloNeuron
{
    /// <summary>
    /// <c>decay(v, dash)</c>: dv = v &gt;&gt; dash (arithmetic, so it floors); if that is 0, dv = sign(v) — the minimum step
    /// of 1 that makes the decay linear near zero. The caller subtracts dv.
    /// </summary>
    public static short Decay(short v, int dash)
    {
        int dv = v >> dash;
        if (dv == 0)
        {
            if (v > 0) dv = 1;
            else if (v < 0) dv = -1;
        }
        return (short)dv;
    }

    /// <summary>
    /// <c>safe_add(x, y, bits)</c>: if |max − x| &gt; |y| then x + y else max, where max = 2^(bits−1) − 1 for y ≥ 0 and
    /// −2^(bits−1) for y &lt; 0 — a saturating addition for x in range. (xylosim compares doubles from <c>std::pow</c>;
    /// every value here is an integer below 2^53, so the integer comparison is the same.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long SafeAdd(long x, long y, int bits)
    {
        long max = y < 0 ? -(1L << (bits - 1)) : (1L << (bits - 1)) - 1;
        return Math.Abs(max - x) > Math.Abs(y) ? x + y : max;
    }

    /// <summary>
    /// <c>receiveSpike(weight, syn_id)</c> with the layer's <c>weight &lt;&lt; shift</c>: the shifted int8 weight is passed as
    /// an int16 (so it wraps beyond 16 bits), then added to i_syn with <c>safe_add</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short ReceiveSpike(short synapticCurrent, int weight, int shift, int stateBits = 16)
    {
        short shifted = unchecked((short)(weight << shift));
        return (short)SafeAdd(synapticCurrent, shifted, stateBits);
    }

    /// <summary>
    /// xylosim v1: <c>decayState()</c> then <c>evolve(num_spikes, max_spikes)</c>. Returns the spike count (starting from
    /// <paramref name="spikes"/>, the count aliases already put in the buffer).
    /// </summary>
    public static int EvolveV1(ref short v, Span<short> synapticCurrents, int dashMem, ReadOnlySpan<byte> dashSyn, short threshold, int spikes, int maxSpikes, int stateBits = 16)
    {
        // decayState: v_mem −= decay(v_mem, dash_mem); each i_syn −= decay(i_syn, dash_syn).
        v = (short)(v - Decay(v, dashMem));
        for (int k = 0; k < synapticCurrents.Length; k++)
            synapticCurrents[k] = (short)(synapticCurrents[k] - Decay(synapticCurrents[k], dashSyn[k]));

        // evolve: v_mem = safe_add(v_mem, Σ i_syn) in long, cast to int16.
        long current = 0;
        for (int k = 0; k < synapticCurrents.Length; k++) current += synapticCurrents[k];
        v = (short)SafeAdd(v, current, stateBits);
        return Fire(ref v, threshold, spikes, maxSpikes);
    }

    /// <summary>
    /// xylosim v2: <c>evolve(num_spikes, max_spikes, …)</c> with its own decays and the bias. Returns the spike count.
    /// </summary>
    public static int EvolveV2(ref short v, Span<short> synapticCurrents, int dashMem, ReadOnlySpan<byte> dashSyn, short threshold, bool hasBias, short bias, int spikes, int maxSpikes, int stateBits = 16)
    {
        // Decay the synaptic currents.
        for (int k = 0; k < synapticCurrents.Length; k++)
            synapticCurrents[k] = (short)(synapticCurrents[k] - Decay(synapticCurrents[k], dashSyn[k]));

        // Sum the currents (long), dv = −decay(v) cast to int16, then dv = safe_add(dv, i_syn) cast to int16.
        long current = 0;
        for (int k = 0; k < synapticCurrents.Length; k++) current += synapticCurrents[k];
        short dv = unchecked((short)-Decay(v, dashMem));
        dv = (short)SafeAdd(dv, current, stateBits);
        if (hasBias) dv = (short)SafeAdd(dv, bias, stateBits);

        // Integrate: v_mem = safe_add(v_mem, dv_mem).
        v = (short)SafeAdd(v, dv, stateBits);
        return Fire(ref v, threshold, spikes, maxSpikes);
    }

    /// <summary>while v ≥ θ: if n &lt; max { n += 1; v −= θ } else break. The subtraction is int16 arithmetic.</summary>
    public static int Fire(ref short v, short threshold, int spikes, int maxSpikes)
    {
        while (v >= threshold)
        {
            if (spikes < maxSpikes)
            {
                spikes++;
                v = unchecked((short)(v - threshold));
            }
            else break;
        }
        return spikes;
    }
}
