// A network that arrives as a NIR graph, compiled into the program: [NirNetwork] reads models/yinyang.nir (listed as an
// AdditionalFiles item in NirImport.csproj) while the project builds, and the generator declares the class from it —
// populations, connections, the same SIMD kernels as a hand-written [Network] — with the trained values behind
// FromNir(). The file is a Yin-Yang classifier (5 → 120 CUBA LIF → 3 leaky readouts) that samples/YinYang trained
// for 40 epochs and exported with NirExporter (test accuracy 95.3 %); a graph written by snnTorch, Norse, Rockpool,
// Sinabs or Spyx imports the same way (docs/exports.md, "NIR import at build time").
// Usage: dotnet run -c Release --project samples/NirImport
using System.Globalization;
using SnnDsl;
using SnnDsl.Data;
using SnnDsl.Samples.NirImport;
using SnnDsl.Training;

ImportedYinYang network = ImportedYinYang.FromNir();
Console.WriteLine($"{nameof(ImportedYinYang)} from models/yinyang.nir: " +
                  string.Join(" → ", ImportedYinYang.Descriptor.Layers.Select(l => $"{l.Name} ({l.Size}{(l.Neuron is { } n ? " " + n.Name : "")})")));

// The imported network classifies the Yin-Yang test set as the trained one did.
Dataset test = YinYang.Test().ToSpikes();
var objective = new ReadoutCrossEntropy(nameof(ImportedYinYang.Readout), TimeReduction.Max);
Evaluation result = new Trainer(network, objective, tensors => new Adam(tensors)).Evaluate(test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy of the imported network: {100 * result.Accuracy:F1}% ({test.Count} points)"));

// Spikes of one test point, step by step, from the generated kernels.
SpikeRaster hidden = network.Simulate(test.Select([0]).Inputs).Spikes(nameof(ImportedYinYang.Hidden));
Console.WriteLine($"hidden spikes of test point 0 over {hidden.Steps} steps: {hidden.Count()}");

namespace SnnDsl.Samples.NirImport
{
    /// <summary>Declared by the generator from the NIR graph: no member is written here.</summary>
    [NirNetwork("models/yinyang.nir")]
    public partial class ImportedYinYang;
}
