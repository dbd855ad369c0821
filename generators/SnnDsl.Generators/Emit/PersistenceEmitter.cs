using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Emit;

/// <summary>
/// Emits a [Network] class's typed persistence, a partial part of its own: <c>Save(path, metadata)</c> and the static
/// <c>Load(path)</c>, which returns a new network of the class. Both are the native model file
/// (<c>SnnDsl.Export.ModelFile</c>, docs/exports.md) and nothing else: same format, same checks, same errors. A
/// declaration with errors gets them too (they then throw, as its shell does), so the code that calls them compiles.
/// </summary>
internal static class PersistenceEmitter
{
    private const string ModelFile = "global::SnnDsl.Export.ModelFile";

    public static string Emit(PersistenceModel model) => SourceFile.Write(model.Type, writer =>
    {
        string type = model.Type.FullyQualifiedName, cref = model.Type.Identifier;
        using (writer.Block($"partial class {model.Type.Identifier}"))
        {
            if (model.Save)
            {
                writer.Line($"/// <summary>Saves this network's weights, sparse patterns, parameters, biases and declaration as a model file, atomically (<see cref=\"{ModelFile}.Save\"/>).</summary>");
                writer.Line("/// <param name=\"path\">The file to create or replace; its folder must exist.</param>");
                writer.Line("/// <param name=\"metadata\">Optional key/value pairs stored with the model (e.g. the data set, the accuracy).</param>");
                writer.Line(SourceFile.GeneratedCode);
                writer.Line("public void Save(string path, global::System.Collections.Generic.IReadOnlyDictionary<string, string>? metadata = null) =>");
                using (writer.Indent()) writer.Line($"{ModelFile}.Save(this, path, metadata);");
            }
            if (model.Save && model.Load) writer.Line();
            if (model.Load)
            {
                writer.Line($"/// <summary>A new <see cref=\"{cref}\"/> with every tensor of a model file saved from this declaration (<see cref=\"{ModelFile}.Load\"/>).</summary>");
                writer.Line("/// <param name=\"path\">The model file.</param>");
                writer.Line("/// <exception cref=\"global::SnnDsl.Export.ModelMismatchException\">The file was saved from a different declaration (every difference is named).</exception>");
                writer.Line("/// <exception cref=\"global::System.IO.FileNotFoundException\">The file does not exist.</exception>");
                writer.Line("/// <exception cref=\"global::SnnDsl.Export.ModelFileException\">Not a model file, truncated, a bad checksum or a newer format version.</exception>");
                writer.Line(SourceFile.GeneratedCode);
                using (writer.Block($"public static {type} Load(string path)"))
                {
                    writer.Line($"{type} network = new {type}();");
                    writer.Line($"{ModelFile}.Load(network, path);");
                    writer.Line("return network;");
                }
            }
        }
    });
}
