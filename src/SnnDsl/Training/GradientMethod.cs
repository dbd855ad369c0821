namespace SnnDsl.Training;

/// <summary>
/// How <see cref="Trainer"/> turns a forward pass and the loss's upstream gradient into weight gradients: backpropagation
/// through time (<see cref="Bptt"/>) or a forward-mode rule (<see cref="Online"/>). Losses, optimizers, schedules and early
/// stopping are the same for all of them.
/// </summary>
public abstract class GradientMethod
{
    /// <summary>Backpropagation through time with surrogate gradients (the generated Backward): exact, memory linear in the steps.</summary>
    public static GradientMethod Bptt { get; } = new BpttMethod();

    /// <summary>Forward-mode learning with <paramref name="rule"/> (e-prop, DECOLLE, exact single-layer): memory flat in the steps.</summary>
    public static GradientMethod Online(OnlineRule rule) => new OnlineMethod(rule);

    /// <summary>Whether the forward pass the objective reads must record every state (BPTT's backward pass needs them).</summary>
    public abstract bool RecordAllStates { get; }

    /// <summary>Overwrites <paramref name="into"/> with the gradients of the loss whose upstream gradient is <paramref name="upstream"/>.</summary>
    public abstract void Compute(ISpikingNetwork network, SpikeRaster inputs, ReadOnlySpan<int> labels, SimulationResult forward,
        BackwardUpstream upstream, BackwardOptions options, NetworkGradients into);

    private sealed class BpttMethod : GradientMethod
    {
        public override bool RecordAllStates => true;

        public override void Compute(ISpikingNetwork network, SpikeRaster inputs, ReadOnlySpan<int> labels, SimulationResult forward,
            BackwardUpstream upstream, BackwardOptions options, NetworkGradients into) =>
            network.Backward([inputs], forward, upstream, options, into);

        public override string ToString() => "BPTT";
    }

    /// <summary>Runs the forward pass again with eligibility traces; the first pass gave the loss and its upstream gradient.</summary>
    private sealed class OnlineMethod(OnlineRule rule) : GradientMethod
    {
        // One engine per network (it keeps trace buffers between batches); safe for trainers on several threads.
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ISpikingNetwork, ForwardMode> _engines = new();

        public override bool RecordAllStates => false;

        public override void Compute(ISpikingNetwork network, SpikeRaster inputs, ReadOnlySpan<int> labels, SimulationResult forward,
            BackwardUpstream upstream, BackwardOptions options, NetworkGradients into)
        {
            _engines.GetValue(network, n => new ForwardMode(n, rule)).Gradients([inputs], upstream, labels, new SimulationOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, into);
        }

        public override string ToString() => rule.ToString();
    }
}
