namespace SnnDsl.Training;

/// <summary>
/// Forward-mode (online) learning over a network's generated kernels (docs/forward-mode.md). One forward pass carries,
/// for every trainable weight, bias and neuron parameter, its eligibility trace e(t) = J_t e(t−1) + C_t·a(t), with the
/// per-step Jacobians J_t = ∂h_t/∂h_{t−1}, C_t = ∂h_t/∂(input or θ) and ∂S_t/∂· that each neuron type's StepJacobian
/// kernel computes — derived at compile time from the declaration, σ′ for Θ′ (Neftci, Mostafa &amp; Zenke 2019). The
/// update gathers Σ_t g_h(t)·e(t) + γ(t)·∂S_t, where g_h is the loss's gradient on the states and γ the learning
/// signal on the spikes: the loss's own for the populations it reads, the <see cref="OnlineRule"/>'s for the others.
/// Memory does not grow with the sequence: per sample, presynaptic traces (pre × states) where the neuron's Jacobian is
/// uniform, per-synapse traces otherwise.
/// </summary>
/// <remarks>
/// Supported: dense and one-to-one connections with delta synapses (any delay), biases and neuron parameters. Sparse
/// and convolutional connections and synapse models are rejected when the engine is built.
/// </remarks>
public sealed class ForwardMode
{
    private readonly ISpikingNetwork _network;
    private readonly PopulationPlan[] _populations;
    private readonly Dictionary<int, float[]> _randomFeedback = new();
    private ChunkWork[]? _pool;
    private SimulationResult? _previous;

    /// <summary>Plans the traces of <paramref name="network"/>; throws if it has a connection forward mode does not support.</summary>
    /// <exception cref="NotSupportedException">A sparse or convolutional connection, a synapse model, or a neuron without generated tangents.</exception>
    public ForwardMode(ISpikingNetwork network, OnlineRule rule)
    {
        _network = network;
        Rule = rule;
        var populationIndex = network.Populations.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var inputIndex = network.Inputs.Select((l, i) => (l.Name, i)).ToDictionary(x => x.Name, x => x.i);
        _populations = new PopulationPlan[network.Populations.Count];
        int gradientIndex = 0;
        for (int p = 0; p < _populations.Length; p++)
        {
            Population population = network.Populations[p];
            StepTangentsDescriptor tangents = population.Neuron.Tangents
                ?? throw new NotSupportedException($"Population '{population.Name}' uses {population.Neuron.Name}, whose descriptor has no generated forward-mode kernel (a model read from text); forward mode needs the generated neuron type.");
            var plan = new PopulationPlan(p, population, tangents);
            foreach (int k in Enumerable.Range(0, population.Neuron.Parameters.Count).Where(k => population.Neuron.Parameters[k].Trainable))
                plan.Parameters.Add(new ParameterPlan(k, gradientIndex++));
            _populations[p] = plan;
        }
        for (int c = 0; c < network.Connections.Count; c++)
        {
            Connection connection = network.Connections[c];
            ConnectionDescriptor d = connection.Descriptor;
            if (d.Synapse is not null)
                throw new NotSupportedException($"Connection '{d.Name}' delivers through the synapse model {d.Synapse.Name}; forward-mode learning traces delta synapses only (train it with BPTT).");
            if (d.Kind is not (ConnectionKind.Dense or ConnectionKind.OneToOne))
                throw new NotSupportedException($"Connection '{d.Name}' is {d.Kind.ToString().ToLowerInvariant()}; forward-mode learning supports dense and one-to-one connections (train it with BPTT).");
            PopulationPlan target = _populations[populationIndex[d.To]];
            bool fromInput = inputIndex.ContainsKey(d.From);
            int port = IndexOf(target.Population.Neuron.Ports, d.Port);
            target.Incoming.Add(new IncomingPlan(c, connection, fromInput, fromInput ? inputIndex[d.From] : populationIndex[d.From], port, d.Delay));
            if (!fromInput)
            {
                PopulationPlan source = _populations[populationIndex[d.From]];
                source.RingDepth = Math.Max(source.RingDepth, d.Delay + 1);
            }
        }
        for (int k = 0; k < network.Biases.Count; k++)
        {
            BiasDescriptor bias = network.Biases[k].Descriptor;
            PopulationPlan target = _populations[populationIndex[bias.To]];
            target.Biases.Add(new BiasPlan(k, IndexOf(target.Population.Neuron.Ports, bias.Port)));
        }
    }

    /// <summary>The learning rule.</summary>
    public OnlineRule Rule { get; }

    /// <summary>
    /// Floats of eligibility trace one sample keeps (independent of the number of steps): per dense connection
    /// pre × states when the target's Jacobian is uniform, pre × post × states otherwise; per neuron parameter, bias
    /// and one-to-one connection, neurons × states.
    /// </summary>
    public long TraceFloatsPerSample => _populations.Sum(p =>
        p.Incoming.Sum(i => i.Connection.Descriptor.Kind == ConnectionKind.OneToOne
            ? (long)p.Size * p.States
            : p.Tangents.TraceFloats(i.Connection.Pre, p.Size, p.States))
        + (long)(p.Biases.Count + p.Parameters.Count) * p.Size * p.States);

    /// <summary>
    /// Runs the forward pass with traces and returns ∂L/∂(weights, biases, parameters) as the rule defines them.
    /// <paramref name="upstream"/> is the loss's gradient on the outputs of a forward pass over the same inputs (the
    /// objective writes it); <paramref name="labels"/> are needed by <see cref="OnlineRuleKind.Decolle"/>'s local losses.
    /// Deterministic: samples are reduced in a fixed order whatever the number of threads.
    /// </summary>
    /// <exception cref="InvalidOperationException">The rule cannot give a learning signal to a population with trainable inputs.</exception>
    public NetworkGradients Gradients(IReadOnlyList<SpikeRaster> inputs, BackwardUpstream upstream, ReadOnlySpan<int> labels,
        SimulationOptions? options = null, NetworkGradients? into = null) =>
        Run(inputs, upstream, labels, options?.MaxDegreeOfParallelism ?? 0, into ?? new NetworkGradients(_network), updateEvery: 0, update: null);

    /// <summary>
    /// On-line learning within the sequences: the samples run one after another, and after every
    /// <paramref name="updateEvery"/> steps of each (and after its last step) <paramref name="into"/> is overwritten with
    /// the gradient gathered since the previous update and <paramref name="update"/> is called to apply it (an optimizer
    /// step). Weights and per-neuron parameters take effect from the next step; shared neuron parameters, which a forward
    /// pass reads once, from the next sample. The learning signal is <paramref name="upstream"/>, from a pass before the updates.
    /// </summary>
    public void Learn(IReadOnlyList<SpikeRaster> inputs, BackwardUpstream upstream, ReadOnlySpan<int> labels, int updateEvery, NetworkGradients into, Action update)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(updateEvery);
        ArgumentNullException.ThrowIfNull(update);
        Run(inputs, upstream, labels, maxDegreeOfParallelism: 1, into, updateEvery, update);
    }

    private NetworkGradients Run(IReadOnlyList<SpikeRaster> inputs, BackwardUpstream upstream, ReadOnlySpan<int> labels, int maxDegreeOfParallelism,
        NetworkGradients into, int updateEvery, Action? update)
    {
        (int batch, int steps) = NetworkExtensions.ValidateInputs(_network.Descriptor, inputs);
        var pass = new Pass(this, inputs, batch, steps, labels.ToArray()) { UpdateEvery = updateEvery, Update = update, Into = into };
        pass.PlanSignals(upstream);
        ChunkWork[] works = Interlocked.Exchange(ref _pool, null) is { } pooled && pooled.Length == BatchParallel.ChunkCount(batch)
            ? pooled
            : Enumerable.Range(0, BatchParallel.ChunkCount(batch)).Select(_ => new ChunkWork(this)).ToArray();
        foreach (ChunkWork work in works) work.Gradients.Clear();
        pass.Works = works;
        // The pass's outputs are not needed (the caller's first pass has them); their buffers are reused call after call.
        SimulationResult? reuse = Interlocked.Exchange(ref _previous, null);
        reuse = _network.Simulate(inputs, new SimulationOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, Observer = pass, Reuse = reuse, RecordReadouts = false });
        if (update is null)
        {
            into.Clear();
            foreach (ChunkWork work in works)
            {
                work.Finish();
                into.Add(work.Gradients);
            }
        }
        _pool = works;
        _previous = reuse;
        return into;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int k = 0; k < names.Count; k++) if (names[k] == name) return k;
        throw new ArgumentException($"No port '{name}'.", nameof(name));
    }

    private sealed record ParameterPlan(int Index, int Gradient);

    private sealed record BiasPlan(int Index, int Port);

    private sealed record IncomingPlan(int Index, Connection Connection, bool FromInput, int Source, int Port, int Delay);

    /// <summary>A population's place in the traces: its Jacobian layout, inputs, biases and trainable parameters.</summary>
    private sealed class PopulationPlan(int index, Population population, StepTangentsDescriptor tangents)
    {
        public int Index { get; } = index;

        public Population Population { get; } = population;

        public StepTangentsDescriptor Tangents { get; } = tangents;

        public JacobianIndex Jacobian { get; } = new(population.Neuron, tangents);

        public int Size => Population.Size;

        public int States => Population.Neuron.States.Count;

        public float[][] ParameterValues { get; } = Enumerable.Range(0, population.Neuron.Parameters.Count).Select(population.Parameter).ToArray();

        public List<IncomingPlan> Incoming { get; } = [];

        public List<BiasPlan> Biases { get; } = [];

        public List<ParameterPlan> Parameters { get; } = [];

        /// <summary>Steps of spikes kept for the outgoing connections: the longest delay, plus one.</summary>
        public int RingDepth { get; set; } = 1;

        public bool HasTrainableInputs => Incoming.Count > 0 || Biases.Count > 0 || Parameters.Count > 0;
    }

    /// <summary>One run of samples' buffers: Jacobians, spike history, learning signals, traces and gradient sums.</summary>
    private sealed class ChunkWork
    {
        public ChunkWork(ForwardMode engine)
        {
            Gradients = new NetworkGradients(engine._network);
            Populations = engine._populations.Select(p => new PopulationWork(p)).ToArray();
        }

        public NetworkGradients Gradients { get; }

        public PopulationWork[] Populations { get; }

        public void Clear()
        {
            foreach (PopulationWork p in Populations) p.Clear();
        }

        /// <summary>Adds the buffered and transposed sums into <see cref="Gradients"/>.</summary>
        public void Finish()
        {
            foreach (PopulationWork p in Populations) p.Finish(Gradients);
        }
    }

    private sealed class PopulationWork
    {
        private readonly PopulationPlan _plan;

        public PopulationWork(PopulationPlan plan)
        {
            _plan = plan;
            int words = SpikeRaster.WordsFor(plan.Size);
            Jacobian = new float[plan.Jacobian.Slots * plan.Size];
            Ring = new ulong[plan.RingDepth * words];
            Gamma = new float[plan.Size];
            Incoming = plan.Incoming.Select(i => new IncomingWork(i, plan)).ToArray();
            Biases = plan.Biases.Select(_ => new NeuronTrace(plan.States, plan.Size)).ToArray();
            Parameters = plan.Parameters.Select(_ => new NeuronTrace(plan.States, plan.Size)).ToArray();
        }

        public float[] Jacobian { get; }

        /// <summary>S of the last <see cref="PopulationPlan.RingDepth"/> steps, slot t mod depth.</summary>
        public ulong[] Ring { get; }

        public float[] Gamma { get; }

        public IncomingWork[] Incoming { get; }

        public NeuronTrace[] Biases { get; }

        public NeuronTrace[] Parameters { get; }

        public void Clear()
        {
            Array.Clear(Ring);
            foreach (IncomingWork i in Incoming) i.Clear();
            foreach (NeuronTrace t in Biases) t.Clear();
            foreach (NeuronTrace t in Parameters) t.Clear();
        }

        public void Finish(NetworkGradients gradients)
        {
            foreach (IncomingWork i in Incoming) i.Finish(gradients.Weights[i.Plan.Index], _plan.Size);
        }
    }

    private sealed class IncomingWork
    {
        private readonly PresynapticTrace? _presynaptic;
        private readonly SynapseTrace? _synapse;
        private readonly NeuronTrace? _oneToOne;

        public IncomingWork(IncomingPlan plan, PopulationPlan target)
        {
            Plan = plan;
            int pre = plan.Connection.Pre;
            Activity = new float[pre];
            if (plan.Connection.Descriptor.Kind == ConnectionKind.OneToOne) _oneToOne = new NeuronTrace(target.States, target.Size);
            else if (target.Tangents.Factorizable) _presynaptic = new PresynapticTrace(target.States, pre, target.Size);
            else _synapse = new SynapseTrace(target.States, pre, target.Size);
        }

        public IncomingPlan Plan { get; }

        /// <summary>a_j(t) = S_j(t − delay) of the presynaptic layer, as floats.</summary>
        public float[] Activity { get; }

        public void Clear()
        {
            _presynaptic?.Clear();
            _synapse?.Clear();
            _oneToOne?.Clear();
        }

        public void Step(ReadOnlySpan<float> jacobian, PopulationPlan target, bool active, in Signals signals, float[] gradient)
        {
            if (_presynaptic is not null) _presynaptic.Step(jacobian, target.Jacobian, Plan.Port, Activity, active, signals, gradient);
            else if (_synapse is not null) _synapse.Step(jacobian, target.Jacobian, Plan.Port, Activity, active, signals);
            else
            {
                (int[] c, int q) = target.Jacobian.Seed(TangentSeed.Input, Plan.Port);
                _oneToOne!.Step(jacobian, target.Jacobian, c, q, Activity, signals, gradient);
            }
        }

        public void Finish(float[] gradient, int post)
        {
            _presynaptic?.Flush(gradient);
            if (_synapse is null) return;
            // [post, pre] → [pre, post]
            int pre = Activity.Length;
            float[] transposed = _synapse.TransposedGradient;
            for (int i = 0; i < post; i++)
                for (int j = 0; j < pre; j++) gradient[j * post + i] += transposed[i * pre + j];
            Array.Clear(transposed);
        }
    }

    /// <summary>One call's observer: the learning signals of every population and the run buffers it steps.</summary>
    private sealed class Pass(ForwardMode engine, IReadOnlyList<SpikeRaster> inputs, int batch, int steps, int[] labels) : IStepObserver
    {
        private readonly float[]?[][] _stateGradients = new float[]?[engine._populations.Length][];
        private readonly float[]?[] _spikeGradients = new float[]?[engine._populations.Length];
        private readonly HiddenSignal?[] _hidden = new HiddenSignal?[engine._populations.Length];

        public ChunkWork[] Works { get; set; } = [];

        /// <summary>Steps between on-line updates (0: none; the caller reduces the runs' gradients at the end).</summary>
        public int UpdateEvery { get; init; }

        public Action? Update { get; init; }

        public NetworkGradients Into { get; init; } = null!;

        // The parameters the kernels see in this pass: shared values as the forward pass read them at its start (it reads
        // them once), per-neuron arrays live (it reads them every step).
        private readonly float[][][] _parameters = engine._populations.Select(p =>
            p.ParameterValues.Select((v, k) => p.Population.Neuron.Parameters[k].PerNeuron ? v : [v[0]]).ToArray()).ToArray();

        /// <summary>Reads the loss's gradients and sets up the rule's signal for every other population with trainable inputs.</summary>
        public void PlanSignals(BackwardUpstream upstream)
        {
            PopulationPlan[] populations = engine._populations;
            NetworkDescriptor descriptor = engine._network.Descriptor;
            foreach (PopulationPlan p in populations)
            {
                _stateGradients[p.Index] = p.Population.Neuron.States.Select(s => upstream.State(descriptor, p.Population.Name, s, batch, steps)).ToArray();
                _spikeGradients[p.Index] = p.Population.Neuron.IsSpiking ? upstream.Spikes(descriptor, p.Population.Name, batch, steps) : null;
            }
            // The output: the populations whose states the loss reads, else those whose spikes it reads.
            var outputs = populations.Where(p => _stateGradients[p.Index].Any(g => g is not null)).ToList();
            if (outputs.Count == 0) outputs = populations.Where(p => _spikeGradients[p.Index] is not null).ToList();
            if (outputs.Count == 0)
                throw new InvalidOperationException("The upstream gradient is empty: the objective reads no state or spike of the network.");
            foreach (PopulationPlan p in populations)
            {
                if (outputs.Contains(p) || !p.HasTrainableInputs) continue;
                _hidden[p.Index] = engine.Rule.Kind switch
                {
                    OnlineRuleKind.EProp => EPropSignal(p, outputs),
                    OnlineRuleKind.Decolle => DecolleSignal(p, outputs),
                    _ => throw new InvalidOperationException(
                        $"Exact forward mode trains the populations the loss reads ({string.Join(", ", outputs.Select(o => o.Population.Name))}); '{p.Population.Name}' has trainable inputs but the loss does not read it. Use OnlineRule.EProp or OnlineRule.Decolle for hidden populations, or BPTT."),
                };
            }
        }

        /// <summary>
        /// E-prop: L_i(t) = Σ_k B_ik ∂L/∂x_k(t + d), with ∂L/∂x of the readout's port computed backwards over the readout's
        /// uniform Jacobian (ν(t) = g(t) + Jᵀν(t+1), ∂L/∂x(t) = cᵀν(t)) — the readout filter applied to the learning signal
        /// instead of the eligibility trace, which gives the same sum Σ_t L_i(t)·(κ∗e)(t).
        /// </summary>
        private HiddenSignal EPropSignal(PopulationPlan hidden, List<PopulationPlan> outputs)
        {
            if (outputs.Count != 1)
                throw new InvalidOperationException($"E-prop sends one readout's error back; the loss reads {outputs.Count} populations ({string.Join(", ", outputs.Select(o => o.Population.Name))}).");
            PopulationPlan readout = outputs[0];
            if (readout.Population.Neuron.IsSpiking || !readout.Tangents.Factorizable)
                throw new InvalidOperationException(
                    $"E-prop's learning signal needs a non-spiking readout with a uniform Jacobian (e.g. LeakyReadout); '{readout.Population.Name}' ({readout.Population.Neuron.Name}) is {(readout.Population.Neuron.IsSpiking ? "spiking" : "not uniform")}. Use OnlineRule.Decolle or BPTT.");
            float[] feedback;
            int delay = 0, port = 0;
            if (engine.Rule.Feedback == Feedback.Symmetric)
            {
                IncomingPlan connection = readout.Incoming.FirstOrDefault(i => !i.FromInput && i.Source == hidden.Index && i.Connection.Descriptor.Kind == ConnectionKind.Dense)
                    ?? throw new InvalidOperationException($"Symmetric e-prop sends the error back through the weights from '{hidden.Population.Name}' to '{readout.Population.Name}', but there is no dense connection between them; use Feedback.Random.");
                feedback = connection.Connection.Weights;
                delay = connection.Delay;
                port = connection.Port;
            }
            else feedback = engine.RandomFeedback(hidden, readout.Size);

            float[] error = ReadoutInputAdjoint(readout, port, _stateGradients[readout.Index]);
            return new HiddenSignal(feedback, readout.Size, delay, error);
        }

        /// <summary>∂L/∂x_k(t) of the readout's port, [batch, steps, readout], from ∂L/∂h_t over its uniform step Jacobian.</summary>
        private float[] ReadoutInputAdjoint(PopulationPlan readout, int port, float[]?[] stateGradients)
        {
            int r = readout.Size, h = readout.States;
            var jacobian = new float[readout.Jacobian.Slots * r];
            float[][] zeros = Enumerable.Range(0, h).Select(_ => new float[r]).ToArray();
            float[][] ports = Enumerable.Range(0, readout.Jacobian.Ports).Select(_ => new float[r]).ToArray();
            readout.Tangents.Kernel(zeros, ports, _parameters[readout.Index], jacobian);
            var j = new float[h * h];
            var c = new float[h];
            for (int k = 0; k < h * h; k++) j[k] = readout.Jacobian.Hh[k] >= 0 ? jacobian[readout.Jacobian.Hh[k] * r] : 0f;
            for (int d = 0; d < h; d++) c[d] = readout.Jacobian.Input[d * readout.Jacobian.Ports + port] is int e and >= 0 ? jacobian[e * r] : 0f;

            var adjoint = new float[batch * steps * r];
            var nu = new double[h * r];
            var next = new double[h * r];
            for (int b = 0; b < batch; b++)
            {
                Array.Clear(nu);
                for (int t = steps - 1; t >= 0; t--)
                {
                    int offset = (b * steps + t) * r;
                    // ν(t) = g(t) + Jᵀ ν(t+1)
                    for (int d = 0; d < h; d++)
                        for (int k = 0; k < r; k++)
                        {
                            double value = stateGradients[d] is { } g ? g[offset + k] : 0.0;
                            for (int e = 0; e < h; e++) value += j[e * h + d] * nu[e * r + k];
                            next[d * r + k] = value;
                        }
                    (nu, next) = (next, nu);
                    // ∂L/∂x(t) = cᵀ ν(t)
                    for (int k = 0; k < r; k++)
                    {
                        double value = 0;
                        for (int d = 0; d < h; d++) value += c[d] * nu[d * r + k];
                        adjoint[offset + k] = (float)value;
                    }
                }
            }
            return adjoint;
        }

        /// <summary>DECOLLE: a fixed random readout G (population → classes) and a per-step cross-entropy on G·S(t).</summary>
        private HiddenSignal DecolleSignal(PopulationPlan hidden, List<PopulationPlan> outputs)
        {
            if (!hidden.Population.Neuron.IsSpiking)
                throw new InvalidOperationException($"DECOLLE's local readout reads spikes; '{hidden.Population.Name}' ({hidden.Population.Neuron.Name}) does not spike.");
            if (labels.Length != batch)
                throw new ArgumentException($"DECOLLE's local losses need one label per sample: {labels.Length} labels for a batch of {batch}.", nameof(labels));
            int classes = outputs.Max(o => o.Size);
            for (int b = 0; b < batch; b++)
                if ((uint)labels[b] >= (uint)classes)
                    throw new ArgumentException($"Label {labels[b]} of sample {b} is outside the {classes} classes of the readout.", nameof(labels));
            return new HiddenSignal(engine.RandomFeedback(hidden, classes), classes, 0, null);
        }

        public void BeginSample(int chunk, int sample) => Works[chunk].Clear();

        public void Integrating(int chunk, int sample, int step, int population, float[][] states, float[][] ports)
        {
            PopulationPlan plan = engine._populations[population];
            plan.Tangents.Kernel(states, ports, _parameters[population], Works[chunk].Populations[population].Jacobian);
        }

        public void Stepped(int chunk, int sample, int step, int population, ReadOnlySpan<ulong> spikes)
        {
            PopulationPlan plan = engine._populations[population];
            ChunkWork work = Works[chunk];
            PopulationWork own = work.Populations[population];
            int n = plan.Size, words = SpikeRaster.WordsFor(n);
            if (!spikes.IsEmpty) spikes.CopyTo(own.Ring.AsSpan(step % plan.RingDepth * words, words));

            bool hasGamma = LearningSignal(plan, own.Gamma, sample, step, spikes);
            var signals = new Signals(own.Gamma, hasGamma, _stateGradients[population], (sample * steps + step) * n);
            ReadOnlySpan<float> jacobian = own.Jacobian;
            foreach (IncomingWork incoming in own.Incoming)
            {
                bool active = Activity(work, incoming, sample, step);
                incoming.Step(jacobian, plan, active, signals, work.Gradients.Weights[incoming.Plan.Index]);
            }
            for (int k = 0; k < plan.Biases.Count; k++)
            {
                (int[] c, int q) = plan.Jacobian.Seed(TangentSeed.Input, plan.Biases[k].Port);
                own.Biases[k].Step(jacobian, plan.Jacobian, c, q, default, signals, work.Gradients.Biases[plan.Biases[k].Index]);
            }
            for (int k = 0; k < plan.Parameters.Count; k++)
            {
                (int[] c, int q) = plan.Jacobian.Seed(TangentSeed.Parameter, plan.Parameters[k].Index);
                own.Parameters[k].Step(jacobian, plan.Jacobian, c, q, default, signals, work.Gradients.Parameters[plan.Parameters[k].Gradient]);
            }

            // On-line: after the last population of every k-th step (and of the sample's last step), apply what was gathered.
            if (UpdateEvery > 0 && population == engine._populations.Length - 1 && ((step + 1) % UpdateEvery == 0 || step == steps - 1))
            {
                work.Finish();
                Into.Clear();
                Into.Add(work.Gradients);
                work.Gradients.Clear();
                Update!();
            }
        }

        public void EndSample(int chunk, int sample)
        {
        }

        /// <summary>γ_i(t): the loss's ∂L/∂S_i(t) plus the rule's signal for a hidden population. False when there is none.</summary>
        private bool LearningSignal(PopulationPlan plan, float[] gamma, int sample, int step, ReadOnlySpan<ulong> spikes)
        {
            int n = plan.Size;
            bool has = false;
            if (_spikeGradients[plan.Index] is { } direct)
            {
                direct.AsSpan((sample * steps + step) * n, n).CopyTo(gamma);
                has = true;
            }
            else Array.Clear(gamma);
            if (_hidden[plan.Index] is not { } hidden) return has;
            if (hidden.ReadoutInputAdjoint is { } adjoint)
            {
                // e-prop: γ_i += Σ_k B_ik ∂L/∂x_k(t + d)
                int t = step + hidden.Delay;
                if (t >= steps) return has;
                ReadOnlySpan<float> error = adjoint.AsSpan((sample * steps + t) * hidden.Width, hidden.Width);
                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<float> row = hidden.Weights.AsSpan(i * hidden.Width, hidden.Width);
                    float sum = 0f;
                    for (int k = 0; k < row.Length; k++) sum += row[k] * error[k];
                    gamma[i] += sum;
                }
                return true;
            }
            // DECOLLE: y = Gᵀ S(t), ℓ_t = CE(softmax(y), label)/(B·T), γ_i += Σ_c G_ic ∂ℓ_t/∂y_c
            int classes = hidden.Width;
            Span<float> y = stackalloc float[classes];
            for (int i = 0; i < n; i++)
                if ((spikes[i >> 6] >> (i & 63) & 1UL) != 0) SpikeOps.AddInPlace(y, hidden.Weights.AsSpan(i * classes, classes));
            float max = float.NegativeInfinity;
            foreach (float v in y) max = MathF.Max(max, v);
            float total = 0f;
            for (int c = 0; c < classes; c++) total += y[c] = MathF.Exp(y[c] - max);
            float scale = 1f / ((float)batch * steps);
            for (int c = 0; c < classes; c++) y[c] = (y[c] / total - (c == labels[sample] ? 1f : 0f)) * scale;
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> row = hidden.Weights.AsSpan(i * classes, classes);
                float sum = 0f;
                for (int c = 0; c < classes; c++) sum += row[c] * y[c];
                gamma[i] += sum;
            }
            return true;
        }

        /// <summary>Expands S_j(t − delay) of the connection's source into floats; false when no presynaptic neuron spiked.</summary>
        private bool Activity(ChunkWork work, IncomingWork incoming, int sample, int step)
        {
            IncomingPlan plan = incoming.Plan;
            float[] activity = incoming.Activity;
            int t = step - plan.Delay;
            Array.Clear(activity);
            if (t < 0) return false;
            ReadOnlySpan<ulong> bits;
            if (plan.FromInput) bits = inputs[plan.Source].Row(sample, t);
            else
            {
                PopulationPlan source = engine._populations[plan.Source];
                int words = SpikeRaster.WordsFor(source.Size);
                bits = work.Populations[plan.Source].Ring.AsSpan(t % source.RingDepth * words, words);
            }
            bool any = false;
            for (int w = 0; w < bits.Length; w++)
            {
                ulong word = bits[w];
                any |= word != 0;
                while (word != 0)
                {
                    activity[(w << 6) + System.Numerics.BitOperations.TrailingZeroCount(word)] = 1f;
                    word &= word - 1;
                }
            }
            return any;
        }
    }

    /// <summary>
    /// A hidden population's learning signal: e-prop's feedback weights B [neurons, readout] and the readout's input
    /// adjoint, or DECOLLE's local readout G [neurons, classes] (<paramref name="ReadoutInputAdjoint"/> null).
    /// </summary>
    private sealed record HiddenSignal(float[] Weights, int Width, int Delay, float[]? ReadoutInputAdjoint);

    /// <summary>
    /// The fixed random weights a hidden population learns through: random e-prop's feedback B or DECOLLE's local
    /// readout G, [neurons, readout size], drawn at the first <see cref="Gradients"/> call that needed them.
    /// </summary>
    /// <exception cref="ArgumentException">The rule drew no random weights for that population.</exception>
    public float[] RandomWeights(string population)
    {
        for (int p = 0; p < _populations.Length; p++)
            if (_populations[p].Population.Name == population)
                lock (_randomFeedback)
                    if (_randomFeedback.TryGetValue(p, out float[]? weights)) return weights;
        throw new ArgumentException($"{Rule} drew no random weights for '{population}' (only random e-prop and DECOLLE do, for populations the loss does not read, after the first Gradients call).", nameof(population));
    }

    /// <summary>Fixed random weights [neurons, width] ~ Normal(0, 1/neurons), drawn once per population from the rule's seed.</summary>
    private float[] RandomFeedback(PopulationPlan population, int width)
    {
        lock (_randomFeedback)
        {
            if (_randomFeedback.TryGetValue(population.Index, out float[]? existing) && existing.Length == population.Size * width) return existing;
            var random = new Random(unchecked(Rule.Seed * 7919 + population.Index));
            float std = 1f / MathF.Sqrt(population.Size);
            var weights = new float[population.Size * width];
            for (int k = 0; k < weights.Length; k++) weights[k] = std * (float)NetworkExtensions.NextGaussian(random);
            _randomFeedback[population.Index] = weights;
            return weights;
        }
    }
}
