using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits, for a [Synapse] struct, its compiled model, its <c>Descriptor</c> and its kernels <c>Step</c> (update the
/// synapses of one connection and add the delivered current to the port) and <c>StepBackward</c>.
/// </summary>
internal static class SynapseEmitter
{
    public static string Emit(SynapseModel synapse) => SourceFile.Write(synapse.Type, writer =>
    {
        writer.Line($"[global::SnnDsl.CompiledModel({SourceFile.Quote(IrText.Print(synapse))})]");
        using (writer.Block($"partial struct {synapse.Type.Identifier}"))
        {
            writer.Line($"/// <summary>The model of <see cref=\"{synapse.Type.Identifier}\"/> as the generator parsed it (expression IR, docs/ir.md).</summary>");
            writer.Line($"public static global::SnnDsl.SynapseDescriptor {synapse.Kernels.Descriptor} {{ get; }} = new(");
            using (writer.Indent())
            {
                writer.Line(SourceFile.Quote(synapse.Type.Name) + ",");
                writer.Line(SourceFile.List(synapse.States.Select(SourceFile.Quote)) + ",");
                writer.Line(SourceFile.List(synapse.Parameters.Select(NeuronEmitter.ParamDescriptor)) + ",");
                writer.Line(SourceFile.Quote(synapse.Drive) + ",");
                writer.Line(SourceFile.List(synapse.PostReads.Select(r => $"new global::SnnDsl.PostsynapticRead({SourceFile.Quote(r.Input)}, {SourceFile.Quote(r.State)})")) + ",");
                writer.Line(SourceFile.Quote(IrText.Print(synapse.Deliver)) + ",");
                writer.Line(SourceFile.Quote(IrText.Print(synapse.Current)) + ");");
            }
            writer.Line();
            var kernel = StepKernel.Of(synapse);
            StepEmitter.WriteStep(writer, kernel);
            writer.Line();
            StepEmitter.WriteStepBackward(writer, kernel);
        }
    });
}
