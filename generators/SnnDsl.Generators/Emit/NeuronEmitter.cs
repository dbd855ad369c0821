using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;
using SnnDsl.Generators.Passes;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits, for a [Neuron] struct, its compiled model (for networks in other assemblies), its <c>Descriptor</c> (the
/// IR as text) and its kernels <c>Step</c> and <c>StepBackward</c> (<see cref="StepEmitter"/>), and a <c>Step{Chip}</c> integer kernel
/// per [FixedPoint(Chip.…)] (<see cref="IntegerStepEmitter"/>).
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
            writer.Line();
            StepEmitter.WriteStepJacobian(writer, kernel, StepTangents.Of(neuron));
            foreach (IntegerKernel integer in neuron.IntegerKernels)
            {
                writer.Line();
                IntegerStepEmitter.Write(writer, integer);
            }
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
            (string integrate, string? fires, string? reset) = IrText.Dynamics(neuron);
            writer.Line(SourceFile.Quote(integrate) + ",");
            writer.Line((fires is null ? "null" : SourceFile.Quote(fires)) + ",");
            writer.Line((reset is null ? "null" : SourceFile.Quote(reset)) + ",");
            writer.Line((neuron.Surrogate is null ? "null" : neuron.Surrogate + "." + neuron.SurrogateDescriptor) + ",");
            writer.Line((neuron.AttachResetGradient ? "true" : "false") + ",");
            WriteTangents(writer, neuron, StepTangents.Of(neuron));
            writer.Line((neuron.HasInitialValues ? SourceFile.List(neuron.Initial.Select(SimdFlavor.FloatLiteral)) : "null") + ",");
            writer.Line(SourceFile.Quote(string.Join("\n", StepEmitter.Equations(StepKernel.Of(neuron)))).Replace("\n", "\\n") + ");");
        }
        if (name != "Descriptor")
            writer.Line($"static global::SnnDsl.NeuronDescriptor global::SnnDsl.INeuron.Descriptor => {name};");
    }

    /// <summary>The Jacobian's entries, whether traces factor, and an adapter from arrays to the typed StepJacobian kernel.</summary>
    private static void WriteTangents(IndentedWriter writer, NeuronModel neuron, StepTangents tangents)
    {
        string Column(Seed seed) => seed.Kind switch
        {
            SeedKind.State => $"global::SnnDsl.TangentSeed.State, {neuron.States.IndexOf(seed.Name)}",
            SeedKind.Input => $"global::SnnDsl.TangentSeed.Input, {neuron.Ports.IndexOf(seed.Name)}",
            _ => $"global::SnnDsl.TangentSeed.Parameter, {Enumerable.Range(0, neuron.Parameters.Count).First(p => neuron.Parameters[p].Name == seed.Name)}",
        };
        writer.Line("new global::SnnDsl.StepTangentsDescriptor(");
        using (writer.Indent())
        {
            writer.Line("[");
            using (writer.Indent())
            {
                foreach (JacobianEntry e in tangents.Entries)
                    writer.Line($"new global::SnnDsl.JacobianEntryDescriptor({(e.Row is null ? "global::SnnDsl.JacobianEntryDescriptor.Spike" : neuron.States.IndexOf(e.Row).ToString())}, {Column(e.Seed)}, {Bool(e.Uniform)}), // {StepEmitter.EntryLabel(e)}");
            }
            writer.Line("],");
            writer.Line(Bool(tangents.Factorizable) + ",");
            writer.Line((tangents.SpikeFollows is { } d ? neuron.States.IndexOf(d).ToString() : "-1") + ",");
            var arguments = Enumerable.Range(0, neuron.States.Count).Select(s => $"previous[{s}]")
                .Concat(Enumerable.Range(0, neuron.Ports.Count).Select(p => $"ports[{p}]"))
                .Concat(Enumerable.Range(0, neuron.Parameters.Count).Select(p => neuron.Parameters[p].PerNeuron ? $"parameters[{p}]" : $"parameters[{p}][0]"))
                .Append("jacobian");
            writer.Line($"static (previous, ports, parameters, jacobian) => {neuron.Kernels.StepJacobian}({string.Join(", ", arguments)})),");
        }
    }

    public static string ParamDescriptor(ParamInfo p) =>
        $"new global::SnnDsl.ParamDescriptor({SourceFile.Quote(p.Name)}, {SimdFlavor.FloatLiteral(p.DefaultValue)}, {Bool(p.PerNeuron)}, {Bool(p.Trainable)}" +
        (p.HasMin || p.HasMax ? $", {SimdFlavor.FloatLiteral(p.Min)}, {SimdFlavor.FloatLiteral(p.Max)})" : ")");

    private static string Bool(bool value) => value ? "true" : "false";
}
