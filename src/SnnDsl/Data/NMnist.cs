using System.Globalization;

namespace SnnDsl.Data;

/// <summary>One event of an event camera: pixel (x, y), polarity (on = brighter) and time in microseconds.</summary>
/// <param name="X">Column, 0-based.</param>
/// <param name="Y">Row, 0-based.</param>
/// <param name="On">Polarity: true for an ON (brightness increase) event.</param>
/// <param name="Microseconds">Timestamp in µs from the start of the recording.</param>
public readonly record struct DvsEvent(int X, int Y, bool On, long Microseconds);

/// <summary>
/// Reader of N-MNIST (Orchard, Jayawant, Cohen &amp; Thakor, "Converting Static Image Datasets to Spiking
/// Neuromorphic Datasets Using Saccades", Front. Neurosci. 9:437, 2015) and other recordings in its binary format
/// (N-Caltech101 uses the same). A .bin file is a list of 40-bit events, 5 bytes each, most significant first:
/// byte 0 = x (bits 39–32), byte 1 = y (bits 31–24), bit 7 of byte 2 = polarity (bit 23; 1 = ON), and the remaining
/// 23 bits (bits 22–0: byte 2 &amp; 0x7F, byte 3, byte 4) = timestamp in µs. This is the layout the N-MNIST readme
/// gives and the one Tonic's reader decodes (<c>tonic/io.py</c> <c>read_mnist_file</c>:
/// <c>ts = ((b2 &amp; 127) &lt;&lt; 16) | (b3 &lt;&lt; 8) | b4</c>, <c>p = (b2 &amp; 128) &gt;&gt; 7</c>). An event with y = 240 is a
/// timestamp-overflow marker, not a spike: as Tonic (after Orchard's event-Python reader) it adds 2¹³ µs to every
/// later timestamp. The published N-MNIST files (≈ 300 ms each, below the 2²³ µs ≈ 8.4 s range) hold no marker.
/// </summary>
/// <remarks>
/// The published data: <c>Train/</c> and <c>Test/</c> folders with one sub-folder per digit, <c>0</c> … <c>9</c>, each
/// holding <c>NNNNN.bin</c> files (60,000 and 10,000 recordings of the 28 × 28 digits on a 34 × 34 sensor, three
/// saccades of ≈ 100 ms). Channels are numbered as Tonic's <c>ToFrame</c> lays out a frame [P, H, W] flattened in C
/// order: channel = (p·H + y)·W + x, p = 1 for ON, so 2 × 34 × 34 = 2,312 input channels.
/// </remarks>
public static class NMnist
{
    /// <summary>Sensor width of N-MNIST, in pixels.</summary>
    public const int Width = 34;

    /// <summary>Sensor height of N-MNIST, in pixels.</summary>
    public const int Height = 34;

    /// <summary>Input channels of N-MNIST: 2 polarities × 34 × 34 pixels.</summary>
    public const int Channels = 2 * Width * Height;

    /// <summary>Classes: the digits 0–9.</summary>
    public const int Classes = 10;

    private const int EventBytes = 5;
    private const int OverflowMarkerY = 240;
    private const long OverflowIncrement = 1L << 13;   // Tonic's and event-Python's time_increment

    /// <summary>Decodes every event of one .bin file, overflow markers applied and removed.</summary>
    /// <param name="path">The file.</param>
    /// <param name="width">Sensor width; x must be below it.</param>
    /// <param name="height">Sensor height; y must be below it (or be the overflow marker 240).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The length is not a multiple of 5 bytes, or an event lies outside the sensor (the message names the file, the event's byte offset and the field).</exception>
    public static DvsEvent[] ReadEvents(string path, int width = Width, int height = Height)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (!File.Exists(path)) throw new FileNotFoundException($"Event file '{path}' does not exist.", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length % EventBytes != 0)
        {
            int lastOffset = bytes.Length - bytes.Length % EventBytes;
            throw new InvalidDataException(FormattableString.Invariant(
                $"Event file '{path}' has {bytes.Length} bytes, not a whole number of 5-byte events: the event at byte offset {lastOffset} is cut off after {bytes.Length - lastOffset} bytes."));
        }

        var events = new List<DvsEvent>(bytes.Length / EventBytes);
        long overflow = 0;
        for (int offset = 0; offset < bytes.Length; offset += EventBytes)
        {
            // 40-bit event, big-endian: x[39:32] y[31:24] p[23] t[22:0].
            int x = bytes[offset], y = bytes[offset + 1];
            bool on = (bytes[offset + 2] & 0x80) != 0;
            long time = (bytes[offset + 2] & 0x7F) << 16 | bytes[offset + 3] << 8 | bytes[offset + 4];
            if (y == OverflowMarkerY)
            {
                overflow += OverflowIncrement;
                continue;
            }
            if (x >= width) throw OutsideSensor(path, offset, "x", x, width, "wide");
            if (y >= height) throw OutsideSensor(path, offset, "y", y, height, "high");
            events.Add(new DvsEvent(x, y, on, time + overflow));
        }
        return events.ToArray();
    }

    /// <summary>One recording as an <see cref="EventStream"/>: channel (p·H + y)·W + x, time in seconds.</summary>
    public static EventStream ReadSample(string path, int width = Width, int height = Height)
    {
        DvsEvent[] events = ReadEvents(path, width, height);
        var times = new double[events.Length];
        var channels = new int[events.Length];
        for (int k = 0; k < events.Length; k++)
        {
            DvsEvent e = events[k];
            times[k] = e.Microseconds / 1e6;   // correctly rounded: 400000 µs is 0.4 s exactly as printed
            channels[k] = ((e.On ? 1 : 0) * height + e.Y) * width + e.X;
        }
        return new EventStream(times, channels, 2 * width * height);
    }

    /// <summary>
    /// Reads a partition folder laid out as the published data (<c>Train/</c> or <c>Test/</c>): sub-folders
    /// <c>0</c> … <c>9</c> give the labels, their <c>*.bin</c> files the samples, in ordinal file-name order.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">It holds no digit sub-folder with .bin files, or a file is malformed.</exception>
    public static LabelledEvents ReadFolder(string directory, int width = Width, int height = Height)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"N-MNIST folder '{directory}' does not exist (expected the Train/ or Test/ folder of the published data).");
        var samples = new List<EventStream>();
        var labels = new List<int>();
        for (int digit = 0; digit < Classes; digit++)
        {
            string folder = Path.Combine(directory, digit.ToString(CultureInfo.InvariantCulture));
            if (!Directory.Exists(folder)) continue;
            string[] files = Directory.GetFiles(folder, "*.bin");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (string file in files)
            {
                samples.Add(ReadSample(file, width, height));
                labels.Add(digit);
            }
        }
        if (samples.Count == 0)
            throw new InvalidDataException($"N-MNIST folder '{directory}' has no .bin file in sub-folders 0 … 9.");
        return new LabelledEvents(samples, labels.ToArray(), Classes);
    }

    /// <summary>
    /// <see cref="ReadFolder"/> binned into a <see cref="Dataset"/> [samples, steps, 2,312] with bins of
    /// <paramref name="timeStep"/> seconds from t = 0 (see <see cref="Encoding.EventBinning"/>); events after the window
    /// are dropped when <paramref name="dropLateEvents"/>, else they raise an error.
    /// </summary>
    public static Dataset Load(string directory, double timeStep, int steps, bool dropLateEvents = false) =>
        ReadFolder(directory).ToDataset(timeStep, steps, start: 0, dropLateEvents);

    private static InvalidDataException OutsideSensor(string path, int offset, string field, int value, int size, string extent) =>
        new(FormattableString.Invariant(
            $"Event file '{path}', event {offset / EventBytes} at byte offset {offset}: {field} = {value} lies outside the sensor ({size} pixels {extent})."));
}
