using SnnDsl.Neurons;

namespace SnnDsl.Samples.RewardStdp;

/// <summary>Two groups of inputs onto two LIF neurons, one per choice.</summary>
[Network(TimeStep = 1e-3)]
public partial class ChoiceNetwork
{
    /// <summary>Input channels, half per pattern.</summary>
    public const int Inputs = 40;

    [Input(Inputs)] public partial SpikeInput Stimulus { get; }
    [Population(2)] public partial Population<Lif> Choice { get; }
    [Dense(nameof(Stimulus), nameof(Choice))] public partial DenseSynapses Sensory { get; }
}
