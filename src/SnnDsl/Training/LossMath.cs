namespace SnnDsl.Training;

/// <summary>Pieces the losses share: shape and label checks whose messages name the shape, and softmax cross-entropy.</summary>
internal static class LossMath
{
    /// <summary>Spans up to this length live on the stack; longer ones are allocated once per call.</summary>
    public const int StackLimit = 256;

    public static void CheckLayout(int length, string what, int batch, int steps, int size, string sizeName)
    {
        long expected = (long)batch * steps * size;
        if (length != expected)
            throw new ArgumentException($"The {what} has {length} values, but batch {batch} × steps {steps} × {sizeName} {size} = {expected}.");
    }

    public static void CheckLabel(int label, int sample, int classes)
    {
        if ((uint)label >= (uint)classes)
            throw new ArgumentException($"Label {label} of sample {sample} is outside the {classes} classes 0..{classes - 1}.");
    }

    /// <summary>
    /// ℓ = −log softmax(z)_y = log Σ_c exp(z_c) − z_y, evaluated as m + log Σ_c exp(z_c − m) with m = max_c z_c so no
    /// exponential overflows. Overwrites <paramref name="z"/> with softmax(z), so that ∂ℓ/∂z_c = z_c − [c = y] after.
    /// </summary>
    public static double SoftmaxCrossEntropy(Span<float> z, int label)
    {
        float max = z[0];
        for (int c = 1; c < z.Length; c++) max = MathF.Max(max, z[c]);
        double sum = 0;
        for (int c = 0; c < z.Length; c++) sum += Math.Exp(z[c] - max);
        double logSumExp = max + Math.Log(sum);
        double loss = logSumExp - z[label];
        for (int c = 0; c < z.Length; c++) z[c] = (float)Math.Exp(z[c] - logSumExp);
        return loss;
    }

    /// <summary>Index of the largest value, the first one on ties.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int c = 1; c < values.Length; c++)
            if (values[c] > values[best]) best = c;
        return best;
    }
}
