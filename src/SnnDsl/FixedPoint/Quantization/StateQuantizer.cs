namespace SnnDsl.FixedPoint;

/// <summary>
/// Fake-quantized states for a forward pass: passed as <see cref="SimulationOptions.Observer"/>, it replaces every
/// state of every population, before the population steps, by the value the chip's integer state stands for:
/// h ← clip(round(h·s), lo, hi) / s, with s the state's scale in the quantized network (raw units per float unit, per
/// population or per neuron — Xylo's per-neuron scales) and [lo, hi] the chip's state range (Loihi 24-bit
/// ±(2^23 − 1), Xylo int16, SpiNNaker's s16.15 <c>accum</c>, a <see cref="FixedProfile"/>'s state format). Rounding is
/// to nearest, ties to even. Where the chip wraps on overflow (Loihi's current u, SpiNNaker's adds, a wrapping
/// <see cref="FixedProfile"/>), the float twin saturates instead: a wrap is a jump across the whole range that no
/// gradient can follow, and a quantization whose calibrated scale lets a state reach it is broken either way.
/// States the quantized network does not have (the previous spike, a state a chip drops) are left as they are.
/// </summary>
/// <remarks>
/// Straight-through: <see cref="ISpikingNetwork.Backward"/> is unchanged. The recorded traces hold each step's state
/// after the step, before the next step's rounding, so BPTT recomputes step t from the unrounded h_{t−1} (at most half
/// a raw unit, or the clipped excess, from what the forward pass stepped from) and differentiates the rounding as the
/// identity. Instances are immutable and thread-safe; one serves every worker of a pass.
/// </remarks>
public sealed class StateQuantizer : IStepObserver
{
    private readonly Grid[][] _grids;

    /// <summary>
    /// The grid of <paramref name="quantized"/>'s states for the float <paramref name="network"/> it was quantized from
    /// (<see cref="Quantizer.Quantize"/> or <see cref="Quantizer.FakeQuantize"/>); populations and states are matched by name.
    /// </summary>
    /// <exception cref="ArgumentException">A population of the quantized network is missing from, or has another size in, <paramref name="network"/>.</exception>
    public StateQuantizer(ISpikingNetwork network, QuantizedNetwork quantized)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(quantized);
        _grids = new Grid[network.Populations.Count][];
        for (int p = 0; p < network.Populations.Count; p++)
        {
            Population population = network.Populations[p];
            int layerIndex = quantized.Layers.ToList().FindIndex(l => !l.IsInput && l.Name == population.Name);
            if (layerIndex < 0)
            {
                _grids[p] = [];
                continue;
            }
            QuantizedLayer layer = quantized.Layers[layerIndex];
            if (layer.Size != population.Size)
                throw new ArgumentException($"Population '{population.Name}' has {population.Size} neurons but the quantized network's has {layer.Size}.", nameof(quantized));
            var grids = new List<Grid>();
            for (int s = 0; s < population.Neuron.States.Count; s++)
            {
                int chipState = IndexOf(layer.States, population.Neuron.States[s]);
                if (chipState < 0 || population.Neuron.States[s] == population.Neuron.PreviousSpike) continue;
                (long min, long max) = Range(quantized.Profile, layer.States[chipState]);
                grids.Add(new Grid(s, quantized.ScaleOf(layerIndex - quantized.InputCount, chipState), min, max));
            }
            _grids[p] = [.. grids];
        }
    }

    /// <summary>
    /// The raw range of a state on the chip, saturating: Loihi ±(2^23 − 1) (Lava clips v there; u wraps on the chip),
    /// Xylo [−2^15, 2^15 − 1], SpiNNaker the <c>accum</c> range, a <see cref="FixedProfile"/> its state format.
    /// </summary>
    private static (long Min, long Max) Range(TargetProfile profile, string state) => profile switch
    {
        LoihiProfile loihi => (-loihi.StateLimit + 1, loihi.StateLimit - 1),
        XyloProfile xylo => (xylo.StateMin, xylo.StateMax),
        SpiNNakerProfile spinnaker => (spinnaker.Accum.MinRaw, spinnaker.Accum.MaxRaw),
        FixedProfile fixedPoint => (fixedPoint.StateFormat.MinRaw, fixedPoint.StateFormat.MaxRaw),
        _ => throw new ArgumentException($"Profile '{profile.Name}' has no state range for '{state}'.", nameof(profile)),
    };

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int k = 0; k < names.Count; k++) if (names[k] == name) return k;
        return -1;
    }

    /// <summary>Rounds <paramref name="value"/> onto a grid of <paramref name="scale"/> raw units per unit, clipped to [min, max] raw units.</summary>
    public static float Quantize(float value, double scale, long min, long max) =>
        (float)(Math.Clamp(Math.Round(value * scale, MidpointRounding.ToEven), min, max) / scale);

    /// <inheritdoc/>
    public void BeginSample(int chunk, int sample) { }

    /// <summary>Rounds the population's states h_{t−1} onto the chip's grid, in place.</summary>
    public void Integrating(int chunk, int sample, int step, int population, float[][] states, float[][] ports)
    {
        foreach (Grid grid in _grids[population])
        {
            float[] h = states[grid.State];
            if (grid.Scale.Length == 1)
            {
                double scale = grid.Scale[0];
                for (int i = 0; i < h.Length; i++) h[i] = Quantize(h[i], scale, grid.Min, grid.Max);
            }
            else
            {
                for (int i = 0; i < h.Length; i++) h[i] = Quantize(h[i], grid.Scale[i], grid.Min, grid.Max);
            }
        }
    }

    /// <inheritdoc/>
    public void Stepped(int chunk, int sample, int step, int population, ReadOnlySpan<ulong> spikes) { }

    /// <inheritdoc/>
    public void EndSample(int chunk, int sample) { }

    /// <summary>The state (index into the neuron's states) and its raw grid.</summary>
    private sealed record Grid(int State, double[] Scale, long Min, long Max);
}
