using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits, for a [Neuron] struct, its <c>Descriptor</c> (the IR as text) and its forward kernel <c>Step</c>: one
/// time step of a whole population, neuron update fused with the spike test and the reset, with a Vector512 loop,
/// a Vector256 loop and a scalar tail, all written from the same IR.
/// </summary>
internal static class NeuronEmitter
{
    private const string Span = "Span<float>";
    private const string ReadOnlySpan = "ReadOnlySpan<float>";
    private const string MemoryMarshal = "MemoryMarshal";

    public static string Emit(NeuronModel neuron) => SourceFile.Write(neuron.Type, writer =>
    {
        using (writer.Block($"partial struct {neuron.Type.Name} : global::SnnDsl.INeuron"))
        {
            WriteDescriptor(writer, neuron);
            writer.Line();
            WriteStep(writer, neuron);
            writer.Line();
            NeuronBackwardEmitter.Write(writer, neuron);
        }
    });

    private static void WriteDescriptor(IndentedWriter writer, NeuronModel neuron)
    {
        writer.Line($"/// <summary>The model of <see cref=\"{neuron.Type.Name}\"/> as the generator parsed it (expression IR, docs/ir.md).</summary>");
        writer.Line($"public static global::SnnDsl.NeuronDescriptor Descriptor {{ get; }} = new(");
        using (writer.Indent())
        {
            writer.Line(SourceFile.Quote(neuron.Type.Name) + ",");
            writer.Line("[" + string.Join(", ", neuron.States.Select(SourceFile.Quote)) + "],");
            writer.Line("[" + string.Join(", ", neuron.Parameters.Select(ParamDescriptor)) + "],");
            writer.Line(SourceFile.Quote(IrText.Print(neuron.Integrate)) + ",");
            writer.Line((neuron.Fires is null ? "null" : SourceFile.Quote(IrText.Print(neuron.Fires))) + ",");
            writer.Line((neuron.Reset.Statements.Count == 0 ? "null" : SourceFile.Quote(IrText.Print(neuron.Reset))) + ",");
            writer.Line((neuron.Surrogate is null ? "null" : neuron.Surrogate + ".Descriptor") + ",");
            writer.Line((neuron.AttachResetGradient ? "true" : "false") + ");");
        }
    }

    public static string ParamDescriptor(ParamInfo p) =>
        $"new global::SnnDsl.ParamDescriptor({SourceFile.Quote(p.Name)}, {SimdFlavor.FloatLiteral(p.DefaultValue)}, {Bool(p.PerNeuron)}, {Bool(p.Trainable)})";

    private static string Bool(bool value) => value ? "true" : "false";

    private static void WriteStep(IndentedWriter writer, NeuronModel neuron)
    {
        var scalar = new ExprEmitter(SimdFlavor.Scalar);
        writer.Line("/// <summary>");
        writer.Line($"/// Advances every neuron of a population of <see cref=\"{neuron.Type.Name}\"/> by one time step (docs/semantics.md):");
        writer.Line("/// <code>");
        writer.Line($"/// Integrate(input): {Describe(neuron.Integrate, scalar)}");
        if (neuron.Fires is not null)
        {
            writer.Line($"/// S = Fires():       {scalar.Emit(neuron.Fires).Replace(">", "&gt;").Replace("<", "&lt;")}");
            if (neuron.Reset.Statements.Count > 0) writer.Line($"/// Reset() where S:  {Describe(neuron.Reset, scalar)}");
        }
        writer.Line("/// </code>");
        writer.Line("/// </summary>");
        foreach (string state in neuron.States)
            writer.Line($"/// <param name=\"state{state}\">State {state} of each neuron, updated in place.</param>");
        writer.Line("/// <param name=\"synapticInput\">Synaptic input of each neuron in this step; its length is the population size.</param>");
        foreach (ParamInfo p in neuron.Parameters)
            writer.Line($"/// <param name=\"param{p.Name}\">Parameter {p.Name}{(p.PerNeuron ? ", one value per neuron" : ", shared")}.</param>");
        if (neuron.IsSpiking)
            writer.Line("/// <param name=\"spikes\">Receives S, bit-packed (bit i of word i/64 is neuron i).</param>");

        var signature = new List<string>();
        signature.AddRange(neuron.States.Select(s => $"{Span} state{s}"));
        signature.Add($"{ReadOnlySpan} synapticInput");
        signature.AddRange(neuron.Parameters.Select(p => p.PerNeuron ? $"{ReadOnlySpan} param{p.Name}" : $"float param{p.Name}"));
        if (neuron.IsSpiking) signature.Add("Span<ulong> spikes");
        writer.Line(SourceFile.GeneratedCode);
        writer.Line(SourceFile.Optimized);
        using (writer.Block($"public static void Step({string.Join(", ", signature)})"))
        {
            writer.Line("int __n = synapticInput.Length;");
            foreach (string state in neuron.States)
                writer.Line($"global::SnnDsl.KernelGuard.RequireLength(state{state}.Length, __n, nameof(state{state}));");
            foreach (ParamInfo p in neuron.Parameters.Where(p => p.PerNeuron))
                writer.Line($"global::SnnDsl.KernelGuard.RequireLength(param{p.Name}.Length, __n, nameof(param{p.Name}));");
            if (neuron.IsSpiking)
            {
                writer.Line("global::SnnDsl.KernelGuard.RequireLength(spikes.Length, (__n + 63) >> 6, nameof(spikes));");
                writer.Line("spikes.Clear();");
            }
            foreach (string state in neuron.States)
                writer.Line($"ref float __{state} = ref {MemoryMarshal}.GetReference(state{state});");
            foreach (ParamInfo p in neuron.Parameters.Where(p => p.PerNeuron))
                writer.Line($"ref float __{p.Name} = ref {MemoryMarshal}.GetReference(param{p.Name});");
            writer.Line($"ref float __input = ref {MemoryMarshal}.GetReference(synapticInput);");
            writer.Line("int __k = 0;");
            writer.Line();
            WriteVectorLoop(writer, neuron, SimdFlavor.Vector512);
            writer.Line();
            WriteVectorLoop(writer, neuron, SimdFlavor.Vector256);
            writer.Line();
            writer.Line("// Scalar tail (and the whole population where no SIMD is available).");
            using (writer.Block("for (; __k < __n; __k++)"))
                WriteNeuronUpdate(writer, neuron, new ExprEmitter(SimdFlavor.Scalar));
        }
    }

    private static void WriteVectorLoop(IndentedWriter writer, NeuronModel neuron, SimdFlavor flavor)
    {
        string count = $"{flavor.FloatType}.Count";
        using (writer.Block($"if ({flavor.Vector}.IsHardwareAccelerated)"))
        {
            foreach (ParamInfo p in neuron.Parameters.Where(p => !p.PerNeuron && Uses(neuron, p.Name)))
                writer.Line($"{flavor.FloatType} {p.Name} = {flavor.Splat("param" + p.Name)};");
            using (writer.Block($"for (; __k <= __n - {count}; __k += {count})"))
                WriteNeuronUpdate(writer, neuron, new ExprEmitter(flavor));
        }
    }

    /// <summary>The fused update of one vector (or one neuron): load, Integrate, Fires, Reset where fired, store.</summary>
    private static void WriteNeuronUpdate(IndentedWriter writer, NeuronModel neuron, ExprEmitter emitter)
    {
        SimdFlavor flavor = emitter.Flavor;
        string type = flavor.FloatType;
        foreach (string state in neuron.States)
            writer.Line($"{type} {state} = {flavor.Load("__" + state, "__k")};");
        foreach (ParamInfo p in neuron.Parameters.Where(p => Uses(neuron, p.Name)))
        {
            if (p.PerNeuron) writer.Line($"{type} {p.Name} = {flavor.Load("__" + p.Name, "__k")};");
            else if (flavor.IsScalar) writer.Line($"float {p.Name} = param{p.Name};");
        }
        if (Reads(neuron.Integrate, e => e is InputRef))
            writer.Line($"{type} input = {flavor.Load("__input", "__k")};");

        writer.Line("// Integrate(input)");
        WriteStatements(writer, neuron.Integrate, emitter);

        if (neuron.Fires is not null)
        {
            writer.Line("// S = Fires()");
            writer.Line($"{flavor.MaskType} __fired = {emitter.Emit(neuron.Fires)};");
            if (flavor.IsScalar)
            {
                using (writer.Block("if (__fired)"))
                {
                    writer.Line("// Reset() where S = 1");
                    WriteStatements(writer, neuron.Reset, emitter, braces: false);
                    writer.Line("spikes[__k >> 6] |= 1UL << (__k & 63);");
                }
            }
            else
            {
                WriteMaskedReset(writer, neuron, emitter);
                string bits = flavor == SimdFlavor.Vector512
                    ? $"{flavor.Vector}.ExtractMostSignificantBits(__fired)"
                    : $"(ulong){flavor.Vector}.ExtractMostSignificantBits(__fired)";
                writer.Line($"spikes[__k >> 6] |= {bits} << (__k & 63);");
            }
        }

        foreach (string state in neuron.States.Where(s => Assigns(neuron.Integrate, s) || Assigns(neuron.Reset, s)))
            writer.Line(flavor.Store(state, "__" + state, "__k"));
    }

    /// <summary>Vector lanes: run Reset on every lane, then keep the result only where S = 1.</summary>
    private static void WriteMaskedReset(IndentedWriter writer, NeuronModel neuron, ExprEmitter emitter)
    {
        if (neuron.Reset.Statements.Count == 0) return;
        SimdFlavor flavor = emitter.Flavor;
        List<string> reset = neuron.States.Where(s => Assigns(neuron.Reset, s)).ToList();
        writer.Line("// Reset() where S = 1");
        using (writer.Block())
        {
            foreach (string state in reset) writer.Line($"{flavor.FloatType} __{state}Before = {state};");
            WriteStatements(writer, neuron.Reset, emitter, braces: false);
            foreach (string state in reset) writer.Line($"{state} = {flavor.Select("__fired", state, $"__{state}Before")};");
        }
    }

    private static void WriteStatements(IndentedWriter writer, Block block, ExprEmitter emitter, bool braces = true)
    {
        bool scoped = braces && block.Statements.Any(s => !s.IsState);
        IndentedWriter.Scope? scope = scoped ? writer.Block() : null;
        var declared = new HashSet<string>();
        foreach (Assign assign in block.Statements)
        {
            string value = emitter.Emit(assign.Value);
            bool declare = !assign.IsState && declared.Add(assign.Name);
            writer.Line($"{(declare ? emitter.Flavor.FloatType + " " : "")}{assign.Name} = {value};");
        }
        scope?.Dispose();
    }

    private static string Describe(Block block, ExprEmitter scalar) =>
        string.Join("; ", block.Statements.Select(s => $"{s.Name} = {scalar.Emit(s.Value)}")).Replace("<", "&lt;").Replace(">", "&gt;");

    private static bool Uses(NeuronModel neuron, string parameter) =>
        Reads(neuron.Integrate, e => e is ParamRef p && p.Name == parameter) ||
        Reads(neuron.Reset, e => e is ParamRef p && p.Name == parameter) ||
        (neuron.Fires is not null && IrWalker.Any(neuron.Fires, e => e is ParamRef p && p.Name == parameter));

    private static bool Reads(Block block, System.Func<Expr, bool> predicate) => block.Statements.Any(s => IrWalker.Any(s.Value, predicate));

    private static bool Assigns(Block block, string state) => block.Statements.Any(s => s.IsState && s.Name == state);
}
