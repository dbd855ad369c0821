namespace SnnDsl.Tests.FixedPoint;

// Neurons declared directly in integer arithmetic (docs/fixed-point.md, "Neurons declared in integer arithmetic"). Each is
// ordinary C#: IntegerNeuronKernelTests calls these methods neuron by neuron as the reference of the generated Step.

/// <summary>
/// A Xylo-like neuron written by hand: int16 states, a saturating add of the input, bit-shift decays by two dash
/// parameters, a non-strict threshold and a reset by subtraction that wraps in 16 bits (a short compound assignment).
/// </summary>
[Neuron]
public partial struct HandXylo
{
    /// <summary>Synaptic current.</summary>
    [State] public short I;

    /// <summary>Membrane potential.</summary>
    [State] public short U;

    /// <summary>Synaptic decay as a shift: I ← I − (I &gt;&gt; DashSyn).</summary>
    [Param(2)] public int DashSyn;

    /// <summary>Membrane decay as a shift.</summary>
    [Param(4)] public int DashMem;

    /// <summary>Firing threshold.</summary>
    [Param(100)] public short Threshold;

    /// <summary>Saturate the input into I, decay I, then U ← sat(U − (U &gt;&gt; DashMem) + I).</summary>
    public void Integrate(int input)
    {
        I = (short)Math.Clamp(I + input, short.MinValue, short.MaxValue);
        I = (short)(I - (I >> DashSyn));
        U = (short)Math.Clamp(U - (U >> DashMem) + I, short.MinValue, short.MaxValue);
    }

    /// <summary>U ≥ ϑ.</summary>
    public bool Fires() => U >= Threshold;

    /// <summary>U ← U − ϑ, wrapping in 16 bits.</summary>
    public void Reset() => U -= Threshold;
}

/// <summary>
/// A Loihi-like compartment written by hand: int states, decays by a multiply and a 12-bit shift, the current wrapped
/// into 24 bits as shifts <c>(v &lt;&lt; 8) &gt;&gt; 8</c>, the voltage clamped to ±Limit (a parameter), a strict test
/// against a shifted threshold and a reset to 0.
/// </summary>
[Neuron]
public partial struct HandLoihi
{
    /// <summary>Current u (24 bits).</summary>
    [State] public int Current;

    /// <summary>Voltage v.</summary>
    [State] public int Voltage;

    /// <summary>Current decay register, 0…4096.</summary>
    [Param(1024)] public int Du;

    /// <summary>Voltage decay register, 0…4096.</summary>
    [Param(256)] public int Dv;

    /// <summary>Threshold mantissa, shifted by 6.</summary>
    [Param(100)] public int Vth;

    /// <summary>Bias added to the voltage each step.</summary>
    [Param(0)] public int Bias;

    /// <summary>The voltage's clamp, ±Limit.</summary>
    [Param(8388607)] public int Limit;

    /// <summary>u ← wrap24(u·(4096 − du) &gt;&gt; 12 + (a_in &lt;&lt; 6)); v ← clamp(v·(4096 − dv) &gt;&gt; 12 + u + bias, ±Limit).</summary>
    public void Integrate(int input)
    {
        Current = ((Current * (4096 - Du) >> 12) + (input << 6)) << 8 >> 8;
        int decayed = Voltage * (4096 - Dv) >> 12;
        Voltage = Math.Clamp(decayed + Current + Bias, -Limit, Limit);
    }

    /// <summary>v &gt; vth·2^6.</summary>
    public bool Fires() => Voltage > Vth << 6;

    /// <summary>v ← 0.</summary>
    public void Reset() => Voltage = 0;
}

/// <summary>
/// An adaptive neuron with a refractory counter, written with what integer dynamics allow beyond the chips' shapes: a
/// multiply-and-shift decay by a short parameter, locals, if/else, ?:, ++/--, compound assignments to a short, bitwise
/// operators, Math.Min/Max, unary minus, an unsigned shift, and a spike test combining two comparisons.
/// </summary>
[Neuron]
public partial struct HandAdaptive
{
    /// <summary>Membrane potential.</summary>
    [State] public int V;

    /// <summary>Adaptation, raised at each spike.</summary>
    [State] public short A;

    /// <summary>Steps left in the refractory period.</summary>
    [State] public int Refractory;

    /// <summary>Leak factor, applied as (V·Decay) &gt;&gt; Shift.</summary>
    [Param(200)] public short Decay;

    /// <summary>Shift of the leak.</summary>
    [Param(8)] public int Shift;

    /// <summary>Firing threshold.</summary>
    [Param(50)] public int Threshold;

    /// <summary>Refractory period in steps.</summary>
    [Param(3)] public int Period;

    /// <summary>Leak, then integrate unless refractory; floor the potential at −4ϑ; mix in its sign bit and that of (short)(31·V).</summary>
    public void Integrate(int input)
    {
        int leak = (V * Decay) >> Shift;
        if (Refractory > 0)
        {
            Refractory--;
            V = leak;
        }
        else
        {
            int drive = input - A;
            V = leak + drive;
            A = (short)(A - (A >> 2));
        }
        V = V < -Threshold * 4 ? -Threshold * 4 : V;
        V ^= (V >>> 31) & 1;
        short noise = (short)(V * 31);
        V = Math.Min(V, int.MaxValue - 1) + (noise >> 15) * ~0;
    }

    /// <summary>V ≥ ϑ outside the refractory period.</summary>
    public bool Fires() => V >= Threshold && !(Refractory != 0);

    /// <summary>V ← max(V − ϑ, 0); A += 16 (wrapping in 16 bits); refractory for Period steps.</summary>
    public void Reset()
    {
        V = Math.Max(V - Threshold, 0);
        A += 16;
        Refractory = Period;
    }
}
