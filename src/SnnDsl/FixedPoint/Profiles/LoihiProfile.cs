using System;

namespace SnnDsl.FixedPoint
{
    /// <summary>Lava's sign modes of a Dense weight matrix (<c>lava/utils/weightutils.py</c>, <c>SignMode</c>).</summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    enum LoihiSignMode
    {
        /// <summary>Weights of both signs: clipped to [−256, 255], one extra LSB dropped (even values).</summary>
        Mixed = 1,

        /// <summary>Non-negative weights, [0, 255].</summary>
        Excitatory = 2,

        /// <summary>Non-positive weights, [−255, 0].</summary>
        Inhibitory = 3,
    }

    /// <summary>
    /// Intel Loihi 1 as Lava models it bit-accurately: the CUBA LIF compartment of <c>PyLifModelBitAcc</c>
    /// (lava-nc/lava, <c>src/lava/proc/lif/models.py</c>, class <c>AbstractPyLifModelFixed</c>, <c>subthr_dynamics</c>)
    /// and the synapses of <c>PyDenseModelBitAcc</c> (<c>src/lava/proc/dense/models.py</c>, <c>run_spk</c>;
    /// <c>src/lava/utils/weightutils.py</c>, <c>clip_weights</c> and <c>truncate_weights</c>). Hardware limits not in
    /// Lava's Python model are from nengo-loihi (<c>nengo_loihi/builder/validate.py</c>, <c>hardware/validate.py</c>,
    /// <c>block.py</c>).
    /// <para>Per step: u ← sign(P)·(|P| &gt;&gt; 12) + (a_in &lt;&lt; 6) with P = u·(4096 − (du + 1)), wrapped into 24 bits;
    /// v ← clip(sign(Q)·(|Q| &gt;&gt; 12) + u + bias_mant·2^bias_exp, ±(2^23 − 1)) with Q = v·(4096 − dv);
    /// spike where v &gt; vth·2^6; v ← 0 where spiked.</para>
    /// </summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    sealed record LoihiProfile : TargetProfile
    {
        /// <inheritdoc/>
        public override string Name => "Loihi";

        /// <summary>
        /// Each Dense sends at step t the accumulation of step t − 1 (<c>PyDenseModelBitAcc.run_spk</c>: <c>a_out.send(a_buff)</c>
        /// before computing the new <c>a_buff</c>), so every connection adds one step.
        /// </summary>
        public override int ConnectionLatency => 1;

        /// <summary><c>spiking_activation</c>: <c>v &gt; effective_vth</c>, strict.</summary>
        public override SpikeComparison Comparison => SpikeComparison.Greater;

        /// <summary><c>reset_voltage</c>: <c>v[spike_vector] = 0</c>; u is not reset.</summary>
        public override ResetKind Reset => ResetKind.ToValue;

        /// <summary>
        /// <c>subthr_dynamics</c> adds, multiplies a state by its 12-bit decay register (u·(4096 − du − 1), v·(4096 − dv)),
        /// shifts right by 12 and compares; no product of two states, no division, no exponential.
        /// </summary>
        public override StepOperations Operations => StepOperations.Add | StepOperations.Compare | StepOperations.Shift | StepOperations.MultiplyByConstant;

        /// <summary>Bits of the decay constants du and dv (<c>LavaPyType(int, np.uint16, precision=12)</c>): 0…4095.</summary>
        public int DecayBits { get; init; } = 12;

        /// <summary>The decay's right shift, <c>decay_shift = 12</c>; the unity is 2^12 = 4096.</summary>
        public int DecayShift { get; init; } = 12;

        /// <summary><c>ds_offset = 1</c>: added to du, so the current's decay factor is (4096 − du − 1)/4096.</summary>
        public int CurrentDecayOffset { get; init; } = 1;

        /// <summary><c>dm_offset = 0</c>: added to dv, so the voltage's decay factor is (4096 − dv)/4096.</summary>
        public int VoltageDecayOffset { get; init; }

        /// <summary><c>uv_bitwidth = 24</c>: u and v are 24-bit states in an int32 container.</summary>
        public int StateBits { get; init; } = 24;

        /// <summary>
        /// The current wraps (Lava: <c>where(u &gt; 2^23, u − 2^24, u)</c>, then <c>where(u ≤ −2^23, u + 2^24, u)</c> — a
        /// single correction, as the model writes it; nengo-loihi's emulator wraps modulo 2^24).
        /// </summary>
        public Overflow CurrentOverflow { get; init; } = Overflow.Wrap;

        /// <summary>The voltage saturates: <c>np.clip(v, −2^23 + 1, 2^23 − 1)</c>.</summary>
        public Overflow VoltageOverflow { get; init; } = Overflow.Saturate;

        /// <summary><c>act_shift = 6</c>: the synaptic input a_in is shifted left by 6 before it is added to u.</summary>
        public int ActivationShift { get; init; } = 6;

        /// <summary><c>vth_shift = 6</c>: the threshold mantissa is shifted left by 6.</summary>
        public int ThresholdShift { get; init; } = 6;

        /// <summary>Threshold mantissa bits (<c>vth</c>: unsigned 17-bit, 0…131071).</summary>
        public int ThresholdMantissaBits { get; init; } = 17;

        /// <summary>Bias mantissa bits, signed (<c>bias_mant</c>: 13-bit, −4096…4095).</summary>
        public int BiasMantissaBits { get; init; } = 13;

        /// <summary>Largest bias exponent (<c>bias_exp</c>: unsigned 3-bit, 0…7); the bias is bias_mant·2^bias_exp.</summary>
        public int BiasExponentMax { get; init; } = 7;

        /// <summary>Weight bits (<c>weights</c>: <c>precision=8</c>; <c>clip_weights(…, num_bits=8)</c>).</summary>
        public int WeightBits { get; init; } = 8;

        /// <summary>Smallest weight exponent of a synapse configuration (nengo-loihi <c>validate_synapse</c>: −7…7).</summary>
        public int WeightExponentMin { get; init; } = -7;

        /// <summary>Largest weight exponent (nengo-loihi: 7).</summary>
        public int WeightExponentMax { get; init; } = 7;

        /// <summary>
        /// Bits of the Dense output a_out (<c>LavaPyType(…, np.int32, precision=16)</c>). Lava's Python model does not
        /// clip to it; the simulator reports the largest |a_in| it saw so that an overflow on the chip can be spotted.
        /// </summary>
        public int SynapticInputBits { get; init; } = 16;

        /// <summary>
        /// netx's threshold mantissa for a layer that must never spike (non-leaky integrators: <c>vThMant = 1 &lt;&lt; 17</c>):
        /// 2^17·2^6 = 2^23 exceeds the largest saturated voltage 2^23 − 1. Outside the documented 0…131071.
        /// </summary>
        public int NeverSpikeThreshold { get; init; } = 1 << 17;

        /// <summary>Compartments per neuro-core (nengo-loihi <c>block.py</c>).</summary>
        public int CompartmentsPerCore { get; init; } = 1024;

        /// <summary>Input axons per core.</summary>
        public int InputAxonsPerCore { get; init; } = 4096;

        /// <summary>Output axons per core.</summary>
        public int OutputAxonsPerCore { get; init; } = 4096;

        /// <summary>Synapse memory per core, bits (16384 words × 64).</summary>
        public int SynapseBitsPerCore { get; init; } = 16384 * 64;

        /// <summary>Neuro-cores per Loihi 1 chip.</summary>
        public int CoresPerChip { get; init; } = 128;

        /// <summary>
        /// The largest synaptic delay in steps: lava-dl's netx clips delays above 62 to 62 and rejects 63 or more
        /// (lava-nc/lava-dl <c>src/lava/lib/dl/netx/hdf5.py</c>, <c>netx/utils.py</c> <c>num_delay_bits</c>; <c>DelayDense</c>
        /// is built with <c>max_delay</c> 62).
        /// </summary>
        public int MaxDelaySteps { get; init; } = 62;

        /// <summary>
        /// Synaptic currents per compartment: one, u, which the voltage v integrates (<c>PyLifModelBitAcc</c>). A neuron
        /// maps onto a compartment when it has a membrane (the state its spike test compares) and at most this many
        /// currents.
        /// </summary>
        public int SynapticCurrents { get; init; } = 1;


        /// <summary>
        /// What the learning engine keeps for a plastic connection, as Lava's fixed-point learning model declares it
        /// (lava-nc/lava <c>src/lava/magma/core/learning/constants.py</c>: <c>W_TAG_1_S</c> = 9, <c>W_TRACE</c> = 7;
        /// <c>src/lava/magma/core/process/connection.py</c>, <c>PlasticConnectionProcess</c>: per synapse the weight, the
        /// tag <c>tag_1</c> and the delay <c>tag_2</c>; per presynaptic neuron the traces x1, x2; per postsynaptic neuron
        /// y1, y2, y3). Its rules are sums of products (<c>src/lava/magma/core/learning/symbolic_equation.py</c>,
        /// <c>SYMBOL_CLASSES</c>): +, −, × and sgn(…) of the dependencies x0, y0, u_k, the variables x1, x2, y1, y2, y3, w, d,
        /// t and integer literals x·2^y — no division, and no function of a variable.
        /// </summary>
        public LearningMemory Learning { get; init; } = new LearningMemory(synapticStates: 1, synapticStateBits: 9, presynapticTraces: 2, postsynapticTraces: 3, traceBits: 7)
        {
            Operations = StepOperations.Add | StepOperations.Shift | StepOperations.MultiplyByConstant | StepOperations.MultiplyStates,
        };

        /// <summary>The decay unity 2^<see cref="DecayShift"/> = 4096.</summary>
        public int DecayUnity => 1 << DecayShift;

        /// <summary>Largest du or dv, 2^<see cref="DecayBits"/> − 1 = 4095.</summary>
        public int MaxDecay => (1 << DecayBits) - 1;

        /// <summary>The state limit L = 2^(<see cref="StateBits"/> − 1) = 2^23.</summary>
        public int StateLimit => 1 << (StateBits - 1);

        /// <summary>Largest threshold mantissa, 2^17 − 1.</summary>
        public int MaxThresholdMantissa => (1 << ThresholdMantissaBits) - 1;

        /// <summary>Smallest bias mantissa, −2^12.</summary>
        public int MinBiasMantissa => -(1 << (BiasMantissaBits - 1));

        /// <summary>Largest bias mantissa, 2^12 − 1.</summary>
        public int MaxBiasMantissa => (1 << (BiasMantissaBits - 1)) - 1;

        /// <summary>
        /// The current decay register du ∈ 0…<see cref="MaxDecay"/> whose factor (4096 − du − <see cref="CurrentDecayOffset"/>)/4096
        /// is nearest to <paramref name="factor"/>, and that factor.
        /// </summary>
        public (int Du, double Factor) CurrentDecay(double factor)
        {
            int du = NearestDecayRegister(factor, CurrentDecayOffset);
            return (du, (DecayUnity - du - CurrentDecayOffset) / (double)DecayUnity);
        }

        /// <summary>
        /// The voltage decay register dv ∈ 0…<see cref="MaxDecay"/> whose factor (4096 − dv − <see cref="VoltageDecayOffset"/>)/4096
        /// is nearest to <paramref name="factor"/>, and that factor.
        /// </summary>
        public (int Dv, double Factor) VoltageDecay(double factor)
        {
            int dv = NearestDecayRegister(factor, VoltageDecayOffset);
            return (dv, (DecayUnity - dv - VoltageDecayOffset) / (double)DecayUnity);
        }

        private int NearestDecayRegister(double factor, int offset)
        {
            if (double.IsNaN(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "A decay factor must be a number.");
            double register = DecayUnity - offset - Math.Round(DecayUnity * factor);
            return register <= 0 ? 0 : register >= MaxDecay ? MaxDecay : (int)register;
        }
    }
}
