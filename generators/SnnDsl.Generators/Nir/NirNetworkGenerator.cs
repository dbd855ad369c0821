using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.RuntimeNir;
using SnnDsl.Generators.Emit;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Parsing;

namespace SnnDsl.Generators.Nir;

/// <summary>What a [NirNetwork] class asks for, as plain values: the class, the file, Δt, where the attribute is, and a problem with the class itself.</summary>
internal sealed record NirNetworkRequest(
    string ClassName, string Namespace, string Accessibility, string Path, double TimeStep, bool Constructible, LocationInfo? Attribute, string? Problem);

/// <summary>
/// The build-time NIR import ([NirNetwork("file.nir")]): the AdditionalFiles item (encoded by SnnDsl.targets,
/// <see cref="NirAdditionalFile"/>) → the runtime's graph reader and conversion, compiled here from the same source
/// (NirGraphReader, NirConversion) → the declaration source <c>NirImporter</c> writes → that declaration, parsed into
/// the compilation, through the same parser and emitters as a hand-written [Network] (NetworkParser, NetworkEmitter,
/// PersistenceEmitter) → plus LoadNirParameters()/FromNir() with the converted values. Every failure is one diagnostic at
/// the attribute and no source, so that no follow-on error appears: SNN0410 (the class cannot take the import), SNN0408
/// (the file is not an AdditionalFiles item), SNN0409 (the file cannot be read or converted; the runtime's messages).
/// </summary>
internal static class NirNetworkGenerator
{
    public static NirNetworkRequest? Request(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || type.Name.Length == 0) return null;
        AttributeData attribute = context.Attributes[0];
        LocationInfo? location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation());
        string path = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string p ? p : "";
        double dt = attribute.NamedArguments.FirstOrDefault(a => a.Key == "TimeStep").Value.Value is double d ? d : 0;
        string? problem =
            path.Trim().Length == 0 ? "the NIR file's path is empty"
            : type.ContainingType is not null ? $"'{type.Name}' is nested in '{type.ContainingType.Name}'; the import declares a class at namespace level"
            : type.TypeParameters.Length > 0 ? $"'{type.Name}' is generic; a network class is not"
            : !NetworkParser.IsPartialClass(type) ? $"'{type.Name}' must be a 'partial class', which the generator completes"
            : type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.NetworkAttribute)
                ? $"'{type.Name}' also has [Network]; [NirNetwork] writes that declaration itself, so remove [Network]"
            : null;
        string ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
        string accessibility = type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";
        bool constructible = type.InstanceConstructors.Any(c => c.Parameters.IsEmpty && c.DeclaredAccessibility != Accessibility.Private);
        return new NirNetworkRequest(type.Name, ns, accessibility, path, dt, constructible, location, problem);
    }

    public static void Generate(SourceProductionContext context, NirNetworkRequest request, ImmutableArray<AdditionalText> files, Compilation compilation)
    {
        CancellationToken cancellation = context.CancellationToken;
        void Report(DiagnosticDescriptor descriptor, params string[] arguments) =>
            context.ReportDiagnostic(new DiagnosticInfo(descriptor, request.Attribute, arguments.ToEquatableArray()).ToDiagnostic());
        if (request.Problem is { } problem)
        {
            Report(DiagnosticDescriptors.NirNetworkClass, request.ClassName, problem + ".");
            return;
        }
        try
        {
            if (request.TimeStep != 0)
            {
                try
                {
                    NirConversion.CheckTimeStep(request.TimeStep);
                }
                catch (NirImportException e)
                {
                    Report(DiagnosticDescriptors.NirNotImportable, request.Path, request.ClassName, e.Message);
                    return;
                }
            }
            if (Bytes(request, files, cancellation, Report) is not { } bytes) return;
            NirGraph graph;
            try
            {
                graph = NirGraphReader.Read(bytes, request.Path);
            }
            catch (NirFormatException e)
            {
                Report(DiagnosticDescriptors.NirNotImportable, request.Path, request.ClassName, e.Message);
                return;
            }
            NirDeclaration declaration;
            try
            {
                var options = new NirImportOptions { TimeStep = request.TimeStep == 0 ? null : request.TimeStep, ClassName = request.ClassName, Namespace = request.Namespace };
                declaration = NirConversion.Convert(graph, options, request.Accessibility);
            }
            catch (NirImportException e)
            {
                Report(DiagnosticDescriptors.NirNotImportable, request.Path, request.ClassName, e.Message);
                return;
            }
            Emit(context, request, declaration, compilation, Report);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The generator never throws: anything unforeseen is one diagnostic at the attribute.
            Report(DiagnosticDescriptors.NirNotImportable, request.Path, request.ClassName, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The file's bytes from its encoded AdditionalFiles item, or null after reporting why there are none.</summary>
    private static byte[]? Bytes(NirNetworkRequest request, ImmutableArray<AdditionalText> files, CancellationToken cancellation, Action<DiagnosticDescriptor, string[]> report)
    {
        var encoded = new List<(string Original, AdditionalText File)>();
        var raw = new List<string>();
        var known = new List<string>();
        foreach (AdditionalText file in files)
        {
            if (file.Path.EndsWith(NirAdditionalFile.Extension, StringComparison.OrdinalIgnoreCase))
            {
                string? original = file.GetText(cancellation)?.ToString() is { } text ? NirAdditionalFile.OriginalPath(text) : null;
                if (original is null) continue;
                known.Add(original);
                if (Matches(original, request.Path)) encoded.Add((original, file));
            }
            else if (file.Path.EndsWith(".nir", StringComparison.OrdinalIgnoreCase))
            {
                known.Add(file.Path);
                if (Matches(file.Path, request.Path)) raw.Add(file.Path);
            }
        }
        int matches = encoded.Count + raw.Count;
        if (matches != 1)
        {
            string detail = matches > 1 ? $" unambiguously: it matches {string.Join(", ", encoded.Select(e => e.Original).Concat(raw))} (give more of the path)"
                : known.Count > 0 ? $" (its NIR files are {string.Join(", ", known)})" : "";
            report(DiagnosticDescriptors.NirFileNotListed, [request.Path, request.ClassName, detail]);
            return null;
        }
        if (raw.Count == 1)
        {
            report(DiagnosticDescriptors.NirNotImportable, [request.Path, request.ClassName,
                "it reached the compiler as a binary AdditionalFiles item, which the compiler cannot hand to a generator (CS2015); SnnDsl.targets encodes .nir items for it: reference the SnnDsl package, or import src/SnnDsl/build/SnnDsl.targets in a project inside this repository"]);
            return null;
        }
        byte[]? bytes = NirAdditionalFile.Decode(encoded[0].File.GetText(cancellation)?.ToString() ?? "");
        if (bytes is null)
            report(DiagnosticDescriptors.NirNotImportable, [request.Path, request.ClassName, $"its encoded copy '{encoded[0].File.Path}' is damaged (not Base64); rebuild"]);
        return bytes;
    }

    /// <summary>Whether <paramref name="candidate"/> is <paramref name="wanted"/> or ends with it at a path separator.</summary>
    private static bool Matches(string candidate, string wanted)
    {
        string c = candidate.Replace('\\', '/'), w = wanted.Replace('\\', '/');
        while (w.StartsWith("./", StringComparison.Ordinal)) w = w.Substring(2);
        return string.Equals(c, w, StringComparison.OrdinalIgnoreCase) || c.EndsWith("/" + w, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The declaration through the [Network] pipeline, and the parameters.</summary>
    private static void Emit(SourceProductionContext context, NirNetworkRequest request, NirDeclaration declaration, Compilation compilation,
        Action<DiagnosticDescriptor, string[]> report)
    {
        CancellationToken cancellation = context.CancellationToken;
        var parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? CSharpParseOptions.Default;
        string hint = request.Namespace.Length == 0 ? request.ClassName : request.Namespace + "." + request.ClassName;
        SyntaxTree tree = CSharpSyntaxTree.ParseText(declaration.Source, parseOptions, path: hint + ".NirDeclaration.g.cs", encoding: Encoding.UTF8, cancellationToken: cancellation);
        Compilation withDeclaration = compilation.AddSyntaxTrees(tree);
        SemanticModel semantics = withDeclaration.GetSemanticModel(tree);
        ClassDeclarationSyntax syntax = tree.GetRoot(cancellation).DescendantNodes().OfType<ClassDeclarationSyntax>().First();
        INamedTypeSymbol? type = semantics.GetDeclaredSymbol(syntax, cancellation);
        AttributeData? network = type?.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.NetworkAttribute);
        if (type is null || network is null)
        {
            report(DiagnosticDescriptors.NirNotImportable, [request.Path, request.ClassName, "the imported declaration does not bind to the class (is SnnDsl referenced?)."]);
            return;
        }
        ParseResult<NetworkModel> parsed = NetworkParser.Parse(type, network, semantics, cancellation);
        if (parsed.Model is null)
        {
            string why = string.Join("; ", parsed.Diagnostics.Select(d => d.Descriptor.Id + ": " + d.ToDiagnostic().GetMessage(CultureInfo.InvariantCulture)));
            report(DiagnosticDescriptors.NirNotImportable, [request.Path, request.ClassName, $"the imported declaration is not a valid network: {why}"]);
            return;
        }
        context.AddSource(SourceFile.HintName(parsed.Model.Type, "NirDeclaration"), declaration.Source);
        context.AddSource(SourceFile.HintName(parsed.Model.Type, "Network"), NetworkEmitter.Emit(parsed.Model));
        if (PersistenceParser.Parse(type) is { } persistence)
            context.AddSource(SourceFile.HintName(persistence.Type, "Persistence"), PersistenceEmitter.Emit(persistence));
        context.AddSource(SourceFile.HintName(parsed.Model.Type, "NirParameters"), Parameters(request, declaration));
    }

    /// <summary>LoadNirParameters() and FromNir(): the converted values, exactly as the runtime importer writes them to its model file.</summary>
    internal static string Parameters(NirNetworkRequest request, NirDeclaration d)
    {
        var s = new StringBuilder();
        s.Append("// <auto-generated/>\n");
        s.Append($"// The trained values of '{request.Path}', converted as SnnDsl.Export.Nir.NirImporter converts them (weights with each\n");
        s.Append("// node's input gain folded in, neuron parameters of the built-in each node became).\n");
        s.Append("#nullable enable\n\n");
        if (request.Namespace.Length > 0) s.Append($"namespace {request.Namespace};\n\n");
        s.Append($"partial class {request.ClassName}\n{{\n");
        if (request.Constructible)
        {
            s.Append($"    /// <summary>A new network with the weights, biases and neuron parameters of '{Xml(request.Path)}' (<see cref=\"LoadNirParameters\"/>).</summary>\n");
            s.Append($"    public static {request.ClassName} FromNir()\n    {{\n");
            s.Append($"        var network = new {request.ClassName}();\n        network.LoadNirParameters();\n        return network;\n    }}\n\n");
        }
        s.Append($"    /// <summary>Sets the weights, biases and neuron parameters to those of '{Xml(request.Path)}', read at build time.</summary>\n");
        s.Append("    public void LoadNirParameters()\n    {\n");
        foreach (NirLayer layer in d.Layers)
            foreach ((string name, float[] values) in layer.Parameters)
                for (int k = 0; k < values.Length; k++) s.Append($"        {layer.Name}.Parameter(\"{name}\")[{k}] = {Literal(values[k])};\n");
        foreach (NirConnection c in d.Connections) s.Append($"        NirValues.{c.Name}.CopyTo({c.Name}.Weights, 0);\n");
        foreach (NirBias b in d.Biases) s.Append($"        NirValues.{b.Name}.CopyTo({b.Name}.Values, 0);\n");
        s.Append("    }\n\n");
        s.Append("    /// <summary>The stored values: connection weights as the model file holds them (dense: [pre, post], row-major), biases per neuron.</summary>\n");
        s.Append("    private static class NirValues\n    {\n");
        foreach (NirConnection c in d.Connections) Array(s, c.Name, c.Weights);
        foreach (NirBias b in d.Biases) Array(s, b.Name, b.Values);
        s.Append("    }\n}\n");
        return s.ToString();
    }

    private static void Array(StringBuilder s, string name, float[] values)
    {
        s.Append($"        public static readonly float[] {name} =\n        [\n");
        for (int k = 0; k < values.Length; k += 8)
        {
            s.Append("           ");
            for (int j = k; j < Math.Min(k + 8, values.Length); j++) s.Append(' ').Append(Literal(values[j])).Append(',');
            s.Append('\n');
        }
        s.Append("        ];\n");
    }

    /// <summary>A float literal that reads back as the same float (G9 round-trips single precision).</summary>
    private static string Literal(float v) =>
        float.IsNaN(v) ? "float.NaN" : float.IsPositiveInfinity(v) ? "float.PositiveInfinity" : float.IsNegativeInfinity(v) ? "float.NegativeInfinity"
        : v.ToString("G9", CultureInfo.InvariantCulture) + "f";

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
