using SnnDsl.FixedPoint;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The Loihi compartment and Dense against Lava's own golden vectors (lava-nc/lava tests/lava/proc/lif/test_models.py,
/// TestLIFProcessModelsFixed and TestTLIFProcessModelsFixed) and hand-computed wrap/saturation corners.
/// </summary>
public class LoihiReferenceTests
{
    private static readonly LoihiProfile Loihi = TargetProfiles.Loihi;

    /// <summary>Runs one compartment for <paramref name="steps"/> steps and records u, v and spikes.</summary>
    private static (int[] U, int[] V, bool[] Spikes) Run(int steps, Func<int, int> activation, int du, int dv, int biasMantissa, int biasExponent, int vth)
    {
        int u = 0, v = 0;
        var us = new int[steps];
        var vs = new int[steps];
        var spikes = new bool[steps];
        for (int t = 0; t < steps; t++)
        {
            spikes[t] = LoihiLif.Step(ref u, ref v, activation(t), du, dv, LoihiLif.EffectiveBias(biasMantissa, biasExponent), LoihiLif.EffectiveThreshold(vth, Loihi), Loihi);
            us[t] = u;
            vs[t] = v;
        }
        return (us, vs, spikes);
    }

    [Fact]
    public void Bias_driven_neurons_spike_at_steps_4_and_9()
    {
        // test_bitacc_pm_no_decay: bias = 2·2^6 = 128, vth = 8 (→ 512), du = dv = 0, no input.
        (_, int[] v, bool[] spikes) = Run(10, _ => 0, du: 0, dv: 0, biasMantissa: 2, biasExponent: 6, vth: 8);
        Assert.Equal([false, false, false, false, true, false, false, false, false, true], spikes);
        Assert.Equal([128, 256, 384, 512, 0, 128, 256, 384, 512, 0], v);   // 512 is not > 512; 640 is, and resets to 0
    }

    [Fact]
    public void Current_halves_each_step_with_du_2047()
    {
        // test_bitacc_pm_impulse_du: a_in = 128 at the first step, du = 2047 (+ ds_offset 1 = 2048), dv = 0, vth = 256.
        (int[] u, _, bool[] spikes) = Run(8, t => t == 0 ? 128 : 0, du: 2047, dv: 0, biasMantissa: 0, biasExponent: 1, vth: 256);
        Assert.Equal(Enumerable.Range(0, 8).Select(j => 1 << (13 - j)), u);
        Assert.Equal(Enumerable.Range(0, 8).Select(j => 1 << (7 - j)), u.Select(x => x >> 6));
        Assert.DoesNotContain(true, spikes);
    }

    [Fact]
    public void Negative_current_halves_toward_zero()
    {
        // test_fixed_pm_neg_impulse_du (ternary LIF, same sub-threshold dynamics): a_in = −128.
        (int[] u, _, _) = Run(8, t => t == 0 ? -128 : 0, du: 2047, dv: 0, biasMantissa: 0, biasExponent: 1, vth: 1 << 16);
        Assert.Equal(Enumerable.Range(0, 8).Select(j => -1 << (13 - j)), u);
    }

    [Fact]
    public void Voltage_integrates_with_dv_2048_and_the_current_decay_offset()
    {
        // test_bitacc_pm_impulse_dv: a_in = 128 once, du = 0 (the offset still decays u by 1/4096), dv = 2048.
        (_, int[] v, _) = Run(8, t => t == 0 ? 128 : 0, du: 0, dv: 2048, biasMantissa: 0, biasExponent: 1, vth: 256);
        Assert.Equal([8192, 12286, 14331, 15351, 15859, 16111, 16235, 16295], v);
    }

    [Fact]
    public void Negative_voltage_truncates_toward_zero()
    {
        // test_fixed_pm_neg_impulse_dv: the same with a_in = −128 gives exactly the negated sequence (a floor would not).
        (_, int[] v, _) = Run(8, t => t == 0 ? -128 : 0, du: 0, dv: 2048, biasMantissa: 0, biasExponent: 1, vth: 256);
        Assert.Equal([-8192, -12286, -14331, -15351, -15859, -16111, -16235, -16295], v);
    }

    [Fact]
    public void Bias_is_mantissa_times_two_to_the_exponent()
    {
        // bias_mant = 4095, bias_exp = 5, vth = 2^17: v after one step = 4095·32.
        (_, int[] v, _) = Run(1, _ => 0, du: 0, dv: 0, biasMantissa: 4095, biasExponent: 5, vth: 1 << 17);
        Assert.Equal(4095 * 32, v[0]);
        Assert.Equal(-4096 >> 2, LoihiLif.EffectiveBias(-4096, -2));   // a negative exponent shifts right (floor)
    }

    [Fact]
    public void Decay_truncates_toward_zero()
    {
        // 3·(4096 − 2048) = 6144, 6144 >> 12 = 1 (1.5 → 1); −3 → −1 (floor would give −2).
        Assert.Equal(1, LoihiLif.Decay(3, 2048, Loihi));
        Assert.Equal(-1, LoihiLif.Decay(-3, 2048, Loihi));
        Assert.Equal(0, LoihiLif.Decay(1, 4095, Loihi));
        Assert.Equal(-8388607, LoihiLif.Decay(-8388608, 0, Loihi) + 1);   // the 64-bit product does not overflow
    }

    [Fact]
    public void Current_wraps_at_24_bits_as_lava_writes_it()
    {
        const int L = 1 << 23;
        Assert.Equal(L, LoihiLif.OverflowCurrent(L, Loihi));                  // 2^23 itself is not > 2^23: kept
        Assert.Equal(-L + 1, LoihiLif.OverflowCurrent(L + 1, Loihi));         // 2^23 + 1 − 2^24
        Assert.Equal(L, LoihiLif.OverflowCurrent(-L, Loihi));                 // −2^23 ≤ −2^23: + 2^24
        Assert.Equal(-L + 1, LoihiLif.OverflowCurrent(-L + 1, Loihi));
        Assert.Equal(L - 5, LoihiLif.OverflowCurrent(-L - 5, Loihi));

        // Through a step: u = 2^23 − 64 (u decays by 1/4096 with du = 0: 8388544·4095/4096 = 8386496) plus 2^6·64.
        int u = (1 << 23) - 64, v = 0;
        LoihiLif.Step(ref u, ref v, 64, du: 0, dv: 0, effectiveBias: 0, effectiveThreshold: int.MaxValue, Loihi);
        Assert.Equal(8386496 + 4096 - (1 << 24), u);   // 8390592 > 2^23 → wrapped negative
    }

    [Fact]
    public void Voltage_saturates_at_plus_minus_2_to_the_23_minus_1()
    {
        int u = 0, v = (1 << 23) - 10;
        LoihiLif.Step(ref u, ref v, 1000, du: 0, dv: 0, effectiveBias: 0, effectiveThreshold: int.MaxValue, Loihi);
        Assert.Equal((1 << 23) - 1, v);
        u = 0;
        v = -(1 << 23) + 10;
        LoihiLif.Step(ref u, ref v, -1000, du: 0, dv: 0, effectiveBias: 0, effectiveThreshold: int.MaxValue, Loihi);
        Assert.Equal(-(1 << 23) + 1, v);
    }

    [Fact]
    public void Never_spike_threshold_exceeds_the_saturated_voltage()
    {
        int u = 0, v = 0;
        bool spiked = false;
        for (int t = 0; t < 5; t++)
            spiked |= LoihiLif.Step(ref u, ref v, 30000, du: 4095, dv: 0, effectiveBias: 0, LoihiLif.EffectiveThreshold(Loihi.NeverSpikeThreshold, Loihi), Loihi);
        Assert.Equal((1 << 23) - 1, v);
        Assert.False(spiked);
    }

    [Fact]
    public void Dense_weights_are_clipped_and_truncated_by_sign_mode()
    {
        // Mixed: clip to [−256, 255], then drop 8 − 8 + 1 = 1 low bit by an arithmetic shift (floor to even).
        Assert.Equal([-256, -256, -4, 2, 254, 254], LoihiDense.Prepare([-300, -256, -3, 3, 255, 400], LoihiSignMode.Mixed, 8));
        // Excitatory: [0, 255], nothing dropped at 8 bits; 6 bits drop 2 (floor to multiples of 4).
        Assert.Equal([0, 3, 255], LoihiDense.Prepare([-5, 3, 300], LoihiSignMode.Excitatory, 8));
        Assert.Equal([0, 0, 252], LoihiDense.Prepare([-5, 3, 255], LoihiSignMode.Excitatory, 6));
        // Inhibitory: negated, clipped to [0, 255], truncated (6 bits: 2 dropped), negated back (toward zero).
        Assert.Equal([-252, -4, 0], LoihiDense.Prepare([-300, -7, 2], LoihiSignMode.Inhibitory, 6));
        Assert.Equal([-255, -7, 0], LoihiDense.Prepare([-300, -7, 2], LoihiSignMode.Inhibitory, 8));
        Assert.Equal(LoihiSignMode.Excitatory, LoihiDense.DetermineSignMode([0, 1, 2]));
        Assert.Equal(LoihiSignMode.Inhibitory, LoihiDense.DetermineSignMode([0, -1]));
        Assert.Equal(LoihiSignMode.Mixed, LoihiDense.DetermineSignMode([-1, 1]));
    }

    [Fact]
    public void Dense_weight_exponent_shifts_the_sum()
    {
        Assert.Equal(-3 * 8, LoihiDense.ScaleAccumulation(-3, 3));
        Assert.Equal(-2, LoihiDense.ScaleAccumulation(-3, -1));   // right shift floors: −1.5 → −2
        Assert.Equal(1, LoihiDense.ScaleAccumulation(3, -1));
        Assert.Equal(7, LoihiDense.ScaleAccumulation(7, 0));
    }
}
