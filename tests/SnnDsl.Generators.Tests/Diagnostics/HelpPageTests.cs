using System.Reflection;
using Microsoft.CodeAnalysis;
using SnnDsl.Diagnostics;
using SnnDsl.Generators.Tests.Infrastructure;

namespace SnnDsl.Generators.Tests.Diagnostics;

/// <summary>Every diagnostic ID in the catalogue has its help page in docs/diagnostics, listed in the index.</summary>
public class HelpPageTests
{
    private static readonly string[] CatalogueIds = [.. typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id)
        .Order(StringComparer.Ordinal)];

    private static string HelpDirectory => Path.Combine(Repository.Root, "docs", "diagnostics");

    [Fact]
    public void Every_diagnostic_has_a_help_page_and_every_page_a_diagnostic()
    {
        string[] pages = [.. Directory.GetFiles(HelpDirectory, "SNN*.md").Select(path => Path.GetFileNameWithoutExtension(path)).Order(StringComparer.Ordinal)];

        Assert.Equal(CatalogueIds, pages);
    }

    [Fact]
    public void Index_links_every_help_page()
    {
        string index = File.ReadAllText(Path.Combine(HelpDirectory, "README.md"));

        Assert.All(CatalogueIds, id => Assert.Contains($"[{id}]({id}.md)", index));
    }
}
