namespace SnnDsl.FixedPoint;

/// <summary>The synapse shaping of an sPyNNaker population.</summary>
public enum SpiNNakerSynapseShape
{
    /// <summary>IF_curr_exp: input += ⌊x·init⌋, then input ← ⌊input·decay⌋ after the update (<c>synapse_types_exponential_impl.h</c>).</summary>
    Exponential,

    /// <summary>IF_curr_delta: input += x, then input ← 0 after the update (<c>synapse_types_delta_impl.h</c>).</summary>
    Delta,
}

/// <summary>The parameters of one sPyNNaker IF_curr_exp neuron as the core holds them (raw integers).</summary>
/// <param name="ExpTc">exp(−Δt/τ_m), s16.15 (<c>neuron_t.exp_TC</c>, a <c>REAL</c>).</param>
/// <param name="Resistance">R = τ_m/c_m, s16.15 (<c>R_membrane</c>).</param>
/// <param name="RestingVoltage">V_rest, s16.15.</param>
/// <param name="ResetVoltage">V_reset, s16.15.</param>
/// <param name="Threshold">V_thresh, s16.15 (<c>threshold_type_static</c>).</param>
/// <param name="OffsetCurrent">I_offset, s16.15, added to the input every step.</param>
/// <param name="RefractorySteps">T_refract = ⌈τ_refrac/Δt⌉.</param>
/// <param name="ExcitatoryDecay">exp(−Δt/τ_syn_E), u0.32 (<c>exp_state_t.decay</c>).</param>
/// <param name="ExcitatoryInit">The input scaling of the excitatory synapse, u0.32 (<c>exp_state_t.init</c>).</param>
/// <param name="InhibitoryDecay">exp(−Δt/τ_syn_I), u0.32.</param>
/// <param name="InhibitoryInit">The input scaling of the inhibitory synapse, u0.32.</param>
public readonly record struct SpiNNakerLifParameters(
    int ExpTc, int Resistance, int RestingVoltage, int ResetVoltage, int Threshold, int OffsetCurrent, int RefractorySteps,
    uint ExcitatoryDecay, uint ExcitatoryInit, uint InhibitoryDecay, uint InhibitoryInit);

/// <summary>The state of one IF_curr_exp neuron (raw s16.15, plus the refractory count).</summary>
public struct SpiNNakerLifState
{
    /// <summary>V_membrane.</summary>
    public int Voltage;

    /// <summary>The excitatory synaptic input value.</summary>
    public int Excitatory;

    /// <summary>The inhibitory synaptic input value.</summary>
    public int Inhibitory;

    /// <summary>Steps of refractoriness left (<c>refract_timer</c>).</summary>
    public int RefractoryTimer;
}

/// <summary>
/// sPyNNaker's IF_curr_exp written from its source operation by operation (checked on hand-computed cases; the board is
/// not run here): the LIF closed form of <c>neuron_model_lif_impl.h</c>, the exponential synapses
/// of <c>synapse_types_exponential_impl.h</c> / <c>exp_synapse_utils.h</c> with <c>decay_s1615</c> (<c>decay.h</c>), and the
/// order of <c>neuron_impl_do_timestep_update</c> (<c>neuron_impl_standard.h</c>); the multiplications are spinn_common's
/// <c>__stdfix_smul_k_round_nearest</c> (<c>round.h</c>).
/// </summary>
public static class SpiNNakerLif
{
    /// <summary>
    /// <c>__stdfix_smul_k_round_nearest(x, y)</c>: −1.0·−1.0 → INT32_MAX; otherwise the 64-bit product rounded to
    /// nearest (ties up) by <c>__stdfix_round_s64(·, 15)</c>, shifted right 15 and saturated by <c>__stdfix_sat_k</c>.
    /// </summary>
    public static int MultiplyAccum(int x, int y)
    {
        if (x == int.MinValue && y == int.MinValue) return int.MaxValue;
        long product = (long)x * y;
        long rounded = (product >> 15) + ((product >> 14) & 1);
        return (int)FixedArithmetic.Saturate(rounded, 32);
    }

    /// <summary><c>decay_s1615(x, decay)</c>: (int64 x · uint32 decay) &gt;&gt; 32 — floor.</summary>
    public static int DecayS1615(int x, uint decay) => (int)(((long)x * decay) >> 32);

    /// <summary><c>synapse_row_convert_weight_to_input(weight, left_shift)</c>: the ring-buffer sum shifted into s16.15.</summary>
    public static int ConvertWeightToInput(int ringBufferValue, int leftShift) => ringBufferValue << leftShift;

    /// <summary>
    /// <c>synapse_types_add_neuron_input</c>: input_buffer += decay_s1615(input, init) for exponential synapses,
    /// input_buffer += input for delta synapses (wrapping accum adds).
    /// </summary>
    public static void AddExcitatory(ref SpiNNakerLifState state, int input, in SpiNNakerLifParameters p, SpiNNakerSynapseShape shape = SpiNNakerSynapseShape.Exponential) =>
        state.Excitatory = unchecked(state.Excitatory + (shape == SpiNNakerSynapseShape.Delta ? input : DecayS1615(input, p.ExcitatoryInit)));

    /// <summary>The inhibitory counterpart of <see cref="AddExcitatory"/>.</summary>
    public static void AddInhibitory(ref SpiNNakerLifState state, int input, in SpiNNakerLifParameters p, SpiNNakerSynapseShape shape = SpiNNakerSynapseShape.Exponential) =>
        state.Inhibitory = unchecked(state.Inhibitory + (shape == SpiNNakerSynapseShape.Delta ? input : DecayS1615(input, p.InhibitoryInit)));

    /// <summary>
    /// One step after this step's inputs were added: <c>neuron_model_state_update</c> (outside refractoriness:
    /// input = exc − inh + I_offset; α = round(input·R) + V_rest; V ← α − round(exp_TC·(α − V)); else the timer counts
    /// down), the static threshold V ≥ V_thresh with <c>neuron_model_has_spiked</c> (V ← V_reset, timer ← T_refract), and
    /// <c>synapse_types_shape_input</c> (each input ← decay_s1615(input, decay), or 0 for delta synapses). Returns whether it
    /// spiked.
    /// </summary>
    public static bool Step(ref SpiNNakerLifState state, in SpiNNakerLifParameters p, SpiNNakerSynapseShape shape = SpiNNakerSynapseShape.Exponential)
    {
        if (state.RefractoryTimer <= 0)
        {
            int input = unchecked(state.Excitatory - state.Inhibitory + p.OffsetCurrent);
            int alpha = unchecked(MultiplyAccum(input, p.Resistance) + p.RestingVoltage);
            state.Voltage = unchecked(alpha - MultiplyAccum(p.ExpTc, unchecked(alpha - state.Voltage)));
        }
        else
        {
            state.RefractoryTimer--;
        }

        bool spike = state.Voltage >= p.Threshold;
        if (spike)
        {
            state.Voltage = p.ResetVoltage;
            state.RefractoryTimer = p.RefractorySteps;
        }

        if (shape == SpiNNakerSynapseShape.Delta)
        {
            state.Excitatory = 0;
            state.Inhibitory = 0;
        }
        else
        {
            state.Excitatory = DecayS1615(state.Excitatory, p.ExcitatoryDecay);
            state.Inhibitory = DecayS1615(state.Inhibitory, p.InhibitoryDecay);
        }
        return spike;
    }
}
