namespace SnnDsl.Data;

/// <summary>
/// MT19937 (Matsumoto &amp; Nishimura 1998) with the draws of numpy's legacy <c>np.random.RandomState(seed)</c>, so
/// that generators published as numpy code (Yin-Yang, Randman's sample coordinates and shuffles) are reproduced bit
/// for bit. Seeding is <c>init_genrand(seed)</c>, the first output for seed 42 is 1608637542 (as std::mt19937(42)).
/// </summary>
public sealed class MersenneTwister
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908B0DFu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7FFFFFFFu;

    private readonly uint[] _state = new uint[N];
    private int _index;

    /// <summary>Seeds the generator as <c>RandomState(seed)</c> does for an integer seed (init_genrand).</summary>
    public MersenneTwister(uint seed)
    {
        // init_genrand: mt[i] = 1812433253 · (mt[i−1] ⊕ (mt[i−1] ≫ 30)) + i (mod 2³²)
        _state[0] = seed;
        for (int i = 1; i < N; i++)
            _state[i] = 1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i;
        _index = N;
    }

    /// <summary>Next 32-bit output (genrand_int32, tempered).</summary>
    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Next 64-bit output as numpy's legacy <c>next_uint64</c>: the first 32-bit draw is the high word.</summary>
    public ulong NextUInt64()
    {
        ulong high = NextUInt32();
        return high << 32 | NextUInt32();
    }

    /// <summary>
    /// <c>random_sample()</c> / <c>rand()</c>: a 53-bit double in [0, 1) from two draws a, b:
    /// ((a ≫ 5)·2²⁶ + (b ≫ 6)) / 2⁵³.
    /// </summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>
    /// <c>randint(high)</c> of the legacy RandomState (int64 result, low = 0): masked rejection sampling of
    /// 32-bit draws when high − 1 fits 32 bits, of 64-bit draws otherwise.
    /// </summary>
    public long NextInt64(long high)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(high);
        return (long)BoundedMasked((ulong)(high - 1));
    }

    /// <summary>
    /// <c>shuffle(x)</c> of the legacy RandomState for a 1-D array: Fisher–Yates from the last element down, the
    /// swap partner j ∈ [0, i] drawn by masked rejection (<c>random_interval</c>).
    /// </summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)BoundedMasked((ulong)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><c>permutation(n)</c>: <c>arange(n)</c> shuffled with <see cref="Shuffle{T}"/>.</summary>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Shuffle<int>(order);
        return order;
    }

    // Uniform integer in [0, max]: draw, keep the bits below max's highest set bit, reject values above max.
    private ulong BoundedMasked(ulong max)
    {
        if (max == 0) return 0;
        ulong mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        ulong value;
        if (max <= uint.MaxValue)
            do value = NextUInt32() & mask; while (value > max);
        else
            do value = NextUInt64() & mask; while (value > max);
        return value;
    }

    // Regenerates the 624 words of state (the recurrence x[k+n] = x[k+m] ⊕ (upper(x[k]) | lower(x[k+1]))·A).
    private void Twist()
    {
        for (int k = 0; k < N; k++)
        {
            uint y = (_state[k] & UpperMask) | (_state[(k + 1) % N] & LowerMask);
            _state[k] = _state[(k + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? MatrixA : 0u);
        }
        _index = 0;
    }
}
