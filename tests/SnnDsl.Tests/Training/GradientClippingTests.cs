using SnnDsl.Training;

namespace SnnDsl.Tests.Training;

/// <summary>Clipping by global L2 norm and by value, checked exactly.</summary>
public class GradientClippingTests
{
    /// <summary>Σg² = 16·1 + 3² + 9·4² = 169 over two tensors (17 and 9 elements: vector loop and tail), so ‖g‖ = 13.</summary>
    private static float[][] Gradients() => [[.. Enumerable.Repeat(1f, 16), 3f], [.. Enumerable.Repeat(-4f, 9)]];

    [Fact]
    public void Global_norm_above_the_maximum_is_scaled_to_it()
    {
        float[][] g = Gradients();
        Assert.Equal(13f, GradientClipping.ByGlobalNorm(g, 6.5f));
        Assert.Equal([.. Enumerable.Repeat(0.5f, 16), 1.5f], g[0]);
        Assert.Equal(Enumerable.Repeat(-2f, 9), g[1]);
        Assert.Equal(6.5f, GradientClipping.ByGlobalNorm(g, 100f));
    }

    [Fact]
    public void Global_norm_below_the_maximum_leaves_gradients_untouched()
    {
        float[][] g = Gradients();
        Assert.Equal(13f, GradientClipping.ByGlobalNorm(g, 13f));
        Assert.Equal(Gradients(), g);
    }

    [Fact]
    public void Optimizer_clips_its_own_gradients()
    {
        float[][] g = Gradients();
        var adam = new Adam([("a", new float[17], g[0]), ("b", new float[9], g[1])]);
        Assert.Equal(13f, adam.ClipGradientNorm(1.3f));
        Assert.Equal(0.3f, g[0][16], tolerance: 1e-7f);
        adam.ClipGradientValues(0.25f);
        Assert.Equal([.. Enumerable.Repeat(0.1f, 16), 0.25f], g[0], EqualityComparer<float>.Create((x, y) => Math.Abs(x - y) < 1e-7f, x => 0));
        Assert.Equal(Enumerable.Repeat(-0.25f, 9), g[1]);
    }

    [Fact]
    public void By_value_clamps_each_element()
    {
        float[][] g = [[-3f, 0.5f, 2f, -1f, 1f, 0f, -0.999f, 7f, -7f, 0.25f], [1.5f]];
        GradientClipping.ByValue(g, 1f);
        Assert.Equal([-1f, 0.5f, 1f, -1f, 1f, 0f, -0.999f, 1f, -1f, 0.25f], g[0]);
        Assert.Equal([1f], g[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ByValue(g, 0f));
    }
}
