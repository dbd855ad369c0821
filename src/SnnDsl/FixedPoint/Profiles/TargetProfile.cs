namespace SnnDsl.FixedPoint
{
    /// <summary>How the spike test compares the membrane with the threshold.</summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    enum SpikeComparison
    {
        /// <summary>v &gt; θ (Loihi/Lava, and every float built-in).</summary>
        Greater,

        /// <summary>v ≥ θ (Xylo, sPyNNaker's static threshold).</summary>
        GreaterOrEqual,
    }

    /// <summary>What the membrane does after a spike.</summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    enum ResetKind
    {
        /// <summary>Set to a value (0 on Loihi, V_reset on SpiNNaker).</summary>
        ToValue,

        /// <summary>Subtract the threshold once.</summary>
        Subtract,

        /// <summary>Emit up to a cap of spikes in one step, subtracting the threshold for each (Xylo).</summary>
        MultiSpikeSubtract,
    }

    /// <summary>The arithmetic a chip's neuron step performs on values that change every step (states and inputs).</summary>
    [System.Flags]
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    enum StepOperations
    {
        /// <summary>Nothing.</summary>
        None = 0,

        /// <summary>Addition and subtraction.</summary>
        Add = 1,

        /// <summary>Comparison and selection (a spike test, a clamp, min and max).</summary>
        Compare = 2,

        /// <summary>Arithmetic shifts by constants.</summary>
        Shift = 4,

        /// <summary>Multiplication of a state by a constant (a decay register, a gain).</summary>
        MultiplyByConstant = 8,

        /// <summary>Multiplication of two values that both change every step (e.g. a conductance by a voltage).</summary>
        MultiplyStates = 16,

        /// <summary>Division by a value that changes every step.</summary>
        Divide = 32,

        /// <summary>Exponentials, logarithms, powers, roots, tanh of values that change every step.</summary>
        Transcendental = 64,
    }

    /// <summary>
    /// What a chip (or a chosen fixed-point arithmetic) can do: bit widths, how decays are represented, rounding,
    /// wrap or saturate, size limits. Immutable data shared by the runtime (quantizer, integer simulators), the
    /// generator and the analyzers; <c>docs/fixed-point.md</c> explains every field and its source.
    /// </summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    abstract record TargetProfile
    {
        private protected TargetProfile()
        {
        }

        /// <summary>Short name used in messages and reports.</summary>
        public abstract string Name { get; }

        /// <summary>Steps between a presynaptic spike and its arrival on every connection of the chip.</summary>
        public abstract int ConnectionLatency { get; }

        /// <summary>The spike test.</summary>
        public abstract SpikeComparison Comparison { get; }

        /// <summary>The reset after a spike.</summary>
        public abstract ResetKind Reset { get; }

        /// <summary>
        /// What the step computes on values that change every step. Anything else (a division, an exponential) must be
        /// evaluated before the run, on parameters, into constants.
        /// </summary>
        public abstract StepOperations Operations { get; }
    }

    /// <summary>
    /// What a chip's learning engine keeps for a plastic connection besides the weights: states per synapse (such as an
    /// eligibility trace or tag), traces per presynaptic and per postsynaptic neuron, and their widths.
    /// </summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    sealed record LearningMemory
    {
        /// <summary>A learning engine with these counts and widths.</summary>
        public LearningMemory(int synapticStates, int synapticStateBits, int presynapticTraces, int postsynapticTraces, int traceBits)
        {
            SynapticStates = synapticStates;
            SynapticStateBits = synapticStateBits;
            PresynapticTraces = presynapticTraces;
            PostsynapticTraces = postsynapticTraces;
            TraceBits = traceBits;
        }

        /// <summary>States kept per synapse besides the weight, which a rule may use (e.g. an eligibility trace).</summary>
        public int SynapticStates { get; init; }

        /// <summary>Width of each per-synapse state, sign included.</summary>
        public int SynapticStateBits { get; init; }

        /// <summary>Traces kept per presynaptic neuron.</summary>
        public int PresynapticTraces { get; init; }

        /// <summary>Traces kept per postsynaptic neuron.</summary>
        public int PostsynapticTraces { get; init; }

        /// <summary>Width of each trace.</summary>
        public int TraceBits { get; init; }

        /// <summary>
        /// What the engine computes on traces, weights and tags (a rule's Δw and state updates); <see cref="StepOperations.None"/>
        /// when no source states it.
        /// </summary>
        public StepOperations Operations { get; init; }
    }
}
