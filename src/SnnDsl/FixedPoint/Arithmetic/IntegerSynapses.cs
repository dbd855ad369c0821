using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SnnDsl.FixedPoint;

/// <summary>
/// Event-driven integer synaptic accumulation for <see cref="QuantizedEngine.Kernels"/>: the weight row of one active
/// presynaptic neuron added into the postsynaptic inputs in each chip's arithmetic, on Vector512, Vector256 and scalars
/// (every width gives the same bits, element by element as the reference networks add).
/// </summary>
internal static class IntegerSynapses
{
    /// <summary>x += row, wrapping int adds (Lava's Dense <c>a_accum</c>).</summary>
    public static void Add(Span<int> x, ReadOnlySpan<int> row)
    {
        ref int xs = ref MemoryMarshal.GetReference(x);
        ref int ws = ref MemoryMarshal.GetReference(row);
        int n = x.Length, k = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; k <= n - Vector512<int>.Count; k += Vector512<int>.Count)
                (Vector512.LoadUnsafe(ref xs, (uint)k) + Vector512.LoadUnsafe(ref ws, (uint)k)).StoreUnsafe(ref xs, (uint)k);
        if (Vector256.IsHardwareAccelerated)
            for (; k <= n - Vector256<int>.Count; k += Vector256<int>.Count)
                (Vector256.LoadUnsafe(ref xs, (uint)k) + Vector256.LoadUnsafe(ref ws, (uint)k)).StoreUnsafe(ref xs, (uint)k);
        for (; k < n; k++) Unsafe.Add(ref xs, k) = unchecked(Unsafe.Add(ref xs, k) + Unsafe.Add(ref ws, k));
    }

    /// <summary>
    /// x ← clamp(x + count·row, min, max): <paramref name="count"/> events of the same presynaptic neuron, each added with
    /// xylosim's saturating <c>safe_add</c>. For x in range the partial sums of one sign move monotonically and stop at the
    /// bound they reach, so count saturating adds equal one saturating add of count·w (|count·w| &lt; 2^31 for int16 w and
    /// count ≤ 2^15).
    /// </summary>
    public static void AddSaturating(Span<int> x, ReadOnlySpan<int> row, int count, int min, int max)
    {
        ref int xs = ref MemoryMarshal.GetReference(x);
        ref int ws = ref MemoryMarshal.GetReference(row);
        int n = x.Length, k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<int> c = Vector512.Create(count), lo = Vector512.Create(min), hi = Vector512.Create(max);
            for (; k <= n - Vector512<int>.Count; k += Vector512<int>.Count)
            {
                Vector512<int> sum = Vector512.LoadUnsafe(ref xs, (uint)k) + Vector512.LoadUnsafe(ref ws, (uint)k) * c;
                Vector512.Min(Vector512.Max(sum, lo), hi).StoreUnsafe(ref xs, (uint)k);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<int> c = Vector256.Create(count), lo = Vector256.Create(min), hi = Vector256.Create(max);
            for (; k <= n - Vector256<int>.Count; k += Vector256<int>.Count)
            {
                Vector256<int> sum = Vector256.LoadUnsafe(ref xs, (uint)k) + Vector256.LoadUnsafe(ref ws, (uint)k) * c;
                Vector256.Min(Vector256.Max(sum, lo), hi).StoreUnsafe(ref xs, (uint)k);
            }
        }
        for (; k < n; k++) Unsafe.Add(ref xs, k) = Math.Clamp(Unsafe.Add(ref xs, k) + Unsafe.Add(ref ws, k) * count, min, max);
    }

    /// <summary>
    /// sPyNNaker's ring buffers: a positive weight goes to the excitatory buffer, the magnitude of a negative one to the
    /// inhibitory buffer, each sum saturated at <paramref name="max"/> (the buffers and |w| are ≤ 2^16, so no int overflows).
    /// </summary>
    public static void AddToRingBuffers(Span<int> excitatory, Span<int> inhibitory, ReadOnlySpan<int> row, int max)
    {
        ref int es = ref MemoryMarshal.GetReference(excitatory);
        ref int hs = ref MemoryMarshal.GetReference(inhibitory);
        ref int ws = ref MemoryMarshal.GetReference(row);
        int n = excitatory.Length, k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<int> top = Vector512.Create(max);
            for (; k <= n - Vector512<int>.Count; k += Vector512<int>.Count)
            {
                Vector512<int> w = Vector512.LoadUnsafe(ref ws, (uint)k);
                Vector512.Min(Vector512.LoadUnsafe(ref es, (uint)k) + Vector512.Max(w, Vector512<int>.Zero), top).StoreUnsafe(ref es, (uint)k);
                Vector512.Min(Vector512.LoadUnsafe(ref hs, (uint)k) - Vector512.Min(w, Vector512<int>.Zero), top).StoreUnsafe(ref hs, (uint)k);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<int> top = Vector256.Create(max);
            for (; k <= n - Vector256<int>.Count; k += Vector256<int>.Count)
            {
                Vector256<int> w = Vector256.LoadUnsafe(ref ws, (uint)k);
                Vector256.Min(Vector256.LoadUnsafe(ref es, (uint)k) + Vector256.Max(w, Vector256<int>.Zero), top).StoreUnsafe(ref es, (uint)k);
                Vector256.Min(Vector256.LoadUnsafe(ref hs, (uint)k) - Vector256.Min(w, Vector256<int>.Zero), top).StoreUnsafe(ref hs, (uint)k);
            }
        }
        for (; k < n; k++)
        {
            int w = Unsafe.Add(ref ws, k);
            Unsafe.Add(ref es, k) = Math.Min(max, Unsafe.Add(ref es, k) + Math.Max(w, 0));
            Unsafe.Add(ref hs, k) = Math.Min(max, Unsafe.Add(ref hs, k) - Math.Min(w, 0));
        }
    }
}
