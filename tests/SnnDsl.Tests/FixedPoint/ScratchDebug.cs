using SnnDsl.FixedPoint;
using Xunit.Abstractions;
namespace SnnDsl.Tests.FixedPoint;
public class ScratchDebug(ITestOutputHelper output)
{
    [Fact]
    public void Compare()
    {
        var net = new SmallCubaNet();
        net.InitializeWeights(seed: 2, scale: 2f);
        net.Hidden.Parameter("Alpha")[0] = 0.75f; net.Hidden.Parameter("Beta")[0] = 0.75f;
        net.Out.Parameter("Alpha")[0] = 0.75f; net.Out.Parameter("Beta")[0] = 0.875f;
        SpikeRaster input = SpikeRaster.Bernoulli(4, 30, 5, 0.2, seed: 1);
        QuantizedNetwork q = Quantizer.FakeQuantize(net, TargetProfiles.Xylo, new QuantizationOptions { Calibration = input });
        output.WriteLine(q.Report.ToString());
        var f = net.Simulate(input, new SimulationOptions { RecordAllStates = true });
        var r = q.Simulate(input, new QuantizedSimulationOptions { RecordAllStates = true });
        var x = (XyloNetwork)q;
        output.WriteLine("readout weights col0 int: " + string.Join(",", Enumerable.Range(0,12).Select(j => x.WeightsOut[j*3])));
        output.WriteLine("readout weights col0 float: " + string.Join(",", Enumerable.Range(0,12).Select(j => net.HiddenToOut[j,0].ToString("F3"))));
        output.WriteLine("scale out " + x.Readout[0].Scale[0] + " shift " + x.ShiftOut);
        output.WriteLine("f spikes t0: " + string.Join(",", Enumerable.Range(0,12).Where(i=>f.Spikes("Hidden")[0,0,i])));
        var raw = q.Simulate(input, new QuantizedSimulationOptions { RecordAllStates = true, AlignToFloatTiming = false });
        output.WriteLine("q spikes chip t0: " + string.Join(",", Enumerable.Range(0,12).Where(i=>raw.Spikes("Hidden")[0,0,i])));
        output.WriteLine("q out I raw chip t0..3: " + string.Join(",", Enumerable.Range(0,4).Select(t=>raw.States("Out","I")[0,t,0])));
        for (int t = 0; t < 3; t++)
            output.WriteLine($"{t}: H spikes f={Enumerable.Range(0,12).Count(i=>f.Spikes("Hidden")[0,t,i])} q={Enumerable.Range(0,12).Count(i=>r.Spikes("Hidden")[0,t,i])}  H.U0 f={f.States("Hidden","U")[0,t,0]:F3} q={r.Float.States("Hidden","U")[0,t,0]:F3}  Out.U0 f={f.States("Out","U")[0,t,0]:F3} q={r.Float.States("Out","U")[0,t,0]:F3} Out.I0 f={f.States("Out","I")[0,t,0]:F3} q={r.Float.States("Out","I")[0,t,0]:F3}");
    }
}
