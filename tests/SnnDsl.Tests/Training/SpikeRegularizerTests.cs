using SnnDsl.Training;

namespace SnnDsl.Tests.Training;

/// <summary>SpyTorch's firing-rate regularizers and the lower/upper count bounds of Cramer et al. 2020 (stork's form).</summary>
public class SpikeRegularizerTests
{
    private const int Batch = 3, Steps = 4, Neurons = 5;

    public static TheoryData<string> Regularizers =>
        ["L1 total", "L2 per neuron", "upper per neuron", "lower per neuron", "upper population", "lower population"];

    /// <summary>
    /// The regularizer by name. Thresholds sit halfway between two counts of <paramref name="counts"/> (per neuron, in
    /// the widest gap of the middle half; for the population, between two samples' means), so ±h never crosses a kink
    /// and both the active and the inactive side are present.
    /// </summary>
    private static SpikeRegularizer Create(string name, SpikeCounts counts)
    {
        float[] sorted = [.. counts.Values.Order()];
        int widest = Enumerable.Range(sorted.Length / 4, sorted.Length / 2).MaxBy(k => sorted[k + 1] - sorted[k]);
        float perNeuron = (sorted[widest] + sorted[widest + 1]) / 2;
        float[] means = [.. Enumerable.Range(0, Batch).Select(b => counts.Values.Skip(b * Neurons).Take(Neurons).Average()).Order()];
        float population = (means[0] + means[1]) / 2;
        return name switch
        {
            "L1 total" => new SpikeCountL1(0.3f),
            "L2 per neuron" => new NeuronSpikeCountL2(0.05f),
            "upper per neuron" => new UpperBoundL2(0.7f, perNeuron, ActivityScope.PerNeuron),
            "lower per neuron" => new LowerBoundL2(0.7f, perNeuron, ActivityScope.PerNeuron),
            "upper population" => new UpperBoundL2(0.7f, population, ActivityScope.PopulationMean),
            _ => new LowerBoundL2(0.7f, population, ActivityScope.PopulationMean),
        };
    }

    [Theory]
    [MemberData(nameof(Regularizers))]
    public void Added_gradient_matches_central_differences(string name)
    {
        float[] spikes = Numeric.Uniform(Batch * Steps * Neurons, 0f, 1f, seed: 3);
        var counts = new SpikeCounts(Batch, Steps, Neurons);
        counts.Count(spikes);
        SpikeRegularizer regularizer = Create(name, counts);

        // Apply adds: start from a gradient that is already there (a loss's).
        float[] before = Numeric.Uniform(spikes.Length, -1f, 1f, seed: 4);
        float[] gradient = [.. before];
        Assert.True(regularizer.Apply(counts, gradient) > 0f);
        float[] added = gradient.Zip(before, (g, b) => g - b).ToArray();

        var scratch = new float[spikes.Length];
        Numeric.AssertGradient(s => { counts.Count(s); return regularizer.Apply(counts, scratch); }, spikes, added, h: 1e-2f, absolute: 2e-5);
    }

    [Fact]
    public void SpyTorch_regularizer_is_the_tutorial_expression()
    {
        // reg = s1·Σ spks + s2·mean_i((Σ_batch Σ_time spks)²) on spks[batch, time, neurons].
        SpikeRaster raster = SpikeRaster.Bernoulli(4, 30, 9, 0.3, seed: 8);
        var counts = SpikeCounts.Of(raster);
        double total = raster.Count();
        double meanSquare = Enumerable.Range(0, 9)
            .Select(i => Enumerable.Range(0, 4).Sum(b => (double)raster.CountPerNeuron(b)[i]))
            .Average(z => z * z);
        var gradient = new float[4 * 30 * 9];
        float reg = new SpikeCountL1(1e-5f).Apply(counts, gradient) + new NeuronSpikeCountL2(2e-6f).Apply(counts, gradient);
        Assert.Equal(1e-5 * total + 2e-6 * meanSquare, reg, tolerance: 1e-9);
    }

    [Fact]
    public void Bounds_match_hand_computed_values()
    {
        var counts = new SpikeCounts(2, 10, 2);
        float[] zeta = [3f, 1f, /**/ 0f, 5f];
        zeta.CopyTo(counts.Values, 0);
        var gradient = new float[2 * 10 * 2];

        // Each neuron above 2: excess (1, 0, 0, 3) → R = s·(1² + 3²)/4, ∂R/∂ζ = 2s·excess/4.
        Assert.Equal(0.5 * 10 / 4, new UpperBoundL2(0.5f, 2f, ActivityScope.PerNeuron).Apply(counts, gradient), tolerance: 1e-7);
        Numeric.AssertClose([0.25, 0, 0, 0.75], [gradient[0], gradient[1], gradient[20], gradient[21]], 1e-7);

        // Population mean below 2.5: means (2, 2.5) → deficits (0.5, 0) → R = s·0.25/2, ∂R/∂ζ[0, i] = −2s·0.5/(2·2).
        Array.Clear(gradient);
        Assert.Equal(0.5 * 0.25 / 2, new LowerBoundL2(0.5f, 2.5f, ActivityScope.PopulationMean).Apply(counts, gradient), tolerance: 1e-7);
        Numeric.AssertClose([-0.125, -0.125, 0, 0], [gradient[18], gradient[19], gradient[20], gradient[21]], 1e-7);
    }

    [Fact]
    public void Bad_settings_and_shapes_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpikeCountL1(-1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UpperBoundL2(1f, float.NaN, ActivityScope.PerNeuron));
        var error = Assert.Throws<ArgumentException>(() => new SpikeCountL1(1f).Apply(new SpikeCounts(2, 10, 3), new float[50]));
        Assert.Contains("spike gradient has 50 values, but batch 2 × steps 10 × neurons 3 = 60", error.Message);
    }
}
