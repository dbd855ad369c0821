namespace SnnDsl.Tests.Kernels;

/// <summary>
/// <see cref="BackwardUpstream.AddWalkingBack"/>, which the generated backward passes add a loss's upstream gradient
/// with: adds the row of (sample, step) of a [batch, steps, neurons] gradient, whether or not there is a row to ask
/// the cache for, for rows of whole lines and rows shorter than a line; and rejects a row outside the gradient.
/// The sum goes through the SIMD adds, so it runs at every width with the kernels.
/// </summary>
[Trait("Category", "Kernels")]
public class BackwardUpstreamTests
{
    [Theory]
    [InlineData(3, 5, 256)]
    [InlineData(2, 4, 20)]
    [InlineData(1, 1, 7)]
    public void Walking_back_adds_the_row_of_each_sample_and_step(int batch, int steps, int neurons)
    {
        var gradient = new float[batch * steps * neurons];
        for (int k = 0; k < gradient.Length; k++) gradient[k] = k * 0.25f - 7f;
        var adjoint = new float[neurons];

        for (int b = batch - 1; b >= 0; b--)
            for (int t = steps - 1; t >= 0; t--)
            {
                for (int i = 0; i < neurons; i++) adjoint[i] = i + 0.5f;
                BackwardUpstream.AddWalkingBack(adjoint, gradient, b, t, steps);
                for (int i = 0; i < neurons; i++)
                    Assert.Equal(i + 0.5f + gradient[(b * steps + t) * neurons + i], adjoint[i]);
            }
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => BackwardUpstream.AddWalkingBack(adjoint, gradient, batch, steps - 1, steps));
    }
}
