using System.Runtime.Intrinsics;
using SnnDsl.FixedPoint;
using SnnDsl.Surrogates;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The generated <c>StepFixed</c> kernels ([FixedPointFormat(m, n, …)]) of the neurons below against the runtime's
/// generic fixed-point reference <see cref="FixedNeurons"/>, bit for bit: every state and spike of every step, for each
/// deterministic rounding, wrap and saturate, subtractive and zero reset, on random raw states, decays, thresholds and
/// inputs beyond the state format, on a population whose size runs the Vector512 loop, the Vector256 loop and the scalar
/// tail (CI runs this category at each width).
/// </summary>
[Trait("Category", "Kernels")]
public class FixedKernelTests
{
    // 3 × 16 + 8 + 5 neurons: the Vector512 loop, then one Vector256 iteration, then the scalar tail.
    private const int Neurons = 61;

    private delegate void FixedStep(Span<int> current, Span<int> voltage, ReadOnlySpan<int> input, int alpha, int beta, int threshold, Span<ulong> spikes);

    /// <summary>A kernel, the profile its attribute names, and whether its neuron resets to 0 (else subtracts ϑ).</summary>
    private sealed record Case(string Name, FixedStep Step, FixedProfile Profile, bool ZeroReset)
    {
        public override string ToString() => Name;
    }

    private static FixedProfile Profile(int integerBits, int fractionBits, Rounding rounding, Overflow overflow, int decayBits) =>
        new(FixedFormat.Signed(integerBits, fractionBits), FixedFormat.Signed(integerBits, fractionBits), FixedFormat.Unsigned(0, decayBits), rounding, overflow);

    private static readonly Case[] Cases =
    [
        new("s7.8 nearest-even saturate", FixedNearestEven.StepFixed, Profile(7, 8, Rounding.NearestEven, Overflow.Saturate, 16), ZeroReset: false),
        new("s3.12 floor wrap", FixedFloorWrap.StepFixed, Profile(3, 12, Rounding.Floor, Overflow.Wrap, 8), ZeroReset: false),
        new("s15.8 toward-zero saturate, zero reset", FixedTowardZero.StepFixed, Profile(15, 8, Rounding.TowardZero, Overflow.Saturate, 20), ZeroReset: true),
        new("s7.8 nearest-half-up wrap, zero reset", FixedHalfUpWrap.StepFixed, Profile(7, 8, Rounding.NearestHalfUp, Overflow.Wrap, 12), ZeroReset: true),
    ];

    public static TheoryData<int> CaseIndices => [.. Enumerable.Range(0, Cases.Length)];

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Random_states_parameters_and_inputs_match_the_reference(int index)
    {
        Case c = Cases[index];
        FixedFormat state = c.Profile.StateFormat;
        long decayMax = c.Profile.DecayFormat.MaxRaw;
        var random = new Random(31 + index);
        for (int trial = 0; trial < 8; trial++)
        {
            int alpha = (int)random.NextInt64(0, decayMax + 1), beta = (int)random.NextInt64(0, decayMax + 1);
            if (trial == 0) (alpha, beta) = (0, (int)decayMax);
            int threshold = trial % 2 == 0 ? (int)random.NextInt64(0, state.MaxRaw / 4) : (int)random.NextInt64(state.MinRaw, state.MaxRaw + 1);
            long inputRange = trial % 3 == 0 ? 2 * state.MaxRaw : state.MaxRaw / 16;
            long[] current = [.. Enumerable.Range(0, Neurons).Select(_ => random.NextInt64(state.MinRaw, state.MaxRaw + 1))];
            long[] voltage = [.. Enumerable.Range(0, Neurons).Select(_ => random.NextInt64(state.MinRaw, state.MaxRaw + 1))];
            AssertBitExact(c, 300, current, voltage, alpha, beta, threshold, () => (int)random.NextInt64(-inputRange, inputRange + 1));
        }
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Format_edges_match_the_reference(int index)
    {
        // States at the format's limits, inputs that overflow both ways, decays 0, ½ (ties) and the largest.
        Case c = Cases[index];
        FixedFormat state = c.Profile.StateFormat;
        long half = (c.Profile.DecayFormat.MaxRaw + 1) / 2;
        long[] edges = [state.MinRaw, state.MinRaw + 1, -3, -1, 0, 1, 3, state.MaxRaw - 1, state.MaxRaw];
        long[] current = [.. Enumerable.Range(0, Neurons).Select(k => edges[k % edges.Length])];
        long[] voltage = [.. Enumerable.Range(0, Neurons).Select(k => edges[(k / edges.Length + k) % edges.Length])];
        int step = 0;
        foreach (long decay in new[] { 0, half, c.Profile.DecayFormat.MaxRaw })
            AssertBitExact(c, 50, current, voltage, (int)decay, (int)(c.Profile.DecayFormat.MaxRaw - decay), (int)state.MaxRaw / 2,
                () => (int)edges[step++ % edges.Length] * (step % 3 == 0 ? 2 : 1));
    }

    private static void AssertBitExact(Case c, int steps, long[] initialCurrent, long[] initialVoltage, int alpha, int beta, int threshold, Func<int> input)
    {
        int[] current = [.. initialCurrent.Select(x => (int)x)], voltage = [.. initialVoltage.Select(x => (int)x)];
        long[] referenceCurrent = [.. initialCurrent], referenceVoltage = [.. initialVoltage];
        var x = new int[Neurons];
        var spikes = new ulong[1];
        for (int t = 0; t < steps; t++)
        {
            for (int k = 0; k < Neurons; k++) x[k] = input();
            c.Step(current, voltage, x, alpha, beta, threshold, spikes);
            for (int k = 0; k < Neurons; k++)
            {
                bool fired = c.ZeroReset
                    ? FixedNeurons.CubaLifZeroReset(ref referenceCurrent[k], ref referenceVoltage[k], x[k], alpha, beta, threshold, c.Profile, random: null)
                    : FixedNeurons.CubaLif(ref referenceCurrent[k], ref referenceVoltage[k], x[k], alpha, beta, threshold, c.Profile, random: null);
                if (current[k] != referenceCurrent[k] || voltage[k] != referenceVoltage[k] || ((spikes[0] >> k & 1) == 1) != fired)
                    Assert.Fail($"{c.Name} step {t}, neuron {k} (α {alpha}, β {beta}, ϑ {threshold}, x {x[k]}): kernel I {current[k]}, U {voltage[k]}, " +
                                $"spike {(spikes[0] >> k) & 1}; reference I {referenceCurrent[k]}, U {referenceVoltage[k]}, spike {fired} (SIMD {SpikeOps.ActiveSimdWidth})");
            }
        }
    }

    [Fact]
    public void Lanes_give_the_reference_rounding_at_the_edges()
    {
        int[] values = [0, 1, -1, 2, -2, 3, -3, 5, -5, 128, -128, 384, -384, (1 << 29) - 1, -(1 << 29), 123456, -654321];
        int[] factors = [0, 1, 128, 255, 256, 32768, 65535, (1 << 30) - 1];
        foreach (Rounding rounding in new[] { Rounding.Floor, Rounding.TowardZero, Rounding.NearestHalfUp, Rounding.NearestEven })
        foreach (int shift in new[] { 1, 8, 16, 30 })
        foreach (int x in values)
        foreach (int f in factors.Where(f => f < 1L << shift))   // a decay: u0.shift, below 1
        {
            int scalar = IntegerLanes.MultiplyShift(x, f, shift, rounding);
            Assert.Equal(FixedArithmetic.ShiftRight((long)x * f, shift, rounding), scalar);
            Assert.Equal(scalar, IntegerLanes.MultiplyShift(Vector512.Create(x), f, shift, rounding)[13]);
            Assert.Equal(scalar, IntegerLanes.MultiplyShift(Vector256.Create(x), f, shift, rounding)[1]);
        }
    }
}

/// <summary><c>CubaLif</c>'s equations in s7.8, decays u0.16, nearest-even, saturating (the defaults).</summary>
[Neuron]
[FixedPointFormat(7, 8)]
public partial struct FixedNearestEven
{
    [State] public float I;
    [State] public float U;
    [Param(0.8f)] public float Alpha;
    [Param(0.9f)] public float Beta;
    [Param(1f)] public float Threshold;

    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U -= Threshold;
}

/// <summary><c>CubaLif</c>'s equations in s3.12, decays u0.8, floor, wrapping.</summary>
[Neuron]
[FixedPointFormat(3, 12, Rounding = Rounding.Floor, Overflow = Overflow.Wrap, DecayFractionBits = 8)]
public partial struct FixedFloorWrap
{
    [State] public float I;
    [State] public float U;
    [Param(0.8f)] public float Alpha;
    [Param(0.9f)] public float Beta;
    [Param(1f)] public float Threshold;

    public void Integrate(float input)
    {
        I = I * Alpha + input;
        U = I + Beta * U;
    }

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U = U - Threshold;
}

/// <summary><c>CubaLifZeroReset</c>'s equations in s15.8, decays u0.20, toward zero, saturating.</summary>
[Neuron]
[FixedPointFormat(15, 8, Rounding = Rounding.TowardZero, DecayFractionBits = 20)]
public partial struct FixedTowardZero
{
    [State] public float I;
    [State] public float U;
    [Param(0.8f)] public float Alpha;
    [Param(0.9f)] public float Beta;
    [Param(1f)] public float Threshold;

    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U = 0f;
}

/// <summary><c>CubaLifZeroReset</c>'s equations in s7.8, decays u0.12, nearest with ties up, wrapping.</summary>
[Neuron]
[FixedPointFormat(7, 8, Rounding = Rounding.NearestHalfUp, Overflow = Overflow.Wrap, DecayFractionBits = 12)]
public partial struct FixedHalfUpWrap
{
    [State] public float I;
    [State] public float U;
    [Param(0.8f)] public float Alpha;
    [Param(0.9f)] public float Beta;
    [Param(1f)] public float Threshold;

    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }

    [Spike(typeof(FastSigmoid))]
    public bool Fires() => U > Threshold;

    public void Reset() => U = 0f;
}
