using SnnDsl.Generators.Tests.Infrastructure;

namespace SnnDsl.Generators.Tests.Generation;

/// <summary>The diff a snapshot mismatch fails with.</summary>
public class LineDiffTests
{
    [Fact]
    public void Changed_line_is_shown_with_its_line_numbers_and_context()
    {
        string expected = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));
        string actual = expected.Replace("line 10", "line ten");

        Assert.Equal("""
            @@ -7,7 +7,7 @@
              line 7
              line 8
              line 9
            - line 10
            + line ten
              line 11
              line 12
              line 13

            """.ReplaceLineEndings("\n"), LineDiff.Unified(expected, actual));
    }

    [Fact]
    public void Inserted_and_removed_lines_far_apart_make_two_hunks()
    {
        string expected = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));
        string actual = expected.Replace("line 2\n", "").Replace("line 18", "line 18\nline 18b");

        Assert.Equal("""
            @@ -1,5 +1,4 @@
              line 1
            - line 2
              line 3
              line 4
              line 5
            @@ -16,5 +15,6 @@
              line 16
              line 17
              line 18
            + line 18b
              line 19
              line 20

            """.ReplaceLineEndings("\n"), LineDiff.Unified(expected, actual));
    }
}
