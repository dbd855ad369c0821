using System;

namespace SnnDsl.FixedPoint
{
    /// <summary>Which xylosim neuron update a device uses.</summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    enum XyloCoreVersion
    {
        /// <summary>
        /// xylosim <c>v1</c> (Rockpool's XyloSim for XyloAudio 2): <c>decayState</c> decays v and every i_syn, then
        /// <c>evolve</c> does v ← sat(v + Σ i_syn); no bias.
        /// </summary>
        V1,

        /// <summary>
        /// xylosim <c>v2</c> (XyloIMU, XyloAudio 3): <c>evolve</c> decays every i_syn, then dv = sat(−Δ(v) + Σ i_syn),
        /// dv = sat(dv + bias), v ← sat(v + dv).
        /// </summary>
        V2,
    }

    /// <summary>
    /// SynSense Xylo's digital SNN core as the bit-exact simulator xylosim implements it (<c>XyloIAFNeuron.cpp</c>:
    /// <c>decay</c>, <c>receiveSpike</c>, <c>evolve</c>; <c>XyloIAFNeuron.h</c>: <c>safe_add</c> and the constants;
    /// <c>XyloLayer.cpp</c>: <c>evolve</c>, <c>deliver_spikes</c>, <c>evolve_neurons</c>; the package xylosim 0.1.2 that
    /// Rockpool's <c>XyloSim</c> wraps), with the device sizes of Rockpool's documentation and mappers
    /// (synsense/rockpool <c>docs/devices/xylo-overview.ipynb</c>, <c>devices/xylo/syns61201/xylo_mapper.py</c>,
    /// <c>syns63300</c>, <c>syns65302</c>).
    /// <para>Per step: input events add w·2^shift to i_syn (16-bit saturating); hidden spike counts of the previous
    /// step are delivered likewise to hidden and readout neurons; each neuron decays i_syn ← i_syn − Δ(i_syn, dash_syn)
    /// with Δ(x, d) = x &gt;&gt; d, or sign(x) when that is 0; dv = sat(−Δ(v, dash_mem) + Σ i_syn) (+ bias);
    /// v ← sat(v + dv); while v ≥ θ and n &lt; cap: n += 1, v −= θ.</para>
    /// </summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    sealed record XyloProfile : TargetProfile
    {
        /// <summary>A profile with the named device's sizes.</summary>
        public XyloProfile(string device, XyloCoreVersion coreVersion, int hiddenNeurons, int outputNeurons, int synapticStatesPerHidden, int maxFanOut, int? inputExpansionNeurons, int? outputExpansionNeurons)
        {
            Device = device;
            CoreVersion = coreVersion;
            HiddenNeurons = hiddenNeurons;
            OutputNeurons = outputNeurons;
            SynapticStatesPerHidden = synapticStatesPerHidden;
            MaxFanOut = maxFanOut;
            InputExpansionNeurons = inputExpansionNeurons;
            OutputExpansionNeurons = outputExpansionNeurons;
        }

        /// <inheritdoc/>
        public override string Name => Device;

        /// <summary>
        /// 0: input events of step t reach the hidden neurons at step t. (Hidden spikes reach hidden and readout neurons
        /// one step later: <see cref="HiddenSpikeLatency"/>.)
        /// </summary>
        public override int ConnectionLatency => 0;

        /// <summary><c>while (v_mem &gt;= v_th)</c>.</summary>
        public override SpikeComparison Comparison => SpikeComparison.GreaterOrEqual;

        /// <summary>Subtractive, several spikes per step up to the cap.</summary>
        public override ResetKind Reset => ResetKind.MultiSpikeSubtract;

        /// <summary>
        /// No multiplier: xylosim's <c>XyloIAFNeuron.cpp</c> decays by shift-and-subtract, adds weights and compares
        /// (<c>decay</c>, <c>receiveSpike</c>, <c>evolve</c>).
        /// </summary>
        public override StepOperations Operations => StepOperations.Add | StepOperations.Compare | StepOperations.Shift;

        /// <summary>The device: "XyloAudio2" (syns61201), "XyloAudio3" (syns65302) or "XyloIMU" (syns63300).</summary>
        public string Device { get; init; }

        /// <summary>The neuron update: xylosim v1 (Audio 2, no bias) or v2 (IMU, Audio 3, with bias).</summary>
        public XyloCoreVersion CoreVersion { get; init; }

        /// <summary>Steps from a hidden spike to its arrival at hidden (recurrent) and readout neurons: the layer delivers the previous step's counts.</summary>
        public int HiddenSpikeLatency { get; init; } = 1;

        /// <summary><c>BITS_STATE 16</c>: i_syn, v_mem, thresholds and biases are int16, added with <c>safe_add</c> (saturating).</summary>
        public int StateBits { get; init; } = 16;

        /// <summary><c>BITS_WEIGHT 8</c>: weights are int8 (the quantiser targets ±127).</summary>
        public int WeightBits { get; init; } = 8;

        /// <summary>
        /// Largest per-matrix weight left shift we allow. xylosim passes <c>weight &lt;&lt; shift</c> to an int16
        /// parameter, so up to 8 an int8 weight never wraps (127·2^8 = 32512, −128·2^8 = −32768); the device's own
        /// range is not published (the reference note lists it as unverified).
        /// </summary>
        public int MaxWeightShift { get; init; } = 8;

        /// <summary>Bits of the bit-shift decay parameters dash ("should be 4 bits"): 0…15.</summary>
        public int DashBits { get; init; } = 4;

        /// <summary><c>MAX_NUM_INP_SPIKES 15</c>: input events per channel per step.</summary>
        public int MaxInputSpikes { get; init; } = 15;

        /// <summary><c>MAX_NUM_SPIKES 31</c>: spikes per hidden neuron per step.</summary>
        public int MaxHiddenSpikes { get; init; } = 31;

        /// <summary><c>MAX_NUM_OUT_SPIKES 1</c>: spikes per readout neuron per step.</summary>
        public int MaxOutputSpikes { get; init; } = 1;

        /// <summary>SNN input channels (all devices: 16).</summary>
        public int InputChannels { get; init; } = 16;

        /// <summary>Hidden (reservoir) neurons: 1000 (Audio 2), 992 (Audio 3), 496 (IMU).</summary>
        public int HiddenNeurons { get; init; }

        /// <summary>Readout neurons: 8 (Audio 2), 16 (Audio 3, the mapper's design-rule check), 16 (IMU).</summary>
        public int OutputNeurons { get; init; }

        /// <summary>Synaptic states per hidden neuron: 2 (Audio 2, Audio 3), 1 (IMU); readout neurons have 1.</summary>
        public int SynapticStatesPerHidden { get; init; }

        /// <summary>Synaptic states per readout neuron: 1 (Rockpool's <c>docs/devices/xylo-overview.ipynb</c>, "Xylo in numbers").</summary>
        public int SynapticStatesPerOutput { get; init; } = 1;

        /// <summary>
        /// 0: no programmable synaptic delay. Neither the configuration Rockpool writes (<c>syns61201/xylo_samna.py</c>,
        /// <c>config_from_specification</c>) nor xylosim has one; a connection takes its fixed latency
        /// (<see cref="TargetProfile.ConnectionLatency"/> from the input, <see cref="HiddenSpikeLatency"/> between neurons).
        /// </summary>
        public int MaxDelaySteps => 0;

        /// <summary>
        /// false: weights are fixed while Xylo runs. The configuration (<c>syns61201/xylo_samna.py</c>,
        /// <c>config_from_specification</c>) holds per synapse only the int8 weight and has no plasticity field, so a learning
        /// rule has no state memory on the chip.
        /// </summary>
        public bool OnChipLearning => false;

        /// <summary>Largest number of recurrent targets of one hidden neuron: 64 (Audio 2), 1024 (Audio 3), 512 (IMU).</summary>
        public int MaxFanOut { get; init; }

        /// <summary>Audio 3 and IMU: inputs reach only the first 128 hidden neurons; null when all are reachable.</summary>
        public int? InputExpansionNeurons { get; init; }

        /// <summary>Audio 3 and IMU: only the last 128 hidden neurons drive readouts; null when all can.</summary>
        public int? OutputExpansionNeurons { get; init; }

        /// <summary>
        /// XyloIMU: at most 31,744 recurrent weights in total (Rockpool's <c>xylo-imu-intro.ipynb</c>); null when the
        /// device states no such limit.
        /// </summary>
        public int? MaxRecurrentWeights { get; init; }

        /// <summary>The largest dash, 2^<see cref="DashBits"/> − 1 = 15.</summary>
        public int MaxDash => (1 << DashBits) - 1;

        /// <summary>The largest state, 2^15 − 1.</summary>
        public int StateMax => (1 << (StateBits - 1)) - 1;

        /// <summary>The smallest state, −2^15.</summary>
        public int StateMin => -(1 << (StateBits - 1));

        /// <summary>The largest weight, 127.</summary>
        public int WeightMax => (1 << (WeightBits - 1)) - 1;

        /// <summary>The smallest weight, −128.</summary>
        public int WeightMin => -(1 << (WeightBits - 1));

        /// <summary>The decay factor of a bit-shift decay by <paramref name="dash"/>: 1 − 2^−dash (x ← x − (x &gt;&gt; dash)).</summary>
        public double DashDecay(int dash) => 1 - Math.Pow(2, -dash);

        /// <summary>
        /// The dash ∈ <paramref name="minimumDash"/>…<see cref="MaxDash"/> whose decay 1 − 2^−dash is nearest to
        /// <paramref name="decay"/> (the smaller dash on a tie).
        /// </summary>
        public int NearestDash(double decay, int minimumDash = 0)
        {
            int best = minimumDash;
            for (int d = minimumDash; d <= MaxDash; d++)
                if (Math.Abs(DashDecay(d) - decay) < Math.Abs(DashDecay(best) - decay)) best = d;
            return best;
        }
    }
}
