using PureHDF;
using SnnDsl.Data;

namespace SnnDsl.Tests.Data;

/// <summary>
/// SHD-layout files written with PureHDF into a temporary folder. Expected steps are np.digitize(t, np.linspace(0,
/// max_time, T)) computed with numpy 1.24, as SpyTorch's loader does.
/// </summary>
public sealed class ShdTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("snndsl-shd-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void LoadsSpikesAndLabelsBinnedLikeSpyTorch()
    {
        string path = Write("shd_like.h5", Shd(
            times: [[0.0f, 0.0141f, 0.0142f, 0.7f], [1.39f, 1.3999f]],
            units: [[0, 1, 2, 699], [350, 0]],
            labels: [19, 3]));

        Dataset data = SnnDsl.Data.Shd.Load(path);

        Assert.Equal((2, 100, 700, 20), (data.Count, data.Inputs.Steps, data.Inputs.Neurons, data.Classes));
        Assert.Equal(new[] { 19, 3 }, data.Labels);
        // digitize → 1, 1, 2, 50 for sample 0 and 99, 99 for sample 1; step 0 is never used.
        Assert.Equal(At((1, 0), (1, 1), (2, 2), (50, 699)), Spikes(data, 0));
        Assert.Equal(At((99, 0), (99, 350)), Spikes(data, 1));
    }

    [Fact]
    public void HalfPrecisionTimesOnBinEdgesGoToTheLaterStep()
    {
        // Edges linspace(0, 1, 5) = 0, 0.25, 0.5, 0.75, 1: a time on an edge opens the next bin (bins[k−1] ≤ t < bins[k]).
        string path = Write("half.h5", Shd(
            times: [[(Half)0.0f, (Half)0.2499f, (Half)0.25f, (Half)0.5f, (Half)0.75f, (Half)0.999f]],
            units: [[0, 1, 2, 3, 4, 5]],
            labels: [0]));

        Dataset data = SnnDsl.Data.Shd.Load(path, steps: 5, maxTime: 1.0, channels: 6);

        Assert.Equal(At((1, 0), (1, 1), (2, 2), (3, 3), (4, 4), (4, 5)), Spikes(data, 0));
    }

    [Fact]
    public void CoincidentSpikesOfOneChannelAreOneBit()
    {
        // Other element types than SHD's: float64 times, int32 units, int64 labels.
        string path = Write("double.h5", new H5File
        {
            ["spikes"] = new H5Group { ["times"] = new double[][] { [0.100, 0.101, 0.5] }, ["units"] = new int[][] { [7, 7, 7] } },
            ["labels"] = new long[] { 5 },
        });

        Dataset data = SnnDsl.Data.Shd.Load(path);

        Assert.Equal(At((8, 7), (36, 7)), Spikes(data, 0));
    }

    [Fact]
    public void LateSpikesRaiseUnlessDropped()
    {
        string path = Write("late.h5", Shd(times: [[0.1f, 1.5f]], units: [[1, 2]], labels: [0]));

        var error = Assert.Throws<InvalidDataException>(() => SnnDsl.Data.Shd.Load(path));
        Assert.Equal($"SHD file '{path}', dataset 'spikes/times' holds time 1.5 s at sample 0, spike 1, at or after " +
            "max_time = 1.4 s; pass dropLateSpikes: true to drop such spikes or widen maxTime.", error.Message);
        Assert.Equal(At((8, 1)), Spikes(SnnDsl.Data.Shd.Load(path, dropLateSpikes: true), 0));
        // A wider window keeps it: linspace(0, 1.6, 101) → 1.5 s in step 94.
        Assert.Equal(At((7, 1), (94, 2)), Spikes(SnnDsl.Data.Shd.Load(path, steps: 101, maxTime: 1.6), 0));
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        string path = Path.Combine(_folder.FullName, "shd_train.h5");
        var error = Assert.Throws<FileNotFoundException>(() => SnnDsl.Data.Shd.Load(path));
        Assert.Equal($"SHD file '{path}' does not exist.", error.Message);
    }

    [Fact]
    public void NonHdf5FileIsNamed()
    {
        string path = Path.Combine(_folder.FullName, "shd_train.h5.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
        var error = Assert.Throws<InvalidDataException>(() => SnnDsl.Data.Shd.Load(path));
        Assert.StartsWith($"SHD file '{path}' is not a readable HDF5 file: ", error.Message);
    }

    [Fact]
    public void MissingDatasetIsNamed()
    {
        string path = Write("no_units.h5", new H5File
        {
            ["spikes"] = new H5Group { ["times"] = new float[][] { [0.1f] } },
            ["labels"] = new ushort[] { 0 },
        });
        var error = Assert.Throws<InvalidDataException>(() => SnnDsl.Data.Shd.Load(path));
        Assert.Equal($"SHD file '{path}', dataset 'spikes/units' is missing (an SHD file holds spikes/times, spikes/units and labels).", error.Message);
    }

    [Fact]
    public void MalformedTimesNameTheTypeAndShape()
    {
        // Times stored as a dense 2-D float array instead of one variable-length sequence per sample.
        string path = Write("dense_times.h5", new H5File
        {
            ["spikes"] = new H5Group { ["times"] = new float[2, 3], ["units"] = new ushort[][] { [1], [2] } },
            ["labels"] = new ushort[] { 0, 1 },
        });
        var error = Assert.Throws<InvalidDataException>(() => SnnDsl.Data.Shd.Load(path));
        Assert.Equal($"SHD file '{path}', dataset 'spikes/times' must be a 1-D array of variable-length sequences of " +
            "floating-point spike times (seconds), but it is FloatingPoint with shape [2, 3].", error.Message);
    }

    [Fact]
    public void MismatchedSampleCountsNameBothShapes()
    {
        string path = Write("short_units.h5", Shd(times: [[0.1f], [0.2f]], units: [[1]], labels: [0, 1]));
        var error = Assert.Throws<InvalidDataException>(() => SnnDsl.Data.Shd.Load(path));
        Assert.Equal($"SHD file '{path}', dataset 'spikes/units' has shape [1] but 'labels' has shape [2]; both need one entry per sample.", error.Message);
    }

    [Fact]
    public void MismatchedSpikeCountsNameTheSample()
    {
        string path = Write("ragged.h5", Shd(times: [[0.1f], [0.2f, 0.3f]], units: [[1], [2]], labels: [0, 1]));
        var error = Assert.Throws<InvalidDataException>(() => SnnDsl.Data.Shd.Load(path));
        Assert.Equal($"SHD file '{path}', dataset 'spikes/units' has 1 unit ids at sample 1 but 'spikes/times' has 2 times.", error.Message);
    }

    [Fact]
    public void OutOfRangeUnitIdRaises()
    {
        string path = Write("unit700.h5", Shd(times: [[0.1f, 0.2f]], units: [[699, 700]], labels: [0]));
        var error = Assert.Throws<InvalidDataException>(() => SnnDsl.Data.Shd.Load(path));
        Assert.Equal($"SHD file '{path}', dataset 'spikes/units' holds unit id 700 at sample 0, spike 1, outside [0, 700).", error.Message);
    }

    [Fact]
    public void OutOfRangeLabelAndNegativeTimeRaise()
    {
        string labelPath = Write("label20.h5", Shd(times: [[0.1f]], units: [[1]], labels: [20]));
        Assert.Equal($"SHD file '{labelPath}', dataset 'labels' holds label 20 at sample 0, outside [0, 20).",
            Assert.Throws<InvalidDataException>(() => SnnDsl.Data.Shd.Load(labelPath)).Message);
        string timePath = Write("negative.h5", Shd(times: [[-0.5f]], units: [[1]], labels: [0]));
        Assert.Equal($"SHD file '{timePath}', dataset 'spikes/times' holds time -0.5 s at sample 0, spike 0; times must be ≥ 0.",
            Assert.Throws<InvalidDataException>(() => SnnDsl.Data.Shd.Load(timePath)).Message);
    }

    // The SHD layout: spikes/{times, units} ragged, uint16 units and labels, extra/{speaker, keys} (not read by the loader).
    private static H5File Shd<TTime>(TTime[][] times, ushort[][] units, ushort[] labels) => new()
    {
        ["spikes"] = new H5Group { ["times"] = times, ["units"] = units },
        ["labels"] = labels,
        ["extra"] = new H5Group
        {
            ["speaker"] = Enumerable.Repeat((ushort)4, labels.Length).ToArray(),
            ["keys"] = new[] { "zero", "one", "two" },
        },
    };

    private string Write(string name, H5File file)
    {
        string path = Path.Combine(_folder.FullName, name);
        file.Write(path);
        return path;
    }

    private static (int Step, int Unit)[] At(params (int Step, int Unit)[] spikes) => spikes;

    private static (int Step, int Unit)[] Spikes(Dataset data, int sample) =>
        (from t in Enumerable.Range(0, data.Inputs.Steps)
         from u in Enumerable.Range(0, data.Inputs.Neurons)
         where data.Inputs[sample, t, u]
         select (t, u)).ToArray();
}
