namespace SnnDsl.Tests.Kernels;

public class SmokeTests
{
    [Fact]
    public void Simulate_produces_rasters_and_readout_traces()
    {
        var net = new FeedForwardNet();
        net.InitializeWeights(seed: 1, scale: 3f);
        SpikeRaster input = SpikeRaster.Bernoulli(batch: 3, steps: 20, neurons: 37, p: 0.2, seed: 2);
        SimulationResult result = net.Simulate(input);
        Assert.Equal(45, result.Spikes("Hidden").Neurons);
        Assert.True(result.Spikes("Hidden").Count() > 0);
        Assert.Equal(11, result.States("Out", "U").Neurons);
    }
}
