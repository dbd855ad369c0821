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
        Unsupported(neuron, chip, reasons);
        if (reasons.Count > 0) return Failed(reasons);
        return TargetProfiles.For(chip) is LoihiProfile loihi
            ? LowerToLoihi(neuron, loihi)
            : Failed([$"integer kernels are generated for Loihi only so far; {chip} is checked by [Hardware] but has no generated step yet"]);
    }

    /// <summary>Operations no integer step has: the transcendental functions and a division by a state.</summary>
    private static void Unsupported(NeuronModel neuron, Chip chip, List<string> reasons)
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
    /// [Param]s, fire on U &gt; ϑ with ϑ a [Param], and reset U to 0.
    /// </summary>
    private static LoweringResult LowerToLoihi(NeuronModel neuron, LoihiProfile profile)
    {
        var reasons = new List<string>();
        const string shape = "Loihi's compartment is 'I = α * I + input; U = β * U + I', fires on 'U > ϑ' and resets 'U = 0' (α, β, ϑ [Param]s)";
        if (neuron.PreviousSpike is not null) reasons.Add($"the [PreviousSpike] state '{neuron.PreviousSpike}': {shape}, with no state beside I and U");
        if (neuron.Ports.Count != 1) reasons.Add($"Integrate has {neuron.Ports.Count} ports; a Loihi compartment has one input, a_in");
        if (neuron.States.Count != 2 || neuron.Integrate.Statements.Count != 2 || neuron.Integrate.Statements.Any(s => !s.IsState))
            reasons.Add($"Integrate is '{IrText.Print(neuron.Integrate)}': {shape}");
        foreach (string name in neuron.States.Concat(neuron.Ports).Where(n => n is "du" or "dv" or "vth"))
            reasons.Add($"'{name}' has the name of a Loihi register, an argument of the generated StepLoihi; rename it");
        if (reasons.Count > 0) return Failed(reasons);

        Assign current = neuron.Integrate.Statements[0], voltage = neuron.Integrate.Statements[1];
        string i = current.Name, u = voltage.Name;
        string? alpha = Decay(current, i, rest => rest is InputRef, reasons, shape);
        string? beta = Decay(voltage, u, rest => rest == new StateRef(i), reasons, shape);

        string? threshold = null;
        bool strict = profile.Comparison == SpikeComparison.Greater;
        if (neuron.Fires is Compare { Left: StateRef { Name: var m }, Right: ParamRef { Name: var theta } } compare && m == u)
        {
            threshold = theta;
            if (compare.Op != (strict ? CompareOp.Greater : CompareOp.GreaterOrEqual))
                reasons.Add($"the firing condition '{IrText.Print(compare)}' compares with {compare.Op.Symbol()}; Loihi fires where v {(strict ? ">" : ">=")} vth·2^{profile.ThresholdShift}");
        }
        else
            reasons.Add($"the firing condition '{(neuron.Fires is null ? "none" : IrText.Print(neuron.Fires))}': {shape}");

        if (neuron.Reset.Statements is not [{ IsState: true, Value: Const { Value: 0f } } reset] || reset.Name != u)
            reasons.Add(neuron.Reset.Statements.Count == 0
                ? $"the neuron has no reset; Loihi sets v to 0 where it spikes"
                : $"the reset '{IrText.Print(neuron.Reset)}': Loihi sets v to 0 where it spikes (reset_voltage); subtraction is not what the chip does");
        if (reasons.Count > 0 || alpha is null || beta is null || threshold is null) return Failed(reasons);

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
        var voltageUpdate = new IntAssign(u, Fit(
            new IntAdd(
                new IntMultiplyShiftTowardZero(new IntState(u), Factor("dv", profile.VoltageDecayOffset), profile.DecayShift),
                new IntState(i)),
            profile.VoltageOverflow),
            $"v ← sign(Q)·(|Q| >> {profile.DecayShift}) + u, Q = v·{FactorText("dv", profile.VoltageDecayOffset)}, {OverflowText(profile.VoltageOverflow)}");
        var parameters = new[]
        {
            new IntParameter("du", alpha, 0, profile.MaxDecay, $"current decay register: {alpha} = ({unity} − du − {profile.CurrentDecayOffset})/{unity}"),
            new IntParameter("dv", beta, 0, profile.MaxDecay, $"voltage decay register: {beta} = ({unity} − dv{(profile.VoltageDecayOffset == 0 ? "" : $" − {profile.VoltageDecayOffset}")})/{unity}"),
            new IntParameter("vth", threshold, 0, profile.NeverSpikeThreshold, $"threshold mantissa: {threshold} = vth·2^{profile.ThresholdShift} in state units"),
        };
        var kernel = new IntegerKernel(
            profile.Name,
            "Lava PyLifModelBitAcc (lava-nc/lava src/lava/proc/lif/models.py, subthr_dynamics, spiking_activation, reset_voltage)",
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
    /// The parameter p of <c>state = p * state + rest</c> (either order of the product and the sum), where
    /// <paramref name="restMatches"/> accepts rest; null with a reason naming the construct otherwise.
    /// </summary>
    private static string? Decay(Assign update, string state, System.Func<Expr, bool> restMatches, List<string> reasons, string shape)
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
                        reasons.Add($"the decay of '{state}' is the constant {IrText.Number(c.Value)}; Loihi holds a decay in a register per population — declare it as a [Param]");
                        return null;
                    case not null:
                        reasons.Add($"the decay of '{state}' is {IrText.Print(multiplier)}, not a constant multiplier; Loihi multiplies a state by a 12-bit register only");
                        return null;
                }
            }
        }
        reasons.Add($"'{state} = {IrText.Print(update.Value)}': {shape}");
        return null;
    }

    private static LoweringResult Failed(List<string> reasons) => new(null, reasons.ToEquatableArray());
}
