namespace SnnDsl.Training;

/// <summary>
/// What training minimizes: a loss on the forward result and the labels, written as the upstream gradient of the
/// backward pass, plus the prediction used for accuracy.
/// </summary>
public interface IObjective
{
    /// <summary>Returns the batch loss and sets its gradient w.r.t. the forward outputs in <paramref name="upstream"/>.</summary>
    float Loss(SimulationResult forward, ReadOnlySpan<int> labels, BackwardUpstream upstream);

    /// <summary>Writes the predicted class of every sample.</summary>
    void Predict(SimulationResult forward, Span<int> predictions);
}

/// <summary>
/// Cross-entropy on a non-spiking readout's trace (by default its membrane U) reduced over time
/// (<see cref="TimeReduction"/>), plus optional firing-rate regularizers on spiking populations (SpyTorch tutorials
/// 3–4; Cramer et al. 2020).
/// </summary>
/// <param name="population">The readout population.</param>
/// <param name="reduction">Max over time (SpyTorch), mean over time, or last step.</param>
/// <param name="state">The readout state that carries the logits.</param>
public sealed class ReadoutCrossEntropy(string population, TimeReduction reduction = TimeReduction.Max, string state = "U") : IObjective
{
    private readonly List<(string Population, SpikeRegularizer Regularizer)> _regularizers = [];

    /// <summary>Adds a regularizer on the spike counts of a spiking population.</summary>
    public ReadoutCrossEntropy WithRegularizer(string spikingPopulation, SpikeRegularizer regularizer)
    {
        _regularizers.Add((spikingPopulation, regularizer));
        return this;
    }

    /// <inheritdoc/>
    public float Loss(SimulationResult forward, ReadOnlySpan<int> labels, BackwardUpstream upstream)
    {
        StateRecording readout = forward.States(population, state);
        float[] gradient = upstream.ZeroedState(population, state, readout.Values.Length);
        float loss = ReadoutLoss.CrossEntropy(readout.Values, labels, readout.Steps, readout.Neurons, reduction, gradient);
        return loss + Regularize(forward, _regularizers, upstream);
    }

    /// <inheritdoc/>
    public void Predict(SimulationResult forward, Span<int> predictions)
    {
        StateRecording readout = forward.States(population, state);
        ReadoutLoss.Predict(readout.Values, readout.Steps, readout.Neurons, reduction, predictions);
    }

    /// <summary>Adds every regularizer's value and its ∂R/∂S to the spike gradients in <paramref name="upstream"/>.</summary>
    internal static float Regularize(SimulationResult forward, IEnumerable<(string Population, SpikeRegularizer Regularizer)> regularizers, BackwardUpstream upstream)
    {
        float total = 0f;
        foreach (IGrouping<string, SpikeRegularizer> group in regularizers.GroupBy(r => r.Population, r => r.Regularizer))
        {
            SpikeRaster spikes = forward.Spikes(group.Key);
            SpikeCounts counts = SpikeCounts.Of(spikes);
            float[] gradient = upstream.ZeroedSpikes(group.Key, checked(spikes.Batch * spikes.Steps * spikes.Neurons));
            foreach (SpikeRegularizer regularizer in group) total += regularizer.Apply(counts, gradient);
        }
        return total;
    }
}

/// <summary>Spike-count cross-entropy on a spiking output population: the class with the most spikes wins.</summary>
/// <param name="population">The spiking output population, one neuron per class.</param>
public sealed class SpikeCountCrossEntropy(string population) : IObjective
{
    /// <inheritdoc/>
    public float Loss(SimulationResult forward, ReadOnlySpan<int> labels, BackwardUpstream upstream)
    {
        SpikeRaster spikes = forward.Spikes(population);
        float[] gradient = upstream.ZeroedSpikes(population, checked(spikes.Batch * spikes.Steps * spikes.Neurons));
        float loss = SpikeCountLoss.CrossEntropy(SpikeCounts.Of(spikes), labels, gradient);
        return loss;
    }

    /// <inheritdoc/>
    public void Predict(SimulationResult forward, Span<int> predictions) =>
        SpikeCountLoss.Predict(SpikeCounts.Of(forward.Spikes(population)), predictions);
}
