namespace SnnDsl.Tests.Reference;

public class GradientTests
{
    // ── The tape itself: exact derivatives, checked by central differences on a network without spikes ─────────────

    /// <summary>Leaky integrator of a squashed input, and a soft-plus/power unit with select, Min and Max.</summary>
    private static readonly NeuronDescriptor Smooth = new(
        "Smooth",
        ["U", "V"],
        [new ParamDescriptor("Beta", 0.8f, false, true), new ParamDescriptor("Gain", 1f, true, true),
         new ParamDescriptor("Bias", 0.1f, true, true), new ParamDescriptor("Scale", 0.5f, false, false)],
        ["input"],
        null,
        "(block (set-local drive (call Tanh (+ (input input) (param Bias))))"
        + " (set-state U (+ (* (param Beta) (state U)) (* (param Gain) (local drive))))"
        + " (set-state V (/ (call Exp (neg (* (state U) (state U)))) (call Sqrt (+ (param Scale) (call Abs (state U)))))))",
        null, null, null, false);

    private static readonly NeuronDescriptor Soft = new(
        "Soft",
        ["R", "Q"],
        [new ParamDescriptor("Offset", 0.2f, true, true), new ParamDescriptor("Power", 0.7f, false, true), new ParamDescriptor("Cap", 0.6f, false, true)],
        ["input"],
        null,
        "(block (set-state R (+ (* 0.5 (state R)) (call Log (+ 1 (call Exp (- (input input) (param Offset)))))))"
        + " (set-local p (call Pow (+ 1 (* (state R) (state R))) (param Power)))"
        + " (set-state Q (select (> (state R) (param Cap)) (call Min (local p) (* 2 (state R))) (call Max (- (local p) 1) (* 0.5 (state Q))))))",
        null, null, null, false);

    private static float[] RandomValues(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    [Fact]
    public void Tape_gradients_match_central_differences_on_a_smooth_network()
    {
        var random = new Random(7);
        var net = new FakeNetwork()
            .Input("A", 6).Input("B", 2)
            .Population("Leaky", 4, Smooth).Population("Softplus", 3, Soft)
            .Dense("A", "Leaky", RandomValues(random, 24, 1))
            .Dense("A", "Softplus", RandomValues(random, 18, 1))
            .Dense("B", "Softplus", RandomValues(random, 6, 1));
        foreach (string p in new[] { "Gain", "Bias" }) RandomValues(random, 4, 1).CopyTo(net["Leaky"].Parameter(p), 0);
        RandomValues(random, 3, 0.5).CopyTo(net["Softplus"].Parameter("Offset"), 0);
        SpikeRaster[] inputs = [SpikeRaster.Bernoulli(2, 8, 6, 0.4, seed: 1), SpikeRaster.Bernoulli(2, 8, 2, 0.5, seed: 2)];

        // L = Σ g·trace over every state of every population, g random.
        (string Population, string State, float[] G)[] loss = [.. net.Populations.SelectMany(p => p.Neuron.States.Select(s => (p.Name, s, RandomValues(random, 2 * 8 * p.Size, 0.5))))];
        var upstream = new BackwardUpstream();
        foreach ((string population, string state, float[] g) in loss) upstream.WithState(population, state, g);
        double Loss()
        {
            ReferenceTrace trace = ReferenceInterpreter.Forward(net, inputs);
            double sum = 0;
            foreach ((string population, string state, float[] g) in loss)
            {
                int k = 0;
                foreach (float value in trace.State(population, state)) sum += g[k++] * (double)value;
            }
            return sum;
        }

        ReferenceGradients gradients = ReferenceInterpreter.Gradients(net, inputs, upstream);

        void Check(string what, float[] values, double[] tape, float h)
        {
            Assert.Equal(values.Length, tape.Length);
            for (int k = 0; k < values.Length; k++)
            {
                float saved = values[k];
                values[k] = saved + h; double plus = Loss(); double up = values[k];
                values[k] = saved - h; double minus = Loss(); double down = values[k];
                values[k] = saved;
                double numeric = (plus - minus) / (up - down);
                Assert.True(Math.Abs(numeric - tape[k]) <= 1e-3 * Math.Max(1, Math.Abs(numeric)), $"{what}[{k}]: tape {tape[k]}, central difference {numeric}");
            }
        }
        foreach (DenseSynapses c in net.Connections) Check(c.Name, c.Weights, gradients.Weight(c.Name), 1e-2f);
        int shared = 0, perNeuron = 0;
        foreach (Population p in net.Populations)
        {
            for (int k = 0; k < p.Neuron.Parameters.Count; k++)
            {
                ParamDescriptor d = p.Neuron.Parameters[k];
                if (!d.Trainable) continue;
                Check($"{p.Name}.{d.Name}", p.Parameter(k), gradients.Parameter(p.Name, d.Name), 1e-3f);
                if (d.PerNeuron) perNeuron++; else shared++;
            }
        }
        Assert.Equal((3, 3), (shared, perNeuron));
        Assert.Throws<ArgumentException>(() => gradients.Parameter("Leaky", "Scale"));
    }

    // ── Surrogate-gradient rules, hand-computed on one step (α = 0.5, β = 0.75, ϑ = 1) ──────────────────────────────

    /// <summary>σ′(x) = 1/(k|x| + 1)² in float32, as the IR computes it.</summary>
    private static double FastSigmoid(float x, float slope = 100f)
    {
        float d = slope * MathF.Abs(x) + 1f;
        return 1f / (d * d);
    }

    private static SpikeRaster OneSpike(int steps = 1)
    {
        var raster = new SpikeRaster(1, steps, 1);
        raster[0, 0, 0] = true;
        return raster;
    }

    [Theory]
    [InlineData("(> (state U) (param Threshold))", null, 100f)]
    [InlineData("(> (state U) (param Threshold))", 10f, 10f)]
    [InlineData("(< (param Threshold) (state U))", null, 100f)] // x = b − a: the same U − ϑ
    public void The_spike_derivative_is_the_surrogate_at_membrane_minus_threshold(string fires, float? slopeOverride, float slope)
    {
        var net = new FakeNetwork().Input("In", 1).Population("H", 1, TestModels.CubaLif() with { Fires = fires }).Dense("In", "H", [1.5f]);
        var upstream = new BackwardUpstream().WithSpikes("H", [1f]);
        var options = new ReferenceOptions
        {
            SurrogateParameters = slopeOverride is { } k ? new Dictionary<string, float> { ["FastSigmoid.Slope"] = k } : new Dictionary<string, float>(),
        };

        ReferenceGradients g = ReferenceInterpreter.Gradients(net, [OneSpike()], upstream, options);

        // S = Θ(U − ϑ), U = I = w: ∂S/∂w = σ′(0.5), ∂S/∂ϑ = −σ′(0.5); α and β multiply zero states.
        double sigma = FastSigmoid(0.5f, slope);
        Assert.Equal(sigma, g.Weight("InToH")[0], 1e-15);
        Assert.Equal(-sigma, g.Parameter("H", "Threshold")[0], 1e-15);
        Assert.Equal(0, g.Parameter("H", "Alpha")[0]);
        Assert.Equal(0, g.Parameter("H", "Beta")[0]);
    }

    [Theory]
    [InlineData(1e-4f, false)]   // σ′(0.5) = 1/51² ≈ 3.8e-4 ≥ ε: the step is kept
    [InlineData(1e-3f, true)]    // σ′ < ε: cut
    public void The_sparse_backward_cuts_a_step_below_epsilon_from_its_inputs_but_not_from_its_parameters(float epsilon, bool cut)
    {
        var net = new FakeNetwork().Input("In", 1).Population("H", 1, TestModels.CubaLif()).Dense("In", "H", [1.5f]);
        var options = new ReferenceOptions { SparseEpsilon = epsilon };

        ReferenceGradients g = ReferenceInterpreter.Gradients(net, [OneSpike()], new BackwardUpstream().WithSpikes("H", [1f]), options);

        // S = Θ(U − ϑ), U = I = w: ∂S/∂w = σ′(0.5) flows through the port, which the cut stops; ∂S/∂ϑ = −σ′ stays.
        double sigma = FastSigmoid(0.5f);
        Assert.Equal(cut ? 0 : sigma, g.Weight("InToH")[0], 1e-15);
        Assert.Equal(-sigma, g.Parameter("H", "Threshold")[0], 1e-15);
    }

    [Fact]
    public void An_unknown_surrogate_parameter_is_rejected()
    {
        var net = new FakeNetwork().Input("In", 1).Population("H", 1, TestModels.CubaLif()).Dense("In", "H");
        var options = new ReferenceOptions { SurrogateParameters = new Dictionary<string, float> { ["FastSigmoid.Steepness"] = 1f } };
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Gradients(net, [OneSpike()], new BackwardUpstream(), options));
        Assert.Contains("FastSigmoid.Slope", error.Message);
    }

    [Theory]
    [InlineData(1.5f)]   // fires: U = 1.5, reset to 0.5
    [InlineData(0.75f)]  // does not fire
    public void Detached_and_attached_reset_give_different_gradients(float weight)
    {
        bool fired = weight > 1f;
        double sigma = FastSigmoid(weight - 1f);
        foreach (bool attached in new[] { false, true })
        {
            var net = new FakeNetwork().Input("In", 1).Population("H", 1, TestModels.CubaLif(attachResetGradient: attached)).Dense("In", "H", [weight]);
            ReferenceGradients g = ReferenceInterpreter.Gradients(net, [OneSpike()], new BackwardUpstream().WithState("H", "U", [1f]));

            // U after the step = S·(U − ϑ) + (1 − S)·U. Detached: ∂/∂U = 1, ∂/∂ϑ = −S. Attached adds
            // ∂/∂S · ∂S = (−ϑ)·σ′ · (∂U, −∂ϑ), also where the neuron did not fire.
            double reset = fired ? -1 : 0;
            Assert.Equal(attached ? 1 - sigma : 1, g.Weight("InToH")[0], 1e-15);
            Assert.Equal(attached ? reset + sigma : reset, g.Parameter("H", "Threshold")[0], 1e-15);
        }
    }

    [Fact]
    public void Spikes_pass_the_surrogate_gradient_to_downstream_synapses_also_where_they_are_silent()
    {
        var net = new FakeNetwork()
            .Input("In", 1)
            .Population("H", 2, TestModels.CubaLif())
            .Population("Out", 1, TestModels.LeakyReadout)
            .Dense("In", "H", [1.5f, 0.75f])
            .Dense("H", "Out", [0.5f, 0.25f]);

        ReferenceGradients g = ReferenceInterpreter.Gradients(net, [OneSpike()], new BackwardUpstream().WithState("Out", "U", [1f]));

        // Out.U = 0.5·S₀ + 0.25·S₁ with S = (1, 0); ∂S_j/∂w_j = σ′(w_j − 1); the shared ϑ sums over both neurons.
        double s0 = FastSigmoid(0.5f), s1 = FastSigmoid(-0.25f);
        Assert.Equal([1.0, 0.0], g.Weight("HToOut"));
        Assert.Equal(0.5 * s0, g.Weight("InToH")[0], 1e-15);
        Assert.Equal(0.25 * s1, g.Weight("InToH")[1], 1e-15);
        Assert.Equal(-(0.5 * s0 + 0.25 * s1), g.Parameter("H", "Threshold")[0], 1e-15);
    }

    [Fact]
    public void Recurrent_synapses_carry_the_gradient_one_step_back()
    {
        var net = new FakeNetwork()
            .Input("In", 1)
            .Population("H", 1, TestModels.CubaLif())
            .Dense("In", "H", [1.5f])
            .Dense("H", "H", [0.25f]);

        ReferenceGradients g = ReferenceInterpreter.Gradients(net, [OneSpike(steps: 2)], new BackwardUpstream().WithState("H", "I", [0f, 1f]));

        // I[1] = α·I[0] + w_rec·S[0], I[0] = w_in, S[0] = Θ(w_in − ϑ) = 1.
        double sigma = FastSigmoid(0.5f);
        Assert.Equal(1, g.Weight("HToH")[0]);
        Assert.Equal(1.5, g.Parameter("H", "Alpha")[0]);
        Assert.Equal(0.5 + 0.25 * sigma, g.Weight("InToH")[0], 1e-15);
        Assert.Equal(-0.25 * sigma, g.Parameter("H", "Threshold")[0], 1e-15);
        Assert.Equal(0, g.Parameter("H", "Beta")[0]);
    }

    // ── Forward values on the tape ───────────────────────────────────────────────────────────────────────────────

    [Fact]
    public void The_tape_runs_the_forward_pass_bit_for_bit_and_the_reset_option_changes_only_the_gradient()
    {
        SpikeRaster input = SpikeRaster.Bernoulli(2, 12, 5, 0.4, seed: 11);
        ReferenceGradients? previous = null;
        foreach (bool attached in new[] { false, true })
        {
            var random = new Random(12);
            var net = new FakeNetwork()
                .Input("In", 5)
                .Population("H", 4, TestModels.CubaLif(perNeuronThreshold: true, attachResetGradient: attached))
                .Population("Out", 2, TestModels.LeakyReadout)
                .Dense("In", "H", RandomValues(random, 20, 1.5))
                .Dense("H", "H", RandomValues(random, 16, 0.5))
                .Dense("H", "Out", RandomValues(random, 8, 1));
            var upstream = new BackwardUpstream().WithState("Out", "U", RandomValues(random, 2 * 12 * 2, 1));

            ReferenceTrace plain = ReferenceInterpreter.Forward(net, [input]);
            ReferenceGradients g = ReferenceInterpreter.Gradients(net, [input], upstream);

            Assert.True(plain.Spikes("H").Cast<bool>().Any(s => s), "the case must spike");
            Assert.Equal(plain.Spikes("H"), g.Forward.Spikes("H"));
            foreach ((string p, string s) in new[] { ("H", "I"), ("H", "U"), ("Out", "U") })
                Assert.Equal(Bits(plain.State(p, s)), Bits(g.Forward.State(p, s)));
            if (previous is not null)
            {
                Assert.Equal(Bits(previous.Forward.State("Out", "U")), Bits(g.Forward.State("Out", "U")));
                Assert.NotEqual(previous.Parameter("H", "Threshold"), g.Parameter("H", "Threshold"));
            }
            previous = g;
        }
    }

    private static int[] Bits(float[,,] values) => values.Cast<float>().Select(BitConverter.SingleToInt32Bits).ToArray();
}
