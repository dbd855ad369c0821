using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Parsing;

/// <summary>
/// Parses a [Network] class: layers (inputs and populations, in declaration order = update order), connections
/// and biases, with the full model of every neuron and synapse they use, validating sizes, names, ports, delays and
/// shapes at compile time.
/// </summary>
internal static class NetworkParser
{
    private static readonly (string Attribute, string PropertyType, string Display, ConnectionKind Kind)[] ConnectionAttributes =
    [
        (KnownNames.DenseAttribute, KnownNames.Synapses, "DenseSynapses", ConnectionKind.Dense),
        (KnownNames.SparseAttribute, KnownNames.SparseSynapses, "SparseSynapses", ConnectionKind.Sparse),
        (KnownNames.OneToOneAttribute, KnownNames.OneToOneSynapses, "OneToOneSynapses", ConnectionKind.OneToOne),
        (KnownNames.Conv1dAttribute, KnownNames.Conv1dSynapses, "Conv1dSynapses", ConnectionKind.Conv1d),
    ];

    /// <summary>The attributes that make a property a layer, connection or bias of the network.</summary>
    private static readonly string[] LayerAttributes =
        [KnownNames.InputAttribute, KnownNames.PopulationAttribute, KnownNames.BiasAttribute, .. ConnectionAttributes.Select(a => a.Attribute)];

    public static ParseResult<NetworkModel> Parse(INamedTypeSymbol type, AttributeData network, SemanticModel semantics, CancellationToken cancellation)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (!IsPartialClass(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MustBePartial, type.Locations.FirstOrDefault(), "Network", type.Name, "'partial class' (and every containing type partial)"));
            return ParseResult<NetworkModel>.Failed(diagnostics);
        }
        bool standIn = NeedsPopulationStandIn(type);
        var shell = new ShellModel(SymbolReader.DeclaredTypeOf(type), ShellKind.Network, ShellProperties(type, standIn), PopulationStandIn: standIn);

        var layers = new List<LayerModel>();
        var connections = new List<(IPropertySymbol Property, AttributeData Attribute, ConnectionKind Kind)>();
        var biases = new List<(IPropertySymbol Property, AttributeData Attribute)>();
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
            else if (property.Attribute(KnownNames.BiasAttribute) is { } bias)
            {
                if (CheckProperty(property, KnownNames.Bias, "Bias", diagnostics)) biases.Add((property, bias));
            }
            else
            {
                foreach ((string attribute, string propertyType, string display, ConnectionKind kind) in ConnectionAttributes)
                {
                    if (property.Attribute(attribute) is not { } connection) continue;
                    if (CheckProperty(property, propertyType, display, diagnostics)) connections.Add((property, connection, kind));
                    break;
                }
            }
        }
        // The attributes target properties; on a field or method C# reports CS0592, and the layer would silently be missing.
        foreach (ISymbol member in type.GetMembers().Where(m => m is IFieldSymbol or IMethodSymbol { MethodKind: MethodKind.Ordinary } && LayerAttributes.Any(m.HasAttribute)))
        {
            string display = member.Attribute(KnownNames.InputAttribute) is not null ? "SpikeInput"
                : member.Attribute(KnownNames.PopulationAttribute) is not null ? "Population<TNeuron>"
                : member.Attribute(KnownNames.BiasAttribute) is not null ? "Bias"
                : ConnectionAttributes.First(a => member.HasAttribute(a.Attribute)).Display;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongLayerProperty, member.Locations.FirstOrDefault(), member.Name, display));
        }
        if (diagnostics.Count > 0) return ParseResult<NetworkModel>.Failed(diagnostics, shell);
        if (!layers.Any(l => l.IsInput) || !layers.Any(l => !l.IsInput))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyNetwork, type.Locations.FirstOrDefault(), type.Name));
            return ParseResult<NetworkModel>.Failed(diagnostics, shell);
        }

        var context = new Context(type, layers, diagnostics, semantics, cancellation);
        var models = new List<ConnectionModel>();
        foreach ((IPropertySymbol property, AttributeData attribute, ConnectionKind kind) in connections)
        {
            if (context.Connection(property, attribute, kind) is not { } model) continue;
            if (models.FirstOrDefault(m => m with { Name = "", Accessibility = "" } == model with { Name = "", Accessibility = "" }) is { } duplicate)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateConnection, context.LocationOf(property, attribute), property.Name, model.From, model.To, duplicate.Name));
            else
                models.Add(model);
        }
        var biasModels = new List<BiasModel>();
        foreach ((IPropertySymbol property, AttributeData attribute) in biases)
        {
            Location? location = context.LocationOf(property, attribute);
            string to = attribute.ConstructorArguments is [{ Value: string target }] ? target : "";
            if (context.Population(property.Name, to, location) is not { } layer) continue;
            if (context.PortOf(property.Name, layer, attribute.NamedArgument<string>("Port"), location) is { } port)
                biasModels.Add(new BiasModel(property.Name, AccessibilityOf(property), to, port));
        }
        // A property whose declaration has a C# error the generated part would repeat (see Implementable): C# reports it
        // there, and the network is generated once it is fixed; until then, only the shell, without that property.
        if (diagnostics.Count > 0 || type.GetMembers().OfType<IPropertySymbol>().Any(p => Definition(p) is { } d && !Implementable(p, d, type)))
            return ParseResult<NetworkModel>.Failed(diagnostics, shell);

        double timeStep = network.NamedArgument("TimeStep", 1e-3);
        return new ParseResult<NetworkModel>(
            new NetworkModel(SymbolReader.DeclaredTypeOf(type), timeStep, layers.ToEquatableArray(), models.ToEquatableArray(), biasModels.ToEquatableArray(),
                SymbolReader.MemberNames(type)),
            EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>Whether a [Network] type is a partial class (not static, not a record) in partial containing types: else SNN0001, and nothing is generated for it.</summary>
    public static bool IsPartialClass(INamedTypeSymbol type) => !type.IsValueType && !type.IsStatic && !type.IsRecord && type.IsPartialEverywhere();

    /// <summary>What connection and bias checks share: the network, its layers and where diagnostics go.</summary>
    private sealed class Context(INamedTypeSymbol network, List<LayerModel> layers, List<DiagnosticInfo> diagnostics, SemanticModel semantics, CancellationToken cancellation)
    {
        private string LayerList => string.Join(", ", layers.Select(l => l.Name));

        public Location? LocationOf(IPropertySymbol property, AttributeData attribute) =>
            attribute.ApplicationSyntaxReference?.GetSyntax(cancellation).GetLocation() ?? property.Locations.FirstOrDefault();

        private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
            diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

        /// <summary>The population named <paramref name="name"/>, or a diagnostic.</summary>
        public LayerModel? Population(string member, string name, Location? location)
        {
            LayerModel? layer = layers.FirstOrDefault(l => l.Name == name);
            if (layer is null) Report(DiagnosticDescriptors.UnknownLayer, location, member, name, network.Name, LayerList);
            else if (layer.IsInput) Report(DiagnosticDescriptors.TargetIsInput, location, member, name);
            else return layer;
            return null;
        }

        /// <summary>The port a connection or bias drives: the one named, or the neuron's only one.</summary>
        public string? PortOf(string member, LayerModel target, string? port, Location? location)
        {
            NeuronModel neuron = target.Neuron!;
            string ports = string.Join(", ", neuron.Ports);
            if (port is null)
            {
                if (neuron.Ports.Count == 1) return neuron.Ports[0];
                Report(DiagnosticDescriptors.PortRequired, location, member, target.Name, neuron.Type.Name, ports);
                return null;
            }
            if (neuron.Ports.Contains(port)) return port;
            Report(DiagnosticDescriptors.UnknownPort, location, member, port, neuron.Type.Name, ports);
            return null;
        }

        public ConnectionModel? Connection(IPropertySymbol property, AttributeData attribute, ConnectionKind kind)
        {
            Location? location = LocationOf(property, attribute);
            string name = property.Name;
            if (attribute.ConstructorArguments is not [{ Value: string from }, { Value: string to }]) return null;
            int fromIndex = layers.FindIndex(l => l.Name == from);
            if (fromIndex < 0)
            {
                Report(DiagnosticDescriptors.UnknownLayer, location, name, from, network.Name, LayerList);
                return null;
            }
            if (Population(name, to, location) is not { } target) return null;
            LayerModel source = layers[fromIndex];
            if (source.Neuron is { IsSpiking: false })
            {
                Report(DiagnosticDescriptors.NonSpikingSource, location, name, from);
                return null;
            }
            string? port = PortOf(name, target, attribute.NamedArgument<string>("Port"), location);
            SynapseModel? synapse = null;
            if (attribute.NamedArgument<ITypeSymbol>("Synapse") is { } synapseType)
            {
                synapse = SynapseOf(name, synapseType, target, location);
                if (synapse is null) return null;
            }

            // Delay: inferred from the order (0 after the source has updated, 1 otherwise), or stated.
            bool sourceUpdatesFirst = source.IsInput || fromIndex < layers.IndexOf(target);
            int declared = attribute.NamedArgument("Delay", -1);
            int delay = declared < 0 ? (sourceUpdatesFirst ? 0 : 1) : declared;
            if (attribute.NamedArguments.Any(a => a.Key == "Delay") && declared < 0)
                Report(DiagnosticDescriptors.InvalidDelay, location, name, $"Delay = {declared} is negative; a delay counts whole steps, 0 or more");
            else if (delay == 0 && !sourceUpdatesFirst)
                Report(DiagnosticDescriptors.InvalidDelay, location, name,
                    $"'{from}' updates {(from == to ? "in the same step as" : "after")} '{to}', so its spikes of step t are not known yet when '{to}' updates; use Delay = 1 or more");
            int maxDelay = delay;
            if (kind == ConnectionKind.Sparse && attribute.NamedArgument("MaxDelay", -1) is var declaredMax and >= 0)
            {
                if (declaredMax < delay) Report(DiagnosticDescriptors.InvalidDelay, location, name, $"MaxDelay = {declaredMax} is below the connection's delay {delay}");
                maxDelay = declaredMax;
            }

            ConvShape? convolution = kind switch
            {
                ConnectionKind.Conv1d => ConvolutionOf(name, attribute, source.Size, target.Size, location),
                _ => null,
            };
            if (kind == ConnectionKind.OneToOne && source.Size != target.Size)
                Report(DiagnosticDescriptors.InvalidConnectionShape, location, name, $"a one-to-one connection needs layers of equal size, but '{from}' has {source.Size} and '{to}' {target.Size}");
            double probability = attribute.NamedArgument("Probability", 0.0);
            if (probability is < 0 or > 1 || double.IsNaN(probability))
                Report(DiagnosticDescriptors.InvalidConnectionShape, location, name, $"Probability = {probability.ToString(CultureInfo.InvariantCulture)} is not within [0, 1]");
            if (port is null || diagnostics.Count > 0) return null;
            return new ConnectionModel(name, AccessibilityOf(property), kind, from, to, delay, maxDelay, port, synapse, convolution, probability, attribute.NamedArgument("Seed", 1));
        }

        private ConvShape? ConvolutionOf(string name, AttributeData attribute, int pre, int post, Location? location)
        {
            int inChannels = attribute.NamedArgument("InChannels", 1), outChannels = attribute.NamedArgument("OutChannels", 1);
            int kernel = attribute.NamedArgument("KernelSize", 1), stride = attribute.NamedArgument("Stride", 1), padding = attribute.NamedArgument("Padding", 0);
            string? problem = null;
            if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0)
                problem = $"InChannels = {inChannels}, OutChannels = {outChannels}, KernelSize = {kernel} and Stride = {stride} must be at least 1 and Padding = {padding} at least 0";
            else if (pre % inChannels != 0)
                problem = $"the source has {pre} neurons, not a multiple of InChannels = {inChannels}";
            int inLength = inChannels > 0 ? pre / inChannels : 0;
            int outLength = stride > 0 ? (inLength + 2 * padding - kernel) / stride + 1 : 0;
            if (problem is null && inLength + 2 * padding < kernel)
                problem = $"the kernel ({kernel}) is wider than the padded input ({inLength} + 2·{padding})";
            else if (problem is null && outChannels * outLength != post)
                problem = $"{inChannels} channel(s) × {inLength} positions → {outChannels} channel(s) × {outLength} positions = {outChannels * outLength} neurons, but the target has {post}";
            if (problem is null) return new ConvShape(inChannels, inLength, outChannels, outLength, kernel, stride, padding);
            Report(DiagnosticDescriptors.InvalidConnectionShape, location, name, problem);
            return null;
        }

        private SynapseModel? SynapseOf(string connection, ITypeSymbol type, LayerModel target, Location? location)
        {
            if (type is not INamedTypeSymbol named || !named.HasAttribute(KnownNames.SynapseAttribute))
            {
                Report(DiagnosticDescriptors.NotASynapse, location, connection, type.Name);
                return null;
            }
            SynapseModel? synapse = named.DeclaringSyntaxReferences.Length > 0
                ? SynapseParser.Parse(named, semantics, cancellation).Model
                : Compiled(named, IrText.ReadSynapse, location, diagnostics);
            if (synapse is null)
            {
                if (named.DeclaringSyntaxReferences.Length > 0) Report(DiagnosticDescriptors.InvalidSynapse, location, named.Name);
                return null;
            }
            NeuronModel neuron = target.Neuron!;
            foreach (PostRead read in synapse.PostReads.Where(r => !neuron.States.Contains(r.State)))
            {
                Report(DiagnosticDescriptors.PostsynapticStateMissing, location, named.Name, connection, read.State, neuron.Type.Name, string.Join(", ", neuron.States));
                return null;
            }
            return synapse;
        }

    }

    /// <summary>A network property must be 'public partial T Name { get; }' with the right T.</summary>
    private static bool CheckProperty(IPropertySymbol property, string metadataName, string display, List<DiagnosticInfo> diagnostics)
    {
        bool partial = Definition(property) is { AccessorList.Accessors: [{ RawKind: (int)SyntaxKind.GetAccessorDeclaration }] } && !ImplementedByUser(property);
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
            attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? property.Locations.FirstOrDefault(), property.Name, size.ToString(CultureInfo.InvariantCulture)));
        return null;
    }

    /// <summary>The neuron of a Population&lt;T&gt; property: parsed from source, or read from a referenced assembly's compiled model.</summary>
    private static NeuronModel? NeuronOf(IPropertySymbol property, SemanticModel semantics, List<DiagnosticInfo> diagnostics, CancellationToken cancellation)
    {
        var neuron = ((INamedTypeSymbol)property.Type).TypeArguments[0] as INamedTypeSymbol;
        Location? location = property.Locations.FirstOrDefault();
        if (neuron is null || !neuron.HasAttribute(KnownNames.NeuronAttribute))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotANeuron, location, property.Name, neuron?.Name ?? property.Type.ToDisplayString()));
            return null;
        }
        if (neuron.DeclaringSyntaxReferences.Length > 0 && IntegerNeuronParser.Declares(neuron))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.IntegerNeuronNotDifferentiable, location, neuron.Name,
                $"be the population '{property.Name}' of a network (networks simulate and train in float; run the neuron's Step kernel)"));
            return null;
        }
        if (neuron.DeclaringSyntaxReferences.Length > 0)
        {
            NeuronModel? model = NeuronParser.Parse(neuron, semantics, cancellation).Model;
            if (model is null) diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNeuron, location, neuron.Name));
            return model;
        }
        return Compiled(neuron, IrText.ReadNeuron, location, diagnostics);
    }

    /// <summary>The model of a type from a referenced assembly, read from the [CompiledModel] attribute the generator put on it.</summary>
    private static T? Compiled<T>(INamedTypeSymbol type, System.Func<string, DeclaredType, T?> read, Location? location, List<DiagnosticInfo> diagnostics) where T : class
    {
        if (Compiled(type, read) is { } model) return model;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CompiledModelMissing, location, type.Name, type.ContainingAssembly?.Name ?? "?"));
        return null;
    }

    private static T? Compiled<T>(INamedTypeSymbol type, System.Func<string, DeclaredType, T?> read) where T : class =>
        type.Attribute(KnownNames.CompiledModelAttribute) is { ConstructorArguments: [{ Value: string text }] } ? read(text, SymbolReader.DeclaredTypeOf(type)) : null;

    /// <summary>
    /// The model of a [Neuron] type as a population of it sees it: parsed from source, or read from a referenced
    /// assembly's compiled model; null when it has errors or carries no readable model.
    /// </summary>
    public static NeuronModel? NeuronModelOf(INamedTypeSymbol neuron, SemanticModel semantics, CancellationToken cancellation) =>
        neuron.DeclaringSyntaxReferences.Length > 0 ? NeuronParser.Parse(neuron, semantics, cancellation).Model : Compiled(neuron, IrText.ReadNeuron);

    /// <summary>
    /// The accessibility modifiers the implementing part must repeat: none when the declaration writes none (C# asks both
    /// parts of a partial member to spell the same modifiers, CS8799), otherwise the declared accessibility.
    /// </summary>
    private static string AccessibilityOf(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is PropertyDeclarationSyntax declaration &&
        !declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) ||
                                        m.IsKind(SyntaxKind.ProtectedKeyword) || m.IsKind(SyntaxKind.PrivateKeyword))
            ? ""
            : DeclaredAccessibility(property);

    private static string DeclaredAccessibility(IPropertySymbol property) => property.DeclaredAccessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    /// <summary>
    /// The partial definition the generated part implements: the property's only declaration, written 'partial' with
    /// accessors and no bodies; null for anything else (C# or SNN0010 reports it).
    /// </summary>
    private static PropertyDeclarationSyntax? Definition(IPropertySymbol property) =>
        LayerAttributes.Any(property.HasAttribute) && property.DeclaringSyntaxReferences is [var only] &&
        only.GetSyntax() is PropertyDeclarationSyntax declaration && declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)) &&
        declaration.AccessorList is { } accessors && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null)
            ? declaration
            : null;

    /// <summary>
    /// Whether a generated implementing part of <paramref name="property"/> compiles. It would not where the user's
    /// declaration itself has a C# error, and repeating that error inside a generated file would hide where it is: a type
    /// or accessor list that is not well-formed text, a type that does not bind (unresolved, open, or against Population's
    /// constraints), a type less accessible than the property (CS0053), a name another member already has (CS0102), a
    /// partial property the user already implemented (CS9251). Left out of the shell, the property lacks its
    /// implementing part (CS9248), which C# reports at the same property of the user's code.
    /// </summary>
    private static bool Implementable(IPropertySymbol property, PropertyDeclarationSyntax definition, INamedTypeSymbol network, bool standIn = false) =>
        !definition.Type.ContainsDiagnostics && !definition.AccessorList!.ContainsDiagnostics &&
        (standIn && StoodIn(property, definition) is { } neuron ? Binds(neuron) : Binds(property.Type)) &&
        IsAtLeastAsAccessible(Accessible(property.Type), AccessibleWithContainers(property)) &&
        network.GetMembers(property.Name).Length == 1 && !ImplementedByUser(property);

    /// <summary>
    /// Whether the shell declares its own <c>Population&lt;TNeuron&gt;</c> in the network (<see cref="ShellModel.PopulationStandIn"/>):
    /// a population property, written <c>Population&lt;T&gt;</c>, whose T resolves but is no neuron (a struct without
    /// [Neuron], a class), so that SnnDsl's <c>Population&lt;TNeuron&gt;</c> rejects it (CS0315, CS0453) next to SNN0016.
    /// Inside the network the stand-in, which asks nothing of T, takes that name's place, and SNN0016 stays the only error.
    /// Not when the network already has a member named Population (the stand-in would clash with it).
    /// </summary>
    private static bool NeedsPopulationStandIn(INamedTypeSymbol network) =>
        network.GetMembers("Population").IsEmpty &&
        network.GetMembers().OfType<IPropertySymbol>().Any(p => p.HasAttribute(KnownNames.PopulationAttribute) && Definition(p) is { } definition
            && StoodIn(p, definition) is { } neuron && Binds(neuron) && !Binds(p.Type));

    /// <summary>
    /// The neuron type of a property whose type is written <c>Population&lt;T&gt;</c> (unqualified, so that a stand-in
    /// in the network takes its place) and binds to SnnDsl's <c>Population&lt;TNeuron&gt;</c>; else null.
    /// </summary>
    private static ITypeSymbol? StoodIn(IPropertySymbol property, PropertyDeclarationSyntax definition) =>
        definition.Type is GenericNameSyntax { Identifier.ValueText: "Population", TypeArgumentList.Arguments.Count: 1 }
        && property.Type is INamedTypeSymbol { IsGenericType: true } named && named.ConstructedFrom.ToDisplayString() == "SnnDsl.Population<TNeuron>"
            ? named.TypeArguments[0]
            : null;

    /// <summary>
    /// Whether the user's code implements the partial property itself. The generator never sees its own implementation
    /// (its input is the compilation without its output), but the analyzers, which share this parser, do: an
    /// implementation in a generated file (*.g.cs, as every file of this generator is named) is not the user's.
    /// </summary>
    private static bool ImplementedByUser(IPropertySymbol property) =>
        property.PartialImplementationPart is { } implementation &&
        implementation.DeclaringSyntaxReferences.Any(r => !r.SyntaxTree.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal));

    /// <summary>
    /// Whether <paramref name="type"/> resolves, is closed, and its type arguments satisfy their type parameters'
    /// constraints, counting INeuron as implemented by a neuron the generator completes.
    /// </summary>
    private static bool Binds(ITypeSymbol type) => type switch
    {
        IErrorTypeSymbol => false,
        INamedTypeSymbol { IsUnboundGenericType: true } => false,
        INamedTypeSymbol named => named.TypeArguments.All(Binds) && named.TypeArguments.Zip(named.TypeParameters, Satisfies).All(ok => ok),
        IArrayTypeSymbol array => Binds(array.ElementType),
        _ => true,
    };

    private static bool Satisfies(ITypeSymbol argument, ITypeParameterSymbol parameter) =>
        !SymbolEqualityComparer.Default.Equals(argument, parameter)   // Population<> reads as Population<TNeuron>
        && (!parameter.HasValueTypeConstraint || argument.IsValueType && argument.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
        && (!parameter.HasReferenceTypeConstraint || argument.IsReferenceType)
        && parameter.ConstraintTypes.All(constraint => ConvertsTo(argument, constraint));

    /// <summary>Whether <paramref name="argument"/> is, derives from or implements <paramref name="constraint"/> (INeuron also when the generator adds it).</summary>
    private static bool ConvertsTo(ITypeSymbol argument, ITypeSymbol constraint)
    {
        if (constraint.ToDisplayString() == KnownNames.INeuron && argument is INamedTypeSymbol neuron && neuron.GetsNeuronInterface()) return true;
        for (ITypeSymbol? t = argument; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t, constraint)) return true;
        return argument.AllInterfaces.Contains(constraint, SymbolEqualityComparer.Default);
    }

    /// <summary>Where a type can be named: the least accessible of itself, its containing types and its type arguments.</summary>
    private static Accessibility Accessible(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => Accessible(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Select(Accessible).Aggregate(AccessibleWithContainers(named), Least),
        _ => Accessibility.Public,
    };

    /// <summary>The least accessible of a member and the types containing it.</summary>
    private static Accessibility AccessibleWithContainers(ISymbol member)
    {
        Accessibility accessibility = member.DeclaredAccessibility;
        for (INamedTypeSymbol? t = member.ContainingType; t is not null; t = t.ContainingType) accessibility = Least(accessibility, t.DeclaredAccessibility);
        return accessibility;
    }

    /// <summary>The intersection of two accessibilities: protected with internal is private protected, otherwise the narrower.</summary>
    private static Accessibility Least(Accessibility a, Accessibility b) =>
        (a, b) is (Accessibility.Protected, Accessibility.Internal) or (Accessibility.Internal, Accessibility.Protected)
            ? Accessibility.ProtectedAndInternal
            : (Accessibility)System.Math.Min((int)a, (int)b);

    /// <summary>Whether a type of accessibility <paramref name="type"/> may appear in the signature of a member of accessibility <paramref name="member"/>.</summary>
    private static bool IsAtLeastAsAccessible(Accessibility type, Accessibility member) => Least(type, member) == member;

    /// <summary>
    /// The partial property definitions with a network attribute that the user's code expects an implementation of,
    /// each one the generated part can implement.
    /// </summary>
    private static EquatableArray<ShellProperty> ShellProperties(INamedTypeSymbol type, bool standIn)
    {
        var properties = new List<ShellProperty>();
        foreach (IPropertySymbol property in type.GetMembers().OfType<IPropertySymbol>())
        {
            if (Definition(property) is not { } definition || !Implementable(property, definition, type, standIn)) continue;
            // Written Population<T>, the property's type is the stand-in inside the network: so is its implementing part's.
            string written = standIn && StoodIn(property, definition) is { } neuron
                ? $"{type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}.Population<{neuron.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}>"
                : property.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            properties.Add(new ShellProperty(property.Name, (AccessibilityOf(property) + (property.IsStatic ? " static" : "")).TrimStart(), written,
                definition.AccessorList!.Accessors.Select(a => a.Keyword.ValueText).ToEquatableArray()));
        }
        return properties.ToEquatableArray();
    }
}
