namespace SnnDsl.Tests.FixedPoint;

/// <summary>
/// The generated <c>Step</c> of neurons declared in integer arithmetic (<see cref="HandXylo"/>, <see cref="HandLoihi"/>,
/// <see cref="HandAdaptive"/>) against the declaration itself: each neuron's own Integrate, Fires and Reset called in
/// plain C# on a struct holding its states, bit for bit — every state and every spike of every step, from random states
/// over each type's whole range, random parameters (shift counts beyond 31 included, where C# uses the low 5 bits) and
/// random inputs (small, and over the whole int range, where the adds wrap), re-drawn as the steps go, with the corners
/// (±2^15, int.MinValue, int.MaxValue, 0, −1) mixed in. 61 neurons run the Vector512 loop, the Vector256 loop and the
/// scalar tail; CI runs this category at each width.
/// </summary>
[Trait("Category", "Kernels")]
public class IntegerNeuronKernelTests
{
    // 3 × 16 + 8 + 5 neurons: the Vector512 loop, then one Vector256 iteration, then the scalar tail.
    private const int Neurons = 61;
    private const int Steps = 400;

    private static readonly short[] ShortCorners = [short.MinValue, short.MinValue + 1, -1, 0, 1, short.MaxValue - 1, short.MaxValue];
    private static readonly int[] IntCorners = [int.MinValue, int.MinValue + 1, -(1 << 23), -1, 0, 1, (1 << 23) - 1, int.MaxValue - 1, int.MaxValue];

    private static short AnyShort(Random random) =>
        random.Next(8) == 0 ? ShortCorners[random.Next(ShortCorners.Length)] : (short)random.Next(short.MinValue, short.MaxValue + 1);

    private static int AnyInt(Random random) =>
        random.Next(8) == 0 ? IntCorners[random.Next(IntCorners.Length)] : (int)random.NextInt64(int.MinValue, (long)int.MaxValue + 1);

    /// <summary>This step's inputs: none, small ones, or any int (most often small, so that the dynamics run a while).</summary>
    private static void DrawInputs(Random random, int[] input)
    {
        int regime = random.Next(6);
        for (int k = 0; k < Neurons; k++)
            input[k] = regime switch { 0 => 0, 1 => AnyInt(random), 2 => AnyShort(random), _ => random.Next(-3000, 3001) };
    }

    private static bool Spiked(ulong[] spikes, int k) => ((spikes[k >> 6] >> (k & 63)) & 1) != 0;

    private static void Expect(bool equal, string neuron, int step, int k, string before, string kernel, string reference)
    {
        if (!equal)
            Assert.Fail($"{neuron} step {step}, neuron {k} (from {before}): kernel {kernel}; its own methods {reference} (SIMD {SpikeOps.ActiveSimdWidth})");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void HandXylo_step_is_its_own_methods_bit_for_bit(int seed)
    {
        var random = new Random(seed);
        short[] current = new short[Neurons], voltage = new short[Neurons];
        var input = new int[Neurons];
        var spikes = new ulong[1];
        int dashSyn = 0, dashMem = 0;
        short threshold = 0;
        for (int t = 0; t < Steps; t++)
        {
            if (t % 50 == 0)
                for (int k = 0; k < Neurons; k++) (current[k], voltage[k]) = (AnyShort(random), AnyShort(random));
            if (t % 10 == 0)
                (dashSyn, dashMem, threshold) = (random.Next(0, 40), random.Next(0, 40), random.Next(3) == 0 ? AnyShort(random) : (short)random.Next(1, 2000));
            DrawInputs(random, input);
            short[] current0 = [.. current], voltage0 = [.. voltage];

            HandXylo.Step(current, voltage, input, dashSyn, dashMem, threshold, spikes);

            for (int k = 0; k < Neurons; k++)
            {
                var neuron = new HandXylo { I = current0[k], U = voltage0[k], DashSyn = dashSyn, DashMem = dashMem, Threshold = threshold };
                neuron.Integrate(input[k]);
                bool fired = neuron.Fires();
                if (fired) neuron.Reset();
                Expect(neuron.I == current[k] && neuron.U == voltage[k] && fired == Spiked(spikes, k), nameof(HandXylo), t, k,
                    $"I {current0[k]}, U {voltage0[k]}, input {input[k]}, dashes {dashSyn} {dashMem}, ϑ {threshold}",
                    $"I {current[k]}, U {voltage[k]}, spike {Spiked(spikes, k)}", $"I {neuron.I}, U {neuron.U}, spike {fired}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void HandLoihi_step_is_its_own_methods_bit_for_bit(int seed)
    {
        var random = new Random(seed);
        int[] current = new int[Neurons], voltage = new int[Neurons];
        var input = new int[Neurons];
        var spikes = new ulong[1];
        int du = 0, dv = 0, vth = 0, bias = 0, limit = 0;
        for (int t = 0; t < Steps; t++)
        {
            if (t % 50 == 0)
                for (int k = 0; k < Neurons; k++)
                    (current[k], voltage[k]) = random.Next(2) == 0 ? (AnyInt(random), AnyInt(random)) : (random.Next(-(1 << 23), 1 << 23), random.Next(-(1 << 23), 1 << 23));
            if (t % 10 == 0)
            {
                // Registers in the chip's ranges, or any int (the products then wrap at 32 bits, as C# does).
                bool chip = random.Next(3) > 0;
                du = chip ? random.Next(0, 4097) : AnyInt(random);
                dv = chip ? random.Next(0, 4097) : AnyInt(random);
                vth = chip ? random.Next(0, 1 << 17) : AnyInt(random);
                bias = chip ? random.Next(-4096, 4096) : AnyInt(random);
                // −Limit … Limit with Limit ≥ 0, or int.MinValue, where −Limit = Limit (the clamp pins every lane to it).
                limit = random.Next(8) switch { 0 => 0, 1 => int.MaxValue, 2 => int.MinValue, _ => random.Next(0, 1 << 24) };
            }
            DrawInputs(random, input);
            int[] current0 = [.. current], voltage0 = [.. voltage];

            HandLoihi.Step(current, voltage, input, du, dv, vth, bias, limit, spikes);

            for (int k = 0; k < Neurons; k++)
            {
                var neuron = new HandLoihi { Current = current0[k], Voltage = voltage0[k], Du = du, Dv = dv, Vth = vth, Bias = bias, Limit = limit };
                neuron.Integrate(input[k]);
                bool fired = neuron.Fires();
                if (fired) neuron.Reset();
                Expect(neuron.Current == current[k] && neuron.Voltage == voltage[k] && fired == Spiked(spikes, k), nameof(HandLoihi), t, k,
                    $"u {current0[k]}, v {voltage0[k]}, input {input[k]}, du {du}, dv {dv}, vth {vth}, bias {bias}, limit {limit}",
                    $"u {current[k]}, v {voltage[k]}, spike {Spiked(spikes, k)}", $"u {neuron.Current}, v {neuron.Voltage}, spike {fired}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void HandAdaptive_step_is_its_own_methods_bit_for_bit(int seed)
    {
        var random = new Random(seed);
        int[] potential = new int[Neurons], refractory = new int[Neurons];
        var adaptation = new short[Neurons];
        var input = new int[Neurons];
        var spikes = new ulong[1];
        short decay = 0;
        int shift = 0, threshold = 0, period = 0;
        for (int t = 0; t < Steps; t++)
        {
            if (t % 50 == 0)
                for (int k = 0; k < Neurons; k++)
                    (potential[k], adaptation[k], refractory[k]) = (AnyInt(random), AnyShort(random), random.Next(2) == 0 ? random.Next(-2, 6) : AnyInt(random));
            if (t % 10 == 0)
            {
                bool tame = random.Next(3) > 0;
                decay = tame ? (short)random.Next(0, 256) : AnyShort(random);
                shift = random.Next(0, 40);
                threshold = tame ? random.Next(1, 5000) : AnyInt(random);
                period = tame ? random.Next(0, 6) : AnyInt(random);
            }
            DrawInputs(random, input);
            int[] potential0 = [.. potential], refractory0 = [.. refractory];
            short[] adaptation0 = [.. adaptation];

            HandAdaptive.Step(potential, adaptation, refractory, input, decay, shift, threshold, period, spikes);

            for (int k = 0; k < Neurons; k++)
            {
                var neuron = new HandAdaptive { V = potential0[k], A = adaptation0[k], Refractory = refractory0[k], Decay = decay, Shift = shift, Threshold = threshold, Period = period };
                neuron.Integrate(input[k]);
                bool fired = neuron.Fires();
                if (fired) neuron.Reset();
                Expect(neuron.V == potential[k] && neuron.A == adaptation[k] && neuron.Refractory == refractory[k] && fired == Spiked(spikes, k), nameof(HandAdaptive), t, k,
                    $"V {potential0[k]}, A {adaptation0[k]}, refractory {refractory0[k]}, input {input[k]}, decay {decay}, shift {shift}, ϑ {threshold}, period {period}",
                    $"V {potential[k]}, A {adaptation[k]}, refractory {refractory[k]}, spike {Spiked(spikes, k)}",
                    $"V {neuron.V}, A {neuron.A}, refractory {neuron.Refractory}, spike {fired}");
            }
        }
    }

    [Fact]
    public void Wrap_and_saturation_corners_are_the_methods_results()
    {
        // HandXylo: I + input wraps in int before the clamp (C#'s order), so int.MaxValue drives I to −2^15 and
        // int.MinValue to 2^15 − 1; a dash of 31 subtracts I >> 31 (−1 or 0); dash_mem 40 shifts by 8 (40 & 31).
        short[] current = [short.MaxValue, short.MinValue, 10, 0], voltage = [0, 0, short.MinValue, short.MaxValue];
        int[] input = [int.MaxValue, int.MinValue, 0, 0];
        var spikes = new ulong[1];
        HandXylo.Step(current, voltage, input, 31, 40, -30000, spikes);
        // U: −32767 (no spike); 32767 fires and 32767 + 30000 wraps to −2769; −32768 + 128 + 10 = −32630 (no spike);
        // 32767 − 127 = 32640 fires and wraps to −2896.
        Assert.Equal([-32767, 32767, 10, 0], current.Select(i => (int)i));
        Assert.Equal([-32767, -2769, -32630, -2896], voltage.Select(v => (int)v));
        Assert.Equal(0b1010UL, spikes[0]);

        // HandLoihi: the 24-bit wrap written (v << 8) >> 8 takes 2^23 to −2^23.
        int[] u = [0], v = [0];
        HandLoihi.Step(u, v, [1 << 17], 0, 4096, int.MaxValue, 0, int.MaxValue, spikes);
        Assert.Equal(-(1 << 23), u[0]);
        Assert.Equal(-(1 << 23), v[0]);
    }

    [Fact]
    public void A_clamp_whose_minimum_exceeds_its_maximum_throws_as_Math_Clamp_does()
    {
        var own = new HandLoihi { Limit = -1 };
        Assert.Throws<ArgumentException>(() => own.Integrate(0));
        Assert.Throws<ArgumentException>(() => HandLoihi.Step(new int[3], new int[3], new int[3], 0, 0, 0, 0, -1, new ulong[1]));
    }
}
