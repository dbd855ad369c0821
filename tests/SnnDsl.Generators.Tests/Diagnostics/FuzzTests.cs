extern alias analyzers;

using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using SnnDsl.Generators.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>
/// The generator never throws and never writes code that does not compile, on mutated declarations: the built-in
/// neurons, synapses, surrogates and learning rules and a network using every connection kind, each mutated at random
/// (seeded, so a failure reproduces) by deleting, duplicating or swapping tokens, by renaming identifiers to
/// keyword-like, unicode or clashing names, by making a definition refer to itself (a network with a population of
/// itself, a neuron calling its own Integrate), by changing types and literals (huge sizes, NaN, negative counts) and
/// by splitting a partial declaration across two files. What a mutation breaks must be reported in the user's code
/// (an SNN diagnostic or the user's own C# error), never as an exception or a C# error or warning inside a generated
/// file. The analyzers run over every mutated declaration too (with the generated files, as in the IDE) and never
/// throw: no AD0001.
/// The generator's and the analyzers' time per declaration is written to the test output (and to docs/reliability.md).
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int CasesPerRound = 150;

    /// <summary>
    /// Generous bound on the generator's time for one declaration (median 3–8 ms, see docs/reliability.md): it catches
    /// time that grows with a declared size or with nesting, not the noise of a shared machine.
    /// </summary>
    private const double MaxGeneratorMilliseconds = 5000;

    /// <summary>Every analyzer the package ships (the code fixes only act on their diagnostics).</summary>
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
    [
        new analyzers::SnnDsl.Analyzers.NumericsAnalyzer(), new analyzers::SnnDsl.Analyzers.UsageAnalyzer(),
        new analyzers::SnnDsl.Analyzers.LocalityAnalyzer(), new analyzers::SnnDsl.Analyzers.HardwareAnalyzer(),
    ];

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

    /// <summary>
    /// Seeds: every built-in model declaration (one each, with its documentation comment; the fixed-point neuron with its
    /// integer kernel too) and the network.
    /// </summary>
    private static readonly (string Name, string Source)[] Seeds =
    [
        .. new[] { "Neurons", "Synapses", "Surrogates", "Rules", "FixedPoint" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(Repository.Root, "src", "SnnDsl", folder), "*.cs"))
            .Order(StringComparer.Ordinal)
            .SelectMany(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetCompilationUnitRoot().DescendantNodes().OfType<TypeDeclarationSyntax>()
                .Where(t => t.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Neuron" or "Synapse" or "Surrogate" or "LearningRule"))
                .Select(t => (t.Identifier.Text, t.ToFullString()))),
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

    /// <summary>Huge and degenerate numbers, for sizes, channel counts, delays, probabilities and parameter defaults.</summary>
    private static readonly string[] Numbers =
    [
        "2147483647", "1073741824", "100000000", "-2147483648", "-1", "0", "1e38f", "3.4e39f", "1e-45f", "float.NaN", "double.PositiveInfinity", "0.0",
    ];

    /// <summary>The kinds of generated model files (not shells, not a network's persistence part).</summary>
    private static readonly string[] ModelKinds = ["Neuron", "Synapse", "Surrogate", "LearningRule", "Network"];

    public static TheoryData<int> Rounds => [.. Enumerable.Range(0, 8)];

    [Theory]
    [MemberData(nameof(Rounds))]
    public async Task Mutated_declarations_never_break_the_generator_or_the_analyzers(int round)
    {
        var random = new Random(1000 + round);
        // The first runs include the JIT compilation of the generator and the analyzers: not a declaration's time.
        await Analyze(GeneratorHarness.Run(Usings + Network).Output, "warm-up");
        var milliseconds = new List<double>();
        var analyzerMilliseconds = new List<double>();
        var slowest = (Milliseconds: 0.0, Case: "");
        int generated = 0, reported = 0, split = 0;
        for (int k = 0; k < CasesPerRound; k++)
        {
            (string name, string source) = Seeds[random.Next(Seeds.Length)];
            string[] files = Mutate(Usings + source, random, out string mutation);
            GeneratorRun run = GeneratorHarness.Run(files.Select((text, i) => GeneratorHarness.Parse(text, $"Model{i}.cs")));
            string label = $"round {round}, case {k}: {name}, {mutation}";
            double ms = run.GeneratorTime.TotalMilliseconds;
            milliseconds.Add(ms);
            if (ms > slowest.Milliseconds) slowest = (ms, label);

            Assert.True(run.Result.Results.Single().Exception is null, $"{label}: the generator threw {run.Result.Results.Single().Exception}");
            Assert.DoesNotContain(run.Diagnostics, d => d.Id is "CS8784" or "CS8785");
            // Errors, and warnings too: a project that treats warnings as errors would fail on them.
            ImmutableArray<Diagnostic> inGenerated = run.DiagnosticsInGeneratedCode(run.Output);
            Assert.True(inGenerated.IsEmpty, $"{label}: C# errors or warnings in generated code:\n{string.Join("\n", inGenerated)}\n--- source ---\n{string.Join("\n--- next file ---\n", files)}");

            analyzerMilliseconds.Add(await Analyze(run.Output, label));

            if (run.GeneratedSources.Any(s => ModelKinds.Any(kind => s.HintName.EndsWith($".{kind}.g.cs", StringComparison.Ordinal)))) generated++;
            if (run.Diagnostics.Any(d => d.Id.StartsWith("SNN", StringComparison.Ordinal))) reported++;
            if (files.Length > 1) split++;
        }
        milliseconds.Sort();
        analyzerMilliseconds.Sort();
        double median = milliseconds[milliseconds.Count / 2];
        output.WriteLine($"round {round}: {CasesPerRound} mutated declarations ({split} split across two files; {generated} with generated models, {reported} with SNN diagnostics); " +
                         $"generator time per declaration: median {median:F1} ms, max {slowest.Milliseconds:F1} ms ({slowest.Case}); " +
                         $"analyzers: median {analyzerMilliseconds[analyzerMilliseconds.Count / 2]:F1} ms, max {analyzerMilliseconds[^1]:F1} ms");
        // The mutations reach both sides: declarations that still generate, and declarations the generator reports.
        Assert.True(generated > 0 && reported > 0, $"round {round}: {generated} declarations generated, {reported} reported; the mutations miss one side");
        Assert.True(slowest.Milliseconds < MaxGeneratorMilliseconds, $"{slowest.Case}: the generator took {slowest.Milliseconds:F0} ms");
    }

    /// <summary>
    /// Runs every analyzer over <paramref name="compilation"/> (the user's files and the generated ones) and asserts that
    /// none threw: no AD0001 among their diagnostics and no exception handed to the host. Returns the time they took.
    /// </summary>
    private static async Task<double> Analyze(Compilation compilation, string label)
    {
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, analyzer, _) => { lock (exceptions) exceptions.Add($"{analyzer.GetType().Name}: {exception}"); },
            concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var stopwatch = Stopwatch.StartNew();
        ImmutableArray<Diagnostic> found = await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
        stopwatch.Stop();
        Assert.True(exceptions.Count == 0, $"{label}: an analyzer threw:\n{string.Join("\n", exceptions)}");
        Assert.DoesNotContain(found, d => d.Id == "AD0001");
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// The generated code of every built-in neuron (the fixed-point one with its integer kernel), synapse, surrogate and
    /// learning rule and of the network (every connection kind, synapse models on dense connections, a sparse
    /// connection with delays, a one-to-one delay, a bias, a trainable per-neuron parameter) compiles with nullable
    /// enabled and every warning of every warning wave reported as an error.
    /// </summary>
    [Fact]
    public void Generated_code_compiles_with_warnings_as_errors_and_nullable()
    {
        GeneratorRun run = GeneratorHarness.Run(Seeds.Select((seed, i) => GeneratorHarness.Parse(Usings + seed.Source, $"Seed{i}.cs")));
        Assert.Empty(run.Diagnostics);
        foreach (string kind in ModelKinds)
            Assert.Contains(run.GeneratedSources, s => s.HintName.EndsWith($".{kind}.g.cs", StringComparison.Ordinal));
        // A generated file is compiled with nullable disabled unless it enables it: each one does, or nullable would not be checked.
        Assert.All(run.GeneratedSources, s => Assert.Contains("\n#nullable enable\n", s.SourceText.ToString(), StringComparison.Ordinal));

        var strict = (CSharpCompilationOptions)run.Output.Options;
        strict = strict.WithNullableContextOptions(NullableContextOptions.Enable).WithGeneralDiagnosticOption(ReportDiagnostic.Error).WithWarningLevel(9999);
        ImmutableArray<Diagnostic> found = run.DiagnosticsInGeneratedCode(run.Output.WithOptions(strict));
        Assert.True(found.IsEmpty, string.Join("\n", found));
    }

    /// <summary>One to three mutations of <paramref name="source"/>; sometimes split into two partial files.</summary>
    private static string[] Mutate(string source, Random random, out string mutation)
    {
        SyntaxToken[] tokens = [.. CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens()];
        var texts = tokens.Select(t => t.ToFullString()).ToList();
        int[] identifiers = [.. Enumerable.Range(0, tokens.Length).Where(i => tokens[i].IsKind(SyntaxKind.IdentifierToken))];
        var applied = new List<string>();
        for (int m = random.Next(1, 4); m > 0; m--)
        {
            int at = random.Next(texts.Count - 1);
            switch (random.Next(8))
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
                    // An identifier renamed: keyword-like, unicode, or clashing with a generated or runtime name.
                    int pick = identifiers[random.Next(identifiers.Length)];
                    string name = Names[random.Next(Names.Length)];
                    applied.Add($"rename '{tokens[pick].ValueText}' (token {pick}) to '{name}'");
                    texts[pick] = texts[pick].Replace(tokens[pick].Text, name);
                    break;
                }
                case 5:
                {
                    // Recursive and self-referencing definitions: an identifier replaced by the name of the method or
                    // type around it (Population<Net> in Net, Integrate calling Integrate, a field of its own type).
                    int pick = identifiers[random.Next(identifiers.Length)];
                    SyntaxNode[] around = [.. tokens[pick].Parent!.Ancestors().Where(a => a is MethodDeclarationSyntax or BaseTypeDeclarationSyntax)];
                    if (around.Length == 0) break;
                    string self = around[random.Next(around.Length)] switch
                    {
                        MethodDeclarationSyntax method => method.Identifier.Text,
                        var type => ((BaseTypeDeclarationSyntax)type).Identifier.Text,
                    };
                    applied.Add($"refer to the enclosing '{self}' instead of '{tokens[pick].ValueText}' (token {pick})");
                    texts[pick] = texts[pick].Replace(tokens[pick].Text, self);
                    break;
                }
                case 6:
                {
                    // A huge or degenerate number: a layer size, a channel count, a delay, a probability or a default.
                    int[] literals = [.. Enumerable.Range(0, tokens.Length).Where(i => tokens[i].IsKind(SyntaxKind.NumericLiteralToken))];
                    if (literals.Length == 0) break;
                    int pick = literals[random.Next(literals.Length)];
                    string number = Numbers[random.Next(Numbers.Length)];
                    applied.Add($"number '{tokens[pick].Text}' (token {pick}) to '{number}'");
                    texts[pick] = texts[pick].Replace(tokens[pick].Text, number);
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
        string[] files = random.Next(4) == 0 ? Split(mutated, random, applied) : [mutated];
        mutation = applied.Count > 0 ? string.Join("; ", applied) : "unchanged (the mutations drawn found nothing to change)";
        return files;
    }

    /// <summary>
    /// Partial declarations across files: the members of a partial type, from a random one on, moved into a second part
    /// of the type in another file (same usings and namespace, no attributes).
    /// </summary>
    private static string[] Split(string source, Random random, List<string> applied)
    {
        CompilationUnitSyntax root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        TypeDeclarationSyntax[] types = [.. root.DescendantNodes().OfType<TypeDeclarationSyntax>()
            .Where(t => t.Modifiers.Any(SyntaxKind.PartialKeyword) && t.Members.Count >= 2 && t.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax)];
        if (types.Length == 0) return [source];
        TypeDeclarationSyntax type = types[random.Next(types.Length)];
        int from = random.Next(1, type.Members.Count);
        TextSpan moved = TextSpan.FromBounds(type.Members[from].FullSpan.Start, type.Members[^1].FullSpan.End);
        string ns = type.Parent is BaseNamespaceDeclarationSyntax declaration ? $"namespace {declaration.Name};\n\n" : "";
        string part = $"{root.Usings.ToFullString()}\n{ns}{type.Modifiers.ToFullString()}{type.Keyword.Text} {type.Identifier.Text}{type.TypeParameterList}\n{{{source[moved.Start..moved.End]}\n}}\n";
        applied.Add($"split '{type.Identifier.Text}' across two files from member {from}");
        return [source.Remove(moved.Start, moved.Length), part];
    }
}
