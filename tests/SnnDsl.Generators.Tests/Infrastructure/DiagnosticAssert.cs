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
    /// and that it generated no source.
    /// </summary>
    public static void Rejects([StringSyntax("C#")] string source, string id, string located, string messageNames)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        AssertDiagnostic(run, diagnostic, id, located, messageNames);
        Assert.Empty(run.GeneratedSources);
    }

    /// <summary>Asserts the ID, the located source text and a fragment of the message of one diagnostic.</summary>
    public static void AssertDiagnostic(GeneratorRun run, Diagnostic diagnostic, string id, string located, string messageNames)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(located, run.LocatedText(diagnostic));
        Assert.Contains(messageNames, diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }
}
