namespace SnnDsl.Generators.Parsing;

/// <summary>Metadata names of the runtime types the generator recognizes.</summary>
internal static class KnownNames
{
    public const string NeuronAttribute = "SnnDsl.NeuronAttribute";
    public const string SynapseAttribute = "SnnDsl.SynapseAttribute";
    public const string SurrogateAttribute = "SnnDsl.SurrogateAttribute";
    public const string NetworkAttribute = "SnnDsl.NetworkAttribute";
    public const string NirExportableAttribute = "SnnDsl.NirExportableAttribute";
    public const string NirNetworkAttribute = "SnnDsl.NirNetworkAttribute";
    public const string FixedPointAttribute = "SnnDsl.FixedPointAttribute";
    public const string FixedPointFormatAttribute = "SnnDsl.FixedPointFormatAttribute";
    public const string LearningRuleAttribute = "SnnDsl.LearningRuleAttribute";
    public const string PresynapticStateAttribute = "SnnDsl.PresynapticStateAttribute";
    public const string PostsynapticStateAttribute = "SnnDsl.PostsynapticStateAttribute";
    public const string SynapticStateAttribute = "SnnDsl.SynapticStateAttribute";
    public const string PreSpikeAttribute = "SnnDsl.PreSpikeAttribute";
    public const string PostSpikeAttribute = "SnnDsl.PostSpikeAttribute";
    public const string PresynapticAttribute = "SnnDsl.PresynapticAttribute";
    public const string WeightAttribute = "SnnDsl.WeightAttribute";
    public const string ModulatorAttribute = "SnnDsl.ModulatorAttribute";
    public const string TargetAttribute = "SnnDsl.TargetAttribute";
    public const string ErrorAttribute = "SnnDsl.ErrorAttribute";
    public const string StateAttribute = "SnnDsl.StateAttribute";
    public const string PreviousSpikeAttribute = "SnnDsl.PreviousSpikeAttribute";
    public const string ParamAttribute = "SnnDsl.ParamAttribute";
    public const string SpikeAttribute = "SnnDsl.SpikeAttribute";
    public const string PostsynapticAttribute = "SnnDsl.PostsynapticAttribute";
    public const string InputAttribute = "SnnDsl.InputAttribute";
    public const string PopulationAttribute = "SnnDsl.PopulationAttribute";
    public const string DenseAttribute = "SnnDsl.DenseAttribute";
    public const string SparseAttribute = "SnnDsl.SparseAttribute";
    public const string OneToOneAttribute = "SnnDsl.OneToOneAttribute";
    public const string Conv1dAttribute = "SnnDsl.Conv1dAttribute";
    public const string BiasAttribute = "SnnDsl.BiasAttribute";
    public const string CompiledModelAttribute = "SnnDsl.CompiledModelAttribute";
    public const string SpikeInput = "SnnDsl.SpikeInput";
    public const string Population = "SnnDsl.Population`1";
    public const string Synapses = "SnnDsl.DenseSynapses";
    public const string SparseSynapses = "SnnDsl.SparseSynapses";
    public const string OneToOneSynapses = "SnnDsl.OneToOneSynapses";
    public const string Conv1dSynapses = "SnnDsl.Conv1dSynapses";
    public const string Bias = "SnnDsl.Bias";
    public const string INeuron = "SnnDsl.INeuron";
}
