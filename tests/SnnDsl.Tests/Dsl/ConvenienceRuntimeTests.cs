using SnnDsl.Export;
using SnnDsl.Neurons;
using SnnDsl.Tests.Kernels;

namespace SnnDsl.Tests.Dsl;

/// <summary>The run-time side of the DSL conveniences: a neuron's summary, and initial values outside the kernels.</summary>
public class ConvenienceRuntimeTests
{
    [Fact]
    public void The_summary_of_a_built_in_neuron_lists_states_parameters_and_equations()
    {
        Assert.Equal("""
            Neuron CubaLif (spiking)
              States (initial value):
                I  0
                U  0
              Parameters (default):
                Alpha      0.8187  shared, trainable
                Beta       0.9048  shared, trainable
                Threshold  1       shared, fixed
              Ports: input
              Equations:
                Integrate(input): I = Alpha * I + input; U = Beta * U + I
                S = Fires():       U > Threshold
                Reset() where S:  U = U - Threshold
              Surrogate: FastSigmoid (Slope = 100), reset gradient detached

            """.ReplaceLineEndings("\n"), CubaLif.Descriptor.Summary());
    }

    [Fact]
    public void The_summary_shows_declared_initial_values_the_previous_spike_and_inlined_helpers()
    {
        string helper = HelperLif.Descriptor.Summary();
        Assert.Contains("    I  -0.25\n    U  0.5\n", helper);
        Assert.Contains("    Beta       0.9  per neuron, trainable\n", helper);
        Assert.Contains("Integrate(input): I = Alpha * I + input / (1f + MathF.Abs(input)); U = Beta * U + I", helper);

        string paper = PaperCubaLif.Descriptor.Summary();
        Assert.Contains("S  0  S[t−1], the previous step's spike (set by the kernel)", paper);
        Assert.Contains("Neuron LeakyReadout (non-spiking)", LeakyReadout.Descriptor.Summary());
    }

    [Fact]
    public void Initial_values_are_part_of_the_declaration_of_a_model_file()
    {
        NetworkDescriptor descriptor = HelperNet.Descriptor;
        string text = NetworkDeclaration.ToText(descriptor);
        Assert.Contains("  state I initial -0.25\n  state U initial 0.5\n", text);
        NetworkDescriptor read = NetworkDeclaration.Parse(text);
        Assert.Equal([-0.25f, 0.5f], read.Layer("Hidden").Neuron!.InitialValues!);
        Assert.Equal(NetworkDeclaration.FingerprintHex(descriptor), NetworkDeclaration.FingerprintHex(read));
    }

    [Fact]
    public void The_previous_spike_has_no_initial_value_to_set()
    {
        var net = new SynapseNet();
        Assert.Throws<ArgumentException>(() => net.Exc.InitialState("S"));
        Assert.Equal(0f, EiLif.Descriptor.InitialValue("U"));
    }

    [Fact]
    public void Exports_that_cannot_carry_an_initial_state_refuse_one()
    {
        var net = new FeedForwardNet();
        net.InitializeWeights(seed: 1);
        net.Hidden.InitialState("U")[0] = 0.5f;
        string path = Path.Combine(Path.GetTempPath(), $"snndsl-initial-{Guid.NewGuid():N}.nir");
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => SnnDsl.Export.Nir.NirExporter.Write(net, path));
            Assert.Contains("state U starts at a value other than 0", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
