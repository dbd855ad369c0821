using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;

namespace SnnDsl.Generators.Tests.Generation;

/// <summary>
/// The generated code of the built-in neurons and surrogates, and of a small network, against the committed
/// snapshots in Snapshots/. After an intended change to the emitters, accept the new output with
/// <c>SNNDSL_ACCEPT_SNAPSHOTS=1 dotnet test</c> and review it with git diff.
/// </summary>
public class SnapshotTests
{
    private const string NetworkName = "User.Networks.SmallNet.Network.g";
    private const string FeatureNetworkName = "User.Networks.EiNet.Network.g";
    private const string PersistenceName = "User.Networks.SmallNet.Persistence.g";

    /// <summary>The neuron with a generated StepLoihi (Diagnostics/FixedPointDiagnosticsTests.cs).</summary>
    internal const string LoihiCompartmentName = "User.Chips.Compartment.Neuron.g";

    /// <summary>The same neuron with Xylo's reset and test and a generated StepXyloAudio2 (Diagnostics/FixedPointDiagnosticsTests.cs).</summary>
    internal const string XyloNeuronName = "User.Chips.Compartment.Xylo.Neuron.g";
    /// <summary>A neuron declared in integer arithmetic, with its generated integer Step (Diagnostics/IntegerNeuronDiagnosticsTests.cs).</summary>
    internal const string IntegerNeuronName = "User.Chips.HandXylo.Neuron.g";
    private static readonly string[] ModelFolders = ["Neurons", "Synapses", "Surrogates"];

    // The generator output for the real src/SnnDsl/{Neurons,Synapses,Surrogates} files, compiled together.
    private static readonly Lazy<GeneratorRun> BuiltIns = new(() => GeneratorHarness.Run(
        ModelFolders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(Repository.Root, "src", "SnnDsl", folder), "*.cs"))
            .Order(StringComparer.Ordinal)
            .Select(path => GeneratorHarness.Parse(File.ReadAllText(path), path))));

    public static TheoryData<string> BuiltInFiles => [.. BuiltIns.Value.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal)];

    [Fact]
    public void Built_in_models_generate_without_diagnostics_and_compile()
    {
        GeneratorRun run = BuiltIns.Value;

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        // CS0436: the models compiled here are also in the referenced SnnDsl.dll; the source copies win, as intended.
        Assert.Empty(run.CompileWarnings("CS0436"));
    }

    [Fact]
    public void Every_built_in_model_file_generates_a_file()
    {
        int models = ModelFolders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(Repository.Root, "src", "SnnDsl", folder), "*.cs"))
            .Sum(path => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(path), @"^\[(Neuron|Synapse|Surrogate)\]", System.Text.RegularExpressions.RegexOptions.Multiline).Count);

        Assert.Equal(models, BuiltIns.Value.GeneratedSources.Length);
    }

    [Theory]
    [MemberData(nameof(BuiltInFiles))]
    public void Built_in_generated_file_matches_its_snapshot(string hintName) =>
        Snapshot.Verify(Snapshot.NameOf(hintName), BuiltIns.Value.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString());

    [Fact]
    public void Network_generated_files_match_their_snapshots()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using SnnDsl;
            using SnnDsl.Neurons;

            namespace User.Networks;

            [Network(TimeStep = 1e-3)]
            public partial class SmallNet
            {
                [Input(4)] public partial SpikeInput In { get; }
                [Population(8)] public partial Population<CubaLif> Hidden { get; }
                [Population(2)] public partial Population<LeakyReadout> Out { get; }
                [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
                [Dense(nameof(Hidden), nameof(Hidden))] public partial DenseSynapses HiddenToHidden { get; }
                [Dense(nameof(Hidden), nameof(Out))] public partial DenseSynapses HiddenToOut { get; }
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        Assert.Equal([NetworkName, PersistenceName], run.GeneratedSources.Select(s => Snapshot.NameOf(s.HintName)).Order(StringComparer.Ordinal));
        Snapshot.Verify(NetworkName, run.GeneratedSources.Single(s => Snapshot.NameOf(s.HintName) == NetworkName).SourceText.ToString());
        Snapshot.Verify(PersistenceName, run.GeneratedSources.Single(s => Snapshot.NameOf(s.HintName) == PersistenceName).SourceText.ToString());
    }

    [Fact]
    public void Network_with_ports_synapses_delays_kinds_and_a_bias_matches_its_snapshot()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using SnnDsl;
            using SnnDsl.Neurons;
            using SnnDsl.Surrogates;
            using SnnDsl.Synapses;

            namespace User.Networks;

            [Neuron]
            public partial struct EiLif
            {
                [State] public float U;
                [Param(0.9f)] public float Beta;
                public void Integrate(float excitatory, float inhibitory) => U = Beta * U + excitatory - inhibitory;
                [Spike(typeof(FastSigmoid))] public bool Fires() => U > 1f;
                public void Reset() => U = 0f;
            }

            [Network(TimeStep = 1e-3)]
            public partial class EiNet
            {
                [Input(8)] public partial SpikeInput In { get; }
                [Population(8)] public partial Population<EiLif> Exc { get; }
                [Population(4)] public partial Population<Lif> Inh { get; }
                [Population(2)] public partial Population<LeakyReadout> Out { get; }
                [Conv1d(nameof(In), nameof(Exc), OutChannels = 2, KernelSize = 3, Stride = 2, Padding = 1, Port = "excitatory")] public partial Conv1dSynapses InToExc { get; }
                [Sparse(nameof(Exc), nameof(Inh), Probability = 0.5, Seed = 3, MaxDelay = 2)] public partial SparseSynapses ExcToInh { get; }
                [Dense(nameof(Inh), nameof(Exc), Port = "inhibitory", Synapse = typeof(ExponentialCurrent), Delay = 2)] public partial DenseSynapses InhToExc { get; }
                [OneToOne(nameof(Exc), nameof(Exc), Port = "excitatory", Synapse = typeof(Conductance))] public partial OneToOneSynapses ExcSelf { get; }
                [Dense(nameof(Exc), nameof(Out))] public partial DenseSynapses ExcToOut { get; }
                [Bias(nameof(Exc), Port = "excitatory")] public partial Bias ExcBias { get; }
            }
            """);

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        GeneratedSourceResult network = run.GeneratedSources.Single(s => s.HintName.EndsWith(".Network.g.cs", StringComparison.Ordinal));
        Assert.Equal(FeatureNetworkName, Snapshot.NameOf(network.HintName));
        Snapshot.Verify(FeatureNetworkName, network.SourceText.ToString());
    }

    [Fact]
    public void Every_snapshot_belongs_to_a_generated_file()
    {
        HashSet<string> expected = [NetworkName, FeatureNetworkName, PersistenceName, LoihiCompartmentName, XyloNeuronName, IntegerNeuronName, .. BuiltIns.Value.GeneratedSources.Select(s => Snapshot.NameOf(s.HintName))];

        string[] stale = [.. Directory.GetFiles(Repository.SnapshotDirectory, "*.verified.cs")
            .Select(path => Path.GetFileName(path)[..^".verified.cs".Length])
            .Where(name => !expected.Contains(name))];

        Assert.Empty(stale);
    }
}
