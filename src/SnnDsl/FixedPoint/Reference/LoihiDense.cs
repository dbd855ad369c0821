namespace SnnDsl.FixedPoint;

/// <summary>
/// Loihi's Dense synapses as Lava's <c>PyDenseModelBitAcc</c> computes them (lava-nc/lava
/// <c>src/lava/proc/dense/models.py</c>, <c>run_spk</c>; <c>src/lava/utils/weightutils.py</c>, <c>determine_sign_mode</c>,
/// <c>clip_weights</c>, <c>truncate_weights</c>): weights clipped to 8 bits by sign mode, their low bits dropped,
/// the binary-spike accumulation Σ_j w_ij s_j shifted by the weight exponent, and sent one step later.
/// </summary>
public static class LoihiDense
{
    /// <summary><c>determine_sign_mode</c>: all ≥ 0 → excitatory, else all ≤ 0 → inhibitory, else mixed.</summary>
    public static LoihiSignMode DetermineSignMode(IReadOnlyList<int> weights)
    {
        int min = 0, max = 0;
        for (int k = 0; k < weights.Count; k++)
        {
            min = Math.Min(min, weights[k]);
            max = Math.Max(max, weights[k]);
        }
        return min >= 0 ? LoihiSignMode.Excitatory : max <= 0 ? LoihiSignMode.Inhibitory : LoihiSignMode.Mixed;
    }

    /// <summary>
    /// <c>clip_weights(weights, sign_mode, num_bits)</c>: negate if inhibitory, clip to [−2^bits·mixed, 2^bits − 1], negate
    /// back — mixed [−256, 255], excitatory [0, 255], inhibitory [−255, 0].
    /// </summary>
    public static int Clip(int weight, LoihiSignMode signMode, int numBits)
    {
        bool inhibitory = signMode == LoihiSignMode.Inhibitory;
        int w = inhibitory ? -weight : weight;
        int min = signMode == LoihiSignMode.Mixed ? -(1 << numBits) : 0;
        int max = (1 << numBits) - 1;
        w = Math.Clamp(w, min, max);
        return inhibitory ? -w : w;
    }

    /// <summary>
    /// <c>truncate_weights(weights, sign_mode, num_weight_bits)</c>: drop max_bits − num_weight_bits + mixed low bits by an
    /// arithmetic shift right then left (floor for mixed; toward zero for inhibitory, which is negated around it).
    /// </summary>
    public static int Truncate(int weight, LoihiSignMode signMode, int numWeightBits, int maxNumWeightBits = 8)
    {
        bool inhibitory = signMode == LoihiSignMode.Inhibitory;
        int w = inhibitory ? -weight : weight;
        int drop = maxNumWeightBits - numWeightBits + (signMode == LoihiSignMode.Mixed ? 1 : 0);
        w = (w >> drop) << drop;
        return inhibitory ? -w : w;
    }

    /// <summary>The weights as the Dense uses them from its first step on: clipped to 8 bits, then truncated.</summary>
    public static int[] Prepare(IReadOnlyList<int> weights, LoihiSignMode signMode, int numWeightBits, int maxNumWeightBits = 8)
    {
        var prepared = new int[weights.Count];
        for (int k = 0; k < prepared.Length; k++)
            prepared[k] = Truncate(Clip(weights[k], signMode, maxNumWeightBits), signMode, numWeightBits, maxNumWeightBits);
        return prepared;
    }

    /// <summary><c>np.left_shift(a_accum, weight_exp)</c> if weight_exp &gt; 0, else <c>np.right_shift(a_accum, −weight_exp)</c> (floor).</summary>
    public static int ScaleAccumulation(int accumulation, int weightExponent) =>
        weightExponent > 0 ? accumulation << weightExponent : accumulation >> -weightExponent;
}
