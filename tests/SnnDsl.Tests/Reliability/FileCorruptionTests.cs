using CsCheck;
using PureHDF;
using SnnDsl.Data;
using SnnDsl.Export;
using SnnDsl.Export.Nir;
using SnnDsl.Tests.Data;

namespace SnnDsl.Tests.Reliability;

/// <summary>
/// Issue 12, item 3: byte-level corruptions of every file format we read. A corrupted file loads (when the damage
/// missed everything that matters) or raises <see cref="InvalidDataException"/> naming the file (model files:
/// <see cref="ModelFileException"/>; NIR files: <see cref="NirFormatException"/>, with node and field) — never an
/// exception from inside PureHDF or the reader, never a hang.
/// </summary>
public sealed class FileCorruptionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A damage done to a file's bytes: flipped bytes, a cut, a zeroed run, or bytes set to 0xFF.</summary>
    internal sealed record Damage(string Kind, int Offset, int Length, byte[] Values)
    {
        public byte[] ApplyTo(byte[] original)
        {
            byte[] bytes = (byte[])original.Clone();
            int offset = Offset % Math.Max(1, bytes.Length);
            switch (Kind)
            {
                case "cut": return bytes[..offset];
                case "zero": Array.Clear(bytes, offset, Math.Min(Length, bytes.Length - offset)); break;
                case "ones": Array.Fill(bytes, (byte)0xFF, offset, Math.Min(Length, bytes.Length - offset)); break;
                default:
                    for (int k = 0; k < Values.Length; k++) bytes[(offset + k * 7919) % bytes.Length] = Values[k];
                    break;
            }
            return bytes;
        }

        public override string ToString() => $"{Kind} at {Offset} ({Length} bytes, values {Convert.ToHexString(Values)})";
    }

    internal static readonly Gen<Damage> Damages =
        Gen.Select(Gen.OneOf("flip", "flip", "cut", "zero", "ones"), Gen.Int[0, int.MaxValue], Gen.Int[1, 64], Gen.Byte.Array[1, 8],
            (kind, offset, length, values) => new Damage(kind, offset, length, values));

    /// <summary>How the corrupted files fared: loaded, rejected by our own checks, or rejected for a failure underneath.</summary>
    private sealed class Outcomes
    {
        public int Loaded, Rejected, Wrapped;

        public void AssertBothHappened(int iterations)
        {
            // Not vacuous: the damage hits data that still loads, and data that does not.
            Assert.True(Loaded > 0 && Rejected + Wrapped > 0, $"loaded {Loaded}, rejected {Rejected}, wrapped {Wrapped} of {iterations}");
        }
    }

    private static void LoadsOrNamesTheFile(string path, Action load, Outcomes outcomes)
    {
        try
        {
            load();
            Interlocked.Increment(ref outcomes.Loaded);
        }
        catch (InvalidDataException e)
        {
            Assert.Contains($"'{path}'", e.Message);
            Interlocked.Increment(ref e.InnerException is null ? ref outcomes.Rejected : ref outcomes.Wrapped);
        }
    }

    /// <summary>
    /// Runs <paramref name="check"/> on <paramref name="count"/> damages drawn by CsCheck from one fixed seed, so that
    /// every run (and CI) checks the same corruptions; a failure names the damage and how to draw others.
    /// </summary>
    private static void ForEachDamage(int count, Action<Damage> check)
    {
        Damages.Array[count].Sample(damages =>
        {
            foreach (Damage damage in damages)
            {
                try
                {
                    check(damage);
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException($"Damage {damage}: {e.GetType().Name}: {e.Message}");
                }
            }
        }, iter: 1, threads: 1, seed: FixedSeed);
    }

    /// <summary>The seed of the corruptions every run checks (CsCheck's seed format; any other explores other damages).</summary>
    private const string FixedSeed = "0N0XIzNsQ0O2";

    private string WriteDamaged(string name, byte[] original, Damage damage)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, damage.ApplyTo(original));
        return path;
    }

    [Fact]
    public void Corrupted_shd_files_load_or_raise_invalid_data_naming_the_file()
    {
        string clean = _folder.File("clean.h5");
        new H5File
        {
            ["spikes"] = new H5Group
            {
                ["times"] = new float[][] { [0.0f, 0.0141f, 0.7f], [1.39f], [] },
                ["units"] = new ushort[][] { [0, 1, 699], [350], [] },
            },
            ["labels"] = new ushort[] { 19, 3, 0 },
            ["extra"] = new H5Group { ["speaker"] = new ushort[] { 4, 4, 5 } },
        }.Write(clean);
        byte[] original = File.ReadAllBytes(clean);
        Assert.Equal(3, Shd.Load(clean).Count);

        int index = 0;
        var outcomes = new Outcomes();
        ForEachDamage(600, damage =>
        {
            string path = WriteDamaged($"shd-{Interlocked.Increment(ref index)}.h5", original, damage);
            LoadsOrNamesTheFile(path, () => Shd.Load(path), outcomes);
        });
        outcomes.AssertBothHappened(600);
        Assert.True(outcomes.Wrapped > 0, "no damage reached PureHDF's lazy reads, which is what this test is for");
    }

    [Fact]
    public void Corrupted_model_files_load_or_raise_a_model_file_error_naming_the_file()
    {
        SmallClassifier trained = TrainedClassifier();
        string clean = _folder.File("clean.snnm");
        ModelFile.Save(trained, clean);
        byte[] original = File.ReadAllBytes(clean);
        ModelFile.Load(new SmallClassifier(), clean);

        int index = 0, loaded = 0, rejected = 0;
        ForEachDamage(600, damage =>
        {
            string path = WriteDamaged($"model-{Interlocked.Increment(ref index)}.snnm", original, damage);
            var network = new SmallClassifier();
            try
            {
                ModelFile.Load(network, path);
                loaded++;
                // Loading is all or nothing, and what loads is what was saved (the checksum covers the data).
                for (int c = 0; c < network.Connections.Count; c++) Assert.Equal(trained.Connections[c].Weights, network.Connections[c].Weights);
            }
            catch (ModelFileException e)
            {
                rejected++;
                Assert.Contains(Path.GetFileName(path), e.Message);
            }
        });
        Assert.True(rejected > 0 && loaded > 0, $"loaded {loaded}, rejected {rejected}");
    }

    [Fact]
    public void Corrupted_nir_files_import_or_raise_a_nir_error_naming_the_file_or_node()
    {
        string clean = _folder.File("clean.nir");
        NirExporter.Write(TrainedClassifier(), clean);
        byte[] original = File.ReadAllBytes(clean);
        Assert.NotNull(NirImporter.Import(clean));

        int index = 0;
        var outcomes = new Outcomes();
        ForEachDamage(600, damage =>
        {
            string path = WriteDamaged($"nir-{Interlocked.Increment(ref index)}.nir", original, damage);
            try
            {
                NirImporter.Import(path);
                Interlocked.Increment(ref outcomes.Loaded);
            }
            catch (NirFormatException e)
            {
                Assert.Equal(path, e.FilePath);
                Interlocked.Increment(ref e.InnerException is null ? ref outcomes.Rejected : ref outcomes.Wrapped);
            }
            catch (NirImportException e)
            {
                // The file was read; its graph has no SnnDsl form: node and field are named.
                Assert.StartsWith("NIR node '", e.Message);
                Interlocked.Increment(ref outcomes.Rejected);
            }
        });
        outcomes.AssertBothHappened(600);
    }

    private static SmallClassifier TrainedClassifier()
    {
        var network = new SmallClassifier();
        network.InitializeWeights(seed: 4, scale: 2f);
        return network;
    }

    [Fact]
    public void Corrupted_nmnist_files_load_or_raise_invalid_data_naming_the_file()
    {
        var original = new byte[5 * 40];
        new Random(3).NextBytes(original);
        for (int k = 0; k < original.Length; k += 5) { original[k] %= 34; original[k + 1] %= 34; }
        string clean = _folder.File("clean.bin");
        File.WriteAllBytes(clean, original);
        Assert.Equal(40, NMnist.ReadEvents(clean).Length);

        int index = 0;
        var outcomes = new Outcomes();
        ForEachDamage(1000, damage =>
        {
            string path = WriteDamaged($"nmnist-{Interlocked.Increment(ref index)}.bin", original, damage);
            LoadsOrNamesTheFile(path, () =>
            {
                EventStream events = NMnist.ReadSample(path);
                Assert.All(events.Times, t => Assert.True(t >= 0));
            }, outcomes);
        });
        outcomes.AssertBothHappened(1000);
    }

    [Fact]
    public void Corrupted_event_csv_files_load_or_raise_invalid_data_naming_the_file()
    {
        string clean = _folder.File("clean.csv");
        EventCsv.Write(clean, new LabelledEvents(
            [new EventStream([0.00125, 0.0031, 0.5], [17, 4, 0], 20), new EventStream([], [], 20), new EventStream([1e-7], [19], 20)], [3, 7, 0], 10));
        byte[] original = File.ReadAllBytes(clean);
        Assert.Equal(3, EventCsv.Read(clean, 20, 10).Samples.Count);

        int index = 0;
        var outcomes = new Outcomes();
        ForEachDamage(1000, damage =>
        {
            string path = WriteDamaged($"events-{Interlocked.Increment(ref index)}.csv", original, damage);
            LoadsOrNamesTheFile(path, () =>
            {
                LabelledEvents data = EventCsv.Read(path, 20, 10);
                Assert.All(data.Labels, l => Assert.InRange(l, 0, 9));
            }, outcomes);
        });
        outcomes.AssertBothHappened(1000);
    }
}
