namespace SnnDsl.FixedPoint
{
    /// <summary>How the spike test compares the membrane with the threshold.</summary>
    public enum SpikeComparison
    {
        /// <summary>v &gt; θ (Loihi/Lava, and every float built-in).</summary>
        Greater,

        /// <summary>v ≥ θ (Xylo, sPyNNaker's static threshold).</summary>
        GreaterOrEqual,
    }

    /// <summary>What the membrane does after a spike.</summary>
    public enum ResetKind
    {
        /// <summary>Set to a value (0 on Loihi, V_reset on SpiNNaker).</summary>
        ToValue,

        /// <summary>Subtract the threshold once.</summary>
        Subtract,

        /// <summary>Emit up to a cap of spikes in one step, subtracting the threshold for each (Xylo).</summary>
        MultiSpikeSubtract,
    }

    /// <summary>
    /// What a chip (or a chosen fixed-point arithmetic) can do: bit widths, how decays are represented, rounding,
    /// wrap or saturate, size limits. Immutable data shared by the runtime (quantizer, integer simulators), the
    /// generator and the analyzers; <c>docs/fixed-point.md</c> explains every field and its source.
    /// </summary>
    public abstract record TargetProfile
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
    }
}
