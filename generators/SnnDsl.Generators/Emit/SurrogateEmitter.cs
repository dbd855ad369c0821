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
        string name = surrogate.Type.Name;
        using (writer.Block($"static partial class {name}"))
        {
            writer.Line($"/// <summary>The surrogate <see cref=\"{name}\"/> as the generator parsed it (expression IR, docs/ir.md).</summary>");
            writer.Line("public static global::SnnDsl.SurrogateDescriptor Descriptor { get; } = new(");
            using (writer.Indent())
            {
                writer.Line(SourceFile.Quote(name) + ",");
                writer.Line("[" + string.Join(", ", surrogate.Parameters.Select(NeuronEmitter.ParamDescriptor)) + "],");
                writer.Line(SourceFile.Quote(IrText.Print(surrogate.Derivative)) + ");");
            }
            writer.Line();

            writer.Line("/// <summary>Sets every [Param] to its declared default when the module loads.</summary>");
            writer.Line("#pragma warning disable CA2255 // the parameters' defaults come from their attributes");
            writer.Line("[ModuleInitializer]");
            writer.Line("#pragma warning restore CA2255");
            using (writer.Block("internal static void __InitializeParameters()"))
            {
                foreach (ParamInfo p in surrogate.Parameters) writer.Line($"{p.Name} = {SimdFlavor.FloatLiteral(p.DefaultValue)};");
            }

            foreach (SimdFlavor flavor in new[] { SimdFlavor.Vector256, SimdFlavor.Vector512 })
            {
                writer.Line();
                writer.Line($"/// <summary>σ′(x) = {new ExprEmitter(SimdFlavor.Scalar).Emit(surrogate.Derivative).Replace("<", "&lt;").Replace(">", "&gt;")}, lane-wise.</summary>");
                writer.Line(SourceFile.GeneratedCode);
                using (writer.Block($"public static {flavor.FloatType} Derivative({flavor.FloatType} x)"))
                {
                    foreach (ParamInfo p in surrogate.Parameters.Where(p => IrWalker.Any(surrogate.Derivative, e => e is ParamRef r && r.Name == p.Name)))
                        writer.Line($"{flavor.FloatType} {p.Name} = {flavor.Splat(name + "." + p.Name)};");
                    writer.Line($"return {new ExprEmitter(flavor).Emit(surrogate.Derivative)};");
                }
            }
        }
    });
}
