using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
            containing.Insert(0, $"{(t.IsStatic ? "static " : "")}partial {kind} {t.Name}");
        }
        string ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
        return new DeclaredType(ns, containing.ToEquatableArray(), type.Name, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
    }

    /// <summary>[State] fields in declaration order.</summary>
    public static IEnumerable<IFieldSymbol> StateFields(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasAttribute(KnownNames.StateAttribute));

    /// <summary>[Param] fields in declaration order.</summary>
    public static IEnumerable<IFieldSymbol> ParamFields(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasAttribute(KnownNames.ParamAttribute));

    public static ParamInfo ParamInfoOf(IFieldSymbol field)
    {
        AttributeData attribute = field.Attribute(KnownNames.ParamAttribute)!;
        float value = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is float f ? f : 0f;
        return new ParamInfo(field.Name, value, attribute.NamedArgument("PerNeuron", false), attribute.NamedArgument("Trainable", false));
    }

    /// <summary>The [Spike] methods of a neuron type.</summary>
    public static IEnumerable<IMethodSymbol> SpikeMethods(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IMethodSymbol>().Where(m => m.HasAttribute(KnownNames.SpikeAttribute));

    /// <summary>What a network needs to call the neuron's generated kernel; read from symbols, so it works for neurons in referenced assemblies.</summary>
    public static NeuronSignature SignatureOf(INamedTypeSymbol neuron) => new(
        neuron.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
        StateFields(neuron).Select(f => f.Name).ToEquatableArray(),
        ParamFields(neuron).Select(ParamInfoOf).ToEquatableArray(),
        SpikeMethods(neuron).Any());
}
