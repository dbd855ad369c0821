using SnnDsl.Neurons;

namespace SnnDsl.Tests.Training;

/// <summary>A network with more weights than one block of <see cref="NetworkGradients.SumOf"/> (16,384), and a tail block.</summary>
[Network]
public partial class WideClassifier
{
    [Input(173)] public partial SpikeInput In { get; }
    [Population(101)] public partial Population<CubaLif> Hidden { get; }
    [Population(3)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}

/// <summary>The reduction of per-chunk gradients: threads share it, and it gives the bits of adding the chunks one by one.</summary>
public class GradientReductionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(0)]
    public void Sum_of_parts_is_the_ordered_sum_bit_for_bit(int threads)
    {
        var network = new WideClassifier();
        NetworkGradients[] parts = [.. Enumerable.Range(0, 8).Select(k => Random(network, seed: k))];
        NetworkGradients summed = Random(network, seed: 99);   // whatever it held before is overwritten

        summed.SumOf(parts, threads);

        AssertOrderedSum(parts, summed);
        // Float addition is not associative: the sums are not the same bits in another order, which the test would see.
        var reversed = new NetworkGradients(network);
        foreach (NetworkGradients part in parts.Reverse()) reversed.Add(part);
        Assert.False(reversed.Weight("InToHidden").SequenceEqual(summed.Weight("InToHidden")));
    }

    [Fact]
    public void A_repeated_sum_follows_the_parts_it_is_given()
    {
        // The plan of a sum is kept for the next call with the same parts; whatever changed must still be summed.
        var network = new WideClassifier();
        NetworkGradients[] parts = [.. Enumerable.Range(0, 4).Select(k => Random(network, seed: k))];
        var summed = new NetworkGradients(network);
        summed.SumOf(parts, 1);

        // Each in turn, so that each must be seen by itself: values changed in place, a part replaced in the same
        // list, an array replaced in a part.
        parts[0].Weight("InToHidden")[7] = 1000f;
        summed.SumOf(parts, 1);
        AssertOrderedSum(parts, summed);
        parts[1] = Random(network, seed: 10);
        summed.SumOf(parts, 1);
        AssertOrderedSum(parts, summed);
        parts[2].Weights[1] = [.. parts[3].Weights[1]];
        summed.SumOf(parts, 1);
        AssertOrderedSum(parts, summed);

        // Another list holding other parts.
        NetworkGradients[] others = [.. Enumerable.Range(20, 3).Select(k => Random(network, seed: k))];
        summed.SumOf(others, 1);
        AssertOrderedSum(others, summed);

        // A part of another shape is refused after a plan was made.
        others[1] = new NetworkGradients(new Reliability.SmallClassifier());
        Assert.Throws<ArgumentException>(() => summed.SumOf(others, 1));
    }

    [Fact]
    public void Summing_the_same_parts_again_on_one_thread_allocates_nothing()
    {
        var network = new WideClassifier();
        NetworkGradients[] parts = [.. Enumerable.Range(0, 8).Select(k => Random(network, seed: k))];
        var summed = new NetworkGradients(network);
        summed.SumOf(parts, 1);   // makes the plan

        long before = GC.GetAllocatedBytesForCurrentThread();
        summed.SumOf(parts, 1);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        AssertOrderedSum(parts, summed);
    }

    [Fact]
    public void Parts_of_another_network_are_named()
    {
        var gradients = new NetworkGradients(new WideClassifier());
        NetworkGradients other = new(new Reliability.SmallClassifier());
        Assert.StartsWith("These gradients hold ", Assert.Throws<ArgumentException>(() => gradients.SumOf([new NetworkGradients(new WideClassifier()), other])).Message);
    }

    private static void AssertOrderedSum(IEnumerable<NetworkGradients> parts, NetworkGradients summed)
    {
        var ordered = new NetworkGradients(new WideClassifier());
        foreach (NetworkGradients part in parts) ordered.Add(part);
        foreach (((string name, _, float[] expected), (_, _, float[] actual)) in ordered.Tensors().Zip(summed.Tensors()))
            Assert.True(expected.Select(BitConverter.SingleToInt32Bits).SequenceEqual(actual.Select(BitConverter.SingleToInt32Bits)), name);
    }

    private static NetworkGradients Random(WideClassifier network, int seed)
    {
        var random = new Random(seed);
        var gradients = new NetworkGradients(network);
        foreach ((_, _, float[] g) in gradients.Tensors())
            for (int i = 0; i < g.Length; i++) g[i] = (float)(random.NextDouble() * 2 - 1) * MathF.Pow(10, random.Next(-3, 4));
        return gradients;
    }
}
