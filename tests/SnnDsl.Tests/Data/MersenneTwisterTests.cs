using SnnDsl.Data;

namespace SnnDsl.Tests.Data;

public class MersenneTwisterTests
{
    [Fact]
    public void FirstOutputForSeed42MatchesStdMt19937()
    {
        Assert.Equal(1608637542u, new MersenneTwister(42).NextUInt32());
    }

    [Fact]
    public void TenThousandthOutputOfDefaultSeedMatchesTheCppStandard()
    {
        // C++ [rand.predef]: the 10000th invocation of a default-constructed mt19937 (seed 5489) yields 4123659995.
        var random = new MersenneTwister(5489);
        for (int i = 0; i < 9999; i++) random.NextUInt32();
        Assert.Equal(4123659995u, random.NextUInt32());
    }

    [Fact]
    public void NextDoubleMatchesNumpyRand()
    {
        // np.random.RandomState(42).rand(3) (numpy 1.24)
        var random = new MersenneTwister(42);
        Assert.Equal(0.3745401188473625, random.NextDouble());
        Assert.Equal(0.9507143064099162, random.NextDouble());
        Assert.Equal(0.7319939418114051, random.NextDouble());
    }

    [Fact]
    public void NextInt64MatchesNumpyRandint()
    {
        // RandomState(3): [randint(5) for 8 draws]; randint(2**32) (32-bit path, full mask); randint(2**63 - 1) (64-bit path)
        var small = new MersenneTwister(3);
        Assert.Equal(new long[] { 2, 0, 1, 3, 0, 0, 0, 3 }, Enumerable.Range(0, 8).Select(_ => small.NextInt64(5)));
        var full32 = new MersenneTwister(3);
        Assert.Equal(new long[] { 2365658986, 303761048, 3041471737 }, Enumerable.Range(0, 3).Select(_ => full32.NextInt64(1L << 32)));
        var wide = new MersenneTwister(3);
        Assert.Equal(new[] { 937055941807507096, 3839649608876091011, 5366245355481424840 },
            Enumerable.Range(0, 3).Select(_ => wide.NextInt64(long.MaxValue)));
    }

    [Fact]
    public void PermutationMatchesNumpy()
    {
        Assert.Equal(new[] { 2, 8, 4, 9, 1, 6, 7, 3, 0, 5 }, new MersenneTwister(0).Permutation(10));
        Assert.Equal(new[] { 1, 17, 2, 5, 11, 0, 18, 6, 13, 19, 10, 14, 8, 16, 9, 12, 7, 3, 4, 15 }, new MersenneTwister(7).Permutation(20));
    }
}
