using SnnDsl.Tests.Reference;

namespace SnnDsl.Tests.Online;

/// <summary>
/// The generated StepJacobian kernels against the reference interpreter: one step of each neuron on the tape, swept
/// back once per output (each state after the step, and S), gives every row of ∂(h_t, S_t)/∂(h_{t−1}, x_t, θ)
/// independently of the generator's tangent pass. Entries the generator left out must be exactly zero there.
/// </summary>
[Trait("Category", "Kernels")]
public class JacobianTests
{
    public static TheoryData<string> Layers => ExactForwardModeTests.Layers;

    [Theory]
    [MemberData(nameof(Layers))]
    public void Jacobian_entries_equal_the_reference_and_every_left_out_entry_is_zero(string name)
    {
        Population population = ExactForwardModeTests.Create(name).Populations[0];
        NeuronDescriptor neuron = population.Neuron;
        StepTangentsDescriptor tangents = Assert.IsType<StepTangentsDescriptor>(neuron.Tangents);
        int n = population.Size, h = neuron.States.Count, ports = neuron.Ports.Count;
        var random = new Random(name.Length);

        // States near the threshold (so some neurons fire and σ′ is large), previous spikes 0 or 1, per-neuron parameters spread.
        float[][] previous = neuron.States.Select(s => Enumerable.Range(0, n).Select(_ => s == neuron.PreviousSpike
            ? random.Next(2)
            : (float)(random.NextDouble() * 2 - 0.4)).ToArray()).ToArray();
        float[][] input = Enumerable.Range(0, ports).Select(_ => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.3)).ToArray()).ToArray();
        float[][] parameters = Enumerable.Range(0, neuron.Parameters.Count).Select(p =>
        {
            float[] values = (float[])population.Parameter(p).Clone();
            if (values.Length > 1) for (int i = 0; i < n; i++) values[i] *= 0.8f + 0.4f * (float)random.NextDouble();
            return values;
        }).ToArray();
        var kernel = new float[tangents.Slots(neuron.IsSpiking) * n];
        tangents.Kernel(previous, input, parameters, kernel);

        var model = new PopulationModel(population, new Dictionary<string, float>());
        int fired = 0, nonZero = 0;
        for (int i = 0; i < n; i++)
        {
            var tape = new Tape();
            Scalar[] hLeaves = previous.Select(s => tape.Leaf(s[i])).ToArray();
            Scalar[] xLeaves = input.Select(x => tape.Leaf(x[i])).ToArray();
            Scalar[][] thetaLeaves = parameters.Select(p => new[] { tape.Leaf(p[p.Length == 1 ? 0 : i]) }).ToArray();
            Scalar[] state = (Scalar[])hLeaves.Clone();
            Scalar? spike = model.Step(state, xLeaves, tape, thetaLeaves, neuron: 0);
            if (spike is { Value: 1f }) fired++;
            if (tangents.SpikeFollows >= 0)
            {
                // ∂S/∂(h, x) = σ′ · ∂h[d]/∂(h, x), with σ′ the kernel's last slot.
                double sigma = kernel[tangents.Entries.Count * n + i];
                double[] spikeRow = tape.Backward([(spike!.Value, 1.0)]), stateRow = tape.Backward([(state[tangents.SpikeFollows], 1.0)]);
                foreach (Scalar leaf in hLeaves.Concat(xLeaves))
                    Assert.True(Math.Abs(spikeRow[leaf.Node] - sigma * stateRow[leaf.Node]) <= 1e-5 * Math.Max(1, Math.Abs(spikeRow[leaf.Node])),
                        $"{neuron.Name}, neuron {i}: ∂S ≠ σ′·∂{neuron.States[tangents.SpikeFollows]} ({spikeRow[leaf.Node]} vs {sigma} × {stateRow[leaf.Node]}).");
            }

            for (int row = -1; row < h; row++)
            {
                if (row == JacobianEntryDescriptor.Spike && spike is null) continue;
                Scalar output = row < 0 ? spike!.Value : state[row];
                double[] adjoint = tape.Backward([(output, 1.0)]);
                double Reference(TangentSeed seed, int column)
                {
                    Scalar leaf = seed switch
                    {
                        TangentSeed.State => hLeaves[column],
                        TangentSeed.Input => xLeaves[column],
                        _ => thetaLeaves[column][0],
                    };
                    return output.IsConstant ? 0 : adjoint[leaf.Node];
                }

                // Every entry the generator emitted, against the tape.
                var emitted = new HashSet<(TangentSeed, int)>();
                for (int e = 0; e < tangents.Entries.Count; e++)
                {
                    JacobianEntryDescriptor entry = tangents.Entries[e];
                    if (entry.Row != row) continue;
                    emitted.Add((entry.Seed, entry.Column));
                    double expected = Reference(entry.Seed, entry.Column);
                    float actual = kernel[e * n + i];
                    if (expected != 0) nonZero++;
                    Assert.True(Math.Abs(actual - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
                        $"{neuron.Name}, neuron {i}: ∂{Row(neuron, row)}/∂{Seed(neuron, entry.Seed, entry.Column)} is {actual}, the reference {expected} (SIMD {SpikeOps.ActiveSimdWidth}).");
                }
                // Every entry it left out is a structural zero.
                foreach ((TangentSeed seed, int count) in new[] { (TangentSeed.State, h), (TangentSeed.Input, ports), (TangentSeed.Parameter, neuron.Parameters.Count) })
                    for (int column = 0; column < count; column++)
                    {
                        if (emitted.Contains((seed, column)) || seed == TangentSeed.Parameter && !neuron.Parameters[column].Trainable) continue;
                        Assert.True(Reference(seed, column) == 0,
                            $"{neuron.Name}, neuron {i}: ∂{Row(neuron, row)}/∂{Seed(neuron, seed, column)} = {Reference(seed, column)} in the reference, but the generator left it out as zero.");
                    }
            }
        }
        if (neuron.IsSpiking) Assert.InRange(fired, 1, n - 1);
        Assert.True(nonZero > n, $"{neuron.Name}: only {nonZero} non-zero entries were compared.");
    }

    [Fact]
    public void Uniform_entries_are_the_same_for_every_neuron_and_factorizable_means_uniform_state_and_input_columns()
    {
        foreach (string name in ExactForwardModeTests.LayerNames)
        {
            Population population = ExactForwardModeTests.Create(name).Populations[0];
            StepTangentsDescriptor tangents = population.Neuron.Tangents!;
            bool uniformDynamics = tangents.Entries.Where(e => e.Row != JacobianEntryDescriptor.Spike && e.Seed != TangentSeed.Parameter).All(e => e.Uniform);
            Assert.Equal(uniformDynamics, tangents.Factorizable);
        }
        // The memory a layer's traces need follows from it.
        StepTangentsDescriptor lif = new LifLayer().Out.Neuron.Tangents!, zeroReset = new SnnTorchLeakyZeroResetLayer().Out.Neuron.Tangents!;
        Assert.True(lif.Factorizable);
        Assert.False(zeroReset.Factorizable);
        Assert.Equal(700L * 1, lif.TraceFloats(700, 256, 1));
        Assert.Equal(700L * 256 * 2, zeroReset.TraceFloats(700, 256, 2));
    }

    private static string Row(NeuronDescriptor neuron, int row) => row < 0 ? "S" : neuron.States[row];

    private static string Seed(NeuronDescriptor neuron, TangentSeed seed, int column) => seed switch
    {
        TangentSeed.State => neuron.States[column] + "[t−1]",
        TangentSeed.Input => neuron.Ports[column],
        _ => neuron.Parameters[column].Name,
    };
}
