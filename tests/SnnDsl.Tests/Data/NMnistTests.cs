using SnnDsl.Data;

namespace SnnDsl.Tests.Data;

public class NMnistTests
{
    // The published 40-bit layout: x[39:32] y[31:24] p[23] t[22:0], most significant byte first.
    private static byte[] Encode(params (int X, int Y, int P, int T)[] events) =>
        events.SelectMany(e => new[] { (byte)e.X, (byte)e.Y, (byte)(e.P << 7 | (e.T >> 16 & 0x7F)), (byte)(e.T >> 8), (byte)e.T }).ToArray();

    [Fact]
    public void Events_decode_from_the_40_bit_layout()
    {
        using var folder = new TempFolder();
        string path = folder.File("00001.bin");
        File.WriteAllBytes(path, Encode((0, 0, 0, 0), (33, 12, 1, 0x7FFFFF), (5, 33, 0, 0x012345)));
        Assert.Equal([new DvsEvent(0, 0, false, 0), new DvsEvent(33, 12, true, 8388607), new DvsEvent(5, 33, false, 0x012345)], NMnist.ReadEvents(path));
        // Byte 2 = 0x81 is polarity 1 with timestamp bits 22–16 = 1: t = 65536 + 2·256 + 3.
        File.WriteAllBytes(path, [7, 8, 0x81, 2, 3]);
        Assert.Equal(new DvsEvent(7, 8, true, 65536 + 515), NMnist.ReadEvents(path).Single());
    }

    [Fact]
    public void An_overflow_marker_adds_2_to_the_13_microseconds_to_later_events_as_tonic()
    {
        using var folder = new TempFolder();
        string path = folder.File("x.bin");
        File.WriteAllBytes(path, Encode((1, 1, 1, 100), (0, 240, 0, 0), (2, 2, 0, 50), (0, 240, 0, 0), (3, 3, 1, 10)));
        Assert.Equal([new DvsEvent(1, 1, true, 100), new DvsEvent(2, 2, false, 8192 + 50), new DvsEvent(3, 3, true, 16384 + 10)], NMnist.ReadEvents(path));
    }

    [Fact]
    public void A_sample_numbers_channels_polarity_then_row_then_column_with_times_in_seconds()
    {
        using var folder = new TempFolder();
        string path = folder.File("s.bin");
        File.WriteAllBytes(path, Encode((3, 2, 0, 1500), (3, 2, 1, 2500), (33, 33, 1, 0)));
        EventStream events = NMnist.ReadSample(path);
        Assert.Equal(NMnist.Channels, events.ChannelCount);
        Assert.Equal([2 * 34 + 3, 34 * 34 + 2 * 34 + 3, 2 * 34 * 34 - 1], events.Channels);
        Assert.Equal([0.0015, 0.0025, 0.0], events.Times);
    }

    [Fact]
    public void Malformed_files_name_the_file_the_byte_offset_and_the_field()
    {
        using var folder = new TempFolder();
        string truncated = folder.File("truncated.bin");
        File.WriteAllBytes(truncated, [.. Encode((1, 1, 0, 5)), 1, 2]);
        var e = Assert.Throws<InvalidDataException>(() => NMnist.ReadEvents(truncated));
        Assert.Contains("truncated.bin", e.Message);
        Assert.Contains("7 bytes", e.Message);
        Assert.Contains("byte offset 5 is cut off after 2 bytes", e.Message);

        string outside = folder.File("outside.bin");
        File.WriteAllBytes(outside, Encode((1, 1, 0, 5), (1, 1, 0, 6), (34, 1, 0, 7)));
        e = Assert.Throws<InvalidDataException>(() => NMnist.ReadEvents(outside));
        Assert.Contains("outside.bin', event 2 at byte offset 10: x = 34 lies outside the sensor (34 pixels wide)", e.Message);
        File.WriteAllBytes(outside, Encode((1, 200, 0, 5)));
        Assert.Contains("y = 200", Assert.Throws<InvalidDataException>(() => NMnist.ReadEvents(outside)).Message);
        Assert.Throws<FileNotFoundException>(() => NMnist.ReadEvents(folder.File("missing.bin")));
    }

    [Fact]
    public void A_partition_folder_gives_labels_from_the_digit_folders_and_bins_into_a_dataset()
    {
        using var folder = new TempFolder();
        foreach ((int digit, string name, int x) in new[] { (3, "00002.bin", 4), (3, "00001.bin", 5), (7, "00001.bin", 6) })
        {
            Directory.CreateDirectory(Path.Combine(folder.Path, digit.ToString()));
            File.WriteAllBytes(Path.Combine(folder.Path, digit.ToString(), name), Encode((x, 0, 1, 2500), (x, 0, 1, 400_000)));
        }
        Directory.CreateDirectory(Path.Combine(folder.Path, "notes"));
        LabelledEvents events = NMnist.ReadFolder(folder.Path);
        Assert.Equal([3, 3, 7], events.Labels);
        Assert.Equal(34 * 34 + 5, events.Samples[0].Channels[0]);   // 00001.bin before 00002.bin
        Dataset data = NMnist.Load(folder.Path, timeStep: 1e-3, steps: 300, dropLateEvents: true);
        Assert.Equal(3, data.Count);
        Assert.Equal(3, data.Inputs.Count());                          // the 400 ms events fall after 300 steps of 1 ms
        Assert.True(data.Inputs[2, 2, 34 * 34 + 6]);
        Assert.Contains("event 1 at 0.4 s", Assert.Throws<ArgumentException>(() => NMnist.Load(folder.Path, 1e-3, 300)).Message);

        using var empty = new TempFolder();
        Assert.Contains("no .bin file", Assert.Throws<InvalidDataException>(() => NMnist.ReadFolder(empty.Path)).Message);
    }
}
