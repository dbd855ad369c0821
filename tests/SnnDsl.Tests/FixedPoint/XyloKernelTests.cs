using System.Runtime.Intrinsics;
using SnnDsl.FixedPoint;
using SnnDsl.Neurons;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The generated integer kernels <c>CubaLif.StepXyloAudio2</c> (xylosim v1), <c>StepXyloAudio3</c> and <c>StepXyloImu</c>
/// (v2), from [FixedPoint(Chip.Xylo…)], against the runtime's Xylo reference <see cref="XyloNeuron"/> (written from
/// xylosim's <c>XyloIAFNeuron.cpp</c>), bit for bit: every state and spike count of every step, on random states over
/// the whole int16 range, random dashes, thresholds, caps and inputs, and at the corners (saturation, the minimum decay
/// step, the spike caps, −2^15), on a population whose size runs the Vector512 loop, the Vector256 loop and the scalar
/// tail (CI runs this category at each width).
/// </summary>
[Trait("Category", "Kernels")]
public class XyloKernelTests
{
    private static readonly XyloProfile Xylo = TargetProfiles.XyloAudio2;

    // 3 × 16 + 8 + 5 neurons: the Vector512 loop, then one Vector256 iteration, then the scalar tail.
    private const int Neurons = 61;

    private delegate void XyloStep(Span<int> current, Span<int> voltage, ReadOnlySpan<int> input, int dashSyn, int dashMem, int threshold, int maxSpikes, Span<int> spikeCounts);

    public static TheoryData<Chip> Devices => [Chip.XyloAudio2, Chip.XyloAudio3, Chip.XyloImu];

    private static XyloStep Kernel(Chip chip) => chip switch
    {
        Chip.XyloAudio2 => CubaLif.StepXyloAudio2,
        Chip.XyloAudio3 => CubaLif.StepXyloAudio3,
        Chip.XyloImu => CubaLif.StepXyloImu,
        _ => throw new ArgumentOutOfRangeException(nameof(chip)),
    };

    /// <summary>
    /// The reference step of one neuron: the step's input arrives as one event (<c>receiveSpike</c>'s <c>safe_add</c>),
    /// then the device's <c>evolve</c> (v1 or v2, no bias) with the cap, starting from 0 spikes.
    /// </summary>
    private static int ReferenceStep(XyloCoreVersion version, ref short current, ref short voltage, int input, int dashSyn, int dashMem, int threshold, int maxSpikes)
    {
        current = (short)XyloNeuron.SafeAdd(current, input, Xylo.StateBits);
        Span<short> currents = [current];
        ReadOnlySpan<byte> dashes = [(byte)dashSyn];
        int spikes = version == XyloCoreVersion.V1
            ? XyloNeuron.EvolveV1(ref voltage, currents, dashMem, dashes, (short)threshold, 0, maxSpikes, Xylo.StateBits)
            : XyloNeuron.EvolveV2(ref voltage, currents, dashMem, dashes, (short)threshold, false, 0, 0, maxSpikes, Xylo.StateBits);
        current = currents[0];
        return spikes;
    }

    /// <summary>Runs kernel and reference side by side from the given states and asserts every state and count of every step.</summary>
    private static void AssertBitExact(Chip chip, int steps, int[] initialCurrent, int[] initialVoltage, Func<int, int, (int DashSyn, int DashMem, int Threshold, int MaxSpikes)> registers, Func<int, int, int> input)
    {
        XyloStep step = Kernel(chip);
        XyloCoreVersion version = ((XyloProfile)TargetProfiles.For(chip)).CoreVersion;
        int[] current = [.. initialCurrent], voltage = [.. initialVoltage];
        short[] referenceCurrent = [.. initialCurrent.Select(x => (short)x)], referenceVoltage = [.. initialVoltage.Select(x => (short)x)];
        var x = new int[Neurons];
        var counts = new int[Neurons];
        for (int t = 0; t < steps; t++)
        {
            (int dashSyn, int dashMem, int threshold, int maxSpikes) = registers(t, 0);
            for (int k = 0; k < Neurons; k++) x[k] = input(t, k);
            step(current, voltage, x, dashSyn, dashMem, threshold, maxSpikes, counts);
            for (int k = 0; k < Neurons; k++)
            {
                short i0 = referenceCurrent[k], v0 = referenceVoltage[k];
                int spikes = ReferenceStep(version, ref referenceCurrent[k], ref referenceVoltage[k], x[k], dashSyn, dashMem, threshold, maxSpikes);
                if (current[k] != referenceCurrent[k] || voltage[k] != referenceVoltage[k] || counts[k] != spikes)
                    Assert.Fail($"{chip} step {t}, neuron {k} (i_syn {i0}, v_mem {v0}, x {x[k]}, dash_syn {dashSyn}, dash_mem {dashMem}, v_th {threshold}, cap {maxSpikes}): " +
                                $"kernel i_syn {current[k]}, v_mem {voltage[k]}, spikes {counts[k]}; reference i_syn {referenceCurrent[k]}, v_mem {referenceVoltage[k]}, " +
                                $"spikes {spikes} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
    }

    private static int[] RandomStates(Random random) => [.. Enumerable.Range(0, Neurons).Select(_ => random.Next(Xylo.StateMin, Xylo.StateMax + 1))];

    [Theory]
    [MemberData(nameof(Devices))]
    public void Random_states_registers_and_inputs_match_the_reference(Chip chip)
    {
        var random = new Random(1 + (int)chip);
        for (int trial = 0; trial < 12; trial++)
        {
            int dashSyn = random.Next(0, Xylo.MaxDash + 1), dashMem = random.Next(0, Xylo.MaxDash + 1);
            int threshold = random.Next(1, trial % 2 == 0 ? 2000 : Xylo.StateMax + 1), cap = random.Next(1, Xylo.MaxHiddenSpikes + 1);
            int scale = trial % 3 == 0 ? 40000 : 600;
            AssertBitExact(chip, 500, RandomStates(random), RandomStates(random), (_, _) => (dashSyn, dashMem, threshold, cap), (_, _) => random.Next(-scale, scale + 1));
        }
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Registers_changing_every_step_match_the_reference(Chip chip)
    {
        var random = new Random(17 + (int)chip);
        AssertBitExact(chip, 2000, RandomStates(random), RandomStates(random),
            (_, _) => (random.Next(0, Xylo.MaxDash + 1), random.Next(0, Xylo.MaxDash + 1), random.Next(1, Xylo.StateMax + 1), random.Next(1, Xylo.MaxHiddenSpikes + 1)),
            (_, _) => random.Next(-5000, 5001));
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Corners_match_the_reference(Chip chip)
    {
        // States at ±2^15 and around 0 (the minimum decay step), dash 0 (−Δ(−2^15) = 2^15 wraps to −2^15 in v2's int16)
        // and 15, inputs that saturate both ways, thresholds of 1 (the cap binds) and 2^15 − 1, caps 1 and 31.
        int[] corners = [Xylo.StateMin, Xylo.StateMin + 1, -2, -1, 0, 1, 2, Xylo.StateMax - 1, Xylo.StateMax];
        int[] initial = [.. Enumerable.Range(0, Neurons).Select(k => corners[k % corners.Length])];
        int[] shifted = [.. Enumerable.Range(0, Neurons).Select(k => corners[(k / corners.Length + k) % corners.Length])];
        int[] inputs = [0, 1, -1, Xylo.StateMax, Xylo.StateMin, 2 * Xylo.StateMax, 2 * Xylo.StateMin];
        foreach (int dashSyn in new[] { 0, 1, Xylo.MaxDash })
        foreach (int dashMem in new[] { 0, 1, Xylo.MaxDash })
        foreach (int threshold in new[] { 1, 3, Xylo.StateMax })
        foreach (int cap in new[] { 1, Xylo.MaxHiddenSpikes })
            AssertBitExact(chip, 40, initial, shifted, (_, _) => (dashSyn, dashMem, threshold, cap), (t, k) => inputs[(t + k) % inputs.Length]);
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Bit_shift_decay_takes_the_minimum_step(Chip chip)
    {
        // xylosim's decay with dash 2 from 20 (docs/fixed-point.md, Verification): 20 → 15, 12, 9, 7, 6, 5, 4, 3, 2, 1, 0
        // (the input of the step is decayed in that step); from −20 the shift floors: −15, −11, −8, −6, −4, −3, −2, −1, 0.
        int[] positive = [15, 12, 9, 7, 6, 5, 4, 3, 2, 1, 0, 0];
        int[] negative = [-15, -11, -8, -6, -4, -3, -2, -1, 0, 0, 0, 0];
        var current = new int[Neurons];
        var voltage = new int[Neurons];
        var counts = new int[Neurons];
        var input = new int[Neurons];
        for (int t = 0; t < positive.Length; t++)
        {
            for (int k = 0; k < Neurons; k++) input[k] = t > 0 ? 0 : k % 2 == 0 ? 20 : -20;
            Kernel(chip)(current, voltage, input, dashSyn: 2, dashMem: 0, threshold: Xylo.StateMax, maxSpikes: 1, counts);
            for (int k = 0; k < Neurons; k++) Assert.Equal(k % 2 == 0 ? positive[t] : negative[t], current[k]);
        }
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Several_spikes_subtract_the_threshold_up_to_the_cap(Chip chip)
    {
        // Hand-computed: x = 200 with dash_syn 1 leaves i_syn = 100; v_mem = 0 + 100 (Δ(0) = 0 in both versions); with
        // v_th = 30: 100 → 70 → 40 → 10, three spikes; a cap of 2 stops at 40; v_th = 100 fires once (≥) to 0.
        foreach ((int threshold, int cap, int spikes, int left) in new[] { (30, 31, 3, 10), (30, 2, 2, 40), (100, 31, 1, 0), (101, 31, 0, 100) })
        {
            var current = new int[Neurons];
            var voltage = new int[Neurons];
            var counts = new int[Neurons];
            int[] input = [.. Enumerable.Repeat(200, Neurons)];
            Kernel(chip)(current, voltage, input, dashSyn: 1, dashMem: 4, threshold, cap, counts);
            Assert.All(current, i => Assert.Equal(100, i));
            Assert.All(voltage, v => Assert.Equal(left, v));
            Assert.All(counts, n => Assert.Equal(spikes, n));
        }
    }

    [Theory]
    [InlineData(-1, 0, 1, 1, "dash_syn")]
    [InlineData(16, 0, 1, 1, "dash_syn")]
    [InlineData(0, 16, 1, 1, "dash_mem")]
    [InlineData(0, 0, 0, 1, "v_th")]
    [InlineData(0, 0, 32768, 1, "v_th")]
    [InlineData(0, 0, 1, 0, "max_spikes")]
    [InlineData(0, 0, 1, 32, "max_spikes")]
    public void Register_outside_the_chip_range_throws(int dashSyn, int dashMem, int threshold, int cap, string name)
    {
        var state = new int[4];
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => CubaLif.StepXyloAudio2(state, new int[4], new int[4], dashSyn, dashMem, threshold, cap, new int[4]));
        Assert.Equal(name, exception.ParamName);
    }

    [Fact]
    public void Lanes_give_the_reference_bits_at_the_edges()
    {
        int[] values = [0, 1, -1, 2, -2, 3, -3, 20, -20, 255, -256, Xylo.StateMax, Xylo.StateMin, Xylo.StateMax + 1, Xylo.StateMin - 1, 65535, -65536];
        foreach (int x in values)
        {
            for (int dash = 0; dash <= Xylo.MaxDash; dash++)
            {
                int scalar = IntegerLanes.ShiftDecrement(x, dash);
                Assert.Equal(scalar, IntegerLanes.ShiftDecrement(Vector512.Create(x), dash)[3]);
                Assert.Equal(scalar, IntegerLanes.ShiftDecrement(Vector256.Create(x), dash)[5]);
                if (x >= Xylo.StateMin && x <= Xylo.StateMax) Assert.Equal(XyloNeuron.Decay((short)x, dash), scalar);
            }
            int truncated = IntegerLanes.Truncate(x, 16);
            Assert.Equal(unchecked((short)x), truncated);
            Assert.Equal(truncated, IntegerLanes.Truncate(Vector512.Create(x), 16)[0]);
            Assert.Equal(truncated, IntegerLanes.Truncate(Vector256.Create(x), 16)[7]);
            foreach (int y in values)
            {
                if (x < Xylo.StateMin || x > Xylo.StateMax) continue;
                int clamped = IntegerLanes.Clamp(x + y, Xylo.StateMin, Xylo.StateMax);
                Assert.Equal(XyloNeuron.SafeAdd(x, y, Xylo.StateBits), clamped);
                Assert.Equal(clamped, IntegerLanes.Clamp(Vector512.Create(x + y), Xylo.StateMin, Xylo.StateMax)[1]);
                Assert.Equal(clamped, IntegerLanes.Clamp(Vector256.Create(x + y), Xylo.StateMin, Xylo.StateMax)[2]);
            }
        }
    }
}
