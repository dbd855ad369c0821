using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SnnDsl.Generators.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// The generator never throws and never writes code that does not compile, on mutated declarations: the built-in
/// neurons, synapses and surrogates and a network using every connection kind, each mutated at random (seeded, so a
/// failure reproduces) by deleting, duplicating or swapping tokens, by renaming identifiers to keyword-like, unicode,
/// clashing or self-referencing names, by changing types and literals (huge sizes, NaN, negative counts) and by
/// splitting a declaration into two partial parts across files. What a mutation breaks must be reported in the user's
/// code (an SNN diagnostic or the user's own C# error), never as an exception or a C# error inside a generated file.
/// Generation time per model is written to the test output.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const string Usings = "using SnnDsl;\nusing SnnDsl.Neurons;\nusing SnnDsl.Surrogates;\nusing SnnDsl.Synapses;\n\nnamespace SnnDsl.Fuzz;\n\n";

    private const string Network = """
        [Neuron]
        public partial struct TwoPort
        {
            [State] public float U;
            [PreviousSpike] public float S;
            [Param(0.9f, Trainable = true, PerNeuron = true)] public float Beta;
            public void Integrate(float excitatory, float inhibitory) => U = Beta * U + excitatory - inhibitory - S;
            [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
        }

        [Network(TimeStep = 1e-3)]
        public partial class Net
        {
            [Input(12)] public partial SpikeInput In { get; }
            [Population(12)] public partial Population<TwoPort> Exc { get; }
            [Population(4)] public partial Population<Lif> Inh { get; }
            [Population(3)] public partial Population<LeakyReadout> Out { get; }
            [Conv1d(nameof(In), nameof(Exc), OutChannels = 2, KernelSize = 3, Stride = 2, Padding = 1, Port = "excitatory")] public partial Conv1dSynapses InToExc { get; }
            [Sparse(nameof(Exc), nameof(Inh), Probability = 0.5, MaxDelay = 2)] public partial SparseSynapses ExcToInh { get; }
            [Dense(nameof(Inh), nameof(Exc), Port = "inhibitory", Synapse = typeof(ExponentialCurrent))] public partial DenseSynapses InhToExc { get; }
            [OneToOne(nameof(Exc), nameof(Exc), Port = "excitatory", Delay = 1)] public partial OneToOneSynapses Self { get; }
            [Dense(nameof(Exc), nameof(Out), Synapse = typeof(Conductance))] public partial DenseSynapses ExcToOut { get; }
            [Bias(nameof(Exc), Port = "excitatory")] public partial Bias ExcBias { get; }
        }
        """;

    /// <summary>Seeds: every built-in model source (one file each) and the network.</summary>
    private static readonly (string Name, string Source)[] Seeds =
    [
        .. new[] { "Neurons", "Synapses", "Surrogates" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(Repository.Root, "src", "SnnDsl", folder), "*.cs"))
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), string.Join('\n', File.ReadAllLines(path).Where(l => !l.StartsWith("namespace ", StringComparison.Ordinal))))),
        ("Network", Network),
    ];

    private static readonly string[] Names =
    [
        "value", "var", "field", "@class", "@event", "Step", "Backward", "Descriptor", "input", "U", "Integrate", "Fires", "Reset",
        "Ü", "μ", "τ_mem", "_", "__", "global", "nameof", "Population", "SpikeInput", "Lif", "FastSigmoid", "MathF", "Net", "Self", "@this",
    ];

    private static readonly string[] Replacements =
    [
        "int", "double", "bool", "float[]", "object", "1e30f", "float.NaN", "-1", "0", "2147483647", "int.MaxValue", "\"x\"", "null",
        "typeof(Net)", "typeof(Lif)", "U", "this", "default", "(", ")", "{", "}", ";", "=>", "static", "partial", "ref", "params",
    ];

    public static TheoryData<int> Rounds => [.. Enumerable.Range(0, 8)];

    [Theory]
    [MemberData(nameof(Rounds))]
    public void Mutated_declarations_never_break_the_generator(int round)
    {
        var random = new Random(1000 + round);
        var slowest = (Seconds: 0.0, Case: "");
        int cases = 0;
        for (int k = 0; k < 150; k++)
        {
            (string name, string source) = Seeds[random.Next(Seeds.Length)];
            string[] files = Mutate(Usings + source, random, out string mutation);
            var clock = Stopwatch.StartNew();
            GeneratorRun run = GeneratorHarness.Run(files.Select((text, i) => GeneratorHarness.Parse(text, $"Model{i}.cs")));
            double seconds = clock.Elapsed.TotalSeconds;
            string label = $"round {round}, case {k}: {name}, {mutation}";
            if (seconds > slowest.Seconds) slowest = (seconds, label);

            Assert.True(run.Result.Results.Single().Exception is null, $"{label}: the generator threw {run.Result.Results.Single().Exception}");
            Assert.DoesNotContain(run.Diagnostics, d => d.Id is "CS8784" or "CS8785");
            Diagnostic[] inGenerated = [.. run.CompileErrors.Where(e => e.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)];
            Assert.True(inGenerated.Length == 0, $"{label}: C# errors in generated code:\n{string.Join("\n", inGenerated.Select(e => e.ToString()))}\n--- source ---\n{string.Join("\n--- next file ---\n", files)}");
            cases++;
        }
        output.WriteLine($"{cases} mutated models; slowest generation and compilation {slowest.Seconds * 1000:F0} ms ({slowest.Case})");
    }

    /// <summary>Generated code compiles without warnings (nullable enabled) for the built-ins and the network.</summary>
    [Fact]
    public void Generated_code_has_no_warnings()
    {
        GeneratorRun run = GeneratorHarness.Run(Seeds.Select((seed, i) => GeneratorHarness.Parse(Usings + seed.Source, $"Seed{i}.cs")));
        Assert.Empty(run.Diagnostics);
        Diagnostic[] warnings = [.. run.Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)];
        Assert.True(warnings.Length == 0, string.Join("\n", warnings.Select(w => w.ToString())));
    }

    /// <summary>One to three mutations of <paramref name="source"/>; sometimes split into two partial files.</summary>
    private static string[] Mutate(string source, Random random, out string mutation)
    {
        SyntaxToken[] tokens = [.. CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens()];
        var texts = tokens.Select(t => t.ToFullString()).ToList();
        var applied = new List<string>();
        for (int m = random.Next(1, 4); m > 0; m--)
        {
            int at = random.Next(texts.Count - 1);
            switch (random.Next(6))
            {
                case 0:
                    applied.Add($"delete token {at} '{texts[at].Trim()}'");
                    texts[at] = " ";
                    break;
                case 1:
                    applied.Add($"duplicate token {at} '{texts[at].Trim()}'");
                    texts[at] += texts[at];
                    break;
                case 2:
                    applied.Add($"swap tokens {at}, {at + 1}");
                    (texts[at], texts[at + 1]) = (texts[at + 1], texts[at]);
                    break;
                case 3 or 4:
                {
                    // An identifier renamed: keyword-like, unicode, clashing with a generated or runtime name, or the type's own name.
                    int[] identifiers = [.. Enumerable.Range(0, tokens.Length).Where(i => tokens[i].IsKind(SyntaxKind.IdentifierToken))];
                    int pick = identifiers[random.Next(identifiers.Length)];
                    string name = Names[random.Next(Names.Length)];
                    applied.Add($"rename '{tokens[pick].ValueText}' (token {pick}) to '{name}'");
                    texts[pick] = texts[pick].Replace(tokens[pick].Text, name);
                    break;
                }
                default:
                {
                    string replacement = Replacements[random.Next(Replacements.Length)];
                    applied.Add($"replace token {at} '{texts[at].Trim()}' by '{replacement}'");
                    texts[at] = " " + replacement + " ";
                    break;
                }
            }
        }
        string mutated = string.Concat(texts);
        // Partial declarations across files: the second half of the text after a member boundary goes to another file.
        if (random.Next(4) == 0)
        {
            int split = mutated.IndexOf("\n    public void Integrate", StringComparison.Ordinal);
            if (split > 0)
            {
                int open = mutated.LastIndexOf("partial struct ", split, StringComparison.Ordinal);
                if (open > 0)
                {
                    string typeName = new([.. mutated[(open + "partial struct ".Length)..].TakeWhile(c => char.IsLetterOrDigit(c) || c == '_')]);
                    applied.Add($"split '{typeName}' across two files");
                    mutation = string.Join("; ", applied);
                    return [mutated[..split] + "\n}\n", Usings + $"public partial struct {typeName}\n{{" + mutated[split..]];
                }
            }
        }
        mutation = string.Join("; ", applied);
        return [mutated];
    }
}
