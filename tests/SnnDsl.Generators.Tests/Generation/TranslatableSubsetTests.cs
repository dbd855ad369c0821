using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;

namespace SnnDsl.Generators.Tests.Generation;

/// <summary>Every construct docs/ir.md allows is translated, and the generated code compiles cleanly.</summary>
public class TranslatableSubsetTests
{
    private const string Models = """
        using SnnDsl;

        namespace User.Models;

        [Surrogate]
        public static partial class Smooth
        {
            [Param(2f)] public static float Alpha;

            public static float Derivative(float x)
            {
                float z = Alpha * x;
                return Alpha / (1f + z * z);
            }
        }

        [Neuron]
        public partial struct Everything
        {
            private const float Floor = -2f;

            [State] public float I;
            [State] public float U;
            [State] public float A;
            [Param(0.8f, Trainable = true)] public float Alpha;
            [Param(0.9f)] public float Beta;
            [Param(1f, PerNeuron = true)] public float Threshold;

            public void Integrate(float input)
            {
                float drive = (float)input + (float)2;
                I = Alpha * I + drive;
                this.U *= Beta;
                U += I - MathF.Exp(-MathF.Abs(A)) / MathF.Sqrt(1f + A * A);
                U -= 0.1f * MathF.Tanh(U) + MathF.Log(1f + MathF.Pow(MathF.Abs(I), 2f));
                U /= +1.5f;
                float clamped = MathF.Max(Floor, MathF.Min(U, 10f));
                clamped = (clamped > 0f && !(I < 0f)) || A >= 1f ? clamped : -clamped * 0.5f;
                U = clamped;
                A = A != 0f && A <= 5f ? A * 0.99f : 0f;
            }

            [Spike(typeof(Smooth))]
            public bool Fires() => U > Threshold + A;

            public void Reset()
            {
                U -= Threshold;
                A += 0.1f;
            }
        }

        [Network(TimeStep = 1e-3)]
        public partial class Recurrent
        {
            [Input(5)] public partial SpikeInput In { get; }
            [Population(7)] public partial Population<Everything> Hidden { get; }
            [Population(3)] public partial Population<SnnDsl.Neurons.LeakyReadout> Out { get; }
            [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
            [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenToHidden { get; }
            [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
        }
        """;

    private static readonly Lazy<GeneratorRun> Generated = new(() => GeneratorHarness.Run(Models));

    [Fact]
    public void Neuron_using_every_allowed_construct_and_a_recurrent_network_compile_without_errors_or_warnings()
    {
        GeneratorRun run = Generated.Value;

        Assert.Empty(run.Diagnostics);
        Assert.Equal(
            ["User.Models.Everything.Neuron.g", "User.Models.Recurrent.Network.g", "User.Models.Recurrent.Persistence.g", "User.Models.Smooth.Surrogate.g"],
            run.GeneratedSources.Select(s => Snapshot.NameOf(s.HintName)).Order());
        Assert.Empty(run.CompileErrors);
        Assert.Empty(run.CompileWarnings());
    }

    [Theory]
    [InlineData("(set-local drive (+ (input input) 2))")]
    [InlineData("(set-state U (* (state U) (param Beta)))")]
    [InlineData("(call Exp (neg (call Abs (state A))))")]
    [InlineData("(call Sqrt")]
    [InlineData("(call Tanh (state U))")]
    [InlineData("(call Log")]
    [InlineData("(call Pow (call Abs (state I)) 2)")]
    [InlineData("(call Max -2 (call Min (state U) 10))")]
    [InlineData("(/ (state U) 1.5)")]
    [InlineData("(select (or (and (> (local clamped) 0) (not (< (state I) 0))) (>= (state A) 1)) (local clamped) (* (neg (local clamped)) 0.5))")]
    [InlineData("(select (and (!= (state A) 0) (<= (state A) 5))")]
    public void Every_allowed_construct_reaches_the_IR_of_Integrate(string fragment)
    {
        string neuron = Generated.Value.GeneratedSources.Single(s => s.HintName.StartsWith("User.Models.Everything.", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains(fragment, IntegrateIr(neuron));
    }

    /// <summary>The Integrate IR from the generated <c>Descriptor</c>: the first string literal that starts a block.</summary>
    private static string IntegrateIr(string neuronSource)
    {
        string line = neuronSource.Split('\n').First(l => l.TrimStart().StartsWith("\"(block", StringComparison.Ordinal));
        return line.Trim().TrimEnd(',').Trim('"');
    }
}
