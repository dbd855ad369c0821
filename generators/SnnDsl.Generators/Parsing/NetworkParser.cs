using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Parsing;

/// <summary>
/// Parses a [Network] class: layers (inputs and populations, in declaration order = update order) and dense
/// connections, validating sizes and names at compile time.
/// </summary>
internal static class NetworkParser
{
    public static ParseResult<NetworkModel> Parse(INamedTypeSymbol type, AttributeData network, SemanticModel semantics, CancellationToken cancellation)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (type.IsValueType || type.IsStatic || type.IsRecord || !type.IsPartialEverywhere())
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MustBePartial, type.Locations.FirstOrDefault(), "Network", type.Name, "'partial class' (and every containing type partial)"));
            return Fail(diagnostics);
        }

        var layers = new List<LayerModel>();
        var connections = new List<(IPropertySymbol Property, string From, string To)>();
        foreach (IPropertySymbol property in type.GetMembers().OfType<IPropertySymbol>())
        {
            cancellation.ThrowIfCancellationRequested();
            if (property.Attribute(KnownNames.InputAttribute) is { } input)
            {
                if (CheckProperty(property, KnownNames.SpikeInput, "SpikeInput", diagnostics) && CheckSize(property, input, diagnostics) is { } size)
                    layers.Add(new LayerModel(property.Name, AccessibilityOf(property), size, null));
            }
            else if (property.Attribute(KnownNames.PopulationAttribute) is { } population)
            {
                if (CheckProperty(property, KnownNames.Population, "Population<TNeuron>", diagnostics) &&
                    CheckSize(property, population, diagnostics) is { } size &&
                    NeuronOf(property, semantics, diagnostics, cancellation) is { } neuron)
                    layers.Add(new LayerModel(property.Name, AccessibilityOf(property), size, neuron));
            }
            else if (property.Attribute(KnownNames.DenseAttribute) is { } dense)
            {
                if (CheckProperty(property, KnownNames.Synapses, "Synapses", diagnostics) &&
                    dense.ConstructorArguments is [{ Value: string from }, { Value: string to }])
                    connections.Add((property, from, to));
            }
        }
        if (diagnostics.Count > 0) return Fail(diagnostics);
        if (!layers.Any(l => l.IsInput) || !layers.Any(l => !l.IsInput))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyNetwork, type.Locations.FirstOrDefault(), type.Name));
            return Fail(diagnostics);
        }

        // Connections: names resolve, targets are populations, sources spike; order decides feed-forward vs recurrent.
        var models = new List<ConnectionModel>();
        string layerList = string.Join(", ", layers.Select(l => l.Name));
        foreach ((IPropertySymbol property, string from, string to) in connections)
        {
            Location? location = property.Attribute(KnownNames.DenseAttribute)!.ApplicationSyntaxReference?.GetSyntax(cancellation).GetLocation() ?? property.Locations.FirstOrDefault();
            int fromIndex = layers.FindIndex(l => l.Name == from), toIndex = layers.FindIndex(l => l.Name == to);
            if (fromIndex < 0 || toIndex < 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownLayer, location, property.Name, fromIndex < 0 ? from : to, type.Name, layerList));
                continue;
            }
            if (layers[toIndex].IsInput)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TargetIsInput, location, property.Name, to));
                continue;
            }
            if (layers[fromIndex].Neuron is { IsSpiking: false })
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonSpikingSource, location, property.Name, from));
                continue;
            }
            if (models.FirstOrDefault(m => m.From == from && m.To == to) is { } duplicate)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateConnection, location, property.Name, from, to, duplicate.Name));
                continue;
            }
            bool recurrent = !layers[fromIndex].IsInput && fromIndex >= toIndex;
            models.Add(new ConnectionModel(property.Name, AccessibilityOf(property), from, to, recurrent));
        }
        if (diagnostics.Count > 0) return Fail(diagnostics);

        double timeStep = network.NamedArgument("TimeStep", 1e-3);
        return new ParseResult<NetworkModel>(
            new NetworkModel(SymbolReader.DeclaredTypeOf(type), timeStep, layers.ToEquatableArray(), models.ToEquatableArray()),
            EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>A layer property must be 'public partial T Name { get; }' with the right T.</summary>
    private static bool CheckProperty(IPropertySymbol property, string metadataName, string display, List<DiagnosticInfo> diagnostics)
    {
        bool partial = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<PropertyDeclarationSyntax>()
            .Any(p => p.Modifiers.Any(m => m.ValueText == "partial") && p.AccessorList is { } accessors &&
                      accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null) && accessors.Accessors.Count == 1 && accessors.Accessors[0].Keyword.ValueText == "get");
        bool typeMatches = property.Type is INamedTypeSymbol named &&
                           (named.IsGenericType ? named.ConstructedFrom : named).ToDisplayString().Replace("<TNeuron>", "`1") == metadataName;
        if (partial && typeMatches && !property.IsStatic) return true;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongLayerProperty, property.Locations.FirstOrDefault(), property.Name, display));
        return false;
    }

    private static int? CheckSize(IPropertySymbol property, AttributeData attribute, List<DiagnosticInfo> diagnostics)
    {
        int size = attribute.ConstructorArguments is [{ Value: int value }] ? value : 0;
        if (size > 0) return size;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveSize,
            attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? property.Locations.FirstOrDefault(), property.Name, size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return null;
    }

    /// <summary>The neuron of a Population&lt;T&gt; property; a neuron declared in this compilation must itself be valid.</summary>
    private static NeuronSignature? NeuronOf(IPropertySymbol property, SemanticModel semantics, List<DiagnosticInfo> diagnostics, CancellationToken cancellation)
    {
        var neuron = ((INamedTypeSymbol)property.Type).TypeArguments[0] as INamedTypeSymbol;
        if (neuron is null || !neuron.HasAttribute(KnownNames.NeuronAttribute))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotANeuron, property.Locations.FirstOrDefault(), property.Name, neuron?.Name ?? property.Type.ToDisplayString()));
            return null;
        }
        if (neuron.DeclaringSyntaxReferences.Length > 0 && NeuronParser.Parse(neuron, semantics, cancellation).Model is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNeuron, property.Locations.FirstOrDefault(), neuron.Name));
            return null;
        }
        return SymbolReader.SignatureOf(neuron);
    }

    private static string AccessibilityOf(IPropertySymbol property) => property.DeclaredAccessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    private static ParseResult<NetworkModel> Fail(List<DiagnosticInfo> diagnostics) => new(null, diagnostics.ToEquatableArray());
}
