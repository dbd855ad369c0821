using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Passes;

namespace SnnDsl.Generators.Emit;

/// <summary>An input of a step kernel: a neuron's port, or a synapse's drive or postsynaptic read.</summary>
/// <param name="Name">The parameter name in the user's method (the IR's <see cref="InputRef"/>).</param>
/// <param name="Span">The preferred name of the kernel's span parameter.</param>
/// <param name="AdjointSpan">The preferred name of the backward kernel's span that receives ∂L/∂input.</param>
/// <param name="AccumulateAdjoint">Whether the backward kernel adds ∂L/∂input into its span (else overwrites it).</param>
internal sealed record KernelInput(string Name, string Span, string AdjointSpan, bool AccumulateAdjoint, string Description);

/// <summary>
/// What the step emitters need of a neuron or a synapse: the generated kernels of both are the same loop — load the
/// states and inputs, run the translated body, store — with a firing condition and reset for neurons and a delivered
/// current for synapses.
/// </summary>
internal sealed record StepKernel(
    string Kind,
    DeclaredType Type,
    KernelNames Kernels,
    EquatableArray<string> States,
    EquatableArray<ParamInfo> Parameters,
    EquatableArray<KernelInput> Inputs,
    Block Body,
    Cond? Fires,
    Block Reset,
    string? Surrogate,
    bool AttachResetGradient,
    string? SpikeState,
    Expr? Output,
    EquatableArray<string> Members)
{
    public bool IsSpiking => Fires is not null;

    public bool IsSynapse => Output is not null;

    public StepDerivatives Derivatives() =>
        StepDerivatives.Of(States, Parameters, Body, Fires, Reset, AttachResetGradient, SpikeState, Output);

    /// <summary>What the backward kernel reads besides h_{t−1}: the network's backward pass passes exactly these.</summary>
    public BackwardReads BackwardReads() => Derivatives().ReadsOf(States, SpikeState, IsSynapse);

    public static StepKernel Of(NeuronModel n) => new(
        "neuron", n.Type, n.Kernels, n.States, n.Parameters,
        n.Ports.Select(p => new KernelInput(p, "synaptic" + Capitalized(p), "adjoint" + Capitalized(p), false, $"port '{p}'")).ToEquatableArray(),
        n.Integrate, n.Fires, n.Reset, n.Surrogate, n.AttachResetGradient, n.PreviousSpike, null, n.Members);

    public static StepKernel Of(SynapseModel s) => new(
        "synapse", s.Type, s.Kernels, s.States, s.Parameters,
        new[] { new KernelInput(s.Drive, "drive", "adjointDrive", false, $"the weighted spikes Σ_j W_ji S_j ('{s.Drive}')") }
            .Concat(s.PostReads.Select(r => new KernelInput(r.Input, "postsynaptic" + Capitalized(r.State), "adjointPostsynaptic" + Capitalized(r.State), true,
                $"the postsynaptic neuron's state {r.State} before the step ('{r.Input}')")))
            .ToEquatableArray(),
        s.Deliver, null, Block.Empty, null, false, null, s.Current, s.Members);

    public static string Capitalized(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);
}
