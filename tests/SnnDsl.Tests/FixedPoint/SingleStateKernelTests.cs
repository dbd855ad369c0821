using SnnDsl.FixedPoint;
using SnnDsl.Surrogates;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The generated integer kernels of single-state LIF neurons (U = βU + input, declared below) against the runtime's
/// references, bit for bit: on Loihi Lava's compartment with du = 4095 (<see cref="LoihiLif"/>, u cleared every step, as
/// the quantizer maps <c>Lif</c>), also with a membrane bias; on SpiNNaker IF_curr_delta (<see cref="SpiNNakerLif"/> with
/// <see cref="SpiNNakerSynapseShape.Delta"/>); in a Fixed format <see cref="FixedNeurons.Lif"/>. Every state and spike
/// of every step, on random states over the chip's range, random registers and inputs changing every step, wrap and
/// saturation, on a population whose size runs the Vector512 loop, the Vector256 loop and the scalar tail (CI runs this
/// category at each width). The built-in <c>Lif</c> subtracts ϑ where Loihi and sPyNNaker reset to 0, so its kernels
/// are the neurons below, which reset to 0 (docs/fixed-point.md).
/// </summary>
[Trait("Category", "Kernels")]
public class SingleStateKernelTests
{
    // 3 × 16 + 8 + 5 neurons: the Vector512 loop, then one Vector256 iteration, then the scalar tail.
    private const int Neurons = 61;

    private static readonly LoihiProfile Loihi = TargetProfiles.Loihi;

    private static int[] Random(Random random, int min, int max) => [.. Enumerable.Range(0, Neurons).Select(_ => (int)random.NextInt64(min, (long)max + 1))];

    // ---- Loihi: LoihiLif with du = 4095 ----

    /// <summary>
    /// Kernel and reference side by side; registers and inputs per step. The reference keeps a current u (random at the
    /// start) that du = 4095 clears, so its history must not matter. Returns the number of spikes.
    /// </summary>
    private static int AssertLoihi(int steps, int[] initialVoltage, Func<int, (int Dv, int Vth, int BiasMantissa, int BiasExponent)> registers, Func<int, int, int> input, bool biased, int seed)
    {
        var random = new Random(seed);
        int[] voltage = [.. initialVoltage], referenceVoltage = [.. initialVoltage];
        int[] referenceCurrent = Random(random, -Loihi.StateLimit + 1, Loihi.StateLimit);
        var activation = new int[Neurons];
        var spikes = new ulong[1];
        int count = 0;
        for (int t = 0; t < steps; t++)
        {
            (int dv, int vth, int mantissa, int exponent) = registers(t);
            for (int k = 0; k < Neurons; k++) activation[k] = input(t, k);
            if (biased) BiasedZeroResetLif.StepLoihi(voltage, activation, dv, vth, mantissa, exponent, spikes);
            else ZeroResetLif.StepLoihi(voltage, activation, dv, vth, spikes);
            int threshold = LoihiLif.EffectiveThreshold(vth, Loihi), bias = biased ? LoihiLif.EffectiveBias(mantissa, exponent) : 0;
            for (int k = 0; k < Neurons; k++)
            {
                bool fired = LoihiLif.Step(ref referenceCurrent[k], ref referenceVoltage[k], activation[k], Loihi.MaxDecay, dv, bias, threshold, Loihi);
                count += fired ? 1 : 0;
                if (voltage[k] != referenceVoltage[k] || ((spikes[0] >> k & 1) == 1) != fired)
                    Assert.Fail($"Loihi step {t}, neuron {k} (dv {dv}, vth {vth}, bias {bias}, a_in {activation[k]}): kernel v {voltage[k]}, spike {(spikes[0] >> k) & 1}; " +
                                $"reference v {referenceVoltage[k]}, spike {fired} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
        return count;
    }

    private static int[] LoihiVoltages(Random random) => Random(random, -Loihi.StateLimit + 1, Loihi.StateLimit - 1);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Loihi_random_states_registers_and_inputs_match_the_reference(int seed)
    {
        var random = new Random(seed);
        int spikes = 0;
        for (int trial = 0; trial < 4; trial++)
        {
            int dv = random.Next(0, Loihi.MaxDecay + 1), vth = random.Next(0, trial % 2 == 0 ? 2000 : Loihi.MaxThresholdMantissa + 1);
            int scale = trial % 2 == 0 ? 1 << 12 : 1 << 17;
            spikes += AssertLoihi(500, LoihiVoltages(random), _ => (dv, vth, 0, 0), (_, _) => random.Next(-scale, scale + 1), biased: false, seed + trial);
        }
        // Registers changing every step.
        spikes += AssertLoihi(2000, LoihiVoltages(random), _ => (random.Next(0, Loihi.MaxDecay + 1), random.Next(0, 3000), 0, 0),
            (_, _) => random.Next(-1 << 14, 1 << 14), biased: false, seed + 10);
        Assert.True(spikes > 1000, $"only {spikes} spikes");
    }

    [Fact]
    public void Loihi_input_wrap_and_voltage_saturation_match_the_reference()
    {
        // a_in beyond ±2^17 shifts past ±2^23: u = a_in << 6 wraps (Lava's one correction each way); with dv = 0 and the
        // never-spike threshold v saturates at ±(2^23 − 1).
        var random = new Random(7);
        int[] edges = [1 << 17, -(1 << 17), (1 << 17) + 1, -(1 << 17) - 1, (1 << 18) - 1, -(1 << 18) + 1, 0, 1, -1];
        AssertLoihi(1000, LoihiVoltages(random), _ => (0, Loihi.NeverSpikeThreshold, 0, 0), (t, k) => edges[(t + k) % edges.Length], biased: false, 8);
        AssertLoihi(1000, LoihiVoltages(random), _ => (random.Next(0, 64), random.Next(0, Loihi.MaxThresholdMantissa + 1), 0, 0),
            (_, _) => random.Next(-(1 << 18) + 1, 1 << 18), biased: false, 9);
    }

    [Fact]
    public void Loihi_bias_matches_the_reference()
    {
        var random = new Random(5);
        // Random registers and biases every step; then the largest biases both ways, where v saturates.
        AssertLoihi(2000, LoihiVoltages(random),
            _ => (random.Next(0, Loihi.MaxDecay + 1), random.Next(0, 4000), random.Next(Loihi.MinBiasMantissa, Loihi.MaxBiasMantissa + 1), random.Next(0, Loihi.BiasExponentMax + 1)),
            (_, _) => random.Next(-1 << 14, 1 << 14), biased: true, 6);
        AssertLoihi(300, LoihiVoltages(random), _ => (0, Loihi.NeverSpikeThreshold, Loihi.MaxBiasMantissa, Loihi.BiasExponentMax), (_, _) => random.Next(-1 << 10, 1 << 10), biased: true, 7);
        AssertLoihi(300, LoihiVoltages(random), _ => (0, Loihi.NeverSpikeThreshold, Loihi.MinBiasMantissa, Loihi.BiasExponentMax), (_, _) => random.Next(-1 << 10, 1 << 10), biased: true, 8);
    }

    [Fact]
    public void Loihi_bias_drives_spikes_at_Lavas_steps_4_and_9()
    {
        // test_bitacc_pm_no_decay with du = 4095: bias 2·2^6 = 128, vth = 8 (→ 512), dv = 0, no input: v = 128, 256, 384,
        // 512, 640 > 512 (spike, v ← 0), … as the two-state compartment, whose u stays 0.
        var voltage = new int[Neurons];
        var input = new int[Neurons];
        var spikes = new ulong[1];
        bool[] expected = [false, false, false, false, true, false, false, false, false, true];
        for (int t = 0; t < expected.Length; t++)
        {
            BiasedZeroResetLif.StepLoihi(voltage, input, dv: 0, vth: 8, bias_mant: 2, bias_exp: 6, spikes);
            Assert.Equal(expected[t] ? (1UL << Neurons) - 1 : 0UL, spikes[0]);
        }
    }

    [Theory]
    [InlineData(-1, 0, "dv")]
    [InlineData(4096, 0, "dv")]
    [InlineData(0, -1, "vth")]
    [InlineData(0, (1 << 17) + 1, "vth")]
    public void Loihi_register_outside_the_chip_range_throws(int dv, int vth, string name)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => ZeroResetLif.StepLoihi(new int[4], new int[4], dv, vth, new ulong[1]));
        Assert.Equal(name, exception.ParamName);
    }

    // ---- SpiNNaker: IF_curr_delta ----

    private static SpiNNakerLifParameters Delta(int expTc, int resistance, int threshold) =>
        new(expTc, resistance, RestingVoltage: 0, ResetVoltage: 0, threshold, OffsetCurrent: 0, RefractorySteps: 0,
            ExcitatoryDecay: 0, ExcitatoryInit: 0, InhibitoryDecay: 0, InhibitoryInit: 0);

    /// <summary>Kernel and reference (delta synapse: input added to 0, cleared after the update) side by side; returns the number of spikes.</summary>
    private static int AssertSpiNNaker(int steps, int[] initialVoltage, Func<int, SpiNNakerLifParameters> parameters, Func<int, int, int> input)
    {
        int[] voltage = [.. initialVoltage];
        SpiNNakerLifState[] reference = [.. initialVoltage.Select(v => new SpiNNakerLifState { Voltage = v })];
        var x = new int[Neurons];
        var spikes = new ulong[1];
        int count = 0;
        for (int t = 0; t < steps; t++)
        {
            SpiNNakerLifParameters p = parameters(t);
            for (int k = 0; k < Neurons; k++) x[k] = input(t, k);
            ZeroResetLif.StepSpiNNaker(voltage, x, p.ExpTc, p.Resistance, p.Threshold, spikes);
            for (int k = 0; k < Neurons; k++)
            {
                SpiNNakerLif.AddExcitatory(ref reference[k], x[k], p, SpiNNakerSynapseShape.Delta);
                bool fired = SpiNNakerLif.Step(ref reference[k], p, SpiNNakerSynapseShape.Delta);
                count += fired ? 1 : 0;
                if (voltage[k] != reference[k].Voltage || ((spikes[0] >> k & 1) == 1) != fired)
                    Assert.Fail($"SpiNNaker step {t}, neuron {k} ({p}, x {x[k]}): kernel V {voltage[k]}, spike {(spikes[0] >> k) & 1}; " +
                                $"reference V {reference[k].Voltage}, spike {fired} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
        return count;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SpiNNaker_random_states_parameters_and_inputs_match_the_reference(int seed)
    {
        var random = new Random(seed);
        int spikes = 0;
        for (int trial = 0; trial < 6; trial++)
        {
            int expTc = random.Next(0, (1 << 15) + 1);
            int resistance = trial % 2 == 0 ? (int)Math.Min(int.MaxValue, (1L << 30) / Math.Max(1, (1 << 15) - expTc)) : random.Next();
            int threshold = trial % 3 == 0 ? random.Next() - (1 << 30) : random.Next(1 << 14, 1 << 18);
            int scale = trial % 2 == 0 ? 1 << 16 : int.MaxValue;
            spikes += AssertSpiNNaker(300, Random(random, int.MinValue, int.MaxValue), _ => Delta(expTc, resistance, threshold), (_, _) => random.Next(-scale, scale));
        }
        // Parameters changing every step.
        spikes += AssertSpiNNaker(1000, Random(random, -1 << 20, 1 << 20),
            _ => Delta(random.Next(0, (1 << 15) + 1), random.Next(0, 1 << 20), random.Next(1 << 14, 1 << 18)), (_, _) => random.Next(-1 << 16, 1 << 16));
        Assert.True(spikes > 1000, $"only {spikes} spikes");
    }

    [Fact]
    public void SpiNNaker_wrapping_additions_and_saturating_products_match_the_reference()
    {
        var random = new Random(5);
        int[] edges = [int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1, 0, 1, -1, 1 << 30, -(1 << 30)];
        int[] voltage = [.. Enumerable.Range(0, Neurons).Select(k => edges[k % edges.Length])];
        foreach ((int expTc, int resistance, int threshold) in new[] { (0, int.MaxValue, int.MaxValue), (1 << 15, int.MinValue, 0), (1 << 14, 1 << 20, 1 << 16), (32767, -1, int.MinValue) })
            AssertSpiNNaker(200, voltage, _ => Delta(expTc, resistance, threshold), (t, k) => edges[(t + k) % edges.Length] - random.Next(2));
    }

    [Fact]
    public void SpiNNaker_register_outside_the_chip_range_throws() =>
        Assert.Equal("exp_TC", Assert.Throws<ArgumentOutOfRangeException>(() => ZeroResetLif.StepSpiNNaker(new int[4], new int[4], (1 << 15) + 1, 0, 0, new ulong[1])).ParamName);

    // ---- Fixed: FixedNeurons.Lif ----

    private delegate void FixedLifStep(Span<int> voltage, ReadOnlySpan<int> input, int beta, int threshold, Span<ulong> spikes);

    private static FixedProfile Profile(int integerBits, int fractionBits, Rounding rounding, Overflow overflow, int decayBits) =>
        new(FixedFormat.Signed(integerBits, fractionBits), FixedFormat.Signed(integerBits, fractionBits), FixedFormat.Unsigned(0, decayBits), rounding, overflow);

    public static TheoryData<int> FixedCases => [0, 1];

    private static (FixedLifStep Step, FixedProfile Profile) Fixed(int index) => index == 0
        ? (FixedLifNearestEven.StepFixed, Profile(7, 8, Rounding.NearestEven, Overflow.Saturate, 16))
        : (FixedLifFloorWrap.StepFixed, Profile(3, 12, Rounding.Floor, Overflow.Wrap, 8));

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void Fixed_lif_matches_the_reference(int index)
    {
        (FixedLifStep step, FixedProfile profile) = Fixed(index);
        FixedFormat state = profile.StateFormat;
        int decayMax = (int)profile.DecayFormat.MaxRaw;
        var random = new Random(51 + index);
        int count = 0;
        for (int trial = 0; trial < 6; trial++)
        {
            int[] voltage = Random(random, (int)state.MinRaw, (int)state.MaxRaw);
            long[] reference = [.. voltage.Select(v => (long)v)];
            long inputRange = trial % 2 == 0 ? 2 * state.MaxRaw : state.MaxRaw / 16;
            var x = new int[Neurons];
            var spikes = new ulong[1];
            for (int t = 0; t < 300; t++)
            {
                // Decay and threshold changing every step: 0, ½ and the largest decay; thresholds over the whole format.
                int beta = t % 7 == 0 ? 0 : t % 7 == 1 ? (decayMax + 1) / 2 : t % 7 == 2 ? decayMax : random.Next(0, decayMax + 1);
                int threshold = trial % 2 == 0 ? (int)random.NextInt64(0, state.MaxRaw / 4) : (int)random.NextInt64(state.MinRaw, state.MaxRaw + 1);
                for (int k = 0; k < Neurons; k++) x[k] = (int)random.NextInt64(-inputRange, inputRange + 1);
                step(voltage, x, beta, threshold, spikes);
                for (int k = 0; k < Neurons; k++)
                {
                    bool fired = FixedNeurons.Lif(ref reference[k], x[k], beta, threshold, profile, random: null);
                    count += fired ? 1 : 0;
                    if (voltage[k] != reference[k] || ((spikes[0] >> k & 1) == 1) != fired)
                        Assert.Fail($"Fixed {state} step {t}, neuron {k} (β {beta}, ϑ {threshold}, x {x[k]}): kernel U {voltage[k]}, spike {(spikes[0] >> k) & 1}; " +
                                    $"reference U {reference[k]}, spike {fired} (SIMD {SpikeOps.ActiveSimdWidth})");
                }
            }
        }
        Assert.True(count > 1000, $"only {count} spikes");
    }
}

/// <summary>A single-state LIF that resets to 0: Lava's compartment with du = 4095 on Loihi, IF_curr_delta on SpiNNaker.</summary>
[Neuron]
[FixedPoint(Chip.Loihi)]
[FixedPoint(Chip.SpiNNaker)]
public partial struct ZeroResetLif
{
    [State] public float U;
    [Param(0.9f)] public float Beta;
    [Param(1f)] public float Threshold;

    public void Integrate(float input) => U = Beta * U + input;

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U = 0f;
}

/// <summary><see cref="ZeroResetLif"/> with a membrane bias b, U = βU + input + b: Lava's bias_mant·2^bias_exp.</summary>
[Neuron]
[FixedPoint(Chip.Loihi)]
public partial struct BiasedZeroResetLif
{
    [State] public float U;
    [Param(0.9f)] public float Beta;
    [Param(1f)] public float Threshold;
    [Param(0.1f)] public float Bias;

    public void Integrate(float input) => U = Beta * U + input + Bias;

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U = 0f;
}

/// <summary><c>Lif</c>'s equations in s7.8, decays u0.16, nearest-even, saturating.</summary>
[Neuron]
[FixedPointFormat(7, 8)]
public partial struct FixedLifNearestEven
{
    [State] public float U;
    [Param(0.9f)] public float Beta;
    [Param(1f)] public float Threshold;

    public void Integrate(float input) => U = Beta * U + input;

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U -= Threshold;
}

/// <summary><c>Lif</c>'s equations in s3.12, decays u0.8, floor, wrapping.</summary>
[Neuron]
[FixedPointFormat(3, 12, Rounding = Rounding.Floor, Overflow = Overflow.Wrap, DecayFractionBits = 8)]
public partial struct FixedLifFloorWrap
{
    [State] public float U;
    [Param(0.9f)] public float Beta;
    [Param(1f)] public float Threshold;

    public void Integrate(float input) => U = Beta * U + input;

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U = U - Threshold;
}
