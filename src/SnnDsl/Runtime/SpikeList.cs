namespace SnnDsl;

/// <summary>
/// The neurons of one population that spiked in one step, in ascending order: listed once from the bit-packed spikes
/// and read by every connection that leaves the population, instead of each connection listing the same bits again
/// (in the SHD network, the readout at step t and the recurrent input at t + 1). The generated forward pass keeps
/// one per spiking population with more than one such reader, in its scratch.
/// </summary>
public sealed class SpikeList
{
    private readonly int[] _neurons;

    /// <summary>A list for a population of <paramref name="neurons"/> neurons, empty until <see cref="List"/>.</summary>
    public SpikeList(int neurons)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(neurons);
        Words = (neurons + 63) >> 6;
        _neurons = new int[Words * 64 + 4];   // ActiveNeurons writes up to four indices past the last it keeps
    }

    /// <summary>Words of a bit-packed spike row of the population (64 neurons each).</summary>
    public int Words { get; }

    /// <summary>How many neurons spiked.</summary>
    public int Count { get; private set; }

    /// <summary>The neurons that spiked, ascending.</summary>
    public ReadOnlySpan<int> Neurons => _neurons.AsSpan(0, Count);

    /// <summary>Lists the set bits of one step's bit-packed spikes (bit i of word i/64 is neuron i).</summary>
    /// <exception cref="ArgumentException">The row does not have <see cref="Words"/> words.</exception>
    public void List(ReadOnlySpan<ulong> spikes)
    {
        if (spikes.Length != Words)
            throw new ArgumentException($"A spike row of {spikes.Length} words for a list of {Words} words ({Words * 64} neurons at most).", nameof(spikes));
        Count = SpikeOps.ActiveNeurons(spikes, _neurons);
    }
}
