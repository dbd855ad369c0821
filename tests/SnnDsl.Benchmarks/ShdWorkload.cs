using System.Numerics;

namespace SnnDsl.Benchmarks;

/// <summary>
/// The forward-pass workload: one batch of Bernoulli input spikes through <see cref="ShdNetwork"/> with seeded
/// weights, and the synaptic-event count of that batch.
/// </summary>
public static class ShdWorkload
{
    public const int Batch = 64;
    public const int Steps = 100;

    /// <summary>Probability of an input spike per channel per step.</summary>
    public const double InputRate = 0.02;

    /// <summary>
    /// Feed-forward weights ~ Normal(0, (scale/√fan_in)²), recurrent weights with <see cref="RecurrentScale"/>:
    /// the hidden layer then fires a stationary ~3 % per step, as in the PyTorch peer. One shared scale is
    /// bistable here (0.33: ~1 %, 0.36: runs away to ~15 % by the last steps).
    /// </summary>
    public const float WeightScale = 0.6f;

    /// <summary>Scale of the recurrent weights, Normal(0, (scale/√256)²).</summary>
    public const float RecurrentScale = 0.2f;

    public const int WeightSeed = 1;
    public const int InputSeed = 2;

    /// <summary>A network with the benchmark's weights and the built-in neuron parameters.</summary>
    public static ShdNetwork CreateNetwork()
    {
        var network = new ShdNetwork();
        network.InitializeWeights(WeightSeed, WeightScale);
        foreach (ref float w in network.HiddenRecurrent.Weights.AsSpan()) w *= RecurrentScale / WeightScale;
        return network;
    }

    /// <summary>The benchmark's input batch.</summary>
    public static SpikeRaster CreateInput() => SpikeRaster.Bernoulli(Batch, Steps, ShdNetwork.Channels, InputRate, InputSeed);

    /// <summary>Input, hidden spikes and event count of the workload, simulated once per process.</summary>
    public static Statistics Reference => s_reference.Value;

    private static readonly Lazy<Statistics> s_reference = new(() =>
    {
        SpikeRaster input = CreateInput();
        SpikeRaster hidden = CreateNetwork().Simulate(input).Spikes("Hidden");
        return new Statistics(input.Count(), hidden.Count(), SynapticEvents(input, hidden));
    });

    /// <summary>
    /// Synaptic events of one forward pass: Σ over samples and steps of the active presynaptic neurons × their
    /// fan-out: input spikes of step t reach every hidden neuron, hidden spikes of step t−1 every hidden neuron
    /// (recurrent) and hidden spikes of step t every readout neuron.
    /// </summary>
    public static long SynapticEvents(SpikeRaster input, SpikeRaster hidden)
    {
        long events = 0;
        for (int b = 0; b < input.Batch; b++)
        {
            for (int t = 0; t < input.Steps; t++)
            {
                long inputSpikes = PopCount(input.Row(b, t));
                long hiddenSpikes = PopCount(hidden.Row(b, t));
                long hiddenSpikesBefore = t > 0 ? PopCount(hidden.Row(b, t - 1)) : 0;
                events += (inputSpikes + hiddenSpikesBefore) * ShdNetwork.HiddenNeurons + hiddenSpikes * ShdNetwork.Classes;
            }
        }
        return events;
    }

    private static int PopCount(ReadOnlySpan<ulong> words)
    {
        int n = 0;
        foreach (ulong w in words) n += BitOperations.PopCount(w);
        return n;
    }

    /// <summary>Spike counts and synaptic events of one batch.</summary>
    public sealed record Statistics(long InputSpikes, long HiddenSpikes, long SynapticEvents)
    {
        /// <summary>Hidden spikes per neuron per step.</summary>
        public double HiddenRate => (double)HiddenSpikes / ((long)Batch * Steps * ShdNetwork.HiddenNeurons);

        /// <summary>Input spikes per channel per step.</summary>
        public double MeasuredInputRate => (double)InputSpikes / ((long)Batch * Steps * ShdNetwork.Channels);
    }
}
