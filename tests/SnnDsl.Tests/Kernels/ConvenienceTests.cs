using SnnDsl.Neurons;
using SnnDsl.Tests.Reference;

namespace SnnDsl.Tests.Kernels;

/// <summary>
/// The DSL conveniences at the SIMD width of the run: static helpers are inlined into the same IR as the dynamics
/// written out, and give the same kernel results; declared initial values are where the kernel and the reference start.
/// </summary>
[Trait("Category", "Kernels")]
public class ConvenienceTests
{
    [Fact]
    public void A_neuron_with_helpers_has_the_ir_of_the_neuron_written_out()
    {
        NeuronDescriptor helper = HelperLif.Descriptor, written = WrittenOutLif.Descriptor;

        Assert.Equal(written.Integrate, helper.Integrate);
        Assert.Equal(written.Fires, helper.Fires);
        Assert.Equal(written.Reset, helper.Reset);
        Assert.Equal("(block (set-state I (+ (* (param Alpha) (state I)) (/ (input input) (+ 1 (call Abs (input input)))))) (set-state U (+ (* (param Beta) (state U)) (state I))))", helper.Integrate);
        Assert.Equal("(* (/ 1 (+ (* (param Slope) (call Abs (arg))) 1)) (/ 1 (+ (* (param Slope) (call Abs (arg))) 1)))", HelperSigmoid.Descriptor.Derivative);
        Assert.Equal("(block (set-state G (+ (* (param Alpha) (state G)) (input weightedSpikes))))", HelperConductance.Descriptor.Deliver);
    }

    [Fact]
    public void A_neuron_with_helpers_steps_exactly_as_the_neuron_written_out()
    {
        const int n = 45, steps = 30;
        var random = new Random(3);
        float[] beta = [.. Enumerable.Range(0, n).Select(_ => 0.8f + 0.15f * (float)random.NextDouble())];
        float[] i1 = new float[n], u1 = new float[n], i2 = new float[n], u2 = new float[n], input = new float[n];
        ulong[] s1 = new ulong[1], s2 = new ulong[1];
        long spikes = 0;
        for (int t = 0; t < steps; t++)
        {
            for (int k = 0; k < n; k++) input[k] = 3f * (float)(random.NextDouble() - 0.3);
            HelperLif.Step(i1, u1, input, 0.8f, beta, 1f, s1);
            WrittenOutLif.Step(i2, u2, input, 0.8f, beta, 1f, s2);
            Assert.Equal(s2, s1);
            Assert.Equal(i2, i1);
            Assert.Equal(u2, u1);
            spikes += System.Numerics.BitOperations.PopCount(s1[0]);
        }
        Assert.True(spikes > 0, $"no spikes (SIMD {SpikeOps.ActiveSimdWidth}); the comparison would prove little");
    }

    [Fact]
    public void Declared_initial_values_are_in_the_descriptor_the_ir_text_and_the_population()
    {
        Assert.Equal([-0.25f, 0.5f], HelperLif.Descriptor.InitialValues!);
        Assert.Equal(0.5f, HelperLif.Descriptor.InitialValue("U"));
        Assert.Null(CubaLif.Descriptor.InitialValues);
        Assert.Equal(0f, CubaLif.Descriptor.InitialValue("U"));

        var net = new HelperNet();
        Assert.All(net.Hidden.InitialState("U"), v => Assert.Equal(0.5f, v));
        Assert.All(net.Hidden.InitialState("I"), v => Assert.Equal(-0.25f, v));
        Assert.Equal(net.Hidden.Size, net.Hidden.InitialState("U").Length);
        Assert.Throws<ArgumentException>(() => net.Hidden.InitialState("V"));
    }

    [Fact]
    public void A_state_with_an_initial_value_starts_there_in_the_kernel_and_in_the_reference()
    {
        var net = new HelperNet();   // no weights: the only input is the initial state
        net.Hidden.InitialState("U")[3] = 2.5f;   // one neuron starts above threshold
        SpikeRaster[] inputs = [new SpikeRaster(2, 3, 7)];

        SimulationResult kernel = net.Simulate(inputs, new SimulationOptions { RecordAllStates = true });
        ReferenceTrace reference = ReferenceInterpreter.Forward(net, inputs);

        // Step 0: I = α·(−0.25), U = β·U₀ + I; neuron 3 fires (β·2.5 − 0.2 > 1) and is reset by subtraction.
        float i0 = 0.8f * -0.25f;
        float beta = net.Hidden.Parameter("Beta")[0];
        for (int b = 0; b < 2; b++)
        {
            Assert.Equal(i0, kernel.States("Hidden", "I")[b, 0, 0]);
            Assert.Equal(beta * 0.5f + i0, kernel.States("Hidden", "U")[b, 0, 0], 6);
            Assert.Equal(beta * 2.5f + i0 - 1f, kernel.States("Hidden", "U")[b, 0, 3], 6);
            Assert.True(kernel.Spikes("Hidden")[b, 0, 3]);
            Assert.False(kernel.Spikes("Hidden")[b, 0, 0]);
            for (int t = 0; t < 3; t++)
                for (int i = 0; i < net.Hidden.Size; i++)
                {
                    Assert.Equal(reference.State("Hidden", "U")[b, t, i], kernel.States("Hidden", "U")[b, t, i], 5);
                    Assert.Equal(reference.State("Hidden", "I")[b, t, i], kernel.States("Hidden", "I")[b, t, i], 5);
                    Assert.Equal(reference.Spikes("Hidden")[b, t, i], kernel.Spikes("Hidden")[b, t, i]);
                }
        }
    }
}
