namespace SnnDsl.FixedPoint;

/// <summary>How weight scales are chosen (synsense/rockpool <c>rockpool/transform/quantize_methods.py</c>).</summary>
public enum WeightScaling
{
    /// <summary>
    /// One scale per target population, set by the largest |weight| into it (Rockpool's <c>global_quantize</c>: one scale
    /// for the hidden layer, one for the readout).
    /// </summary>
    Global,

    /// <summary>
    /// One scale per postsynaptic neuron, set by the largest |weight| into that neuron, with its own threshold (Rockpool's
    /// <c>channel_quantize</c>). Needs per-neuron thresholds: Xylo only.
    /// </summary>
    PerChannel,
}

/// <summary>Settings of <see cref="Quantizer"/>.</summary>
public sealed class QuantizationOptions
{
    /// <summary>Global or per-output-channel weight scales.</summary>
    public WeightScaling Scaling { get; init; } = WeightScaling.Global;

    /// <summary>
    /// The largest relative error of a decay factor (α or β) that is snapped to the nearest representable value without an
    /// error; beyond it <see cref="Quantizer"/> throws, naming the nearest value and the error. Default 10 %.
    /// </summary>
    public double MaxDecayError { get; init; } = 0.10;

    /// <summary>
    /// An input batch to measure the float network's state ranges on: the scales then keep the largest |I| and |U| below
    /// the state range divided by <see cref="StateHeadroom"/>. Without it, scales follow the weights (Rockpool's rule).
    /// </summary>
    public SpikeRaster? Calibration { get; init; }

    /// <summary>Thresholds (and calibrated state peaks) stay below the largest state divided by this. Default 4.</summary>
    public double StateHeadroom { get; init; } = 4;

    /// <summary>Fixed profile: clip weights outside the weight format instead of throwing.</summary>
    public bool ClipWeights { get; init; }

    /// <summary>State peaks measured once on <see cref="Calibration"/> and reused (quantization-aware training refreshes them per epoch).</summary>
    internal Dictionary<string, (double Current, double Membrane)>? CalibratedPeaks { get; init; }
}
