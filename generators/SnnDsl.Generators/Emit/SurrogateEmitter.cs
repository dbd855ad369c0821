using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits, for a [Surrogate] class, its <c>Descriptor</c>, the initialization of its parameters to their declared
/// defaults, and Vector256/Vector512 overloads of <c>Derivative</c> for the backward kernels.
/// </summary>
internal static class SurrogateEmitter
{
    public static string Emit(SurrogateModel surrogate) => SourceFile.Write(surrogate.Type, writer =>
    {
        var members = new NameScope(surrogate.Members);
        string descriptor = members["descriptor", "Descriptor"], initialize = members["initialize", "InitializeParameters"];
        using (writer.Block($"static partial class {surrogate.Type.Identifier}"))
        {
            writer.Line($"/// <summary>The surrogate <see cref=\"{surrogate.Type.Identifier}\"/> as the generator parsed it (expression IR, docs/ir.md).</summary>");
            writer.Line($"public static global::SnnDsl.SurrogateDescriptor {descriptor} {{ get; }} = new(");
            using (writer.Indent())
            {
                writer.Line(SourceFile.Quote(surrogate.Type.Name) + ",");
                writer.Line(SourceFile.List(surrogate.Parameters.Select(NeuronEmitter.ParamDescriptor)) + ",");
                writer.Line(SourceFile.Quote(IrText.Print(surrogate.Derivative)) + ");");
            }
            writer.Line();

            writer.Line("/// <summary>Sets every [Param] to its declared default when the module loads.</summary>");
            writer.Line("#pragma warning disable CA2255 // the parameters' defaults come from their attributes");
            writer.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
            writer.Line("#pragma warning restore CA2255");
            using (writer.Block($"internal static void {initialize}()"))
            {
                foreach (ParamInfo p in surrogate.Parameters) writer.Line($"{surrogate.Type.FullyQualifiedName}.{NameScope.Escape(p.Name)} = {SimdFlavor.FloatLiteral(p.DefaultValue)};");
            }

            foreach (SimdFlavor flavor in new[] { SimdFlavor.Vector256, SimdFlavor.Vector512 })
            {
                var names = new NameScope([surrogate.Type.Name]);
                names.Claim("arg", surrogate.Argument);
                var emitter = new ExprEmitter(flavor, names);
                writer.Line();
                writer.Line($"/// <summary>σ′(x) = {Xml(new ExprEmitter(SimdFlavor.Scalar, Names(surrogate)).Emit(surrogate.Derivative))}, lane-wise.</summary>");
                writer.Line(SourceFile.GeneratedCode);
                using (writer.Block($"public static {flavor.FloatType} Derivative({flavor.FloatType} {names["arg"]})"))
                {
                    foreach (ParamInfo p in surrogate.Parameters.Where(p => IrWalker.Any(surrogate.Derivative, e => e is ParamRef r && r.Name == p.Name)))
                        writer.Line($"{flavor.FloatType} {emitter.Param(p.Name)} = {flavor.Splat(surrogate.Type.FullyQualifiedName + "." + NameScope.Escape(p.Name))};");
                    writer.Line($"return {emitter.Emit(surrogate.Derivative)};");
                }
            }
        }
    });

    private static NameScope Names(SurrogateModel surrogate)
    {
        var names = new NameScope([]);
        names.Claim("arg", surrogate.Argument);
        return names;
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
