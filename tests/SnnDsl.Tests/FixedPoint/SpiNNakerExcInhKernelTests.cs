using SnnDsl.FixedPoint;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The generated two-receptor kernel <c>CubaLifZeroReset.StepSpiNNakerExcInh</c> against the runtime's sPyNNaker reference
/// <see cref="SpiNNakerLif"/>, bit for bit: IF_curr_exp with its excitatory and inhibitory synapses (each input entering with
/// its own init, the closed form on exc − inh, each decayed with its own u0.32 register after the update), V_rest = V_reset =
/// I_offset = 0 and no refractory period, on random s16.15 states, registers and inputs that change every step, and at the
/// 32-bit edges — on a population whose size runs the Vector512 loop, the Vector256 loop and the scalar tail.
/// </summary>
[Trait("Category", "Kernels")]
public class SpiNNakerExcInhKernelTests
{
    // 3 × 16 + 8 + 5 neurons: the Vector512 loop, then one Vector256 iteration, then the scalar tail.
    private const int Neurons = 61;

    private static SpiNNakerLifParameters Parameters(int expTc, int resistance, int threshold, uint decay, uint init, uint decayInh, uint initInh) =>
        new(expTc, resistance, RestingVoltage: 0, ResetVoltage: 0, threshold, OffsetCurrent: 0, RefractorySteps: 0,
            ExcitatoryDecay: decay, ExcitatoryInit: init, InhibitoryDecay: decayInh, InhibitoryInit: initInh);

    private static void Step(int[] current, int[] inhibitory, int[] voltage, int[] x, int[] xInh, in SpiNNakerLifParameters p, ulong[] spikes) =>
        CubaLifZeroReset.StepSpiNNakerExcInh(current, inhibitory, voltage, x, xInh, p.ExpTc, p.Resistance, p.Threshold,
            p.ExcitatoryDecay, p.ExcitatoryInit, p.InhibitoryDecay, p.InhibitoryInit, spikes);

    /// <summary>Runs kernel and reference side by side from the given states; asserts every state and spike of every step.</summary>
    private static void AssertBitExact(int steps, int[] initialCurrent, int[] initialInhibitory, int[] initialVoltage, SpiNNakerLifParameters p, Func<int, int, int> input, Func<int, int, int> inhibitoryInput)
    {
        int[] current = [.. initialCurrent], inhibitory = [.. initialInhibitory], voltage = [.. initialVoltage];
        SpiNNakerLifState[] reference = [.. Enumerable.Range(0, Neurons).Select(k => new SpiNNakerLifState { Excitatory = initialCurrent[k], Inhibitory = initialInhibitory[k], Voltage = initialVoltage[k] })];
        var x = new int[Neurons];
        var xInh = new int[Neurons];
        var spikes = new ulong[1];
        for (int t = 0; t < steps; t++)
        {
            for (int k = 0; k < Neurons; k++)
            {
                x[k] = input(t, k);
                xInh[k] = inhibitoryInput(t, k);
            }
            Step(current, inhibitory, voltage, x, xInh, p, spikes);
            for (int k = 0; k < Neurons; k++)
            {
                SpiNNakerLif.AddExcitatory(ref reference[k], x[k], p);
                SpiNNakerLif.AddInhibitory(ref reference[k], xInh[k], p);
                bool fired = SpiNNakerLif.Step(ref reference[k], p);
                if (current[k] != reference[k].Excitatory || inhibitory[k] != reference[k].Inhibitory || voltage[k] != reference[k].Voltage || ((spikes[0] >> k & 1) == 1) != fired)
                    Assert.Fail($"step {t}, neuron {k} ({p}, x {x[k]}, x_inh {xInh[k]}): kernel I {current[k]}, I_inh {inhibitory[k]}, V {voltage[k]}, spike {(spikes[0] >> k) & 1}; " +
                                $"reference exc {reference[k].Excitatory}, inh {reference[k].Inhibitory}, V {reference[k].Voltage}, spike {fired} (SIMD {SpikeOps.ActiveSimdWidth})");
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
            // Parameters of a float network (β, R = 1/(1 − β), θ of a few mV) and arbitrary ones; the two receptors' registers differ.
            int expTc = random.Next(0, (1 << 15) + 1);
            int resistance = trial % 2 == 0 ? (int)Math.Min(int.MaxValue, (1L << 30) / Math.Max(1, (1 << 15) - expTc)) : random.Next();
            int threshold = trial % 3 == 0 ? random.Next() - (1 << 30) : random.Next(1 << 14, 1 << 18);
            var p = Parameters(expTc, resistance, threshold, RandomFraction(random), RandomFraction(random), RandomFraction(random), RandomFraction(random));
            int[] current = [.. Enumerable.Range(0, Neurons).Select(_ => random.Next(-1 << 20, 1 << 20))];
            int[] inhibitory = [.. Enumerable.Range(0, Neurons).Select(_ => random.Next(-1 << 20, 1 << 20))];
            int[] voltage = [.. Enumerable.Range(0, Neurons).Select(_ => random.Next(-1 << 20, 1 << 20))];
            // Ring-buffer inputs are ≥ 0 on the chip (16-bit sums shifted left); arbitrary signed ones test the arithmetic.
            int scale = trial % 2 == 0 ? 1 << 16 : int.MaxValue;
            int low = trial % 2 == 0 ? 0 : -scale;
            AssertBitExact(400, current, inhibitory, voltage, p, (_, _) => random.Next(low, scale), (_, _) => random.Next(low, scale));
        }
    }

    [Fact]
    public void Wrapping_additions_and_saturating_products_match_the_reference()
    {
        // Large inputs and currents: each receptor's I + ⌊x·init⌋ wraps past ±2^31, so does exc − inh; (exc − inh)·R saturates; α − V wraps.
        var random = new Random(5);
        int[] edges = [int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1, 0, 1, -1, 1 << 30, -(1 << 30)];
        int[] current = [.. Enumerable.Range(0, Neurons).Select(k => edges[k % edges.Length])];
        int[] inhibitory = [.. Enumerable.Range(0, Neurons).Select(k => edges[(k / 3 + 2 * k) % edges.Length])];
        int[] voltage = [.. Enumerable.Range(0, Neurons).Select(k => edges[(k / edges.Length + k) % edges.Length])];
        foreach ((int expTc, int resistance, uint decay, uint init, uint decayInh, uint initInh) in new[]
                 {
                     (0, int.MaxValue, uint.MaxValue, uint.MaxValue, 0u, uint.MaxValue),
                     (1 << 15, int.MinValue, 0u, uint.MaxValue, uint.MaxValue, 1u),
                     (1 << 14, 1 << 20, 1u << 31, 1u << 31, 1u << 30, 3u << 30),
                     (32767, -1, uint.MaxValue, 1u, uint.MaxValue - 1, uint.MaxValue),
                 })
            AssertBitExact(200, current, inhibitory, voltage, Parameters(expTc, resistance, int.MaxValue, decay, init, decayInh, initInh),
                (t, k) => edges[(t + k) % edges.Length] - random.Next(2), (t, k) => edges[(2 * t + 5 * k) % edges.Length] + random.Next(2));
    }

    [Fact]
    public void Inhibitory_input_lowers_the_membrane()
    {
        // Hand-computed: x = 0, x_inh = 2^15 (1.0) with init_inh = 2^31 (½): I_inh = 2^14; R = 2^15 (1.0), exp_TC = 0:
        // α = round((0 − 2^14)·1.0) = −2^14 = V. No spike; then I_inh ← ⌊2^14·decay_inh⌋ with decay_inh = 2^30: 2^12.
        var current = new int[Neurons];
        var inhibitory = new int[Neurons];
        var voltage = new int[Neurons];
        var spikes = new ulong[1];
        int[] inhibitoryInput = [.. Enumerable.Repeat(1 << 15, Neurons)];
        CubaLifZeroReset.StepSpiNNakerExcInh(current, inhibitory, voltage, new int[Neurons], inhibitoryInput, exp_TC: 0, R_membrane: 1 << 15, V_thresh: 1,
            decay: 1u << 31, init: 1u << 31, decayInh: 1u << 30, initInh: 1u << 31, spikes);
        Assert.All(current, i => Assert.Equal(0, i));
        Assert.All(inhibitory, h => Assert.Equal(1 << 12, h));
        Assert.All(voltage, v => Assert.Equal(-(1 << 14), v));
        Assert.Equal(0UL, spikes[0]);
    }

    [Fact]
    public void The_receptors_decay_separately()
    {
        // Hand-computed: exc = 2, inh = 1 (raw), decays ½: ⌊2·½⌋ − ⌊1·½⌋ = 1, where one receptor holding exc − inh would have
        // ⌊(2 − 1)·½⌋ = 0. With R = 2^15 and exp_TC = 0, V = exc − inh: 1 after the first step and 1 after the second.
        int[] current = [.. Enumerable.Repeat(2, Neurons)], inhibitory = [.. Enumerable.Repeat(1, Neurons)];
        var voltage = new int[Neurons];
        var zero = new int[Neurons];
        var spikes = new ulong[1];
        for (int step = 0; step < 2; step++)
        {
            CubaLifZeroReset.StepSpiNNakerExcInh(current, inhibitory, voltage, zero, zero, exp_TC: 0, R_membrane: 1 << 15, V_thresh: int.MaxValue,
                decay: 1u << 31, init: 0, decayInh: 1u << 31, initInh: 0, spikes);
            Assert.All(voltage, v => Assert.Equal(1, v));
        }
        Assert.All(current, i => Assert.Equal(0, i));
        Assert.All(inhibitory, h => Assert.Equal(0, h));
    }

    [Fact]
    public void Arguments_outside_the_chip_throw()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() =>
            CubaLifZeroReset.StepSpiNNakerExcInh(new int[4], new int[4], new int[4], new int[4], new int[4], (1 << 15) + 1, 1, 1, 0, 0, 0, 0, new ulong[1]));
        Assert.Equal("exp_TC", exception.ParamName);
        Assert.Equal("synapticInputInh", Assert.Throws<ArgumentException>(() =>
            CubaLifZeroReset.StepSpiNNakerExcInh(new int[4], new int[4], new int[4], new int[4], new int[3], 0, 1, 1, 0, 0, 0, 0, new ulong[1])).ParamName);
        Assert.Equal("stateIInh", Assert.Throws<ArgumentException>(() =>
            CubaLifZeroReset.StepSpiNNakerExcInh(new int[4], new int[2], new int[4], new int[4], new int[4], 0, 1, 1, 0, 0, 0, 0, new ulong[1])).ParamName);
    }
}
