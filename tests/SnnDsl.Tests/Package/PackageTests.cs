using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using SnnDsl.Tests.Data;
using SnnDsl.Tests.Export;

namespace SnnDsl.Tests.Package;

/// <summary>
/// The package outside the repository, as a new user meets it (docs/getting-started.md): pack SnnDsl into a local
/// feed, <c>dotnet new console</c> in a temporary folder, <c>dotnet add package SnnDsl</c>, the getting-started page's
/// Program.cs, <c>dotnet run</c>. The generator and the analyzers come with the package, the generated files appear in
/// obj/generated/ as the README says, and the program simulates and trains.
/// </summary>
[Trait("Category", "Package")]
public class PackageTests
{
    [Fact]
    public void A_fresh_console_project_builds_runs_and_trains_with_the_packed_package()
    {
        string root = Path.GetFullPath(NirTests.RepositoryFile("."));
        string configuration = typeof(PackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        using var folder = new TempFolder();
        string feed = folder.File("feed"), project = folder.File("MySnn");
        // A version of its own, so that no package of that name cached by an earlier run is used instead.
        string version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";

        // The build of the solution has produced the runtime, generator and analyzer assemblies the package carries.
        Run(root, "dotnet", "pack", Path.Combine(root, "src", "SnnDsl", "SnnDsl.csproj"), "-c", configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}");
        Run(folder.Path, "dotnet", "new", "console", "-n", "MySnn", "-o", project);
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="snndsl-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        Run(project, "dotnet", "add", "package", "SnnDsl", "--version", version);
        File.WriteAllText(Path.Combine(project, "Program.cs"), GettingStartedProgram(root));

        string output = Run(project, "dotnet", "run", "-c", "Release");

        string[] generated = Directory.Exists(Path.Combine(project, "obj", "generated"))
            ? Directory.GetFiles(Path.Combine(project, "obj", "generated"), "*.g.cs", SearchOption.AllDirectories) : [];
        Assert.Contains(generated, f => f.EndsWith(".Neuron.g.cs", StringComparison.Ordinal) && Path.GetFileName(f).StartsWith("MyLif.", StringComparison.Ordinal));
        Assert.Contains(generated, f => f.EndsWith(".Network.g.cs", StringComparison.Ordinal) && Path.GetFileName(f).StartsWith("YinYangClassifier.", StringComparison.Ordinal));
        Match spikes = Regex.Match(output, @"hidden spikes: (\d+), SIMD width: (\w+)");
        Assert.True(spikes.Success && long.Parse(spikes.Groups[1].Value) > 0, "the simulation printed no hidden spikes:\n" + output);
        Assert.Equal(SpikeOps.ActiveSimdWidth, spikes.Groups[2].Value);
        float[] losses = [.. Regex.Matches(output, @"epoch \d+: loss ([\d.]+)").Select(m => float.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.True(losses.Length == 3 && losses[^1] < losses[0], "training did not lower the loss:\n" + output);
        Assert.Matches(@"test accuracy: [\d.]+ ?%", output);
    }

    /// <summary>The one C# block of docs/getting-started.md: the Program.cs the page tells the user to write.</summary>
    private static string GettingStartedProgram(string root)
    {
        string page = File.ReadAllText(Path.Combine(root, "docs", "getting-started.md"));
        MatchCollection blocks = Regex.Matches(page, @"^```csharp\n(.*?)^```$", RegexOptions.Singleline | RegexOptions.Multiline);
        Assert.Single(blocks);
        return blocks[0].Groups[1].Value;
    }

    /// <summary>Runs a command to completion (at most 10 minutes) and returns its output; a non-zero exit fails the test with the output.</summary>
    private static string Run(string directory, string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // The child builds with its own MSBuild, not inside the test host's.
        foreach (string variable in new[] { "MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
            start.Environment.Remove(variable);
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), $"{command} {string.Join(' ', arguments)} did not finish in 10 minutes");
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} exited with {process.ExitCode} in {directory}:\n{output}\n{error.Result}");
        return output + error.Result;
    }
}
