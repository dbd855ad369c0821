using SnnDsl.Neurons;

namespace SnnDsl.Benchmarks;

/// <summary>
/// The SHD-shaped network (Spiking Heidelberg Digits: 700 cochlea channels, 20 classes; Cramer et al. 2020):
/// 700 input channels → 256 recurrent current-based LIF neurons → 20 leaky readout integrators.
/// </summary>
[Network]
public partial class ShdNetwork
{
    public const int Channels = 700;
    public const int HiddenNeurons = 256;
    public const int Classes = 20;

    [Input(Channels)] public partial SpikeInput In { get; }
    [Population(HiddenNeurons)] public partial Population<CubaLif> Hidden { get; }
    [Population(Classes)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenRecurrent { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}
