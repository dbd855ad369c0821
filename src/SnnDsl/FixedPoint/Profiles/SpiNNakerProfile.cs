namespace SnnDsl.FixedPoint
{
    /// <summary>
    /// SpiNNaker 1 running sPyNNaker's <c>IF_curr_exp</c> (SpiNNakerManchester/sPyNNaker,
    /// <c>neural_modelling/src/neuron/models/neuron_model_lif_impl.h</c>: <c>lif_neuron_closed_form</c>,
    /// <c>neuron_model_state_update</c>, <c>neuron_model_has_spiked</c>;
    /// <c>synapse_types/synapse_types_exponential_impl.h</c> and <c>exp_synapse_utils.h</c>; <c>decay.h</c>: <c>decay_s1615</c>;
    /// <c>implementations/neuron_impl_standard.h</c>: the order within a step; <c>synapse_row.h</c>:
    /// <c>synapse_row_convert_weight_to_input</c>) with spinn_common's fixed-point arithmetic
    /// (SpiNNakerManchester/spinn_common, <c>include/round.h</c>: <c>__stdfix_smul_k_round_nearest</c>;
    /// <c>include/stdfix-full-iso.h</c>: <c>__stdfix_round_s64</c>, <c>__stdfix_sat_k</c>).
    /// <para>Per step: ring-buffer sums (unsigned 16-bit weights, per receptor) become s16.15 inputs by a left shift and
    /// are added as I += ⌊input·init⌋; the membrane takes the closed form α = I·R + V_rest,
    /// V ← α − exp_TC·(α − V) (products rounded to nearest, ties up, saturated); spike if V ≥ V_thresh, then
    /// V ← V_reset and a refractory count; finally I ← ⌊I·decay⌋ (u0.32).</para>
    /// </summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    sealed record SpiNNakerProfile : TargetProfile
    {
        /// <inheritdoc/>
        public override string Name => "SpiNNaker";

        /// <summary>A spike is sent at the end of step t and lands in the ring buffer of step t + delay, delay ≥ 1 step.</summary>
        public override int ConnectionLatency => 1;

        /// <summary><c>threshold_type_static</c>: <c>value &gt;= threshold_value</c>.</summary>
        public override SpikeComparison Comparison => SpikeComparison.GreaterOrEqual;

        /// <summary><c>neuron_model_has_spiked</c>: V ← V_reset, refractory timer ← T_refract.</summary>
        public override ResetKind Reset => ResetKind.ToValue;

        /// <summary>
        /// s16.15 additions, multiplications (also of two states: the conductance input multiplies the synaptic input by
        /// V_rev − V, <c>neural_modelling/src/neuron/input_types/input_type_conductance.h</c>), shifts and comparisons.
        /// e^(−Δt/τ) is computed once at load time (<c>expk</c>), never per step; no model divides in its step.
        /// </summary>
        public override StepOperations Operations =>
            StepOperations.Add | StepOperations.Compare | StepOperations.Shift | StepOperations.MultiplyByConstant | StepOperations.MultiplyStates;

        /// <summary><c>REAL</c> (states, parameters, synaptic input) = <c>accum</c>, s16.15.</summary>
        public FixedFormat Accum { get; init; } = FixedFormat.S16_15;

        /// <summary><c>decay_t</c> (synaptic decay and input scaling <c>init</c>) = u0.32.</summary>
        public FixedFormat Decay { get; init; } = FixedFormat.U0_32;

        /// <summary>accum × accum products: rounded to nearest, ties toward +∞ (<c>MULT_ROUND_NEAREST_ACCUM</c>).</summary>
        public Rounding MultiplyRounding { get; init; } = Rounding.NearestHalfUp;

        /// <summary>accum × u0.32 decays: <c>(s·u) &gt;&gt; 32</c>, i.e. floor (<c>decay_s1615</c>).</summary>
        public Rounding DecayRounding { get; init; } = Rounding.Floor;

        /// <summary>Products saturate to 32 bits (<c>__stdfix_sat_k</c>).</summary>
        public Overflow MultiplyOverflow { get; init; } = Overflow.Saturate;

        /// <summary>accum additions are plain 32-bit integer additions (GCC's non-saturating <c>accum</c>): they wrap.</summary>
        public Overflow AddOverflow { get; init; } = Overflow.Wrap;

        /// <summary>Weight bits in a synaptic word (<c>SYNAPSE_WEIGHT_BITS</c> = 16), unsigned; the sign is the receptor (excitatory or inhibitory).</summary>
        public int WeightBits { get; init; } = 16;

        /// <summary>Ring-buffer entries are 16-bit and saturate (<c>synapses_saturation_count</c>).</summary>
        public int RingBufferBits { get; init; } = 16;

        /// <summary>Largest synaptic delay on the core with the default 4 delay bits, in steps (larger needs a delay extension).</summary>
        public int MaxDelaySteps { get; init; } = 16;

        /// <summary>
        /// Synaptic currents per neuron: IF_curr_exp keeps one exponentially decaying current per receptor type,
        /// excitatory and inhibitory (<c>synapse_types/synapse_types_exponential_impl.h</c>).
        /// </summary>
        public int SynapticCurrents { get; init; } = 2;

        /// <summary>
        /// null: sPyNNaker's plastic synapses are software, and their per-synapse structure is chosen by the rule's
        /// implementation (e.g. <c>neural_modelling/src/neuron/plasticity/stdp/synapse_structure/synapse_structure_weight_state_accumulator_impl.h</c>:
        /// a 16-bit weight, an 8-bit accumulator and an 8-bit state), so no fixed limit is stated.
        /// </summary>
        public LearningMemory? Learning { get; init; }

        /// <summary>The largest unsigned weight, 2^16 − 1.</summary>
        public int WeightMax => (1 << WeightBits) - 1;
    }
}
