namespace SnnDsl.Training;

/// <summary>How the readout trace U[t, c] of one sample becomes one logit z_c per class.</summary>
public enum TimeReduction
{
    /// <summary>
    /// z_c = max_t U[t, c], the SpyTorch convention (Neftci, Mostafa &amp; Zenke 2019; SpyTorch tutorials 1–4). The
    /// gradient reaches only the arg-max step of each class; on ties the first such step.
    /// </summary>
    Max,

    /// <summary>z_c = (1/T) Σ_t U[t, c]; every step receives 1/T of the gradient.</summary>
    Mean,

    /// <summary>z_c = U[T − 1, c]; only the last step receives gradient.</summary>
    Last,
}

/// <summary>
/// Cross-entropy on a non-spiking readout trace U laid out [batch, steps, classes] (sample-major, then step, then
/// class), e.g. the leaky readout's membrane. Each sample's trace is reduced over time to logits z
/// (<see cref="TimeReduction"/>) and L = (1/B) Σ_b −log softmax(z_b)[y_b], the LogSoftmax + NLLLoss of SpyTorch.
/// </summary>
public static class ReadoutLoss
{
    /// <summary>
    /// Returns the batch-mean cross-entropy L and writes ∂L/∂U into <paramref name="gradient"/> (same layout as
    /// <paramref name="readout"/>, overwritten): ∂L/∂z_{b,c} = (softmax(z_b)_c − [c = y_b]) / B, carried back through
    /// the reduction (to the arg-max step, spread as 1/T over all steps, or to the last step).
    /// </summary>
    /// <param name="readout">U[b, t, c], batch × steps × classes values.</param>
    /// <param name="labels">Class y_b of each sample; their count is the batch size B.</param>
    /// <param name="steps">Steps T of the trace.</param>
    /// <param name="classes">Classes C (readout neurons).</param>
    /// <param name="reduction">How the trace becomes logits.</param>
    /// <param name="gradient">Receives ∂L/∂U[b, t, c], the upstream gradient of the backward pass.</param>
    public static float CrossEntropy(
        ReadOnlySpan<float> readout, ReadOnlySpan<int> labels, int steps, int classes, TimeReduction reduction, Span<float> gradient)
    {
        int batch = labels.Length;
        Check(readout, batch, steps, classes, reduction);
        LossMath.CheckLayout(gradient.Length, "readout gradient", batch, steps, classes, "classes");
        Span<float> z = classes <= LossMath.StackLimit ? stackalloc float[classes] : new float[classes];
        Span<int> argMaxStep = classes <= LossMath.StackLimit ? stackalloc int[classes] : new int[classes];
        gradient.Clear();
        int traceLength = steps * classes;
        double loss = 0;
        for (int b = 0; b < batch; b++)
        {
            int label = labels[b];
            LossMath.CheckLabel(label, b, classes);
            Reduce(readout.Slice(b * traceLength, traceLength), steps, reduction, z, argMaxStep);
            loss += LossMath.SoftmaxCrossEntropy(z, label);
            z[label] -= 1f;                                   // ∂ℓ_b/∂z_c = softmax(z)_c − [c = y_b]
            Span<float> g = gradient.Slice(b * traceLength, traceLength);
            switch (reduction)
            {
                case TimeReduction.Max:                       // ∂z_c/∂U[t, c] = [t = argmax_t U[t, c]]
                    for (int c = 0; c < classes; c++) g[argMaxStep[c] * classes + c] = z[c] / batch;
                    break;
                case TimeReduction.Mean:                      // ∂z_c/∂U[t, c] = 1/T
                    float scale = 1f / ((float)batch * steps);
                    for (int t = 0; t < steps; t++)
                        for (int c = 0; c < classes; c++) g[t * classes + c] = z[c] * scale;
                    break;
                default:                                      // ∂z_c/∂U[t, c] = [t = T − 1]
                    for (int c = 0; c < classes; c++) g[(steps - 1) * classes + c] = z[c] / batch;
                    break;
            }
        }
        return (float)(loss / batch);
    }

    /// <summary>Writes the predicted class argmax_c z_{b,c} of each sample (first class on ties); the batch size is <paramref name="predictions"/>' length.</summary>
    /// <param name="readout">U[b, t, c], batch × steps × classes values.</param>
    /// <param name="steps">Steps T of the trace.</param>
    /// <param name="classes">Classes C.</param>
    /// <param name="reduction">How the trace becomes logits.</param>
    /// <param name="predictions">Receives one class per sample.</param>
    public static void Predict(ReadOnlySpan<float> readout, int steps, int classes, TimeReduction reduction, Span<int> predictions)
    {
        Check(readout, predictions.Length, steps, classes, reduction);
        Span<float> z = classes <= LossMath.StackLimit ? stackalloc float[classes] : new float[classes];
        Span<int> argMaxStep = classes <= LossMath.StackLimit ? stackalloc int[classes] : new int[classes];
        for (int b = 0; b < predictions.Length; b++)
        {
            Reduce(readout.Slice(b * steps * classes, steps * classes), steps, reduction, z, argMaxStep);
            predictions[b] = LossMath.ArgMax(z);
        }
    }

    /// <summary>Fraction of samples whose predicted class (<see cref="Predict"/>) equals the label.</summary>
    /// <param name="readout">U[b, t, c], batch × steps × classes values.</param>
    /// <param name="labels">Class of each sample; their count is the batch size.</param>
    /// <param name="steps">Steps T of the trace.</param>
    /// <param name="classes">Classes C.</param>
    /// <param name="reduction">How the trace becomes logits.</param>
    public static float Accuracy(ReadOnlySpan<float> readout, ReadOnlySpan<int> labels, int steps, int classes, TimeReduction reduction)
    {
        Span<int> predictions = labels.Length <= LossMath.StackLimit ? stackalloc int[labels.Length] : new int[labels.Length];
        Predict(readout, steps, classes, reduction, predictions);
        int correct = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            LossMath.CheckLabel(labels[b], b, classes);
            if (predictions[b] == labels[b]) correct++;
        }
        return (float)correct / labels.Length;
    }

    private static void Check(ReadOnlySpan<float> readout, int batch, int steps, int classes, TimeReduction reduction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (!Enum.IsDefined(reduction)) throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown time reduction.");
        LossMath.CheckLayout(readout.Length, "readout", batch, steps, classes, "classes");
    }

    /// <summary>z_c from one sample's trace [steps, classes]; for <see cref="TimeReduction.Max"/> also the arg-max step of each class.</summary>
    private static void Reduce(ReadOnlySpan<float> trace, int steps, TimeReduction reduction, Span<float> z, Span<int> argMaxStep)
    {
        int classes = z.Length;
        switch (reduction)
        {
            case TimeReduction.Max:                           // z_c = max_t U[t, c], first step on ties
                trace[..classes].CopyTo(z);
                argMaxStep.Clear();
                for (int t = 1; t < steps; t++)
                {
                    ReadOnlySpan<float> row = trace.Slice(t * classes, classes);
                    for (int c = 0; c < classes; c++)
                        if (row[c] > z[c]) { z[c] = row[c]; argMaxStep[c] = t; }
                }
                break;
            case TimeReduction.Mean:                          // z_c = (1/T) Σ_t U[t, c]
                for (int c = 0; c < classes; c++)
                {
                    double sum = 0;
                    for (int t = 0; t < steps; t++) sum += trace[t * classes + c];
                    z[c] = (float)(sum / steps);
                }
                break;
            default:                                          // z_c = U[T − 1, c]
                trace.Slice((steps - 1) * classes, classes).CopyTo(z);
                break;
        }
    }
}
