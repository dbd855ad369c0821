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

    [Fact]
    public void Bad_inputs_get_specific_errors()
    {
        var net = new FeedForwardNet();
        var wrongWidth = new SpikeRaster(batch: 2, steps: 5, neurons: 36);
        ArgumentException width = Assert.Throws<ArgumentException>(() => net.Simulate(wrongWidth));
        Assert.Contains("Input 'In' of network 'FeedForwardNet' has 37 channels but its raster has 36", width.Message);

        SpikeRaster input = SpikeRaster.Bernoulli(2, 5, 37, 0.2, 1);
        SimulationResult withoutStates = net.Simulate(input);
        ArgumentException backward = Assert.Throws<ArgumentException>(() => net.Backward([input], withoutStates, new BackwardUpstream()));
        Assert.Contains("RecordAllStates", backward.Message);

        SimulationResult forward = net.Simulate([input], new SimulationOptions { RecordAllStates = true });
        ArgumentException shape = Assert.Throws<ArgumentException>(() => net.Backward([input], forward, new BackwardUpstream().WithState("Out", "U", new float[7])));
        Assert.Contains("The state gradient 'Out.U' has 7 values, but batch 2 × steps 5 × neurons 11 = 110", shape.Message);

        ArgumentException notRecorded = Assert.Throws<ArgumentException>(() => forward.States("Hidden", "V"));
        Assert.Contains("State 'Hidden.V' was not recorded. Recorded: Hidden.I, Hidden.U, Out.I, Out.U;", notRecorded.Message);

        // An upstream's names are checked once per network, and again after every change.
        var upstream = new BackwardUpstream().WithState("Out", "U", new float[110]);
        net.Backward([input], forward, upstream);
        upstream.WithState("Out", "V", new float[110]);
        ArgumentException unknown = Assert.Throws<ArgumentException>(() => net.Backward([input], forward, upstream));
        Assert.Contains("Upstream gradient for 'Out.V', but population 'Out' has no state 'V'", unknown.Message);
        ArgumentException notSpiking = Assert.Throws<ArgumentException>(() =>
            net.Backward([input], forward, new BackwardUpstream().WithState("Out", "U", new float[110]).WithSpikes("Out", new float[110])));
        Assert.Contains("Upstream spike gradient for 'Out', which is not a spiking population", notSpiking.Message);

        ArgumentException typo = Assert.Throws<ArgumentException>(() => net.Simulate([input], new SimulationOptions { RecordStates = ["Hidden.V"] }));
        Assert.Contains("population 'Hidden' has no state 'V'", typo.Message);
    }
}
