using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace SnnDsl.Generators.Tests.Infrastructure;

/// <summary>Assertions on what the generator reports for a declaration it rejects.</summary>
internal static class DiagnosticAssert
{
    /// <summary>
    /// Asserts that the generator rejects <paramref name="source"/> with exactly one diagnostic, <paramref name="id"/>,
    /// located at the source text <paramref name="located"/>, whose message contains <paramref name="messageNames"/>,
    /// and that it generated nothing but shells (and a network's typed Save/Load beside its shell), which leave no
    /// follow-on C# errors.
    /// </summary>
    /// <param name="userErrors">C# errors in the user's own code that no generated code could avoid (e.g. a partial member in a type that is not partial).</param>
    public static void Rejects([StringSyntax("C#")] string source, string id, string located, string messageNames, params string[] userErrors)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        AssertDiagnostic(run, diagnostic, id, located, messageNames);
        AssertOnlyShells(run);
        AssertNoFollowOnErrors(run, userErrors);
    }

    /// <summary>Nothing was generated but shells and the typed Save/Load of networks (which call into the shell).</summary>
    public static void AssertOnlyShells(GeneratorRun run) =>
        Assert.All(run.GeneratedSources, s => Assert.True(s.HintName.EndsWith(".Shell.g.cs", StringComparison.Ordinal) || s.HintName.EndsWith(".Persistence.g.cs", StringComparison.Ordinal),
            $"{s.HintName} is generated for a declaration with errors"));

    /// <summary>The declaration's SNN diagnostic is the only error: the shell keeps the code around it compiling.</summary>
    public static void AssertNoFollowOnErrors(GeneratorRun run, params string[] userErrors)
    {
        Diagnostic[] followOn = [.. run.CompileErrors.Where(e => !userErrors.Contains(e.Id))];
        Assert.True(followOn.Length == 0, "follow-on C# errors: " + string.Join("; ", followOn.Select(e => e.ToString())));
    }

    /// <summary>Asserts the ID, the located source text and a fragment of the message of one diagnostic.</summary>
    public static void AssertDiagnostic(GeneratorRun run, Diagnostic diagnostic, string id, string located, string messageNames)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(located, run.LocatedText(diagnostic));
        Assert.Contains(messageNames, diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }
}
