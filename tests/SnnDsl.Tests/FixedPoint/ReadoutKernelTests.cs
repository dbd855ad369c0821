using SnnDsl.FixedPoint;
using SnnDsl.Neurons;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The generated integer kernels of the non-spiking <see cref="LeakyReadout"/> ([FixedPoint(Chip.…)]) and of a readout
/// in a Fixed format against the runtime's references, run as the reference networks run readouts, bit for bit: Loihi's
/// compartment with vth = 2^17 (<see cref="LoihiLif"/>, as <c>LoihiNetwork</c>), Xylo's readout neuron with θ = 2^15 − 1
/// and one spike at most (<see cref="XyloNeuron"/>, as <c>XyloNetwork</c>), sPyNNaker's IF_curr_exp with V_thresh =
/// 2^31 − 1 (<see cref="SpiNNakerLif"/>, as <c>SpiNNakerNetwork</c>), <see cref="FixedNeurons.LeakyReadout"/>. Every
/// state of every step, on random states over each chip's range, random registers and inputs changing every step, and
/// the corners where the chip's readout resets (Xylo's and sPyNNaker's membrane at its largest value), on a population
/// whose size runs the Vector512 loop, the Vector256 loop and the scalar tail (CI runs this category at each width).
/// </summary>
[Trait("Category", "Kernels")]
public class ReadoutKernelTests
{
    // 3 × 16 + 8 + 5 neurons: the Vector512 loop, then one Vector256 iteration, then the scalar tail.
    private const int Neurons = 61;

    private static readonly LoihiProfile Loihi = TargetProfiles.Loihi;
    private static readonly XyloProfile Xylo = TargetProfiles.XyloAudio2;

    private static int[] Random(Random random, int min, int max) => [.. Enumerable.Range(0, Neurons).Select(_ => (int)random.NextInt64(min, (long)max + 1))];

    // ---- Loihi: LoihiLif with vth = 2^17, as LoihiNetwork runs a readout ----

    /// <summary>Kernel and reference side by side; registers and inputs per step. Returns how many steps the reference spiked (never).</summary>
    private static void AssertLoihi(int steps, int[] initialCurrent, int[] initialVoltage, Func<int, (int Du, int Dv)> registers, Func<int, int, int> input)
    {
        int[] current = [.. initialCurrent], voltage = [.. initialVoltage];
        int[] referenceCurrent = [.. initialCurrent], referenceVoltage = [.. initialVoltage];
        int threshold = LoihiLif.EffectiveThreshold(Loihi.NeverSpikeThreshold, Loihi);
        var activation = new int[Neurons];
        for (int t = 0; t < steps; t++)
        {
            (int du, int dv) = registers(t);
            for (int k = 0; k < Neurons; k++) activation[k] = input(t, k);
            LeakyReadout.StepLoihi(current, voltage, activation, du, dv);
            for (int k = 0; k < Neurons; k++)
            {
                bool fired = LoihiLif.Step(ref referenceCurrent[k], ref referenceVoltage[k], activation[k], du, dv, 0, threshold, Loihi);
                if (fired || current[k] != referenceCurrent[k] || voltage[k] != referenceVoltage[k])
                    Assert.Fail($"Loihi step {t}, neuron {k} (du {du}, dv {dv}, a_in {activation[k]}): kernel u {current[k]}, v {voltage[k]}; " +
                                $"reference u {referenceCurrent[k]}, v {referenceVoltage[k]}, spike {fired} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Loihi_random_states_registers_and_inputs_match_the_reference(int seed)
    {
        var random = new Random(seed);
        int limit = Loihi.StateLimit;
        for (int trial = 0; trial < 4; trial++)
        {
            int du = random.Next(0, Loihi.MaxDecay + 1), dv = random.Next(0, Loihi.MaxDecay + 1);
            int scale = trial % 2 == 0 ? 1 << 15 : 1 << 17;
            AssertLoihi(500, Random(random, -limit + 1, limit), Random(random, -limit + 1, limit - 1), _ => (du, dv), (_, _) => random.Next(-scale, scale + 1));
        }
        // Registers changing every step.
        AssertLoihi(2000, Random(random, -limit + 1, limit), Random(random, -limit + 1, limit - 1),
            _ => (random.Next(0, Loihi.MaxDecay + 1), random.Next(0, Loihi.MaxDecay + 1)), (_, _) => random.Next(-1 << 16, 1 << 16));
    }

    [Fact]
    public void Loihi_wrap_and_saturation_match_the_reference()
    {
        // No decay (du = dv = 0 keep 4095/4096 and all of v) and inputs near ±2^17: u wraps past ±2^23, v saturates at
        // ±(2^23 − 1) — where vth·2^6 = 2^23 is still above it, so the readout never spikes.
        var random = new Random(3);
        int[] sign = [1, -1];
        int[] zeros = new int[Neurons];
        AssertLoihi(1500, zeros, zeros, _ => (0, 0), (t, k) => sign[(t / 40 + k) % 2] * random.Next(1 << 16, (1 << 17) + 1));
        AssertLoihi(500, zeros, zeros, _ => (Loihi.MaxDecay, 0), (_, k) => k % 2 == 0 ? 1 << 17 : -(1 << 17));
    }

    [Theory]
    [InlineData(-1, 0, "du")]
    [InlineData(4096, 0, "du")]
    [InlineData(0, 4096, "dv")]
    public void Loihi_register_outside_the_chip_range_throws(int du, int dv, string name)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => LeakyReadout.StepLoihi(new int[4], new int[4], new int[4], du, dv));
        Assert.Equal(name, exception.ParamName);
    }

    // ---- Xylo: a readout neuron, θ = 2^15 − 1, at most MAX_NUM_OUT_SPIKES = 1 spike, as XyloNetwork runs it ----

    private delegate void XyloReadoutStep(Span<int> current, Span<int> voltage, ReadOnlySpan<int> input, int dashSyn, int dashMem);

    public static TheoryData<Chip> Devices => [Chip.XyloAudio2, Chip.XyloAudio3, Chip.XyloImu];

    private static XyloReadoutStep XyloKernel(Chip chip) => chip switch
    {
        Chip.XyloAudio2 => LeakyReadout.StepXyloAudio2,
        Chip.XyloAudio3 => LeakyReadout.StepXyloAudio3,
        Chip.XyloImu => LeakyReadout.StepXyloImu,
        _ => throw new ArgumentOutOfRangeException(nameof(chip)),
    };

    /// <summary>Kernel and reference side by side; returns how many times a reference readout fired (and so reset).</summary>
    private static int AssertXylo(Chip chip, int steps, int[] initialCurrent, int[] initialVoltage, Func<int, (int DashSyn, int DashMem)> registers, Func<int, int, int> input)
    {
        var profile = (XyloProfile)TargetProfiles.For(chip);
        XyloReadoutStep step = XyloKernel(chip);
        int[] current = [.. initialCurrent], voltage = [.. initialVoltage];
        short[] referenceCurrent = [.. initialCurrent.Select(x => (short)x)], referenceVoltage = [.. initialVoltage.Select(x => (short)x)];
        var x = new int[Neurons];
        int resets = 0;
        for (int t = 0; t < steps; t++)
        {
            (int dashSyn, int dashMem) = registers(t);
            for (int k = 0; k < Neurons; k++) x[k] = input(t, k);
            step(current, voltage, x, dashSyn, dashMem);
            for (int k = 0; k < Neurons; k++)
            {
                // receiveSpike's safe_add, then evolve with the readout's θ and cap (the quantizer's θ = StateMax).
                short i0 = referenceCurrent[k], v0 = referenceVoltage[k];
                referenceCurrent[k] = (short)XyloNeuron.SafeAdd(referenceCurrent[k], x[k], profile.StateBits);
                Span<short> currents = [referenceCurrent[k]];
                ReadOnlySpan<byte> dashes = [(byte)dashSyn];
                int spikes = profile.CoreVersion == XyloCoreVersion.V1
                    ? XyloNeuron.EvolveV1(ref referenceVoltage[k], currents, dashMem, dashes, (short)profile.StateMax, 0, profile.MaxOutputSpikes, profile.StateBits)
                    : XyloNeuron.EvolveV2(ref referenceVoltage[k], currents, dashMem, dashes, (short)profile.StateMax, false, 0, 0, profile.MaxOutputSpikes, profile.StateBits);
                referenceCurrent[k] = currents[0];
                resets += spikes;
                if (current[k] != referenceCurrent[k] || voltage[k] != referenceVoltage[k])
                    Assert.Fail($"{chip} step {t}, neuron {k} (i_syn {i0}, v_mem {v0}, x {x[k]}, dash_syn {dashSyn}, dash_mem {dashMem}): kernel i_syn {current[k]}, " +
                                $"v_mem {voltage[k]}; reference i_syn {referenceCurrent[k]}, v_mem {referenceVoltage[k]}, spikes {spikes} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
        return resets;
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Xylo_random_states_registers_and_inputs_match_the_reference(Chip chip)
    {
        var random = new Random(5 + (int)chip);
        for (int trial = 0; trial < 8; trial++)
        {
            int dashSyn = random.Next(0, Xylo.MaxDash + 1), dashMem = random.Next(0, Xylo.MaxDash + 1);
            int scale = trial % 2 == 0 ? 40000 : 600;
            AssertXylo(chip, 400, Random(random, Xylo.StateMin, Xylo.StateMax), Random(random, Xylo.StateMin, Xylo.StateMax), _ => (dashSyn, dashMem),
                (_, _) => random.Next(-scale, scale + 1));
        }
        AssertXylo(chip, 2000, Random(random, Xylo.StateMin, Xylo.StateMax), Random(random, Xylo.StateMin, Xylo.StateMax),
            _ => (random.Next(0, Xylo.MaxDash + 1), random.Next(0, Xylo.MaxDash + 1)), (_, _) => random.Next(-5000, 5001));
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Xylo_readout_resets_where_its_membrane_saturates_as_the_reference(Chip chip)
    {
        // Slow decays and large positive inputs drive v_mem to 2^15 − 1 = θ: the chip fires once and subtracts θ (v_mem ← 0);
        // negative inputs saturate it at −2^15 without firing. The resets must happen, or the corner is not tested.
        var random = new Random(13 + (int)chip);
        int resets = AssertXylo(chip, 600, Random(random, Xylo.StateMax - 100, Xylo.StateMax), Random(random, Xylo.StateMax - 2000, Xylo.StateMax),
            t => (random.Next(1, 4), random.Next(8, Xylo.MaxDash + 1)),
            (t, k) => (t / 50 + k) % 3 == 0 ? -random.Next(20000, 40001) : random.Next(2000, 40001));
        Assert.True(resets > 100, $"{chip}: the readout reached θ only {resets} times");
    }

    [Fact]
    public void Xylo_register_outside_the_chip_range_throws()
    {
        Assert.Equal("dash_syn", Assert.Throws<ArgumentOutOfRangeException>(() => LeakyReadout.StepXyloAudio2(new int[4], new int[4], new int[4], 16, 0)).ParamName);
        Assert.Equal("dash_mem", Assert.Throws<ArgumentOutOfRangeException>(() => LeakyReadout.StepXyloImu(new int[4], new int[4], new int[4], 0, -1)).ParamName);
    }

    // ---- SpiNNaker: IF_curr_exp with V_thresh = 2^31 − 1, V_rest = V_reset = I_offset = 0, as SpiNNakerNetwork runs it ----

    private static SpiNNakerLifParameters SpiNNakerReadout(int expTc, int resistance, uint decay, uint init) =>
        new(expTc, resistance, RestingVoltage: 0, ResetVoltage: 0, Threshold: int.MaxValue, OffsetCurrent: 0, RefractorySteps: 0,
            ExcitatoryDecay: decay, ExcitatoryInit: init, InhibitoryDecay: 0, InhibitoryInit: 0);

    /// <summary>Kernel and reference side by side; returns how many times the reference's V reached V_thresh (and was reset).</summary>
    private static int AssertSpiNNaker(int steps, int[] initialCurrent, int[] initialVoltage, Func<int, SpiNNakerLifParameters> parameters, Func<int, int, int> input)
    {
        int[] current = [.. initialCurrent], voltage = [.. initialVoltage];
        SpiNNakerLifState[] reference = [.. Enumerable.Range(0, Neurons).Select(k => new SpiNNakerLifState { Excitatory = initialCurrent[k], Voltage = initialVoltage[k] })];
        var x = new int[Neurons];
        int resets = 0;
        for (int t = 0; t < steps; t++)
        {
            SpiNNakerLifParameters p = parameters(t);
            for (int k = 0; k < Neurons; k++) x[k] = input(t, k);
            LeakyReadout.StepSpiNNaker(current, voltage, x, p.ExpTc, p.Resistance, p.ExcitatoryDecay, p.ExcitatoryInit);
            for (int k = 0; k < Neurons; k++)
            {
                SpiNNakerLif.AddExcitatory(ref reference[k], x[k], p);
                if (SpiNNakerLif.Step(ref reference[k], p)) resets++;
                if (current[k] != reference[k].Excitatory || voltage[k] != reference[k].Voltage)
                    Assert.Fail($"SpiNNaker step {t}, neuron {k} ({p}, x {x[k]}): kernel I {current[k]}, V {voltage[k]}; " +
                                $"reference I {reference[k].Excitatory}, V {reference[k].Voltage} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
        return resets;
    }

    private static uint RandomFraction(Random random) => (uint)random.NextInt64(0, 1L << 32);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SpiNNaker_random_states_parameters_and_inputs_match_the_reference(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 6; trial++)
        {
            int expTc = random.Next(0, (1 << 15) + 1);
            int resistance = trial % 2 == 0 ? (int)Math.Min(int.MaxValue, (1L << 30) / Math.Max(1, (1 << 15) - expTc)) : random.Next();
            var p = SpiNNakerReadout(expTc, resistance, RandomFraction(random), RandomFraction(random));
            int scale = trial % 2 == 0 ? 1 << 16 : int.MaxValue;
            AssertSpiNNaker(300, Random(random, int.MinValue, int.MaxValue), Random(random, int.MinValue, int.MaxValue), _ => p, (_, _) => random.Next(-scale, scale));
        }
        // Parameters changing every step.
        AssertSpiNNaker(1000, Random(random, -1 << 20, 1 << 20), Random(random, -1 << 20, 1 << 20),
            _ => SpiNNakerReadout(random.Next(0, (1 << 15) + 1), random.Next(-1 << 20, 1 << 20), RandomFraction(random), RandomFraction(random)),
            (_, _) => random.Next(-1 << 18, 1 << 18));
    }

    [Fact]
    public void SpiNNaker_readout_resets_where_its_membrane_reaches_the_largest_accum_as_the_reference()
    {
        // exp_TC = 0 makes V ← round(I·R), which saturates at 2^31 − 1 = V_thresh for a large I and R: the chip resets V to
        // 0 there. Edges elsewhere: wrapping additions, the saturating product, ties. The resets must happen.
        var random = new Random(9);
        int[] edges = [int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1, 0, 1, -1, 1 << 30, -(1 << 30)];
        int[] current = [.. Enumerable.Range(0, Neurons).Select(k => edges[k % edges.Length])];
        int[] voltage = [.. Enumerable.Range(0, Neurons).Select(k => edges[(k / edges.Length + k) % edges.Length])];
        int resets = AssertSpiNNaker(300, current, voltage,
            t => SpiNNakerReadout(t % 4 == 0 ? 0 : random.Next(0, (1 << 15) + 1), t % 3 == 0 ? int.MaxValue : random.Next(), uint.MaxValue - (uint)random.Next(1 << 20), uint.MaxValue),
            (t, k) => edges[(t + k) % edges.Length] - random.Next(2));
        Assert.True(resets > 50, $"V reached V_thresh only {resets} times");
    }

    // ---- Fixed: FixedNeurons.LeakyReadout ----

    private delegate void FixedReadoutStep(Span<int> current, Span<int> voltage, ReadOnlySpan<int> input, int alpha, int beta);

    private static FixedProfile Profile(int integerBits, int fractionBits, Rounding rounding, Overflow overflow, int decayBits) =>
        new(FixedFormat.Signed(integerBits, fractionBits), FixedFormat.Signed(integerBits, fractionBits), FixedFormat.Unsigned(0, decayBits), rounding, overflow);

    public static TheoryData<int> FixedCases => [0, 1];

    private static (FixedReadoutStep Step, FixedProfile Profile) Fixed(int index) => index == 0
        ? (FixedReadoutNearestEven.StepFixed, Profile(7, 8, Rounding.NearestEven, Overflow.Saturate, 16))
        : (FixedReadoutFloorWrap.StepFixed, Profile(3, 12, Rounding.Floor, Overflow.Wrap, 8));

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void Fixed_readout_matches_the_reference(int index)
    {
        (FixedReadoutStep step, FixedProfile profile) = Fixed(index);
        FixedFormat state = profile.StateFormat;
        int decayMax = (int)profile.DecayFormat.MaxRaw;
        var random = new Random(41 + index);
        for (int trial = 0; trial < 6; trial++)
        {
            int[] current = Random(random, (int)state.MinRaw, (int)state.MaxRaw), voltage = Random(random, (int)state.MinRaw, (int)state.MaxRaw);
            long[] referenceCurrent = [.. current.Select(v => (long)v)], referenceVoltage = [.. voltage.Select(v => (long)v)];
            long inputRange = trial % 2 == 0 ? 2 * state.MaxRaw : state.MaxRaw / 16;
            var x = new int[Neurons];
            for (int t = 0; t < 300; t++)
            {
                // Decays changing every step, 0 and the largest included.
                int alpha = t % 7 == 0 ? 0 : random.Next(0, decayMax + 1), beta = t % 5 == 0 ? decayMax : random.Next(0, decayMax + 1);
                for (int k = 0; k < Neurons; k++) x[k] = (int)random.NextInt64(-inputRange, inputRange + 1);
                step(current, voltage, x, alpha, beta);
                for (int k = 0; k < Neurons; k++)
                {
                    FixedNeurons.LeakyReadout(ref referenceCurrent[k], ref referenceVoltage[k], x[k], alpha, beta, profile, random: null);
                    if (current[k] != referenceCurrent[k] || voltage[k] != referenceVoltage[k])
                        Assert.Fail($"Fixed {state} step {t}, neuron {k} (α {alpha}, β {beta}, x {x[k]}): kernel I {current[k]}, U {voltage[k]}; " +
                                    $"reference I {referenceCurrent[k]}, U {referenceVoltage[k]} (SIMD {SpikeOps.ActiveSimdWidth})");
                }
            }
        }
    }
}

/// <summary><c>LeakyReadout</c>'s equations in s7.8, decays u0.16, nearest-even, saturating.</summary>
[Neuron]
[FixedPointFormat(7, 8)]
public partial struct FixedReadoutNearestEven
{
    [State] public float I;
    [State] public float U;
    [Param(0.8f)] public float Alpha;
    [Param(0.9f)] public float Beta;

    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }
}

/// <summary><c>LeakyReadout</c>'s equations in s3.12, decays u0.8, floor, wrapping.</summary>
[Neuron]
[FixedPointFormat(3, 12, Rounding = Rounding.Floor, Overflow = Overflow.Wrap, DecayFractionBits = 8)]
public partial struct FixedReadoutFloorWrap
{
    [State] public float I;
    [State] public float U;
    [Param(0.8f)] public float Alpha;
    [Param(0.9f)] public float Beta;

    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }
}
