// Written by random_networks.py (seed 2026); do not edit, rerun the script.
using SnnDsl.Neurons;
using SnnDsl.Synapses;

namespace SnnDsl.Tests.Kernels;

[Network]
public partial class RandomNet0
{
    [Input(26)] public partial SpikeInput In0 { get; }
    [Population(12)] public partial Population<SpyTorchLif> H0 { get; }
    [Population(9)] public partial Population<CubaLif> H1 { get; }
    [Population(15)] public partial Population<ClampedLif> H2 { get; }
    [Population(4)] public partial Population<LeakyReadout> Out { get; }
    [Conv1d(nameof(In0), nameof(H0), InChannels = 2, OutChannels = 1, KernelSize = 2, Stride = 1, Padding = 0, Synapse = typeof(ExponentialCurrent), Delay = 0)] public partial Conv1dSynapses In0ToH0_0 { get; }
    [Dense(nameof(H0), nameof(H1), Synapse = typeof(DifferenceOfExponentials), Delay = 2)] public partial DenseSynapses H0ToH1_1 { get; }
    [Dense(nameof(H0), nameof(H2), Synapse = typeof(DifferenceOfExponentials), Delay = 1)] public partial DenseSynapses H0ToH2_2 { get; }
    [Dense(nameof(H2), nameof(Out), Synapse = typeof(ExponentialCurrent), Delay = 1)] public partial DenseSynapses H2ToOut_3 { get; }
    [Dense(nameof(H1), nameof(H2), Synapse = typeof(DifferenceOfExponentials), Delay = 2)] public partial DenseSynapses H1ToH2_4 { get; }
    [Bias(nameof(H0))] public partial Bias H0Bias { get; }
    [Bias(nameof(H1))] public partial Bias H1Bias { get; }
    [Bias(nameof(H2))] public partial Bias H2Bias { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class RandomNet1
{
    [Input(33)] public partial SpikeInput In0 { get; }
    [Population(11)] public partial Population<NorseLif> H0 { get; }
    [Population(5)] public partial Population<SnnTorchLeakyZeroReset> H1 { get; }
    [Population(31)] public partial Population<SnnTorchSynaptic> H2 { get; }
    [Population(6)] public partial Population<LeakyReadout> Out { get; }
    [Conv1d(nameof(In0), nameof(H0), InChannels = 3, OutChannels = 1, KernelSize = 1, Stride = 1, Padding = 0, Synapse = typeof(Conductance), Delay = 2)] public partial Conv1dSynapses In0ToH0_0 { get; }
    [Conv1d(nameof(In0), nameof(H1), InChannels = 3, OutChannels = 1, KernelSize = 2, Stride = 2, Padding = 0, Synapse = typeof(DifferenceOfExponentials), Delay = 2)] public partial Conv1dSynapses In0ToH1_1 { get; }
    [Dense(nameof(H0), nameof(H2), Synapse = typeof(Conductance), Delay = 1)] public partial DenseSynapses H0ToH2_2 { get; }
    [Dense(nameof(H2), nameof(Out), Synapse = typeof(DifferenceOfExponentials), Delay = 1)] public partial DenseSynapses H2ToOut_3 { get; }
    [Dense(nameof(H2), nameof(H1), Delay = 2)] public partial DenseSynapses H2ToH1_4 { get; }
    [OneToOne(nameof(H0), nameof(H0), Synapse = typeof(Conductance), Delay = 3)] public partial OneToOneSynapses H0ToH0_5 { get; }
    [Dense(nameof(H1), nameof(H1), Synapse = typeof(DifferenceOfExponentials), Delay = 2)] public partial DenseSynapses H1ToH1_6 { get; }
    [Sparse(nameof(H2), nameof(H2), Probability = 0.7, Seed = 5, MaxDelay = 4, Synapse = typeof(DifferenceOfExponentials), Delay = 3)] public partial SparseSynapses H2ToH2_7 { get; }
    [Bias(nameof(H1))] public partial Bias H1Bias { get; }
}

[Network]
public partial class RandomNet2
{
    [Input(36)] public partial SpikeInput In0 { get; }
    [Input(10)] public partial SpikeInput In1 { get; }
    [Population(32)] public partial Population<EiLif> H0 { get; }
    [Population(11)] public partial Population<SnnTorchLeakyZeroReset> H1 { get; }
    [Population(16)] public partial Population<PaperCubaLif> H2 { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In0), nameof(H0), Port = "excitatory", Synapse = typeof(DifferenceOfExponentials), Delay = 0)] public partial DenseSynapses In0ToH0_0 { get; }
    [Dense(nameof(In1), nameof(H1), Delay = 1)] public partial DenseSynapses In1ToH1_1 { get; }
    [Dense(nameof(In0), nameof(H2), Delay = 2)] public partial DenseSynapses In0ToH2_2 { get; }
    [Dense(nameof(H2), nameof(Out), Synapse = typeof(Conductance), Delay = 1)] public partial DenseSynapses H2ToOut_3 { get; }
    [Sparse(nameof(In0), nameof(H0), Probability = 0.7, Seed = 93, MaxDelay = 3, Port = "excitatory", Synapse = typeof(DifferenceOfExponentials), Delay = 3)] public partial SparseSynapses In0ToH0_4 { get; }
    [Sparse(nameof(In1), nameof(H2), Probability = 0.4, Seed = 86, MaxDelay = 0, Synapse = typeof(Conductance), Delay = 0)] public partial SparseSynapses In1ToH2_5 { get; }
    [Sparse(nameof(H2), nameof(H1), Probability = 0.2, Seed = 67, MaxDelay = 2, Delay = 2)] public partial SparseSynapses H2ToH1_6 { get; }
    [Bias(nameof(H1))] public partial Bias H1Bias { get; }
    [Bias(nameof(H2))] public partial Bias H2Bias { get; }
}

[Network]
public partial class RandomNet3
{
    [Input(7)] public partial SpikeInput In0 { get; }
    [Population(2)] public partial Population<SnnTorchLeakyZeroReset> H0 { get; }
    [Population(12)] public partial Population<PaperCubaLif> H1 { get; }
    [Population(10)] public partial Population<EiLif> H2 { get; }
    [Population(5)] public partial Population<LeakyReadout> Out { get; }
    [Conv1d(nameof(In0), nameof(H0), InChannels = 1, OutChannels = 1, KernelSize = 4, Stride = 2, Padding = 0, Synapse = typeof(Conductance), Delay = 2)] public partial Conv1dSynapses In0ToH0_0 { get; }
    [Conv1d(nameof(In0), nameof(H1), InChannels = 1, OutChannels = 3, KernelSize = 4, Stride = 1, Padding = 0, Synapse = typeof(DifferenceOfExponentials), Delay = 0)] public partial Conv1dSynapses In0ToH1_1 { get; }
    [Dense(nameof(In0), nameof(H2), Port = "excitatory", Synapse = typeof(Conductance), Delay = 0)] public partial DenseSynapses In0ToH2_2 { get; }
    [Dense(nameof(H2), nameof(Out), Delay = 1)] public partial DenseSynapses H2ToOut_3 { get; }
    [OneToOne(nameof(H0), nameof(H0), Delay = 1)] public partial OneToOneSynapses H0ToH0_4 { get; }
    [Bias(nameof(H0))] public partial Bias H0Bias { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class RandomNet4
{
    [Input(17)] public partial SpikeInput In0 { get; }
    [Input(22)] public partial SpikeInput In1 { get; }
    [Population(11)] public partial Population<SnnTorchLeakyZeroReset> H0 { get; }
    [Population(36)] public partial Population<SnnTorchSynaptic> H1 { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Conv1d(nameof(In1), nameof(H0), InChannels = 1, OutChannels = 1, KernelSize = 3, Stride = 2, Padding = 1, Synapse = typeof(Conductance), Delay = 2)] public partial Conv1dSynapses In1ToH0_0 { get; }
    [Dense(nameof(In1), nameof(H1), Delay = 0)] public partial DenseSynapses In1ToH1_1 { get; }
    [Dense(nameof(H1), nameof(Out), Delay = 1)] public partial DenseSynapses H1ToOut_2 { get; }
    [Dense(nameof(In1), nameof(H1), Synapse = typeof(ExponentialCurrent), Delay = 2)] public partial DenseSynapses In1ToH1_3 { get; }
    [Sparse(nameof(In0), nameof(H0), Probability = 0.7, Seed = 38, MaxDelay = 3, Synapse = typeof(Conductance), Delay = 1)] public partial SparseSynapses In0ToH0_4 { get; }
    [Sparse(nameof(In0), nameof(H0), Probability = 0.4, Seed = 22, MaxDelay = 0, Synapse = typeof(ExponentialCurrent), Delay = 0)] public partial SparseSynapses In0ToH0_5 { get; }
    [Bias(nameof(H1))] public partial Bias H1Bias { get; }
}

[Network]
public partial class RandomNet5
{
    [Input(10)] public partial SpikeInput In0 { get; }
    [Input(24)] public partial SpikeInput In1 { get; }
    [Population(9)] public partial Population<AdaptiveLif> H0 { get; }
    [Population(10)] public partial Population<EiLif> H1 { get; }
    [Population(2)] public partial Population<LeakyReadout> Out { get; }
    [Dense(nameof(In1), nameof(H0), Synapse = typeof(DifferenceOfExponentials), Delay = 1)] public partial DenseSynapses In1ToH0_0 { get; }
    [Dense(nameof(In1), nameof(H1), Port = "excitatory", Delay = 0)] public partial DenseSynapses In1ToH1_1 { get; }
    [Dense(nameof(H1), nameof(Out), Synapse = typeof(ExponentialCurrent), Delay = 0)] public partial DenseSynapses H1ToOut_2 { get; }
    [Sparse(nameof(H0), nameof(H1), Probability = 0.4, Seed = 41, MaxDelay = 2, Port = "excitatory", Synapse = typeof(Conductance), Delay = 0)] public partial SparseSynapses H0ToH1_3 { get; }
}

[Network]
public partial class RandomNet6
{
    [Input(38)] public partial SpikeInput In0 { get; }
    [Input(22)] public partial SpikeInput In1 { get; }
    [Population(57)] public partial Population<EiLif> H0 { get; }
    [Population(60)] public partial Population<PaperCubaLif> H1 { get; }
    [Population(6)] public partial Population<LeakyReadout> Out { get; }
    [Conv1d(nameof(In0), nameof(H0), InChannels = 1, OutChannels = 3, KernelSize = 3, Stride = 2, Padding = 1, Port = "excitatory", Delay = 1)] public partial Conv1dSynapses In0ToH0_0 { get; }
    [Conv1d(nameof(In1), nameof(H1), InChannels = 1, OutChannels = 3, KernelSize = 3, Stride = 1, Padding = 0, Delay = 0)] public partial Conv1dSynapses In1ToH1_1 { get; }
    [Dense(nameof(H1), nameof(Out), Delay = 0)] public partial DenseSynapses H1ToOut_2 { get; }
    [OneToOne(nameof(H0), nameof(H0), Port = "inhibitory", Delay = 3)] public partial OneToOneSynapses H0ToH0_3 { get; }
    [Bias(nameof(H1))] public partial Bias H1Bias { get; }
    [Bias(nameof(Out))] public partial Bias OutBias { get; }
}

[Network]
public partial class RandomNet7
{
    [Input(20)] public partial SpikeInput In0 { get; }
    [Input(14)] public partial SpikeInput In1 { get; }
    [Population(9)] public partial Population<SpyTorchLif> H0 { get; }
    [Population(5)] public partial Population<LeakyReadout> Out { get; }
    [Conv1d(nameof(In0), nameof(H0), InChannels = 2, OutChannels = 1, KernelSize = 2, Stride = 1, Padding = 0, Synapse = typeof(ExponentialCurrent), Delay = 2)] public partial Conv1dSynapses In0ToH0_0 { get; }
    [Dense(nameof(H0), nameof(Out), Synapse = typeof(DifferenceOfExponentials), Delay = 1)] public partial DenseSynapses H0ToOut_1 { get; }
    [OneToOne(nameof(H0), nameof(H0), Synapse = typeof(Conductance), Delay = 1)] public partial OneToOneSynapses H0ToH0_2 { get; }
    [OneToOne(nameof(H0), nameof(H0), Synapse = typeof(Conductance), Delay = 2)] public partial OneToOneSynapses H0ToH0_3 { get; }
    [Dense(nameof(In0), nameof(H0), Delay = 1)] public partial DenseSynapses In0ToH0_4 { get; }
}
