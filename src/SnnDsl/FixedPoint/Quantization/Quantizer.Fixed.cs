namespace SnnDsl.FixedPoint;

public static partial class Quantizer
{
    /// <summary>
    /// Every built-in → <see cref="FixedPointNetwork"/> with the same equations and timing: decays to the decay format,
    /// thresholds, biases and weights to raw integers of their formats (nearest, ties to even). A weight outside the weight
    /// format is an error unless <see cref="QuantizationOptions.ClipWeights"/>.
    /// </summary>
    private static (QuantizedNetwork, FloatEquivalent) ToFixed(FloatModel model, FixedProfile profile, QuantizationOptions options)
    {
        if (options.Scaling == WeightScaling.PerChannel)
            throw new ProfileLimitException(profile.Name, model.Network.Descriptor.Name, "Scaling", "a fixed-point format has one absolute scale; per-channel scaling has no meaning there. Use WeightScaling.Global.");
        var changes = new List<ParameterChange>();
        var summaries = new List<WeightQuantization>();
        var equivalent = new FloatEquivalent();
        var populations = new List<FixedPopulation>();
        Rounding rounding = profile.Rounding == Rounding.Stochastic ? Rounding.NearestEven : profile.Rounding;
        FixedFormat decayFormat = profile.DecayFormat, stateFormat = profile.StateFormat, weightFormat = profile.WeightFormat;

        long DecayRaw(FloatModel.Layer layer, string name, float value)
        {
            long raw = decayFormat.NearestRaw(value);
            double represented = decayFormat.ValueOf(raw);
            Decay(changes, profile, options, layer.Name, name, value, represented, $"{raw}/2^{decayFormat.FractionBits}", $"{decayFormat} decays");
            equivalent.Parameters[(layer.Name, name)] = (float)represented;
            return raw;
        }

        long StateRaw(string owner, string name, float value)
        {
            try
            {
                return FixedArithmetic.ToRaw(value, stateFormat, rounding, name);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ProfileLimitException(profile.Name, owner, name, e.Message.Split(Environment.NewLine)[0]);
            }
        }

        for (int p = model.InputCount; p < model.Layers.Count; p++)
        {
            FloatModel.Layer layer = model.Layers[p];
            FixedNeuronKind kind = layer.Kind switch
            {
                BuiltInNeuron.CubaLif => FixedNeuronKind.CubaLif,
                BuiltInNeuron.Lif => FixedNeuronKind.Lif,
                BuiltInNeuron.CubaLifZeroReset => FixedNeuronKind.CubaLifZeroReset,
                _ => FixedNeuronKind.LeakyReadout,
            };
            long alpha = kind == FixedNeuronKind.Lif ? 0 : DecayRaw(layer, "Alpha", layer.Alpha);
            long beta = DecayRaw(layer, "Beta", layer.Beta);
            long threshold = 0;
            if (layer.IsSpiking)
            {
                threshold = StateRaw(layer.Name, "Threshold", layer.Threshold);
                double represented = FixedArithmetic.ToReal(threshold, stateFormat);
                changes.Add(new ParameterChange(layer.Name, "Threshold", layer.Threshold, represented, $"{threshold}/2^{stateFormat.FractionBits}"));
                equivalent.Parameters[(layer.Name, "Threshold")] = (float)represented;
            }
            long[]? bias = null;
            if (layer.Bias is { } b)
            {
                bias = b.Select((v, i) => StateRaw(layer.Name, $"bias[{i}]", v)).ToArray();
                equivalent.Biases[layer.Name] = bias.Select(r => (float)FixedArithmetic.ToReal(r, stateFormat)).ToArray();
            }
            populations.Add(new FixedPopulation(layer.Name, layer.Size, kind, alpha, beta, threshold, bias));
        }

        var connections = new List<FixedConnection>();
        foreach (FloatModel.Link link in model.Links)
        {
            var raw = new long[link.Weights.Length];
            var represented = new float[raw.Length];
            int clipped = 0;
            for (int k = 0; k < raw.Length; k++)
            {
                double x = link.Weights[k] * Math.Pow(2, weightFormat.FractionBits);
                double scaled = rounding switch
                {
                    Rounding.Floor => Math.Floor(x),
                    Rounding.TowardZero => Math.Truncate(x),
                    Rounding.NearestHalfUp => Math.Floor(x + 0.5),
                    _ => Math.Round(x, MidpointRounding.ToEven),
                };
                if (scaled > weightFormat.MaxRaw || scaled < weightFormat.MinRaw)
                {
                    if (!options.ClipWeights)
                        throw new ProfileLimitException(profile.Name, link.Name, $"weight {k}", Invariant($"{link.Weights[k]:G6} is outside {weightFormat} ({weightFormat.MinValue:G6}…{weightFormat.MaxValue:G6}); widen the weight format or set QuantizationOptions.ClipWeights."));
                    clipped++;
                }
                raw[k] = (long)Math.Clamp(scaled, weightFormat.MinRaw, weightFormat.MaxRaw);
                represented[k] = (float)FixedArithmetic.ToReal(raw[k], weightFormat);
            }
            connections.Add(new FixedConnection(link.Name, model.Layers[link.From].Name, model.Layers[link.To].Name, raw, link.Delay));
            equivalent.Weights[link.Name] = represented;
            summaries.Add(Summarize(profile, link.Name, $"{weightFormat}", link.Weights, represented, weightFormat.Resolution, clipped));
        }

        var notes = new List<string>
        {
            $"Same equations, timing, spike test (U > ϑ) and reset (U − ϑ, or 0 for CubaLifZeroReset) as the float neurons; states in {stateFormat} ({profile.Overflow}), products decay·state rounded {profile.Rounding}.",
        };
        var report = new QuantizationReport(profile, changes, summaries, notes);
        var network = new FixedPointNetwork(model.Layers.Where(l => l.IsInput).Select(l => (l.Name, l.Size)).ToList(), populations, connections, profile, report);
        return (network, equivalent);
    }
}
