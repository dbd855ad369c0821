using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SnnDsl.Generators.Helpers;

namespace SnnDsl.Generators.Model;

/// <summary>A source location as plain values (a <see cref="Location"/> would root the compilation).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxNode node) => From(node.GetLocation());
}

/// <summary>A diagnostic as plain values: descriptor ID, location and message arguments.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxNode? node, params string[] arguments) =>
        new(descriptor, node is null ? null : LocationInfo.From(node), arguments.ToEquatableArray());

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        new(descriptor, LocationInfo.From(location), arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Cast<object?>(Arguments)));
}

/// <summary>The result of a parse step: a model when the declaration is valid, and its diagnostics.</summary>
internal sealed record ParseResult<T>(T? Model, EquatableArray<DiagnosticInfo> Diagnostics)
    where T : class, IEquatable<T>;
