using System.Text;
using QuickStart;
using ScottPlot;
using SnnDsl;

const int Samples = 4, Steps = 100;
string pngPath = args.Length > 0 ? args[0] : "raster.png";

var network = new QuickStartNetwork();
network.InitializeWeights(seed: 1, scale: 3f);

// Rate-coded input: sample k drives its own band of 10 channels at 25 % per step, the rest at 2 % (background).
var input = new SpikeRaster(Samples, Steps, network.In.Size);
var random = new Random(2);
for (int b = 0; b < Samples; b++)
    for (int t = 0; t < Steps; t++)
        for (int c = 0; c < network.In.Size; c++)
            input[b, t, c] = random.NextDouble() < (c / 10 == b ? 0.25 : 0.02);

SimulationResult result = network.Simulate(input);
SpikeRaster hidden = result.Spikes("Hidden");
StateRecording readout = result.States("Out", "U");

Console.WriteLine($"SnnDsl QuickStart: {Samples} samples × {Steps} steps, SIMD width {SpikeOps.ActiveSimdWidth}");
Console.WriteLine();
Console.WriteLine("Spikes        count   per neuron per step");
PrintSpikes("In", input);
PrintSpikes("Hidden", hidden);
Console.WriteLine();
Console.WriteLine("Readout membrane, max over time (per output neuron):");
for (int b = 0; b < Samples; b++)
{
    var max = new float[readout.Neurons];
    Array.Fill(max, float.NegativeInfinity);
    for (int t = 0; t < Steps; t++)
    {
        Span<float> u = readout.Row(b, t);
        for (int k = 0; k < max.Length; k++) max[k] = MathF.Max(max[k], u[k]);
    }
    Console.WriteLine($"  sample {b}: [{string.Join(", ", max.Select(m => m.ToString("F3").PadLeft(7)))}]  argmax {Array.IndexOf(max, max.Max())}");
}

Console.WriteLine();
Console.WriteLine($"Hidden raster of sample 0 (rows = neurons, columns = steps 0–{Steps - 1}, '|' = spike):");
for (int i = 0; i < hidden.Neurons; i++)
{
    var row = new StringBuilder($"{i,3} ");
    for (int t = 0; t < Steps; t++) row.Append(hidden[0, t, i] ? '|' : '.');
    Console.WriteLine(row);
}

SaveRasterPng(input, hidden, pngPath);
Console.WriteLine();
Console.WriteLine($"Raster of sample 0 written to {Path.GetFullPath(pngPath)}");

static void PrintSpikes(string layer, SpikeRaster spikes)
{
    long count = spikes.Count();
    double rate = (double)count / ((long)spikes.Batch * spikes.Steps * spikes.Neurons);
    Console.WriteLine($"  {layer,-8} {count,8}   {rate,8:P2}");
}

// Spike raster of sample 0: input channels at the bottom, hidden neurons above them.
static void SaveRasterPng(SpikeRaster input, SpikeRaster hidden, string path)
{
    var plot = new Plot();
    AddSpikes(plot, input, offset: 0, Colors.Gray, "input");
    AddSpikes(plot, hidden, offset: input.Neurons, Colors.C0, "hidden (RefractoryLif)");
    plot.Title("Spike raster, sample 0");
    plot.XLabel("time step");
    plot.YLabel($"neuron (input 0–{input.Neurons - 1}, hidden {input.Neurons}–{input.Neurons + hidden.Neurons - 1})");
    plot.ShowLegend(Alignment.UpperRight);
    plot.SavePng(path, 900, 550);
}

static void AddSpikes(Plot plot, SpikeRaster spikes, int offset, Color color, string label)
{
    var times = new List<double>();
    var neurons = new List<double>();
    for (int t = 0; t < spikes.Steps; t++)
        for (int i = 0; i < spikes.Neurons; i++)
            if (spikes[0, t, i]) { times.Add(t); neurons.Add(offset + i); }
    var markers = plot.Add.Markers(times.ToArray(), neurons.ToArray(), MarkerShape.VerticalBar, 9, color);
    markers.MarkerStyle.LineWidth = 2;
    markers.LegendText = label;
}
