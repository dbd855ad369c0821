namespace SnnDsl.Training;

/// <summary>
/// Losses on the spike counts ζ[b, i] = Σ_t S[b, t, i] of a spiking output layer (one neuron per class), as
/// snnTorch's <c>ce_count_loss</c> and <c>mse_count_loss</c>. Each returns the batch-mean loss and writes
/// ∂L/∂S[b, t, i] = ∂L/∂ζ[b, i] (equal at every step) into a span laid out [batch, steps, neurons], overwriting it.
/// </summary>
public static class SpikeCountLoss
{
    /// <summary>
    /// Spike-count cross-entropy: L = (1/B) Σ_b −log softmax(ζ_b)[y_b], so ∂L/∂S[b, t, i] = (softmax(ζ_b)_i − [i = y_b]) / B.
    /// </summary>
    /// <param name="counts">ζ of the output layer; its neurons are the classes.</param>
    /// <param name="labels">Class y_b of each sample, one per sample of <paramref name="counts"/>.</param>
    /// <param name="spikeGradient">Receives ∂L/∂S, batch × steps × neurons values.</param>
    public static float CrossEntropy(SpikeCounts counts, ReadOnlySpan<int> labels, Span<float> spikeGradient)
    {
        Check(counts, labels, spikeGradient);
        int classes = counts.Neurons;
        Span<float> z = classes <= LossMath.StackLimit ? stackalloc float[classes] : new float[classes];
        double loss = 0;
        for (int b = 0; b < counts.Batch; b++)
        {
            counts.Values.AsSpan(b * classes, classes).CopyTo(z);
            loss += LossMath.SoftmaxCrossEntropy(z, labels[b]);
            z[labels[b]] -= 1f;                               // ∂ℓ_b/∂ζ_i = softmax(ζ_b)_i − [i = y_b]
            for (int i = 0; i < classes; i++) z[i] /= counts.Batch;
            counts.SpreadOverSteps(b, z, spikeGradient, add: false);
        }
        return (float)(loss / counts.Batch);
    }

    /// <summary>
    /// Spike-count mean squared error, as snnTorch's <c>mse_count_loss</c> (after SLAYER): the target count of the
    /// label neuron is ζ̂ = ⌊T·<paramref name="correctRate"/>⌋ and of every other neuron ⌊T·<paramref name="incorrectRate"/>⌋
    /// (snnTorch truncates to an integer count too), and
    /// L = (1/(B·N·T)) Σ_{b,i} (ζ[b, i] − ζ̂[b, i])², the mean squared error over samples and neurons divided by T;
    /// ∂L/∂S[b, t, i] = 2(ζ[b, i] − ζ̂[b, i]) / (B·N·T). The defaults are snnTorch's: fire at every step for the
    /// correct class, never for the others.
    /// </summary>
    /// <param name="counts">ζ of the output layer; its neurons are the classes.</param>
    /// <param name="labels">Class y_b of each sample, one per sample of <paramref name="counts"/>.</param>
    /// <param name="spikeGradient">Receives ∂L/∂S, batch × steps × neurons values.</param>
    /// <param name="correctRate">Target firing probability per step of the label neuron.</param>
    /// <param name="incorrectRate">Target firing probability per step of the other neurons.</param>
    public static float MeanSquaredError(
        SpikeCounts counts, ReadOnlySpan<int> labels, Span<float> spikeGradient, float correctRate = 1f, float incorrectRate = 0f)
    {
        Check(counts, labels, spikeGradient);
        ArgumentOutOfRangeException.ThrowIfNegative(correctRate);
        ArgumentOutOfRangeException.ThrowIfNegative(incorrectRate);
        int neurons = counts.Neurons, steps = counts.Steps;
        float onTarget = (int)(steps * (double)correctRate), offTarget = (int)(steps * (double)incorrectRate);
        double norm = (double)counts.Batch * neurons * steps;
        Span<float> g = neurons <= LossMath.StackLimit ? stackalloc float[neurons] : new float[neurons];
        double loss = 0;
        for (int b = 0; b < counts.Batch; b++)
        {
            for (int i = 0; i < neurons; i++)
            {
                double error = counts.Values[b * neurons + i] - (i == labels[b] ? onTarget : offTarget);   // ζ − ζ̂
                loss += error * error;
                g[i] = (float)(2 * error / norm);
            }
            counts.SpreadOverSteps(b, g, spikeGradient, add: false);
        }
        return (float)(loss / norm);
    }

    /// <summary>Writes the predicted class argmax_i ζ[b, i] of each sample, the first neuron on ties (counts tie often).</summary>
    /// <param name="counts">ζ of the output layer.</param>
    /// <param name="predictions">Receives one class per sample of <paramref name="counts"/>.</param>
    public static void Predict(SpikeCounts counts, Span<int> predictions)
    {
        if (predictions.Length != counts.Batch)
            throw new ArgumentException($"There are {predictions.Length} prediction slots for batch {counts.Batch}.", nameof(predictions));
        for (int b = 0; b < counts.Batch; b++) predictions[b] = LossMath.ArgMax(counts.Values.AsSpan(b * counts.Neurons, counts.Neurons));
    }

    /// <summary>Fraction of samples whose predicted class (<see cref="Predict"/>) equals the label.</summary>
    /// <param name="counts">ζ of the output layer.</param>
    /// <param name="labels">Class of each sample of <paramref name="counts"/>.</param>
    public static float Accuracy(SpikeCounts counts, ReadOnlySpan<int> labels)
    {
        CheckLabels(counts, labels);
        int correct = 0;
        for (int b = 0; b < counts.Batch; b++)
            if (LossMath.ArgMax(counts.Values.AsSpan(b * counts.Neurons, counts.Neurons)) == labels[b]) correct++;
        return (float)correct / counts.Batch;
    }

    private static void Check(SpikeCounts counts, ReadOnlySpan<int> labels, Span<float> spikeGradient)
    {
        CheckLabels(counts, labels);
        counts.CheckSpikeGradient(spikeGradient);
    }

    private static void CheckLabels(SpikeCounts counts, ReadOnlySpan<int> labels)
    {
        if (labels.Length != counts.Batch)
            throw new ArgumentException($"There are {labels.Length} labels for batch {counts.Batch}.", nameof(labels));
        for (int b = 0; b < labels.Length; b++) LossMath.CheckLabel(labels[b], b, counts.Neurons);
    }
}
