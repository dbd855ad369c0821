using SnnDsl.Data;

namespace SnnDsl.Tests.Data;

/// <summary>Generates the published stork example set once (10 000 samples, about 2 s).</summary>
public sealed class StorkRandmanFixture
{
    public Dataset Data { get; } = Randman.CreateSpikingDataset(new RandmanSettings());
}

/// <summary>
/// Golden values: stork <c>make_tempo_randman</c> with fzenke/randman's <c>TorchRandman</c>, run with torch 1.13 and
/// numpy 1.24. The small set below matched in all 200 samples; the stork example set in all but one of 200 000
/// spikes (sample 7056, unit 11: step 26 here, 25 in torch — float32 sin in the last bit).
/// </summary>
public class RandmanTests(StorkRandmanFixture stork) : IClassFixture<StorkRandmanFixture>
{
    // 4 classes, 6 units, 100 steps, step_frac 0.5, D = 2, 2 spikes per unit, 50 samples per class, α = 2, seed 3.
    private static readonly RandmanSettings Small = new(4, 6, 100, 0.5, 2, 2, 50, 2.0, 3);

    [Fact]
    public void StorkExampleSetMatchesTorchGenerator()
    {
        Dataset data = stork.Data;
        Assert.Equal((10000, 100, 20, 10), (data.Count, data.Inputs.Steps, data.Inputs.Neurons, data.Classes));
        Assert.Equal(new[] { 6, 6, 1, 8, 4, 2, 0, 1, 1, 3 }, data.Labels[..10]);
        Assert.Equal(new[] { 41, 15, 2, 39, 27, 12, 23, 46, 44, 28, 13, 18, 24, 13, 21, 36, 22, 40, 11, 12 }, StepPerUnit(data, 0));
        Assert.Equal(new[] { 48, 48, 22, 24, 21, 19, 0, 25, 32, 30, 18, 32, 29, 36, 18, 31, 16, 34, 20, 30 }, StepPerUnit(data, 1));
    }

    [Fact]
    public void StorkExampleSetHasOneSpikePerUnitInTheFirstHalfAndBalancedClasses()
    {
        Dataset data = stork.Data;
        for (int i = 0; i < data.Count; i++)
            Assert.All(data.Inputs.CountPerNeuron(i), count => Assert.Equal(1, count));
        for (int i = 0; i < data.Count; i++)
            for (int t = 50; t < 100; t++)
                Assert.All(data.Inputs.Row(i, t).ToArray(), word => Assert.Equal(0UL, word));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, data.Labels.Count(l => l == c)));
    }

    [Fact]
    public void StorkSplitGivesEightyTenTen()
    {
        Dataset[] parts = stork.Data.Split(0.8, 0.1, 0.1);
        Assert.Equal(new[] { 8000, 1000, 1000 }, parts.Select(p => p.Count));
        Assert.Equal(stork.Data.Labels[8000..9000], parts[1].Labels);
        Assert.Equal(StepPerUnit(stork.Data, 9000), StepPerUnit(parts[2], 0));
    }

    [Fact]
    public void SmallMultiSpikeSetMatchesTorchGenerator()
    {
        Dataset data = Randman.CreateSpikingDataset(Small);
        Assert.Equal(new[] { 2, 2, 2, 0, 2, 0, 3, 0, 1, 1 }, data.Labels[..10]);
        // Sample 0: manifold 0 puts units 0–5 at steps 9, 28, 27, 43, 46, 42; manifold 1 at 4, 3, 27, 13, 19, 37.
        // Unit 2 fires twice at step 27: one bit.
        (int Step, int Unit)[] expected = [(9, 0), (28, 1), (27, 2), (43, 3), (46, 4), (42, 5), (4, 0), (3, 1), (13, 3), (19, 4), (37, 5)];
        Assert.Equal(expected.OrderBy(e => e).ToArray(), Spikes(data, 0));
        Assert.Equal(11, data.Inputs.CountPerNeuron(0).Sum());
    }

    [Fact]
    public void SameSeedGivesSameSpikesAndAnotherSeedDiffers()
    {
        Dataset first = Randman.CreateSpikingDataset(Small), again = Randman.CreateSpikingDataset(Small);
        Dataset other = Randman.CreateSpikingDataset(Small with { Seed = 4 });
        Assert.Equal(first.Inputs.Bits, again.Inputs.Bits);
        Assert.Equal(first.Labels, again.Labels);
        Assert.NotEqual(first.Inputs.Bits, other.Inputs.Bits);
    }

    [Theory]
    [InlineData(2.0, 32)]   // ⌈1000^(1/2)⌉
    [InlineData(1.0, 1000)] // capped at max_f_cutoff
    [InlineData(4.0, 6)]    // ⌈1000^(1/4)⌉ = ⌈5.62⌉
    public void FrequencyCutoffFollowsPrecision(double alpha, int expected)
    {
        Assert.Equal(expected, new Randman(3, 1, seed: 0, alpha: alpha).FrequencyCutoff);
    }

    [Fact]
    public void EvaluateMatchesTorchRandman()
    {
        // TorchRandman(3, 2, alpha=2, seed=0).eval_manifold([[0.1, 0.7], [0.5, 0.5], [0, 0]]) in torch 1.13 (float32)
        float[,] expected =
        {
            { 0.00047424991498701274f, 0.00038861457142047584f, 0.006181490607559681f },
            { 0.000945477222558111f, -0.0006527523510158062f, 0.0021220752969384193f },
            { 0.004570367280393839f, 0.010605981573462486f, 0.00020639511058107018f },
        };
        float[,] y = new Randman(3, 2, seed: 0).Evaluate(new[,] { { 0.1, 0.7 }, { 0.5, 0.5 }, { 0.0, 0.0 } });
        for (int n = 0; n < 3; n++)
            for (int e = 0; e < 3; e++)
                Assert.Equal(expected[n, e], y[n, e], 1e-9f);
    }

    [Fact]
    public void EvaluateChecksTheManifoldDimension()
    {
        var error = Assert.Throws<ArgumentException>(() => new Randman(3, 2, seed: 0).Evaluate(new double[5, 3]));
        Assert.Contains("[5, 3]", error.Message);
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Randman.CreateSpikingDataset(Small with { StepFraction = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Randman.CreateSpikingDataset(Small with { OffsetFraction = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Randman.CreateSpikingDataset(Small with { Seed = -1 }));
    }

    private static int[] StepPerUnit(Dataset data, int sample) =>
        Enumerable.Range(0, data.Inputs.Neurons)
            .Select(u => Enumerable.Range(0, data.Inputs.Steps).Single(t => data.Inputs[sample, t, u]))
            .ToArray();

    private static (int Step, int Unit)[] Spikes(Dataset data, int sample) =>
        (from t in Enumerable.Range(0, data.Inputs.Steps)
         from u in Enumerable.Range(0, data.Inputs.Neurons)
         where data.Inputs[sample, t, u]
         select (t, u)).ToArray();
}
