using System;

namespace SnnDsl.FixedPoint
{
    /// <summary>The chips SnnDsl knows, with their published parameters; change any field with <c>with { … }</c>.</summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    static class TargetProfiles
    {
        /// <summary>Loihi 1 as Lava's bit-accurate LIF and Dense models it.</summary>
        public static LoihiProfile Loihi { get; } = new LoihiProfile();

        /// <summary>XyloAudio 2 (syns61201): 1000 hidden, 8 readouts, 2 synaptic states, fan-out 64.</summary>
        public static XyloProfile XyloAudio2 { get; } = new XyloProfile("XyloAudio2", XyloCoreVersion.V1, hiddenNeurons: 1000, outputNeurons: 8, synapticStatesPerHidden: 2, maxFanOut: 64, inputExpansionNeurons: null, outputExpansionNeurons: null);

        /// <summary>XyloAudio 3 (syns65302): 992 hidden, 16 readouts (the mapper's design-rule check), 2 synaptic states, fan-out 1024, 128 input- and output-expansion neurons.</summary>
        public static XyloProfile XyloAudio3 { get; } = new XyloProfile("XyloAudio3", XyloCoreVersion.V2, hiddenNeurons: 992, outputNeurons: 16, synapticStatesPerHidden: 2, maxFanOut: 1024, inputExpansionNeurons: 128, outputExpansionNeurons: 128);

        /// <summary>XyloIMU (syns63300): 496 hidden, 16 readouts, 1 synaptic state, fan-out 512, at most 31,744 recurrent weights, 128 input- and output-expansion neurons.</summary>
        public static XyloProfile XyloImu { get; } = new XyloProfile("XyloIMU", XyloCoreVersion.V2, hiddenNeurons: 496, outputNeurons: 16, synapticStatesPerHidden: 1, maxFanOut: 512, inputExpansionNeurons: 128, outputExpansionNeurons: 128) { MaxRecurrentWeights = 31744 };

        /// <summary>The default Xylo device, <see cref="XyloAudio2"/>.</summary>
        public static XyloProfile Xylo => XyloAudio2;

        /// <summary>SpiNNaker 1 with sPyNNaker's IF_curr_exp in s16.15.</summary>
        public static SpiNNakerProfile SpiNNaker { get; } = new SpiNNakerProfile();

        /// <summary>The published profile of <paramref name="chip"/>, the one <c>[Hardware(chip)]</c> is checked against.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Not a <see cref="Chip"/> value.</exception>
        public static TargetProfile For(Chip chip) => chip switch
        {
            Chip.Loihi => Loihi,
            Chip.XyloAudio2 => XyloAudio2,
            Chip.XyloAudio3 => XyloAudio3,
            Chip.XyloImu => XyloImu,
            Chip.SpiNNaker => SpiNNaker,
            _ => throw new ArgumentOutOfRangeException(nameof(chip), chip, "Not a chip SnnDsl knows."),
        };

        /// <summary>
        /// A generic fixed-point profile: states s<paramref name="integerBits"/>.<paramref name="fractionBits"/>, weights in the
        /// same format, decays u0.<paramref name="decayFractionBits"/>.
        /// </summary>
        public static FixedProfile Fixed(int integerBits, int fractionBits, Rounding rounding = Rounding.NearestEven, Overflow overflow = Overflow.Saturate, int decayFractionBits = 16, ulong seed = 1) =>
            new FixedProfile(FixedFormat.Signed(integerBits, fractionBits), FixedFormat.Signed(integerBits, fractionBits), FixedFormat.Unsigned(0, decayFractionBits), rounding, overflow, seed);
    }
}
