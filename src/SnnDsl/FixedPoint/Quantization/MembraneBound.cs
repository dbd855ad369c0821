using SnnDsl.Training;

namespace SnnDsl.FixedPoint;

/// <summary>
/// Adds a penalty on a population's membrane above a bound to another objective:
/// λ·Σ_(t, i) max(0, U − bound)² / batch, on the membrane after the step (after the reset). For a neuron that resets by
/// subtraction, a membrane still above ϑ after its spike is where Xylo, which emits ⌊U/θ⌋ spikes in one step, would
/// have fired again at once; training with this bound (ϑ) keeps the float network where one spike per step is what
/// the chip emits too. The forward pass must record the membrane (training records every state;
/// <see cref="QuantizationAwareTrainer.Evaluate"/> does too).
/// </summary>
/// <param name="inner">The objective (its loss, gradient and prediction).</param>
/// <param name="population">The spiking population; not the inner objective's readout.</param>
/// <param name="bound">The largest membrane without penalty.</param>
/// <param name="weight">λ.</param>
/// <param name="state">The membrane state.</param>
public sealed class MembraneBound(IObjective inner, string population, float bound, float weight, string state = "U") : IObjective
{
    /// <inheritdoc/>
    public float Loss(SimulationResult forward, ReadOnlySpan<int> labels, BackwardUpstream upstream)
    {
        float loss = inner.Loss(forward, labels, upstream);
        StateRecording membrane = forward.States(population, state);
        var gradient = new float[membrane.Values.Length];
        double penalty = 0;
        float scale = weight / membrane.Batch;
        for (int k = 0; k < gradient.Length; k++)
        {
            float excess = membrane.Values[k] - bound;
            if (excess <= 0f) continue;
            penalty += (double)excess * excess;
            gradient[k] = 2f * scale * excess;
        }
        upstream.WithState(population, state, gradient);
        return loss + (float)(scale * penalty);
    }

    /// <inheritdoc/>
    public void Predict(SimulationResult forward, Span<int> predictions) => inner.Predict(forward, predictions);
}
