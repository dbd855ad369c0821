namespace SnnDsl.FixedPoint;

/// <summary>
/// The random bits of stochastic rounding: SplitMix64 (Steele, Lea &amp; Flood 2014), seeded, so a run is reproducible.
/// A simulator gives every sample its own stream (<see cref="ForSample"/>), so results do not depend on the thread count.
/// </summary>
public sealed class StochasticRounder
{
    private ulong _state;

    /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
    public StochasticRounder(ulong seed) => _state = seed;

    /// <summary>The stream of sample <paramref name="sample"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static StochasticRounder ForSample(ulong seed, int sample) => new(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(sample + 1)));

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in 0 … 2^<paramref name="bits"/> − 1 (1 ≤ bits ≤ 63).</summary>
    public ulong NextBits(int bits) => Next() >> (64 - bits);
}
