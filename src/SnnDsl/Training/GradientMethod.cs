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

    /// <summary>Forward-mode learning with <paramref name="rule"/> (e-prop, DECOLLE, exact single-layer): trace memory flat in the steps.</summary>
    /// <param name="rule">The learning rule.</param>
    /// <param name="updateEvery">
    /// 0: one update per mini-batch, as with BPTT. k &gt; 0: the samples run one after another and the weights are updated
    /// after every k steps of each (and after its last step) with the gradient gathered since the previous update — on-line
    /// learning within the sequence. The learning signal is taken from the batch's forward pass before these updates.
    /// </param>
    public static GradientMethod Online(OnlineRule rule, int updateEvery = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(updateEvery);
        return new OnlineMethod(rule, updateEvery);
    }

    /// <summary>Whether the forward pass the objective reads must record every state (BPTT's backward pass needs them).</summary>
    public abstract bool RecordAllStates { get; }

    /// <summary>
    /// Overwrites <paramref name="into"/> with the gradients of the loss whose upstream gradient is <paramref name="upstream"/>.
    /// A method that updates the weights during the batch calls <paramref name="update"/> (which applies <paramref name="into"/>)
    /// itself and returns true; otherwise it returns false and the caller updates once.
    /// </summary>
    public abstract bool Compute(ISpikingNetwork network, SpikeRaster inputs, ReadOnlySpan<int> labels, SimulationResult forward,
        BackwardUpstream upstream, BackwardOptions options, NetworkGradients into, Action update);

    private sealed class BpttMethod : GradientMethod
    {
        public override bool RecordAllStates => true;

        public override bool Compute(ISpikingNetwork network, SpikeRaster inputs, ReadOnlySpan<int> labels, SimulationResult forward,
            BackwardUpstream upstream, BackwardOptions options, NetworkGradients into, Action update)
        {
            network.Backward([inputs], forward, upstream, options, into);
            return false;
        }

        public override string ToString() => "BPTT";
    }

    /// <summary>Runs the forward pass again with eligibility traces; the first pass gave the loss and its upstream gradient.</summary>
    private sealed class OnlineMethod(OnlineRule rule, int updateEvery) : GradientMethod
    {
        // One engine per network (it keeps trace buffers between batches); safe for trainers on several threads.
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ISpikingNetwork, ForwardMode> _engines = new();

        public override bool RecordAllStates => false;

        public override bool Compute(ISpikingNetwork network, SpikeRaster inputs, ReadOnlySpan<int> labels, SimulationResult forward,
            BackwardUpstream upstream, BackwardOptions options, NetworkGradients into, Action update)
        {
            ForwardMode engine = _engines.GetValue(network, n => new ForwardMode(n, rule));
            if (updateEvery == 0)
            {
                engine.Gradients([inputs], upstream, labels, new SimulationOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, into);
                return false;
            }
            engine.Learn([inputs], upstream, labels, updateEvery, into, update);
            return true;
        }

        public override string ToString() => updateEvery == 0 ? rule.ToString() : $"{rule}, updates every {updateEvery} steps";
    }
}
