using SnnDsl.Tests.Reference;
using SnnDsl.Training;

namespace SnnDsl.Tests.Online;

/// <summary>
/// For one trainable layer, forward mode is exact: Σ_t g_h(t)·e(t) + γ(t)·∂S_t with e(t) = J_t e(t−1) + C_t a(t) is the
/// same sum BPTT computes backwards. Checked for every built-in and peer neuron, and two user neurons, against the
/// generated BPTT kernels and against the reference interpreter's tape, on the three SIMD widths (Kernels category).
/// </summary>
[Trait("Category", "Kernels")]
public class ExactForwardModeTests
{
    private const int Steps = 30;

    internal static readonly string[] LayerNames =
    [
        nameof(LifLayer), nameof(CubaLifLayer), nameof(AdaptiveLifLayer), nameof(LeakyReadoutLayer), nameof(PaperCubaLifLayer),
        nameof(SnnTorchSynapticLayer), nameof(SnnTorchSynapticZeroResetLayer), nameof(SnnTorchLeakyLayer), nameof(SnnTorchLeakyZeroResetLayer),
        nameof(SpyTorchLifLayer), nameof(NorseLifLayer), nameof(CubaLifZeroResetLayer), nameof(ClampedLifLayer), nameof(EiLifLayer),
        nameof(HelperLifLayer),
    ];

    public static TheoryData<string> Layers => new(LayerNames);

    internal static ISpikingNetwork Create(string name) => name switch
    {
        nameof(LifLayer) => new LifLayer(),
        nameof(CubaLifLayer) => new CubaLifLayer(),
        nameof(AdaptiveLifLayer) => new AdaptiveLifLayer(),
        nameof(LeakyReadoutLayer) => new LeakyReadoutLayer(),
        nameof(PaperCubaLifLayer) => new PaperCubaLifLayer(),
        nameof(SnnTorchSynapticLayer) => new SnnTorchSynapticLayer(),
        nameof(SnnTorchSynapticZeroResetLayer) => new SnnTorchSynapticZeroResetLayer(),
        nameof(SnnTorchLeakyLayer) => new SnnTorchLeakyLayer(),
        nameof(SnnTorchLeakyZeroResetLayer) => new SnnTorchLeakyZeroResetLayer(),
        nameof(SpyTorchLifLayer) => new SpyTorchLifLayer(),
        nameof(NorseLifLayer) => new NorseLifLayer(),
        nameof(CubaLifZeroResetLayer) => new CubaLifZeroResetLayer(),
        nameof(ClampedLifLayer) => new ClampedLifLayer(),
        nameof(EiLifLayer) => new EiLifLayer(),
        nameof(HelperLifLayer) => new HelperLifLayer(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Weights strong enough that every neuron type fires often, distinct per-neuron parameters, a random bias.</summary>
    private static (ISpikingNetwork Network, SpikeRaster[] Inputs, BackwardUpstream Upstream) Setup(string name, int batch, int seed)
    {
        ISpikingNetwork network = Create(name);
        network.InitializeWeights(seed, scale: 3f);
        var random = new Random(seed);
        float[] bias = network.Biases[0].Values;
        for (int i = 0; i < bias.Length; i++) bias[i] = 0.2f * (float)random.NextDouble();
        Population output = network.Populations[0];
        for (int p = 0; p < output.Neuron.Parameters.Count; p++)
        {
            float[] values = output.Parameter(p);
            if (values.Length > 1)
                for (int i = 0; i < values.Length; i++) values[i] *= 0.8f + 0.4f * (float)random.NextDouble();
        }
        // A neuron with declared initial values starts each neuron elsewhere, so h₋₁ ≠ 0 enters the first step's Jacobian.
        if (output.Neuron.InitialValues is not null)
            foreach (string state in output.Neuron.States.Where(s => s != output.Neuron.PreviousSpike))
            {
                float[] initial = output.InitialState(state);
                for (int i = 0; i < initial.Length; i++) initial[i] += 0.5f * (float)(random.NextDouble() - 0.5);
            }
        SpikeRaster[] inputs = network.Inputs.Select((input, k) => SpikeRaster.Bernoulli(batch, Steps, input.Size, p: 0.2, seed: seed * 10 + k)).ToArray();
        // The loss reads the membrane at every step and, for a spiking neuron, the spikes.
        var upstream = new BackwardUpstream().WithState(output.Name, output.Neuron.States.Contains("U") ? "U" : output.Neuron.States[0], Random(random, batch * Steps * output.Size));
        if (output.Neuron.IsSpiking) upstream.WithSpikes(output.Name, Random(random, batch * Steps * output.Size));
        return (network, inputs, upstream);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Exact_forward_mode_equals_bptt_for_one_layer(string name)
    {
        (ISpikingNetwork network, SpikeRaster[] inputs, BackwardUpstream upstream) = Setup(name, batch: 5, seed: 3);
        SimulationResult forward = network.Simulate(inputs, new SimulationOptions { RecordAllStates = true });
        if (network.Populations[0].Neuron.IsSpiking)
            Assert.True(forward.Spikes("Out").Count() > 20, $"{name}: too few spikes ({forward.Spikes("Out").Count()}) for a meaningful comparison.");
        NetworkGradients bptt = network.Backward(inputs, forward, upstream);
        NetworkGradients online = new ForwardMode(network, OnlineRule.Exact).Gradients(inputs, upstream, []);

        foreach (((string tensor, float[] _, float[] expected), (string _, float[] _, float[] actual)) in bptt.Tensors().Zip(online.Tensors()))
            AssertClose($"{name}: ∂L/∂{tensor}", expected.Select(x => (double)x).ToArray(), actual, 1e-5);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Exact_forward_mode_agrees_with_the_reference_tape(string name)
    {
        (ISpikingNetwork network, SpikeRaster[] inputs, BackwardUpstream upstream) = Setup(name, batch: 2, seed: 5);
        ReferenceGradients reference = ReferenceInterpreter.Gradients(network, inputs, upstream);
        NetworkGradients online = new ForwardMode(network, OnlineRule.Exact).Gradients(inputs, upstream, []);
        AssertClose($"{name}: ∂L/∂InToOut", reference.Weight("InToOut"), online.Weight("InToOut"), 1e-4);
        AssertClose($"{name}: ∂L/∂SideToOut", reference.Weight("SideToOut"), online.Weight("SideToOut"), 1e-4);
        AssertClose($"{name}: ∂L/∂OutBias", reference.Bias("OutBias"), online.Bias("OutBias"), 1e-4);
        foreach (ParamDescriptor p in network.Populations[0].Neuron.Parameters.Where(p => p.Trainable))
            AssertClose($"{name}: ∂L/∂Out.{p.Name}", reference.Parameter("Out", p.Name), online.Parameter("Out", p.Name), 1e-4);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        (ISpikingNetwork network, SpikeRaster[] inputs, BackwardUpstream upstream) = Setup(nameof(ClampedLifLayer), batch: 11, seed: 7);
        var engine = new ForwardMode(network, OnlineRule.Exact);
        NetworkGradients one = engine.Gradients(inputs, upstream, [], new SimulationOptions { MaxDegreeOfParallelism = 1 });
        float[][] first = one.Tensors().Select(t => (float[])t.Gradient.Clone()).ToArray();
        NetworkGradients many = engine.Gradients(inputs, upstream, [], new SimulationOptions { MaxDegreeOfParallelism = 4 });
        foreach ((float[] a, (string _, float[] _, float[] b)) in first.Zip(many.Tensors())) Assert.Equal(a, b);
    }

    /// <summary>max_k |actual − expected| ≤ tolerance · max_k |expected|, and the expected gradient is not zero.</summary>
    internal static void AssertClose(string what, double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        Assert.True(scale > 0, $"{what} is zero; the comparison would prove nothing.");
        double worst = 0;
        int at = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            double error = Math.Abs(actual[k] - expected[k]);
            if (error > worst) (worst, at) = (error, k);
        }
        Assert.True(worst <= tolerance * scale,
            $"{what}: element {at} is {actual[at]}, expected {expected[at]} (error {worst / scale:E2} of the largest |gradient| {scale:G4}; tolerance {tolerance:E0}; SIMD {SpikeOps.ActiveSimdWidth}).");
    }

    private static float[] Random(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
