namespace SnnDsl.FixedPoint
{
    /// <summary>
    /// A generic fixed-point arithmetic for the built-in neurons' own equations (same timing, same spike test, same
    /// reset as the float kernels): states in <see cref="StateFormat"/>, weights in <see cref="WeightFormat"/>, decays
    /// as unsigned fractions in <see cref="DecayFormat"/>; every product is rounded with <see cref="Rounding"/> and every
    /// result brought back into the state format with <see cref="Overflow"/>. Stochastic rounding draws from a generator
    /// seeded with <see cref="Seed"/> (one stream per sample, so results do not depend on the thread count).
    /// </summary>
#if SNNDSL_ANALYZERS
    internal
#else
    public
#endif
    sealed record FixedProfile : TargetProfile
    {
        /// <summary>A profile with the given formats, rounding and overflow.</summary>
        public FixedProfile(FixedFormat stateFormat, FixedFormat weightFormat, FixedFormat decayFormat, Rounding rounding, Overflow overflow, ulong seed = 1)
        {
            StateFormat = stateFormat;
            WeightFormat = weightFormat;
            DecayFormat = decayFormat;
            Rounding = rounding;
            Overflow = overflow;
            Seed = seed;
        }

        /// <inheritdoc/>
        public override string Name => $"Fixed(state {StateFormat}, weight {WeightFormat}, decay {DecayFormat}, {Rounding}, {Overflow})";

        /// <summary>Same delays as the float network.</summary>
        public override int ConnectionLatency => 0;

        /// <summary>The built-ins' U &gt; ϑ.</summary>
        public override SpikeComparison Comparison => SpikeComparison.Greater;

        /// <summary>The built-ins' U ← U − ϑ.</summary>
        public override ResetKind Reset => ResetKind.Subtract;

        /// <summary>Integer additions, multiplications by decay factors, rounding shifts and comparisons (<c>FixedNeurons</c>).</summary>
        public override StepOperations Operations => StepOperations.Add | StepOperations.Compare | StepOperations.Shift | StepOperations.MultiplyByConstant;

        /// <summary>Format of states, thresholds and biases (signed).</summary>
        public FixedFormat StateFormat { get; init; }

        /// <summary>Format of weights (signed).</summary>
        public FixedFormat WeightFormat { get; init; }

        /// <summary>Format of decay factors (unsigned, e.g. u0.16: factor k/2^16).</summary>
        public FixedFormat DecayFormat { get; init; }

        /// <summary>Rounding of products (decay × state) and of parameters when they are quantized.</summary>
        public Rounding Rounding { get; init; }

        /// <summary>What a state does outside <see cref="StateFormat"/>.</summary>
        public Overflow Overflow { get; init; }

        /// <summary>Seed of stochastic rounding.</summary>
        public ulong Seed { get; init; }
    }
}
