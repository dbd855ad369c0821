using System.Linq;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits the shell of a declaration that has SNN errors: the interface and the partial properties the user's own code
/// relies on, every member throwing with the diagnostics' IDs, so that the build shows the SNN diagnostics and no
/// follow-on C# errors (an unimplemented partial property, a type that does not satisfy Population's constraint: a
/// population of a type that is no neuron gets a stand-in Population&lt;TNeuron&gt; without one). A property whose
/// declaration has a C# error the implementing part would repeat is left out (the user's code shows it).
/// </summary>
internal static class ShellEmitter
{
    private const string Rt = "global::SnnDsl.";

    public static string Emit(ShellModel shell) => SourceFile.Write(shell.Type, writer =>
    {
        string kind = shell.Kind switch { ShellKind.Neuron => "Neuron", ShellKind.LearningRule => "Learning rule", _ => "Network" };
        // No SNN diagnostic: C# errors in the declaration that the generated code would repeat (see NetworkParser.Implementable).
        string errors = shell.Diagnostics.Length > 0 ? $"errors ({shell.Diagnostics})" : "C# errors";
        string failure = $"throw new global::System.InvalidOperationException({SourceFile.Quote($"{kind} '{shell.Type.Name}' was not generated: its declaration has {errors}. Fix them and rebuild.")})";
        writer.Line($"// Not generated: the declaration of {shell.Type.Name} has {errors}. These members exist so that the");
        writer.Line("// code around it still compiles; each one throws.");
        if (shell.Kind == ShellKind.Neuron)
        {
            using (writer.Block($"partial struct {shell.Type.Identifier} : {Rt}INeuron"))
                writer.Line($"static {Rt}NeuronDescriptor {Rt}INeuron.Descriptor => {failure};");
            return;
        }
        if (shell.Kind == ShellKind.LearningRule)
        {
            using (writer.Block($"partial struct {shell.Type.Identifier} : {Rt}ILearningRule"))
                writer.Line($"static {Rt}LearningRuleDescriptor {Rt}ILearningRule.Descriptor => {failure};");
            return;
        }
        using (writer.Block($"partial class {shell.Type.Identifier} : {Rt}ISpikingNetwork"))
        {
            if (shell.PopulationStandIn)
            {
                // SnnDsl's Population<TNeuron> asks for a neuron and would reject the population SNN0016 is about (CS0315);
                // inside the network this one takes its name, asks nothing, and is never constructed.
                writer.Line($"/// <summary>Stands in for <see cref=\"{Rt}Population{{TNeuron}}\"/> while a population of {shell.Type.Name} is not of a neuron (SNN0016).</summary>");
                using (writer.Block($"public sealed class Population<TNeuron> : {Rt}Population"))
                    writer.Line("private Population() : base(\"\", 1, null!) { }");
            }
            foreach (ShellProperty property in shell.Properties)
            {
                string accessors = string.Join(" ", property.Accessors.Select(a => $"{a} => {failure};"));
                writer.Line($"{property.Accessibility} partial {property.Type} {Helpers.NameScope.Escape(property.Name)} {{ {accessors} }}".TrimStart());
            }
            string list = "global::System.Collections.Generic.IReadOnlyList";
            writer.Line($"{Rt}NetworkDescriptor {Rt}ISpikingNetwork.Descriptor => {failure};");
            writer.Line($"{list}<{Rt}SpikeInput> {Rt}ISpikingNetwork.Inputs => {failure};");
            writer.Line($"{list}<{Rt}Population> {Rt}ISpikingNetwork.Populations => {failure};");
            writer.Line($"{list}<{Rt}Connection> {Rt}ISpikingNetwork.Connections => {failure};");
            writer.Line($"{list}<{Rt}Bias> {Rt}ISpikingNetwork.Biases => {failure};");
            writer.Line($"{Rt}SimulationResult {Rt}ISpikingNetwork.Simulate({list}<{Rt}SpikeRaster> inputs, {Rt}SimulationOptions? options) => {failure};");
            writer.Line($"{Rt}NetworkGradients {Rt}ISpikingNetwork.Backward({list}<{Rt}SpikeRaster> inputs, {Rt}SimulationResult forward, {Rt}BackwardUpstream upstream, " +
                        $"{Rt}BackwardOptions? options, {Rt}NetworkGradients? into) => {failure};");
        }
    });
}
