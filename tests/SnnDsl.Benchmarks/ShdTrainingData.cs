namespace SnnDsl.Benchmarks;

/// <summary>
/// The data of the training-step comparison, shared with the PyTorch peer through .npy files
/// (peer/shd_step.py writes them from its seed): weights [pre, post], input spikes [batch, steps, 700] and the
/// upstream gradient G [batch, steps, 20] of L = Σ G·U_out.
/// </summary>
public sealed class ShdTrainingData
{
    public const string DirectoryVariable = "SNNDSL_SHD_DATA";

    private ShdTrainingData(ShdNetwork network, SpikeRaster input, float[] upstream)
    {
        Network = network;
        Input = input;
        Upstream = upstream;
        _inputs = [input];
        _upstream = new BackwardUpstream().WithState("Out", "U", upstream);
    }

    // What a training loop keeps from step to step: the inputs' list, the loss's upstream gradient (its values change
    // in place), the options, and the forward pass's result, whose buffers the next pass overwrites.
    private readonly SpikeRaster[] _inputs;
    private readonly BackwardUpstream _upstream;
    private SimulationOptions? _forwardOptions;
    private BackwardOptions? _backwardOptions;
    private SimulationResult? _forward;

    public ShdNetwork Network { get; }

    public SpikeRaster Input { get; }

    /// <summary>The data in the folder <see cref="DirectoryVariable"/> names, for the benchmarks that <c>Program.cs training</c> runs.</summary>
    public static ShdTrainingData FromEnvironment() =>
        Load(Environment.GetEnvironmentVariable(DirectoryVariable)
            ?? throw new InvalidOperationException($"Set {DirectoryVariable} to the peer's data folder; run 'dotnet run -c Release --project tests/SnnDsl.Benchmarks -- training'."));

    /// <summary>∂L/∂U_out, [batch, steps, classes].</summary>
    public float[] Upstream { get; }

    public static ShdTrainingData Load(string directory)
    {
        var network = new ShdNetwork();
        Copy(directory, "w_in.npy", network.InToHidden, ShdNetwork.Channels, ShdNetwork.HiddenNeurons);
        Copy(directory, "w_rec.npy", network.HiddenRecurrent, ShdNetwork.HiddenNeurons, ShdNetwork.HiddenNeurons);
        Copy(directory, "w_out.npy", network.HiddenToOut, ShdNetwork.HiddenNeurons, ShdNetwork.Classes);

        (byte[] spikes, int[] shape) = Npy.ReadUInt8(Path.Combine(directory, "spikes.npy"));
        Expect(shape, [ShdWorkload.Batch, ShdWorkload.Steps, ShdNetwork.Channels], "spikes.npy");
        var input = new SpikeRaster(shape[0], shape[1], shape[2]);
        for (int b = 0, k = 0; b < shape[0]; b++)
            for (int t = 0; t < shape[1]; t++)
                for (int i = 0; i < shape[2]; i++, k++)
                    if (spikes[k] != 0) input[b, t, i] = true;

        (float[] upstream, int[] gradShape) = Npy.ReadFloat32(Path.Combine(directory, "grad_out.npy"));
        Expect(gradShape, [ShdWorkload.Batch, ShdWorkload.Steps, ShdNetwork.Classes], "grad_out.npy");
        return new ShdTrainingData(network, input, upstream);
    }

    /// <summary>The forward pass alone, with every state recorded (what the backward pass reads).</summary>
    public SimulationResult Forward(int threads)
    {
        if (_forwardOptions is not { } options || options.MaxDegreeOfParallelism != threads || options.Reuse != _forward)
            _forwardOptions = new SimulationOptions { RecordAllStates = true, MaxDegreeOfParallelism = threads, Reuse = _forward };
        return _forward = Network.Simulate(_inputs, _forwardOptions);
    }

    /// <summary>
    /// One training step: forward with every state recorded, then BPTT of L = Σ G·U_out. Reuses the previous step's
    /// rasters and traces, as a training loop does.
    /// </summary>
    public NetworkGradients Step(int threads, float sparseEpsilon, NetworkGradients? into = null)
    {
        Forward(threads);
        return Backward(threads, sparseEpsilon, into);
    }

    /// <summary>The backward pass of the last <see cref="Forward"/>: BPTT of L = Σ G·U_out.</summary>
    public NetworkGradients Backward(int threads, float sparseEpsilon, NetworkGradients? into = null)
    {
        SimulationResult forward = _forward ?? throw new InvalidOperationException("Backward needs a forward pass first.");
        if (_backwardOptions is not { } options || options.MaxDegreeOfParallelism != threads || options.SparseEpsilon != sparseEpsilon)
            _backwardOptions = new BackwardOptions { SparseEpsilon = sparseEpsilon, MaxDegreeOfParallelism = threads };
        return Network.Backward(_inputs, forward, _upstream, _backwardOptions, into);
    }

    private static void Copy(string directory, string file, DenseSynapses synapses, int pre, int post)
    {
        (float[] values, int[] shape) = Npy.ReadFloat32(Path.Combine(directory, file));
        Expect(shape, [pre, post], file);
        values.CopyTo(synapses.Weights, 0);
    }

    private static void Expect(int[] shape, int[] expected, string file)
    {
        if (!shape.SequenceEqual(expected))
            throw new InvalidDataException($"{file} has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", expected)}].");
    }
}
