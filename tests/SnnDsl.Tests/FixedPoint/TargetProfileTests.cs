using SnnDsl.FixedPoint;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The decay encodings the profiles compute — shared by the quantizer and the analyzers (SNN0602) — against the integer
/// references they stand for, and the chips of <c>[Hardware(Chip.…)]</c>.
/// </summary>
public class TargetProfileTests
{
    private static readonly LoihiProfile Loihi = TargetProfiles.Loihi;

    [Fact]
    public void Loihi_decay_registers_of_one_half_are_Lavas_golden_du_2047_and_dv_2048()
    {
        // lava-nc/lava tests/lava/proc/lif/test_models.py: du = 2047 halves u, dv = 2048 halves v.
        Assert.Equal((2047, 0.5), Loihi.CurrentDecay(0.5));
        Assert.Equal((2048, 0.5), Loihi.VoltageDecay(0.5));
    }

    [Theory]
    [InlineData(0.0, 4095, 0.0)]                 // Lif: du = 4095 clears u every step
    [InlineData(1.0, 0, 4095 / 4096.0)]          // the current cannot keep all of itself (ds_offset = 1)
    [InlineData(0.8187, 742, 3353 / 4096.0)]     // CubaLif's α
    public void Loihi_current_decay_is_the_nearest_of_4095_minus_du_over_4096(double factor, int du, double represented) =>
        Assert.Equal((du, represented), Loihi.CurrentDecay(factor));

    [Theory]
    [InlineData(1.0, 0, 1.0)]                    // dv = 0 keeps v
    [InlineData(0.0, 4095, 1 / 4096.0)]          // dv ≤ 4095: v always keeps 1/4096
    [InlineData(0.9048, 390, 3706 / 4096.0)]     // CubaLif's β
    public void Loihi_voltage_decay_is_the_nearest_of_4096_minus_dv_over_4096(double factor, int dv, double represented) =>
        Assert.Equal((dv, represented), Loihi.VoltageDecay(factor));

    [Fact]
    public void A_snapped_current_decay_is_what_the_Lava_compartment_does_with_its_register()
    {
        // u = 2^20 with no input decays by (4095 − du)/4096 per step, truncated toward zero.
        (int du, double factor) = Loihi.CurrentDecay(0.75);
        int u = 1 << 20, v = 0;
        LoihiLif.Step(ref u, ref v, 0, du, 0, 0, int.MaxValue, Loihi);
        Assert.Equal((int)((1 << 20) * factor), u);
    }

    [Theory]
    [InlineData(0.9048, 0, 3)]   // CubaLif's β: 0.875 (error 0.030) is nearer than 0.9375 (0.033)
    [InlineData(0.95, 0, 4)]
    [InlineData(0.2, 0, 0)]      // dash 0 clears the state: 0 is nearer than 0.5
    [InlineData(0.2, 1, 1)]      // the quantizer's synaptic decays start at dash 1
    [InlineData(0.99999, 0, 15)]
    public void Xylo_nearest_dash(double decay, int minimumDash, int dash) =>
        Assert.Equal(dash, TargetProfiles.XyloAudio2.NearestDash(decay, minimumDash));

    [Fact]
    public void A_dash_decay_is_what_xylosims_shift_and_subtract_does()
    {
        // xylosim's decay returns Δ = x >> 3 = 125, which the neuron subtracts: 1000 − 125 = 875 = 1000·(1 − 2^−3).
        Assert.Equal(0.875, TargetProfiles.XyloAudio2.DashDecay(3));
        Assert.Equal(1000 * TargetProfiles.XyloAudio2.DashDecay(3), 1000 - XyloNeuron.Decay(1000, 3));
    }

    [Fact]
    public void Nearest_raw_rounds_half_to_even_and_clamps_to_the_format()
    {
        FixedFormat quarters = FixedFormat.Unsigned(0, 2);
        Assert.Equal(0, quarters.NearestRaw(0.125));          // 0.5 LSB → 0 (even)
        Assert.Equal(2, quarters.NearestRaw(0.375));          // 1.5 LSB → 2 (even)
        Assert.Equal(3, quarters.NearestRaw(2.0));            // clamped to 0.75
        Assert.Equal(0, quarters.NearestRaw(-1.0));
        Assert.Equal(uint.MaxValue, FixedFormat.U0_32.NearestRaw(1.0));   // sPyNNaker's decay_t holds no 1
        Assert.Equal(-49152, FixedFormat.S16_15.NearestRaw(-1.5));
        Assert.Equal(0.75, quarters.ValueOf(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => quarters.NearestRaw(double.NaN));
    }

    [Fact]
    public void Every_chip_has_its_published_profile()
    {
        Assert.Same(TargetProfiles.Loihi, TargetProfiles.For(Chip.Loihi));
        Assert.Same(TargetProfiles.XyloAudio2, TargetProfiles.For(Chip.XyloAudio2));
        Assert.Same(TargetProfiles.XyloAudio3, TargetProfiles.For(Chip.XyloAudio3));
        Assert.Same(TargetProfiles.XyloImu, TargetProfiles.For(Chip.XyloImu));
        Assert.Same(TargetProfiles.SpiNNaker, TargetProfiles.For(Chip.SpiNNaker));
        Assert.Equal(5, Enum.GetValues<Chip>().Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => TargetProfiles.For((Chip)99));
    }
}
