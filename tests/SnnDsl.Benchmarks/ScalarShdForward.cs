namespace SnnDsl.Benchmarks;

/// <summary>
/// The baseline: the forward pass of <see cref="ShdNetwork"/> written the straightforward way, with dense
/// matrix–vector products over 0/1 spike vectors in plain float loops (every synapse is visited whether its
/// presynaptic neuron spiked or not) and no SIMD. Same dynamics, parameters, weights and summation order as the
/// generated kernels, so it produces the same spikes.
/// </summary>
public sealed class ScalarShdForward(ShdNetwork network)
{
    private const int Channels = ShdNetwork.Channels, Hidden = ShdNetwork.HiddenNeurons, Classes = ShdNetwork.Classes;

    private readonly float[] _inToHidden = network.InToHidden.Weights;
    private readonly float[] _hiddenRecurrent = network.HiddenRecurrent.Weights;
    private readonly float[] _hiddenToOut = network.HiddenToOut.Weights;
    private readonly float _hiddenAlpha = network.Hidden.Parameter("Alpha")[0];
    private readonly float _hiddenBeta = network.Hidden.Parameter("Beta")[0];
    private readonly float _threshold = network.Hidden.Parameter("Threshold")[0];
    private readonly float _outAlpha = network.Out.Parameter("Alpha")[0];
    private readonly float _outBeta = network.Out.Parameter("Beta")[0];

    /// <summary>
    /// Runs a batch, samples in parallel on up to <paramref name="maxDegreeOfParallelism"/> threads (0: every core).
    /// Returns the hidden spikes and the readout membrane [batch, steps, classes].
    /// </summary>
    public (SpikeRaster HiddenSpikes, float[] ReadoutMembrane) Simulate(SpikeRaster input, int maxDegreeOfParallelism)
    {
        var hiddenSpikes = new SpikeRaster(input.Batch, input.Steps, Hidden);
        var readoutMembrane = new float[input.Batch * input.Steps * Classes];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : -1 };
        Parallel.For(0, input.Batch, options, b => SimulateSample(input, b, hiddenSpikes, readoutMembrane));
        return (hiddenSpikes, readoutMembrane);
    }

    private void SimulateSample(SpikeRaster input, int b, SpikeRaster hiddenSpikes, float[] readoutMembrane)
    {
        var inputSpikes = new float[Channels];
        var hiddenSpikesNow = new float[Hidden];
        var hiddenSpikesBefore = new float[Hidden];   // S_hidden[t−1], zero at t = 0
        var hiddenInput = new float[Hidden];
        var hiddenCurrent = new float[Hidden];
        var hiddenMembrane = new float[Hidden];
        var outInput = new float[Classes];
        var outCurrent = new float[Classes];
        var outMembrane = new float[Classes];

        for (int t = 0; t < input.Steps; t++)
        {
            for (int j = 0; j < Channels; j++) inputSpikes[j] = input[b, t, j] ? 1f : 0f;

            // Hidden: synaptic input W_in·S_in[t] + W_rec·S_hidden[t−1], then I = αI + input, U = βU + I, spike, reset.
            Array.Clear(hiddenInput);
            MultiplyAdd(_inToHidden, inputSpikes, hiddenInput);
            MultiplyAdd(_hiddenRecurrent, hiddenSpikesBefore, hiddenInput);
            for (int i = 0; i < Hidden; i++)
            {
                hiddenCurrent[i] = _hiddenAlpha * hiddenCurrent[i] + hiddenInput[i];
                hiddenMembrane[i] = _hiddenBeta * hiddenMembrane[i] + hiddenCurrent[i];
                bool fires = hiddenMembrane[i] > _threshold;
                if (fires) hiddenMembrane[i] -= _threshold;
                hiddenSpikesNow[i] = fires ? 1f : 0f;
                hiddenSpikes[b, t, i] = fires;
            }

            // Readout: synaptic input W_out·S_hidden[t], then I = αI + input, U = βU + I.
            Array.Clear(outInput);
            MultiplyAdd(_hiddenToOut, hiddenSpikesNow, outInput);
            for (int k = 0; k < Classes; k++)
            {
                outCurrent[k] = _outAlpha * outCurrent[k] + outInput[k];
                outMembrane[k] = _outBeta * outMembrane[k] + outCurrent[k];
                readoutMembrane[(b * input.Steps + t) * Classes + k] = outMembrane[k];
            }

            (hiddenSpikesBefore, hiddenSpikesNow) = (hiddenSpikesNow, hiddenSpikesBefore);
        }
    }

    /// <summary>y += Wᵀx for row-major W [pre, post]: every presynaptic row, spiking or not, in ascending order.</summary>
    private static void MultiplyAdd(float[] weights, float[] x, float[] y)
    {
        int post = y.Length;
        for (int j = 0; j < x.Length; j++)
        {
            float xj = x[j];
            int row = j * post;
            for (int i = 0; i < post; i++) y[i] += xj * weights[row + i];
        }
    }
}
