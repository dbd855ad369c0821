namespace SnnDsl.Training;

/// <summary>
/// One forward pass of a network with its declared rules, as a step observer: per run of samples (a chunk), each rule's
/// buffers, the latest spikes of every population (and as many steps back as the rules' delays reach), and the state
/// buffers of the populations the rules read.
/// </summary>
internal sealed class PlasticityPass : IStepObserver
{
    private readonly Plasticity _owner;
    private readonly IReadOnlyList<SpikeRaster> _inputs;
    private readonly int _steps;
    private readonly bool _learn;
    private readonly int[] _depth;
    private readonly float[]?[] _spikeGradients;
    private readonly Chunk[] _chunks;

    /// <summary>A pass of <paramref name="owner"/>'s network over <paramref name="inputs"/> ([batch, steps] samples).</summary>
    /// <param name="owner">The rules and their signals.</param>
    /// <param name="inputs">The input rasters the pass runs on.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="steps">Steps per sample.</param>
    /// <param name="upstream">Null: plasticity, the weights change during the pass. Otherwise the loss's gradient, and the pass gathers −Σ Δw.</param>
    public PlasticityPass(Plasticity owner, IReadOnlyList<SpikeRaster> inputs, int batch, int steps, BackwardUpstream? upstream)
    {
        _owner = owner;
        _inputs = inputs;
        _steps = steps;
        _learn = upstream is null;
        ISpikingNetwork network = owner.Network;
        IReadOnlyList<RuleBinding> rules = owner.Rules;
        // Spikes of step t − d must still be there when a rule with delay d reads them.
        _depth = network.Populations.Select((_, p) => 1 + rules.Where(r => r.SourcePopulation == p).Select(r => r.Delay).DefaultIfEmpty(0).Max()).ToArray();
        _spikeGradients = rules.Select(r => upstream is null || !(r.Rule.Declares(RuleInputKind.Target) || r.Rule.Declares(RuleInputKind.Error))
            ? null
            : upstream.Spikes(network.Descriptor, network.Populations[r.Target].Name, batch, steps)
              ?? throw new InvalidOperationException(
                  $"Rule '{r.Rule.Name}' on connection '{r.Connection.Name}' reads a target or an error, but the objective gives no spike gradient ∂L/∂S for population '{network.Populations[r.Target].Name}'; use a loss on its spikes (e.g. a spike-count loss).")).ToArray();
        _chunks = Enumerable.Range(0, BatchParallel.ChunkCount(batch)).Select(_ => new Chunk(this)).ToArray();
    }

    /// <summary>Subtracts every chunk's Δw from the rules' connections, in chunk order.</summary>
    public void AddGradients(NetworkGradients into)
    {
        foreach (Chunk chunk in _chunks)
            for (int b = 0; b < _owner.Rules.Count; b++)
                SpikeOps.MultiplyAddInPlace(into.Weights[_owner.Rules[b].ConnectionIndex], chunk.Steps[b].WeightChanges, -1f);
    }

    public void BeginSample(int chunk, int sample)
    {
        Chunk c = _chunks[chunk];
        foreach (LearningRuleStep step in c.Steps) step.ClearStates();
        foreach (ulong[] ring in c.Rings) Array.Clear(ring);
        foreach (ulong[] latest in c.Latest) Array.Clear(latest);
    }

    public void Integrating(int chunk, int sample, int step, int population, float[][] states, float[][] ports) =>
        _chunks[chunk].States[population] = states;

    public void Stepped(int chunk, int sample, int step, int population, ReadOnlySpan<ulong> spikes)
    {
        Chunk c = _chunks[chunk];
        if (!spikes.IsEmpty)
        {
            spikes.CopyTo(c.Latest[population]);
            spikes.CopyTo(Slot(c, population, step));
        }
        for (int b = 0; b < _owner.Rules.Count; b++)
            if (_owner.Rules[b].Target == population) Run(c, b, sample, step, spikes);
    }

    public void EndSample(int chunk, int sample)
    {
    }

    private Span<ulong> Slot(Chunk c, int population, int step)
    {
        int words = c.Latest[population].Length;
        return c.Rings[population].AsSpan(step % _depth[population] * words, words);
    }

    /// <summary>One step of rule <paramref name="b"/>: gather what it reads, run its kernels, apply or keep Δw.</summary>
    private void Run(Chunk c, int b, int sample, int step, ReadOnlySpan<ulong> postSpikes)
    {
        RuleBinding rule = _owner.Rules[b];
        LearningRuleStep s = c.Steps[b];
        int t = step - rule.Delay;
        if (t < 0) Array.Clear(s.PreSpikes);
        else SpikeOps.Expand(rule.SourcePopulation < 0 ? _inputs[rule.SourceInput].Row(sample, t) : Slot(c, rule.SourcePopulation, t), s.PreSpikes);
        SpikeOps.Expand(postSpikes, s.PostSpikes);
        for (int k = 0; k < rule.PresynapticReads.Length; k++)
            s.PresynapticReads[k] = c.States[rule.SourcePopulation]?[rule.PresynapticReads[k]] ?? c.Zeros[b][k];
        for (int k = 0; k < rule.PostsynapticReads.Length; k++)
            s.PostsynapticReads[k] = c.States[rule.Target]![rule.PostsynapticReads[k]];

        c.Context.Sample = sample;
        c.Context.Step = step;
        c.Context.Rule = rule;
        LearningRuleDescriptor descriptor = rule.Rule;
        if (descriptor.Declares(RuleInputKind.Modulator)) s.Modulator = _owner.Modulator!(c.Context);
        if (_spikeGradients[b] is { } gradient)
        {
            // Ŝ_i = S_i − ∂L/∂S_i and e_i = −∂L/∂S_i: the loss's error in place of a teacher's.
            ReadOnlySpan<float> g = gradient.AsSpan((sample * _steps + step) * s.Post, s.Post);
            for (int i = 0; i < s.Post; i++)
            {
                s.Error[i] = -g[i];
                s.Target[i] = s.PostSpikes[i] - g[i];
            }
        }
        else if (_learn)
        {
            if (descriptor.Declares(RuleInputKind.Target)) _owner.Target!(c.Context, s.Target);
            if (descriptor.Declares(RuleInputKind.Error)) _owner.Error!(c.Context, s.Error);
        }
        s.Weights = rule.Connection.Weights;

        descriptor.Kernels.Presynaptic?.Invoke(s);
        descriptor.Kernels.Postsynaptic?.Invoke(s);
        descriptor.Kernels.Update(s);

        if (_learn && ((step + 1) % _owner.UpdateEvery == 0 || step == _steps - 1)) Apply(rule, s);
    }

    /// <summary>W += Δw, clipped to the rule's bounds if it has them; Δw starts again from zero.</summary>
    private static void Apply(RuleBinding rule, LearningRuleStep s)
    {
        float[] weights = rule.Connection.Weights;
        SpikeOps.AddInPlace(weights, s.WeightChanges);
        Array.Clear(s.WeightChanges);
        if (rule.WeightBounds is not (float min, float max)) return;
        for (int k = 0; k < weights.Length; k++) weights[k] = Math.Clamp(weights[k], min, max);
    }

    /// <summary>One run of samples' buffers.</summary>
    private sealed class Chunk
    {
        public Chunk(PlasticityPass pass)
        {
            ISpikingNetwork network = pass._owner.Network;
            Steps = pass._owner.Rules.Select(r =>
            {
                var step = new LearningRuleStep(r.Rule, r.Connection.Pre, r.Connection.Post);
                for (int k = 0; k < step.Parameters.Length; k++) step.Parameters[k] = r.Parameters[k][0];
                return step;
            }).ToArray();
            Zeros = Steps.Select(s => s.PresynapticReads.ToArray()).ToArray();
            Latest = network.Populations.Select(p => new ulong[SpikeRaster.WordsFor(p.Size)]).ToArray();
            Rings = network.Populations.Select((p, k) => new ulong[pass._depth[k] * SpikeRaster.WordsFor(p.Size)]).ToArray();
            States = new float[network.Populations.Count][][];
            Context = new PlasticityContext(network, Latest);
        }

        /// <summary>Each rule's buffers.</summary>
        public LearningRuleStep[] Steps { get; }

        /// <summary>Zero presynaptic reads, for a source population that has not stepped yet in this run.</summary>
        public float[][][] Zeros { get; }

        /// <summary>The latest spikes of every population.</summary>
        public ulong[][] Latest { get; }

        /// <summary>Spikes of the last steps, slot t mod depth.</summary>
        public ulong[][] Rings { get; }

        /// <summary>The state buffers of every population (the worker's own), from its latest step.</summary>
        public float[][]?[] States { get; }

        public PlasticityContext Context { get; }
    }
}
