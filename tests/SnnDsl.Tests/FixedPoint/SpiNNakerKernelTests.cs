using System.Runtime.Intrinsics;
using SnnDsl.FixedPoint;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The generated integer kernel <c>CubaLifZeroReset.StepSpiNNaker</c> ([FixedPoint(Chip.SpiNNaker)]) against the
/// runtime's sPyNNaker reference <see cref="SpiNNakerLif"/> (IF_curr_exp written from sPyNNaker's source), bit for bit:
/// the reference with one excitatory synapse, V_rest = V_reset = I_offset = 0 and no refractory period (what the float
/// neuron has), on random s16.15 states, parameters and inputs — with the wrapping additions, the saturating rounded
/// products and the floor of the u0.32 decays — on a population whose size runs the Vector512 loop, the Vector256 loop
/// and the scalar tail (CI runs this category at each width).
/// </summary>
[Trait("Category", "Kernels")]
public class SpiNNakerKernelTests
{
    // 3 × 16 + 8 + 5 neurons: the Vector512 loop, then one Vector256 iteration, then the scalar tail.
    private const int Neurons = 61;

    private static SpiNNakerLifParameters Parameters(int expTc, int resistance, int threshold, uint decay, uint init) =>
        new(expTc, resistance, RestingVoltage: 0, ResetVoltage: 0, threshold, OffsetCurrent: 0, RefractorySteps: 0,
            ExcitatoryDecay: decay, ExcitatoryInit: init, InhibitoryDecay: 0, InhibitoryInit: 0);

    /// <summary>Runs kernel and reference side by side from the given states; asserts every state and spike of every step.</summary>
    private static void AssertBitExact(int steps, int[] initialCurrent, int[] initialVoltage, SpiNNakerLifParameters p, Func<int, int, int> input)
    {
        int[] current = [.. initialCurrent], voltage = [.. initialVoltage];
        SpiNNakerLifState[] reference = [.. Enumerable.Range(0, Neurons).Select(k => new SpiNNakerLifState { Excitatory = initialCurrent[k], Voltage = initialVoltage[k] })];
        var x = new int[Neurons];
        var spikes = new ulong[1];
        for (int t = 0; t < steps; t++)
        {
            for (int k = 0; k < Neurons; k++) x[k] = input(t, k);
            CubaLifZeroReset.StepSpiNNaker(current, voltage, x, p.ExpTc, p.Resistance, p.Threshold, p.ExcitatoryDecay, p.ExcitatoryInit, spikes);
            for (int k = 0; k < Neurons; k++)
            {
                SpiNNakerLif.AddExcitatory(ref reference[k], x[k], p);
                bool fired = SpiNNakerLif.Step(ref reference[k], p);
                if (current[k] != reference[k].Excitatory || voltage[k] != reference[k].Voltage || ((spikes[0] >> k & 1) == 1) != fired)
                    Assert.Fail($"step {t}, neuron {k} ({p}, x {x[k]}): kernel I {current[k]}, V {voltage[k]}, spike {(spikes[0] >> k) & 1}; " +
                                $"reference I {reference[k].Excitatory}, V {reference[k].Voltage}, spike {fired} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
    }

    private static uint RandomFraction(Random random) => (uint)random.NextInt64(0, 1L << 32);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_parameters_and_inputs_match_the_reference(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 6; trial++)
        {
            // Parameters of a float network (β, R = 1/(1 − β), θ of a few mV) and arbitrary ones.
            int expTc = random.Next(0, (1 << 15) + 1);
            int resistance = trial % 2 == 0 ? (int)Math.Min(int.MaxValue, (1L << 30) / Math.Max(1, (1 << 15) - expTc)) : random.Next();
            int threshold = trial % 3 == 0 ? random.Next() - (1 << 30) : random.Next(1 << 14, 1 << 18);
            var p = Parameters(expTc, resistance, threshold, RandomFraction(random), RandomFraction(random));
            int[] current = [.. Enumerable.Range(0, Neurons).Select(_ => random.Next(-1 << 20, 1 << 20))];
            int[] voltage = [.. Enumerable.Range(0, Neurons).Select(_ => random.Next(-1 << 20, 1 << 20))];
            int scale = trial % 2 == 0 ? 1 << 16 : int.MaxValue;
            AssertBitExact(400, current, voltage, p, (_, _) => random.Next(-scale, scale));
        }
    }

    [Fact]
    public void Wrapping_additions_and_saturating_products_match_the_reference()
    {
        // Large inputs and currents: I + ⌊x·init⌋ wraps past ±2^31, I·R saturates at the 32-bit limits, α − V wraps.
        var random = new Random(5);
        int[] edges = [int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1, 0, 1, -1, 1 << 30, -(1 << 30)];
        int[] current = [.. Enumerable.Range(0, Neurons).Select(k => edges[k % edges.Length])];
        int[] voltage = [.. Enumerable.Range(0, Neurons).Select(k => edges[(k / edges.Length + k) % edges.Length])];
        foreach ((int expTc, int resistance, uint decay, uint init) in new[] { (0, int.MaxValue, uint.MaxValue, uint.MaxValue), (1 << 15, int.MinValue, 0u, uint.MaxValue), (1 << 14, 1 << 20, 1u << 31, 1u << 31), (32767, -1, uint.MaxValue, 1u) })
            AssertBitExact(200, current, voltage, Parameters(expTc, resistance, int.MaxValue, decay, init), (t, k) => edges[(t + k) % edges.Length] - random.Next(2));
    }

    [Fact]
    public void Threshold_is_not_strict_and_resets_to_zero()
    {
        // Hand-computed: I = 0, x = 2^15 (1.0) with init = 2^31 (½): I = 2^14; R = 2^15 (1.0): α = 2^14; exp_TC = 0: V = α = 2^14.
        // V_thresh = 2^14 fires (≥) and V ← 0; then I ← ⌊2^14·decay⌋ with decay = 2^31: 2^13.
        var current = new int[Neurons];
        var voltage = new int[Neurons];
        var spikes = new ulong[1];
        int[] input = [.. Enumerable.Repeat(1 << 15, Neurons)];
        CubaLifZeroReset.StepSpiNNaker(current, voltage, input, exp_TC: 0, R_membrane: 1 << 15, V_thresh: 1 << 14, decay: 1u << 31, init: 1u << 31, spikes);
        Assert.All(current, i => Assert.Equal(1 << 13, i));
        Assert.All(voltage, v => Assert.Equal(0, v));
        Assert.Equal((1UL << Neurons) - 1, spikes[0]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData((1 << 15) + 1)]
    public void Membrane_decay_outside_the_unit_interval_throws(int expTc)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => CubaLifZeroReset.StepSpiNNaker(new int[4], new int[4], new int[4], expTc, 1, 1, 0, 0, new ulong[1]));
        Assert.Equal("exp_TC", exception.ParamName);
    }

    [Fact]
    public void Lanes_give_the_reference_bits_at_the_edges()
    {
        int[] values = [0, 1, -1, 2, -2, 1 << 14, -(1 << 14), 1 << 15, -(1 << 15), 3 << 13, -(3 << 13), int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1, 123456789, -987654321];
        uint[] fractions = [0, 1, 1u << 31, uint.MaxValue, uint.MaxValue - 1, 0x9E3779B9];
        foreach (int x in values)
        {
            foreach (int y in values)
            {
                int scalar = IntegerLanes.MultiplyRoundNearest(x, y, 15);
                Assert.Equal(SpiNNakerLif.MultiplyAccum(x, y), scalar);
                Assert.Equal(scalar, IntegerLanes.MultiplyRoundNearest(Vector512.Create(x), y, 15)[9]);
                Assert.Equal(scalar, IntegerLanes.MultiplyRoundNearest(Vector256.Create(x), y, 15)[4]);
            }
            foreach (uint f in fractions)
            {
                int scalar = IntegerLanes.MultiplyUnsignedFraction(x, f);
                Assert.Equal(SpiNNakerLif.DecayS1615(x, f), scalar);
                Assert.Equal(scalar, IntegerLanes.MultiplyUnsignedFraction(Vector512.Create(x), f)[11]);
                Assert.Equal(scalar, IntegerLanes.MultiplyUnsignedFraction(Vector256.Create(x), f)[6]);
            }
        }
    }
}
