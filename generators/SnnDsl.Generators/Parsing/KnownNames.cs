namespace SnnDsl.Generators.Parsing;

/// <summary>Metadata names of the runtime types the generator recognizes.</summary>
internal static class KnownNames
{
    public const string NeuronAttribute = "SnnDsl.NeuronAttribute";
    public const string SurrogateAttribute = "SnnDsl.SurrogateAttribute";
    public const string NetworkAttribute = "SnnDsl.NetworkAttribute";
    public const string StateAttribute = "SnnDsl.StateAttribute";
    public const string ParamAttribute = "SnnDsl.ParamAttribute";
    public const string SpikeAttribute = "SnnDsl.SpikeAttribute";
    public const string InputAttribute = "SnnDsl.InputAttribute";
    public const string PopulationAttribute = "SnnDsl.PopulationAttribute";
    public const string DenseAttribute = "SnnDsl.DenseAttribute";
    public const string SpikeInput = "SnnDsl.SpikeInput";
    public const string Population = "SnnDsl.Population`1";
    public const string Synapses = "SnnDsl.Synapses";

    /// <summary>
    /// Names the generated kernels use for their own parameters and locals; states, parameters and locals may not
    /// take them (the generated code would not compile).
    /// </summary>
    public static bool IsReserved(string name) =>
        name is "input" or "fired" or "surrogate" or "spikes" or "synapticInput" or "sparseEpsilon"
            or "adjointSpikes" or "adjointInput" or "Descriptor" or "Step" or "StepBackward" ||
        name.StartsWith("__", System.StringComparison.Ordinal) ||
        name.StartsWith("adj", System.StringComparison.Ordinal) ||
        name.StartsWith("grad", System.StringComparison.Ordinal) ||
        GeneratedPrefix.IsMatch(name);

    private static readonly System.Text.RegularExpressions.Regex GeneratedPrefix = new("^(state|param|previous|adjoint|gradient)[A-Z]");
}
