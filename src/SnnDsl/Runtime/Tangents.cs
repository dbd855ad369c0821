namespace SnnDsl;

/// <summary>What a Jacobian entry of a neuron step is taken with respect to.</summary>
public enum TangentSeed
{
    /// <summary>A state before the step, h_{t−1}[column].</summary>
    State,

    /// <summary>A port's input in the step, x_t[column].</summary>
    Input,

    /// <summary>A trainable parameter, θ[column] (index into the neuron's parameters).</summary>
    Parameter,
}

/// <summary>One structurally non-zero entry ∂(row)/∂(seed) of a neuron step's Jacobian, derived at compile time.</summary>
/// <param name="Row">The state after the step (index into <see cref="NeuronDescriptor.States"/>), or <see cref="Spike"/> for S_t.</param>
/// <param name="Seed">What the derivative is taken with respect to.</param>
/// <param name="Column">Index into the states, ports or parameters, by <paramref name="Seed"/>.</param>
/// <param name="Uniform">The entry reads only literals and shared parameters: the same for every neuron at every step.</param>
public sealed record JacobianEntryDescriptor(int Row, TangentSeed Seed, int Column, bool Uniform)
{
    /// <summary>The row of the spike S_t.</summary>
    public const int Spike = -1;
}

/// <summary>
/// The generated <c>StepJacobian</c> kernel of a neuron type: recomputes one step of every neuron from the states
/// before it, the port inputs and the parameters (one array per parameter, length 1 when shared), and writes the
/// Jacobian's entries, entry-major: entry e of neuron i at <c>jacobian[e·n + i]</c>; a spiking neuron's σ′ follows
/// the entries (<see cref="StepTangentsDescriptor.Slots"/>).
/// </summary>
public delegate void StepJacobianKernel(float[][] previousStates, float[][] ports, float[][] parameters, Span<float> jacobian);

/// <summary>
/// Forward-mode derivatives of a neuron's step (docs/forward-mode.md): the non-zero Jacobian entries and their kernel.
/// </summary>
/// <param name="Entries">Rows in state order then S, seeds in state, port, parameter order.</param>
/// <param name="Factorizable">
/// Every entry of ∂h_t/∂h_{t−1} and ∂h_t/∂x_t is uniform, so the eligibility trace of a weight W_ij does not depend on
/// the postsynaptic neuron i: it factors into presynaptic traces (one per presynaptic neuron and state).
/// </param>
/// <param name="SpikeFollows">
/// A state d with ∂S_t/∂(h_{t−1}, x_t) = σ′·∂h_t[d]/∂(h_{t−1}, x_t) — the firing argument moves with state d after the
/// step (U − ϑ with a detached reset by subtraction) — or −1. Then a weight's spike eligibility is σ′ times its trace of d.
/// </param>
/// <param name="Kernel">The generated kernel.</param>
public sealed record StepTangentsDescriptor(IReadOnlyList<JacobianEntryDescriptor> Entries, bool Factorizable, int SpikeFollows, StepJacobianKernel Kernel)
{
    /// <summary>Values the kernel writes per neuron: the entries, then σ′ if the neuron spikes.</summary>
    public int Slots(bool spiking) => Entries.Count + (spiking ? 1 : 0);

    /// <summary>
    /// Floats of eligibility trace one sample needs for a connection of <paramref name="pre"/> × <paramref name="post"/>
    /// synapses onto this neuron with <paramref name="states"/> states: pre·states when factorizable, else pre·post·states.
    /// </summary>
    public long TraceFloats(int pre, int post, int states) => Factorizable ? (long)pre * states : (long)pre * post * states;
}
