using SnnDsl.FixedPoint;

namespace SnnDsl.Tests.FixedPoint;

/// <summary>Rounding, overflow and formats of the generic fixed-point arithmetic.</summary>
public class FixedArithmeticTests
{
    [Theory]
    [InlineData(5L, 1, Rounding.Floor, 2L)]            // 2.5
    [InlineData(5L, 1, Rounding.TowardZero, 2L)]
    [InlineData(5L, 1, Rounding.NearestHalfUp, 3L)]
    [InlineData(5L, 1, Rounding.NearestEven, 2L)]
    [InlineData(7L, 1, Rounding.NearestEven, 4L)]      // 3.5 → 4
    [InlineData(-3L, 1, Rounding.Floor, -2L)]          // −1.5
    [InlineData(-3L, 1, Rounding.TowardZero, -1L)]
    [InlineData(-3L, 1, Rounding.NearestHalfUp, -1L)]
    [InlineData(-3L, 1, Rounding.NearestEven, -2L)]
    [InlineData(-5L, 2, Rounding.NearestEven, -1L)]    // −1.25
    [InlineData(-7L, 2, Rounding.NearestHalfUp, -2L)]  // −1.75
    [InlineData(-8L, 2, Rounding.TowardZero, -2L)]     // exact
    public void Shift_right_rounds_as_named(long x, int shift, Rounding rounding, long expected) =>
        Assert.Equal(expected, FixedArithmetic.ShiftRight(x, shift, rounding));

    [Fact]
    public void Stochastic_rounding_is_unbiased_and_reproducible()
    {
        var a = new StochasticRounder(42);
        var b = new StochasticRounder(42);
        long sum = 0;
        const int draws = 200_000;
        for (int k = 0; k < draws; k++)
        {
            long x = FixedArithmetic.ShiftRight(5, 2, Rounding.Stochastic, a);   // 1.25: 1 or 2
            Assert.Equal(x, FixedArithmetic.ShiftRight(5, 2, Rounding.Stochastic, b));
            Assert.InRange(x, 1, 2);
            sum += x;
        }
        Assert.Equal(1.25, (double)sum / draws, 2);
        Assert.Equal(3, FixedArithmetic.ShiftRight(12, 2, Rounding.Stochastic, a));   // exact values never move
        Assert.Throws<ArgumentNullException>(() => FixedArithmetic.ShiftRight(5, 2, Rounding.Stochastic));
    }

    [Fact]
    public void Overflow_wraps_or_saturates_to_the_format()
    {
        FixedFormat s34 = FixedFormat.Signed(3, 4);   // 8 bits: −128…127
        Assert.Equal(127, FixedArithmetic.Fit(130, s34, Overflow.Saturate));
        Assert.Equal(-126, FixedArithmetic.Fit(130, s34, Overflow.Wrap));
        Assert.Equal(-128, FixedArithmetic.Fit(-200, s34, Overflow.Saturate));
        Assert.Equal(56, FixedArithmetic.Fit(-200, s34, Overflow.Wrap));
        Assert.Equal(44, FixedArithmetic.Fit(300, FixedFormat.Unsigned(0, 8), Overflow.Wrap));
        Assert.Equal(255, FixedArithmetic.Fit(300, FixedFormat.Unsigned(0, 8), Overflow.Saturate));
    }

    [Fact]
    public void Formats_parse_print_and_bound_their_values()
    {
        Assert.Equal(FixedFormat.S16_15, FixedFormat.Parse("s16.15"));
        Assert.Equal("u0.32", FixedFormat.U0_32.ToString());
        Assert.Equal(32, FixedFormat.S16_15.TotalBits);
        Assert.Equal(65535.999969482421875, FixedFormat.S16_15.MaxValue);
        Assert.Equal(-65536.0, FixedFormat.S16_15.MinValue);
        Assert.Equal(24, FixedArithmetic.ToRaw(0.75, FixedFormat.Signed(3, 5), Rounding.NearestEven, "x"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FixedArithmetic.ToRaw(9, FixedFormat.Signed(3, 4), Rounding.NearestEven, "Threshold"));
        Assert.Contains("outside s3.4", e.Message);
        Assert.Throws<FormatException>(() => FixedFormat.Parse("q16.15"));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedFormat.Signed(40, 30));
    }

    [Fact]
    public void Stochastic_fixed_point_simulation_does_not_depend_on_the_thread_count()
    {
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 3, scale: 2f);
        QuantizedNetwork q = Quantizer.Quantize(net, TargetProfiles.Fixed(7, 8, Rounding.Stochastic, seed: 9));
        SpikeRaster input = SpikeRaster.Bernoulli(16, 25, 5, 0.3, seed: 2);
        QuantizedResult one = q.Simulate(input, new QuantizedSimulationOptions { MaxDegreeOfParallelism = 1, RecordAllStates = true });
        QuantizedResult many = q.Simulate(input, new QuantizedSimulationOptions { MaxDegreeOfParallelism = 4, RecordAllStates = true });
        Assert.Equal(one.Spikes("Hidden").Bits, many.Spikes("Hidden").Bits);
        Assert.Equal(one.States("Out", "U").Values, many.States("Out", "U").Values);
        QuantizedResult other = Quantizer.Quantize(net, TargetProfiles.Fixed(7, 8, Rounding.Stochastic, seed: 10)).Simulate(input, new QuantizedSimulationOptions { RecordAllStates = true });
        Assert.NotEqual(one.States("Out", "U").Values, other.States("Out", "U").Values);   // the seed matters
    }
}
