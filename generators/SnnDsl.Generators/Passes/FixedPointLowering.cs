using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SnnDsl.FixedPoint;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Passes;

/// <summary>
/// A neuron lowered to a chip: the integer kernel, or why it cannot be (each reason names the construct); Companions are
/// further kernels of the same chip generated beside it (sPyNNaker's two receptors).
/// </summary>
internal sealed record LoweringResult(IntegerKernel? Kernel, EquatableArray<string> Reasons, EquatableArray<IntegerKernel> Companions = default);

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
            // A neuron without a firing condition is a readout; one with a single state a LIF without a synaptic current.
            LoihiProfile loihi when neuron.Fires is null => LowerReadoutToLoihi(neuron, loihi),
            LoihiProfile loihi when neuron.States.Count == 1 => LowerSingleStateToLoihi(neuron, loihi),
            XyloProfile xylo when neuron.Fires is null => LowerReadoutToXylo(neuron, xylo, chip),
            XyloProfile when neuron.States.Count == 1 => Failed([SingleStateOnXylo(neuron, chip)]),
            SpiNNakerProfile spinnaker when neuron.Fires is null => LowerReadoutToSpiNNaker(neuron, spinnaker),
            SpiNNakerProfile spinnaker when neuron.States.Count == 1 => LowerSingleStateToSpiNNaker(neuron, spinnaker),
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
            "Loihi holds a decay in a register per population", "Loihi multiplies a state by a 12-bit register only", LoihiRegister(profile));
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

        (IntAssign[] updates, IntParameter[] decays, IntParameter[] biasParameters) = LoihiDynamics(profile, i, u, neuron.Ports[0], alpha, beta, bias);
        var parameters = decays
            .Append(new IntParameter("vth", threshold, 0, profile.NeverSpikeThreshold, $"threshold mantissa: {threshold} = vth·2^{profile.ThresholdShift} in state units"))
            .Concat(biasParameters).ToArray();
        var kernel = new IntegerKernel(
            nameof(Chip.Loihi),
            "Lava PyLifModelBitAcc (lava-nc/lava src/lava/proc/lif/models.py, subthr_dynamics, spiking_activation, reset_voltage)",
            $"{profile.StateBits}-bit",
            "a_in, before its shift",
            new[] { i, u }.ToEquatableArray(),
            new[] { neuron.Ports[0] }.ToEquatableArray(),
            parameters.ToEquatableArray(),
            updates.ToEquatableArray(),
            u,
            strict,
            new IntShiftLeft(new IntParam("vth"), profile.ThresholdShift),
            $"s ← v {(strict ? ">" : ">=")} vth << {profile.ThresholdShift}",
            new[] { new IntAssign(u, new IntConst(0), "v ← 0 where s (u keeps its value)") }.ToEquatableArray());
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>
    /// Lava's <c>subthr_dynamics</c> as integer updates: u ← wrap(sign(P)·(|P| &gt;&gt; 12) + (a_in &lt;&lt; 6)), P = u·(4096 − (du + 1));
    /// v ← clip(sign(Q)·(|Q| &gt;&gt; 12) + u [+ bias]), Q = v·(4096 − dv); with their registers du, dv and, for a membrane bias,
    /// bias_mant, bias_exp (<c>scale_bias</c>). A single-state neuron (<paramref name="current"/> null) is the compartment
    /// with du = 4095, whose factor 4096 − (4095 + 1) = 0 clears u every step (Lava's LIF without current memory): v
    /// takes u = wrap(a_in &lt;&lt; 6), this step's input only, and the kernel keeps no u.
    /// </summary>
    private static (IntAssign[] Updates, IntParameter[] Decays, IntParameter[] Bias) LoihiDynamics(
        LoihiProfile profile, string? current, string membrane, string port, string? alpha, string beta, string? bias)
    {
        int unity = profile.DecayUnity, bits = profile.StateBits;
        IntExpr Fit(IntExpr value, Overflow overflow) => overflow == Overflow.Wrap ? new IntWrap(value, bits) : new IntSaturate(value, bits);
        string OverflowText(Overflow overflow) => overflow == Overflow.Wrap ? $"wrapped into {bits} bits" : $"saturated to ±(2^{bits - 1} − 1)";
        IntExpr Factor(string register, int offset) =>
            new IntSubtract(new IntConst(unity), offset == 0 ? new IntParam(register) : new IntAdd(new IntParam(register), new IntConst(offset)));
        string FactorText(string register, int offset) => offset == 0 ? $"({unity} − {register})" : $"({unity} − ({register} + {offset}))";

        IntExpr activation = new IntShiftLeft(new IntInput(port), profile.ActivationShift);
        var updates = new List<IntAssign>();
        IntExpr u;
        string uText;
        if (current is null)
        {
            u = Fit(activation, profile.CurrentOverflow);
            uText = $"u, u = a_in << {profile.ActivationShift} {OverflowText(profile.CurrentOverflow)} (du = {profile.MaxDecay} clears u)";
        }
        else
        {
            updates.Add(new IntAssign(current, Fit(
                new IntAdd(new IntMultiplyShiftTowardZero(new IntState(current), Factor("du", profile.CurrentDecayOffset), profile.DecayShift), activation),
                profile.CurrentOverflow),
                $"u ← sign(P)·(|P| >> {profile.DecayShift}) + (a_in << {profile.ActivationShift}), P = u·{FactorText("du", profile.CurrentDecayOffset)}, {OverflowText(profile.CurrentOverflow)}"));
            u = new IntState(current);
            uText = "u";
        }
        IntExpr decayedVoltage = new IntAdd(new IntMultiplyShiftTowardZero(new IntState(membrane), Factor("dv", profile.VoltageDecayOffset), profile.DecayShift), u);
        updates.Add(new IntAssign(membrane, Fit(
            bias is null ? decayedVoltage : new IntAdd(decayedVoltage, new IntShiftLeftBy(new IntParam("bias_mant"), new IntParam("bias_exp"))),
            profile.VoltageOverflow),
            $"v ← sign(Q)·(|Q| >> {profile.DecayShift}) + {uText}{(bias is null ? "" : " + (bias_mant << bias_exp)")}, Q = v·{FactorText("dv", profile.VoltageDecayOffset)}, {OverflowText(profile.VoltageOverflow)}"));

        var decays = new List<IntParameter>();
        if (current is not null)
            decays.Add(new IntParameter("du", alpha, 0, profile.MaxDecay, $"current decay register: {alpha} = ({unity} − du − {profile.CurrentDecayOffset})/{unity}"));
        decays.Add(new IntParameter("dv", beta, 0, profile.MaxDecay, $"voltage decay register: {beta} = ({unity} − dv{(profile.VoltageDecayOffset == 0 ? "" : $" − {profile.VoltageDecayOffset}")})/{unity}"));
        IntParameter[] biasParameters = bias is null ? [] :
        [
            new("bias_mant", bias, profile.MinBiasMantissa, profile.MaxBiasMantissa, $"bias mantissa: {bias} = bias_mant·2^bias_exp in state units (scale_bias)"),
            new("bias_exp", null, 0, profile.BiasExponentMax, "bias exponent"),
        ];
        return (updates.ToArray(), decays.ToArray(), biasParameters);
    }

    /// <summary>
    /// A single-state LIF on Loihi: U = β·U + input (an optional membrane bias U = β·U + input + b), fired on U &gt; ϑ and
    /// reset to 0 — Lava's compartment with du = 4095 (<see cref="LoihiDynamics"/>), as the quantizer maps <c>Lif</c>.
    /// </summary>
    private static LoweringResult LowerSingleStateToLoihi(NeuronModel neuron, LoihiProfile profile)
    {
        const string shape = "Loihi's compartment without current memory (du = 4095) is 'U = β * U + input', fires on 'U > ϑ' and resets 'U = 0' (β, ϑ [Param]s)";
        var chip = new ChipShape("Loihi", shape, ["dv", "vth", "bias_mant", "bias_exp"],
            "Loihi holds a decay in a register per population", "Loihi multiplies a state by a 12-bit register only", LoihiRegister(profile));
        var reasons = new List<string>();
        if (SingleStateShape(neuron, chip, reasons) is not { } lif) return Failed(reasons);
        (string u, string beta, string threshold, CompareOp comparison, string? bias) = lif;

        bool strict = profile.Comparison == SpikeComparison.Greater;
        if (comparison != (strict ? CompareOp.Greater : CompareOp.GreaterOrEqual))
            reasons.Add($"the firing condition '{IrText.Print(neuron.Fires!)}' compares with {comparison.Symbol()}; Loihi fires where v {(strict ? ">" : ">=")} vth·2^{profile.ThresholdShift}");
        if (neuron.Reset.Statements is not [{ IsState: true, Value: Const { Value: 0f } } reset] || reset.Name != u)
            reasons.Add(neuron.Reset.Statements.Count == 0
                ? "the neuron has no reset; Loihi sets v to 0 where it spikes"
                : $"the reset '{IrText.Print(neuron.Reset)}': Loihi sets v to 0 where it spikes (reset_voltage); subtraction is not what the chip does");
        if (profile.DecayUnity - profile.MaxDecay - profile.CurrentDecayOffset != 0)
            reasons.Add($"the profile's largest du ({profile.MaxDecay}) leaves u a factor {profile.DecayUnity - profile.MaxDecay - profile.CurrentDecayOffset}/{profile.DecayUnity}; a single-state neuron needs the current cleared every step");
        if (reasons.Count > 0) return Failed(reasons);

        (IntAssign[] updates, IntParameter[] decays, IntParameter[] biasParameters) = LoihiDynamics(profile, null, u, neuron.Ports[0], null, beta, bias);
        var parameters = decays
            .Append(new IntParameter("vth", threshold, 0, profile.NeverSpikeThreshold, $"threshold mantissa: {threshold} = vth·2^{profile.ThresholdShift} in state units"))
            .Concat(biasParameters).ToArray();
        var kernel = new IntegerKernel(
            nameof(Chip.Loihi),
            $"Lava PyLifModelBitAcc with du = {profile.MaxDecay} (lava-nc/lava src/lava/proc/lif/models.py, subthr_dynamics, spiking_activation, reset_voltage)",
            $"{profile.StateBits}-bit",
            "a_in, before its shift",
            new[] { u }.ToEquatableArray(),
            new[] { neuron.Ports[0] }.ToEquatableArray(),
            parameters.ToEquatableArray(),
            updates.ToEquatableArray(),
            u,
            strict,
            new IntShiftLeft(new IntParam("vth"), profile.ThresholdShift),
            $"s ← v {(strict ? ">" : ">=")} vth << {profile.ThresholdShift}",
            new[] { new IntAssign(u, new IntConst(0), "v ← 0 where s") }.ToEquatableArray());
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>
    /// A readout on Loihi (<c>LeakyReadout</c>): I = α·I + input; U = β·U + I (an optional membrane bias) with no firing
    /// condition — Lava's compartment that never spikes, as the quantizer maps it and <c>LoihiNetwork</c> runs it, with
    /// vth = 2^17 (netx's non-spiking layers): v·never exceeds vth·2^6 = 2^23, so the kernel has no spike test.
    /// </summary>
    private static LoweringResult LowerReadoutToLoihi(NeuronModel neuron, LoihiProfile profile)
    {
        const string shape = "Loihi's readout is 'I = α * I + input; U = β * U + I' with no firing condition (α, β [Param]s), a compartment that never spikes";
        var chip = new ChipShape("Loihi", shape, ["du", "dv", "bias_mant", "bias_exp"],
            "Loihi holds a decay in a register per population", "Loihi multiplies a state by a 12-bit register only", LoihiRegister(profile));
        var reasons = new List<string>();
        if ((long)profile.NeverSpikeThreshold << profile.ThresholdShift < profile.StateLimit)
            reasons.Add($"the profile's never-spike threshold {profile.NeverSpikeThreshold}·2^{profile.ThresholdShift} is below the largest v, 2^{profile.StateBits - 1}; the readout would spike");
        if (CubaIntegration(neuron, chip, reasons) is not (var i, var u, { } alpha, { } beta, var bias) || reasons.Count > 0) return Failed(reasons);

        (IntAssign[] updates, IntParameter[] decays, IntParameter[] biasParameters) = LoihiDynamics(profile, i, u, neuron.Ports[0], alpha, beta, bias);
        var kernel = new IntegerKernel(
            nameof(Chip.Loihi),
            $"Lava PyLifModelBitAcc with vth = {profile.NeverSpikeThreshold} (lava-nc/lava src/lava/proc/lif/models.py, subthr_dynamics; lava-dl netx hdf5.py)",
            $"{profile.StateBits}-bit",
            "a_in, before its shift",
            new[] { i, u }.ToEquatableArray(),
            new[] { neuron.Ports[0] }.ToEquatableArray(),
            decays.Concat(biasParameters).ToEquatableArray(),
            updates.ToEquatableArray(),
            u,
            profile.Comparison == SpikeComparison.Greater,
            Threshold: null,
            $"never spikes: v ≤ 2^{profile.StateBits - 1} − 1 < vth·2^{profile.ThresholdShift} = {(long)profile.NeverSpikeThreshold << profile.ThresholdShift}",
            EquatableArray<IntAssign>.Empty,
            Readout: true);
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
            "Xylo holds a decay as a dash register per neuron", "Xylo decays a state by a bit shift only", XyloRegister(profile));
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

        (IntAssign[] updates, IntParameter[] dashes) = XyloDynamics(profile, i, u, neuron.Ports[0], alpha, beta);
        int max = profile.StateMax, bits = profile.StateBits;
        var parameters = dashes.Concat(new[]
        {
            new IntParameter("v_th", threshold, 1, max, $"threshold: {threshold} = v_th in state units"),
            new IntParameter("max_spikes", null, 1, profile.MaxHiddenSpikes,
                $"spike cap of this step: {profile.MaxHiddenSpikes} for a hidden neuron (MAX_NUM_SPIKES), {profile.MaxOutputSpikes} for a readout (MAX_NUM_OUT_SPIKES)"),
        }).ToArray();
        var kernel = new IntegerKernel(
            chipName.ToString(),
            $"xylosim {profile.CoreVersion.ToString().ToLowerInvariant()} (XyloIAFNeuron.cpp: receiveSpike, decay, evolve; XyloIAFNeuron.h: safe_add)",
            $"{bits}-bit",
            "the summed weight << shift of this step's events",
            new[] { i, u }.ToEquatableArray(),
            new[] { neuron.Ports[0] }.ToEquatableArray(),
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
    /// xylosim's <c>receiveSpike</c>, <c>decay</c> and <c>evolve</c> (v1 or v2, no bias) as integer updates of i_syn and v_mem,
    /// with their dash registers; every number from the profile: 16-bit states saturated by safe_add, 4-bit dashes.
    /// </summary>
    private static (IntAssign[] Updates, IntParameter[] Dashes) XyloDynamics(XyloProfile profile, string i, string u, string port, string alpha, string beta)
    {
        int min = profile.StateMin, max = profile.StateMax, bits = profile.StateBits;
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
        IntParameter[] dashes =
        [
            new("dash_syn", alpha, 0, profile.MaxDash, $"synaptic decay shift: {alpha} = 1 − 2^−dash_syn (XyloProfile.NearestDash)"),
            new("dash_mem", beta, 0, profile.MaxDash, $"membrane decay shift: {beta} = 1 − 2^−dash_mem (XyloProfile.NearestDash)"),
        ];
        return (updates.ToArray(), dashes);
    }

    /// <summary>
    /// A readout on Xylo (<c>LeakyReadout</c>): I = α·I + input; U = β·U + I with no firing condition — a readout neuron
    /// as the quantizer maps it and <c>XyloNetwork</c> runs it: θ = 2^15 − 1 and at most one spike a step, so where
    /// v_mem saturates at 2^15 − 1 the chip fires and subtracts θ (v_mem ← 0); the spike leaves the chip and is not the
    /// float neuron's, so the kernel writes none.
    /// </summary>
    private static LoweringResult LowerReadoutToXylo(NeuronModel neuron, XyloProfile profile, Chip chipName)
    {
        const string shape = "Xylo's readout is 'I = α * I + input; U = β * U + I' with no firing condition (α, β [Param]s), a readout neuron with θ = 2^15 − 1";
        var chip = new ChipShape("Xylo", shape, ["dash_syn", "dash_mem"],
            "Xylo holds a decay as a dash register per neuron", "Xylo decays a state by a bit shift only", XyloRegister(profile));
        var reasons = new List<string>();
        if (CubaIntegration(neuron, chip, reasons) is not (var i, var u, { } alpha, { } beta, var bias) || reasons.Count > 0) return Failed(reasons);
        if (bias is not null)
            reasons.Add($"the membrane bias '{bias}': the generated {chipName} kernel has no bias argument (only Loihi's bias_mant·2^bias_exp so far)");
        if (reasons.Count > 0) return Failed(reasons);

        (IntAssign[] updates, IntParameter[] dashes) = XyloDynamics(profile, i, u, neuron.Ports[0], alpha, beta);
        int bits = profile.StateBits, theta = profile.StateMax;
        var kernel = new IntegerKernel(
            chipName.ToString(),
            $"xylosim {profile.CoreVersion.ToString().ToLowerInvariant()} readout neuron, θ = {theta} (XyloIAFNeuron.cpp: receiveSpike, decay, evolve; XyloLayer.cpp: MAX_NUM_OUT_SPIKES)",
            $"{bits}-bit",
            "the summed weight << shift of this step's events",
            new[] { i, u }.ToEquatableArray(),
            new[] { neuron.Ports[0] }.ToEquatableArray(),
            dashes.ToEquatableArray(),
            updates.ToEquatableArray(),
            u,
            StrictComparison: false,
            new IntConst(theta),
            $"v_mem >= {theta}: a readout's spike (θ = {theta}, at most {profile.MaxOutputSpikes} a step: MAX_NUM_OUT_SPIKES), not written; the reset where it fires",
            new[] { new IntAssign(u, new IntTruncate(new IntSubtract(new IntState(u), new IntConst(theta)), bits), $"v_mem ← (int{bits})(v_mem − {theta}) (i_syn keeps its value)") }.ToEquatableArray(),
            SpikeCap: profile.MaxOutputSpikes == 1 ? null : new IntConst(profile.MaxOutputSpikes),
            Readout: true);
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>Why a single-state neuron has no Xylo kernel: the chip filters every input through a synaptic state.</summary>
    private static string SingleStateOnXylo(NeuronModel neuron, Chip chip) =>
        $"the single state '{neuron.States[0]}' ('{IrText.Print(neuron.Integrate)}'): {chip} adds every input to a synaptic state, "
        + "i_syn ← i_syn + x − Δ(i_syn + x, dash_syn), before v_mem — dash_syn = 0 clears it before it reaches v_mem, dash_syn ≥ 1 "
        + "leaves a tail (x/2, x/4, … at dash_syn = 1) that a neuron without a current does not have; no dash passes the input on exactly";

    /// <summary>
    /// sPyNNaker's IF_curr_exp with one exponential synapse, V_rest = 0, I_offset = 0, V_reset = 0 and no refractory
    /// period (<c>neuron_model_lif_impl.h</c>, <c>synapse_types_exponential_impl.h</c>, <c>neuron_impl_standard.h</c>): the
    /// neuron must be I = α·I + input; U = β·U + I with α, β [Param]s, fire on U ≥ ϑ (or U &gt; ϑ: the chip's static
    /// threshold is ≥ either way, as the quantizer maps <c>CubaLifZeroReset</c>) with ϑ a [Param], and reset U to 0.
    /// With R = 1/(1 − β) the closed form α′ = I·R, V ← α′ − exp_TC·(α′ − V) is V ← βV + I. Beside it,
    /// <c>StepSpiNNakerExcInh</c> keeps both receptors of IF_curr_exp (<see cref="SpiNNakerExcitatoryInhibitory"/>).
    /// </summary>
    private static LoweringResult LowerToSpiNNaker(NeuronModel neuron, SpiNNakerProfile profile)
    {
        const string shape = "sPyNNaker's IF_curr_exp is 'I = α * I + input; U = β * U + I', fires on 'U >= ϑ' and resets 'U = 0' (α, β, ϑ [Param]s)";
        var chip = new ChipShape("SpiNNaker", shape, ["exp_TC", "R_membrane", "V_thresh", "decay", "init", "decay" + Inhibitory, "init" + Inhibitory],
            "sPyNNaker holds a decay per neuron (exp_TC, decay)", "sPyNNaker multiplies a state by a constant of the neuron only", SpiNNakerRegister(profile));
        var reasons = new List<string>();
        Cuba? cuba = CubaShape(neuron, chip, reasons);
        if (cuba is null) return Failed(reasons);
        (string i, string u, string alpha, string beta, string threshold, _, _) = cuba;
        NoBias(cuba, "SpiNNaker", reasons);
        NoDriveCollision(neuron, reasons);
        if (neuron.Reset.Statements is not [{ IsState: true, Value: Const { Value: 0f } } reset] || reset.Name != u)
            reasons.Add(neuron.Reset.Statements.Count == 0
                ? "the neuron has no reset; sPyNNaker sets V to V_reset where it spikes"
                : $"the reset '{IrText.Print(neuron.Reset)}': sPyNNaker sets V to V_reset = 0 where it spikes (neuron_model_has_spiked); subtraction is not what the chip does");
        string inhibitory = i + Inhibitory, inhibitoryPort = neuron.Ports[0] + Inhibitory;
        foreach (string name in neuron.States.Concat(neuron.Ports).Where(n => n == inhibitory || n == inhibitoryPort || n == "synapticInput" + Inhibitory))
            reasons.Add($"'{name}' would collide with the inhibitory receptor of StepSpiNNaker{ExcitatoryInhibitory}; rename it");
        if (neuron.Members.Contains("StepSpiNNaker" + ExcitatoryInhibitory))
            reasons.Add($"the neuron declares a member 'StepSpiNNaker{ExcitatoryInhibitory}', the name of the generated two-receptor kernel");
        if (reasons.Count > 0) return Failed(reasons);

        int fraction = profile.Accum.FractionBits;
        string port = neuron.Ports[0];
        var parameters = SpiNNakerMembraneParameters(profile, beta)
            .Append(new IntParameter("V_thresh", threshold, int.MinValue, int.MaxValue, $"threshold in s16.15: {threshold} = V_thresh/2^{fraction}"))
            .Concat(SpiNNakerSynapseParameters(alpha)).ToArray();
        bool strict = profile.Comparison == SpikeComparison.Greater;
        var kernel = new IntegerKernel(
            nameof(Chip.SpiNNaker),
            "sPyNNaker IF_curr_exp (neuron_model_lif_impl.h, synapse_types_exponential_impl.h, neuron_impl_standard.h; spinn_common round.h)",
            "s16.15",
            "the s16.15 input of the step: the ring-buffer sum << its shift",
            new[] { i, u }.ToEquatableArray(),
            new[] { port }.ToEquatableArray(),
            parameters.ToEquatableArray(),
            SpiNNakerExponentialUpdates(profile, i, u, port).ToEquatableArray(),
            u,
            strict,
            new IntParam("V_thresh"),
            $"s ← V {(strict ? ">" : ">=")} V_thresh (threshold_type_static)",
            new[] { new IntAssign(u, new IntConst(0), "V ← V_reset = 0 where s (neuron_model_has_spiked)") }.ToEquatableArray(),
            AfterSpike: new[] { SpiNNakerShaping(i) }.ToEquatableArray(),
            Wrapping: true);
        return new LoweringResult(kernel, EquatableArray<string>.Empty, new[] { SpiNNakerExcitatoryInhibitory(profile, kernel, i, u, alpha) }.ToEquatableArray());
    }

    /// <summary>The suffix of the inhibitory receptor's state, port and registers, and of the two-receptor kernel.</summary>
    private const string Inhibitory = "Inh";

    private const string ExcitatoryInhibitory = "ExcInh";

    /// <summary>
    /// <c>StepSpiNNakerExcInh</c>: IF_curr_exp with both receptors, as <c>SpiNNakerLif</c> steps
    /// them. The excitatory input I and the inhibitory input H (the state IInh) each take their own ring-buffer input
    /// (I ← I + ⌊x·init⌋, H ← H + ⌊x_inh·init_inh⌋), the closed form runs on their difference I − H
    /// (<c>neuron_model_state_update</c>: input = exc − inh + I_offset, I_offset = 0), and after the update each decays
    /// with its own u0.32 register — separately, since ⌊I·d⌋ − ⌊H·d⌋ is not ⌊(I − H)·d⌋.
    /// </summary>
    private static IntegerKernel SpiNNakerExcitatoryInhibitory(SpiNNakerProfile profile, IntegerKernel excitatory, string i, string u, string alpha)
    {
        string h = i + Inhibitory, port = excitatory.Ports[0], inhibitoryPort = port + Inhibitory;
        IntAssign[] updates =
        [
            excitatory.Updates[0] with { Equation = "I ← I + ⌊x·init⌋, the excitatory input, init in u0.32 (synapse_types_add_neuron_input, decay_s1615); the addition wraps" },
            new(h, new IntAdd(new IntState(h), new IntMultiplyUnsignedFraction(new IntInput(inhibitoryPort), new IntParam("init" + Inhibitory))),
                $"{h} ← {h} + ⌊x_inh·init_inh⌋, the inhibitory input (synapse_types_add_neuron_input); the addition wraps"),
            .. SpiNNakerClosedForm(profile, new IntSubtract(new IntState(i), new IntState(h)), $"({i} − {h})", u),
        ];
        IntParameter[] parameters =
        [
            .. excitatory.Parameters,
            new("decay" + Inhibitory, alpha, 0, 0, $"inhibitory synaptic decay exp(−Δt/τ_syn_I) in u0.32: {alpha} = decay_inh/2^32", Unsigned: true),
            new("init" + Inhibitory, null, 0, 0, "inhibitory input scaling init_inh in u0.32 (the magnitudes of the negative weights enter with it)", Unsigned: true),
        ];
        return excitatory with
        {
            Source = "sPyNNaker IF_curr_exp, excitatory and inhibitory receptors (neuron_model_lif_impl.h, synapse_types_exponential_impl.h, neuron_impl_standard.h; spinn_common round.h)",
            InputMeaning = "the s16.15 excitatory input of the step: the excitatory ring-buffer sum << its shift",
            States = new[] { i, h, u }.ToEquatableArray(),
            Parameters = parameters.ToEquatableArray(),
            Updates = updates.ToEquatableArray(),
            AfterSpike = new[]
            {
                SpiNNakerShaping(i),
                new IntAssign(h, new IntMultiplyUnsignedFraction(new IntState(h), new IntParam("decay" + Inhibitory)), $"{h} ← ⌊{h}·decay_inh⌋, decay_inh in u0.32, after the update (synapse_types_shape_input)"),
            }.ToEquatableArray(),
            MoreInputs = new[] { new IntPort(inhibitoryPort, "synapticInput" + Inhibitory, "the s16.15 inhibitory input of the step: the inhibitory ring-buffer sum (the magnitudes of the negative weights) << its shift") }.ToEquatableArray(),
            Variant = ExcitatoryInhibitory,
        };
    }

    // s16.15 accum products rounded to nearest (ties up) and saturated; u0.32 decays floored; accum additions wrap.

    /// <summary>The exponential synapse's input (synapse_types_add_neuron_input), then the LIF closed form on I.</summary>
    private static IntAssign[] SpiNNakerExponentialUpdates(SpiNNakerProfile profile, string i, string u, string port) =>
    [
        new(i, new IntAdd(new IntState(i), new IntMultiplyUnsignedFraction(new IntInput(port), new IntParam("init"))),
            "I ← I + ⌊x·init⌋, init in u0.32 (synapse_types_add_neuron_input, decay_s1615); the addition wraps"),
        .. SpiNNakerClosedForm(profile, new IntState(i), "I", u),
    ];

    /// <summary>
    /// <c>lif_neuron_closed_form</c> with V_rest = 0 on the synaptic input <paramref name="input"/> (exc − inh + I_offset,
    /// here one receptor and no offset): α ← round(input·R); V ← α − round(exp_TC·(α − V)).
    /// </summary>
    private static IntAssign[] SpiNNakerClosedForm(SpiNNakerProfile profile, IntExpr input, string inputText, string u)
    {
        int fraction = profile.Accum.FractionBits;
        const string drive = "__alpha";
        return
        [
            new(drive, new IntMultiplyRoundNearest(input, new IntParam("R_membrane"), fraction),
                $"α ← round({inputText}·R) + V_rest, V_rest = 0: the accum product rounded to nearest (ties up), saturated (lif_neuron_closed_form)"),
            new(u, new IntSubtract(new IntState(drive), new IntMultiplyRoundNearest(new IntSubtract(new IntState(drive), new IntState(u)), new IntParam("exp_TC"), fraction)),
                "V ← α − round(exp_TC·(α − V)); the subtractions wrap"),
        ];
    }

    /// <summary>A state or port named 'alpha' would be the kernel's <c>__alpha</c> (its reference) beside the local α of the closed form.</summary>
    private static void NoDriveCollision(NeuronModel neuron, List<string> reasons)
    {
        foreach (string name in neuron.States.Concat(neuron.Ports).Where(n => n == "alpha"))
            reasons.Add($"'{name}' would collide with the kernel's local __alpha (sPyNNaker's α = round(I·R) of the closed form); rename it");
    }

    /// <summary>exp_TC and R_membrane, the registers of the closed form.</summary>
    private static IntParameter[] SpiNNakerMembraneParameters(SpiNNakerProfile profile, string beta)
    {
        int fraction = profile.Accum.FractionBits;
        return
        [
            new("exp_TC", beta, 0, 1 << fraction, $"membrane decay exp(−Δt/τ_m) in s16.15: {beta} = exp_TC/2^{fraction}"),
            new("R_membrane", null, int.MinValue, int.MaxValue, $"membrane resistance R in s16.15: 2^{fraction}/(1 − {beta}) makes V ← {beta}·V + I"),
        ];
    }

    /// <summary>decay and init, the u0.32 registers of the exponential synapse.</summary>
    private static IntParameter[] SpiNNakerSynapseParameters(string alpha) =>
    [
        new("decay", alpha, 0, 0, $"synaptic decay exp(−Δt/τ_syn) in u0.32: {alpha} = decay/2^32", Unsigned: true),
        new("init", null, 0, 0, "input scaling init in u0.32 (τ_syn/Δt·(1 − decay) in sPyNNaker; weights ÷ init as the quantizer sets them)", Unsigned: true),
    ];

    /// <summary><c>synapse_types_shape_input</c> of the exponential synapse, after the update.</summary>
    private static IntAssign SpiNNakerShaping(string i) =>
        new(i, new IntMultiplyUnsignedFraction(new IntState(i), new IntParam("decay")), "I ← ⌊I·decay⌋, decay in u0.32, after the update (synapse_types_shape_input)");

    /// <summary>
    /// A single-state LIF on SpiNNaker: U = β·U + input, fired on U ≥ ϑ (or U &gt; ϑ, as for IF_curr_exp) and reset to 0 —
    /// sPyNNaker's IF_curr_delta (<c>synapse_types_delta_impl.h</c>), as the quantizer maps <c>Lif</c>: the step's input is
    /// the synaptic input itself (it is added to 0 and cleared after the update), so the kernel keeps no I.
    /// </summary>
    private static LoweringResult LowerSingleStateToSpiNNaker(NeuronModel neuron, SpiNNakerProfile profile)
    {
        const string shape = "sPyNNaker's IF_curr_delta is 'U = β * U + input', fires on 'U >= ϑ' and resets 'U = 0' (β, ϑ [Param]s)";
        var chip = new ChipShape("SpiNNaker", shape, ["exp_TC", "R_membrane", "V_thresh"],
            "sPyNNaker holds a decay per neuron (exp_TC)", "sPyNNaker multiplies a state by a constant of the neuron only", SpiNNakerRegister(profile));
        var reasons = new List<string>();
        if (SingleStateShape(neuron, chip, reasons) is not { } lif) return Failed(reasons);
        (string u, string beta, string threshold, _, string? bias) = lif;
        if (bias is not null)
            reasons.Add($"the membrane bias '{bias}': the generated SpiNNaker kernel has no bias argument (only Loihi's bias_mant·2^bias_exp so far)");
        NoDriveCollision(neuron, reasons);
        if (neuron.Reset.Statements is not [{ IsState: true, Value: Const { Value: 0f } } reset] || reset.Name != u)
            reasons.Add(neuron.Reset.Statements.Count == 0
                ? "the neuron has no reset; sPyNNaker sets V to V_reset where it spikes"
                : $"the reset '{IrText.Print(neuron.Reset)}': sPyNNaker sets V to V_reset = 0 where it spikes (neuron_model_has_spiked); subtraction is not what the chip does");
        if (reasons.Count > 0) return Failed(reasons);

        int fraction = profile.Accum.FractionBits;
        string port = neuron.Ports[0];
        bool strict = profile.Comparison == SpikeComparison.Greater;
        var parameters = SpiNNakerMembraneParameters(profile, beta)
            .Append(new IntParameter("V_thresh", threshold, int.MinValue, int.MaxValue, $"threshold in s16.15: {threshold} = V_thresh/2^{fraction}"));
        var kernel = new IntegerKernel(
            nameof(Chip.SpiNNaker),
            "sPyNNaker IF_curr_delta (neuron_model_lif_impl.h, synapse_types_delta_impl.h, neuron_impl_standard.h; spinn_common round.h)",
            "s16.15",
            "the s16.15 input of the step: the ring-buffer sum << its shift",
            new[] { u }.ToEquatableArray(),
            new[] { port }.ToEquatableArray(),
            parameters.ToEquatableArray(),
            SpiNNakerClosedForm(profile, new IntInput(port), "x", u).ToEquatableArray(),
            u,
            strict,
            new IntParam("V_thresh"),
            $"s ← V {(strict ? ">" : ">=")} V_thresh (threshold_type_static)",
            new[] { new IntAssign(u, new IntConst(0), "V ← V_reset = 0 where s (neuron_model_has_spiked)") }.ToEquatableArray(),
            Wrapping: true);
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>
    /// A readout on SpiNNaker (<c>LeakyReadout</c>): I = α·I + input; U = β·U + I with no firing condition — IF_curr_exp
    /// as the quantizer maps it and <c>SpiNNakerNetwork</c> runs it: V_thresh is the largest accum, so only V = 2^31 − 1
    /// passes the static threshold, and there the chip resets V to 0 (the spike is not sent).
    /// </summary>
    private static LoweringResult LowerReadoutToSpiNNaker(NeuronModel neuron, SpiNNakerProfile profile)
    {
        const string shape = "sPyNNaker's readout is 'I = α * I + input; U = β * U + I' with no firing condition (α, β [Param]s), IF_curr_exp with the largest V_thresh";
        var chip = new ChipShape("SpiNNaker", shape, ["exp_TC", "R_membrane", "decay", "init"],
            "sPyNNaker holds a decay per neuron (exp_TC, decay)", "sPyNNaker multiplies a state by a constant of the neuron only", SpiNNakerRegister(profile));
        var reasons = new List<string>();
        if (CubaIntegration(neuron, chip, reasons) is not (var i, var u, { } alpha, { } beta, var bias) || reasons.Count > 0) return Failed(reasons);
        if (bias is not null)
            reasons.Add($"the membrane bias '{bias}': the generated SpiNNaker kernel has no bias argument (only Loihi's bias_mant·2^bias_exp so far)");
        NoDriveCollision(neuron, reasons);
        if (reasons.Count > 0) return Failed(reasons);

        bool strict = profile.Comparison == SpikeComparison.Greater;
        var kernel = new IntegerKernel(
            nameof(Chip.SpiNNaker),
            "sPyNNaker IF_curr_exp with V_thresh = 2^31 − 1 (neuron_model_lif_impl.h, synapse_types_exponential_impl.h, neuron_impl_standard.h; spinn_common round.h)",
            "s16.15",
            "the s16.15 input of the step: the ring-buffer sum << its shift",
            new[] { i, u }.ToEquatableArray(),
            new[] { neuron.Ports[0] }.ToEquatableArray(),
            SpiNNakerMembraneParameters(profile, beta).Concat(SpiNNakerSynapseParameters(alpha)).ToEquatableArray(),
            SpiNNakerExponentialUpdates(profile, i, u, neuron.Ports[0]).ToEquatableArray(),
            u,
            strict,
            strict ? null : new IntConst(int.MaxValue),
            strict ? "never spikes: V > V_thresh = 2^31 − 1 does not hold" : "V ≥ V_thresh = 2^31 − 1, the largest accum (threshold_type_static): the spike is not sent",
            strict ? EquatableArray<IntAssign>.Empty : new[] { new IntAssign(u, new IntConst(0), "V ← V_reset = 0 where V reached it (neuron_model_has_spiked)") }.ToEquatableArray(),
            AfterSpike: new[] { SpiNNakerShaping(i) }.ToEquatableArray(),
            Wrapping: true,
            Readout: true);
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
        if (neuron.Fires is null) return LowerReadoutToFixed(neuron, integerBits, fractionBits, rounding, overflow, decayFractionBits);
        if (neuron.States.Count == 1) return LowerSingleStateToFixed(neuron, integerBits, fractionBits, rounding, overflow, decayFractionBits);

        const string shape = "a Fixed kernel is generated for 'I = α * I + input; U = β * U + I', firing on 'U > ϑ' and resetting 'U -= ϑ' or 'U = 0' (α, β, ϑ [Param]s), as FixedNeurons computes them";
        var chip = new ChipShape(chipName, shape, [],
            "the Fixed kernel takes each decay as a raw argument", "the Fixed kernel multiplies a state by a decay argument only", FixedRegister(decayFractionBits));
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

    /// <summary>The raw-integer arithmetic of a Fixed kernel: each sum wrapped or saturated into the state format, each decay product rounded.</summary>
    private sealed record FixedArithmeticOf(FixedFormat State, int DecayFractionBits, Rounding Rounding, Overflow Overflow)
    {
        public IntExpr Fit(IntExpr value) => Overflow == Overflow.Wrap ? new IntTruncate(value, State.TotalBits) : new IntClamp(value, (int)State.MinRaw, (int)State.MaxRaw);

        public string FitText => Overflow == Overflow.Wrap ? $"wrapped into {State}" : $"saturated to {State}";

        public IntExpr Decayed(string name, string decay) => new IntMultiplyShift(new IntState(name), new IntParam(decay), DecayFractionBits, Rounding);

        public IntParameter Decay(string name) => new(name, name, 0, (int)((1L << DecayFractionBits) - 1), $"raw u0.{DecayFractionBits} of {name}");
    }

    /// <summary>
    /// <c>Lif</c>'s equations in a Fixed format (<c>FixedNeurons.Lif</c>): U = fit(round(β·U) + x), U &gt; ϑ, U ← fit(U − ϑ).
    /// </summary>
    private static LoweringResult LowerSingleStateToFixed(NeuronModel neuron, int integerBits, int fractionBits, Rounding rounding, Overflow overflow, int decayFractionBits)
    {
        string chipName = $"Fixed(s{integerBits}.{fractionBits})";
        const string shape = "a single-state Fixed kernel is generated for 'U = β * U + input', firing on 'U > ϑ' and resetting 'U -= ϑ' (β, ϑ [Param]s), as FixedNeurons.Lif computes it";
        var chip = new ChipShape(chipName, shape, [], "the Fixed kernel takes each decay as a raw argument", "the Fixed kernel multiplies a state by a decay argument only", FixedRegister(decayFractionBits));
        var reasons = new List<string>();
        if (SingleStateShape(neuron, chip, reasons) is not { } lif) return Failed(reasons);
        (string u, string beta, string threshold, CompareOp comparison, string? bias) = lif;
        if (bias is not null)
            reasons.Add($"the membrane bias '{bias}': the generated Fixed kernel has no bias argument (only Loihi's bias_mant·2^bias_exp so far)");
        if (comparison != CompareOp.Greater)
            reasons.Add($"the firing condition '{IrText.Print(neuron.Fires!)}' compares with {comparison.Symbol()}; FixedNeurons fires where U > ϑ, as the built-ins");
        if (beta == threshold)
            reasons.Add($"β '{beta}' and ϑ '{threshold}' are each an argument of StepFixed; use a [Param] for each");
        foreach (string name in new[] { beta, threshold }.Distinct().Where(n => Reserved(n) || neuron.Ports.Contains(n)))
            reasons.Add($"the [Param] '{name}' is an argument of StepFixed and has the name of an argument or local of the kernel; rename it");
        if (neuron.Reset.Statements is not [{ IsState: true, Value: Binary { Op: BinaryOp.Subtract, Left: StateRef { Name: var left }, Right: ParamRef { Name: var subtracted } } } sub]
            || sub.Name != u || left != u || subtracted != threshold)
            reasons.Add($"the reset '{IrText.Print(neuron.Reset)}': {shape}");
        if (reasons.Count > 0) return Failed(reasons);

        var arithmetic = new FixedArithmeticOf(FixedFormat.Signed(integerBits, fractionBits), decayFractionBits, rounding, overflow);
        FixedFormat state = arithmetic.State;
        var kernel = new IntegerKernel(
            "Fixed",
            $"SnnDsl.FixedPoint.FixedNeurons.Lif ({state} states, u0.{decayFractionBits} decays, {rounding}, {overflow})",
            state.ToString(),
            $"raw {state}",
            new[] { u }.ToEquatableArray(),
            new[] { neuron.Ports[0] }.ToEquatableArray(),
            new[] { arithmetic.Decay(beta), new IntParameter(threshold, threshold, (int)state.MinRaw, (int)state.MaxRaw, $"raw {state} of {threshold}") }.ToEquatableArray(),
            new[] { new IntAssign(u, arithmetic.Fit(new IntAdd(arithmetic.Decayed(u, beta), new IntInput(neuron.Ports[0]))), $"U ← fit(round(β·U >> {decayFractionBits}) + x), {rounding}, {arithmetic.FitText}") }.ToEquatableArray(),
            u,
            StrictComparison: true,
            new IntParam(threshold),
            $"s ← U > {threshold}",
            new[] { new IntAssign(u, arithmetic.Fit(new IntSubtract(new IntState(u), new IntParam(threshold))), $"U ← fit(U − ϑ) where s, {arithmetic.FitText}") }.ToEquatableArray());
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>
    /// <c>LeakyReadout</c>'s equations in a Fixed format (<c>FixedNeurons.LeakyReadout</c>): I = fit(round(α·I) + x),
    /// U = fit(round(β·U) + I), no spike.
    /// </summary>
    private static LoweringResult LowerReadoutToFixed(NeuronModel neuron, int integerBits, int fractionBits, Rounding rounding, Overflow overflow, int decayFractionBits)
    {
        string chipName = $"Fixed(s{integerBits}.{fractionBits})";
        const string shape = "a Fixed readout kernel is generated for 'I = α * I + input; U = β * U + I' with no firing condition (α, β [Param]s), as FixedNeurons.LeakyReadout computes it";
        var chip = new ChipShape(chipName, shape, [], "the Fixed kernel takes each decay as a raw argument", "the Fixed kernel multiplies a state by a decay argument only", FixedRegister(decayFractionBits));
        var reasons = new List<string>();
        if (CubaIntegration(neuron, chip, reasons) is not (var i, var u, { } alpha, { } beta, var bias) || reasons.Count > 0) return Failed(reasons);
        if (bias is not null)
            reasons.Add($"the membrane bias '{bias}': the generated Fixed kernel has no bias argument (only Loihi's bias_mant·2^bias_exp so far)");
        if (alpha == beta)
            reasons.Add($"α '{alpha}' and β '{beta}' are each an argument of StepFixed; use a [Param] for each");
        foreach (string name in new[] { alpha, beta }.Distinct().Where(n => Reserved(n) || neuron.Ports.Contains(n)))
            reasons.Add($"the [Param] '{name}' is an argument of StepFixed and has the name of an argument or local of the kernel; rename it");
        if (reasons.Count > 0) return Failed(reasons);

        var arithmetic = new FixedArithmeticOf(FixedFormat.Signed(integerBits, fractionBits), decayFractionBits, rounding, overflow);
        FixedFormat state = arithmetic.State;
        string port = neuron.Ports[0];
        var kernel = new IntegerKernel(
            "Fixed",
            $"SnnDsl.FixedPoint.FixedNeurons.LeakyReadout ({state} states, u0.{decayFractionBits} decays, {rounding}, {overflow})",
            state.ToString(),
            $"raw {state}",
            new[] { i, u }.ToEquatableArray(),
            new[] { port }.ToEquatableArray(),
            new[] { arithmetic.Decay(alpha), arithmetic.Decay(beta) }.ToEquatableArray(),
            new[]
            {
                new IntAssign(i, arithmetic.Fit(new IntAdd(arithmetic.Decayed(i, alpha), new IntInput(port))), $"I ← fit(round(α·I >> {decayFractionBits}) + x), {rounding}, {arithmetic.FitText}"),
                new IntAssign(u, arithmetic.Fit(new IntAdd(arithmetic.Decayed(u, beta), new IntState(i))), $"U ← fit(round(β·U >> {decayFractionBits}) + I), {rounding}, {arithmetic.FitText}"),
            }.ToEquatableArray(),
            u,
            StrictComparison: true,
            Threshold: null,
            "no spike (a readout)",
            EquatableArray<IntAssign>.Empty,
            Readout: true);
        return new LoweringResult(kernel, EquatableArray<string>.Empty);
    }

    /// <summary>A single-state LIF: membrane U, its decay β, the threshold ϑ, the test, and a membrane bias [Param] b (or null).</summary>
    private sealed record SingleState(string U, string Beta, string Threshold, CompareOp Comparison, string? Bias);

    /// <summary>
    /// The single-state shape: one port, no [PreviousSpike], U = β * U + input (or U = β * U + input + b with b a
    /// [Param], in any order and grouping) with β a [Param], fired by U compared with a [Param]; null with the reasons
    /// otherwise. The reset is the chip's rule.
    /// </summary>
    private static SingleState? SingleStateShape(NeuronModel neuron, ChipShape chip, List<string> reasons)
    {
        if (neuron.PreviousSpike is not null) reasons.Add($"the [PreviousSpike] state '{neuron.PreviousSpike}': {chip.Shape}, with no state beside U");
        if (neuron.Ports.Count != 1) reasons.Add($"Integrate has {neuron.Ports.Count} ports; a {chip.Chip} neuron has one synaptic input");
        if (neuron.Integrate.Statements is not [{ IsState: true }])
            reasons.Add($"Integrate is '{IrText.Print(neuron.Integrate)}': {chip.Shape}");
        foreach (string name in neuron.States.Concat(neuron.Ports).Where(chip.Registers.Contains))
            reasons.Add($"'{name}' has the name of a {chip.Chip} register, an argument of the generated kernel; rename it");
        foreach (string name in neuron.States.Concat(neuron.Ports).Where(Reserved))
            reasons.Add($"'{name}' has the name of an argument or local of the generated kernel; rename it");
        if (reasons.Count > 0) return null;

        Assign voltage = neuron.Integrate.Statements[0];
        string u = voltage.Name;
        string? bias = null;
        if (Terms(voltage.Value) is { Count: 3 } terms && terms.OfType<ParamRef>().ToList() is [var b] && terms.OfType<InputRef>().Count() == 1
            && terms.Where(t => t != b && t is not InputRef).ToList() is [var product])
        {
            bias = b.Name;
            voltage = voltage with { Value = new Binary(BinaryOp.Add, product, terms.OfType<InputRef>().Single()) };
        }
        string? beta = Decay(voltage, u, false, rest => rest is InputRef, reasons, chip);

        if (neuron.Fires is Compare { Left: StateRef { Name: var m }, Right: ParamRef { Name: var theta }, Op: CompareOp.Greater or CompareOp.GreaterOrEqual } compare && m == u)
            return reasons.Count > 0 || beta is null ? null : new SingleState(u, beta, theta, compare.Op, bias);
        reasons.Add($"the firing condition '{(neuron.Fires is null ? "none" : IrText.Print(neuron.Fires))}': {chip.Shape}");
        return null;
    }

    /// <summary>
    /// What a chip's messages name: the chip, its neuron's shape, its registers (kernel arguments), how it decays, and
    /// the register nearest to a constant decay (current or membrane) with the factor it stands for.
    /// </summary>
    private sealed record ChipShape(string Chip, string Shape, string[] Registers, string ConstantDecay, string OtherDecay,
        System.Func<bool, double, (string Register, double Factor)>? NearestDecay = null);

    /// <summary>"; its nearest register, du = 744, stands for 0.818 (off by 0.0004)", or nothing for a chip without one.</summary>
    private static string NearestText(ChipShape chip, bool current, float decay)
    {
        if (chip.NearestDecay is not { } nearest || float.IsNaN(decay)) return "";
        (string register, double factor) = nearest(current, decay);
        return string.Format(CultureInfo.InvariantCulture, "; its nearest register, {0}, stands for {1:G6} (off by {2:G2})", register, factor, System.Math.Abs(factor - decay));
    }

    /// <summary>Loihi's du (current, with its offset of 1) or dv nearest to a decay factor.</summary>
    private static System.Func<bool, double, (string, double)> LoihiRegister(LoihiProfile profile) => (current, factor) =>
    {
        (int register, double stands) = current ? profile.CurrentDecay(factor) : profile.VoltageDecay(factor);
        return ($"{(current ? "du" : "dv")} = {register}", stands);
    };

    /// <summary>Xylo's dash nearest to a decay factor, 1 − 2^−dash.</summary>
    private static System.Func<bool, double, (string, double)> XyloRegister(XyloProfile profile) => (current, factor) =>
    {
        int dash = profile.NearestDash(factor);
        return ($"{(current ? "dash_syn" : "dash_mem")} = {dash}", profile.DashDecay(dash));
    };

    /// <summary>sPyNNaker's u0.32 synaptic decay (current) or s16.15 exp_TC (membrane) nearest to a decay factor.</summary>
    private static System.Func<bool, double, (string, double)> SpiNNakerRegister(SpiNNakerProfile profile) => (current, factor) =>
    {
        FixedFormat format = current ? profile.Decay : profile.Accum;
        long raw = format.NearestRaw(factor);
        return ($"{(current ? "decay" : "exp_TC")} = {raw.ToString(CultureInfo.InvariantCulture)}", format.ValueOf(raw));
    };

    /// <summary>The raw u0.n decay argument of a Fixed kernel nearest to a decay factor.</summary>
    private static System.Func<bool, double, (string, double)> FixedRegister(int decayFractionBits) => (current, factor) =>
    {
        FixedFormat format = FixedFormat.Unsigned(0, decayFractionBits);
        long raw = format.NearestRaw(factor);
        return ($"the raw u0.{decayFractionBits} {raw.ToString(CultureInfo.InvariantCulture)}", format.ValueOf(raw));
    };

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
        if (CubaIntegration(neuron, chip, reasons) is not { } integration) return null;
        (string i, string u, string? alpha, string? beta, string? bias) = integration;
        if (neuron.Fires is Compare { Left: StateRef { Name: var m }, Right: ParamRef { Name: var theta }, Op: CompareOp.Greater or CompareOp.GreaterOrEqual } compare && m == u)
            return reasons.Count > 0 || alpha is null || beta is null ? null : new Cuba(i, u, alpha, beta, theta, compare.Op, bias);
        reasons.Add($"the firing condition '{(neuron.Fires is null ? "none" : IrText.Print(neuron.Fires))}': {chip.Shape}");
        return null;
    }

    /// <summary>
    /// The integration of <see cref="CubaShape"/>: I, U, α and β (null where a decay is not a [Param], with the reason)
    /// and a membrane bias; null where the neuron is not two states updated by one port.
    /// </summary>
    private static (string I, string U, string? Alpha, string? Beta, string? Bias)? CubaIntegration(NeuronModel neuron, ChipShape chip, List<string> reasons)
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
        string? alpha = Decay(current, i, true, rest => rest is InputRef, reasons, chip);
        string? beta = Decay(voltage, u, false, rest => rest == new StateRef(i), reasons, chip);
        return (i, u, alpha, beta, bias);
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
    private static string? Decay(Assign update, string state, bool current, System.Func<Expr, bool> restMatches, List<string> reasons, ChipShape chip)
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
                        reasons.Add($"the decay of '{state}' is the constant {IrText.Number(c.Value)}; {chip.ConstantDecay}{NearestText(chip, current, c.Value)} — declare it as a [Param]");
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
