using System.Reflection;

namespace SnnDsl.Generators.Tests.Infrastructure;

/// <summary>Paths in the repository: the built-in models the snapshots are taken of, and the snapshots themselves.</summary>
internal static class Repository
{
    /// <summary>The folder holding SnnDsl.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string SnapshotDirectory => Path.Combine(Root, "tests", "SnnDsl.Generators.Tests", "Snapshots");

    /// <summary>
    /// Walks up from the test binaries, which lie under the repository in an ordinary build; a build with
    /// <c>--artifacts-path</c> puts them elsewhere, so the repository root recorded at build time is tried next.
    /// </summary>
    private static string FindRoot()
    {
        string? recorded = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        foreach (string? start in new[] { AppContext.BaseDirectory, recorded })
        {
            for (DirectoryInfo? directory = start is null ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "SnnDsl.sln"))) return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No SnnDsl.sln above '{AppContext.BaseDirectory}' or '{recorded}'.");
    }
}
