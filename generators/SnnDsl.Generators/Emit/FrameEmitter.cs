using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;
using SnnDsl.Generators.Helpers;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Writes the frame of a generated network method (<c>Simulate</c>, <c>Backward</c>): a nested class whose fields are
/// the call's locals, whose <c>Run</c> is the method's body and whose loop body (one sample, or one chunk of samples)
/// is a method bound to a delegate once. A lambda over the locals would allocate its closure and delegates on every
/// call; the frame waits in the network between calls, so a training step allocates nothing. A call that finds the
/// frame taken (a concurrent call, or one from inside an observer) makes its own.
/// </summary>
internal static class FrameEmitter
{
    private const string Rt = NetworkPlan.Rt;

    /// <summary>The public method's body: take the waiting frame (or make one), run the call in it, put it back.</summary>
    public static void WriteCall(IndentedWriter writer, NetworkLocals locals, string frameClass, string frameField, string arguments)
    {
        string frame = locals.Names["frame"];
        writer.Line("// The call runs in a frame that holds its locals and its loop body, made once (a concurrent call makes its own).");
        writer.Line($"{frameClass} {frame} = global::System.Threading.Interlocked.Exchange(ref {frameField}, null) ?? new(this);");
        using (writer.Block("try"))
            writer.Line($"return {frame}.{locals.Run}({arguments});");
        using (writer.Block("finally"))
        {
            writer.Line($"{frame}.{locals.Forget}();");
            writer.Line($"{frameField} = {frame};");
        }
    }

    /// <summary>
    /// The field where the frame waits between calls, then the frame class: the network, the pool of scratches and the loop's delegates; <paramref name="persistent"/>
    /// (declarations of state kept from call to call); the call's locals (<see cref="NetworkLocals.Fields"/>); the
    /// constructor; <paramref name="methods"/> (Run and the loop body <paramref name="bodyMethod"/>, already written); Forget.
    /// </summary>
    public static void WriteClass(IndentedWriter writer, NetworkPlan plan, NetworkLocals locals, string frameClass, string frameField, string summary,
        string scratchType, string bodyType, string bodyMethod, string createScratch, IEnumerable<string> persistent, string methods)
    {
        NameScope names = locals.Names;
        string network = names["network"], networkType = TypeName(plan.Network.Type);
        writer.Line($"private {frameClass}? {frameField};");
        writer.Line();
        writer.Line($"/// <summary>{summary}</summary>");
        using (writer.Block($"private sealed class {frameClass}"))
        {
            writer.Line($"private readonly {networkType} {network};");
            writer.Line($"private readonly global::System.Collections.Concurrent.ConcurrentBag<{scratchType}> {locals.Scratches} = new();");
            writer.Line($"private readonly global::System.Func<{scratchType}> {locals.CreateScratch};");
            writer.Line($"private readonly {bodyType} {locals.Body};");
            writer.Line($"private readonly global::System.Action<{scratchType}> {locals.ReleaseScratch};");
            foreach (string line in persistent) writer.Line(line);
            writer.Line();
            writer.Line("// The call's locals: set by Run, read by the loop body, let go of by Forget.");
            foreach ((string type, string name) in locals.Fields)
                writer.Line($"private {type} {name}{(IsReference(type) && !type.EndsWith("?") ? " = null!" : "")};");
            writer.Line();
            using (writer.Block($"public {frameClass}({networkType} {network})"))
            {
                writer.Line($"this.{network} = {network};");
                writer.Line("// Workers take their scratch from the pool and give it back, so neither the time loop nor the next call allocates it.");
                writer.Line($"{locals.CreateScratch} = {createScratch};");
                writer.Line($"{locals.Body} = {bodyMethod};");
                writer.Line($"{locals.ReleaseScratch} = {locals.Scratches}.Add;");
            }
            writer.Line();
            writer.Lines(methods.TrimEnd('\n'));
            writer.Line();
            writer.Line("/// <summary>Lets go of what the call referenced (inputs, options, recordings), so that the waiting frame keeps none of it alive.</summary>");
            using (writer.Block($"public void {locals.Forget}()"))
            {
                foreach ((string type, string name) in locals.Fields)
                    if (IsReference(type)) writer.Line($"{name} = null{(type.EndsWith("?") ? "" : "!")};");
            }
        }
    }

    /// <summary>
    /// The network's type as a field's or parameter's type: a contextual keyword there ('record', 'var') needs the '@'
    /// that a reserved one already has.
    /// </summary>
    private static string TypeName(Model.DeclaredType type) =>
        SyntaxFacts.GetContextualKeywordKind(type.Name) != SyntaxKind.None ? "@" + type.Name : type.Identifier;

    private static bool IsReference(string type) => type is not ("int" or "float");
}
