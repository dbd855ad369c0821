namespace SnnDsl.Training;

/// <summary>
/// The generator behind a seeded <see cref="Random"/> — Knuth's subtractive method (TAOCP vol. 2, §3.6; "ran3" of
/// Numerical Recipes) as .NET has always seeded it — with a state that can be saved and restored. For a given seed every
/// method returns exactly what <c>new Random(seed)</c> returns (a test compares them over every method), so switching
/// the trainer to it changed no result, and a checkpoint can hold the generator's position.
/// </summary>
/// <remarks>
/// The state is a lagged table of 55 values (lags 55 and 24) with two cursors: x[n] = x[n−55] − x[n−24] mod (2³¹ − 1).
/// <see cref="Random.Sample"/> is x/(2³¹ − 1).
/// </remarks>
public sealed class SubtractiveRandom : Random
{
    private const int TableLength = 56;            // slot 0 unused, as in the original formulation
    private const int Modulus = int.MaxValue;      // 2³¹ − 1
    private readonly int[] _table = new int[TableLength];
    private int _next;
    private int _nextLagged;

    /// <summary>The generator <c>new Random(seed)</c> starts with.</summary>
    public SubtractiveRandom(int seed)
    {
        // Knuth's initialization: fill the table from the seed by a Fibonacci-like recurrence in a shuffled order
        // (index 21·i mod 55), then warm it up with four rounds of subtraction.
        int magnitude = seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
        int current = 161803398 - magnitude;        // ⌊φ·10⁸⌋ − |seed|
        _table[55] = current;
        int previous = 1;
        int index = 0;
        for (int i = 1; i < 55; i++)
        {
            index = (index + 21) % 55;
            _table[index] = previous;
            previous = current - previous;
            if (previous < 0) previous += Modulus;
            current = _table[index];
        }
        for (int round = 0; round < 4; round++)
        {
            for (int i = 1; i < TableLength; i++)
            {
                _table[i] -= _table[1 + (i + 30) % 55];
                if (_table[i] < 0) _table[i] += Modulus;
            }
        }
        _next = 0;
        _nextLagged = 21;
    }

    /// <summary>The length of <see cref="ExportState"/>.</summary>
    public const int StateLength = TableLength + 2;

    /// <summary>The generator's position: the table followed by the two cursors.</summary>
    public int[] ExportState()
    {
        var state = new int[StateLength];
        _table.CopyTo(state, 0);
        state[TableLength] = _next;
        state[TableLength + 1] = _nextLagged;
        return state;
    }

    /// <summary>Restores a position from <see cref="ExportState"/>; the next numbers are those the saved generator would have drawn.</summary>
    /// <exception cref="ArgumentException">The state has the wrong length or out-of-range values.</exception>
    public void ImportState(int[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Length != StateLength)
            throw new ArgumentException($"A generator state has {StateLength} values, not {state.Length}.", nameof(state));
        int next = state[TableLength], lagged = state[TableLength + 1];
        if (next is < 0 or >= TableLength || lagged is < 0 or >= TableLength)
            throw new ArgumentException($"Generator cursors {next} and {lagged} are outside 0…{TableLength - 1}.", nameof(state));
        for (int i = 0; i < TableLength; i++)
            if (state[i] < 0) throw new ArgumentException($"Generator table value {state[i]} at {i} is negative.", nameof(state));
        Array.Copy(state, _table, TableLength);
        _next = next;
        _nextLagged = lagged;
    }

    /// <summary>The next value in [0, 2³¹ − 1): x[n] = x[n−55] − x[n−24] mod (2³¹ − 1).</summary>
    private int NextRaw()
    {
        if (++_next >= TableLength) _next = 1;
        if (++_nextLagged >= TableLength) _nextLagged = 1;
        int value = _table[_next] - _table[_nextLagged];
        if (value == Modulus) value--;
        if (value < 0) value += Modulus;
        _table[_next] = value;
        return value;
    }

    /// <inheritdoc/>
    protected override double Sample() => NextRaw() * (1.0 / Modulus);

    /// <inheritdoc/>
    public override int Next() => NextRaw();

    /// <inheritdoc/>
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(Sample() * maxValue);
    }

    /// <inheritdoc/>
    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        long range = (long)maxValue - minValue;
        return range <= int.MaxValue ? (int)(Sample() * range) + minValue : (int)((long)(WideSample() * range) + minValue);
    }

    /// <summary>A sample with more than 31 random bits, for ranges wider than int.MaxValue: a signed draw rescaled to [0, 1).</summary>
    private double WideSample()
    {
        int value = NextRaw();
        if (NextRaw() % 2 == 0) value = -value;
        return (value + (double)(Modulus - 1)) / (2.0 * Modulus - 1);
    }

    /// <inheritdoc/>
    public override double NextDouble() => Sample();

    /// <inheritdoc/>
    public override float NextSingle() => (float)Sample();

    /// <inheritdoc/>
    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    /// <inheritdoc/>
    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)NextRaw();
    }

    /// <inheritdoc/>
    public override long NextInt64()
    {
        while (true)
        {
            ulong value = NextUInt64() >> 1;         // [0, long.MaxValue]; long.MaxValue itself is excluded
            if (value != long.MaxValue) return (long)value;
        }
    }

    /// <inheritdoc/>
    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return NextInt64(0, maxValue);
    }

    /// <inheritdoc/>
    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = (ulong)(maxValue - minValue);
        if (range <= 1) return minValue;
        int bits = System.Numerics.BitOperations.Log2(range - 1) + 1;   // smallest 2^bits ≥ range
        while (true)
        {
            ulong value = NextUInt64() >> (64 - bits);                    // rejection sampling
            if (value < range) return (long)value + minValue;
        }
    }

    /// <summary>64 random bits from three draws of 22, 22 and 20 bits, lowest first.</summary>
    private ulong NextUInt64() =>
        (uint)Next(1 << 22) | ((ulong)(uint)Next(1 << 22) << 22) | ((ulong)(uint)Next(1 << 20) << 44);
}
