using System.Globalization;

namespace SnnDsl.FixedPoint;

/// <summary>
/// Post-training quantization: maps a trained float network of built-in neurons onto a profile's integer model —
/// decays snapped to representable values (with the error reported, or an error beyond
/// <see cref="QuantizationOptions.MaxDecayError"/>), weights scaled globally or per output channel,
/// thresholds and biases scaled consistently — and returns the integer network with a <see cref="QuantizationReport"/>.
/// docs/fixed-point.md lists which built-in maps to which chip model and how its parameters convert.
/// </summary>
public static partial class Quantizer
{
    /// <summary>Quantizes <paramref name="network"/> to <paramref name="profile"/>.</summary>
    /// <exception cref="ProfileLimitException">Something the profile cannot represent (the message names it and the limit).</exception>
    public static QuantizedNetwork Quantize(ISpikingNetwork network, TargetProfile profile, QuantizationOptions? options = null) =>
        Map(network, profile, options ?? new QuantizationOptions()).Network;

    /// <summary>
    /// Writes into <paramref name="network"/> the float values its quantized twin stands for: every weight becomes its
    /// integer times its scale, decays their representable values, thresholds and biases theirs. Quantization-aware
    /// training calls this before every forward pass (<see cref="QuantizationAwareTrainer"/>).
    /// </summary>
    /// <returns>The quantized network the written values stand for.</returns>
    /// <exception cref="ProfileLimitException">As <see cref="Quantize"/>.</exception>
    public static QuantizedNetwork FakeQuantize(ISpikingNetwork network, TargetProfile profile, QuantizationOptions? options = null)
    {
        (QuantizedNetwork quantized, FloatEquivalent equivalent) = Map(network, profile, options ?? new QuantizationOptions());
        equivalent.WriteTo(network, profile);
        return quantized;
    }

    private static (QuantizedNetwork Network, FloatEquivalent Equivalent) Map(ISpikingNetwork network, TargetProfile profile, QuantizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(profile);
        FloatModel model = FloatModel.Read(network, profile);
        return profile switch
        {
            LoihiProfile loihi => ToLoihi(model, loihi, options),
            XyloProfile xylo => ToXylo(model, xylo, options),
            SpiNNakerProfile spinnaker => ToSpiNNaker(model, spinnaker, options),
            FixedProfile fixedPoint => ToFixed(model, fixedPoint, options),
            _ => throw new ArgumentException($"Profile '{profile.Name}' ({profile.GetType().Name}) has no quantizer.", nameof(profile)),
        };
    }

    /// <summary>The float values a quantized network stands for, to write back into the float network.</summary>
    private sealed class FloatEquivalent
    {
        public Dictionary<string, float[]> Weights { get; } = [];
        public Dictionary<(string Population, string Parameter), float> Parameters { get; } = [];
        public Dictionary<string, float[]> Biases { get; } = [];

        public void WriteTo(ISpikingNetwork network, TargetProfile profile)
        {
            foreach (Connection c in network.Connections)
            {
                float[] dense = Weights[c.Name];
                if (c is DenseSynapses)
                {
                    dense.CopyTo(c.Weights, 0);
                    continue;
                }
                // Mapped connections: each weight index takes the value of its synapses, which must agree (shared weights).
                var mapped = (MappedConnection)c;
                var written = new bool[c.Weights.Length];
                foreach (SynapseRows rows in mapped.Rows)
                    for (int j = 0; j < c.Pre; j++)
                        for (int k = rows.RowStart[j]; k < rows.RowStart[j + 1]; k++)
                        {
                            float value = dense[j * c.Post + rows.Target[k]];
                            int index = rows.WeightIndex[k];
                            if (written[index] && c.Weights[index] != value)
                                throw new ProfileLimitException(profile.Name, c.Name, "weights", "shared weights quantize differently at different positions (per-channel scaling of a convolution); use WeightScaling.Global.");
                            c.Weights[index] = value;
                            written[index] = true;
                        }
            }
            foreach (((string population, string parameter), float value) in Parameters)
                network.Populations.First(p => p.Name == population).Parameter(parameter)[0] = value;
            foreach ((string population, float[] values) in Biases)
            {
                Bias[] biases = network.Biases.Where(b => b.Descriptor.To == population).ToArray();
                if (biases.Length != 1)
                    throw new ProfileLimitException(profile.Name, population, "bias", $"{biases.Length} biases drive it; the chip has one, so fake quantization needs exactly one [Bias] per population.");
                values.CopyTo(biases[0].Values, 0);
            }
        }
    }

    /// <summary>Checks a snapped decay against <see cref="QuantizationOptions.MaxDecayError"/> and records it.</summary>
    private static void Decay(List<ParameterChange> changes, TargetProfile profile, QuantizationOptions options, string owner, string parameter,
        double requested, double represented, string encoding, string representable)
    {
        var change = new ParameterChange(owner, parameter, requested, represented, encoding);
        double error = requested == 0 ? Math.Abs(represented) : change.RelativeError;
        if (error > options.MaxDecayError)
            throw new ProfileLimitException(profile.Name, owner, parameter, string.Create(CultureInfo.InvariantCulture,
                $"{requested:G6} is not representable ({representable}); the nearest is {represented:G6} ({encoding}), {(requested == 0 ? "absolute" : "relative")} error {100 * error:F1}% > QuantizationOptions.MaxDecayError ({100 * options.MaxDecayError:F1}%)."));
        changes.Add(change);
    }

    /// <summary>The weight summary of a connection; a connection whose every non-zero weight rounds to 0 is an error.</summary>
    /// <exception cref="ProfileLimitException">Nothing of the connection survives quantization.</exception>
    private static WeightQuantization Summarize(TargetProfile profile, string name, string encoding, float[] weights, float[] represented, double step, int clipped)
    {
        int nonZero = weights.Count(w => w != 0);
        if (nonZero > 0 && represented.All(w => w == 0))
            throw new ProfileLimitException(profile.Name, name, "weights", Invariant($"every weight rounds to 0 ({encoding}, step {step:G4}; the largest |w| is {MaxAbs(weights):G4}): they are below the precision the profile gives this connection."));
        int zeroed = 0;
        double squares = 0;
        for (int k = 0; k < weights.Length; k++)
        {
            if (weights[k] != 0 && represented[k] == 0) zeroed++;
            double d = represented[k] - weights[k];
            squares += d * d;
        }
        return new WeightQuantization(name, encoding, step, clipped, zeroed, weights.Length == 0 ? 0 : Math.Sqrt(squares / weights.Length));
    }

    /// <summary>Throws unless every connection has the float network's minimum delay (the chips have no programmable delays here).</summary>
    private static void RequireMinimumDelays(FloatModel model, TargetProfile profile)
    {
        foreach (FloatModel.Link link in model.Links.Where(l => l.Delay != l.MinimumDelay))
            throw new ProfileLimitException(profile.Name, link.Name, "Delay", $"a delay of {link.Delay} steps has no mapping; {profile.Name} connections take {profile.ConnectionLatency} step(s), and only the float network's minimum delay ({link.MinimumDelay}) keeps the timing.");
    }

    /// <summary>Largest |value| of a span (0 when empty).</summary>
    private static double MaxAbs(IEnumerable<float> values) => values.Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
