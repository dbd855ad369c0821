using System.Collections.Generic;
using System.Linq;
using SnnDsl.FixedPoint;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Passes;

/// <summary>A neuron lowered to a chip: the integer kernel, or why it cannot be (each reason names the construct).</summary>
internal sealed record LoweringResult(IntegerKernel? Kernel, EquatableArray<string> Reasons);

/// <summary>
/// Lowers a neuron's float dynamics to a target profile's integer arithmetic (docs/fixed-point.md, "Generated integer
/// kernels"). Every number of the integer step — decay shift and offsets, state width, wrap or saturate, input and
/// threshold shifts, the spike comparison, the reset — is read from the runtime's profile (src/SnnDsl/FixedPoint/Profiles,
/// compiled into the generator), so the kernel and the runtime's reference simulators cannot disagree about the chip.
/// </summary>
internal static class FixedPointLowering
{
    public static LoweringResult Lower(NeuronModel neuron, Chip chip)
    {
        var reasons = new List<string>();
        Unsupported(neuron, chip.ToString(), reasons);
        if (reasons.Count > 0) return Failed(reasons);
        return TargetProfiles.For(chip) switch
        {
            LoihiProfile loihi => LowerToLoihi(neuron, loihi),
            XyloProfile xylo => LowerToXylo(neuron, xylo, chip),
            SpiNNakerProfile spinnaker => LowerToSpiNNaker(neuron, spinnaker),
            _ => Failed([$"{chip} has no generated integer step"]),
        };
    }

    /// <summary>Operations no integer step has: the transcendental functions and a division by a state.</summary>
    private static void Unsupported(NeuronModel neuron, string chip, List<string> reasons)
    {
        void Check(string method, Expr expr)
        {
            IrWalker.Any(expr, e =>
            {
                if (e is Call { Function: MathFunction.Exp or MathFunction.Log or MathFunction.Tanh or MathFunction.Sqrt or MathFunction.Pow } call)
                    reasons.Add($"MathF.{call.Function} in {method} ({IrText.Print(call)}): {chip}'s step has no {Describe(call.Function)}");
                else if (e is Binary { Op: BinaryOp.Divide } division && IrWalker.Any(division.Right, d => d is StateRef))
                    reasons.Add($"the division {IrText.Print(division)} in {method} divides by a state; {chip}'s step has no divider");
                return false;
            });
        }
        foreach (Assign a in neuron.Integrate.Statements) Check("Integrate", a.Value);
        if (neuron.Fires is { } fires)
            foreach (Expr side in Sides(fires)) Check("the firing condition", side);
        foreach (Assign a in neuron.Reset.Statements) Check("Reset", a.Value);
    }

    private static IEnumerable<Expr> Sides(Cond cond) => cond switch
    {
        Compare c => [c.Left, c.Right],
        Logical l => Sides(l.Left).Concat(Sides(l.Right)),
        Not n => Sides(n.Operand),
        _ => [],
    };

    private static string Describe(MathFunction function) => function switch
    {
        MathFunction.Exp => "exponential",
        MathFunction.Log => "logarithm",
        MathFunction.Tanh => "hyperbolic tangent",
        MathFunction.Sqrt => "square root",
        _ => "power",
    };

    /// <summary>
    /// Loihi's CUBA compartment (<c>PyLifModelBitAcc</c>): the neuron must be I = α·I + input; U = β·U + I with α, β
    /// [Param]s, fire on U &gt; ϑ with ϑ a [Param], and reset U to 0. A membrane bias U = β·U + I + b ([Param] b) becomes
    /// Lava's bias_mant·2^bias_exp (<c>scale_bias</c>).
    /// </summary>
    private static LoweringResult LowerToLoihi(NeuronModel neuron, LoihiProfile profile)
    {
        const string shape = "Loihi's compartment is 'I = α * I + input; U = β * U + I', fires on 'U > ϑ' and resets 'U = 0' (α, β, ϑ [Param]s)";
        var chip = new ChipShape("Loihi", shape, ["du", "dv", "vth", "bias_mant", "bias_exp"],
            "Loihi holds a decay in a register per population", "Loihi multiplies a state by a 12-bit register only");
        var reasons = new List<string>();
        Cuba? cuba = CubaShape(neuron, chip, reasons);
        if (cuba is null) return Failed(reasons);
        (string i, string u, string alpha, string beta, string threshold, CompareOp comparison, string? bias) = cuba;

        bool strict = profile.Comparison == SpikeComparison.Greater;
        if (comparison != (strict ? CompareOp.Greater : CompareOp.GreaterOrEqual))
            reasons.Add($"the firing condition '{IrText.Print(neuron.Fires!)}' compares with {comparison.Symbol()}; Loihi fires where v {(strict ? ">" : ">=")} vth·2^{profile.ThresholdShift}");
        if (neuron.Reset.Statements is not [{ IsState: true, Value: Const { Value: 0f } } reset] || reset.Name != u)
            reasons.Add(neuron.Reset.Statements.Count == 0
                ? $"the neuron has no reset; Loihi sets v to 0 where it spikes"
                : $"the reset '{IrText.Print(neuron.Reset)}': Loihi sets v to 0 where it spikes (reset_voltage); subtraction is not what the chip does");
        if (reasons.Count > 0) return Failed(reasons);

        int unity = 1 << profile.DecayShift, bits = profile.StateBits;
        string port = neuron.Ports[0];
        IntExpr Fit(IntExpr value, Overflow overflow) => overflow == Overflow.Wrap ? new IntWrap(value, bits) : new IntSaturate(value, bits);
        string OverflowText(Overflow overflow) => overflow == Overflow.Wrap ? $"wrapped into {bits} bits" : $"saturated to ±(2^{bits - 1} − 1)";
        IntExpr Factor(string register, int offset) =>
            new IntSubtract(new IntConst(unity), offset == 0 ? new IntParam(register) : new IntAdd(new IntParam(register), new IntConst(offset)));
        string FactorText(string register, int offset) => offset == 0 ? $"({unity} − {register})" : $"({unity} − ({register} + {offset}))";

        var currentUpdate = new IntAssign(i, Fit(
            new IntAdd(
                new IntMultiplyShiftTowardZero(new IntState(i), Factor("du", profile.CurrentDecayOffset), profile.DecayShift),
                new IntShiftLeft(new IntInput(port), profile.ActivationShift)),
            profile.CurrentOverflow),
            $"u ← sign(P)·(|P| >> {profile.DecayShift}) + (a_in << {profile.ActivationShift}), P = u·{FactorText("du", profile.CurrentDecayOffset)}, {OverflowText(profile.CurrentOverflow)}");
        IntExpr decayedVoltage = new IntAdd(
            new IntMultiplyShiftTowardZero(new IntState(u), Factor("dv", profile.VoltageDecayOffset), profile.DecayShift),
            new IntState(i));
        var voltageUpdate = new IntAssign(u, Fit(
            bias is null ? decayedVoltage : new IntAdd(decayedVoltage, new IntShiftLeftBy(new IntParam("bias_mant"), new IntParam("bias_exp"))),
            profile.VoltageOverflow),
            $"v ← sign(Q)·(|Q| >> {profile.DecayShift}) + u{(bias is null ? "" : " + (bias_mant << bias_exp)")}, Q = v·{FactorText("dv", profile.VoltageDecayOffset)}, {OverflowText(profile.VoltageOverflow)}");
        var biasParameters = bias is null ? [] : new[]
        {
            new IntParameter("bias_mant", bias, profile.MinBiasMantissa, profile.MaxBiasMantissa, $"bias mantissa: {bias} = bias_mant·2^bias_exp in state units (scale_bias)"),
            new IntParameter("bias_exp", null, 0, profile.BiasExponentMax, "bias exponent"),
        };
        var parameters = new[]
        {
            new IntParameter("du", alpha, 0, profile.MaxDecay, $"current decay register: {alpha} = ({unity} − du − {profile.CurrentDecayOffset})/{unity}"),
            new IntParameter("dv", beta, 0, profile.MaxDecay, $"voltage decay register: {beta} = ({unity} − dv{(profile.VoltageDecayOffset == 0 ? "" : $" − {profile.VoltageDecayOffset}")})/{unity}"),
            new IntParameter("vth", threshold, 0, profile.NeverSpikeThreshold, $"threshold mantissa: {threshold} = vth·2^{profile.ThresholdShift} in state units"),
        }.Concat(biasParameters).ToArray();
        var kernel = new IntegerKernel(
            nameof(Chip.Loihi),
            "Lava PyLifModelBitAcc (lava-nc/lava src/lava/proc/lif/models.py, subthr_dynamics, spiking_activation, reset_voltage)",
            $"{bits}-bit",
            "a_in, before its shift",
            new[] { i, u }.ToEquatableArray(),
            new[] { port }.ToEquatableArray(),
            parameters.ToEquatableArray(),
            new[] { currentUpdate, voltageUpdate }.ToEquatableArray(),
            u,
            strict,
            new IntShiftLeft(new IntParam("vth"), profile.ThresholdShift),
            $"s ← v {(strict ? ">" : ">=")} vth << {profile.ThresholdShift}",
            new[] { new IntAssign(u, new IntConst(0), "v ← 0 where s (u keeps its value)") }.ToEquatableArray());
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>
    /// Xylo's IAF neuron (xylosim <c>XyloIAFNeuron.cpp</c>, v1 or v2 as the device's <see cref="XyloProfile.CoreVersion"/>):
    /// the neuron must be I = α·I + input; U = β·U + I with α, β [Param]s, fire on U ≥ ϑ (or U &gt; ϑ: the chip's test is
    /// ≥ either way, as the quantizer maps <c>CubaLif</c>) with ϑ a [Param], and reset by subtracting ϑ from U — which
    /// the chip repeats while U ≥ ϑ, up to its spike cap (docs/fixed-point.md, "Which built-in maps to which chip model").
    /// </summary>
    private static LoweringResult LowerToXylo(NeuronModel neuron, XyloProfile profile, Chip chipName)
    {
        const string shape = "Xylo's neuron is 'I = α * I + input; U = β * U + I', fires on 'U >= ϑ' and resets 'U -= ϑ' (α, β, ϑ [Param]s)";
        var chip = new ChipShape("Xylo", shape, ["dash_syn", "dash_mem", "v_th", "max_spikes"],
            "Xylo holds a decay as a dash register per neuron", "Xylo decays a state by a bit shift only");
        var reasons = new List<string>();
        Cuba? cuba = CubaShape(neuron, chip, reasons);
        if (cuba is null) return Failed(reasons);
        (string i, string u, string alpha, string beta, string threshold, _, _) = cuba;
        NoBias(cuba, chipName.ToString(), reasons);

        if (neuron.Reset.Statements is not [{ IsState: true, Value: Binary { Op: BinaryOp.Subtract, Left: StateRef { Name: var left }, Right: ParamRef { Name: var subtracted } } } reset]
            || reset.Name != u || left != u || subtracted != threshold)
            reasons.Add(neuron.Reset.Statements.Count == 0
                ? $"the neuron has no reset; Xylo subtracts v_th from v for each spike"
                : $"the reset '{IrText.Print(neuron.Reset)}': Xylo subtracts the threshold, '{u} -= {threshold}', for each spike (evolve); another reset is not what the chip does");
        if (reasons.Count > 0) return Failed(reasons);

        // Every number from the profile: 16-bit states saturated by safe_add, 4-bit dashes, the spike caps.
        int min = profile.StateMin, max = profile.StateMax, bits = profile.StateBits;
        string port = neuron.Ports[0];
        IntExpr Saturate(IntExpr value) => new IntClamp(value, min, max);
        IntExpr Decrement(string state, string dash) => new IntShiftDecrement(new IntState(state), new IntParam(dash));
        string range = $"saturated to −2^{bits - 1}…2^{bits - 1} − 1";

        var updates = new List<IntAssign>
        {
            new(i, Saturate(new IntAdd(new IntState(i), new IntInput(port))), $"i_syn ← safe_add(i_syn, x): this step's input, {range} (receiveSpike)"),
            new(i, new IntSubtract(new IntState(i), Decrement(i, "dash_syn")), "i_syn ← i_syn − Δ(i_syn, dash_syn), Δ(x, d) = x >> d, or sign(x) where that is 0 (decay)"),
        };
        updates.Add(profile.CoreVersion == XyloCoreVersion.V1
            ? new IntAssign(u, Saturate(new IntAdd(new IntSubtract(new IntState(u), Decrement(u, "dash_mem")), new IntState(i))),
                $"v_mem ← safe_add(v_mem − Δ(v_mem, dash_mem), i_syn), {range} (v1: decayState, evolve)")
            : new IntAssign(u, Saturate(new IntAdd(new IntState(u),
                    Saturate(new IntAdd(new IntTruncate(new IntSubtract(new IntConst(0), Decrement(u, "dash_mem")), bits), new IntState(i))))),
                $"v_mem ← safe_add(v_mem, dv), dv = safe_add((int{bits}) −Δ(v_mem, dash_mem), i_syn), {range} (v2: evolve, no bias)"));

        var parameters = new[]
        {
            new IntParameter("dash_syn", alpha, 0, profile.MaxDash, $"synaptic decay shift: {alpha} = 1 − 2^−dash_syn (XyloProfile.NearestDash)"),
            new IntParameter("dash_mem", beta, 0, profile.MaxDash, $"membrane decay shift: {beta} = 1 − 2^−dash_mem (XyloProfile.NearestDash)"),
            new IntParameter("v_th", threshold, 1, max, $"threshold: {threshold} = v_th in state units"),
            new IntParameter("max_spikes", null, 1, profile.MaxHiddenSpikes,
                $"spike cap of this step: {profile.MaxHiddenSpikes} for a hidden neuron (MAX_NUM_SPIKES), {profile.MaxOutputSpikes} for a readout (MAX_NUM_OUT_SPIKES)"),
        };
        var kernel = new IntegerKernel(
            chipName.ToString(),
            $"xylosim {profile.CoreVersion.ToString().ToLowerInvariant()} (XyloIAFNeuron.cpp: receiveSpike, decay, evolve; XyloIAFNeuron.h: safe_add)",
            $"{bits}-bit",
            "the summed weight << shift of this step's events",
            new[] { i, u }.ToEquatableArray(),
            new[] { port }.ToEquatableArray(),
            parameters.ToEquatableArray(),
            updates.ToEquatableArray(),
            u,
            StrictComparison: false,
            new IntParam("v_th"),
            "while v_mem >= v_th and n < max_spikes: n ← n + 1, then the reset",
            new[] { new IntAssign(u, new IntTruncate(new IntSubtract(new IntState(u), new IntParam("v_th")), bits), $"v_mem ← (int{bits})(v_mem − v_th) (i_syn keeps its value)") }.ToEquatableArray(),
            SpikeCap: new IntParam("max_spikes"));
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>
    /// sPyNNaker's IF_curr_exp with one exponential synapse, V_rest = 0, I_offset = 0, V_reset = 0 and no refractory
    /// period (<c>neuron_model_lif_impl.h</c>, <c>synapse_types_exponential_impl.h</c>, <c>neuron_impl_standard.h</c>): the
    /// neuron must be I = α·I + input; U = β·U + I with α, β [Param]s, fire on U ≥ ϑ (or U &gt; ϑ: the chip's static
    /// threshold is ≥ either way, as the quantizer maps <c>CubaLifZeroReset</c>) with ϑ a [Param], and reset U to 0.
    /// With R = 1/(1 − β) the closed form α′ = I·R, V ← α′ − exp_TC·(α′ − V) is V ← βV + I.
    /// </summary>
    private static LoweringResult LowerToSpiNNaker(NeuronModel neuron, SpiNNakerProfile profile)
    {
        const string shape = "sPyNNaker's IF_curr_exp is 'I = α * I + input; U = β * U + I', fires on 'U >= ϑ' and resets 'U = 0' (α, β, ϑ [Param]s)";
        var chip = new ChipShape("SpiNNaker", shape, ["exp_TC", "R_membrane", "V_thresh", "decay", "init"],
            "sPyNNaker holds a decay per neuron (exp_TC, decay)", "sPyNNaker multiplies a state by a constant of the neuron only");
        var reasons = new List<string>();
        Cuba? cuba = CubaShape(neuron, chip, reasons);
        if (cuba is null) return Failed(reasons);
        (string i, string u, string alpha, string beta, string threshold, _, _) = cuba;
        NoBias(cuba, "SpiNNaker", reasons);
        if (neuron.Reset.Statements is not [{ IsState: true, Value: Const { Value: 0f } } reset] || reset.Name != u)
            reasons.Add(neuron.Reset.Statements.Count == 0
                ? "the neuron has no reset; sPyNNaker sets V to V_reset where it spikes"
                : $"the reset '{IrText.Print(neuron.Reset)}': sPyNNaker sets V to V_reset = 0 where it spikes (neuron_model_has_spiked); subtraction is not what the chip does");
        if (reasons.Count > 0) return Failed(reasons);

        // s16.15 accum products rounded to nearest (ties up) and saturated; u0.32 decays floored; accum additions wrap.
        int fraction = profile.Accum.FractionBits;
        string port = neuron.Ports[0];
        const string drive = "__alpha";
        var updates = new[]
        {
            new IntAssign(i, new IntAdd(new IntState(i), new IntMultiplyUnsignedFraction(new IntInput(port), new IntParam("init"))),
                "I ← I + ⌊x·init⌋, init in u0.32 (synapse_types_add_neuron_input, decay_s1615); the addition wraps"),
            new IntAssign(drive, new IntMultiplyRoundNearest(new IntState(i), new IntParam("R_membrane"), fraction),
                $"α ← round(I·R) + V_rest, V_rest = 0: the accum product rounded to nearest (ties up), saturated (lif_neuron_closed_form)"),
            new IntAssign(u, new IntSubtract(new IntState(drive), new IntMultiplyRoundNearest(new IntSubtract(new IntState(drive), new IntState(u)), new IntParam("exp_TC"), fraction)),
                "V ← α − round(exp_TC·(α − V)); the subtractions wrap"),
        };
        var parameters = new[]
        {
            new IntParameter("exp_TC", beta, 0, 1 << fraction, $"membrane decay exp(−Δt/τ_m) in s16.15: {beta} = exp_TC/2^{fraction}"),
            new IntParameter("R_membrane", null, int.MinValue, int.MaxValue, $"membrane resistance R in s16.15: 2^{fraction}/(1 − {beta}) makes V ← {beta}·V + I"),
            new IntParameter("V_thresh", threshold, int.MinValue, int.MaxValue, $"threshold in s16.15: {threshold} = V_thresh/2^{fraction}"),
            new IntParameter("decay", alpha, 0, 0, $"synaptic decay exp(−Δt/τ_syn) in u0.32: {alpha} = decay/2^32", Unsigned: true),
            new IntParameter("init", null, 0, 0, "input scaling init in u0.32 (τ_syn/Δt·(1 − decay) in sPyNNaker; weights ÷ init as the quantizer sets them)", Unsigned: true),
        };
        bool strict = profile.Comparison == SpikeComparison.Greater;
        var kernel = new IntegerKernel(
            nameof(Chip.SpiNNaker),
            "sPyNNaker IF_curr_exp (neuron_model_lif_impl.h, synapse_types_exponential_impl.h, neuron_impl_standard.h; spinn_common round.h)",
            "s16.15",
            "the s16.15 input of the step: the ring-buffer sum << its shift",
            new[] { i, u }.ToEquatableArray(),
            new[] { port }.ToEquatableArray(),
            parameters.ToEquatableArray(),
            updates.ToEquatableArray(),
            u,
            strict,
            new IntParam("V_thresh"),
            $"s ← V {(strict ? ">" : ">=")} V_thresh (threshold_type_static)",
            new[] { new IntAssign(u, new IntConst(0), "V ← V_reset = 0 where s (neuron_model_has_spiked)") }.ToEquatableArray(),
            AfterSpike: new[] { new IntAssign(i, new IntMultiplyUnsignedFraction(new IntState(i), new IntParam("decay")), "I ← ⌊I·decay⌋, decay in u0.32, after the update (synapse_types_shape_input)") }.ToEquatableArray(),
            Wrapping: true);
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>The name of the kernel a [FixedPointFormat] asks for.</summary>
    public const string FixedMethodName = "StepFixed";

    /// <summary>
    /// A generic fixed-point format (<see cref="TargetProfiles.Fixed"/>, <c>FixedNeurons</c>): the neuron keeps its own
    /// equations — I = α·I + input; U = β·U + I, U &gt; ϑ, and U ← U − ϑ or U ← 0 — with raw integers: each decay product
    /// rounded with the format's rounding, each sum wrapped or saturated into the state format.
    /// </summary>
    public static LoweringResult LowerToFixed(NeuronModel neuron, int integerBits, int fractionBits, Rounding rounding, Overflow overflow, int decayFractionBits)
    {
        var reasons = new List<string>();
        int bits = 1 + integerBits + fractionBits;
        if (integerBits < 0 || fractionBits < 0 || bits > 30)
            reasons.Add($"s{integerBits}.{fractionBits} is not a state format of the kernel: integer and fraction bits ≥ 0, 1 + {integerBits} + {fractionBits} ≤ 30 (so that a sum of two states and an input fits an int)");
        if (decayFractionBits < 1 || decayFractionBits > 30)
            reasons.Add($"u0.{decayFractionBits} is not a decay format of the kernel: 1…30 fraction bits (a decay is an int argument)");
        if (rounding == Rounding.Stochastic)
            reasons.Add("stochastic rounding draws from a generator in the reference's order, neuron after neuron; the vectorized StepFixed rounds deterministically (Floor, TowardZero, NearestHalfUp, NearestEven)");
        if (reasons.Count > 0) return Failed(reasons);
        string chipName = $"Fixed(s{integerBits}.{fractionBits})";
        Unsupported(neuron, chipName, reasons);
        if (reasons.Count > 0) return Failed(reasons);

        const string shape = "a Fixed kernel is generated for 'I = α * I + input; U = β * U + I', firing on 'U > ϑ' and resetting 'U -= ϑ' or 'U = 0' (α, β, ϑ [Param]s), as FixedNeurons computes them";
        var chip = new ChipShape(chipName, shape, [],
            "the Fixed kernel takes each decay as a raw argument", "the Fixed kernel multiplies a state by a decay argument only");
        Cuba? cuba = CubaShape(neuron, chip, reasons);
        if (cuba is null) return Failed(reasons);
        (string i, string u, string alpha, string beta, string threshold, CompareOp comparison, _) = cuba;
        NoBias(cuba, "Fixed", reasons);
        if (comparison != CompareOp.Greater)
            reasons.Add($"the firing condition '{IrText.Print(neuron.Fires!)}' compares with {comparison.Symbol()}; FixedNeurons fires where U > ϑ, as the built-ins");
        if (new[] { alpha, beta, threshold }.Distinct().Count() < 3)
            reasons.Add($"α '{alpha}', β '{beta}' and ϑ '{threshold}' are each an argument of StepFixed; use a [Param] for each");
        foreach (string name in new[] { alpha, beta, threshold }.Distinct().Where(n => Reserved(n) || neuron.Ports.Contains(n)))
            reasons.Add($"the [Param] '{name}' is an argument of StepFixed and has the name of an argument or local of the kernel; rename it");
        bool zeroReset = neuron.Reset.Statements is [{ IsState: true, Value: Const { Value: 0f } } zero] && zero.Name == u;
        bool subtractReset = neuron.Reset.Statements is [{ IsState: true, Value: Binary { Op: BinaryOp.Subtract, Left: StateRef { Name: var left }, Right: ParamRef { Name: var subtracted } } } sub]
            && sub.Name == u && left == u && subtracted == threshold;
        if (!zeroReset && !subtractReset)
            reasons.Add($"the reset '{IrText.Print(neuron.Reset)}': {shape}");
        if (reasons.Count > 0) return Failed(reasons);

        FixedFormat state = FixedFormat.Signed(integerBits, fractionBits);
        IntExpr Fit(IntExpr value) => overflow == Overflow.Wrap ? new IntTruncate(value, bits) : new IntClamp(value, (int)state.MinRaw, (int)state.MaxRaw);
        string fit = overflow == Overflow.Wrap ? $"wrapped into {state}" : $"saturated to {state}";
        IntExpr Decayed(string name, string decay) => new IntMultiplyShift(new IntState(name), new IntParam(decay), decayFractionBits, rounding);
        string port = neuron.Ports[0];
        var updates = new[]
        {
            new IntAssign(i, Fit(new IntAdd(Decayed(i, alpha), new IntInput(port))), $"I ← fit(round(α·I >> {decayFractionBits}) + x), {rounding}, {fit}"),
            new IntAssign(u, Fit(new IntAdd(Decayed(u, beta), new IntState(i))), $"U ← fit(round(β·U >> {decayFractionBits}) + I), {rounding}, {fit}"),
        };
        var parameters = new[]
        {
            new IntParameter(alpha, alpha, 0, (int)((1L << decayFractionBits) - 1), $"raw u0.{decayFractionBits} of {alpha}"),
            new IntParameter(beta, beta, 0, (int)((1L << decayFractionBits) - 1), $"raw u0.{decayFractionBits} of {beta}"),
            new IntParameter(threshold, threshold, (int)state.MinRaw, (int)state.MaxRaw, $"raw {state} of {threshold}"),
        };
        var kernel = new IntegerKernel(
            "Fixed",
            $"SnnDsl.FixedPoint.FixedNeurons ({state} states, u0.{decayFractionBits} decays, {rounding}, {overflow})",
            state.ToString(),
            $"raw {state}",
            new[] { i, u }.ToEquatableArray(),
            new[] { port }.ToEquatableArray(),
            parameters.ToEquatableArray(),
            updates.ToEquatableArray(),
            u,
            StrictComparison: true,
            new IntParam(threshold),
            $"s ← U > {threshold}",
            new[] { zeroReset
                ? new IntAssign(u, new IntConst(0), "U ← 0 where s")
                : new IntAssign(u, Fit(new IntSubtract(new IntState(u), new IntParam(threshold))), $"U ← fit(U − ϑ) where s, {fit}") }.ToEquatableArray());
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>What a chip's messages name: the chip, its neuron's shape, its registers (kernel arguments) and how it decays.</summary>
    private sealed record ChipShape(string Chip, string Shape, string[] Registers, string ConstantDecay, string OtherDecay);

    /// <summary>
    /// A two-state current-based neuron: current I, membrane U, their decays α, β, the threshold ϑ, the test, and the
    /// [Param] b of a membrane bias U = β·U + I + b (null without one).
    /// </summary>
    private sealed record Cuba(string I, string U, string Alpha, string Beta, string Threshold, CompareOp Comparison, string? Bias);

    /// <summary>
    /// The CUBA shape every chip's neuron shares: one port, no [PreviousSpike], I = α * I + input; U = β * U + I with α,
    /// β [Param]s, fired by U compared with a [Param]; null with the reasons otherwise. The reset is the chip's rule.
    /// </summary>
    private static Cuba? CubaShape(NeuronModel neuron, ChipShape chip, List<string> reasons)
    {
        if (neuron.PreviousSpike is not null) reasons.Add($"the [PreviousSpike] state '{neuron.PreviousSpike}': {chip.Shape}, with no state beside I and U");
        if (neuron.Ports.Count != 1) reasons.Add($"Integrate has {neuron.Ports.Count} ports; a {chip.Chip} neuron has one synaptic input");
        if (neuron.States.Count != 2 || neuron.Integrate.Statements.Count != 2 || neuron.Integrate.Statements.Any(s => !s.IsState))
            reasons.Add($"Integrate is '{IrText.Print(neuron.Integrate)}': {chip.Shape}");
        foreach (string name in neuron.States.Concat(neuron.Ports).Where(chip.Registers.Contains))
            reasons.Add($"'{name}' has the name of a {chip.Chip} register, an argument of the generated kernel; rename it");
        foreach (string name in neuron.States.Concat(neuron.Ports).Where(Reserved))
            reasons.Add($"'{name}' has the name of an argument or local of the generated kernel; rename it");
        if (reasons.Count > 0) return null;

        Assign current = neuron.Integrate.Statements[0], voltage = neuron.Integrate.Statements[1];
        string i = current.Name, u = voltage.Name;
        // A membrane bias: the sum's terms, in any order and grouping, are β·U, I and one [Param] b.
        string? bias = null;
        if (Terms(voltage.Value) is { Count: 3 } terms && terms.OfType<ParamRef>().ToList() is [var b] && terms.Contains(new StateRef(i))
            && terms.Where(t => t != b && t != new StateRef(i)).ToList() is [var product])
        {
            bias = b.Name;
            voltage = voltage with { Value = new Binary(BinaryOp.Add, product, new StateRef(i)) };
        }
        string? alpha = Decay(current, i, rest => rest is InputRef, reasons, chip);
        string? beta = Decay(voltage, u, rest => rest == new StateRef(i), reasons, chip);

        if (neuron.Fires is Compare { Left: StateRef { Name: var m }, Right: ParamRef { Name: var theta }, Op: CompareOp.Greater or CompareOp.GreaterOrEqual } compare && m == u)
            return reasons.Count > 0 || alpha is null || beta is null ? null : new Cuba(i, u, alpha, beta, theta, compare.Op, bias);
        reasons.Add($"the firing condition '{(neuron.Fires is null ? "none" : IrText.Print(neuron.Fires))}': {chip.Shape}");
        return null;
    }

    /// <summary>Names the generated kernels use for their own arguments and locals.</summary>
    private static bool Reserved(string name) =>
        name is "spikes" or "spikeCounts" or "synapticInput" or "fired" || name.StartsWith("__", System.StringComparison.Ordinal)
        || name.StartsWith("state", System.StringComparison.Ordinal) || name.EndsWith("Lanes", System.StringComparison.Ordinal);

    /// <summary>The terms of a sum, flattened (a + (b + c) and (a + b) + c alike).</summary>
    private static List<Expr> Terms(Expr expr) =>
        expr is Binary { Op: BinaryOp.Add } sum ? [.. Terms(sum.Left), .. Terms(sum.Right)] : [expr];

    /// <summary>A reason where a chip has no membrane bias in its generated kernel.</summary>
    private static void NoBias(Cuba cuba, string chip, List<string> reasons)
    {
        if (cuba.Bias is { } bias)
            reasons.Add($"the membrane bias '{bias}': the generated {chip} kernel has no bias argument (only Loihi's bias_mant·2^bias_exp so far)");
    }

    /// <summary>
    /// The parameter p of <c>state = p * state + rest</c> (either order of the product and the sum), where
    /// <paramref name="restMatches"/> accepts rest; null with a reason naming the construct otherwise.
    /// </summary>
    private static string? Decay(Assign update, string state, System.Func<Expr, bool> restMatches, List<string> reasons, ChipShape chip)
    {
        if (update.Value is Binary { Op: BinaryOp.Add } sum)
        {
            foreach ((Expr product, Expr rest) in new[] { (sum.Left, sum.Right), (sum.Right, sum.Left) })
            {
                if (product is not Binary { Op: BinaryOp.Multiply } multiply || !restMatches(rest)) continue;
                Expr? multiplier = multiply.Right == new StateRef(state) ? multiply.Left : multiply.Left == new StateRef(state) ? multiply.Right : null;
                switch (multiplier)
                {
                    case ParamRef p:
                        return p.Name;
                    case Const c:
                        reasons.Add($"the decay of '{state}' is the constant {IrText.Number(c.Value)}; {chip.ConstantDecay} — declare it as a [Param]");
                        return null;
                    case not null:
                        reasons.Add($"the decay of '{state}' is {IrText.Print(multiplier)}, not a constant multiplier; {chip.OtherDecay}");
                        return null;
                }
            }
        }
        reasons.Add($"'{state} = {IrText.Print(update.Value)}': {chip.Shape}");
        return null;
    }

    private static LoweringResult Failed(List<string> reasons) => new(null, reasons.ToEquatableArray());
}
