extern alias analyzers;
extern alias generator;
using System.Collections.Immutable;
using System.Text;
using Basic.Reference.Assemblies;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SnnDsl.Benchmarks;

/// <summary>
/// What the IDE pays per analysis pass on a large model file: 200 neuron declarations (each with two states, three
/// parameters, a firing condition and a reset) and a network over all of them, marked <c>[Hardware(Chip.Loihi)]</c>,
/// analyzed by the Numerics and Usage analyzers and by the Hardware analyzer (which checks every population's neuron
/// against the profile), and the generator run on the same file, against a plain compilation of it (the compiler's own
/// diagnostics) as the peer.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private const int Neurons = 200;
    private CSharpCompilation _compilation = null!;

    [GlobalSetup]
    public void Setup()
    {
        var source = new StringBuilder("using System;\nusing SnnDsl;\nusing SnnDsl.Surrogates;\nnamespace Large;\n");
        for (int k = 0; k < Neurons; k++)
            source.Append($$"""
                [Neuron] public partial struct Neuron{{k}}
                {
                    [State] public float I;
                    [State] public float U;
                    [Param(0.8f, Trainable = true)] public float Alpha;
                    [Param(0.9f)] public float Beta;
                    [Param(1f)] public float Threshold;
                    public void Integrate(float input) { I = Alpha * I + input; U = Beta * U + I / 2f; }
                    [Spike(typeof(FastSigmoid))] public bool Fires() => U > Threshold;
                    public void Reset() => U -= Threshold;
                }

                """);
        source.Append("[Hardware(Chip.Loihi)]\n[Network] public partial class Large\n{\n    [Input(10)] public partial SpikeInput In { get; }\n");
        for (int k = 0; k < Neurons; k++)
            source.Append($"    [Population(4)] public partial Population<Neuron{k}> P{k} {{ get; }}\n    [Dense(nameof(In), nameof(P{k}))] public partial DenseSynapses C{k} {{ get; }}\n");
        source.Append("}\n");
        _compilation = CSharpCompilation.Create("Large", [CSharpSyntaxTree.ParseText(source.ToString())],
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(NeuronAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    /// <summary>The compiler's own diagnostics of the file (binding every method body): the peer.</summary>
    [Benchmark(Baseline = true)]
    public int Compiler() => _compilation.WithOptions(_compilation.Options).GetDiagnostics().Length;

    /// <summary>The Numerics and Usage analyzers on the file (each with a fresh compilation, as after an edit).</summary>
    [Benchmark]
    public int Analyzers() => _compilation.WithOptions(_compilation.Options)
        .WithAnalyzers([new analyzers::SnnDsl.Analyzers.NumericsAnalyzer(), new analyzers::SnnDsl.Analyzers.UsageAnalyzer()])
        .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;

    /// <summary>The Hardware analyzer on the file: the network and the 200 neurons it uses, against Loihi's profile.</summary>
    [Benchmark]
    public int Hardware() => _compilation.WithOptions(_compilation.Options)
        .WithAnalyzers([new analyzers::SnnDsl.Analyzers.HardwareAnalyzer()])
        .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;

    /// <summary>The generator on the file: parse, model, emit every kernel and the network.</summary>
    [Benchmark]
    public int Generator() => CSharpGeneratorDriver.Create(new generator::SnnDsl.Generators.SnnGenerator())
        .RunGenerators(_compilation.WithOptions(_compilation.Options)).GetRunResult().GeneratedTrees.Length;
}
