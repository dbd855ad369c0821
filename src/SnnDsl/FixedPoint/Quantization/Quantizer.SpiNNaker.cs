namespace SnnDsl.FixedPoint;

public static partial class Quantizer
{
    /// <summary>
    /// CubaLif and LeakyReadout → IF_curr_exp, Lif → IF_curr_delta (docs/fixed-point.md, "SpiNNaker"): states in mV equal
    /// the float units (s16.15); β → exp_TC = round(β·2^15) with R = 1/(1 − exp_TC), so V = exp_TC·V + I; α → the synaptic
    /// decay round(α·2^32) in u0.32 with sPyNNaker's input scaling init = τ(1 − decay) (τ in steps), which the weights undo;
    /// weights become 16-bit ring-buffer entries per receptor (excitatory for w &gt; 0, inhibitory for w &lt; 0) with the
    /// smallest left shift at which every neuron's summed input fits 16 bits even if every presynaptic neuron fires.
    /// </summary>
    private static (QuantizedNetwork, FloatEquivalent) ToSpiNNaker(FloatModel model, SpiNNakerProfile profile, QuantizationOptions options)
    {
        if (options.Scaling == WeightScaling.PerChannel)
            throw new ProfileLimitException(profile.Name, model.Network.Descriptor.Name, "Scaling", "per-channel scaling has no mapping: the ring-buffer shift is per population and receptor, and weights are 16-bit; use WeightScaling.Global.");
        RequireMinimumDelays(model, profile);
        var changes = new List<ParameterChange>();
        var summaries = new List<WeightQuantization>();
        var notes = new List<string>();
        var equivalent = new FloatEquivalent();
        var populations = new List<SpiNNakerPopulation>();
        var connections = new List<SpiNNakerConnection>();
        const double one = 1 << 15;   // s16.15 raw units per mV (= per float unit)
        int maxShift = 31 - profile.RingBufferBits, ringMax = (1 << profile.RingBufferBits) - 1;

        for (int p = model.InputCount; p < model.Layers.Count; p++)
        {
            FloatModel.Layer layer = model.Layers[p];
            bool delta = layer.Kind == BuiltInNeuron.Lif || layer.Alpha == 0;
            SpiNNakerSynapseShape shape = delta ? SpiNNakerSynapseShape.Delta : SpiNNakerSynapseShape.Exponential;

            // Synapse: decay and init in u0.32.
            uint decay = 0, init = 0;
            double initValue = 1;
            if (!delta)
            {
                decay = (uint)profile.Decay.NearestRaw(layer.Alpha);
                double alpha = profile.Decay.ValueOf(decay);
                double tau = -1 / Math.Log(alpha);
                init = (uint)Math.Clamp(Math.Round(tau * (1 - alpha) * 4294967296.0), 1, uint.MaxValue);
                initValue = init / 4294967296.0;
                Decay(changes, profile, options, layer.Name, "Alpha", layer.Alpha, alpha, Invariant($"decay = {decay}, τ_syn = {tau:G6} steps, init = {initValue:G6}"), "u0.32 decays");
                equivalent.Parameters[(layer.Name, "Alpha")] = (float)alpha;
            }

            // Membrane: exp_TC and R with R·(1 − exp_TC) ≈ 1.
            int expTc = (int)profile.Accum.NearestRaw(layer.Beta);
            if (expTc >= one || expTc < 0)
                throw new ProfileLimitException(profile.Name, layer.Name, "Beta", Invariant($"{layer.Beta:G6} has no LIF closed form: exp_TC = e^(−Δt/τ_m) must be in [0, 1) (β = 1 is a neuron without leak)."));
            double beta = expTc / one;
            int resistance = (int)Math.Min(Math.Round(one / (1 - beta)), int.MaxValue);
            double gain = (1 - beta) * resistance / one;   // V = β'V + gain·I
            Decay(changes, profile, options, layer.Name, "Beta", layer.Beta, beta, Invariant($"exp_TC = {expTc}/2^15, R = {resistance / one:G6} (gain (1 − exp_TC)·R = {gain:G8})"), "s16.15 exp_TC");
            equivalent.Parameters[(layer.Name, "Beta")] = (float)beta;

            int threshold = layer.IsSpiking ? (int)Math.Clamp(Math.Round(layer.Threshold * one), int.MinValue, int.MaxValue) : int.MaxValue;
            if (layer.IsSpiking)
            {
                changes.Add(new ParameterChange(layer.Name, "Threshold", layer.Threshold, threshold / one, $"V_thresh = {threshold}/2^15 mV"));
                equivalent.Parameters[(layer.Name, "Threshold")] = (float)(threshold / one);
            }

            SpiNNakerLifParameters Parameters(int offset) => new(expTc, resistance, 0, 0, threshold, offset, 0, decay, init, decay, init);
            SpiNNakerLifParameters[] parameters;
            if (layer.Bias is { } bias)
            {
                if (layer.Kind != BuiltInNeuron.Lif)
                    throw new ProfileLimitException(profile.Name, layer.Name, "bias", $"sPyNNaker adds I_offset to the input after the synapse, but {layer.Kind} adds its bias to the current I (which decays with α); only Lif maps exactly.");
                parameters = new SpiNNakerLifParameters[layer.Size];
                var represented = new float[layer.Size];
                for (int i = 0; i < layer.Size; i++)
                {
                    int offset = (int)Math.Round(bias[i] * one / gain);
                    parameters[i] = Parameters(offset);
                    represented[i] = (float)(offset * gain / one);
                }
                equivalent.Biases[layer.Name] = represented;
            }
            else parameters = [Parameters(0)];

            // Weights: raw ring-buffer units per float unit, and the shift per receptor that keeps every sum within 16 bits.
            double perUnit = one / (gain * initValue);
            var incoming = model.Into(p).ToList();
            int Shift(int sign)
            {
                double largest = 0;
                for (int i = 0; i < layer.Size; i++)
                {
                    double sum = 0;
                    foreach (FloatModel.Link link in incoming)
                        for (int j = 0, pre = model.Layers[link.From].Size; j < pre; j++)
                        {
                            float w = link.Weights[j * layer.Size + i];
                            if (Math.Sign(w) == sign) sum += Math.Abs(w) * perUnit;
                        }
                    largest = Math.Max(largest, sum);
                }
                int shift = largest <= ringMax ? 0 : (int)Math.Ceiling(Math.Log2(largest / ringMax) - 1e-12);
                if (shift > maxShift)
                    throw new ProfileLimitException(profile.Name, layer.Name, sign > 0 ? "excitatory ring-buffer shift" : "inhibitory ring-buffer shift", $"the summed input needs a shift of {shift} > {maxShift}.");
                return shift;
            }
            int excitatoryShift = Shift(1), inhibitoryShift = Shift(-1);
            foreach (FloatModel.Link link in incoming)
            {
                var ints = new int[link.Weights.Length];
                var represented = new float[ints.Length];
                for (int k = 0; k < ints.Length; k++)
                {
                    int shift = link.Weights[k] >= 0 ? excitatoryShift : inhibitoryShift;
                    double raw = Math.Min(Math.Round(Math.Abs(link.Weights[k]) * perUnit / Math.Pow(2, shift)), ringMax);
                    ints[k] = Math.Sign(link.Weights[k]) * (int)raw;
                    represented[k] = (float)(ints[k] * Math.Pow(2, shift) / perUnit);
                }
                connections.Add(new SpiNNakerConnection(link.Name, model.Layers[link.From].Name, layer.Name, ints));
                equivalent.Weights[link.Name] = represented;
                summaries.Add(Summarize(profile, link.Name, $"16-bit per receptor, « {excitatoryShift} (exc) / « {inhibitoryShift} (inh)", link.Weights, represented, Math.Pow(2, Math.Max(excitatoryShift, inhibitoryShift)) / perUnit, 0));
            }
            populations.Add(new SpiNNakerPopulation(layer.Name, layer.Size, parameters, excitatoryShift, inhibitoryShift, layer.IsSpiking, one, shape));
            if (layer.IsSpiking)
                notes.Add($"'{layer.Name}' ({layer.Kind} as IF_curr_{(delta ? "delta" : "exp")}): V ≥ V_thresh fires (float: U > ϑ) and resets V to V_reset = 0 ({(layer.Kind == BuiltInNeuron.CubaLifZeroReset ? "as the float neuron" : "float: U − ϑ")}); no refractory period.");
            else
                notes.Add($"'{layer.Name}' (LeakyReadout as IF_curr_exp): V_thresh is the largest accum, so it never fires.");
        }

        notes.Add("exp_TC, the synaptic decay and init are computed on the board at load time (expk, expulr); these are the correctly rounded values. To reproduce a particular board bit for bit, build SpiNNakerLifParameters from the values it computed.");
        notes.Add("Ring-buffer shifts assume every presynaptic neuron may fire in one step (no saturation); sPyNNaker's own host code picks them from input statistics and may choose finer weights.");
        Dictionary<string, int> latency = model.Latencies(_ => profile.ConnectionLatency, notes);
        if (latency.Values.Any(l => l > 0))
            notes.Add("Every projection has a delay of at least one step: " + string.Join(", ", latency.Where(l => l.Value > 0).Select(l => $"'{l.Key}' lags by {l.Value}")) + " (QuantizedSimulationOptions.AlignToFloatTiming aligns results).");
        var report = new QuantizationReport(profile, changes, summaries, notes);
        var network = new SpiNNakerNetwork(model.Layers.Where(l => l.IsInput).Select(l => (l.Name, l.Size)).ToList(), populations, connections, profile, latency, report);
        return (network, equivalent);
    }
}
