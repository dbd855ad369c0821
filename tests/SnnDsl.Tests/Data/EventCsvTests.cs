using SnnDsl.Data;

namespace SnnDsl.Tests.Data;

public class EventCsvTests
{
    private static string Write(TempFolder folder, params string[] lines)
    {
        string path = folder.File("events.csv");
        File.WriteAllText(path, string.Join("\n", lines));
        return path;
    }

    [Fact]
    public void A_documented_file_reads_into_samples_labels_and_events()
    {
        using var folder = new TempFolder();
        string path = Write(folder, "# two recordings", "sample,label,time_s,channel", "0,3,0.00125,17", "", "1,7,,", "0,3,3.1e-3,4");
        LabelledEvents data = EventCsv.Read(path, channels: 20, classes: 10);
        Assert.Equal([3, 7], data.Labels);
        Assert.Equal([0.00125, 0.0031], data.Samples[0].Times);
        Assert.Equal([17, 4], data.Samples[0].Channels);
        Assert.Equal(0, data.Samples[1].Count);
        Dataset binned = data.ToDataset(timeStep: 1e-3, steps: 5);
        Assert.True(binned.Inputs[0, 1, 17]);
        Assert.True(binned.Inputs[0, 3, 4]);
        Assert.Equal(2, binned.Inputs.Count());
    }

    [Fact]
    public void Writing_then_reading_round_trips_exactly_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        var data = new LabelledEvents(
            [new EventStream([0.1, 1.0 / 3, 2.5e-7], [0, 2, 1], 3), new EventStream([], [], 3)], [1, 0], 2);
        string path = folder.File("out.csv");
        EventCsv.Write(path, data);
        EventCsv.Write(path, data);   // replaces the file
        LabelledEvents read = EventCsv.Read(path, 3, 2);
        Assert.Equal(data.Labels, read.Labels);
        Assert.Equal(data.Samples[0].Times, read.Samples[0].Times);
        Assert.Equal(data.Samples[0].Channels, read.Samples[0].Channels);
        Assert.Equal(0, read.Samples[1].Count);
        Assert.Equal(["out.csv"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        Assert.StartsWith(EventCsv.Header + "\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("line 1: expected the header 'sample,label,time_s,channel' but found 'time,channel'", "time,channel", "0,1,0.1,2")]
    [InlineData("line 2: has 3 fields; expected 4", "sample,label,time_s,channel", "0,1,0.1")]
    [InlineData("line 2: field 'time_s' is 'abc', not a finite number of seconds.", "sample,label,time_s,channel", "0,1,abc,2")]
    [InlineData("line 2: field 'time_s' is -0.5; times must be ≥ 0 s.", "sample,label,time_s,channel", "0,1,-0.5,2")]
    [InlineData("line 2: field 'channel' is 20, outside [0, 19].", "sample,label,time_s,channel", "0,1,0.5,20")]
    [InlineData("line 2: field 'label' is 10, outside [0, 9].", "sample,label,time_s,channel", "0,10,0.5,2")]
    [InlineData("line 2: field 'sample' is 'x', not an integer.", "sample,label,time_s,channel", "x,1,0.5,2")]
    [InlineData("line 3: field 'label': sample 0 has label 2 here but 1 on an earlier line.", "sample,label,time_s,channel", "0,1,0.5,2", "0,2,0.6,2")]
    [InlineData("line 2: field 'channel' is empty", "sample,label,time_s,channel", "0,1,0.5,")]
    [InlineData("has no line for sample 1 but has samples up to 2", "sample,label,time_s,channel", "0,1,0.5,2", "2,1,0.5,2")]
    [InlineData("has no header line", "# only a comment")]
    [InlineData("holds no sample", "sample,label,time_s,channel")]
    public void Malformed_files_name_the_file_the_line_and_the_field(string expected, params string[] lines)
    {
        using var folder = new TempFolder();
        string path = Write(folder, lines);
        var e = Assert.Throws<InvalidDataException>(() => EventCsv.Read(path, channels: 20, classes: 10));
        Assert.Contains("events.csv", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
