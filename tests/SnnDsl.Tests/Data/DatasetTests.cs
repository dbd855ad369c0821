using SnnDsl.Data;

namespace SnnDsl.Tests.Data;

public class DatasetTests
{
    // Sample i spikes at step i on neuron 10·i and neuron 65 + i (second 64-bit word of the row).
    private static Dataset ThreeSamples()
    {
        var raster = new SpikeRaster(3, 4, 70);
        for (int i = 0; i < 3; i++)
        {
            raster[i, i, 10 * i] = true;
            raster[i, i, 65 + i] = true;
        }
        return new Dataset(raster, [2, 0, 1], 3);
    }

    [Fact]
    public void SelectCopiesTheChosenSamplesInOrder()
    {
        Dataset batch = ThreeSamples().Select([2, 0, 2]);
        Assert.Equal(new[] { 1, 2, 1 }, batch.Labels);
        Assert.Equal((3, 4, 70, 3), (batch.Count, batch.Inputs.Steps, batch.Inputs.Neurons, batch.Classes));
        Assert.True(batch.Inputs[0, 2, 20] && batch.Inputs[0, 2, 67]);
        Assert.True(batch.Inputs[1, 0, 0] && batch.Inputs[1, 0, 65]);
        Assert.True(batch.Inputs[2, 2, 20] && batch.Inputs[2, 2, 67]);
        Assert.Equal(6, batch.Inputs.Count());
    }

    [Fact]
    public void SelectIntoAPreviousBatchOverwritesItWhereTheShapeFits()
    {
        Dataset data = ThreeSamples();
        Dataset previous = data.Select([0, 1, 0]);
        Dataset batch = data.Select([2, 0, 2], previous);
        Assert.Same(previous, batch);
        Dataset fresh = data.Select([2, 0, 2]);
        Assert.Equal(fresh.Labels, batch.Labels);
        Assert.Equal(fresh.Inputs.Bits, batch.Inputs.Bits);
        // Another batch size, or another data set's shape: new buffers, the previous batch untouched.
        Dataset smaller = data.Select([1, 2], batch);
        Assert.NotSame(batch, smaller);
        Assert.Equal(new[] { 0, 1 }, smaller.Labels);
        Assert.Equal(fresh.Labels, batch.Labels);
        var other = new Dataset(new SpikeRaster(3, 5, 70), new int[3], 3);
        Assert.NotSame(batch, other.Select([0, 1, 2], batch));
    }

    [Fact]
    public void SelectRejectsIndicesOutsideTheSet()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ThreeSamples().Select([0, 3]));
        Assert.Contains("Index 1 selects sample 3; the data set has 3.", error.Message);
        Assert.Throws<ArgumentException>(() => ThreeSamples().Select([]));
    }

    [Fact]
    public void PermutationIsNumpys()
    {
        // np.random.RandomState(0).permutation(10)
        var data = new Dataset(new SpikeRaster(10, 1, 1), new int[10], 1);
        Assert.Equal(new[] { 2, 8, 4, 9, 1, 6, 7, 3, 0, 5 }, data.Permutation(0));
        Assert.Equal(data.Permutation(5), data.Permutation(5));
    }

    [Fact]
    public void SplitKeepsOrderAndFloorsEachPart()
    {
        var data = new Dataset(new SpikeRaster(10, 1, 1), Enumerable.Range(0, 10).ToArray(), 10);
        Dataset[] parts = data.Split(2, 1, 1);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, parts[0].Labels);
        Assert.Equal(new[] { 5, 6 }, parts[1].Labels);
        Assert.Equal(new[] { 7, 8 }, parts[2].Labels);
        Assert.Throws<ArgumentException>(() => data.Split(1, 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(1, -1));
    }

    [Fact]
    public void LabelsMustMatchTheRaster()
    {
        var raster = new SpikeRaster(2, 1, 1);
        Assert.Contains("1 labels for a raster of 2 samples", Assert.Throws<ArgumentException>(() => new Dataset(raster, [0], 2)).Message);
        Assert.Contains("Label 2 of sample 1 is outside [0, 2)", Assert.Throws<ArgumentException>(() => new Dataset(raster, [0, 2], 2)).Message);
    }
}
