using System.Text.Json;
using SnnDsl.Neurons;

namespace SnnDsl.Tests.Peers;

// One population of each built-in peer neuron behind a dense input, the setting of peer_neurons.py.
[Network] public partial class PaperCubaLifNet { [Input(7)] public partial SpikeInput In { get; } [Population(5)] public partial Population<PaperCubaLif> Hidden { get; } [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses W { get; } }
[Network] public partial class SnnTorchSynapticNet { [Input(7)] public partial SpikeInput In { get; } [Population(5)] public partial Population<SnnTorchSynaptic> Hidden { get; } [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses W { get; } }
[Network] public partial class SnnTorchSynapticZeroNet { [Input(7)] public partial SpikeInput In { get; } [Population(5)] public partial Population<SnnTorchSynapticZeroReset> Hidden { get; } [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses W { get; } }
[Network] public partial class SnnTorchLeakyNet { [Input(7)] public partial SpikeInput In { get; } [Population(5)] public partial Population<SnnTorchLeaky> Hidden { get; } [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses W { get; } }
[Network] public partial class SnnTorchLeakyZeroNet { [Input(7)] public partial SpikeInput In { get; } [Population(5)] public partial Population<SnnTorchLeakyZeroReset> Hidden { get; } [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses W { get; } }
[Network] public partial class SpyTorchLifNet { [Input(7)] public partial SpikeInput In { get; } [Population(5)] public partial Population<SpyTorchLif> Hidden { get; } [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses W { get; } }
[Network] public partial class NorseLifNet { [Input(7)] public partial SpikeInput In { get; } [Population(5)] public partial Population<NorseLif> Hidden { get; } [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses W { get; } }

/// <summary>
/// Every built-in that claims a reference's formulation — the paper's Eqs., snnTorch's Synaptic and Leaky with both
/// reset mechanisms, SpyTorch's hidden neuron, Norse's LIF — against vectors that formulation produced in PyTorch
/// (peer_neurons.py, its README says from which source each equation comes): spikes equal, states and gradients to
/// float32 rounding, at every SIMD width CI runs.
/// </summary>
[Trait("Category", "Kernels")]
public class PeerNeuronTests
{
    private static readonly Lazy<JsonElement[]> Vectors = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Peers", "peer_neurons.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("neurons").EnumerateArray().Select(n => n.Clone())];
    });

    public static TheoryData<string> Neurons => ["PaperCubaLif", "SnnTorchSynaptic", "SnnTorchSynapticZero", "SnnTorchLeaky", "SnnTorchLeakyZero", "SpyTorchLif", "NorseLif"];

    private static ISpikingNetwork Create(string name) => name switch
    {
        "PaperCubaLif" => new PaperCubaLifNet(),
        "SnnTorchSynaptic" => new SnnTorchSynapticNet(),
        "SnnTorchSynapticZero" => new SnnTorchSynapticZeroNet(),
        "SnnTorchLeaky" => new SnnTorchLeakyNet(),
        "SnnTorchLeakyZero" => new SnnTorchLeakyZeroNet(),
        "SpyTorchLif" => new SpyTorchLifNet(),
        "NorseLif" => new NorseLifNet(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetSingle())];

    [Theory]
    [MemberData(nameof(Neurons))]
    public void Spikes_states_and_gradients_match_the_reference_formulation(string name)
    {
        JsonElement vector = Vectors.Value.Single(v => v.GetProperty("name").GetString() == name);
        int batch = vector.GetProperty("batch").GetInt32(), steps = vector.GetProperty("steps").GetInt32();
        int inputs = vector.GetProperty("inputs").GetInt32(), neurons = vector.GetProperty("neurons").GetInt32();

        ISpikingNetwork network = Create(name);
        Population hidden = network.Populations[0];
        Assert.Equal(vector.GetProperty("surrogate").GetString(), hidden.Neuron.Surrogate!.Name);
        Floats(vector.GetProperty("weights")).CopyTo(network.Connections[0].Weights, 0);
        foreach (JsonProperty parameter in vector.GetProperty("parameters").EnumerateObject())
            hidden.Parameter(parameter.Name)[0] = parameter.Value.GetSingle();
        string[] trainable = [.. vector.GetProperty("trainable").EnumerateArray().Select(t => t.GetString()!)];
        Assert.Equal(trainable.Order(), hidden.Neuron.Parameters.Where(p => p.Trainable).Select(p => p.Name).Order());

        var raster = new SpikeRaster(batch, steps, inputs);
        int[] spikesIn = [.. vector.GetProperty("input_spikes").EnumerateArray().Select(v => v.GetInt32())];
        for (int k = 0; k < spikesIn.Length; k++)
            if (spikesIn[k] == 1) raster[k / (steps * inputs), k / inputs % steps, k % inputs] = true;

        SimulationResult forward = network.Simulate([raster], new SimulationOptions { RecordAllStates = true });

        // Forward: every spike equal, every state to float32 rounding.
        int[] expectedSpikes = [.. vector.GetProperty("spikes").EnumerateArray().Select(v => v.GetInt32())];
        SpikeRaster spikes = forward.Spikes("Hidden");
        for (int k = 0; k < expectedSpikes.Length; k++)
            Assert.True(expectedSpikes[k] == 1 == spikes[k / (steps * neurons), k / neurons % steps, k % neurons],
                $"{name}: spike {k} (sample {k / (steps * neurons)}, step {k / neurons % steps}, neuron {k % neurons}) differs from the reference (SIMD {SpikeOps.ActiveSimdWidth})");
        var upstream = new BackwardUpstream();
        foreach (JsonProperty state in vector.GetProperty("states").EnumerateObject())
        {
            float[] expected = Floats(state.Value), actual = forward.States("Hidden", state.Name).Values;
            for (int k = 0; k < expected.Length; k++)
                Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[k])),
                    $"{name}: state {state.Name}[{k}] = {actual[k]:R}, reference {expected[k]:R} (SIMD {SpikeOps.ActiveSimdWidth})");
        }

        // Backward of L = Σ cU·U + Σ cI·I + Σ cS·S: ∂L/∂W and ∂L/∂θ normwise within 1e-5 of the reference's scale.
        foreach (JsonProperty coefficient in vector.GetProperty("upstream").EnumerateObject())
        {
            if (coefficient.Name == "S") upstream.WithSpikes("Hidden", Floats(coefficient.Value));
            else upstream.WithState("Hidden", coefficient.Name, Floats(coefficient.Value));
        }
        NetworkGradients gradients = network.Backward([raster], forward, upstream);
        AssertClose($"{name}: ∂L/∂W", Floats(vector.GetProperty("grad_weights")), gradients.Weights[0]);
        foreach (JsonProperty parameter in vector.GetProperty("grad_parameters").EnumerateObject())
            AssertClose($"{name}: ∂L/∂{parameter.Name}", [parameter.Value.GetSingle()], gradients.Parameter("Hidden", parameter.Name));
    }

    private static void AssertClose(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = expected.Max(MathF.Abs);
        Assert.True(scale > 0, $"{what}: the reference gradient is zero; the comparison would prove nothing");
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 2e-5f * scale,
                $"{what}[{k}] = {actual[k]:R}, reference {expected[k]:R}, scale {scale:G4} (SIMD {SpikeOps.ActiveSimdWidth})");
    }
}
