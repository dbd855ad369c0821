using System;
using System.Collections.Generic;
using System.Linq;
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

/// <summary>
/// The result of a parse step: a model when the declaration is valid, and its diagnostics; when it is not, a shell —
/// what the generator still emits so that the user's code around the declaration compiles (no follow-on errors).
/// </summary>
internal sealed record ParseResult<T>(T? Model, EquatableArray<DiagnosticInfo> Diagnostics, ShellModel? Shell = null)
    where T : class, IEquatable<T>
{
    /// <summary>A failed parse: the diagnostics, and the shell of the declaration when one can be emitted.</summary>
    public static ParseResult<T> Failed(List<DiagnosticInfo> diagnostics, ShellModel? shell = null) =>
        new(null, diagnostics.ToEquatableArray(), shell is null ? null : shell with { Diagnostics = string.Join(", ", diagnostics.Select(d => d.Descriptor.Id).Distinct()) });
}
