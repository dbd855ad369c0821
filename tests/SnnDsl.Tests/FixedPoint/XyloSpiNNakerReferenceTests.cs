using SnnDsl.FixedPoint;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>The Xylo neuron (xylosim) and the SpiNNaker IF_curr_exp (sPyNNaker) references on hand-computed cases.</summary>
public class XyloSpiNNakerReferenceTests
{
    [Fact]
    public void Xylo_decay_has_a_minimum_step_of_one()
    {
        Assert.Equal(25, XyloNeuron.Decay(100, 2));
        Assert.Equal(1, XyloNeuron.Decay(3, 4));     // 3 >> 4 = 0 → 1
        Assert.Equal(-1, XyloNeuron.Decay(-3, 4));   // −3 >> 4 = −1 (the shift floors)
        Assert.Equal(0, XyloNeuron.Decay(0, 4));
        Assert.Equal(-32768, XyloNeuron.Decay(short.MinValue, 0));

        // x ← x − Δ(x, 2) from 20: exponential while x >> 2 ≥ 1, then linear steps of 1 down to 0.
        short x = 20;
        var trace = new List<int>();
        while (x != 0)
        {
            x = (short)(x - XyloNeuron.Decay(x, 2));
            trace.Add(x);
        }
        Assert.Equal([15, 12, 9, 7, 6, 5, 4, 3, 2, 1, 0], trace);
    }

    [Fact]
    public void Xylo_safe_add_saturates_at_16_bits()
    {
        Assert.Equal(32767, XyloNeuron.SafeAdd(32000, 1000, 16));
        Assert.Equal(-32768, XyloNeuron.SafeAdd(-32000, -1000, 16));
        Assert.Equal(50, XyloNeuron.SafeAdd(100, -50, 16));
        Assert.Equal(32767, XyloNeuron.SafeAdd(32767, 0, 16));
        Assert.Equal(32767, XyloNeuron.SafeAdd(32766, 1, 16));
        Assert.Equal(32767, XyloNeuron.SafeAdd(-5, 100000, 16));   // the long sum of two synaptic states
    }

    [Fact]
    public void Xylo_shifted_weight_is_passed_as_int16()
    {
        Assert.Equal(127 << 8, XyloNeuron.ReceiveSpike(0, 127, 8));
        Assert.Equal(-512, XyloNeuron.ReceiveSpike(0, 127, 9));     // 65024 does not fit in int16: it wraps
        Assert.Equal(32767, XyloNeuron.ReceiveSpike(32000, 100, 3));
    }

    [Fact]
    public void Xylo_emits_several_spikes_up_to_the_cap_and_subtracts_each()
    {
        short v = 100;
        Assert.Equal(3, XyloNeuron.Fire(ref v, 30, 0, 31));
        Assert.Equal(10, v);
        v = 100;
        Assert.Equal(2, XyloNeuron.Fire(ref v, 30, 0, 2));
        Assert.Equal(40, v);
        v = 30;
        Assert.Equal(1, XyloNeuron.Fire(ref v, 30, 0, 1));   // ≥: equality fires
        Assert.Equal(0, v);
        v = 100;
        Assert.Equal(31, XyloNeuron.Fire(ref v, 30, 31, 31)); // the buffer already holds the cap (aliases)
        Assert.Equal(100, v);
    }

    [Fact]
    public void Xylo_v1_and_v2_differ_where_the_intermediate_sum_saturates()
    {
        // Two synaptic states of 30000 decaying by 1 (30000 >> 15 = 0 → 1) sum to 59998; v = −20000 decays by 1.
        short[] i1 = [30000, 30000], i2 = [30000, 30000];
        byte[] dash = [15, 15];
        short v1 = -20000, v2 = -20000;
        XyloNeuron.EvolveV1(ref v1, i1, 15, dash, threshold: 32767, spikes: 0, maxSpikes: 0);
        XyloNeuron.EvolveV2(ref v2, i2, 15, dash, threshold: 32767, hasBias: false, bias: 0, spikes: 0, maxSpikes: 0);
        Assert.Equal([29999, 29999], i1);
        Assert.Equal(32767, v1);   // v1: sat(−19999 + 59998)
        Assert.Equal(12767, v2);   // v2: dv = sat(1 + 59998) = 32767, v = sat(−20000 + 32767)
    }

    [Fact]
    public void Xylo_v2_adds_the_bias_to_the_membrane_change()
    {
        short[] i = [64];
        short v = 40;
        int spikes = XyloNeuron.EvolveV2(ref v, i, dashMem: 1, dashSyn: [2], threshold: 50, hasBias: true, bias: -7, spikes: 0, maxSpikes: 31);
        // i = 64 − 16 = 48; dv = −(40 >> 1) + 48 − 7 = 21; v = 61 ≥ 50 → one spike, v = 11.
        Assert.Equal(48, i[0]);
        Assert.Equal(1, spikes);
        Assert.Equal(11, v);
    }

    [Fact]
    public void SpiNNaker_accum_multiply_rounds_to_nearest_ties_up_and_saturates()
    {
        Assert.Equal(73728, SpiNNakerLif.MultiplyAccum(49152, 49152));       // 1.5 · 1.5 = 2.25
        Assert.Equal(1, SpiNNakerLif.MultiplyAccum(1, 16384));               // 2^−15 · 0.5 = half an LSB → up
        Assert.Equal(0, SpiNNakerLif.MultiplyAccum(-1, 16384));              // −half an LSB → up to 0
        Assert.Equal(-1, SpiNNakerLif.MultiplyAccum(-3, 16384));             // −1.5 LSB → −1
        Assert.Equal(int.MaxValue, SpiNNakerLif.MultiplyAccum(30000 << 15, 3 << 15));
        Assert.Equal(int.MinValue, SpiNNakerLif.MultiplyAccum(30000 << 15, -3 << 15));
        Assert.Equal(int.MaxValue, SpiNNakerLif.MultiplyAccum(int.MinValue, int.MinValue));
    }

    [Fact]
    public void SpiNNaker_decay_floors()
    {
        Assert.Equal(1, SpiNNakerLif.DecayS1615(3, 0x80000000));      // 1.5 → 1
        Assert.Equal(-2, SpiNNakerLif.DecayS1615(-3, 0x80000000));    // −1.5 → −2
        Assert.Equal(0, SpiNNakerLif.DecayS1615(int.MaxValue, 0));
        Assert.Equal(int.MaxValue - 1, SpiNNakerLif.DecayS1615(int.MaxValue, uint.MaxValue));
    }

    [Fact]
    public void SpiNNaker_lif_follows_the_closed_form_then_decays_the_synapse()
    {
        // exp_TC = 0.5, R = 2, V_rest = 0, θ = 1, init = decay = 0.5.
        var p = new SpiNNakerLifParameters(ExpTc: 16384, Resistance: 65536, RestingVoltage: 0, ResetVoltage: 0, Threshold: 32768,
            OffsetCurrent: 0, RefractorySteps: 2, ExcitatoryDecay: 0x80000000, ExcitatoryInit: 0x80000000, InhibitoryDecay: 0x80000000, InhibitoryInit: 0x80000000);
        var s = new SpiNNakerLifState();
        SpiNNakerLif.AddExcitatory(ref s, 49152, p);            // exc = ⌊1.5 · 0.5⌋ = 0.75
        Assert.Equal(24576, s.Excitatory);
        Assert.False(SpiNNakerLif.Step(ref s, p));               // α = 1.5; V = 1.5 − 0.5·1.5 = 0.75
        Assert.Equal(24576, s.Voltage);
        Assert.Equal(12288, s.Excitatory);                       // shaped after the update
        Assert.False(SpiNNakerLif.Step(ref s, p));               // α = 0.75 = V: unchanged
        Assert.Equal(24576, s.Voltage);
        Assert.False(SpiNNakerLif.Step(ref s, p));               // α = 0.375; V = 0.375 − 0.5·(0.375 − 0.75) = 0.5625
        Assert.Equal(18432, s.Voltage);

        // A large input: V ≥ θ → V_reset and two refractory steps in which V is held.
        SpiNNakerLif.AddExcitatory(ref s, 8 << 15, p);
        Assert.True(SpiNNakerLif.Step(ref s, p));
        Assert.Equal(0, s.Voltage);
        Assert.Equal(2, s.RefractoryTimer);
        SpiNNakerLif.AddExcitatory(ref s, 8 << 15, p);
        Assert.False(SpiNNakerLif.Step(ref s, p));
        Assert.False(SpiNNakerLif.Step(ref s, p));
        Assert.Equal(0, s.Voltage);
        Assert.Equal(0, s.RefractoryTimer);
        Assert.True(SpiNNakerLif.Step(ref s, p));                // integrating again: the leftover current crosses θ
    }
}
