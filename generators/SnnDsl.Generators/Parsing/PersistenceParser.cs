using System.Linq;
using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Parsing;

/// <summary>
/// Reads which typed persistence members a [Network] class gets (<c>Emit/PersistenceEmitter</c>): <c>Save</c> and
/// <c>Load</c>, each under that name only, and only where it compiles as written. A name the user took — declared in
/// the class (a method, a population, the class's own name) or inherited from a base class — stays the user's, and
/// nothing is generated under it; <c>Load</c> also needs <c>new T()</c> to compile in the class.
/// </summary>
internal static class PersistenceParser
{
    public const string Save = "Save";
    public const string Load = "Load";

    /// <summary>
    /// The persistence members of <paramref name="type"/>, or null when it gets none: a declaration the generator
    /// implements nothing for (not a partial class, SNN0001; no name yet; generic), or both names taken.
    /// </summary>
    public static PersistenceModel? Parse(INamedTypeSymbol type)
    {
        if (type.Name.Length == 0 || !NetworkParser.IsPartialClass(type) || IsGeneric(type)) return null;
        bool save = IsFree(type, Save), load = IsFree(type, Load) && IsConstructible(type);
        return save || load ? new PersistenceModel(SymbolReader.DeclaredTypeOf(type), save, load) : null;
    }

    private static bool IsGeneric(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            if (t.TypeParameters.Length > 0) return true;
        return false;
    }

    /// <summary>No member of that name in the class, and no base class member of that name the class could hide (CS0108).</summary>
    private static bool IsFree(INamedTypeSymbol type, string name)
    {
        if (type.Name == name || !type.GetMembers(name).IsEmpty) return false;
        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
            if (t.GetMembers(name).Any(m => m.DeclaredAccessibility != Accessibility.Private)) return false;
        return true;
    }

    /// <summary>
    /// Whether <c>new T()</c> compiles inside the class: not abstract, a parameterless constructor (any accessibility,
    /// the call is in the class) that is not obsolete as an error, and no required member it leaves unset.
    /// </summary>
    private static bool IsConstructible(INamedTypeSymbol type)
    {
        if (type.IsAbstract) return false;
        IMethodSymbol? constructor = type.InstanceConstructors.FirstOrDefault(c => c.Parameters.IsEmpty);
        if (constructor is null || constructor.GetAttributes().Any(IsObsoleteError)) return false;
        bool setsRequired = constructor.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");
        for (INamedTypeSymbol? t = type; t is not null && !setsRequired; t = t.BaseType)
            if (t.GetMembers().Any(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })) return false;
        return true;
    }

    private static bool IsObsoleteError(AttributeData attribute) =>
        attribute.AttributeClass?.ToDisplayString() == "System.ObsoleteAttribute" && attribute.ConstructorArguments is [_, { Value: true }];
}
