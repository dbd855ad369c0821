using SnnDsl.Export;
using SnnDsl.Export.Nir;
using SnnDsl.Tests.Data;

namespace SnnDsl.Tests.Export;

/// <summary>
/// The imported snnTorch braille network against NIR's equations integrated directly from the file (double precision,
/// forward Euler, the membrane reading this step's current, reset to v_reset, the recurrent Affine reading the previous
/// step's spikes): an independent check of the importer's conversions and folded gains.
/// </summary>
public class NirSemanticsTests
{
    private sealed class CubaLifNode(NirNode node, double dt)
    {
        private readonly double[] _tauSyn = node.Field("tau_syn")!.Numbers, _tauMem = node.Field("tau_mem")!.Numbers, _r = node.Field("r")!.Numbers,
            _wIn = node.Field("w_in")!.Numbers, _leak = node.Field("v_leak")!.Numbers, _threshold = node.Field("v_threshold")!.Numbers;
        private readonly double[] _reset = node.Field("v_reset")?.Numbers ?? new double[node.Field("r")!.Numbers.Length];
        private readonly double[] _i = new double[node.Field("r")!.Numbers.Length], _v = new double[node.Field("r")!.Numbers.Length];

        /// <summary>τ_syn dI/dt = −I + w_in·x; τ_mem dv/dt = v_leak − v + r·I; z = [v > v_th]; v ← v_reset where z.</summary>
        public double[] Step(double[] x)
        {
            var z = new double[_v.Length];
            for (int k = 0; k < _v.Length; k++)
            {
                _i[k] += dt / _tauSyn[k] * (-_i[k] + _wIn[k] * x[k]);
                _v[k] += dt / _tauMem[k] * (_leak[k] - _v[k] + _r[k] * _i[k]);
                if (_v[k] > _threshold[k]) { z[k] = 1; _v[k] = _reset[k]; }
            }
            return z;
        }
    }

    private static double[] Affine(NirNode node, double[] x)
    {
        NirValue w = node.Field("weight")!;
        int rows = (int)w.Shape[0], columns = (int)w.Shape[1];
        double[]? b = node.Field("bias")?.Numbers;
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double sum = b?[i] ?? 0;
            for (int j = 0; j < columns; j++) sum += w.Numbers[i * columns + j] * x[j];
            y[i] = sum;
        }
        return y;
    }

    [Fact]
    public void The_imported_braille_network_spikes_as_NIRs_equations_do()
    {
        const double dt = 1e-4;
        string path = NirTests.Fixture("braille_noDelay_bias_zero.nir");
        NirGraph graph = NirFile.Read(path);
        using var folder = new TempFolder();
        NirImporter.Import(path, new NirImportOptions { TimeStep = dt, ClassName = nameof(BrailleImported) }).WriteModel(folder.File("b.snnm"));
        var network = new BrailleImported();
        ModelFile.Load(network, folder.File("b.snnm"));

        const int batch = 4, steps = 150;
        SpikeRaster input = SpikeRaster.Bernoulli(batch, steps, 12, 0.3, seed: 21);
        SimulationResult ours = network.Simulate(input);
        int compared = 0, agree = 0, spikes = 0;
        for (int b = 0; b < batch; b++)
        {
            var lif1 = new CubaLifNode(graph.Node("lif1.lif")!, dt);
            var lif2 = new CubaLifNode(graph.Node("lif2")!, dt);
            var previous = new double[38];
            for (int t = 0; t < steps; t++)
            {
                double[] x = Enumerable.Range(0, 12).Select(j => input[b, t, j] ? 1.0 : 0.0).ToArray();
                double[] recurrent = Affine(graph.Node("lif1.w_rec")!, previous);          // the cycle: previous step's spikes
                double[] drive = Affine(graph.Node("fc1")!, x).Zip(recurrent, (p, q) => p + q).ToArray();   // NIRTorch sums fan-in
                double[] s1 = lif1.Step(drive);
                double[] s2 = lif2.Step(Affine(graph.Node("fc2")!, s1));
                for (int k = 0; k < 38; k++, compared++)
                    if ((s1[k] == 1) == ours.Spikes("Lif1Lif")[b, t, k]) agree++;
                for (int k = 0; k < 7; k++, compared++)
                    if ((s2[k] == 1) == ours.Spikes("lif2")[b, t, k]) agree++;
                spikes += (int)s1.Sum() + (int)s2.Sum();
                previous = s1;
            }
        }
        Assert.True(spikes > 100, $"only {spikes} reference spikes; the comparison needs activity");
        Assert.Equal(compared, agree);
    }
}
