using System.Numerics;

namespace SnnDsl.Training;

/// <summary>Gradient clipping over a set of gradient arrays, in place.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Clipping by global norm (Pascanu, Mikolov &amp; Bengio 2013; PyTorch's <c>clip_grad_norm_</c>):
    /// ‖g‖ = √(Σ_k Σ_j g_kj²) over all arrays, accumulated in double; when ‖g‖ &gt; <paramref name="maxNorm"/> every
    /// element is multiplied by maxNorm/‖g‖, so the clipped norm is maxNorm (PyTorch divides by ‖g‖ + 1e-6 instead).
    /// Returns ‖g‖ before clipping; a non-finite norm is returned and nothing is scaled.
    /// </summary>
    /// <param name="gradients">The gradient arrays, clipped together.</param>
    /// <param name="maxNorm">The largest norm left as it is; positive.</param>
    public static float ByGlobalNorm(IReadOnlyList<float[]> gradients, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (!(maxNorm > 0f) || !float.IsFinite(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be finite and positive.");
        double sumOfSquares = 0;
        foreach (float[] g in gradients) sumOfSquares += SumOfSquares(g);
        double norm = Math.Sqrt(sumOfSquares);
        if (norm > maxNorm && double.IsFinite(norm))
        {
            float scale = (float)(maxNorm / norm);
            foreach (float[] g in gradients) Scale(g, scale);
        }
        return (float)norm;
    }

    /// <summary>Clipping by value: every element is clamped to [−<paramref name="limit"/>, <paramref name="limit"/>].</summary>
    /// <param name="gradients">The gradient arrays.</param>
    /// <param name="limit">The largest magnitude left as it is; positive.</param>
    public static void ByValue(IReadOnlyList<float[]> gradients, float limit)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (!(limit > 0f) || !float.IsFinite(limit))
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be finite and positive.");
        var lo = new Vector<float>(-limit);
        var hi = new Vector<float>(limit);
        foreach (float[] g in gradients)
        {
            int i = 0;
            for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.Min(Vector.Max(new Vector<float>(g, i), lo), hi).CopyTo(g, i);
            for (; i < g.Length; i++) g[i] = Math.Clamp(g[i], -limit, limit);
        }
    }

    private static double SumOfSquares(float[] g)
    {
        var acc = Vector<double>.Zero;
        int i = 0;
        for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Widen(new Vector<float>(g, i), out Vector<double> low, out Vector<double> high);
            acc += low * low + high * high;
        }
        double sum = Vector.Sum(acc);
        for (; i < g.Length; i++) sum += (double)g[i] * g[i];
        return sum;
    }

    private static void Scale(float[] g, float scale)
    {
        int i = 0;
        for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(g, i) * scale).CopyTo(g, i);
        for (; i < g.Length; i++) g[i] *= scale;
    }
}
