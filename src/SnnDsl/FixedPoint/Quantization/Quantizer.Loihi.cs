namespace SnnDsl.FixedPoint;

public static partial class Quantizer
{
    /// <summary>
    /// CubaLif, Lif and LeakyReadout → Lava LIF (docs/fixed-point.md, "Loihi"):
    /// α → du = 4095 − round(4096α) (factor (4095 − du)/4096), β → dv = 4096 − round(4096β) (factor (4096 − dv)/4096),
    /// Lif → du = 4095 (no current memory). Per population a state scale s (raw units per float unit) is set by the largest
    /// |weight| into it (it maps to 254 at weight_exp 0), and vth = round(ϑ·s/2^6);
    /// every connection takes the weight_exp that fits its own largest weight into 8 bits, its sign mode from its weights.
    /// </summary>
    private static (QuantizedNetwork, FloatEquivalent) ToLoihi(FloatModel model, LoihiProfile profile, QuantizationOptions options)
    {
        if (options.Scaling == WeightScaling.PerChannel)
            throw new ProfileLimitException(profile.Name, model.Network.Descriptor.Name, "Scaling", "per-channel scaling needs a threshold per neuron, but a Lava LIF has one vth per population; use WeightScaling.Global.");
        RequireMinimumDelays(model, profile);
        var changes = new List<ParameterChange>();
        var weights = new List<WeightQuantization>();
        var notes = new List<string>();
        var equivalent = new FloatEquivalent();
        var peaks = options.CalibratedPeaks ?? model.Peaks(options.Calibration);
        var populations = new List<LoihiPopulation>();
        var connections = new List<LoihiConnection>();
        double stateLimit = profile.StateLimit - 1;

        for (int p = model.InputCount; p < model.Layers.Count; p++)
        {
            FloatModel.Layer layer = model.Layers[p];
            var incoming = model.Into(p).ToList();
            double maxWeight = incoming.Select(l => MaxAbs(l.Weights)).DefaultIfEmpty(0).Max();

            // State scale: the largest weight maps to 254 at weight_exp 0 (2^6·254 raw units); without weights, ϑ maps to vth = 1024.
            double scale = maxWeight > 0 ? 254.0 * (1 << profile.ActivationShift) / maxWeight : (1 << (profile.ThresholdShift + 10)) / Math.Max(Math.Abs(layer.Threshold), 1e-30);
            if (peaks is not null)
            {
                (double current, double membrane) = peaks[layer.Name];
                double peak = Math.Max(current, membrane);
                if (peak > 0) scale = Math.Min(scale, stateLimit / (options.StateHeadroom * peak));
            }

            // Threshold: vth = round(ϑ·s/2^6); the float value it stands for, ϑ' = vth·2^6/s, is reported (and written back by FakeQuantize).
            int threshold = profile.NeverSpikeThreshold;
            if (layer.IsSpiking)
            {
                if (!(layer.Threshold > 0))
                    throw new ProfileLimitException(profile.Name, layer.Name, "Threshold", $"{layer.Threshold} must be positive: vth is an unsigned mantissa.");
                double mantissa = layer.Threshold * scale / (1 << profile.ThresholdShift);
                if (mantissa > profile.MaxThresholdMantissa)
                {
                    scale *= profile.MaxThresholdMantissa / mantissa;   // the threshold sets the scale; the weights get a larger weight_exp
                    mantissa = profile.MaxThresholdMantissa;
                }
                threshold = (int)Math.Round(mantissa);
                if (threshold < 1)
                    throw new ProfileLimitException(profile.Name, layer.Name, "Threshold", Invariant($"ϑ = {layer.Threshold:G4} is below half a threshold step (2^6 raw units) at the scale the weights need ({scale:G4} raw units per unit; largest weight {maxWeight:G4}): the weights are more than {2 * 254 * 64:N0}× the threshold."));
                double represented = threshold * (double)(1 << profile.ThresholdShift) / scale;
                changes.Add(new ParameterChange(layer.Name, "Threshold", layer.Threshold, represented, Invariant($"vth = {threshold} (·2^{profile.ThresholdShift}), scale {scale:G6} raw units per unit")));
                equivalent.Parameters[(layer.Name, "Threshold")] = (float)represented;
            }

            // Decays.
            int du, dv;
            if (layer.Kind == BuiltInNeuron.Lif) du = profile.MaxDecay;
            else
            {
                (du, double alpha) = profile.CurrentDecay(layer.Alpha);
                Decay(changes, profile, options, layer.Name, "Alpha", layer.Alpha, alpha, $"du = {du}", $"Loihi current decays are (4095 − du)/4096, du = 0…{profile.MaxDecay}");
                equivalent.Parameters[(layer.Name, "Alpha")] = (float)alpha;
            }
            (dv, double beta) = profile.VoltageDecay(layer.Beta);
            Decay(changes, profile, options, layer.Name, "Beta", layer.Beta, beta, $"dv = {dv}", $"Loihi voltage decays are (4096 − dv)/4096, dv = 0…{profile.MaxDecay}");
            equivalent.Parameters[(layer.Name, "Beta")] = (float)beta;

            // Bias: Loihi adds it to v, which is exact for Lif (its input goes straight to U) only.
            int[]? biasMantissa = null, biasExponent = null;
            if (layer.Bias is { } bias)
            {
                if (layer.Kind != BuiltInNeuron.Lif)
                    throw new ProfileLimitException(profile.Name, layer.Name, "bias", $"Loihi adds the bias to the voltage v, but {layer.Kind} adds it to the current I (which decays with α); only Lif maps exactly.");
                biasMantissa = new int[layer.Size];
                biasExponent = new int[layer.Size];
                var represented = new float[layer.Size];
                for (int i = 0; i < layer.Size; i++)
                {
                    double raw = bias[i] * scale;
                    int exponent = 0;
                    long mantissa = (long)Math.Round(raw);
                    while ((mantissa > profile.MaxBiasMantissa || mantissa < profile.MinBiasMantissa) && exponent < profile.BiasExponentMax)
                        mantissa = (long)Math.Round(raw / (1L << ++exponent));
                    if (mantissa > profile.MaxBiasMantissa || mantissa < profile.MinBiasMantissa)
                        throw new ProfileLimitException(profile.Name, layer.Name, $"bias[{i}]", Invariant($"{bias[i]:G4} is {raw:G4} raw units; the largest bias is {profile.MaxBiasMantissa}·2^{profile.BiasExponentMax} = {(long)profile.MaxBiasMantissa << profile.BiasExponentMax}."));
                    biasMantissa[i] = (int)mantissa;
                    biasExponent[i] = exponent;
                    represented[i] = (float)((mantissa << exponent) / scale);
                }
                equivalent.Biases[layer.Name] = represented;
                changes.AddRange(Enumerable.Range(0, layer.Size).Where(i => represented[i] != bias[i]).Take(1)
                    .Select(i => new ParameterChange(layer.Name, $"bias[{i}]", bias[i], represented[i], $"bias_mant = {biasMantissa[i]}, bias_exp = {biasExponent[i]}")));
            }
            populations.Add(new LoihiPopulation(layer.Name, layer.Size, du, dv, threshold, biasMantissa, biasExponent, layer.IsSpiking, scale));

            // Weights of every connection into this population.
            foreach (FloatModel.Link link in incoming)
            {
                LoihiSignMode mode = LoihiDense.DetermineSignMode(link.Weights.Select(w => Math.Sign(w)).ToArray());
                int limit = mode == LoihiSignMode.Mixed ? 254 : 255;
                double maxW = MaxAbs(link.Weights);
                int exponent = maxW == 0 ? 0 : (int)Math.Ceiling(Math.Log2(maxW * scale / ((1 << profile.ActivationShift) * (double)limit)) - 1e-12);
                if (exponent > profile.WeightExponentMax)
                    throw new ProfileLimitException(profile.Name, link.Name, "weight_exp", $"needs {exponent} > {profile.WeightExponentMax}: its weights are too large for the state scale of '{layer.Name}'.");
                exponent = Math.Max(exponent, profile.WeightExponentMin);
                double step = Math.Pow(2, profile.ActivationShift + exponent) / scale;   // float units per weight LSB
                var ints = new int[link.Weights.Length];
                var represented = new float[link.Weights.Length];
                int clipped = 0;
                for (int k = 0; k < ints.Length; k++)
                {
                    double x = link.Weights[k] / step;
                    long w = mode == LoihiSignMode.Mixed ? 2 * (long)Math.Round(x / 2) : (long)Math.Round(x);
                    long min = mode == LoihiSignMode.Excitatory ? 0 : mode == LoihiSignMode.Mixed ? -256 : -255;
                    long max = mode == LoihiSignMode.Inhibitory ? 0 : limit;
                    if (w < min || w > max) clipped++;
                    ints[k] = (int)Math.Clamp(w, min, max);
                    represented[k] = (float)(ints[k] * step);
                }
                connections.Add(new LoihiConnection(link.Name, model.Layers[link.From].Name, layer.Name, ints, exponent, profile.WeightBits, mode));
                weights.Add(Summarize(profile, link.Name, $"8-bit {mode.ToString().ToLowerInvariant()}, weight_exp {exponent}", link.Weights, represented, mode == LoihiSignMode.Mixed ? 2 * step : step, clipped));
                equivalent.Weights[link.Name] = represented;
            }

            if (layer.Kind == BuiltInNeuron.CubaLifZeroReset)
                notes.Add($"'{layer.Name}' (CubaLifZeroReset): Lava's LIF itself — reset to 0, strict v > vth·2^6; only the integer rounding differs.");
            else if (layer.IsSpiking)
                notes.Add($"'{layer.Name}' ({layer.Kind}): the float neuron subtracts ϑ after a spike, Loihi sets v to 0 (the part above threshold is lost; CubaLifZeroReset is the float neuron without this difference); the spike test v > vth·2^6 is strict as in the float model.");
            else
                notes.Add($"'{layer.Name}' (LeakyReadout): a LIF that never spikes, vth = 2^17 as netx's non-spiking layers (2^23 exceeds the saturated v).");
            if (layer.Kind == BuiltInNeuron.Lif)
                notes.Add($"'{layer.Name}' (Lif): du = 4095 clears u every step, so u = a_in·2^6 carries only this step's input, as Lif's U = βU + x.");
        }

        Dictionary<string, int> latency = model.Latencies(_ => profile.ConnectionLatency, notes);
        if (latency.Values.Any(l => l > 0))
            notes.Add("Every Dense adds one step (Lava sends a_buff of t − 1): " + string.Join(", ", latency.Where(l => l.Value > 0).Select(l => $"'{l.Key}' lags by {l.Value}")) + " (QuantizedSimulationOptions.AlignToFloatTiming aligns results).");
        var report = new QuantizationReport(profile, changes, weights, notes);
        var network = new LoihiNetwork(model.Layers.Where(l => l.IsInput).Select(l => (l.Name, l.Size)).ToList(), populations, connections, profile, latency, report);
        return (network, equivalent);
    }
}
