using System.Collections.Generic;
using System.Linq;

namespace SnnDsl.Export.Nir;

/// <summary>
/// Which neurons the NIR export maps to a primitive: one table, compiled into the runtime (<c>NirExporter</c>) and into
/// the analyzers (SNN0407, from this same file), so that the export and the compile-time check decide alike. A neuron
/// maps when its model is one of these built-ins' — the same name, the same dynamics (the IR of <c>Integrate</c>,
/// <c>Fires</c> and <c>Reset</c>), parameters and ports — whichever assembly declares it: a network read from a model
/// file has the models only, no CLR types.
/// </summary>
internal static class NirNeurons
{
    /// <summary>The built-ins with a NIR primitive: metadata name, and the primitives the export writes for it.</summary>
    public static readonly (string Type, string Primitives)[] BuiltIns =
    [
        ("SnnDsl.Neurons.Lif", "LIF, IF"),
        ("SnnDsl.Neurons.CubaLif", "CubaLIF"),
        ("SnnDsl.Neurons.NorseLif", "CubaLIF"),
        ("SnnDsl.Neurons.LeakyReadout", "LI"),
    ];

    /// <summary>"Lif (LIF, IF), CubaLif (CubaLIF), NorseLif (CubaLIF) and LeakyReadout (LI)", for messages.</summary>
    public static string Supported { get; } = Sentence(BuiltIns.Select(b => $"{b.Type.Substring(b.Type.LastIndexOf('.') + 1)} ({b.Primitives})").ToList());

    /// <summary>
    /// What a neuron is recognized by: its name, the IR text of its dynamics as its <c>NeuronDescriptor</c> holds it
    /// (<paramref name="fires"/> and <paramref name="reset"/> null when it has none), its parameter names and its ports.
    /// </summary>
    public static string Identity(string name, string integrate, string? fires, string? reset, IEnumerable<string> parameters, IEnumerable<string> ports) =>
        string.Join("\n", name, integrate, fires ?? "-", reset ?? "-", string.Join(" ", parameters), string.Join(" ", ports));

    private static string Sentence(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
}
