using System.Globalization;
using System.Text;

namespace SnnDsl.Data;

/// <summary>
/// SnnDsl's own text format for labelled event recordings, one event per line, UTF-8:
/// <code>
/// # comment lines start with '#'; blank lines are skipped
/// sample,label,time_s,channel
/// 0,3,0.00125,17
/// 0,3,0.0031,4
/// 1,7,,
/// </code>
/// The first line that is neither blank nor a comment is the header, exactly <c>sample,label,time_s,channel</c>.
/// Every other line is one event: <c>sample</c> (integer ≥ 0, the recording it belongs to), <c>label</c> (integer class
/// in [0, classes), the same on every line of a sample), <c>time_s</c> (seconds from the recording's start, a finite
/// decimal ≥ 0 in invariant culture, exponent allowed) and <c>channel</c> (integer in [0, channels)). Samples are
/// numbered 0 … N − 1 without gaps, lines in any order; a sample without events is one line with empty
/// <c>time_s</c> and <c>channel</c>. Within a sample, events keep their line order.
/// </summary>
public static class EventCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "sample,label,time_s,channel";

    private static readonly string[] Columns = Header.Split(',');

    /// <summary>Reads a file in this format.</summary>
    /// <param name="path">The .csv file.</param>
    /// <param name="channels">Number of channels; every channel must lie in [0, channels).</param>
    /// <param name="classes">Number of classes; every label must lie in [0, classes).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file breaks the format; the message names the file, the line and the field.</exception>
    public static LabelledEvents Read(string path, int channels, int classes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (!File.Exists(path)) throw new FileNotFoundException($"Event file '{path}' does not exist.", path);

        var samples = new Dictionary<int, (int Label, List<double> Times, List<int> Channels)>();
        int lineNumber = 0;
        bool headerSeen = false;
        foreach (string raw in File.ReadLines(path, System.Text.Encoding.UTF8))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var error = new LineError(path, lineNumber);
            if (!headerSeen)
            {
                if (!line.Split(',').Select(c => c.Trim()).SequenceEqual(Columns))
                    throw error.At($"expected the header '{Header}' but found '{line}'.");
                headerSeen = true;
                continue;
            }
            string[] fields = line.Split(',');
            if (fields.Length != Columns.Length)
                throw error.At(FormattableString.Invariant($"has {fields.Length} fields; expected {Columns.Length} ({Header})."));

            int sample = error.Integer(fields, 0, 0, int.MaxValue - 1);
            int label = error.Integer(fields, 1, 0, classes - 1);
            if (!samples.TryGetValue(sample, out var events)) samples[sample] = events = (label, [], []);
            else if (events.Label != label)
                throw error.At(FormattableString.Invariant($"field 'label': sample {sample} has label {label} here but {events.Label} on an earlier line."));

            bool noTime = fields[2].Trim().Length == 0, noChannel = fields[3].Trim().Length == 0;
            if (noTime && noChannel) continue;   // a sample without events
            if (noTime || noChannel)
                throw error.At($"field '{(noTime ? "time_s" : "channel")}' is empty; leave both time_s and channel empty only for a sample without events.");
            events.Times.Add(error.Time(fields, 2));
            events.Channels.Add(error.Integer(fields, 3, 0, channels - 1));
        }
        if (!headerSeen) throw new InvalidDataException($"Event file '{path}' has no header line '{Header}'.");
        if (samples.Count == 0) throw new InvalidDataException($"Event file '{path}' holds no sample.");
        int last = samples.Keys.Max();
        if (last != samples.Count - 1)
        {
            int missing = Enumerable.Range(0, last).First(k => !samples.ContainsKey(k));
            throw new InvalidDataException(FormattableString.Invariant(
                $"Event file '{path}' has no line for sample {missing} but has samples up to {last}; samples must be numbered 0 … N − 1 (write a line '{missing},<label>,,' for a sample without events)."));
        }

        var streams = new EventStream[samples.Count];
        var labels = new int[samples.Count];
        foreach ((int s, var events) in samples)
        {
            streams[s] = new EventStream(events.Times.ToArray(), events.Channels.ToArray(), channels);
            labels[s] = events.Label;
        }
        return new LabelledEvents(streams, labels, classes);
    }

    /// <summary>Writes <paramref name="data"/> in this format (atomically: see <see cref="AtomicFile"/>); times round-trip exactly.</summary>
    public static void Write(string path, LabelledEvents data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Samples.Count != data.Labels.Length)
            throw new ArgumentException(FormattableString.Invariant($"{data.Samples.Count} samples but {data.Labels.Length} labels."), nameof(data));
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            writer.WriteLine(Header);
            for (int s = 0; s < data.Samples.Count; s++)
            {
                EventStream events = data.Samples[s];
                string prefix = string.Create(CultureInfo.InvariantCulture, $"{s},{data.Labels[s]},");
                if (events.Count == 0) writer.WriteLine(prefix + ",");
                for (int k = 0; k < events.Count; k++)
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix}{events.Times[k]:R},{events.Channels[k]}"));
            }
        });
    }

    private readonly struct LineError(string path, int line)
    {
        public InvalidDataException At(string problem) => new($"Event file '{path}', line {line}: {problem}");

        public int Integer(string[] fields, int column, int min, int max)
        {
            string text = fields[column].Trim();
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
                throw At($"field '{Columns[column]}' is '{text}', not an integer.");
            if (value < min || value > max)
                throw At(FormattableString.Invariant($"field '{Columns[column]}' is {value}, outside [{min}, {max}]."));
            return value;
        }

        public double Time(string[] fields, int column)
        {
            string text = fields[column].Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw At($"field '{Columns[column]}' is '{text}', not a finite number of seconds.");
            if (value < 0) throw At($"field '{Columns[column]}' is {text}; times must be ≥ 0 s.");
            return value;
        }
    }
}
