using System.Text;
using Xunit.Sdk;

namespace SnnDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated text with a committed <c>Snapshots/NAME.verified.cs</c>. On a mismatch it writes
/// <c>NAME.received.cs</c> next to it and fails with a line diff. With <c>SNNDSL_ACCEPT_SNAPSHOTS=1</c> it
/// overwrites the verified file instead (review the change with git diff).
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "SNNDSL_ACCEPT_SNAPSHOTS";

    public static string VerifiedPath(string name) => Path.Combine(Repository.SnapshotDirectory, name + ".verified.cs");

    public static string ReceivedPath(string name) => Path.Combine(Repository.SnapshotDirectory, name + ".received.cs");

    /// <summary>The snapshot name of a generated file: its hint name without ".cs".</summary>
    /// <summary>The snapshot name of a generated file: its hint name without ".cs" and without the spelling hash.</summary>
    public static string NameOf(string hintName) =>
        System.Text.RegularExpressions.Regex.Replace(Path.GetFileNameWithoutExtension(hintName), @"\.[0-9a-f]{8}(?=\.)", "");

    public static void Verify(string name, string actual)
    {
        actual = Normalize(actual);
        string verifiedPath = VerifiedPath(name), receivedPath = ReceivedPath(name);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Repository.SnapshotDirectory);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        string? expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        throw new XunitException(
            (expected is null ? $"No snapshot {verifiedPath}." : $"Generated code differs from {verifiedPath}:\n{LineDiff.Unified(expected, actual)}") +
            $"\nReceived: {receivedPath}\nIf the change is intended, rerun with {AcceptVariable}=1 and review it with git diff.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");
}

/// <summary>A unified-style diff of two texts by lines (longest common subsequence), for test failure messages.</summary>
internal static class LineDiff
{
    private const int Context = 3;
    private const int MaxLines = 60;

    public static string Unified(string expected, string actual)
    {
        string[] a = expected.Split('\n'), b = actual.Split('\n');
        List<(char Kind, int A, int B)> edits = Edits(a, b);
        var text = new StringBuilder();
        int written = 0;
        for (int i = 0; i < edits.Count && written < MaxLines;)
        {
            if (edits[i].Kind == ' ') { i++; continue; }
            // A hunk: the changes from here, merged with the next ones while fewer than 2·Context equal lines separate them.
            int start = Math.Max(0, i - Context), end = i, equal = 0;
            for (; end < edits.Count && equal <= 2 * Context; end++)
                equal = edits[end].Kind == ' ' ? equal + 1 : 0;
            end -= Math.Max(0, equal - Context);
            int linesA = 0, linesB = 0;
            for (int k = start; k < end; k++)
            {
                if (edits[k].Kind != '+') linesA++;
                if (edits[k].Kind != '-') linesB++;
            }
            text.Append($"@@ -{edits[start].A + 1},{linesA} +{edits[start].B + 1},{linesB} @@\n");
            for (int k = start; k < end && written < MaxLines; k++, written++)
            {
                (char kind, int lineA, int lineB) = edits[k];
                text.Append(kind).Append(' ').Append(kind == '+' ? b[lineB] : a[lineA]).Append('\n');
            }
            i = end;
        }
        if (written == MaxLines) text.Append("… (diff truncated)\n");
        return text.ToString();
    }

    /// <summary>' ' keeps a line, '-' removes line A of the expected text, '+' adds line B of the actual text.</summary>
    private static List<(char Kind, int A, int B)> Edits(string[] a, string[] b)
    {
        // lcs[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
            for (int j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var edits = new List<(char, int, int)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) edits.Add((' ', x++, y++));
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) edits.Add(('-', x++, y));
            else edits.Add(('+', x, y++));
        }
        return edits;
    }
}
