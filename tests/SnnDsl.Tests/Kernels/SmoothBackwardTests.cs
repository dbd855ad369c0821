using SnnDsl.Neurons;

namespace SnnDsl.Tests.Kernels;

/// <summary>A network without spiking neurons: its gradient is exact, so finite differences can check Backward directly.</summary>
[Network]
public partial class SmoothNet
{
    [Input(13)] public partial SpikeInput In { get; }
    [Population(7)] public partial Population<SmoothReadout> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
}

[Trait("Category", "Kernels")]
public class SmoothBackwardTests
{
    private static double Loss(SmoothNet net, SpikeRaster input, float[] upstream)
    {
        StateRecording u = net.Simulate(input).States("Out", "U");
        double loss = 0;
        for (int k = 0; k < upstream.Length; k++) loss += (double)upstream[k] * u.Values[k];
        return loss;
    }

    [Fact]
    public void Backward_matches_central_differences_on_a_smooth_network()
    {
        var net = new SmoothNet();
        net.InitializeWeights(seed: 3);
        SpikeRaster input = SpikeRaster.Bernoulli(batch: 5, steps: 12, neurons: 13, p: 0.3, seed: 4);
        var random = new Random(5);
        float[] upstream = Enumerable.Range(0, 5 * 12 * 7).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        SimulationResult forward = net.Simulate([input], new SimulationOptions { RecordAllStates = true });
        NetworkGradients gradients = net.Backward([input], forward, new BackwardUpstream().WithState("Out", "U", upstream));

        float[] w = net.InToOut.Weights;
        foreach (int k in new[] { 0, 17, 44, 90 })
        {
            float saved = w[k];
            const float h = 1e-2f;
            w[k] = saved + h; double plus = Loss(net, input, upstream);
            w[k] = saved - h; double minus = Loss(net, input, upstream);
            w[k] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.Equal(numeric, gradients.Weight("InToOut")[k], 2e-3 * Math.Max(1, Math.Abs(numeric)));
        }
        foreach (string parameter in new[] { "Alpha", "Beta" })
        {
            float[] value = net.Out.Parameter(parameter);
            float saved = value[0];
            const float h = 1e-3f;
            value[0] = saved + h; double plus = Loss(net, input, upstream);
            value[0] = saved - h; double minus = Loss(net, input, upstream);
            value[0] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.Equal(numeric, gradients.Parameter("Out", parameter)[0], 1e-2 * Math.Max(1, Math.Abs(numeric)));
        }
    }
}

/// <summary>The leaky readout with trainable decays, so that their gradients are checked too.</summary>
[Neuron]
public partial struct SmoothReadout
{
    [State] public float I;
    [State] public float U;
    [Param(0.8187f, Trainable = true)] public float Alpha;
    [Param(0.9048f, Trainable = true)] public float Beta;

    public void Integrate(float input)
    {
        I = Alpha * I + input;
        U = Beta * U + I;
    }
}
