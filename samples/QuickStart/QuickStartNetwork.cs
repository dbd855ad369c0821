using SnnDsl;
using SnnDsl.Neurons;

namespace QuickStart;

/// <summary>40 input channels → 32 refractory LIF neurons → 4 leaky readout integrators (built-in).</summary>
[Network]
public partial class QuickStartNetwork
{
    [Input(40)] public partial SpikeInput In { get; }
    [Population(32)] public partial Population<RefractoryLif> Hidden { get; }
    [Population(4)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
    [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
}
