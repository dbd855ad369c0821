using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SnnDsl.Analyzers.Analysis;
using SnnDsl.Diagnostics;
using SnnDsl.Export.Nir;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Parsing;

namespace SnnDsl.Analyzers;

/// <summary>
/// Usage (SNN0401–SNN0407): declarations that compile and run but do not do what they look like — a firing condition
/// without [Spike], flags that have no effect, states that never change, populations that receive nothing, trainable
/// parameters that can never receive a gradient, a network declared for NIR export whose neuron NIR cannot express.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UsageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.FiresWithoutSpike, DiagnosticDescriptors.IgnoredSurrogateFlag, DiagnosticDescriptors.StateNeverWritten,
        DiagnosticDescriptors.StateNeverRead, DiagnosticDescriptors.PopulationWithoutInput, DiagnosticDescriptors.TrainableWithoutGradient,
        DiagnosticDescriptors.NoNirPrimitive,
    ];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        DeclaredModel.Register(context, Analyze);
    }

    private static void Analyze(DeclaredModel declared)
    {
        if (declared.Neuron is { } neuron)
        {
            CheckFiresWithoutSpike(declared, neuron);
            var reads = IrQueries.Expressions(neuron).SelectMany(IrQueries.Nodes).ToList();
            var assigned = IrQueries.AssignedStates(neuron.Integrate).Concat(IrQueries.AssignedStates(neuron.Reset)).ToList();
            CheckStates(declared, neuron.States.Where(s => s != neuron.PreviousSpike), assigned, reads);
            CheckTrainable(declared, neuron.Parameters, IrQueries.Expressions(neuron));
        }
        else if (declared.Synapse is { } synapse)
        {
            var reads = IrQueries.Expressions(synapse).SelectMany(IrQueries.Nodes).ToList();
            CheckStates(declared, synapse.States, IrQueries.AssignedStates(synapse.Deliver).ToList(), reads);
            CheckTrainable(declared, synapse.Parameters, IrQueries.Expressions(synapse));
        }
        else if (declared.Surrogate is not null)
        {
            CheckSurrogateFlags(declared);
        }
        else if (declared.Network is { } network)
        {
            foreach (LayerModel population in network.Layers.Where(l => !l.IsInput))
            {
                if (network.Connections.Any(c => c.To == population.Name) || network.Biases.Any(b => b.To == population.Name)) continue;
                IPropertySymbol? property = declared.Type.GetMembers(population.Name).OfType<IPropertySymbol>().FirstOrDefault();
                declared.Report(DiagnosticDescriptors.PopulationWithoutInput, property?.Locations.FirstOrDefault(), population.Name);
            }
            if (declared.Type.Attribute(KnownNames.NirExportableAttribute) is { } exportable) CheckNirPrimitives(declared, network, exportable);
        }
    }

    /// <summary>
    /// SNN0407, at the network: a population whose neuron is none of the built-ins the NIR export maps
    /// (<see cref="NirNeurons"/>, the export's own table), compared by model as the export compares them. The built-ins
    /// are those of the SnnDsl that declares [NirExportable], the runtime that will export the network.
    /// </summary>
    private static void CheckNirPrimitives(DeclaredModel declared, NetworkModel network, AttributeData exportable)
    {
        IAssemblySymbol? runtime = exportable.AttributeClass?.ContainingAssembly;
        var mapped = new HashSet<string>(NirNeurons.BuiltIns
            .Select(b => runtime?.GetTypeByMetadataName(b.Type))
            .OfType<INamedTypeSymbol>()
            .Select(t => NetworkParser.NeuronModelOf(t, declared.Semantics, declared.Cancellation))
            .OfType<NeuronModel>()
            .Select(Identity));
        foreach (LayerModel population in network.Layers.Where(l => !l.IsInput && !mapped.Contains(Identity(l.Neuron!))))
        {
            IPropertySymbol? property = declared.Type.GetMembers(population.Name).OfType<IPropertySymbol>().FirstOrDefault();
            declared.Report(DiagnosticDescriptors.NoNirPrimitive, declared.Type.Locations.FirstOrDefault(), property?.Locations.FirstOrDefault(),
                network.Type.Name, population.Name, population.Neuron!.Type.Name, NirNeurons.Supported);
        }
    }

    private static string Identity(NeuronModel neuron)
    {
        (string integrate, string? fires, string? reset) = IrText.Dynamics(neuron);
        return NirNeurons.Identity(neuron.Type.Name, integrate, fires, reset, neuron.Parameters.Select(p => p.Name), neuron.Ports);
    }

    /// <summary>SNN0401: a non-spiking neuron with a method that looks like a firing condition.</summary>
    private static void CheckFiresWithoutSpike(DeclaredModel declared, NeuronModel neuron)
    {
        if (neuron.IsSpiking) return;
        foreach (IMethodSymbol fires in declared.Type.GetMembers("Fires").OfType<IMethodSymbol>()
                     .Where(m => !m.IsStatic && m.Parameters.Length == 0 && m.ReturnType.SpecialType == SpecialType.System_Boolean))
            declared.Report(DiagnosticDescriptors.FiresWithoutSpike, fires.Locations.FirstOrDefault(), fires.Name, declared.Type.Name);
    }

    /// <summary>SNN0403/SNN0404: states the dynamics never assign, or never read.</summary>
    private static void CheckStates(DeclaredModel declared, System.Collections.Generic.IEnumerable<string> states, System.Collections.Generic.List<string> assigned,
        System.Collections.Generic.List<Expr> reads)
    {
        foreach (string state in states)
        {
            Location? location = declared.Type.GetMembers(state).OfType<IFieldSymbol>().FirstOrDefault()?.Locations.FirstOrDefault();
            if (!assigned.Contains(state))
                declared.Report(DiagnosticDescriptors.StateNeverWritten, location, state, declared.Type.Name);
            else if (!reads.Any(e => e is StateRef s && s.Name == state))
                declared.Report(DiagnosticDescriptors.StateNeverRead, location, state, declared.Type.Name);
        }
    }

    /// <summary>SNN0406: a trainable parameter that no differentiable expression reads.</summary>
    private static void CheckTrainable(DeclaredModel declared, EquatableArray<ParamInfo> parameters, System.Collections.Generic.IEnumerable<Expr> expressions)
    {
        var all = expressions.ToList();
        foreach (ParamInfo parameter in parameters.Where(p => p.Trainable))
        {
            bool read = all.SelectMany(IrQueries.Nodes).Any(e => e is ParamRef p && p.Name == parameter.Name);
            bool differentiable = all.SelectMany(IrQueries.DifferentiableNodes).Any(e => e is ParamRef p && p.Name == parameter.Name);
            if (differentiable) continue;
            Location? location = declared.Type.GetMembers(parameter.Name).OfType<IFieldSymbol>().FirstOrDefault()?.Locations.FirstOrDefault();
            declared.Report(DiagnosticDescriptors.TrainableWithoutGradient, location, parameter.Name, declared.Type.Name,
                read ? "is read only in the conditions of '?:', whose derivative is 0" : "is never read by the dynamics");
        }
    }

    /// <summary>SNN0402: Trainable or PerNeuron on a surrogate's static parameter.</summary>
    private static void CheckSurrogateFlags(DeclaredModel declared)
    {
        foreach (IFieldSymbol field in SymbolReader.ParamFields(declared.Type))
        {
            AttributeData attribute = field.Attribute(KnownNames.ParamAttribute)!;
            if (attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax || syntax.ArgumentList is null) continue;
            foreach (AttributeArgumentSyntax argument in syntax.ArgumentList.Arguments)
            {
                string? name = argument.NameEquals?.Name.Identifier.ValueText;
                if (name is "Trainable" or "PerNeuron" && attribute.NamedArgument(name, false))
                    declared.Report(DiagnosticDescriptors.IgnoredSurrogateFlag, argument.GetLocation(), name, field.Name);
            }
        }
    }
}
