namespace SnnDsl
{
    /// <summary>
    /// A chip a network, neuron, synapse or learning rule can be marked for with <c>[Hardware(Chip.…)]</c>; the analyzers
    /// then check the declaration against the chip's target profile (<c>SnnDsl.FixedPoint.TargetProfiles.For</c>).
    /// </summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    enum Chip
    {
        /// <summary>Intel Loihi 1 as Lava's bit-accurate LIF and Dense models it (<c>TargetProfiles.Loihi</c>).</summary>
        Loihi,

        /// <summary>SynSense XyloAudio 2, syns61201 (<c>TargetProfiles.XyloAudio2</c>).</summary>
        XyloAudio2,

        /// <summary>SynSense XyloAudio 3, syns65302 (<c>TargetProfiles.XyloAudio3</c>).</summary>
        XyloAudio3,

        /// <summary>SynSense XyloIMU, syns63300 (<c>TargetProfiles.XyloImu</c>).</summary>
        XyloImu,

        /// <summary>SpiNNaker 1 with sPyNNaker's IF_curr_exp (<c>TargetProfiles.SpiNNaker</c>).</summary>
        SpiNNaker,
    }
}
