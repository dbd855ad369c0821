using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Tests.Infrastructure;

namespace SnnDsl.Generators.Tests.Generation;

/// <summary>
/// The pipeline caches: an edit that leaves every model equal re-runs no emitter, and an edit to one neuron's
/// dynamics re-emits that neuron only (and the network that uses it, but not the network's typed Save/Load).
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] ModelSteps = [TrackingNames.NeuronModels, TrackingNames.SurrogateModels, TrackingNames.NetworkModels, TrackingNames.PersistenceModels];
    private static readonly string[] SourceSteps = [TrackingNames.NeuronSource, TrackingNames.SurrogateSource, TrackingNames.NetworkSource];

    // One model per file, as in a project: a surrogate, two neurons and a network of both.
    private static readonly SyntaxTree Surrogate = GeneratorHarness.Parse("""
        using SnnDsl;

        [Surrogate]
        public static partial class Smooth
        {
            [Param(1f)] public static float Alpha;
            public static float Derivative(float x) => Alpha / (1f + x * x);
        }
        """, "Smooth.cs");

    private static readonly SyntaxTree NeuronA = GeneratorHarness.Parse("""
        using SnnDsl;

        [Neuron]
        public partial struct NeuronA
        {
            [State] public float U;
            [Param(0.9f)] public float Beta;
            public void Integrate(float input) => U = Beta * U + input;
            [Spike(typeof(Smooth))] public bool Fires() => U > 1f;
            public void Reset() => U -= 1f;
        }
        """, "NeuronA.cs");

    private static readonly SyntaxTree NeuronB = GeneratorHarness.Parse("""
        using SnnDsl;

        [Neuron]
        public partial struct NeuronB
        {
            [State] public float U;
            public void Integrate(float input) => U = 0.5f * U + input;
            [Spike(typeof(Smooth))] public bool Fires() => U > 1f;
        }
        """, "NeuronB.cs");

    private static readonly SyntaxTree Network = GeneratorHarness.Parse("""
        using SnnDsl;

        [Network]
        public partial class Net
        {
            [Input(3)] public partial SpikeInput In { get; }
            [Population(4)] public partial Population<NeuronA> First { get; }
            [Population(2)] public partial Population<NeuronB> Second { get; }
            [Dense(nameof(In), nameof(First))] public partial DenseSynapses InToFirst { get; }
            [Dense(nameof(First), nameof(Second))] public partial DenseSynapses FirstToSecond { get; }
        }
        """, "Net.cs");

    [Fact]
    public void Comment_in_a_model_file_reruns_no_emitter()
    {
        GeneratorRunResult rerun = RunTwice(compilation =>
            compilation.ReplaceSyntaxTree(NeuronA, Edit(NeuronA, "[Neuron]", "// A comment.\n[Neuron]")));

        AssertNothingReEmitted(rerun);
    }

    [Fact]
    public void Unrelated_class_in_another_file_reruns_no_emitter()
    {
        GeneratorRunResult rerun = RunTwice(compilation =>
            compilation.AddSyntaxTrees(GeneratorHarness.Parse("public class Unrelated { public int Value => 42; }", "Unrelated.cs")));

        AssertNothingReEmitted(rerun);
    }

    [Fact]
    public void Edit_inside_Integrate_re_emits_that_neuron_only()
    {
        GeneratorRunResult rerun = RunTwice(compilation =>
            compilation.ReplaceSyntaxTree(NeuronA, Edit(NeuronA, "U = Beta * U + input;", "U = Beta * U + 2f * input;")));

        Assert.Equal(
            [("NeuronA", IncrementalStepRunReason.Modified), ("NeuronB", IncrementalStepRunReason.Unchanged)],
            ReasonsByModel(rerun, TrackingNames.NeuronModels));
        Assert.Equal(
            [("NeuronA", IncrementalStepRunReason.Modified), ("NeuronB", IncrementalStepRunReason.Cached)],
            ReasonsByModel(rerun, TrackingNames.NeuronSource));
        // The network model carries the dynamics of its neurons (later passes read one model), so it changes too; its
        // Save/Load are read from the class alone, which did not change.
        Assert.Equal([("Net", IncrementalStepRunReason.Modified)], ReasonsByModel(rerun, TrackingNames.NetworkModels));
        Assert.Equal([("Net", IncrementalStepRunReason.Cached)], ReasonsByModel(rerun, TrackingNames.PersistenceModels));
        Assert.Equal([IncrementalStepRunReason.Cached], PersistenceOutputReasons(rerun));
        Assert.Equal(
            [("Net", IncrementalStepRunReason.Modified), ("NeuronA", IncrementalStepRunReason.Modified),
             ("NeuronB", IncrementalStepRunReason.Cached), ("Smooth", IncrementalStepRunReason.Cached)],
            SourceOutputReasonsByModel(rerun));
    }

    /// <summary>Runs the generator on the four model files, then again on <paramref name="edit"/> of them.</summary>
    private static GeneratorRunResult RunTwice(Func<Compilation, Compilation> edit)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([Surrogate, NeuronA, NeuronB, Network]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Equal(5, driver.GetRunResult().GeneratedTrees.Length);   // the network's Save/Load are a file of their own

        GeneratorRunResult rerun = driver.RunGenerators(edit(compilation)).GetRunResult().Results.Single();
        Assert.Null(rerun.Exception);
        return rerun;
    }

    private static SyntaxTree Edit(SyntaxTree tree, string find, string replacement)
    {
        string text = tree.GetText().ToString();
        Assert.Contains(find, text);
        return tree.WithChangedText(SourceText.From(text.Replace(find, replacement)));
    }

    private static void AssertNothingReEmitted(GeneratorRunResult rerun)
    {
        foreach (string step in ModelSteps.Concat(SourceSteps))
        {
            Assert.All(ReasonsByModel(rerun, step), model =>
                Assert.Contains(model.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        }
        IncrementalGeneratorRunStep[] outputs = [.. rerun.TrackedOutputSteps.SelectMany(o => o.Value)];
        Assert.NotEmpty(outputs);
        Assert.All(outputs.SelectMany(o => o.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    /// <summary>The run reason of each model a tracked step produced, by model name; fails when the step did not run.</summary>
    private static (string Model, IncrementalStepRunReason Reason)[] ReasonsByModel(GeneratorRunResult run, string trackingName)
    {
        Assert.True(run.TrackedSteps.TryGetValue(trackingName, out var steps), $"No step {trackingName}");
        return [.. steps.SelectMany(s => s.Outputs).Select(o => (ModelName(o.Value), o.Reason)).OrderBy(m => m.Item1, StringComparer.Ordinal)];
    }

    /// <summary>The run reason of each AddSource output, by the name of the model it emits.</summary>
    private static (string Model, IncrementalStepRunReason Reason)[] SourceOutputReasonsByModel(GeneratorRunResult run) =>
    [
        .. run.TrackedOutputSteps.SelectMany(o => o.Value)
            .Where(step => SourceSteps.Contains(step.Inputs.Single().Source.Name))
            .Select(step => (ModelName(step.Inputs.Single().Source.Outputs[step.Inputs.Single().OutputIndex].Value), step.Outputs.Single().Reason))
            .OrderBy(m => m.Item1, StringComparer.Ordinal),
    ];

    /// <summary>The run reason of each AddSource output of the typed Save/Load.</summary>
    private static IncrementalStepRunReason[] PersistenceOutputReasons(GeneratorRunResult run) =>
    [
        .. run.TrackedOutputSteps.SelectMany(o => o.Value)
            .Where(step => step.Inputs.Single().Source.Name == TrackingNames.PersistenceModels)
            .Select(step => step.Outputs.Single().Reason),
    ];

    private static string ModelName(object value) => value switch
    {
        ParseResult<NeuronModel> { Model: { } model } => model.Type.Name,
        ParseResult<SurrogateModel> { Model: { } model } => model.Type.Name,
        ParseResult<NetworkModel> { Model: { } model } => model.Type.Name,
        NeuronModel model => model.Type.Name,
        SurrogateModel model => model.Type.Name,
        NetworkModel model => model.Type.Name,
        PersistenceModel model => model.Type.Name,
        _ => throw new ArgumentException($"Not a model: {value}", nameof(value)),
    };
}
