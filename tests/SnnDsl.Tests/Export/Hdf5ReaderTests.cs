using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;
using SnnDsl.Export.Hdf5;
using SnnDsl.Export.Nir;
using SnnDsl.Tests.Data;

namespace SnnDsl.Tests.Export;

/// <summary>
/// The small HDF5 reader the generator uses (src/SnnDsl/Export/Hdf5) against PureHDF as the oracle: every group, link
/// order, dataset (shape, type, values) and attribute of the NIR fixtures and of files PureHDF writes (NIR exports,
/// many chunks, fixed-array and implicit chunk indices, shuffle, attributes) read identically; truncated or corrupted bytes give an
/// <see cref="Hdf5Exception"/>, never another exception.
/// </summary>
public class Hdf5ReaderTests
{
    public static TheoryData<string> Fixtures() => new()
    {
        "lif_norse.nir", "lif_rockpool.nir", "cnn_sinabs.nir", "braille_noDelay_bias_zero.nir", "braille_noDelay_bias_zero_subgraph.nir",
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_fixture_reads_as_PureHDF_reads_it(string name)
    {
        string path = NirTests.Fixture(name);
        int datasets = AssertSameAsPureHdf(path);
        Assert.True(datasets > 10, $"{name}: only {datasets} datasets compared");
    }

    [Fact]
    public void NIR_exports_read_as_PureHDF_reads_them()
    {
        using var folder = new TempFolder();
        string recurrent = folder.File("recurrent.nir");
        NirExporter.Write(NirTests.Trained(), recurrent);
        var conv = new NirConvNet();
        conv.InitializeWeights(seed: 5, scale: 4f);
        string convolution = folder.File("conv.nir");
        NirExporter.Write(conv, convolution);
        string braille = folder.File("braille.nir");                       // a foreign graph written back with gzip chunks
        NirFile.Write(braille, NirFile.Read(NirTests.Fixture("braille_noDelay_bias_zero.nir")));
        foreach (string file in new[] { recurrent, convolution, braille })
            Assert.True(AssertSameAsPureHdf(file) > 20, file);
        Assert.True(Hdf5File.Open(File.ReadAllBytes(recurrent), recurrent).Root.Get("node") is Hdf5Group);
    }

    [Fact]
    public void Many_chunks_chunk_indices_shuffle_and_attributes_read_as_PureHDF_reads_them()
    {
        using var folder = new TempFolder();
        var random = new Random(4);
        float[,] wide = new float[300, 7];
        for (int i = 0; i < 300; i++) for (int j = 0; j < 7; j++) wide[i, j] = (float)random.NextDouble();
        long[] many = Enumerable.Range(0, 5000).Select(i => (long)i * i - 77).ToArray();
        double[,,] cube = new double[5, 6, 7];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 6; j++) for (int k = 0; k < 7; k++) cube[i, j, k] = i - j * 0.5 + k * 1e-3;
        var gzip = new H5DatasetCreation(Filters: [new H5Filter(DeflateFilter.Id, new() { [DeflateFilter.COMPRESSION_LEVEL] = 1 })]);
        var shuffled = new H5DatasetCreation(Filters: [new H5Filter(ShuffleFilter.Id), new H5Filter(DeflateFilter.Id)]);
        var dataset = new H5Dataset(cube, chunks: [2, 4, 3], datasetCreation: gzip);
        dataset.Attributes["unit"] = "seconds";
        dataset.Attributes["scale"] = new[] { 1.5, -2.0 };
        var group = new H5Group { ["cube"] = dataset };
        group.Attributes["count"] = 3L;
        var file = new H5File
        {
            ["wide"] = new H5Dataset(wide, chunks: [7, 3], datasetCreation: gzip),               // 43 × 3 edge-clipped chunks
            ["many"] = new H5Dataset(many, chunks: [4]),                                         // 1250 unfiltered chunks: PureHDF's implicit index
            ["filtered"] = new H5Dataset(many, chunks: [2], datasetCreation: gzip),              // 2500 filtered chunks: a fixed array (pages of 2¹²: one)
            ["shuffled"] = new H5Dataset(many, chunks: [64], datasetCreation: shuffled),
            ["plain"] = new[] { 1, -2, 3 },
            ["bytes"] = new byte[] { 0, 255, 7 },
            ["words"] = new[] { "α", "", "three words" },
            ["group"] = group,
        };
        string path = folder.File("features.h5");
        file.Write(path);
        Assert.True(AssertSameAsPureHdf(path) >= 8);
        // The same file with the fixed array's page size lowered to 2¹¹ (header checksum recomputed): a paged index, named.
        byte[] bytes = File.ReadAllBytes(path);
        int header = Enumerable.Range(0, bytes.Length - 32).Single(k => bytes.AsSpan(k, 4).SequenceEqual("FAHD"u8) && BitConverter.ToInt64(bytes, k + 8) == 2500);
        Assert.Equal(12, bytes[header + 7]);
        bytes[header + 7] = 11;
        BitConverter.GetBytes(Hdf5File.Lookup3(bytes, header, 24)).CopyTo(bytes, header + 24);
        var paged = Assert.Throws<Hdf5Exception>(() => ((Hdf5Dataset)Hdf5File.Open(bytes, path).Root.Get("filtered")!).Read());
        Assert.Contains("object '/filtered': has a paged fixed-array chunk index (2500 chunks, pages of 2^11)", paged.Message);
        Hdf5Dataset read = (Hdf5Dataset)((Hdf5Group)Hdf5File.Open(File.ReadAllBytes(path), path).Root.Get("group")!).Get("cube")!;
        Assert.Equal("seconds", ((string[])read.Attributes.Single(a => a.Name == "unit").Value!.Data)[0]);
        Assert.Equal(new[] { 1.5, -2.0 }, read.Attributes.Single(a => a.Name == "scale").Value!.Data);
        Assert.Equal(cube.Cast<double>(), read.Read().Data.Cast<double>());
    }

    /// <summary>Compares the whole tree with PureHDF's view; returns the number of datasets compared.</summary>
    private static int AssertSameAsPureHdf(string path)
    {
        Hdf5File ours = Hdf5File.Open(File.ReadAllBytes(path), path);
        using var theirs = H5File.OpenRead(path);
        return CompareGroup(ours.Root, theirs);
    }

    private static int CompareGroup(Hdf5Group ours, IH5Group theirs)
    {
        CompareAttributes(ours, theirs);
        List<IH5Object> children = theirs.Children().ToList();
        Assert.Equal(children.Select(c => c.Name), ours.Children.Select(c => c.Name));
        int datasets = 0;
        foreach (IH5Object child in children)
        {
            Hdf5Object mine = ours.Get(child.Name)!;
            if (child is IH5Group g) datasets += CompareGroup(Assert.IsType<Hdf5Group>(mine), g);
            else
            {
                CompareDataset(Assert.IsType<Hdf5Dataset>(mine), (IH5Dataset)child);
                datasets++;
            }
        }
        return datasets;
    }

    private static void CompareAttributes(Hdf5Object ours, IH5Object theirs)
    {
        List<IH5Attribute> attributes = theirs.Attributes().ToList();
        Assert.Equal(attributes.Select(a => a.Name).Order(), ours.Attributes.Select(a => a.Name).Order());
        foreach (IH5Attribute a in attributes)
        {
            Hdf5Value value = ours.Attributes.Single(x => x.Name == a.Name).Value!;
            Assert.Equal(a.Space.Dimensions.Select(d => (long)d), value.Shape);
            Assert.Equal(ReadAll(a.Type, value, () => a.Read<string[]>(), () => a.Read<float[]>(), () => a.Read<double[]>(), () => a.Read<long[]>(), () => a.Read<int[]>(), () => a.Read<byte[]>()), value.Data.Cast<object>());
        }
    }

    private static void CompareDataset(Hdf5Dataset ours, IH5Dataset theirs)
    {
        CompareAttributes(ours, theirs);
        Hdf5Value value = ours.Read();
        Assert.Equal(theirs.Space.Dimensions.Select(d => (long)d), value.Shape);
        Assert.Equal(ReadAll(theirs.Type, value, () => theirs.Read<string[]>(), () => theirs.Read<float[]>(), () => theirs.Read<double[]>(),
            () => theirs.Read<long[]>(), () => theirs.Read<int[]>(), () => theirs.Read<byte[]>()),
            value.Data.Cast<object>());
    }

    private static IEnumerable<object> ReadAll(IH5DataType type, Hdf5Value value, Func<string[]> strings, Func<float[]> floats, Func<double[]> doubles,
        Func<long[]> longs, Func<int[]> ints, Func<byte[]> bytes)
    {
        switch (type.Class)
        {
            case H5DataTypeClass.String:
            case H5DataTypeClass.VariableLength:
                Assert.Equal(Hdf5Class.String, value.Type.Class);
                return value.Shape.Length == 0 ? [strings().Single()] : strings();
            case H5DataTypeClass.FloatingPoint:
                Assert.Equal(Hdf5Class.Float, value.Type.Class);
                return type.Size == 4 ? floats().Cast<object>() : doubles().Cast<object>();
            case H5DataTypeClass.FixedPoint:
                Assert.Equal(Hdf5Class.Integer, value.Type.Class);
                return type.Size switch { 8 => longs().Cast<object>(), 4 => ints().Cast<object>(), _ => bytes().Cast<object>() };
            default:
                throw new InvalidOperationException($"unexpected HDF5 class {type.Class}");
        }
    }

    // ---- the NIR graph on top of it ----------------------------------------------------------------------------------

    [Theory]
    [InlineData("lif_norse.nir")]
    [InlineData("lif_rockpool.nir")]
    [InlineData("cnn_sinabs.nir")]
    [InlineData("braille_noDelay_bias_zero.nir")]
    [InlineData("export")]
    [InlineData("conv export")]
    public void The_generator_s_graph_reader_gives_the_graph_NirFile_gives(string name)
    {
        using var folder = new TempFolder();
        string path = folder.File("graph.nir");
        File.WriteAllBytes(path, Bytes(name));
        NirGraph expected = NirFile.Read(path), actual = NirGraphReader.Read(File.ReadAllBytes(path), path);
        Assert.Equal(Describe(expected), Describe(actual));
        Assert.True(Describe(expected).Count > 10);
    }

    [Fact]
    public void The_generator_s_graph_reader_refuses_the_dangling_edge_as_NirFile_does()
    {
        string path = NirTests.Fixture("braille_noDelay_bias_zero_subgraph.nir");
        var expected = Assert.Throws<NirFormatException>(() => NirFile.Read(path));
        var actual = Assert.Throws<NirFormatException>(() => NirGraphReader.Read(File.ReadAllBytes(path), path));
        Assert.Equal(expected.Message, actual.Message);
        var notHdf5 = Assert.Throws<NirFormatException>(() => NirGraphReader.Read("text"u8.ToArray(), "m.nir"));
        Assert.StartsWith("NIR file 'm.nir', node '/', field '(file)': not a readable HDF5 file: not an HDF5 file", notHdf5.Message);
    }

    /// <summary>Every node, field (type, shape, values, compression), metadata entry and edge, as lines.</summary>
    private static List<string> Describe(NirGraph graph, string prefix = "")
    {
        static string Value(NirValue v) => $"{v.DataType} [{string.Join(",", v.Shape)}] {v.Compressed} {v.Text} {string.Join(",", v.Numbers.Select(x => x.ToString("R")))}";
        var lines = new List<string> { $"{prefix}version {graph.Version}" };
        lines.AddRange(graph.Metadata.OrderBy(m => m.Key).Select(m => $"{prefix}metadata {m.Key} {Value(m.Value)}"));
        foreach (NirNode node in graph.Nodes)
        {
            lines.Add($"{prefix}node {node.Name} {node.Type}");
            lines.AddRange(node.Fields.OrderBy(f => f.Key).Select(f => $"{prefix}{node.Name}.{f.Key} {Value(f.Value)}"));
            lines.AddRange(node.Metadata.OrderBy(m => m.Key).Select(m => $"{prefix}{node.Name} metadata {m.Key} {Value(m.Value)}"));
            if (node.Subgraph is { } sub) lines.AddRange(Describe(sub, prefix + node.Name + "/"));
        }
        lines.AddRange(graph.Edges.Select(e => $"{prefix}edge {e.From} -> {e.To}"));
        return lines;
    }

    // ---- corruption -------------------------------------------------------------------------------------------------

    private static void ReadEverything(byte[] bytes)
    {
        Hdf5File file = Hdf5File.Open(bytes, "x.nir");
        void Walk(Hdf5Group g)
        {
            foreach (Hdf5Object child in g.Children)
            {
                if (child is Hdf5Group inner) Walk(inner);
                else ((Hdf5Dataset)child).Read();
            }
        }
        Walk(file.Root);
    }

    [Fact]
    public void Bytes_that_are_not_HDF5_are_named_as_such()
    {
        var e = Assert.Throws<Hdf5Exception>(() => Hdf5File.Open("not a file at all"u8.ToArray(), "notes.nir"));
        Assert.Equal("HDF5 file 'notes.nir', object '/': not an HDF5 file: no superblock signature at offset 0, 512, 1024, … (17 bytes).", e.Message);
    }

    [Theory]
    [InlineData("lif_norse.nir")]
    [InlineData("braille_noDelay_bias_zero.nir")]
    [InlineData("export")]
    public void A_truncated_file_gives_an_HDF5_error_at_every_length(string name)
    {
        byte[] bytes = Bytes(name);
        int failures = 0;
        for (int length = 0; length < bytes.Length; length += Math.Max(1, bytes.Length / 400))
        {
            byte[] cut = bytes[..length];
            Exception? e = Record.Exception(() => ReadEverything(cut));
            if (e is null) continue;                                              // the end of a file can be slack
            Assert.IsType<Hdf5Exception>(e);
            failures++;
        }
        Assert.True(failures > 100, $"only {failures} truncations failed");
        var head = Assert.Throws<Hdf5Exception>(() => ReadEverything(bytes[..40]));
        Assert.Contains("truncated", head.Message);
    }

    [Theory]
    [InlineData("lif_rockpool.nir")]
    [InlineData("cnn_sinabs.nir")]
    [InlineData("export")]
    public void Corrupted_bytes_give_an_HDF5_error_or_a_readable_file_never_another_exception(string name)
    {
        byte[] bytes = Bytes(name);
        var random = new Random(17);
        int errors = 0;
        for (int trial = 0; trial < 1500; trial++)
        {
            byte[] bad = (byte[])bytes.Clone();
            int at = random.Next(Math.Min(bad.Length, 6000));                   // where the structures are
            bad[at] = (byte)random.Next(256);
            if (trial % 3 == 0 && at + 8 <= bad.Length) random.NextBytes(bad.AsSpan(at, 8));
            Exception? e = Record.Exception(() => ReadEverything(bad));
            if (e is null) continue;
            Assert.True(e is Hdf5Exception, $"byte {at}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            errors++;
        }
        Assert.True(errors > 100, $"only {errors} corruptions were detected");
    }

    [Fact]
    public void A_changed_byte_in_a_checksummed_header_is_reported_as_a_checksum_mismatch()
    {
        byte[] bytes = Bytes("export");
        Assert.Equal(3, bytes[8]);                                                // PureHDF writes superblock version 3
        bytes[20] ^= 0x40;                                                        // inside the superblock's addresses
        var e = Assert.Throws<Hdf5Exception>(() => ReadEverything(bytes));
        Assert.Matches("the superblock's checksum is 0x[0-9a-f]{8}, but its bytes give 0x[0-9a-f]{8}: corrupted", e.Message);
    }

    [Fact]
    public void Unsupported_features_are_named()
    {
        using var folder = new TempFolder();
        string path = folder.File("f.h5");
        new H5File { ["x"] = new H5Dataset(new[] { 1.0, 2.0 }, chunks: [1], datasetCreation: new H5DatasetCreation(Filters: [new H5Filter(ShuffleFilter.Id), new H5Filter(Fletcher32Filter.Id)])) }.Write(path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new[] { 1.0, 2.0 }, ((Hdf5Dataset)Hdf5File.Open(bytes, path).Root.Get("x")!).Read().Data);
        // The same file with the shuffle filter's id changed to 5 (n-bit) and the header checksum recomputed.
        PatchFirstFilter(bytes, 5);
        var e = Assert.Throws<Hdf5Exception>(() => ReadEverything(bytes));
        Assert.Contains("object '/x': is compressed with HDF5 filter 5 (n-bit); this reader implements deflate (1), shuffle (2) and Fletcher-32 (3).", e.Message);
    }

    /// <summary>Sets the id of the first filter of a two-filter version-2 pipeline message in a PureHDF file, and the object header's checksum.</summary>
    private static void PatchFirstFilter(byte[] bytes, byte id)
    {
        // A version-2 header message: type 0x0B, size (2), flags; its body starts with version 2, two filters, shuffle (id 2).
        int k = 0;
        while (!(bytes[k] == 0x0B && bytes[k + 4] == 2 && bytes[k + 5] == 2 && bytes[k + 6] == 2 && bytes[k + 7] == 0)) k++;
        bytes[k + 6] = id;
        int start = k;
        while (!(bytes[start] == 'O' && bytes[start + 1] == 'H' && bytes[start + 2] == 'D' && bytes[start + 3] == 'R')) start--;
        int flags = bytes[start + 5];
        int at = start + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int sizeBytes = 1 << (flags & 3);
        long size = 0;
        for (int b = sizeBytes - 1; b >= 0; b--) size = (size << 8) | bytes[at + b];
        int end = at + sizeBytes + (int)size;
        BitConverter.GetBytes(Hdf5File.Lookup3(bytes, start, end - start)).CopyTo(bytes, end);
    }

    /// <summary>A fixture's bytes, or those of an export ("export": the recurrent network, "conv export": the convolution).</summary>
    private static byte[] Bytes(string name)
    {
        if (!name.EndsWith("export", StringComparison.Ordinal)) return File.ReadAllBytes(NirTests.Fixture(name));
        using var folder = new TempFolder();
        string path = folder.File("net.nir");
        if (name == "export") NirExporter.Write(NirTests.Trained(), path);
        else
        {
            var conv = new NirConvNet();
            conv.InitializeWeights(seed: 5, scale: 4f);
            NirExporter.Write(conv, path);
        }
        return File.ReadAllBytes(path);
    }
}
