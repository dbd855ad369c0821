using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SnnDsl.Generators.Tests.Infrastructure;

namespace SnnDsl.Generators.Tests.Generation;

/// <summary>
/// Any identifier a user may choose compiles and works in every position: every identifier that appears in the
/// generated code itself (collected from the generator's own output, so the list grows with the emitters), C#'s
/// contextual keywords and escaped keywords, used as state, parameter, local, port, previous-spike, synapse input,
/// surrogate parameter and argument, type, population, connection and bias names. Each position is one compilation
/// with the generator; the networks are then loaded and simulated for a few steps.
/// </summary>
public class NameTests
{
    private const string Usings = """
        using SnnDsl;
        using SnnDsl.Neurons;
        using SnnDsl.Surrogates;

        namespace Names;

        """;

    /// <summary>The identifiers the generated code contains, for the built-ins and a network using every feature.</summary>
    private static readonly Lazy<string[]> Identifiers = new(() =>
    {
        GeneratorRun run = GeneratorHarness.Run(
            new[] { "Neurons", "Synapses", "Surrogates" }
                .SelectMany(folder => Directory.GetFiles(Path.Combine(Repository.Root, "src", "SnnDsl", folder), "*.cs"))
                .Order(StringComparer.Ordinal)
                .Select(path => GeneratorHarness.Parse(File.ReadAllText(path), path))
                .Append(GeneratorHarness.Parse(FeatureNetwork, "Network.cs")));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (GeneratedSourceResult source in run.GeneratedSources)
            foreach (SyntaxToken token in source.SyntaxTree.GetRoot().DescendantTokens())
                if (token.IsKind(SyntaxKind.IdentifierToken)) names.Add(token.ValueText);
        // Contextual keywords are ordinary identifiers too, and a keyword is one when escaped with '@'.
        foreach (string word in new[] { "value", "var", "dynamic", "nameof", "global", "nint", "nuint", "field", "partial", "record", "get", "set", "init",
                                        "when", "with", "async", "await", "yield", "and", "or", "not", "unmanaged", "scoped", "file", "required", "args", "_" })
            names.Add(word);
        foreach (string keyword in new[] { "event", "class", "float", "this", "return", "int", "namespace" }) names.Add(keyword);
        Assert.True(names.Count > 150, $"only {names.Count} identifiers collected");
        return [.. names];
    });

    private const string FeatureNetwork = Usings + """
        using SnnDsl.Synapses;

        [Neuron]
        public partial struct TwoPortLif
        {
            [State] public float U;
            [PreviousSpike] public float S;
            [Param(0.9f, Trainable = true)] public float Beta;
            public void Integrate(float excitatory, float inhibitory) { float drive = excitatory - inhibitory; U = Beta * U + drive - S; }
            [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
        }

        [Network]
        public partial class Features
        {
            [Input(8)] public partial SpikeInput In { get; }
            [Population(8)] public partial Population<TwoPortLif> Exc { get; }
            [Population(4)] public partial Population<Lif> Inh { get; }
            [Conv1d(nameof(In), nameof(Exc), OutChannels = 2, KernelSize = 3, Stride = 2, Padding = 1, Port = "excitatory")] public partial Conv1dSynapses InToExc { get; }
            [Sparse(nameof(Exc), nameof(Inh), Probability = 0.5, MaxDelay = 2)] public partial SparseSynapses ExcToInh { get; }
            [Dense(nameof(Inh), nameof(Exc), Port = "inhibitory", Synapse = typeof(ExponentialCurrent))] public partial DenseSynapses InhToExc { get; }
            [OneToOne(nameof(Exc), nameof(Exc), Port = "excitatory", Synapse = typeof(DifferenceOfExponentials), Delay = 1)] public partial OneToOneSynapses Pairs { get; }
            [Dense(nameof(In), nameof(Inh), Synapse = typeof(Conductance))] public partial DenseSynapses InToInh { get; }
            [Bias(nameof(Exc), Port = "excitatory")] public partial Bias ExcBias { get; }
        }
        """;

    private const string Rt = "global::SnnDsl.";

    private static string Id(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A name none of the identifiers takes, for the fixed parts of a probe.</summary>
    private static string Free(string preferred)
    {
        string name = preferred;
        for (int n = 1; Identifiers.Value.Contains(name); n++) name = preferred + n;
        return name;
    }

    public static TheoryData<string> Positions =>
    [
        "state", "parameter", "local", "port", "previous spike", "neuron type", "synapse state, parameter, local and input",
        "synapse type", "surrogate parameter and argument", "surrogate type", "population", "connection", "bias", "network type",
    ];

    [Theory]
    [MemberData(nameof(Positions))]
    public void Every_identifier_compiles_and_runs_in_every_position(string position)
    {
        // Names C# itself refuses in this position (a type called 'file', a field 'Derivative' beside the method) are
        // set aside: the user's own declaration does not compile with them, whatever the generator does.
        string[] refused = RefusedByCSharp(Build(position, Identifiers.Value));
        string[] names = [.. Identifiers.Value.Except(refused)];
        Assert.True(refused.Length < 20, $"{position}: C# refuses {refused.Length} names: {string.Join(", ", refused)}");

        GeneratorRun run = GeneratorHarness.Run(Build(position, names));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        SimulateEveryNetwork(run.Output, position);
    }

    private static string Build(string position, string[] names) => Usings + position switch
    {
        "state" => Neuron(Free("Probe"), states: names),
        "parameter" => Neuron(Free("Probe"), parameters: names),
        "local" => Neuron(Free("Probe"), locals: names),
        "port" => Neuron(Free("Probe"), ports: names) + PortNetwork(names),
        "previous spike" => string.Concat(names.Select((name, k) => Neuron(Free("Probe") + k, previousSpike: name))),
        "neuron type" => string.Concat(names.Select(name => Neuron(name))) + Network(Free("Net"), names.Select(name => (Free("P") + "_" + Clean(name), name)).ToArray()),
        // In synapses of 64 names each: one kernel with every name as a state keeps more spilled vector temporaries
        // than a thread pool thread's stack holds.
        "synapse state, parameter, local and input" => string.Concat(names.Chunk(64).Select((chunk, k) => Synapse(Free("Syn") + k, chunk))) +
                                                       SynapseNetwork([.. names.Chunk(64).Select((_, k) => Free("Syn") + k)]),
        "synapse type" => string.Concat(names.Select(name => Synapse(name, []))) + SynapseNetwork(names),
        // One surrogate with every name as a parameter, and one per name taking it as its argument and as a parameter.
        "surrogate parameter and argument" => Surrogate(Free("Surrogate"), names, argument: Free("x")) +
                                              string.Concat(names.Select((name, k) => Surrogate(Free("Surrogate") + k, [name], argument: name))),
        "surrogate type" => string.Concat(names.Select(name => Surrogate(name, [], argument: Free("x")) + Neuron(Free("Probe") + "_" + Clean(name), surrogate: name))),
        "population" => Network(Free("Net"), names.Select(name => (name, "Lif")).ToArray()),
        "connection" => Network(Free("Net"), [("Hidden" + Free("X"), "Lif")], connectionNames: names),
        "bias" => Network(Free("Net"), [("Hidden" + Free("X"), "Lif")], biasNames: names),
        "network type" => string.Concat(names.Select(name => Network(name, [(Free("Hidden"), "Lif")]))),
        _ => throw new ArgumentOutOfRangeException(nameof(position)),
    };

    /// <summary>The names at which the user's code alone (no generator) has errors, other than the missing partial implementations the generator writes.</summary>
    private static string[] RefusedByCSharp(string source)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([GeneratorHarness.Parse(source)]);
        string[] generatorFills = ["CS9248", "CS0535", "CS8795"];
        return [.. compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && !generatorFills.Contains(d.Id) && d.Location.IsInSource)
            .Select(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan).TrimStart('@'))
            .Where(Identifiers.Value.Contains)
            .Distinct()];
    }

    private static string Clean(string name) => name.Replace("@", "");

    /// <summary>A spiking neuron whose dynamics touch every declared name.</summary>
    private static string Neuron(string type, string[]? states = null, string[]? parameters = null, string[]? locals = null, string[]? ports = null,
        string? previousSpike = null, string surrogate = "FastSigmoid")
    {
        string membrane = Free("U"), port = Free("drive");
        string[] portNames = ports ?? [port];
        var body = new List<string>();
        string input = string.Join(" + ", portNames.Select(Id));
        body.Add($"this.{membrane} = 0.9f * this.{membrane} + {input};");
        foreach (string s in states ?? []) body.Add($"this.{Id(s)} = 0.5f * this.{Id(s)} + {Id(portNames[0])};");
        foreach (string p in parameters ?? []) body.Add($"this.{membrane} = this.{membrane} + 0.001f * this.{Id(p)};");
        foreach (string l in locals ?? []) body.Add($"float {Id(l)} = 0.001f * this.{membrane}; this.{membrane} = this.{membrane} + {Id(l)};");
        if (previousSpike is not null) body.Add($"this.{membrane} = this.{membrane} - 0.5f * this.{Id(previousSpike)};");
        return $$"""
            [global::SnnDsl.Neuron]
            public partial struct {{Id(type)}}
            {
                [global::SnnDsl.State] public float {{membrane}};
            {{string.Concat((states ?? []).Select(s => $"    [{Rt}State] public float {Id(s)};\n"))}}
            {{string.Concat((parameters ?? []).Select(p => $"    [{Rt}Param(0.5f, Trainable = true)] public float {Id(p)};\n"))}}
            {{(previousSpike is null ? "" : $"    [{Rt}PreviousSpike] public float {Id(previousSpike)};")}}
                public void Integrate({{string.Join(", ", portNames.Select(p => "float " + Id(p)))}})
                {
                    {{string.Join("\n        ", body)}}
                }
                [global::SnnDsl.Spike(typeof({{(surrogate == "FastSigmoid" ? Rt + "Surrogates.FastSigmoid" : "global::Names." + Id(surrogate))}}))] public bool Fires() => this.{{membrane}} > 1f;
                public void Reset() => this.{{membrane}} -= 1f;
            }

            """;
    }

    /// <summary>A network with one input, the given populations (name, neuron type), an input connection to each, and optional extra members.</summary>
    private static string Network(string type, (string Name, string Neuron)[] populations, string[]? connectionNames = null, string[]? biasNames = null)
    {
        string input = Free("In");
        var members = new List<string> { $"[{Rt}Input(3)] public partial {Rt}SpikeInput {input} {{ get; }}" };
        members.AddRange(populations.Select(p => $"[{Rt}Population(5)] public partial {Rt}Population<{(p.Neuron == "Lif" ? Rt + "Neurons.Lif" : "global::Names." + Id(p.Neuron))}> {Id(p.Name)} {{ get; }}"));
        if (connectionNames is null)
            members.AddRange(populations.Select((p, k) => $"[{Rt}Dense(\"{input}\", \"{Clean(p.Name)}\")] public partial {Rt}DenseSynapses {Free("C")}_{k} {{ get; }}"));
        else
            members.AddRange(connectionNames.Select((c, k) => $"[global::SnnDsl.Dense(\"{input}\", \"{Clean(populations[0].Name)}\", Delay = {k})] public partial {Rt}DenseSynapses {Id(c)} {{ get; }}"));
        foreach (string b in biasNames ?? []) members.Add($"[{Rt}Bias(\"{Clean(populations[0].Name)}\")] public partial {Rt}Bias {Id(b)} {{ get; }}");
        return $$"""
            [global::SnnDsl.Network]
            public partial class {{Id(type)}}
            {
                {{string.Join("\n    ", members)}}
            }

            """;
    }

    /// <summary>A network whose neuron has one port per name, each driven by its own connection.</summary>
    private static string PortNetwork(string[] ports)
    {
        string input = Free("In");
        var members = new List<string> { $"[{Rt}Input(3)] public partial {Rt}SpikeInput {input} {{ get; }}", $"[{Rt}Population(5)] public partial {Rt}Population<{Free("Probe")}> {Free("Hidden")} {{ get; }}" };
        members.AddRange(ports.Select((p, k) => $"[{Rt}Dense(\"{input}\", \"{Free("Hidden")}\", Port = \"{Clean(p)}\")] public partial {Rt}DenseSynapses {Free("C")}_{k} {{ get; }}"));
        return $$"""
            [global::SnnDsl.Network]
            public partial class {{Free("Net")}}
            {
                {{string.Join("\n    ", members)}}
            }

            """;
    }

    /// <summary>A conductance-like synapse whose states, parameters, locals and drive take the names (and reads U).</summary>
    private static string Synapse(string type, string[] names)
    {
        string conductance = Free("G"), drive = names.Length > 0 ? names[0] : Free("z"), membrane = names.Length > 1 ? names[1] : Free("u");
        var body = new List<string> { $"this.{conductance} = 0.8f * this.{conductance} + {Id(drive)};" };
        foreach (string s in names.Skip(2)) body.Add($"this.{Id(s)} = 0.5f * this.{Id(s)} + this.{conductance};");
        foreach (string p in names.Skip(2)) body.Add($"this.{conductance} = this.{conductance} + 0.001f * this.{Id(p)}_p;");
        foreach (string l in names.Skip(2)) body.Add($"float {Id(l)} = 0.001f * this.{conductance}; this.{conductance} = this.{conductance} + {Id(l)};");
        return $$"""
            [global::SnnDsl.Synapse]
            public partial struct {{Id(type)}}
            {
                [global::SnnDsl.State] public float {{conductance}};
            {{string.Concat(names.Skip(2).Select(s => $"    [{Rt}State] public float {Id(s)};\n"))}}
            {{string.Concat(names.Skip(2).Select(p => $"    [{Rt}Param(0.5f, Trainable = true)] public float {Clean(p)}_p;\n"))}}
                public float Deliver(float {{Id(drive)}}, [global::SnnDsl.Postsynaptic("U")] float {{Id(membrane)}})
                {
                    {{string.Join("\n        ", body)}}
                    return this.{{conductance}} * (2f - {{Id(membrane)}});
                }
            }

            """;
    }

    /// <summary>A network with one connection through each synapse type.</summary>
    private static string SynapseNetwork(string[] synapses) => $$"""
        [global::SnnDsl.Network]
        public partial class {{Free("Net")}}
        {
            [global::SnnDsl.Input(3)] public partial global::SnnDsl.SpikeInput {{Free("In")}} { get; }
            [global::SnnDsl.Population(5)] public partial global::SnnDsl.Population<global::SnnDsl.Neurons.Lif> {{Free("Hidden")}} { get; }
            {{string.Join("\n    ", synapses.Select((synapse, k) =>
                $"[global::SnnDsl.Dense(\"{Free("In")}\", \"{Free("Hidden")}\", Synapse = typeof(global::Names.{Id(synapse)}))] public partial global::SnnDsl.DenseSynapses {Free("C")}_{k} {{ get; }}"))}}
        }

        """;

    /// <summary>A surrogate with the given parameters and argument name.</summary>
    private static string Surrogate(string type, string[] parameters, string argument) => $$"""
        [global::SnnDsl.Surrogate]
        public static partial class {{Id(type)}}
        {
        {{string.Concat(parameters.Where(p => p != type).Select(p => $"    [{Rt}Param(0.001f)] public static float {Id(p)};\n"))}}
            public static float Derivative(float {{Id(argument)}}) => 1f / (1f + {{Id(argument)}} * {{Id(argument)}}){{string.Concat(parameters.Where(p => p != type).Select(p => $" + global::Names.{Id(type)}.{Id(p)}"))}};
        }

        """;

    /// <summary>Loads the compiled models and runs every network for a few steps (forward and backward).</summary>
    private static void SimulateEveryNetwork(Compilation compilation, string position)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var context = new AssemblyLoadContext(position, isCollectible: true);
        try
        {
            image.Position = 0;
            Assembly assembly = context.LoadFromStream(image);
            int networks = 0;
            foreach (Type type in assembly.GetTypes().Where(t => typeof(ISpikingNetwork).IsAssignableFrom(t)))
            {
                var network = (ISpikingNetwork)Activator.CreateInstance(type)!;
                network.InitializeWeights(seed: 1, scale: 3f);
                SpikeRaster[] inputs = [.. network.Inputs.Select((input, k) => SpikeRaster.Bernoulli(2, 4, input.Size, 0.5, k + 1))];
                SimulationResult forward = network.Simulate(inputs, new SimulationOptions { RecordAllStates = true });
                Population first = network.Populations[0];
                var upstream = new BackwardUpstream().WithSpikes(first.Name, new float[2 * 4 * first.Size]);
                network.Backward(inputs, forward, upstream);
                networks++;
            }
            bool declaresNetworks = position is "port" or "neuron type" or "population" or "connection" or "bias" or "network type" || position.StartsWith("synapse", StringComparison.Ordinal);
            Assert.True(networks > 0 || !declaresNetworks, $"{position}: no network was run");
        }
        finally
        {
            context.Unload();
        }
    }
}
