using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SnnDsl.Analyzers.Tests;

/// <summary>
/// Every <c>```csharp</c> block in README.md and docs/ compiles with the generator and the analyzers, as a user's
/// project would compile it (other info strings, e.g. <c>```text</c>, are not compiled).
/// <list type="bullet">
/// <item>A guide page reads as one program: its blocks, top to bottom, are the files of one console project with the
/// SDK's implicit usings; the top-level statements of all blocks form Program.cs in page order (so a later block may
/// use a variable an earlier one declared), every block's types are a file of their own, and each block's
/// <c>using</c> directives hold for the whole page. No error, and no SNN diagnostic.</item>
/// <item>A diagnostic's help page (docs/diagnostics/SNNxxxx.md): each block is a project of its own, with
/// <c>using SnnDsl;</c> and the namespaces of the built-ins. A line marked with a comment naming a diagnostic
/// (<c>// SNN0002</c>) must draw it, and every warning or error reported must be marked on its line: an example shows
/// its diagnostic and no follow-on errors, a fix compiles cleanly. Each page has at least one example of its own ID.
/// A block opened with <c>```csharp Vendor.dll</c> is an assembly the page's other blocks reference, compiled as
/// written without this generator.</item>
/// </list>
/// </summary>
public class DocumentationTests
{
    internal static string Root => typeof(DocumentationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private static readonly CSharpParseOptions Parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private const string ModelUsings = "global using SnnDsl; global using SnnDsl.Neurons; global using SnnDsl.Surrogates; global using SnnDsl.Synapses;";

    public static TheoryData<string> GuidePages =>
    [
        .. new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)))
            .Where(page => Blocks(page).Count > 0).Order(StringComparer.Ordinal),
    ];

    public static TheoryData<string> DiagnosticPages =>
    [
        .. Directory.GetFiles(Path.Combine(Root, "docs", "diagnostics"), "SNN*.md").Select(f => "docs/diagnostics/" + Path.GetFileName(f))
            .Where(page => Blocks(page).Count > 0).Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(GuidePages))]
    public async Task A_guide_page_compiles_as_one_program(string page)
    {
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var statements = new StringBuilder();
        var files = new List<SyntaxTree>();
        foreach ((int line, string code, string? assembly) in Blocks(page))
        {
            Assert.True(assembly is null, $"{page}, block at line {line + 1}: referenced-assembly blocks belong on diagnostic pages.");
            var unit = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, Parse).GetRoot();
            AssertParses(page, line, unit);
            foreach (UsingDirectiveSyntax directive in unit.Usings) usings.Add("global " + directive.WithoutTrivia().ToFullString());
            // Statements keep their line in the page, so that an error points at the page's line.
            foreach (GlobalStatementSyntax statement in unit.Members.OfType<GlobalStatementSyntax>())
                statements.Append($"#line {line + statement.GetLocation().GetLineSpan().StartLinePosition.Line + 1} \"{page}\"\n").Append(statement.ToFullString().TrimStart('\r', '\n')).Append('\n');
            // The block's types, in a file of their own; the statements become blank lines, so lines stay the page's.
            if (unit.Members.Any(m => m is not GlobalStatementSyntax))
            {
                string declarations = code;
                foreach (GlobalStatementSyntax statement in unit.Members.OfType<GlobalStatementSyntax>().Reverse())
                    declarations = declarations[..statement.Span.Start] + new string('\n', statement.ToString().Count(c => c == '\n')) + declarations[statement.Span.End..];
                files.Add(CSharpSyntaxTree.ParseText($"#line {line + 1} \"{page}\"\n" + declarations, Parse, $"{page}:{line + 1}.cs"));
            }
        }
        files.Add(CSharpSyntaxTree.ParseText(string.Join("\n", usings), Parse, $"{page}.usings.cs"));
        if (statements.Length > 0) files.Add(CSharpSyntaxTree.ParseText(statements.ToString(), Parse, $"{page}.Program.cs"));
        ImmutableArray<Diagnostic> diagnostics = await Compile(files, statements.Length > 0 ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary);
        Assert.True(diagnostics.IsEmpty, $"{page}:\n" + string.Join("\n", diagnostics));
    }

    [Theory]
    [MemberData(nameof(DiagnosticPages))]
    public async Task A_diagnostic_pages_examples_draw_exactly_the_marked_diagnostics(string page)
    {
        string id = Path.GetFileNameWithoutExtension(page);
        bool exemplified = false;
        var referenced = new List<MetadataReference>();
        foreach ((int line, string code, string? assembly) in Blocks(page))
        {
            if (assembly is not null)
            {
                referenced.Add(CompileReference(assembly, code));
                continue;
            }
            SyntaxTree tree = CSharpSyntaxTree.ParseText(code, Parse, $"{page}:{line + 1}.cs");
            AssertParses(page, line, (CompilationUnitSyntax)tree.GetRoot());
            // The page's own diagnostic counts at any severity; others only as warnings and errors (an informational
            // remark such as SNN0404 on a minimal example is not a defect of the example).
            Diagnostic[] reported = [.. (await Compile([tree, CSharpSyntaxTree.ParseText(ModelUsings, Parse, "Models.usings.cs")], OutputKind.DynamicallyLinkedLibrary, referenced))
                .Where(d => d.Id == id || d.Severity >= DiagnosticSeverity.Warning)];
            string[] lines = code.Split('\n');
            (string Id, int Line)[] marks = [.. lines.SelectMany((text, k) => MarkPattern.Matches(text).Select(m => (m.Groups[1].Value, k)))];
            exemplified |= marks.Any(m => m.Id == id);
            string Report() => string.Join("\n", reported.Select(d => $"  {d.Id} ({d.Severity}) on its line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage()}"));
            foreach ((string expected, int mark) in marks)
                Assert.True(reported.Any(d => d.Id == expected && d.Location.GetLineSpan().StartLinePosition.Line == mark),
                    $"{page}, block at line {line + 1}: its line {mark + 1} is marked {expected}, which is not reported there. Reported:\n{Report()}");
            Diagnostic[] unmarked = [.. reported.Where(d => !marks.Contains((d.Id, d.Location.GetLineSpan().StartLinePosition.Line)))];
            Assert.True(unmarked.Length == 0,
                $"{page}, block at line {line + 1}: every diagnostic must be marked '// SNNxxxx' on its line (an example shows its diagnostic and no follow-on errors; a fix compiles cleanly). Reported:\n{Report()}");
        }
        Assert.True(exemplified, $"{page}: no example marks '// {id}'.");
    }

    /// <summary>A mark in an example: a comment that names the diagnostic the line draws.</summary>
    private static readonly System.Text.RegularExpressions.Regex MarkPattern = new(@"//.*?\b(SNN\d{4})\b");

    /// <summary>
    /// The page's <c>```csharp</c> blocks, with the page line of each block's first code line (0-based). A block opened
    /// with <c>```csharp Name.dll</c> is a referenced assembly (<see cref="Assembly"/> holds its name).
    /// </summary>
    private static List<(int Line, string Code, string? Assembly)> Blocks(string page)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, page));
        var blocks = new List<(int, string, string?)>();
        for (int k = 0; k < lines.Length; k++)
        {
            System.Text.RegularExpressions.Match opening = System.Text.RegularExpressions.Regex.Match(lines[k].Trim(), @"^```csharp(?: (\w+)\.dll)?$");
            if (!opening.Success) continue;
            int start = k + 1, end = start;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            Assert.True(end < lines.Length, $"{page}: the code block opened at line {k + 1} is never closed.");
            blocks.Add((start, string.Join("\n", lines[start..end]), opening.Groups[1].Success ? opening.Groups[1].Value : null));
            k = end;
        }
        return blocks;
    }

    private static void AssertParses(string page, int line, CompilationUnitSyntax unit)
    {
        Diagnostic[] errors = [.. unit.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(errors.Length == 0, $"{page}, block at line {line + 1} is not C#:\n" + string.Join("\n", errors));
    }

    /// <summary>Errors of the user's code with the generated code, and every SNN diagnostic of the generator and the analyzers.</summary>
    private static async Task<ImmutableArray<Diagnostic>> Compile(IEnumerable<SyntaxTree> files, OutputKind kind, IEnumerable<MetadataReference>? referenced = null) =>
        (await Build(files, kind, referenced)).Diagnostics;

    /// <summary>
    /// A user's project built as the SDK builds it: the compilation with the generated code, the errors of the user's
    /// code with it, and every SNN diagnostic of the generator and the analyzers.
    /// </summary>
    internal static async Task<(Compilation Output, ImmutableArray<Diagnostic> Diagnostics)> Build(IEnumerable<SyntaxTree> files, OutputKind kind, IEnumerable<MetadataReference>? referenced = null)
    {
        CSharpCompilation compilation = CSharpCompilation.Create("Documentation",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, Parse, "GlobalUsings.g.cs"), .. files],
            [.. Net100.References.All, .. Runtime.Select(a => MetadataReference.CreateFromFile(a.Location)), .. referenced ?? []],
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new SnnDsl.Generators.SnnGenerator()).WithUpdatedParseOptions(Parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generator);
        ImmutableArray<Diagnostic> analyzers = await output.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync();
        return (output, [.. generator, .. analyzers, .. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)]);
    }

    /// <summary>
    /// A referenced assembly as the page describes it: compiled as written, without this generator (a binary built
    /// elsewhere, e.g. by an older SnnDsl), with the model usings.
    /// </summary>
    private static MetadataReference CompileReference(string name, string code)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(name,
            [CSharpSyntaxTree.ParseText(ImplicitUsings, Parse), CSharpSyntaxTree.ParseText(ModelUsings, Parse), CSharpSyntaxTree.ParseText(code, Parse, name + ".cs")],
            [.. Net100.References.All, .. Runtime.Select(a => MetadataReference.CreateFromFile(a.Location))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image);
        Assert.True(emitted.Success, $"{name}.dll does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    /// <summary>Every analyzer the analyzer assembly ships.</summary>
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
    [
        .. typeof(UsageAnalyzer).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(DiagnosticAnalyzer)) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];

    /// <summary>The assemblies a user's project references: the runtime, the plots and the terminal progress, and what their signatures use.</summary>
    private static IEnumerable<Assembly> Runtime =>
    [
        typeof(NeuronAttribute).Assembly, typeof(SnnDsl.Plotting.SnnPlots).Assembly, typeof(SnnDsl.Terminal.TrainingConsole).Assembly,
        typeof(ScottPlot.Plot).Assembly, typeof(Spectre.Console.AnsiConsole).Assembly,
    ];
}
