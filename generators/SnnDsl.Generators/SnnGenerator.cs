using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SnnDsl.Generators.Emit;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Nir;
using SnnDsl.Generators.Parsing;

namespace SnnDsl.Generators;

/// <summary>
/// The SnnDsl source generator. Five pipelines, one per attribute (two for [Neuron]: float and integer neurons), each: ForAttributeWithMetadataName → parse
/// into a value-equatable model (no symbols or syntax survive this step) → split into diagnostics and model →
/// emit. An edit that leaves a model equal re-runs nothing after the parse step. A sixth reads [Network] classes
/// again for their typed Save/Load; a seventh imports [NirNetwork] classes from NIR files and runs the [Network]
/// parser and emitters on the declaration it imports.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SnnGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // [Neuron] structs → NeuronModel → Descriptor + fused Step/StepBackward kernels.
        IncrementalValuesProvider<ParseResult<NeuronModel>> neurons = Parse(context, KnownNames.NeuronAttribute, NeuronParser.Parse, TrackingNames.NeuronModels);
        Register(context, neurons, NeuronEmitter.Emit, static m => SourceFile.HintName(m.Type, "Neuron"), TrackingNames.NeuronSource);

        // [Neuron] structs declared in integer arithmetic (int or short states) → IntegerNeuronModel → their integer Step.
        IncrementalValuesProvider<ParseResult<IntegerNeuronModel>> integerNeurons = Parse(context, KnownNames.NeuronAttribute, IntegerNeuronParser.ParseIfInteger, TrackingNames.IntegerNeuronModels);
        Register(context, integerNeurons, IntegerNeuronEmitter.Emit, static m => SourceFile.HintName(m.Type, "Neuron"), TrackingNames.IntegerNeuronSource);

        // [Synapse] structs → SynapseModel → Descriptor + Step/StepBackward kernels.
        IncrementalValuesProvider<ParseResult<SynapseModel>> synapses = Parse(context, KnownNames.SynapseAttribute, SynapseParser.Parse, TrackingNames.SynapseModels);
        Register(context, synapses, SynapseEmitter.Emit, static m => SourceFile.HintName(m.Type, "Synapse"), TrackingNames.SynapseSource);

        // [Surrogate] classes → SurrogateModel → Descriptor + vector Derivative overloads.
        IncrementalValuesProvider<ParseResult<SurrogateModel>> surrogates = Parse(context, KnownNames.SurrogateAttribute, SurrogateParser.Parse, TrackingNames.SurrogateModels);
        Register(context, surrogates, SurrogateEmitter.Emit, static m => SourceFile.HintName(m.Type, "Surrogate"), TrackingNames.SurrogateSource);

        // [LearningRule] structs → LearningRuleModel (with the locality of what it reads) → Descriptor + kernels.
        IncrementalValuesProvider<ParseResult<LearningRuleModel>> rules = Parse(context, KnownNames.LearningRuleAttribute, LearningRuleParser.Parse, TrackingNames.LearningRuleModels);
        Register(context, rules, LearningRuleEmitter.Emit, static m => SourceFile.HintName(m.Type, "LearningRule"), TrackingNames.LearningRuleSource);

        // [Network] classes → NetworkModel → layers, Descriptor and the forward pass.
        IncrementalValuesProvider<ParseResult<NetworkModel>> networks = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.NetworkAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol.HasWellFormedName() && !ImportsNir(ctx.TargetSymbol)
                    ? NetworkParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0], ctx.SemanticModel, ct)
                    : new ParseResult<NetworkModel>(null, EquatableArray<DiagnosticInfo>.Empty))
            .WithTrackingName(TrackingNames.NetworkModels);
        Register(context, networks, NetworkEmitter.Emit, static m => SourceFile.HintName(m.Type, "Network"), TrackingNames.NetworkSource);

        // [Network] classes → their typed Save/Load, a part of its own: read from the class alone, so that it is there for a
        // declaration with errors too (beside its shell), and an edit to the layers or a neuron re-emits nothing here.
        IncrementalValuesProvider<PersistenceModel> persistence = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.NetworkAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, _) => ctx.TargetSymbol.HasWellFormedName() && !ImportsNir(ctx.TargetSymbol) ? PersistenceParser.Parse((INamedTypeSymbol)ctx.TargetSymbol) : null)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.PersistenceModels);
        context.RegisterSourceOutput(persistence, static (spc, m) => spc.AddSource(SourceFile.HintName(m.Type, "Persistence"), PersistenceEmitter.Emit(m)));

        // [NirNetwork("file.nir")] classes → the file (an AdditionalFiles item) → the declaration the runtime importer
        // writes → the [Network] parser and emitters above. It reads the compilation, so it re-runs on every edit, but only
        // for projects that have such a class.
        IncrementalValuesProvider<NirNetworkRequest> nirNetworks = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.NirNetworkAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, _) => NirNetworkGenerator.Request(ctx))
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(TrackingNames.NirNetworkRequests);
        context.RegisterSourceOutput(nirNetworks.Combine(context.AdditionalTextsProvider.Collect()).Combine(context.CompilationProvider),
            static (spc, input) => NirNetworkGenerator.Generate(spc, input.Left.Left, input.Left.Right, input.Right));
    }

    /// <summary>A class with both [Network] and [NirNetwork] gets SNN0410 alone (the import writes its [Network] itself).</summary>
    private static bool ImportsNir(ISymbol type) => type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.NirNetworkAttribute);

    /// <summary>The types marked with <paramref name="attribute"/>, each parsed by <paramref name="parse"/> (the [Network] pipeline is written out: its parser also reads the attribute's arguments).</summary>
    private static IncrementalValuesProvider<ParseResult<T>> Parse<T>(IncrementalGeneratorInitializationContext context, string attribute,
        System.Func<INamedTypeSymbol, SemanticModel, System.Threading.CancellationToken, ParseResult<T>> parse, string trackingName)
        where T : class, System.IEquatable<T> =>
        context.SyntaxProvider
            .ForAttributeWithMetadataName(attribute,
                static (node, _) => node is TypeDeclarationSyntax,
                (ctx, ct) => ctx.TargetSymbol.HasWellFormedName()
                    ? parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.SemanticModel, ct)
                    : new ParseResult<T>(null, EquatableArray<DiagnosticInfo>.Empty))
            .WithTrackingName(trackingName);

    private static void Register<T>(
        IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ParseResult<T>> results,
        System.Func<T, string> emit, System.Func<T, string> hintName, string sourceTrackingName)
        where T : class, System.IEquatable<T>
    {
        // Diagnostics and source are separate outputs, so a change in one does not re-run the other.
        context.RegisterSourceOutput(results.Select(static (r, _) => r.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
        IncrementalValuesProvider<T> models = results
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!)
            .WithTrackingName(sourceTrackingName);
        context.RegisterSourceOutput(models, (spc, model) => spc.AddSource(hintName(model), emit(model)));

        // A declaration with errors still gets its shell, so that its SNN diagnostics are the only errors.
        IncrementalValuesProvider<ShellModel> shells = results
            .Where(static r => r.Model is null && r.Shell is not null)
            .Select(static (r, _) => r.Shell!);
        context.RegisterSourceOutput(shells, static (spc, shell) => spc.AddSource(SourceFile.HintName(shell.Type, shell.Kind + ".Shell"), ShellEmitter.Emit(shell)));
    }
}

/// <summary>Names of the pipeline steps, for incrementality tests.</summary>
internal static class TrackingNames
{
    public const string NeuronModels = nameof(NeuronModels);
    public const string NeuronSource = nameof(NeuronSource);
    public const string IntegerNeuronModels = nameof(IntegerNeuronModels);
    public const string IntegerNeuronSource = nameof(IntegerNeuronSource);
    public const string SynapseModels = nameof(SynapseModels);
    public const string SynapseSource = nameof(SynapseSource);
    public const string SurrogateModels = nameof(SurrogateModels);
    public const string SurrogateSource = nameof(SurrogateSource);
    public const string LearningRuleModels = nameof(LearningRuleModels);
    public const string LearningRuleSource = nameof(LearningRuleSource);
    public const string NetworkModels = nameof(NetworkModels);
    public const string NetworkSource = nameof(NetworkSource);
    public const string PersistenceModels = nameof(PersistenceModels);
    public const string NirNetworkRequests = nameof(NirNetworkRequests);
}
