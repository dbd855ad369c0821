using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Parsing;

/// <summary>Reads declarations from symbols: attributes, type placement, and a neuron's kernel signature.</summary>
internal static class SymbolReader
{
    public static AttributeData? Attribute(this ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName.Replace("`1", ""));

    public static bool HasAttribute(this ISymbol symbol, string metadataName) => symbol.Attribute(metadataName) is not null;

    public static T? NamedArgument<T>(this AttributeData attribute, string name, T? fallback = default) =>
        attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is T value ? value : fallback;

    /// <summary>
    /// Whether a [Neuron], [Synapse] or [LearningRule] type is a partial struct (not a record) in partial containing
    /// types; SNN0001 at its name when it is not.
    /// </summary>
    public static bool IsPartialStruct(INamedTypeSymbol type, string attribute, List<DiagnosticInfo> diagnostics)
    {
        if (type.IsCompletableStruct()) return true;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MustBePartial, type.Locations.FirstOrDefault(), attribute, type.Name,
            "'partial struct' (and every containing type partial)"));
        return false;
    }

    /// <summary>
    /// Whether a generated part can complete the type as a struct: a partial struct (not a record, not marked static,
    /// which C# rejects on a struct but still reads) in partial containing types.
    /// </summary>
    public static bool IsCompletableStruct(this INamedTypeSymbol type) => type.IsValueType && !type.IsRecord && !type.IsStatic && type.IsPartialEverywhere();

    /// <summary>
    /// Whether the generator makes the type implement INeuron: a [Neuron] partial struct declared in this compilation, in
    /// a type with a well-formed name (its generated part, or the shell of a declaration with errors, implements it), unless
    /// it is declared in integer arithmetic (only its Step kernel is generated).
    /// </summary>
    public static bool GetsNeuronInterface(this INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0 && type.HasAttribute(KnownNames.NeuronAttribute) && type.IsCompletableStruct() && type.HasWellFormedName()
        && !IntegerNeuronParser.Declares(type);

    /// <summary>
    /// Whether the type, its containing types and namespaces all have a name a generated file can repeat. While the
    /// user is typing <c>namespace A..B</c> or <c>partial class {</c>, C# reports the syntax error, and nothing is
    /// generated for the type until it is fixed.
    /// </summary>
    public static bool HasWellFormedName(this ISymbol type)
    {
        for (ISymbol? s = type; s is not null and not INamespaceSymbol { IsGlobalNamespace: true }; s = s.ContainingSymbol)
            if (!SyntaxFacts.IsValidIdentifier(s.Name)) return false;
        return true;
    }

    /// <summary>Whether every declaration of the type and of its containing types says 'partial'.</summary>
    public static bool IsPartialEverywhere(this INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            foreach (SyntaxReference reference in t.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax declaration &&
                    !declaration.Modifiers.Any(m => m.ValueText == "partial")) return false;
            }
        }
        return true;
    }

    public static DeclaredType DeclaredTypeOf(INamedTypeSymbol type)
    {
        var containing = new List<string>();
        for (INamedTypeSymbol? t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            string kind = t.IsRecord ? (t.IsValueType ? "record struct" : "record") : t.IsValueType ? "struct" : "class";
            containing.Insert(0, $"{(t.IsStatic ? "static " : "")}partial {kind} {NameScope.Escape(t.Name)}");
        }
        string ns = type.ContainingNamespace.IsGlobalNamespace
            ? ""
            : type.ContainingNamespace.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Substring("global::".Length);
        return new DeclaredType(ns, containing.ToEquatableArray(), type.Name, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
    }

    /// <summary>[State] fields (and, when asked, the [PreviousSpike] field) in declaration order.</summary>
    public static IEnumerable<IFieldSymbol> StateFields(INamedTypeSymbol type, bool includePreviousSpike = false) =>
        type.GetMembers().OfType<IFieldSymbol>()
            .Where(f => f.HasAttribute(KnownNames.StateAttribute) || (includePreviousSpike && f.HasAttribute(KnownNames.PreviousSpikeAttribute)));

    /// <summary>Every member name the user declared in the type, and the type's own name (a member may not take it).</summary>
    public static EquatableArray<string> MemberNames(INamedTypeSymbol type) =>
        type.GetMembers().Where(m => !m.IsImplicitlyDeclared).Select(m => m.Name).Append(type.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray();

    /// <summary>The generated members' names: Descriptor, Step, StepBackward and StepJacobian, suffixed where the user took them.</summary>
    public static KernelNames KernelNamesFor(EquatableArray<string> members)
    {
        var scope = new NameScope(members);
        return new KernelNames(scope["Descriptor", "Descriptor"], scope["Step", "Step"], scope["StepBackward", "StepBackward"], scope["StepJacobian", "StepJacobian"]);
    }

    /// <summary>
    /// The name of a surrogate's generated descriptor property: computed as the surrogate emitter chooses it for a
    /// surrogate in source, found by its type in a referenced assembly.
    /// </summary>
    public static string SurrogateDescriptorName(INamedTypeSymbol surrogate) =>
        surrogate.DeclaringSyntaxReferences.Length > 0
            ? new NameScope(MemberNames(surrogate))["descriptor", "Descriptor"]
            : surrogate.GetMembers().OfType<IPropertySymbol>().FirstOrDefault(p => p.IsStatic && p.Type.ToDisplayString() == "SnnDsl.SurrogateDescriptor")?.Name ?? "Descriptor";

    /// <summary>[Param] fields in declaration order.</summary>
    public static IEnumerable<IFieldSymbol> ParamFields(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasAttribute(KnownNames.ParamAttribute));

    public static ParamInfo ParamInfoOf(IFieldSymbol field)
    {
        AttributeData attribute = field.Attribute(KnownNames.ParamAttribute)!;
        float value = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is float f ? f : 0f;
        return new ParamInfo(field.Name, value, attribute.NamedArgument("PerNeuron", false), attribute.NamedArgument("Trainable", false),
            attribute.NamedArgument("Min", float.NegativeInfinity), attribute.NamedArgument("Max", float.PositiveInfinity));
    }

    /// <summary>The [Spike] methods of a neuron type.</summary>
    public static IEnumerable<IMethodSymbol> SpikeMethods(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IMethodSymbol>().Where(m => m.HasAttribute(KnownNames.SpikeAttribute));
}
