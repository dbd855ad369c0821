using Microsoft.CodeAnalysis;
using SnnDsl.Generators.Tests.Infrastructure;

namespace SnnDsl.Generators.Tests.Generation;

/// <summary>
/// The typed <c>Save</c>/<c>Load</c> of a network: generated under those names only where they compile as written, and
/// never in place of a member the user declared or inherited (which keeps its name and meaning). What they do at run time —
/// the model file, its checks and errors — is tested in tests/SnnDsl.Tests/Export/TypedPersistenceTests.cs.
/// </summary>
public class PersistenceTests
{
    private const string Usings = """
        using System.Diagnostics.CodeAnalysis;
        using SnnDsl;
        using SnnDsl.Neurons;

        """;

    private const string Layers = """
            [Input(3)] public partial SpikeInput In { get; }
            [Population(4)] public partial Population<Lif> Hidden { get; }
            [Dense(nameof(In), nameof(Hidden))] public partial DenseSynapses InToHidden { get; }
        """;

    private static GeneratorRun Run(string members, string header = "public partial class Net", string others = "") =>
        GeneratorHarness.Run(Usings + others + $$"""

            [Network]
            {{header}}
            {
            {{Layers}}
                {{members}}
            }
            """);

    /// <summary>Where the members of Net called <paramref name="name"/> are declared: "generated" (the Save/Load part) or "user".</summary>
    private static string[] Origins(GeneratorRun run, string name) =>
    [
        .. run.Output.GetTypeByMetadataName("Net")!.GetMembers(name)
            .Select(m => m.Locations.Single().SourceTree!.FilePath.EndsWith(".Persistence.g.cs", StringComparison.Ordinal) ? "generated" : "user"),
    ];

    private static void AssertCompilesCleanly(GeneratorRun run)
    {
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileErrors);
        Assert.Empty(run.CompileWarnings());
    }

    [Fact]
    public void A_network_gets_Save_and_a_static_Load_typed_to_it()
    {
        GeneratorRun run = Run("");

        AssertCompilesCleanly(run);
        INamedTypeSymbol net = run.Output.GetTypeByMetadataName("Net")!;
        Assert.Equal("public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null)", Assert.Single(net.GetMembers("Save")).ToDisplayString(Signature));
        Assert.Equal("public static Net Load(string path)", Assert.Single(net.GetMembers("Load")).ToDisplayString(Signature));
    }

    private static readonly SymbolDisplayFormat Signature = new(
        memberOptions: SymbolDisplayMemberOptions.IncludeAccessibility | SymbolDisplayMemberOptions.IncludeModifiers | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeParameters,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName | SymbolDisplayParameterOptions.IncludeDefaultValue,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    [Theory]
    [InlineData("public void Save(System.IO.Stream stream) { }", "user", "generated")]
    [InlineData("public int Save;", "user", "generated")]
    [InlineData("public static Net Load(System.IO.Stream stream) => new();", "generated", "user")]
    [InlineData("public class Load { }", "generated", "user")]
    [InlineData("[Population(2)] public partial Population<Lif> Load { get; } [Dense(nameof(In), nameof(Load))] public partial DenseSynapses InToLoad { get; }", "generated", "user")]
    [InlineData("public void Save() { } public void Load() { }", "user", "user")]
    public void A_name_the_user_declared_stays_the_users(string members, string save, string load)
    {
        GeneratorRun run = Run(members);

        AssertCompilesCleanly(run);
        Assert.Equal([save], Origins(run, "Save"));
        Assert.Equal([load], Origins(run, "Load"));
        Assert.Equal(save == "generated" || load == "generated", run.GeneratedSources.Any(s => s.HintName.EndsWith(".Persistence.g.cs", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("public class Base { public void Save(string path) { } }", "user", "generated")]
    [InlineData("public class Base { protected static object Load(string path) => path; }", "generated", "user")]
    [InlineData("public class Base { private void Save(string path) { } private static void Load() { } }", "generated", "generated")]
    public void A_name_a_base_class_declares_is_not_hidden(string baseClass, string save, string load)
    {
        GeneratorRun run = Run("", "public partial class Net : Base", baseClass);

        AssertCompilesCleanly(run);   // no CS0108 (a member hiding an inherited one)
        Assert.Equal(save == "generated" ? ["generated"] : [], Origins(run, "Save"));
        Assert.Equal(load == "generated" ? ["generated"] : [], Origins(run, "Load"));
    }

    [Theory]
    [InlineData("public Net(int seed) { }", "public partial class Net")]
    [InlineData("", "public abstract partial class Net")]
    [InlineData("[System.Obsolete(\"use the factory\", true)] public Net() { }", "public partial class Net")]
    [InlineData("public required int Seed { get; init; }", "public partial class Net")]
    public void Load_is_left_out_where_new_Net_would_not_compile(string members, string header)
    {
        GeneratorRun run = Run(members, header);

        AssertCompilesCleanly(run);
        Assert.Equal(["generated"], Origins(run, "Save"));
        Assert.Empty(Origins(run, "Load"));
    }

    [Theory]
    [InlineData("private Net() { }")]
    [InlineData("public Net(int seed) { } protected Net() { }")]
    [InlineData("[SetsRequiredMembers] public Net() { Seed = 1; } public required int Seed { get; init; }")]
    public void Load_uses_any_parameterless_constructor_that_sets_what_is_required(string members)
    {
        GeneratorRun run = Run(members);

        AssertCompilesCleanly(run);
        Assert.Equal(["generated"], Origins(run, "Load"));
    }

    [Fact]
    public void A_nested_network_in_a_namespace_gets_them_under_its_full_name()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + $$"""
            namespace Outer.Inner;

            public static partial class Models
            {
                [Network]
                internal partial class Net
                {
            {{Layers}}
                }
            }

            internal static class Use
            {
                public static Models.Net RoundTrip(string path)
                {
                    new Models.Net().Save(path);
                    return Models.Net.Load(path);
                }
            }
            """);

        AssertCompilesCleanly(run);
    }

    [Fact]
    public void A_declaration_with_errors_still_has_them_so_that_calls_compile_and_only_its_diagnostic_shows()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + """
            [Network]
            public partial class Net
            {
                [Input(0)] public partial SpikeInput In { get; }
                [Population(4)] public partial Population<Lif> Hidden { get; }
            }

            public static class Use
            {
                public static Net RoundTrip(string path)
                {
                    new Net().Save(path);
                    return Net.Load(path);
                }
            }
            """);

        Assert.Equal("SNN0011", Assert.Single(run.Diagnostics).Id);
        DiagnosticAssert.AssertOnlyShells(run);
        DiagnosticAssert.AssertNoFollowOnErrors(run);
    }

    [Theory]
    [InlineData("public partial struct Net")]
    [InlineData("public class Net")]
    [InlineData("public partial class Net<T>")]
    public void Nothing_is_generated_for_a_network_the_generator_cannot_complete(string header)
    {
        GeneratorRun run = Run("", header);

        Assert.DoesNotContain(run.GeneratedSources, s => s.HintName.EndsWith(".Persistence.g.cs", StringComparison.Ordinal));
    }
}
