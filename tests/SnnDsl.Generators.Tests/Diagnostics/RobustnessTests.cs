using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>The generator runs on every keystroke: half-typed and malformed declarations must never make it throw.</summary>
public class RobustnessTests
{
    private const string Usings = "using SnnDsl;\nusing SnnDsl.Neurons;\nusing SnnDsl.Surrogates;\n";

    public static TheoryData<string> IncompleteDeclarations =>
    [
        // Neurons: unfinished bodies and members.
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) { U = ",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) => ; }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input, float extra) => U += input; }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) => U += input; public void Integrate(int input) { } }",
        "[Neuron] public partial struct A { [State] public float U; public partial void Integrate(float input); }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) { U = Undefined(input) + Missing; } }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) { U = MathF.Max(U); U = MathF.(U); } }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) { U += U++ + --U; U = (float)(object)U; } }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) { float v = v; U = v; } }",
        "[Neuron] public partial struct A<T> { [State] public float U; public void Integrate(float input) => U += input; }",
        "[Neuron] public partial struct { [State] public float U; }",
        "[Neuron] partial",
        "[Neuron]",
        "[Neuron(1)] public partial struct A { [State] public float U; public void Integrate(float input) => U += input; }",
        "[Neuron] public partial class A { [State] public float U; public void Integrate(float input) => U += input; }",
        // A struct marked static (CS0106): C# still reads it as static, and no generated part may add an interface to it (CS0714; found by the fuzz test).
        "[Neuron] public static partial struct A { [State] public float U; public void Integrate(float input) => U += input; }",
        "[LearningRule] public static partial struct R { [SynapticState] public float C; public float Update([PreSpike] float pre, [PostSpike] float post) => C = pre * post; }",
        "[Neuron] public partial struct A { [State] float; [State] public float ; public void Integrate(float input) => U += input; }",
        "[Neuron] public partial struct A { [State] public float U, V; [State] public float[] W; public void Integrate(float input) => U += input; }",
        // Attribute arguments of the wrong kind or missing.
        "[Neuron] public partial struct A { [State] public float U; [Param] public float B; [Param(\"x\")] public float C; public void Integrate(float input) => U += input; }",
        "[Neuron] public partial struct A { [State] public float U; [Param(1f, PerNeuron = 3)] public float B; public void Integrate(float input) => U += input; }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) => U += input; [Spike] public bool Fires() => U > 1f; }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof())] public bool Fires() => U > 1f; }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) => U += input; [Spike(null)] public bool Fires() => U > ; }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(Undefined))] public bool Fires() => Fires(); }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid), AttachResetGradient = 1)] public bool Fires() { } }",
        "[Neuron] public partial struct A { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid))] public bool Fires() { return; } }",
        // Surrogates.
        "[Surrogate] public static partial class S { public static float Derivative(float x) => ; }",
        "[Surrogate] public static partial class S { public static float Derivative(float x) { } }",
        "[Surrogate] public static partial class S { public static float Derivative(float x) { return; } }",
        "[Surrogate] public static partial class S { public static float Derivative(float x) => Derivative(x); }",
        "[Surrogate] public static partial class S { public static float Derivative() => 1f; }",
        "[Surrogate] public static partial class S { [Param(1f)] public static float Alpha; public static float Derivative(float x) => Alpha * y; }",
        // Networks.
        "[Network] public partial class N { [Input] public partial SpikeInput In { get; } }",
        // A namespace being typed: nothing is generated until its name is well formed (C# reports the syntax error).
        "namespace A..B; [Neuron] public partial struct X { [State] public float U; public void Integrate(float input) => U += input; }",
        "namespace .A; [Surrogate] public static partial class S { public static float Derivative(float x) => x; }",
        // A type whose name is being typed: nothing is generated until it has one (found by the fuzz test: a complete surrogate without a name).
        "[Surrogate] public static partial class { public static float Derivative(float x) => x; }",
        "[Network] public partial class { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } }",
        // No accessibility written: the implementing part must write none either (CS8799), in the model and in the shell.
        "[Network] public partial class N { [Input(2)] partial SpikeInput In { get; } [Population(2)] partial Population<Lif> H { get; } [Dense(nameof(In), nameof(H))] partial DenseSynapses C { get; } }",
        "[Network] public partial class N { [Input(2)] partial SpikeInput In { get; } [Population(2)] partial Population<Lif> H { get; } [Dense(nameof(In), nameof(Missing))] partial DenseSynapses C { get; } }",
        "[Network] public partial class N { [Input(\"x\")] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<> H { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Undefined> H { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<N> H { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } [Dense] public partial DenseSynapses W { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } [Dense(1, 2)] public partial DenseSynapses W { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } [Dense(null, null)] public partial DenseSynapses W { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } [Dense(\"In\", \"H\")] public partial DenseSynapses }",
        "[Network(TimeStep = \"fast\")] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } }",
        "[Network] public partial class N { [Input(2)] [Population(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H => null; }",
        "[Network] public partial class N : N { }",
        // Found by the fuzz test: C# errors the user's declaration already has must not be repeated by the generated shell.
        // A population of a struct that is not a neuron, or a [Neuron] struct the generator cannot complete: Population<T> asks for INeuron (CS0315).
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<P> H { get; } } public partial struct P { [State] public float U; public void Integrate(float input) => U += input; }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<P> H { get; } } [Neuron] public struct P { [State] public float U; public void Integrate(float input) => U += input; }",
        // A public layer of an internal neuron (CS0053), with a valid network and with a network that has SNN errors.
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<P> H { get; } [Dense(nameof(In), nameof(H))] public partial DenseSynapses W { get; } } [Neuron] internal partial struct P { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f; }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<P> H { get; } [Dense(nameof(In), nameof(Missing))] public partial DenseSynapses W { get; } } [Neuron] internal partial struct P { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f; }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] protected partial Population<P> H { get; } [Dense(nameof(In), nameof(H))] public partial DenseSynapses W { get; } " +
        "[Neuron] private partial struct P { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f; } }",
        // Two members of one name (CS0102), in a valid network and in one with SNN errors.
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } [Population(2)] public partial Population<Lif> G { get; } [Dense(nameof(In), nameof(H))] public partial DenseSynapses W { get; } [Dense(nameof(In), nameof(G))] public partial DenseSynapses W { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } [Dense(nameof(In), nameof(H))] public partial DenseSynapses W { get; } [Dense(nameof(In), nameof(Missing))] public partial DenseSynapses W { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; } [Dense(nameof(In), nameof(H))] public partial DenseSynapses W { get; } public void W() { } }",
        // A layer property the user implemented: the generated part would be a second implementation (CS9251).
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } public partial SpikeInput In => null!; [Population(2)] public partial Population<Lif> H { get; } }",
        // A layer named like the network (CS0542).
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> N { get; } [Dense(nameof(In), \"N\")] public partial DenseSynapses W { get; } }",
        // A layer of a tuple type (SNN0010; the shell repeats the type), and an attribute typed into an accessor list.
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial (Population<Lif> A, int B) H { get; } }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<Lif> H { get; [} Population(4)] public partial Population<Lif> G { get; } }",
    ];

    /// <summary>Layers of neurons less accessible than public, in properties as restricted as they are: generated, no error.</summary>
    public static TheoryData<string> RestrictedLayers =>
    [
        "[Network] public partial class N { [Input(2)] internal partial SpikeInput In { get; } [Population(2)] internal partial Population<P> H { get; } [Dense(nameof(In), nameof(H))] public partial DenseSynapses W { get; } } " +
        "[Neuron] internal partial struct P { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f; }",
        "[Network] internal partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] public partial Population<P> H { get; } [Dense(nameof(In), nameof(H))] public partial DenseSynapses W { get; } } " +
        "[Neuron] internal partial struct P { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f; }",
        "[Network] public partial class N { [Input(2)] public partial SpikeInput In { get; } [Population(2)] private partial Population<P> H { get; } [Dense(nameof(In), nameof(H))] public partial DenseSynapses W { get; } " +
        "[Neuron] private partial struct P { [State] public float U; public void Integrate(float input) => U += input; [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f; } }",
    ];

    [Theory]
    [MemberData(nameof(RestrictedLayers))]
    public void Layers_as_restricted_as_their_neuron_are_generated(string declaration)
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + declaration);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        Assert.Contains(run.GeneratedSources, s => s.HintName.EndsWith(".Network.g.cs", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(IncompleteDeclarations))]
    public void Generator_does_not_throw_on_incomplete_or_malformed_input(string declaration)
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + declaration);

        Assert.Null(run.Result.Results.Single().Exception);
        // CS8784/CS8785: the generator failed to initialize or to run.
        Assert.DoesNotContain(run.Diagnostics, d => d.Id is "CS8784" or "CS8785");
        // What is wrong is reported in the user's code (SNN diagnostics, the user's own C# errors), never as a C# error
        // inside a generated file.
        Assert.True(run.ErrorsInGeneratedCode.IsEmpty, "C# errors in generated code: " + string.Join("; ", run.ErrorsInGeneratedCode));
    }
}
