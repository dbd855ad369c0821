using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SnnDsl;

/// <summary>
/// Finds NaN and infinities in a network's parameters, weights, recorded states and gradients, and parameter values
/// that make the dynamics undefined, and names where they are. Detection is a vectorized pass over each array (no
/// check per operation inside the kernels); locating a fault, which only happens once one is detected, scans the
/// recorded traces step by step to find where it started. <see cref="Training.Trainer"/> runs these checks every
/// mini-batch (see <see cref="Training.TrainerOptions.NumericalChecks"/>).
/// </summary>
public static class NumericalChecks
{
    /// <summary>
    /// Throws when a parameter is NaN or makes a neuron's or synapse's dynamics undefined (see
    /// <see cref="FindParameterFault"/>), or when a weight or bias is not finite. Cheap: parameters are walked through
    /// the dynamics' IR once, weights and biases are scanned once.
    /// </summary>
    /// <exception cref="NumericalFaultException">The first fault found, naming the population or connection, the parameter or weight and the expression.</exception>
    public static void CheckModel(this ISpikingNetwork network)
    {
        if ((FindParameterFault(network) ?? FindWeightFault(network)) is { } fault) throw new NumericalFaultException(fault);
    }

    /// <summary>
    /// The first parameter of a population or of a connection's synapse that is NaN, or whose value makes an operation
    /// of the model's dynamics undefined — a division by a parameter expression that is 0, Log of a non-positive or
    /// Sqrt of a negative parameter expression, Pow with a negative parameter base, Exp overflow or ∞ − ∞ in an
    /// expression of parameters alone — read from the IR in <see cref="NeuronDescriptor"/> and
    /// <see cref="SynapseDescriptor"/>; null when there is none. An infinite parameter is allowed (e.g. a threshold of ∞
    /// that disables spiking) unless it leads to such an operation.
    /// </summary>
    public static NumericalFault? FindParameterFault(ISpikingNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        foreach (Population population in network.Populations)
        {
            NeuronDescriptor neuron = population.Neuron;
            if (NaNParameter($"Population '{population.Name}' ({neuron.Name})", population.Name, neuron.Parameters, population.Parameter) is { } nan) return nan;
            if (ParameterHazards.Neuron(population.Name, neuron, ParameterLookup(neuron.Parameters, population.Parameter)) is { } hazard) return hazard;
        }
        foreach (Connection connection in network.Connections)
        {
            if (connection.Descriptor.Synapse is not { } synapse) continue;
            if (NaNParameter($"Connection '{connection.Name}' (synapse {synapse.Name})", connection.Name, synapse.Parameters, connection.SynapseParameter) is { } nan) return nan;
            if (ParameterHazards.Synapse(connection.Name, synapse, ParameterLookup(synapse.Parameters, connection.SynapseParameter)) is { } hazard) return hazard;
        }
        return null;
    }

    /// <summary>The first weight of a connection or value of a bias that is NaN or infinite, or null.</summary>
    public static NumericalFault? FindWeightFault(ISpikingNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        foreach (Connection connection in network.Connections)
        {
            int k = IndexOfNonFinite(connection.Weights);
            if (k >= 0)
                return new NumericalFault(NumericalFaultKind.Weight, connection.Name, "weights", connection.Weights[k],
                    $"Connection '{connection.Name}' has weight {Format(connection.Weights[k])} at {WeightPosition(connection, k)}" +
                    $"{Census(connection.Weights)}.")
                { Index = k };
        }
        foreach (Bias bias in network.Biases)
        {
            int k = IndexOfNonFinite(bias.Values);
            if (k >= 0)
                return new NumericalFault(NumericalFaultKind.Weight, bias.Name, "values", bias.Values[k],
                    $"Bias '{bias.Name}' has value {Format(bias.Values[k])} at neuron {k} of '{bias.Descriptor.To}'{Census(bias.Values)}.")
                { Index = k };
        }
        return null;
    }

    /// <summary>
    /// Whether any recorded state of <paramref name="forward"/> is not finite. With <paramref name="allSteps"/> every
    /// value of every trace is checked; otherwise only the values after the last step (a NaN or ∞ almost always
    /// persists to the end, and the loss and gradients catch most of the rest). Vectorized; no allocation.
    /// </summary>
    public static bool HasNonFiniteState(SimulationResult forward, bool allSteps = true)
    {
        ArgumentNullException.ThrowIfNull(forward);
        foreach (StateRecording trace in forward.RecordedStates)
        {
            if (allSteps)
            {
                if (!AllFinite(trace.Values)) return true;
                continue;
            }
            for (int b = 0; b < trace.Batch; b++)
                if (!AllFinite(trace.Row(b, trace.Steps - 1))) return true;
        }
        return false;
    }

    /// <summary>
    /// Where the first NaN or ∞ of a forward pass appeared: the earliest step at which any recorded state is not
    /// finite, and at that step the first owner in update order (a population's incoming synapses, then the population,
    /// populations in declaration order), sample and neuron. When every state of the network was recorded
    /// (<see cref="SimulationOptions.RecordAllStates"/>) and <paramref name="inputs"/> are given, that neuron's (or
    /// synapse's) step is replayed in scalar arithmetic from the recorded states, the spikes and the weights, and the
    /// message names the operation that produced the value — e.g. an Exp that overflowed — or the connection whose
    /// input did. Null when every recorded value is finite.
    /// </summary>
    /// <param name="network">The network that ran <paramref name="forward"/>.</param>
    /// <param name="forward">The forward pass.</param>
    /// <param name="inputs">The input rasters it ran on, or null (then the step is not replayed).</param>
    public static NumericalFault? FindStateFault(ISpikingNetwork network, SimulationResult forward, IReadOnlyList<SpikeRaster>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(forward);
        NetworkDescriptor descriptor = network.Descriptor;
        (StateRecording Trace, int Sample, int Step, int Neuron, int Rank)? first = null;
        int faultyValues = 0;
        var faultyOwners = new SortedSet<string>(StringComparer.Ordinal);
        foreach (StateRecording trace in forward.RecordedStates)
        {
            if (AllFinite(trace.Values)) continue;
            int rank = UpdateRank(descriptor, trace.Population);
            for (int b = 0; b < trace.Batch; b++)
            {
                for (int t = 0; t < trace.Steps; t++)
                {
                    Span<float> row = trace.Row(b, t);
                    int i = IndexOfNonFinite(row);
                    if (i < 0) continue;
                    for (int j = i; j < row.Length; j++) if (!float.IsFinite(row[j])) faultyValues++;
                    faultyOwners.Add(trace.Population + "." + trace.State);
                    if (first is not { } f || t < f.Step || (t == f.Step && (rank < f.Rank || (rank == f.Rank && b < f.Sample))))
                        first = (trace, b, t, i, rank);
                }
            }
        }
        if (first is not { } found) return null;
        StateRecording where = found.Trace;
        float value = where[found.Sample, found.Step, found.Neuron];
        string before = found.Step == 0
            ? "it starts at 0"
            : $"it was {Format(where[found.Sample, found.Step - 1, found.Neuron])} after step {found.Step - 1}";
        bool isPopulation = descriptor.Layers.Any(l => l.Name == where.Population);
        string owner = isPopulation ? $"Population '{where.Population}'" : $"The synapse of connection '{where.Population}'";
        NumericalFault? model = FindParameterFault(network) ?? FindWeightFault(network);
        string? replayed = model is null && inputs is not null ? Replay(network, forward, inputs, where.Population, found.Sample, found.Step, found.Neuron) : null;
        string cause = model is not null ? $"Cause: {model.Description}"
            : replayed is not null ? $"Replayed in scalar arithmetic from the recorded states: {replayed}."
            : $"The weights, biases and parameters are finite, so the dynamics produced it{Suspects(descriptor, where.Population)}.";
        return new NumericalFault(NumericalFaultKind.State, where.Population, where.State, value,
            string.Create(CultureInfo.InvariantCulture,
                $"{owner}: state '{where.State}' became {Format(value)} at sample {found.Sample}, step {found.Step}, neuron {found.Neuron} ({before}); " +
                $"the first non-finite state of the batch, {faultyValues} non-finite values in all ({string.Join(", ", faultyOwners)}). " +
                $"{cause}"))
        {
            Sample = found.Sample,
            Step = found.Step,
            Index = found.Neuron,
        };
    }

    /// <summary>
    /// The first element of a loss's upstream gradient (∂L/∂state of every population state, then ∂L/∂S of every spiking
    /// population, populations in declaration order) that is not finite, with its sample, step and neuron; or null.
    /// </summary>
    /// <param name="network">The network the gradient belongs to.</param>
    /// <param name="upstream">The gradient an objective wrote.</param>
    /// <param name="batch">Samples of the forward pass.</param>
    /// <param name="steps">Steps of the forward pass.</param>
    /// <param name="objective">The objective's name, for the message; null to leave it out.</param>
    public static NumericalFault? FindUpstreamFault(ISpikingNetwork network, BackwardUpstream upstream, int batch, int steps, string? objective = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(upstream);
        NetworkDescriptor descriptor = network.Descriptor;
        foreach (LayerDescriptor layer in descriptor.Layers)
        {
            if (layer.Neuron is not { } neuron) continue;
            foreach (string state in neuron.States)
                if (Upstream(upstream.State(descriptor, layer.Name, state, batch, steps), layer.Name, state, $"state '{state}'") is { } fault) return fault;
            if (neuron.IsSpiking && Upstream(upstream.Spikes(descriptor, layer.Name, batch, steps), layer.Name, "spikes", "the spikes") is { } spikeFault) return spikeFault;
        }
        return null;

        NumericalFault? Upstream(float[]? gradient, string owner, string variable, string what)
        {
            int k = gradient is null ? -1 : IndexOfNonFinite(gradient);
            if (k < 0) return null;
            int neurons = gradient!.Length / (batch * steps);
            int sample = k / (steps * neurons), step = k / neurons % steps, neuron = k % neurons;
            string source = objective is null ? "the objective" : $"the objective ({objective})";
            return new NumericalFault(NumericalFaultKind.Gradient, owner, variable, gradient[k], string.Create(CultureInfo.InvariantCulture,
                $"The loss's gradient with respect to {what} of '{owner}' is {Format(gradient[k])} at sample {sample}, step {step}, neuron {neuron}: {source} produced it."))
            {
                Sample = sample,
                Step = step,
                Index = neuron,
            };
        }
    }

    /// <summary>
    /// Replays the step of one neuron of a population (its port inputs from the spikes, weights, synapse states and
    /// biases, then its dynamics) or of one synapse of a connection, and describes where the value stopped being
    /// finite; null when a needed state was not recorded or the scalar replay stays finite.
    /// </summary>
    private static string? Replay(ISpikingNetwork network, SimulationResult forward, IReadOnlyList<SpikeRaster> inputs, string owner, int b, int t, int i)
    {
        var traces = forward.RecordedStates.ToDictionary(r => r.Population + "." + r.State);
        bool missing = false;
        float Before(string who, string state)
        {
            if (t == 0) return 0f;
            if (traces.TryGetValue(who + "." + state, out StateRecording? trace) && trace.Batch > b && trace.Neurons > i) return trace[b, t - 1, i];
            missing = true;
            return float.NaN;
        }

        if (network.Connections.FirstOrDefault(c => c.Name == owner) is { Descriptor.Synapse: { } ownSynapse } synapseOwner)
        {
            (string? problem, _) = ReplaySynapseAt(network, forward, inputs, synapseOwner, ownSynapse, Before, b, t, i, out bool unknown);
            return missing || unknown ? null : problem;
        }
        if (network.Populations.FirstOrDefault(p => p.Name == owner) is not { } population) return null;
        NeuronDescriptor neuron = population.Neuron;
        var ports = neuron.Ports.ToDictionary(p => p, _ => 0f);
        var sources = new List<string>();
        foreach (Connection connection in network.Connections)
        {
            if (connection.To != owner) continue;
            float contribution;
            if (connection.Descriptor.Synapse is { } synapse)
            {
                (string? problem, float current) = ReplaySynapseAt(network, forward, inputs, connection, synapse, Before, b, t, i, out bool unknown);
                if (missing || unknown) return null;
                if (problem is not null) return $"the synapse of connection '{connection.Name}' feeding it: {problem}";
                contribution = current;
            }
            else if (Drive(network, forward, inputs, connection, b, t, i) is { } z) contribution = z;
            else return null;
            ports[connection.Descriptor.Port] += contribution;
            sources.Add($"'{connection.Name}' {Format(contribution)}");
            if (!float.IsFinite(contribution))
                return $"the input from connection '{connection.Name}' to port '{connection.Descriptor.Port}' is {Format(contribution)} (its weighted spikes overflowed)";
        }
        foreach (Bias bias in network.Biases)
            if (bias.Descriptor.To == owner) ports[bias.Descriptor.Port] += bias.Values[i];
        foreach ((string port, float value) in ports)
            if (!float.IsFinite(value))
                return $"the input to port '{port}' is {Format(value)}: the finite inputs ({string.Join(", ", sources)}) overflowed when added";
        string? found = ParameterHazards.ReplayNeuron(neuron,
            name => ParameterOf(population.Neuron.Parameters, population.Parameter, name, i),
            state => state == neuron.PreviousSpike ? (t > 0 && forward.Spikes(owner)[b, t - 1, i] ? 1f : 0f) : Before(owner, state),
            port => ports.TryGetValue(port, out float value) ? value : float.NaN);
        if (missing || found is null) return null;
        string before = string.Join(", ", neuron.States.Where(s => s != neuron.PreviousSpike).Select(s => $"{s} = {Format(Before(owner, s))}"));
        string portValues = string.Join(", ", ports.Select(p => $"{p.Key} = {Format(p.Value)}"));
        return $"{found} (states before the step: {before}; input: {portValues})";
    }

    private static float ParameterOf(IReadOnlyList<ParamDescriptor> parameters, Func<int, float[]> values, string name, int i)
    {
        for (int p = 0; p < parameters.Count; p++)
        {
            if (parameters[p].Name != name) continue;
            float[] v = values(p);
            return v.Length == 1 ? v[0] : v[i];
        }
        return float.NaN;
    }

    private static (string? Problem, float Current) ReplaySynapseAt(ISpikingNetwork network, SimulationResult forward, IReadOnlyList<SpikeRaster> inputs,
        Connection connection, SynapseDescriptor synapse, Func<string, string, float> before, int b, int t, int i, out bool unknown)
    {
        unknown = false;
        if (Drive(network, forward, inputs, connection, b, t, i) is not { } drive)
        {
            unknown = true;
            return (null, float.NaN);
        }
        if (!float.IsFinite(drive))
            return ($"its weighted spikes (the drive of Deliver) are {Format(drive)}: the sum of finite weights overflowed", drive);
        (string? problem, float current) = ParameterHazards.ReplaySynapse(synapse,
            name => ParameterOf(synapse.Parameters, connection.SynapseParameter, name, i),
            state => before(connection.Name, state),
            name => name == synapse.Drive ? drive
                : synapse.Postsynaptic.FirstOrDefault(p => p.Input == name) is { } read ? before(connection.To, read.State)
                : float.NaN);
        return (problem is null ? null : $"{problem} (drive {Format(drive)})", current);
    }

    /// <summary>The weighted spikes z[i] of a connection at step t: Σ W over its synapses into i whose source fired at t − d; null when the source raster is unknown.</summary>
    private static float? Drive(ISpikingNetwork network, SimulationResult forward, IReadOnlyList<SpikeRaster> inputs, Connection connection, int b, int t, int i)
    {
        SpikeRaster source;
        int input = -1;
        for (int k = 0; k < network.Inputs.Count; k++)
            if (network.Inputs[k].Name == connection.From) input = k;
        if (input >= 0)
        {
            if (input >= inputs.Count || inputs[input].Batch <= b) return null;
            source = inputs[input];
        }
        else if (forward.SpikingPopulations.Contains(connection.From)) source = forward.Spikes(connection.From);
        else return null;
        float z = 0f;
        switch (connection)
        {
            case DenseSynapses dense:
                if (t - dense.Delay < 0) return 0f;
                for (int j = 0; j < dense.Pre; j++)
                    if (source[b, t - dense.Delay, j]) z += dense.Weights[j * dense.Post + i];
                return z;
            case MappedConnection mapped:
                for (int g = 0; g < mapped.Rows.Length; g++)
                {
                    int d = mapped.Delay + g;
                    if (t - d < 0) continue;
                    SynapseRows rows = mapped.Rows[g];
                    for (int j = 0; j < mapped.Pre; j++)
                    {
                        if (!source[b, t - d, j]) continue;
                        for (int e = rows.RowStart[j]; e < rows.RowStart[j + 1]; e++)
                            if (rows.Target[e] == i) z += mapped.Weights[rows.WeightIndex[e]];
                    }
                }
                return z;
            default:
                return null;
        }
    }

    /// <summary>
    /// The first gradient element that is not finite, or null: connections' weights from the last declared to the first
    /// (the order the backward pass reaches them), then biases, then trainable parameters.
    /// </summary>
    public static NumericalFault? FindGradientFault(ISpikingNetwork network, NetworkGradients gradients)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(gradients);
        for (int c = gradients.Weights.Length - 1; c >= 0; c--)
        {
            float[] g = gradients.Weights[c];
            int k = IndexOfNonFinite(g);
            if (k < 0) continue;
            Connection connection = network.Connections[c];
            return new NumericalFault(NumericalFaultKind.Gradient, connection.Name, "weights", g[k],
                $"The gradient ∂L/∂W of connection '{connection.Name}' is {Format(g[k])} at {WeightPosition(connection, k)}{Census(g)}.{BackwardHint}")
            { Index = k };
        }
        for (int b = 0; b < gradients.Biases.Length; b++)
        {
            float[] g = gradients.Biases[b];
            int k = IndexOfNonFinite(g);
            if (k < 0) continue;
            return new NumericalFault(NumericalFaultKind.Gradient, network.Biases[b].Name, "values", g[k],
                $"The gradient ∂L/∂b of bias '{network.Biases[b].Name}' is {Format(g[k])} at neuron {k}{Census(g)}.{BackwardHint}")
            { Index = k };
        }
        int p = 0;
        foreach ((string name, float[] _) in NetworkGradients.TrainableParameters(network))
        {
            float[] g = gradients.Parameters[p++];
            int k = IndexOfNonFinite(g);
            if (k < 0) continue;
            int dot = name.IndexOf('.', StringComparison.Ordinal);
            string position = g.Length == 1 ? "" : FormattableString.Invariant($" at neuron {k}");
            return new NumericalFault(NumericalFaultKind.Gradient, name[..dot], name[(dot + 1)..], g[k],
                $"The gradient of parameter '{name}' is {Format(g[k])}{position}{Census(g)}.{BackwardHint}")
            { Index = g.Length == 1 ? -1 : k };
        }
        return null;
    }

    /// <summary>The index of the first NaN or ±∞ in <paramref name="values"/>, or −1. Vectorized.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        if (AllFinite(values)) return -1;
        for (int k = 0; k < values.Length; k++)
            if (!float.IsFinite(values[k])) return k;
        return -1;
    }

    /// <summary>Whether every value is finite: x·0 is 0 for finite x and NaN for NaN and ±∞, summed per lane.</summary>
    /// <remarks>Optimized from the first call (it runs a few times per batch, too rarely to leave tier-0 code).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, k = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            Vector512<float> a = Vector512<float>.Zero, b = Vector512<float>.Zero;
            for (; k + 2 * (nuint)Vector512<float>.Count <= n; k += 2 * (nuint)Vector512<float>.Count)
            {
                a += Vector512.LoadUnsafe(ref start, k) * Vector512<float>.Zero;
                b += Vector512.LoadUnsafe(ref start, k + (nuint)Vector512<float>.Count) * Vector512<float>.Zero;
            }
            if (!Vector512.EqualsAll(a + b, Vector512<float>.Zero)) return false;
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            Vector256<float> a = Vector256<float>.Zero, b = Vector256<float>.Zero;
            for (; k + 2 * (nuint)Vector256<float>.Count <= n; k += 2 * (nuint)Vector256<float>.Count)
            {
                a += Vector256.LoadUnsafe(ref start, k) * Vector256<float>.Zero;
                b += Vector256.LoadUnsafe(ref start, k + (nuint)Vector256<float>.Count) * Vector256<float>.Zero;
            }
            if (!Vector256.EqualsAll(a + b, Vector256<float>.Zero)) return false;
        }
        for (; k < n; k++)
            if (!float.IsFinite(Unsafe.Add(ref start, k))) return false;
        return true;
    }

    private const string BackwardHint =
        " The forward pass, the weights and the loss were finite, so the backward pass produced it: look for a surrogate derivative or a reset " +
        "(with AttachResetGradient) that divides by a state, or a derivative of Log, Sqrt or Pow at 0.";

    private static NumericalFault? NaNParameter(string owner, string name, IReadOnlyList<ParamDescriptor> parameters, Func<int, float[]> values)
    {
        for (int p = 0; p < parameters.Count; p++)
        {
            float[] v = values(p);
            int k = Array.FindIndex(v, float.IsNaN);
            if (k < 0) continue;
            string where = parameters[p].PerNeuron ? FormattableString.Invariant($" at neuron {k}") : "";
            return new NumericalFault(NumericalFaultKind.Parameter, name, parameters[p].Name, float.NaN,
                $"{owner}: parameter '{parameters[p].Name}' is NaN{where}{Census(v)}; every comparison with NaN is false and every sum with it NaN, so the dynamics are undefined.")
            { Index = parameters[p].PerNeuron ? k : -1 };
        }
        return null;
    }

    private static Func<string, float[]?> ParameterLookup(IReadOnlyList<ParamDescriptor> parameters, Func<int, float[]> values)
    {
        return name =>
        {
            for (int p = 0; p < parameters.Count; p++)
                if (parameters[p].Name == name) return values(p);
            return null;
        };
    }

    /// <summary>Position of owners within a step: a population's incoming synapses run before it, populations in declaration order.</summary>
    private static int UpdateRank(NetworkDescriptor network, string owner)
    {
        for (int l = 0; l < network.Layers.Count; l++)
            if (network.Layers[l].Name == owner) return 2 * l + 1;
        foreach (ConnectionDescriptor c in network.Connections)
            if (c.Name == owner)
                for (int l = 0; l < network.Layers.Count; l++)
                    if (network.Layers[l].Name == c.To) return 2 * l;
        return int.MaxValue;
    }

    /// <summary>The operations of an owner's dynamics that can turn finite values into NaN or ∞, quoted from the IR.</summary>
    private static string Suspects(NetworkDescriptor network, string owner)
    {
        var bodies = new List<string>();
        if (network.Layers.FirstOrDefault(l => l.Name == owner)?.Neuron is { } neuron)
        {
            bodies.Add(neuron.Integrate);
            if (neuron.Reset is { } reset) bodies.Add(reset);
        }
        else if (network.Connections.FirstOrDefault(c => c.Name == owner)?.Synapse is { } synapse)
        {
            bodies.Add(synapse.Deliver);
            bodies.Add(synapse.Current);
        }
        var risky = new List<string>();
        foreach (string body in bodies) CollectRisky(IrNode.Parse(body), risky);
        return risky.Count == 0
            ? " from its inputs: a weighted sum that overflowed, or a synapse's current"
            : "; operations of its dynamics that can: " + string.Join("; ", risky.Distinct().Take(4));
    }

    private static void CollectRisky(IrNode node, List<string> risky)
    {
        if (node.Head == "/" && node[2].Number is null) risky.Add(node.Text);
        else if (node.Head == "call" && node[1].Atom is "Exp" or "Log" or "Sqrt" or "Pow") risky.Add(node.Text);
        foreach (IrNode item in node.Items) CollectRisky(item, risky);
    }

    /// <summary>Where element k of a connection's weights sits.</summary>
    internal static string WeightPosition(Connection connection, int k) => connection switch
    {
        DenseSynapses d => FormattableString.Invariant($"[pre {k / d.Post}, post {k % d.Post}] (presynaptic '{d.From}', postsynaptic '{d.To}')"),
        SparseSynapses s when k < s.Count => FormattableString.Invariant($"synapse {k} ({s.PreIndex[k]} → {s.PostIndex[k]})"),
        Conv1dSynapses c => FormattableString.Invariant(
            $"[out {k / (c.Convolution.InChannels * c.Convolution.KernelSize)}, in {k / c.Convolution.KernelSize % c.Convolution.InChannels}, tap {k % c.Convolution.KernelSize}]"),
        OneToOneSynapses => FormattableString.Invariant($"neuron {k}"),
        _ => FormattableString.Invariant($"index {k}"),
    };

    private static string Census(ReadOnlySpan<float> values)
    {
        int nan = 0, infinite = 0;
        foreach (float v in values)
        {
            if (float.IsNaN(v)) nan++;
            else if (float.IsInfinity(v)) infinite++;
        }
        if (nan + infinite <= 1) return "";
        return FormattableString.Invariant($" ({nan} NaN and {infinite} infinite of {values.Length} values)");
    }

    /// <summary>A float as messages print it: round-trip digits, ∞ and −∞ for the infinities.</summary>
    internal static string Format(float value) =>
        float.IsPositiveInfinity(value) ? "∞" : float.IsNegativeInfinity(value) ? "-∞" : value.ToString("R", CultureInfo.InvariantCulture);
}
