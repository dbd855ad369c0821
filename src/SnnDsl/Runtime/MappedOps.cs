using System.Numerics;
using System.Runtime.CompilerServices;

namespace SnnDsl;

// Event-driven drivers for connections stored as rows of (target, weight index) entries: sparse, one-to-one and
// convolutional connections (MappedConnection). The same three operations as the dense ones.
public static partial class SpikeOps
{
    /// <summary>
    /// Event-driven synaptic input, input[Target[k]] += W[WeightIndex[k]] for every entry k of the row of every active
    /// presynaptic neuron, presynaptic neurons in ascending order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateSpikes(SynapseRows rows, ReadOnlySpan<float> weights, ReadOnlySpan<ulong> spikes, Span<float> input)
    {
        int[] start = rows.RowStart, target = rows.Target, index = rows.WeightIndex;
        for (int w = 0; w < spikes.Length; w++)
        {
            for (ulong bits = spikes[w]; bits != 0; bits &= bits - 1)
            {
                int pre = (w << 6) + BitOperations.TrailingZeroCount(bits);
                for (int k = start[pre]; k < start[pre + 1]; k++) input[target[k]] += weights[index[k]];
            }
        }
    }

    /// <summary>Event-driven weight gradient, ∂L/∂W[WeightIndex[k]] += S_pre · ∂L/∂x[Target[k]] over the rows of active presynaptic neurons.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateOuter(SynapseRows rows, Span<float> weightGradient, ReadOnlySpan<ulong> spikes, ReadOnlySpan<float> inputAdjoint)
    {
        if (!ContainsNonZero(inputAdjoint)) return;
        int[] start = rows.RowStart, target = rows.Target, index = rows.WeightIndex;
        for (int w = 0; w < spikes.Length; w++)
        {
            for (ulong bits = spikes[w]; bits != 0; bits &= bits - 1)
            {
                int pre = (w << 6) + BitOperations.TrailingZeroCount(bits);
                for (int k = start[pre]; k < start[pre + 1]; k++) weightGradient[index[k]] += inputAdjoint[target[k]];
            }
        }
    }

    /// <summary>Error propagation, ∂L/∂S_pre[s, j] += Σ_k W[WeightIndex[k]]·∂L/∂x[s, Target[k]] over row j, for each of <paramref name="samples"/> samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PropagateErrors(SynapseRows rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> inputAdjoints, Span<float> spikeAdjoints, int samples)
    {
        int[] start = rows.RowStart, target = rows.Target, index = rows.WeightIndex;
        int pre = start.Length - 1, post = inputAdjoints.Length / samples;
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<float> adjoint = inputAdjoints.Slice(s * post, post);
            if (!ContainsNonZero(adjoint)) continue;
            Span<float> spikeAdjoint = spikeAdjoints.Slice(s * pre, pre);
            for (int j = 0; j < pre; j++)
            {
                float sum = 0f;
                for (int k = start[j]; k < start[j + 1]; k++) sum += weights[index[k]] * adjoint[target[k]];
                spikeAdjoint[j] += sum;
            }
        }
    }
}

/// <summary>
/// ∂L/∂S of one spiking population during a backward pass, for the steps its outgoing connections' delays reach
/// back: slot t holds [samples of a chunk, neurons]. A connection with delay d adds into the slot of t − d while step t
/// is processed; once step t is done its slot is cleared and reused for t − depth.
/// </summary>
public sealed class SpikeAdjointRing
{
    private readonly float[][] _slots;

    /// <summary>A ring of <paramref name="depth"/> zero slots of <paramref name="length"/> values.</summary>
    public SpikeAdjointRing(int depth, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        _slots = new float[depth][];
        for (int k = 0; k < depth; k++) _slots[k] = new float[length];
    }

    /// <summary>The slot of step <paramref name="step"/>.</summary>
    public float[] At(int step) => _slots[step % _slots.Length];

    /// <summary>Clears the slot of a finished step so that it can hold step − depth.</summary>
    public void Release(int step) => Array.Clear(_slots[step % _slots.Length]);

    /// <summary>Clears every slot (nothing flows back from after the last step).</summary>
    public void Clear()
    {
        foreach (float[] slot in _slots) Array.Clear(slot);
    }
}

/// <summary>The per-step drivers generated networks call for a <see cref="MappedConnection"/>, one delay group at a time.</summary>
public abstract partial class MappedConnection
{
    /// <summary>input += Σ_d Σ_j W·S_j[t − d] over the delay groups (forward, one sample).</summary>
    public void Accumulate(ReadOnlySpan<float> weights, SpikeRaster source, int sample, int step, Span<float> input)
    {
        for (int g = 0; g < Rows.Length; g++)
        {
            int from = step - Delay - g;
            if (from >= 0) SpikeOps.AccumulateSpikes(Rows[g], weights, source.Row(sample, from), input);
        }
    }

    /// <summary>∂L/∂W += S_pre[t − d]ᵀ ∂L/∂x[t] over the delay groups (one sample).</summary>
    public void AccumulateOuter(Span<float> weightGradient, SpikeRaster source, int sample, int step, ReadOnlySpan<float> inputAdjoint)
    {
        for (int g = 0; g < Rows.Length; g++)
        {
            int from = step - Delay - g;
            if (from >= 0) SpikeOps.AccumulateOuter(Rows[g], weightGradient, source.Row(sample, from), inputAdjoint);
        }
    }

    /// <summary>∂L/∂S_pre[t − d] += W ∂L/∂x[t] over the delay groups, for the first <paramref name="samples"/> samples of a chunk.</summary>
    public void PropagateErrors(ReadOnlySpan<float> weights, ReadOnlySpan<float> inputAdjoints, SpikeAdjointRing spikeAdjoints, int step, int samples)
    {
        for (int g = 0; g < Rows.Length; g++)
        {
            int from = step - Delay - g;
            if (from >= 0) SpikeOps.PropagateErrors(Rows[g], weights, inputAdjoints, spikeAdjoints.At(from).AsSpan(0, samples * Pre), samples);
        }
    }
}
