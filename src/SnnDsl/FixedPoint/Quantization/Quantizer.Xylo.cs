namespace SnnDsl.FixedPoint;

public static partial class Quantizer
{
    /// <summary>
    /// CubaLif and Lif → Xylo hidden neurons, LeakyReadout → readout neurons (docs/fixed-point.md, "Xylo"): α → dash_syn,
    /// β → dash_mem, the nearest of the decays 1 − 2^−dash. Xylo decays i_syn in the step its input arrives
    /// (i ← (i + w)·α'), so weights are divided by α' to give the float neuron's I = αI + x. Scales follow the
    /// scheme the reference note describes for Rockpool's quantisers, not checked against Rockpool (the largest |weight| of a population — or of a neuron, per channel — maps to ±127), times 2^shift with
    /// the largest shift that keeps thresholds below the state range over <see cref="QuantizationOptions.StateHeadroom"/>;
    /// thresholds are round(ϑ·scale).
    /// </summary>
    private static (QuantizedNetwork, FloatEquivalent) ToXylo(FloatModel model, XyloProfile profile, QuantizationOptions options)
    {
        if (model.InputCount != 1)
            throw new ProfileLimitException(profile.Name, model.Network.Descriptor.Name, "", $"{model.InputCount} input layers; a Xylo core has one input layer of {profile.InputChannels} channels.");
        RequireMinimumDelays(model, profile);
        var changes = new List<ParameterChange>();
        var notes = new List<string>();
        var equivalent = new FloatEquivalent();
        var peaks = options.CalibratedPeaks ?? model.Peaks(options.Calibration);
        bool perChannel = options.Scaling == WeightScaling.PerChannel;
        double limit = profile.StateMax / options.StateHeadroom;

        List<int> hidden = Enumerable.Range(model.InputCount, model.Layers.Count - model.InputCount).Where(p => model.Layers[p].IsSpiking).ToList();
        List<int> readout = Enumerable.Range(model.InputCount, model.Layers.Count - model.InputCount).Where(p => !model.Layers[p].IsSpiking).ToList();
        foreach (FloatModel.Link link in model.Links.Where(l => model.Layers[l.From].IsInput && !model.Layers[l.To].IsSpiking))
            throw new ProfileLimitException(profile.Name, link.Name, "", "Xylo readout neurons take their input from hidden neurons only, not from the input layer.");

        // Decays and the weight factor 1/α' of every population.
        var dashSyn = new Dictionary<int, int>();
        var dashMem = new Dictionary<int, int>();
        var factor = new Dictionary<int, double>();
        foreach (int p in hidden.Concat(readout))
        {
            FloatModel.Layer layer = model.Layers[p];
            string representable = $"Xylo decays are 1 − 2^−dash, dash = 0…{profile.MaxDash}";
            if (layer.Kind == BuiltInNeuron.Lif)
            {
                dashSyn[p] = 1;
                notes.Add($"'{layer.Name}' (Lif): Xylo always filters the input through a synaptic state; the shortest that passes it on (dash_syn = 1, i = (i + 2x)/2) adds a tail of x/2, x/4, … to Lif's U = βU + x.");
            }
            else
            {
                dashSyn[p] = profile.NearestDash(layer.Alpha, minimumDash: 1);
                Decay(changes, profile, options, layer.Name, "Alpha", layer.Alpha, profile.DashDecay(dashSyn[p]), $"dash_syn = {dashSyn[p]}", representable + " (dash_syn ≥ 1: dash 0 clears the input before it reaches v)");
                equivalent.Parameters[(layer.Name, "Alpha")] = (float)(profile.DashDecay(dashSyn[p]));
            }
            dashMem[p] = profile.NearestDash(layer.Beta);
            Decay(changes, profile, options, layer.Name, "Beta", layer.Beta, profile.DashDecay(dashMem[p]), $"dash_mem = {dashMem[p]}", representable);
            equivalent.Parameters[(layer.Name, "Beta")] = (float)(profile.DashDecay(dashMem[p]));
            factor[p] = 1 / (profile.DashDecay(dashSyn[p]));
            if (layer.Bias is not null && layer.Kind != BuiltInNeuron.Lif)
                throw new ProfileLimitException(profile.Name, layer.Name, "bias", $"Xylo adds the bias to the membrane, but {layer.Kind} adds it to the current I (which decays with α); only Lif maps exactly.");
            if (layer.Bias is not null && profile.CoreVersion == XyloCoreVersion.V1)
                throw new ProfileLimitException(profile.Name, layer.Name, "bias", $"the {profile.Name} neuron (xylosim v1) has no bias.");
            if (layer.IsSpiking && !(layer.Threshold > 0))
                throw new ProfileLimitException(profile.Name, layer.Name, "Threshold", $"{layer.Threshold} must be positive (θ ≤ 0 makes v ≥ θ always true).");
        }

        // The largest |w/α'| into every neuron (and |bias|).
        var largest = new Dictionary<int, double[]>();
        foreach (int p in hidden.Concat(readout))
        {
            FloatModel.Layer layer = model.Layers[p];
            var m = new double[layer.Size];
            foreach (FloatModel.Link link in model.Into(p))
                for (int j = 0, pre = model.Layers[link.From].Size; j < pre; j++)
                    for (int i = 0; i < layer.Size; i++)
                        m[i] = Math.Max(m[i], Math.Abs(link.Weights[j * layer.Size + i] * factor[p]));
            if (layer.Bias is { } bias)
                for (int i = 0; i < layer.Size; i++) m[i] = Math.Max(m[i], Math.Abs(bias[i]));
            if (!perChannel) Array.Fill(m, m.DefaultIfEmpty(0).Max());
            largest[p] = m;
        }

        // Per neuron: the scale σ (raw units per float unit) at a given shift; hidden neurons get an integer threshold ϑ·σ.
        double[] Scales(int p, int shift, out int[] thresholds)
        {
            FloatModel.Layer layer = model.Layers[p];
            var sigma = new double[layer.Size];
            thresholds = new int[layer.Size];
            for (int i = 0; i < layer.Size; i++)
            {
                double s = largest[p][i] > 0 ? profile.WeightMax * Math.Pow(2, shift) / largest[p][i] : limit / Math.Max(layer.IsSpiking ? layer.Threshold : 1, 1e-30);
                if (layer.IsSpiking)
                {
                    thresholds[i] = (int)Math.Min(Math.Round(layer.Threshold * s), profile.StateMax);
                    if (thresholds[i] < 1)
                        throw new ProfileLimitException(profile.Name, layer.Name, "Threshold", Invariant($"ϑ = {layer.Threshold:G4} rounds to 0 at the weights' scale ({s:G4} per unit): the weights are more than {2 * profile.WeightMax}× the threshold."));
                }
                else thresholds[i] = profile.StateMax;
                sigma[i] = s;
            }
            return sigma;
        }

        bool Fits(int p, double[] sigma, int[] thresholds)
        {
            FloatModel.Layer layer = model.Layers[p];
            if (layer.IsSpiking && thresholds.Any(t => t > limit)) return false;
            if (peaks is null) return true;
            (double current, double membrane) = peaks[layer.Name];
            return sigma.All(s => Math.Max(current, membrane) * s <= limit);
        }

        int LargestShift(List<int> group, bool calibrateOnly)
        {
            if (calibrateOnly && peaks is null) return 0;   // readouts without calibration: Rockpool's ±127 scale
            for (int shift = profile.MaxWeightShift; shift > 0; shift--)
                if (group.All(p => Fits(p, Scales(p, shift, out int[] t), t))) return shift;
            return 0;
        }

        int shiftHidden = LargestShift(hidden, false), shiftOut = LargestShift(readout, true);
        if (peaks is null && readout.Count > 0)
            notes.Add("Readout scales follow the readout weights (±127, shift 0); pass QuantizationOptions.Calibration to use the 16-bit range the readout's membrane actually needs.");
        var sigmas = new Dictionary<int, double[]>();
        var groups = new Dictionary<int, XyloNeuronGroup>();
        foreach (int p in hidden.Concat(readout))
        {
            FloatModel.Layer layer = model.Layers[p];
            double[] sigma = Scales(p, layer.IsSpiking ? shiftHidden : shiftOut, out int[] thresholds);
            sigmas[p] = sigma;
            if (layer.IsSpiking && thresholds.Any(t => t > limit))
                notes.Add($"'{layer.Name}': the threshold needs {thresholds.Max()} of the 16-bit range even at shift 0; states above {profile.StateMax} saturate.");
            int[]? bias = null;
            if (layer.Bias is { } b)
            {
                bias = new int[layer.Size];
                var represented = new float[layer.Size];
                for (int i = 0; i < layer.Size; i++)
                {
                    bias[i] = (int)Math.Clamp(Math.Round(b[i] * sigma[i]), profile.StateMin, profile.StateMax);
                    represented[i] = (float)(bias[i] / sigma[i]);
                }
                equivalent.Biases[layer.Name] = represented;
            }
            groups[p] = new XyloNeuronGroup(layer.Name, layer.Size, [dashMem[p]], [[dashSyn[p]]], thresholds, bias, perChannel ? sigma : [sigma[0]]);
            if (layer.IsSpiking && perChannel)
                changes.Add(new ParameterChange(layer.Name, "Threshold", layer.Threshold, thresholds.Select((t, i) => t / sigma[i]).MaxBy(v => Math.Abs(v - layer.Threshold)),
                    $"θ = {thresholds.Min()}…{thresholds.Max()} per neuron (the largest deviation shown)"));
            else if (layer.IsSpiking)
            {
                double represented = thresholds[0] / sigma[0];
                changes.Add(new ParameterChange(layer.Name, "Threshold", layer.Threshold, represented, Invariant($"θ = {thresholds[0]}, scale {sigma[0]:G6} per unit")));
                equivalent.Parameters[(layer.Name, "Threshold")] = (float)represented;
            }
        }

        // Integer weights: w·(1/α')·σ_target / 2^shift, rounded, int8.
        int hiddenCount = hidden.Sum(p => model.Layers[p].Size), readoutCount = readout.Sum(p => model.Layers[p].Size);
        var offset = new Dictionary<int, int>();
        for (int k = 0, o = 0; k < hidden.Count; o += model.Layers[hidden[k]].Size, k++) offset[hidden[k]] = o;
        for (int k = 0, o = 0; k < readout.Count; o += model.Layers[readout[k]].Size, k++) offset[readout[k]] = o;
        int inputs = model.Layers[0].Size;
        var weightsIn = new sbyte[inputs * hiddenCount];
        var weightsRec = new sbyte[hiddenCount * hiddenCount];
        var weightsOut = new sbyte[hiddenCount * readoutCount];
        var summaries = new List<WeightQuantization>();
        foreach (FloatModel.Link link in model.Links)
        {
            bool fromInput = model.Layers[link.From].IsInput, toReadout = !model.Layers[link.To].IsSpiking;
            int shift = toReadout ? shiftOut : shiftHidden;
            sbyte[] target = fromInput ? weightsIn : toReadout ? weightsOut : weightsRec;
            int columns = toReadout ? readoutCount : hiddenCount, rowOffset = fromInput ? 0 : offset[link.From], columnOffset = offset[link.To];
            int pre = model.Layers[link.From].Size, post = model.Layers[link.To].Size;
            double[] sigma = sigmas[link.To];
            var represented = new float[link.Weights.Length];
            int clipped = 0;
            for (int j = 0; j < pre; j++)
                for (int i = 0; i < post; i++)
                {
                    int k = j * post + i;
                    double raw = Math.Round(link.Weights[k] * factor[link.To] * sigma[i] / Math.Pow(2, shift));
                    if (raw > profile.WeightMax || raw < profile.WeightMin) clipped++;
                    int w = (int)Math.Clamp(raw, profile.WeightMin, profile.WeightMax);
                    target[(rowOffset + j) * columns + columnOffset + i] = (sbyte)w;
                    represented[k] = (float)(w * Math.Pow(2, shift) / (sigma[i] * factor[link.To]));
                }
            equivalent.Weights[link.Name] = represented;
            string matrix = fromInput ? "weights_in" : toReadout ? "weights_out" : "weights_rec";
            summaries.Add(Summarize(profile, link.Name, $"int8 in {matrix}, « {shift}", link.Weights, represented, Math.Pow(2, shift) / (sigma.Min() * factor[link.To]), clipped));
        }

        notes.Add("Xylo fires when v ≥ θ (the float neurons when U > ϑ) and may emit up to " + profile.MaxHiddenSpikes + " spikes in one step, subtracting θ for each (the float neuron one, the rest of U carried to the next step); each spike delivers its weight once per count.");
        notes.Add("States are 16-bit and saturate; the bit-shift decay takes at least 1 per step, so small states decay linearly to 0.");
        foreach (int p in hidden.Where(p => model.Layers[p].Kind == BuiltInNeuron.CubaLifZeroReset))
            notes.Add($"'{model.Layers[p].Name}' (CubaLifZeroReset): Xylo subtracts θ after a spike, the float neuron sets U to 0.");
        foreach (int p in readout)
            notes.Add($"'{model.Layers[p].Name}' (LeakyReadout): a readout neuron with θ = {profile.StateMax}, which spikes only if its membrane saturates.");
        Dictionary<string, int> latency = model.Latencies(l => model.Layers[l.From].IsInput ? 0 : profile.HiddenSpikeLatency, notes);
        if (latency.Values.Any(l => l > 0))
            notes.Add("Xylo delivers hidden spikes one step later (recurrent and readout weights): " + string.Join(", ", latency.Where(l => l.Value > 0).Select(l => $"'{l.Key}' lags by {l.Value}")) + " (QuantizedSimulationOptions.AlignToFloatTiming aligns results).");
        var report = new QuantizationReport(profile, changes, summaries, notes);
        var network = new XyloNetwork((model.Layers[0].Name, inputs), hidden.Select(p => groups[p]).ToList(), readout.Select(p => groups[p]).ToList(),
            weightsIn, weightsRec, weightsOut, shiftHidden, shiftHidden, shiftOut, profile, latency, report);
        return (network, equivalent);
    }
}
