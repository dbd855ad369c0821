using SnnDsl.Generators.Helpers;

namespace SnnDsl.Generators.Model;

// The integer IR a neuron's float dynamics lower to for a target profile (Passes/FixedPointLowering.cs). Every value is
// an int; the operations are the ones integer hardware has. Records give structural equality, like the float IR.

/// <summary>An int-valued expression.</summary>
internal abstract record IntExpr;

/// <summary>An int literal.</summary>
internal sealed record IntConst(int Value) : IntExpr;

/// <summary>A state variable of the integer neuron (its latest value).</summary>
internal sealed record IntState(string Name) : IntExpr;

/// <summary>An integer kernel argument (a register such as du, or a mantissa such as vth).</summary>
internal sealed record IntParam(string Name) : IntExpr;

/// <summary>An input port of the step, one int per neuron.</summary>
internal sealed record IntInput(string Name) : IntExpr;

internal sealed record IntAdd(IntExpr Left, IntExpr Right) : IntExpr;

internal sealed record IntSubtract(IntExpr Left, IntExpr Right) : IntExpr;

/// <summary>Value · 2^Shift.</summary>
internal sealed record IntShiftLeft(IntExpr Value, int Shift) : IntExpr;

/// <summary>Value · 2^Shift with Shift a kernel argument (a bias exponent), the same for every lane.</summary>
internal sealed record IntShiftLeftBy(IntExpr Value, IntExpr Shift) : IntExpr;

/// <summary>
/// sign(P)·(|P| &gt;&gt; Shift) with P = Value·Factor computed exactly (64 bits): a multiply, then an arithmetic right shift
/// that truncates toward zero. Factor lies in 0…2^Shift.
/// </summary>
internal sealed record IntMultiplyShiftTowardZero(IntExpr Value, IntExpr Factor, int Shift) : IntExpr;

/// <summary>
/// A wrap into a Bits-bit signed state as Lava writes it: one correction each way, v &gt; 2^(Bits−1) → v − 2^Bits, then
/// v ≤ −2^(Bits−1) → v + 2^Bits.
/// </summary>
internal sealed record IntWrap(IntExpr Value, int Bits) : IntExpr;

/// <summary>A clip to ±(2^(Bits−1) − 1).</summary>
internal sealed record IntSaturate(IntExpr Value, int Bits) : IntExpr;

/// <summary>A clip to Min…Max: xylosim's <c>safe_add</c> saturates a 16-bit state to −2^15…2^15 − 1.</summary>
internal sealed record IntClamp(IntExpr Value, int Min, int Max) : IntExpr;

/// <summary>The low Bits bits as a signed value, as a C cast to a narrower type does (xylosim's <c>(int16_t)</c>).</summary>
internal sealed record IntTruncate(IntExpr Value, int Bits) : IntExpr;

/// <summary>
/// Δ(x, s) = x &gt;&gt; s (arithmetic, so it floors), or sign(x) where that is 0: the decrement of a bit-shift decay
/// x ← x − Δ(x, s) with its minimum step of 1 (xylosim's <c>decay</c>). Shift is a kernel argument, the same for every lane.
/// </summary>
internal sealed record IntShiftDecrement(IntExpr Value, IntExpr Shift) : IntExpr;

/// <summary>
/// x·Factor / 2^Shift rounded to nearest with ties toward +∞, saturated to 32 bits: spinn_common's accum product
/// <c>__stdfix_smul_k_round_nearest</c> for Shift = 15. Factor is a kernel argument, the same for every lane.
/// </summary>
internal sealed record IntMultiplyRoundNearest(IntExpr Value, IntExpr Factor, int Shift) : IntExpr;

/// <summary>
/// ⌊x·Factor / 2^32⌋ with Factor an unsigned 32-bit fraction (u0.32): sPyNNaker's <c>decay_s1615</c>. Factor is a
/// kernel argument (a uint), the same for every lane.
/// </summary>
internal sealed record IntMultiplyUnsignedFraction(IntExpr Value, IntExpr Factor) : IntExpr;

/// <summary>
/// x·Factor / 2^Shift in 64 bits, rounded with Rounding (floor, toward zero, nearest with ties up, nearest with ties to
/// even; never stochastic): a generic fixed-point decay product (<c>FixedNeurons.Decay</c>). Factor is a kernel
/// argument, the same for every lane.
/// </summary>
internal sealed record IntMultiplyShift(IntExpr Value, IntExpr Factor, int Shift, SnnDsl.FixedPoint.Rounding Rounding) : IntExpr;

/// <summary>
/// An assignment to a state, or to a temporary of the step where State is not one (read back with IntState), with the
/// hardware equation it implements (emitted as a comment).
/// </summary>
internal sealed record IntAssign(string State, IntExpr Value, string Equation);

/// <summary>
/// A kernel argument: its name, the float parameter it encodes (if any), its valid range and what it means. An Unsigned
/// argument is a uint (a u0.32 fraction) whose every value is valid.
/// </summary>
internal sealed record IntParameter(string Name, string? Encodes, int Min, int Max, string Meaning, bool Unsigned = false);

/// <summary>
/// An input port of the step after the first (whose argument is <c>synapticInput</c>): its name in the step, its argument
/// (a <c>ReadOnlySpan&lt;int&gt;</c>, one int per neuron) and what it holds — sPyNNaker's inhibitory receptor.
/// </summary>
internal sealed record IntPort(string Name, string Argument, string Meaning);

/// <summary>
/// The integer step of a neuron on one chip: the states in the float declaration's order (their integer names), the
/// arguments, the updates in order, the spike test <c>Membrane Comparison Threshold</c> (strict or not) and the reset.
/// With no SpikeCap the neuron spikes at most once a step (bit-packed spikes); with one it spikes while the test holds
/// and its count is below the cap, resetting after each spike, and the kernel writes the counts (Xylo's multi-spike).
/// AfterSpike updates follow the spike test and reset (sPyNNaker shapes its synaptic input after the membrane update);
/// Wrapping kernels compute their scalar additions unchecked, as the chip's 32-bit adds wrap. A Readout kernel (a neuron
/// that does not spike, e.g. <c>LeakyReadout</c>) writes no spikes; where its Threshold is not null the chip's test and
/// reset still run, as the reference networks run readouts (Xylo's θ = 2^15 − 1, sPyNNaker's largest V_thresh), and
/// where it is null the chip never fires (Loihi's vth = 2^17 above the saturated v) or the reference has no test.
/// MoreInputs are input ports after the first; a Variant names a further kernel of the same chip (StepSpiNNakerExcInh).
/// </summary>
internal sealed record IntegerKernel(
    string Chip,
    string Source,
    string StateWidth,
    string InputMeaning,
    EquatableArray<string> States,
    EquatableArray<string> Ports,
    EquatableArray<IntParameter> Parameters,
    EquatableArray<IntAssign> Updates,
    string Membrane,
    bool StrictComparison,
    IntExpr? Threshold,
    string SpikeEquation,
    EquatableArray<IntAssign> Reset,
    IntExpr? SpikeCap = null,
    EquatableArray<IntAssign> AfterSpike = default,
    bool Wrapping = false,
    bool Readout = false,
    EquatableArray<IntPort> MoreInputs = default,
    string Variant = "")
{
    /// <summary>The name of the generated method, Step, the <c>Chip</c> member's name and the variant: StepLoihi, StepXyloAudio2, StepSpiNNakerExcInh.</summary>
    public string MethodName => "Step" + Chip + Variant;
}
