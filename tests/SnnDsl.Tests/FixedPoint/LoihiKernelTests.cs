using System.Runtime.Intrinsics;
using SnnDsl.FixedPoint;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The generated integer kernel <c>CubaLifZeroReset.StepLoihi</c> ([FixedPoint(Chip.Loihi)]) against the runtime's
/// Loihi reference <see cref="LoihiLif"/> (itself held to Lava's golden vectors), bit for bit: random inputs and
/// registers, wrap and saturation corners, on a population whose size runs the Vector512 loop, the Vector256 loop and
/// the scalar tail (CI runs this category at each width).
/// </summary>
[Trait("Category", "Kernels")]
public class LoihiKernelTests
{
    private static readonly LoihiProfile Loihi = TargetProfiles.Loihi;

    // 3 × 16 + 8 + 5 neurons: the Vector512 loop, then one Vector256 iteration, then the scalar tail.
    private const int Neurons = 61;

    /// <summary>Runs the kernel and the reference side by side and asserts every state and spike of every step.</summary>
    private static void AssertBitExact(int steps, int du, int dv, int vth, Func<int, int, int> input)
    {
        var current = new int[Neurons];
        var voltage = new int[Neurons];
        var referenceCurrent = new int[Neurons];
        var referenceVoltage = new int[Neurons];
        var activation = new int[Neurons];
        var spikes = new ulong[1];
        int threshold = LoihiLif.EffectiveThreshold(vth, Loihi);
        for (int t = 0; t < steps; t++)
        {
            for (int k = 0; k < Neurons; k++) activation[k] = input(t, k);
            CubaLifZeroReset.StepLoihi(current, voltage, activation, du, dv, vth, spikes);
            for (int k = 0; k < Neurons; k++)
            {
                bool fired = LoihiLif.Step(ref referenceCurrent[k], ref referenceVoltage[k], activation[k], du, dv, 0, threshold, Loihi);
                if (current[k] != referenceCurrent[k] || voltage[k] != referenceVoltage[k] || ((spikes[0] >> k & 1) == 1) != fired)
                    Assert.Fail($"step {t}, neuron {k} (du {du}, dv {dv}, vth {vth}, a_in {activation[k]}): kernel u {current[k]}, v {voltage[k]}, " +
                                $"spike {(spikes[0] >> k) & 1}; reference u {referenceCurrent[k]}, v {referenceVoltage[k]}, spike {fired} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_inputs_and_registers_match_the_reference(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 4; trial++)
        {
            int du = random.Next(0, Loihi.MaxDecay + 1), dv = random.Next(0, Loihi.MaxDecay + 1), vth = random.Next(0, Loihi.MaxThresholdMantissa + 1);
            AssertBitExact(1000, du, dv, vth, (_, _) => random.Next(-1 << 15, 1 << 15));
        }
    }

    [Fact]
    public void Current_wraps_and_voltage_saturates_as_the_reference()
    {
        // a_in near ±2^17 shifts to near ±2^23: with no current decay (du = 0 keeps 4095/4096) the current crosses ±2^23
        // and wraps; the voltage, never spiking (vth = 2^17 → 2^23 > 2^23 − 1), saturates at ±(2^23 − 1).
        var random = new Random(7);
        int[] sign = [1, -1];
        AssertBitExact(2000, du: 0, dv: 0, vth: Loihi.NeverSpikeThreshold,
            (t, k) => sign[(t / 50 + k) % 2] * random.Next(1 << 16, 1 << 17));
        AssertBitExact(2000, du: 4095, dv: 1, vth: Loihi.NeverSpikeThreshold,
            (_, k) => k % 3 == 0 ? (1 << 17) : k % 3 == 1 ? -(1 << 17) : random.Next(-(1 << 17), 1 << 17));
    }

    [Fact]
    public void Extreme_registers_match_the_reference()
    {
        var random = new Random(11);
        foreach ((int du, int dv) in new[] { (0, 0), (4095, 4095), (0, 4095), (4095, 0), (2047, 2048) })
            AssertBitExact(500, du, dv, vth: random.Next(1, 200), (_, _) => random.Next(-1 << 12, 1 << 12));
    }

    [Fact]
    public void Reproduces_Lavas_halving_current()
    {
        // test_bitacc_pm_scaling_of_bias / current decay: one input a_in = 128 at t = 0, du = 2047: u = 2^13, 2^12, …
        var current = new int[Neurons];
        var voltage = new int[Neurons];
        var spikes = new ulong[1];
        var input = new int[Neurons];
        var expected = new[] { 1 << 13, 1 << 12, 1 << 11, 1 << 10, 1 << 9, 1 << 8, 1 << 7, 1 << 6 };
        for (int t = 0; t < expected.Length; t++)
        {
            Array.Fill(input, t == 0 ? 128 : 0);
            CubaLifZeroReset.StepLoihi(current, voltage, input, du: 2047, dv: 0, vth: 256, spikes);
            Assert.All(current, u => Assert.Equal(expected[t], u));
        }
    }

    [Theory]
    [InlineData(-1, 0, 0, "du")]
    [InlineData(4096, 0, 0, "du")]
    [InlineData(0, 4096, 0, "dv")]
    [InlineData(0, 0, -1, "vth")]
    public void Register_outside_the_chip_range_throws(int du, int dv, int vth, string name)
    {
        var state = new int[4];
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => CubaLifZeroReset.StepLoihi(state, new int[4], new int[4], du, dv, vth, new ulong[1]));
        Assert.Equal(name, exception.ParamName);
    }

    /// <summary>The biased kernel against the reference with bias_mant·2^bias_exp, every state and spike of every step.</summary>
    private static void AssertBiasedBitExact(int steps, int du, int dv, int vth, int biasMantissa, int biasExponent, Func<int, int, int> input)
    {
        var current = new int[Neurons];
        var voltage = new int[Neurons];
        var referenceCurrent = new int[Neurons];
        var referenceVoltage = new int[Neurons];
        var activation = new int[Neurons];
        var spikes = new ulong[1];
        int threshold = LoihiLif.EffectiveThreshold(vth, Loihi), bias = LoihiLif.EffectiveBias(biasMantissa, biasExponent);
        for (int t = 0; t < steps; t++)
        {
            for (int k = 0; k < Neurons; k++) activation[k] = input(t, k);
            BiasedCompartment.StepLoihi(current, voltage, activation, du, dv, vth, biasMantissa, biasExponent, spikes);
            for (int k = 0; k < Neurons; k++)
            {
                bool fired = LoihiLif.Step(ref referenceCurrent[k], ref referenceVoltage[k], activation[k], du, dv, bias, threshold, Loihi);
                if (current[k] != referenceCurrent[k] || voltage[k] != referenceVoltage[k] || ((spikes[0] >> k & 1) == 1) != fired)
                    Assert.Fail($"step {t}, neuron {k} (du {du}, dv {dv}, vth {vth}, bias {biasMantissa}·2^{biasExponent}, a_in {activation[k]}): kernel u {current[k]}, " +
                                $"v {voltage[k]}, spike {(spikes[0] >> k) & 1}; reference u {referenceCurrent[k]}, v {referenceVoltage[k]}, spike {fired} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Bias_random_registers_match_the_reference(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 6; trial++)
        {
            int du = random.Next(0, Loihi.MaxDecay + 1), dv = random.Next(0, Loihi.MaxDecay + 1), vth = random.Next(0, trial % 2 == 0 ? 1000 : Loihi.MaxThresholdMantissa + 1);
            int mantissa = random.Next(Loihi.MinBiasMantissa, Loihi.MaxBiasMantissa + 1), exponent = random.Next(0, Loihi.BiasExponentMax + 1);
            if (trial == 0) (mantissa, exponent, dv, vth) = (Loihi.MaxBiasMantissa, Loihi.BiasExponentMax, 0, Loihi.NeverSpikeThreshold);   // v saturates at 2^23 − 1
            if (trial == 1) (mantissa, exponent, dv) = (Loihi.MinBiasMantissa, Loihi.BiasExponentMax, 0);   // and at −(2^23 − 1)
            AssertBiasedBitExact(600, du, dv, vth, mantissa, exponent, (_, _) => random.Next(-1 << 12, 1 << 12));
        }
    }

    [Fact]
    public void Bias_drives_spikes_at_Lavas_steps_4_and_9()
    {
        // test_bitacc_pm_no_decay: bias = 2·2^6 = 128, vth = 8 (→ 512), du = dv = 0, no input: v = 128, 256, 384, 512, 640 > 512.
        var current = new int[Neurons];
        var voltage = new int[Neurons];
        var spikes = new ulong[1];
        var input = new int[Neurons];
        bool[] expected = [false, false, false, false, true, false, false, false, false, true];
        for (int t = 0; t < expected.Length; t++)
        {
            BiasedCompartment.StepLoihi(current, voltage, input, du: 0, dv: 0, vth: 8, bias_mant: 2, bias_exp: 6, spikes);
            Assert.Equal(expected[t] ? (1UL << Neurons) - 1 : 0UL, spikes[0]);
        }
    }

    [Theory]
    [InlineData(-4097, 0, "bias_mant")]
    [InlineData(4096, 0, "bias_mant")]
    [InlineData(0, 8, "bias_exp")]
    [InlineData(0, -1, "bias_exp")]
    public void Bias_outside_the_chip_range_throws(int mantissa, int exponent, string name)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => BiasedCompartment.StepLoihi(new int[4], new int[4], new int[4], 0, 0, 0, mantissa, exponent, new ulong[1]));
        Assert.Equal(name, exception.ParamName);
    }

    [Fact]
    public void Lanes_give_the_scalar_bits_at_the_edges()
    {
        int[] values = [0, 1, -1, 4095, -4095, 4096, -4096, (1 << 23) - 1, -(1 << 23) + 1, 1 << 23, -(1 << 23), (1 << 24) + 5, -(1 << 24) - 5, int.MaxValue, int.MinValue + 1];
        int[] factors = [0, 1, 2048, 4095, 4096];
        foreach (int x in values)
        foreach (int f in factors)
        {
            int scalar = IntegerLanes.MultiplyShiftTowardZero(x, f, 12);
            Assert.Equal(scalar, IntegerLanes.MultiplyShiftTowardZero(Vector512.Create(x), Vector512.Create(f), 12)[3]);
            Assert.Equal(scalar, IntegerLanes.MultiplyShiftTowardZero(Vector256.Create(x), Vector256.Create(f), 12)[5]);
            Assert.Equal(LoihiLif.Decay(x, 4096 - f, Loihi), scalar);
        }
        foreach (int x in values.Where(v => Math.Abs((long)v) < 1 << 30))
        {
            Assert.Equal(IntegerLanes.Wrap(x, 24), IntegerLanes.Wrap(Vector512.Create(x), 24)[0]);
            Assert.Equal(IntegerLanes.Wrap(x, 24), IntegerLanes.Wrap(Vector256.Create(x), 24)[0]);
            Assert.Equal(LoihiLif.OverflowCurrent(x, Loihi), IntegerLanes.Wrap(x, 24));
            Assert.Equal(IntegerLanes.Saturate(x, 24), IntegerLanes.Saturate(Vector512.Create(x), 24)[0]);
            Assert.Equal(IntegerLanes.Saturate(x, 24), IntegerLanes.Saturate(Vector256.Create(x), 24)[0]);
            Assert.Equal(LoihiLif.OverflowVoltage(x, Loihi), IntegerLanes.Saturate(x, 24));
        }
    }
}

/// <summary><c>CubaLifZeroReset</c> with a membrane bias b, U = βU + I + b: Lava's bias_mant·2^bias_exp on Loihi.</summary>
[Neuron]
[FixedPoint(Chip.Loihi)]
public partial struct BiasedCompartment
{
    [State] public float I;
    [State] public float U;
    [Param(0.8f)] public float Alpha;
    [Param(0.9f)] public float Beta;
    [Param(1f)] public float Threshold;
    [Param(0.1f)] public float Bias;

    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I + Bias;
    }

    [Spike(typeof(SnnDsl.Surrogates.FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U = 0f;
}
