using SnnDsl.Neurons;

namespace SnnDsl.Tests.Online;

// One trainable layer per neuron type — every built-in, the peers' neurons and two user neurons (a per-neuron
// trainable threshold with a reset to zero above 2ϑ; two ports with an attached reset) — where exact forward mode
// must equal BPTT: a dense connection (with a delay on some), a one-to-one connection and a bias, and the neuron's
// trainable parameters. 27 = 16 + 8 + 3 neurons: the kernels run their Vector512, Vector256 and scalar parts.

[Network]
public partial class LifLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<Lif> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class CubaLifLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<CubaLif> Out { get; }
    [Dense(nameof(In), nameof(Out), Delay = 2)] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class AdaptiveLifLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<AdaptiveLif> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class LeakyReadoutLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In), nameof(Out), Delay = 1)] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class PaperCubaLifLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<PaperCubaLif> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class SnnTorchSynapticLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<SnnTorchSynaptic> Out { get; }
    [Dense(nameof(In), nameof(Out), Delay = 1)] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class SnnTorchSynapticZeroResetLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<SnnTorchSynapticZeroReset> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class SnnTorchLeakyLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<SnnTorchLeaky> Out { get; }
    [Dense(nameof(In), nameof(Out), Delay = 2)] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class SnnTorchLeakyZeroResetLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<SnnTorchLeakyZeroReset> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class SpyTorchLifLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<SpyTorchLif> Out { get; }
    [Dense(nameof(In), nameof(Out), Delay = 1)] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class NorseLifLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<NorseLif> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

/// <summary>A neuron written with helpers and declared initial values (set per neuron by the tests).</summary>
[Network]
public partial class HelperLifLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<Kernels.HelperLif> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class ClampedLifLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<Kernels.ClampedLif> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class EiLifLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<Kernels.EiLif> Out { get; }
    [Dense(nameof(In), nameof(Out), Delay = 1, Port = "excitatory")] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out), Port = "inhibitory")] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out), Port = "excitatory")] public partial Bias OutBias { get; }
}

[Network]
public partial class CubaLifZeroResetLayer
{
    [Input(23)] public partial SpikeInput In { get; }
    [Input(27)] public partial SpikeInput Side { get; }
    [Population(27)] public partial Population<global::SnnDsl.FixedPoint.CubaLifZeroReset> Out { get; }
    [Dense(nameof(In), nameof(Out))] public partial DenseSynapses InToOut { get; }
    [OneToOne(nameof(Side), nameof(Out))] public partial OneToOneSynapses SideToOut { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}
