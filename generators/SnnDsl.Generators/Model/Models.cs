using SnnDsl.Generators.Helpers;

namespace SnnDsl.Generators.Model;

/// <summary>Where a generated partial type goes: namespace, containing types, name and accessibility.</summary>
/// <param name="Namespace">Namespace, empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the enclosing types, outermost first (e.g. "partial class Outer").</param>
/// <param name="Name">Type name.</param>
/// <param name="FullyQualifiedName">Name with "global::" prefix, for references from other generated code.</param>
internal sealed record DeclaredType(string Namespace, EquatableArray<string> ContainingTypes, string Name, string FullyQualifiedName);

/// <summary>A neuron or surrogate parameter.</summary>
internal sealed record ParamInfo(string Name, float DefaultValue, bool PerNeuron, bool Trainable);

/// <summary>A parsed surrogate: σ′(x) as IR over <see cref="ArgRef"/>.</summary>
internal sealed record SurrogateModel(DeclaredType Type, EquatableArray<ParamInfo> Parameters, Expr Derivative);

/// <summary>A parsed neuron: states, parameters and the IR of its three methods.</summary>
/// <param name="Fires">The firing condition, null for a non-spiking neuron.</param>
/// <param name="Reset">The reset, empty when there is none.</param>
/// <param name="Surrogate">Fully qualified name of the firing condition's surrogate type.</param>
internal sealed record NeuronModel(
    DeclaredType Type,
    EquatableArray<string> States,
    EquatableArray<ParamInfo> Parameters,
    Block Integrate,
    Cond? Fires,
    Block Reset,
    string? Surrogate,
    bool AttachResetGradient)
{
    public bool IsSpiking => Fires is not null;
}

/// <summary>What a network needs to know of a neuron to call its generated kernel (read from symbols).</summary>
internal sealed record NeuronSignature(string FullyQualifiedName, EquatableArray<string> States, EquatableArray<ParamInfo> Parameters, bool IsSpiking);

/// <summary>An input layer or a population; <paramref name="Accessibility"/> repeats the property's declaration.</summary>
internal sealed record LayerModel(string Name, string Accessibility, int Size, NeuronSignature? Neuron)
{
    public bool IsInput => Neuron is null;
}

/// <summary>A dense connection; <paramref name="Recurrent"/> when it carries spikes of step t−1.</summary>
internal sealed record ConnectionModel(string Name, string Accessibility, string From, string To, bool Recurrent);

/// <summary>A parsed network.</summary>
internal sealed record NetworkModel(DeclaredType Type, double TimeStep, EquatableArray<LayerModel> Layers, EquatableArray<ConnectionModel> Connections);
