using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits, for a [Neuron] struct, its compiled model (for networks in other assemblies), its <c>Descriptor</c> (the
/// IR as text) and its kernels <c>Step</c> and <c>StepBackward</c> (<see cref="StepEmitter"/>).
/// </summary>
internal static class NeuronEmitter
{
    public static string Emit(NeuronModel neuron) => SourceFile.Write(neuron.Type, writer =>
    {
        writer.Line($"[global::SnnDsl.CompiledModel({SourceFile.Quote(IrText.Print(neuron))})]");
        using (writer.Block($"partial struct {neuron.Type.Identifier} : global::SnnDsl.INeuron"))
        {
            WriteDescriptor(writer, neuron);
            writer.Line();
            var kernel = StepKernel.Of(neuron);
            StepEmitter.WriteStep(writer, kernel);
            writer.Line();
            StepEmitter.WriteStepBackward(writer, kernel);
        }
    });

    private static void WriteDescriptor(IndentedWriter writer, NeuronModel neuron)
    {
        string name = neuron.Kernels.Descriptor;
        writer.Line($"/// <summary>The model of <see cref=\"{neuron.Type.Identifier}\"/> as the generator parsed it (expression IR, docs/ir.md).</summary>");
        writer.Line($"public static global::SnnDsl.NeuronDescriptor {name} {{ get; }} = new(");
        using (writer.Indent())
        {
            writer.Line(SourceFile.Quote(neuron.Type.Name) + ",");
            writer.Line(SourceFile.List(neuron.States.Select(SourceFile.Quote)) + ",");
            writer.Line(SourceFile.List(neuron.Parameters.Select(ParamDescriptor)) + ",");
            writer.Line(SourceFile.List(neuron.Ports.Select(SourceFile.Quote)) + ",");
            writer.Line((neuron.PreviousSpike is null ? "null" : SourceFile.Quote(neuron.PreviousSpike)) + ",");
            writer.Line(SourceFile.Quote(IrText.Print(neuron.Integrate)) + ",");
            writer.Line((neuron.Fires is null ? "null" : SourceFile.Quote(IrText.Print(neuron.Fires))) + ",");
            writer.Line((neuron.Reset.Statements.Count == 0 ? "null" : SourceFile.Quote(IrText.Print(neuron.Reset))) + ",");
            writer.Line((neuron.Surrogate is null ? "null" : neuron.Surrogate + "." + neuron.SurrogateDescriptor) + ",");
            writer.Line((neuron.AttachResetGradient ? "true" : "false") + ");");
        }
        if (name != "Descriptor")
            writer.Line($"static global::SnnDsl.NeuronDescriptor global::SnnDsl.INeuron.Descriptor => {name};");
    }

    public static string ParamDescriptor(ParamInfo p) =>
        $"new global::SnnDsl.ParamDescriptor({SourceFile.Quote(p.Name)}, {SimdFlavor.FloatLiteral(p.DefaultValue)}, {Bool(p.PerNeuron)}, {Bool(p.Trainable)})";

    private static string Bool(bool value) => value ? "true" : "false";
}
