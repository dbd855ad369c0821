using System.Globalization;
using System.Numerics;
using PureHDF;
using PureHDF.VOL.Native;

namespace SnnDsl.Data;

/// <summary>
/// Loader of the Spiking Heidelberg Digits (Cramer, Stradmann, Schemmel &amp; Zenke, "The Heidelberg Spiking Data
/// Sets for the Systematic Evaluation of Spiking Neural Networks", IEEE TNNLS 33(7):2744–2757, 2022): one HDF5 file
/// per partition (shd_train.h5, shd_test.h5, after gunzip) with <c>spikes/times</c> (per sample a variable-length
/// sequence of spike times in seconds), <c>spikes/units</c> (the channel of each spike, 0–699) and <c>labels</c>
/// (digit 0–19); <c>extra/</c> (speaker, keys, meta_info) is not read. Read with PureHDF.
/// </summary>
/// <remarks>
/// Binning as SpyTorch tutorial 4 (<c>sparse_data_generator_from_hdf5_spikes</c>): edges e = linspace(0, max_time,
/// T) and a spike at time t goes to step k = <c>np.digitize(t, e)</c>, the number of edges ≤ t. So step k ≥ 1 holds
/// e_{k−1} ≤ t &lt; e_k (width max_time/(T − 1), ≈ 14.1 ms for 1.4 s and 100 steps) and step 0 stays empty.
/// Spikes of one channel that fall into the same step are one bit (SpyTorch's dense tensor would hold their
/// count). Nothing is dropped silently: a unit id outside [0, channels), a negative or NaN time, a label outside
/// [0, classes) or mismatched lengths raise <see cref="InvalidDataException"/> naming the file, the dataset and the
/// sample; a spike at t ≥ max_time raises too unless <c>dropLateSpikes</c> is set. A corrupted or truncated file
/// raises <see cref="InvalidDataException"/> naming the file and the dataset being read, whatever PureHDF threw
/// underneath (kept as the inner exception); tests/SnnDsl.Tests/Reliability corrupts files byte by byte to check it.
/// </remarks>
public static class Shd
{
    /// <summary>Input channels of SHD (bushy-cell outputs of the cochlea model).</summary>
    public const int Channels = 700;

    /// <summary>Classes of SHD: English and German digits 0–9.</summary>
    public const int Classes = 20;

    /// <summary>Time window used by SpyTorch, in seconds.</summary>
    public const double MaxTime = 1.4;

    /// <summary>Number of steps used by SpyTorch.</summary>
    public const int Steps = 100;

    private const string TimesPath = "spikes/times";
    private const string UnitsPath = "spikes/units";
    private const string LabelsPath = "labels";

    /// <summary>Reads an SHD-layout HDF5 file and bins it into a <see cref="Dataset"/> [samples, steps, channels].</summary>
    /// <param name="path">Path of the (uncompressed) .h5 file.</param>
    /// <param name="steps">Number of time steps T (≥ 2; SpyTorch uses 100).</param>
    /// <param name="maxTime">End of the binned window, in seconds (SpyTorch 1.4, stork 0.7).</param>
    /// <param name="channels">Number of input channels; unit ids must lie in [0, channels).</param>
    /// <param name="classes">Number of classes; labels must lie in [0, classes).</param>
    /// <param name="dropLateSpikes">Whether spikes at t ≥ <paramref name="maxTime"/> are dropped instead of raising an error.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not HDF5, lacks a dataset, has a wrong type or shape, or holds out-of-range values.</exception>
    public static Dataset Load(string path, int steps = Steps, double maxTime = MaxTime, int channels = Channels,
        int classes = Classes, bool dropLateSpikes = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        if (!(maxTime > 0) || double.IsPositiveInfinity(maxTime))
            throw new ArgumentOutOfRangeException(nameof(maxTime), maxTime, "The time window must be positive and finite.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (!File.Exists(path))
            throw new FileNotFoundException($"SHD file '{path}' does not exist.", path);

        NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidDataException($"SHD file '{path}' is not a readable HDF5 file: {e.Message} ({e.GetType().Name})", e);
        }
        using (file)
        {
            var reader = new Reader(path, file, new FileInfo(path).Length, steps, maxTime, channels, dropLateSpikes);
            try
            {
                return reader.Load(classes);
            }
            catch (Exception e) when (e is not (InvalidDataException or OperationCanceledException))
            {
                // PureHDF reads structures lazily, so a corrupted or truncated file can fail at any access with any
                // exception (NullReference, Format, NotSupported, ArgumentOutOfRange, Overflow, or OutOfMemory for a
                // size field that went wild): every one is reported as what it is, bad data, naming the field.
                throw reader.Invalid(reader.Field,
                    $"could not be read ({e.GetType().Name}: {e.Message}); the file is corrupted or truncated, or not in the SHD layout.", e);
            }
        }
    }

    private sealed class Reader(string path, NativeFile file, long fileLength, int steps, double maxTime, int channels, bool dropLateSpikes)
    {
        // np.linspace(0, max_time, T): e_j = j·(max_time/(T − 1)), last edge exactly max_time.
        private readonly double[] _edges = Edges(steps, maxTime);

        /// <summary>The dataset being read, for messages.</summary>
        public string Field { get; private set; } = "/";

        public Dataset Load(int classes)
        {
            IH5Dataset times = Require(TimesPath, H5DataTypeClass.VariableLength, H5DataTypeClass.FloatingPoint,
                "variable-length sequences of floating-point spike times (seconds)");
            IH5Dataset units = Require(UnitsPath, H5DataTypeClass.VariableLength, H5DataTypeClass.FixedPoint,
                "variable-length sequences of integer unit ids");
            IH5Dataset labels = Require(LabelsPath, H5DataTypeClass.FixedPoint, null, "integer labels");
            Field = LabelsPath;
            ulong count = labels.Space.Dimensions[0];
            if (count == 0) throw Invalid(LabelsPath, "holds no sample.");
            foreach ((string name, IH5Dataset dataset) in new[] { (TimesPath, times), (UnitsPath, units) })
            {
                Field = name;
                if (dataset.Space.Dimensions[0] != count)
                    throw Invalid(name, FormattableString.Invariant(
                        $"has shape [{dataset.Space.Dimensions[0]}] but '{LabelsPath}' has shape [{count}]; both need one entry per sample."));
            }

            // Every sample takes at least a byte of the file: a larger count is a corrupted size field, rejected before
            // anything is allocated for it.
            if (count > (ulong)fileLength || count > int.MaxValue)
                throw Invalid(LabelsPath, FormattableString.Invariant($"has shape [{count}], more samples than the file's {fileLength} bytes can hold; the file is corrupted."));
            int[] labelValues = ReadLabels(labels, classes);
            SpikeRaster raster = Bin(times, units, labelValues.Length);
            return new Dataset(raster, labelValues, classes);
        }

        public InvalidDataException Invalid(string dataset, string problem, Exception? inner = null) =>
            new($"SHD file '{path}', dataset '{dataset}' {problem}", inner);

        public IH5Dataset Require(string name, H5DataTypeClass type, H5DataTypeClass? baseType, string expected)
        {
            Field = name;
            if (!file.LinkExists(name))
                throw Invalid(name, "is missing (an SHD file holds spikes/times, spikes/units and labels).");
            if (file.Get(name) is not IH5Dataset dataset)
                throw Invalid(name, "is a group, not a dataset.");
            IH5DataType dataType = dataset.Type;
            bool typeMatches = dataType.Class == type && (baseType is null || dataType.VariableLength.BaseType.Class == baseType);
            if (dataset.Space.Type != H5DataspaceType.Simple || dataset.Space.Rank != 1 || !typeMatches)
            {
                string shape = dataset.Space.Type == H5DataspaceType.Simple
                    ? "[" + string.Join(", ", dataset.Space.Dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]"
                    : dataset.Space.Type.ToString();
                string actual = dataType.Class == H5DataTypeClass.VariableLength
                    ? $"variable-length {dataType.VariableLength.BaseType.Class}"
                    : dataType.Class.ToString();
                throw Invalid(name, $"must be a 1-D array of {expected}, but it is {actual} with shape {shape}.");
            }
            return dataset;
        }

        public int[] ReadLabels(IH5Dataset labels, int classes)
        {
            Field = LabelsPath;
            long[] values = ReadLabelValues(labels);
            var result = new int[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] < 0 || values[i] >= classes)
                    throw Invalid(LabelsPath, FormattableString.Invariant($"holds label {values[i]} at sample {i}, outside [0, {classes})."));
                result[i] = (int)values[i];
            }
            return result;
        }

        public SpikeRaster Bin(IH5Dataset times, IH5Dataset units, int count)
        {
            var raster = new SpikeRaster(count, steps, channels);
            Field = TimesPath;
            IH5DataType timeType = times.Type.VariableLength.BaseType;
            switch (timeType.Size)
            {
                case 2: BinWithUnits(Read<Half>(times, TimesPath), units, raster); break;
                case 4: BinWithUnits(Read<float>(times, TimesPath), units, raster); break;
                case 8: BinWithUnits(Read<double>(times, TimesPath), units, raster); break;
                default: throw Invalid(TimesPath, FormattableString.Invariant($"has {timeType.Size}-byte floats; expected 2, 4 or 8 bytes."));
            }
            return raster;
        }

        private void BinWithUnits<TTime>(TTime[][] times, IH5Dataset units, SpikeRaster raster) where TTime : INumberBase<TTime>
        {
            Field = UnitsPath;
            IH5DataType unitType = units.Type.VariableLength.BaseType;
            switch (unitType.Size, unitType.FixedPoint.IsSigned)
            {
                case (1, false): BinSpikes(times, Read<byte>(units, UnitsPath), raster); break;
                case (1, true): BinSpikes(times, Read<sbyte>(units, UnitsPath), raster); break;
                case (2, false): BinSpikes(times, Read<ushort>(units, UnitsPath), raster); break;
                case (2, true): BinSpikes(times, Read<short>(units, UnitsPath), raster); break;
                case (4, false): BinSpikes(times, Read<uint>(units, UnitsPath), raster); break;
                case (4, true): BinSpikes(times, Read<int>(units, UnitsPath), raster); break;
                case (8, false): BinSpikes(times, Read<ulong>(units, UnitsPath), raster); break;
                case (8, true): BinSpikes(times, Read<long>(units, UnitsPath), raster); break;
                default: throw Invalid(UnitsPath, FormattableString.Invariant($"has {unitType.Size}-byte integers; expected 1, 2, 4 or 8 bytes."));
            }
        }

        private void BinSpikes<TTime, TUnit>(TTime[][] times, TUnit[][] units, SpikeRaster raster)
            where TTime : INumberBase<TTime> where TUnit : IBinaryInteger<TUnit>
        {
            for (int sample = 0; sample < times.Length; sample++)
            {
                TTime[] sampleTimes = times[sample];
                TUnit[] sampleUnits = units[sample];
                if (sampleTimes.Length != sampleUnits.Length)
                    throw Invalid(UnitsPath, FormattableString.Invariant(
                        $"has {sampleUnits.Length} unit ids at sample {sample} but '{TimesPath}' has {sampleTimes.Length} times."));
                for (int spike = 0; spike < sampleTimes.Length; spike++)
                {
                    double t = double.CreateTruncating(sampleTimes[spike]);
                    long unit = long.CreateSaturating(sampleUnits[spike]);
                    if (unit < 0 || unit >= channels)
                        throw Invalid(UnitsPath, FormattableString.Invariant(
                            $"holds unit id {unit} at sample {sample}, spike {spike}, outside [0, {channels})."));
                    if (!(t >= 0))
                        throw Invalid(TimesPath, FormattableString.Invariant($"holds time {t} s at sample {sample}, spike {spike}; times must be ≥ 0."));
                    // k = np.digitize(t, edges): the number of edges ≤ t.
                    int found = Array.BinarySearch(_edges, t);
                    int step = found >= 0 ? found + 1 : ~found;
                    if (step >= steps)
                    {
                        if (dropLateSpikes) continue;
                        throw Invalid(TimesPath, FormattableString.Invariant(
                            $"holds time {t} s at sample {sample}, spike {spike}, at or after max_time = {maxTime} s; pass dropLateSpikes: true to drop such spikes or widen maxTime."));
                    }
                    raster[sample, step, (int)unit] = true;
                }
            }
        }

        private T[][] Read<T>(IH5Dataset dataset, string name)
        {
            Field = name;
            try
            {
                return dataset.Read<T[][]>();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Invalid(name, $"could not be read ({e.GetType().Name}: {e.Message}); the file is corrupted or truncated.", e);
            }
        }

        private long[] ReadLabelValues(IH5Dataset dataset)
        {
            IH5DataType type = dataset.Type;
            try
            {
                return (type.Size, type.FixedPoint.IsSigned) switch
                {
                    (1, false) => Widen(dataset.Read<byte[]>()),
                    (1, true) => Widen(dataset.Read<sbyte[]>()),
                    (2, false) => Widen(dataset.Read<ushort[]>()),
                    (2, true) => Widen(dataset.Read<short[]>()),
                    (4, false) => Widen(dataset.Read<uint[]>()),
                    (4, true) => Widen(dataset.Read<int[]>()),
                    (8, false) => Widen(dataset.Read<ulong[]>()),
                    (8, true) => dataset.Read<long[]>(),
                    _ => throw Invalid(LabelsPath, FormattableString.Invariant($"has {type.Size}-byte integers; expected 1, 2, 4 or 8 bytes.")),
                };
            }
            catch (Exception e) when (e is not (OperationCanceledException or InvalidDataException))
            {
                throw Invalid(LabelsPath, $"could not be read ({e.GetType().Name}: {e.Message}); the file is corrupted or truncated.", e);
            }
        }

        private static long[] Widen<T>(T[] values) where T : IBinaryInteger<T> =>
            Array.ConvertAll(values, long.CreateSaturating);

        private static double[] Edges(int steps, double maxTime)
        {
            double width = maxTime / (steps - 1);
            var edges = new double[steps];
            for (int j = 0; j < steps; j++) edges[j] = j * width + 0.0;
            edges[steps - 1] = maxTime;
            return edges;
        }
    }
}
