using SnnDsl.Rules;
using SnnDsl.Tests.Reference;
using SnnDsl.Training;

namespace SnnDsl.Tests.Rules;

/// <summary>
/// The runtime around the rule kernels (docs/learning-rules.md): which spikes, states and signals a rule sees at each
/// step — checked against the reference interpreter's trace of the same network and <see cref="ReferenceRule"/> —, the
/// trainer's sign, on-line updates every k steps, determinism, and the errors for what cannot run.
/// </summary>
public class PlasticityTests
{
    private const int Batch = 3, Steps = 25;

    private static (PlasticNet Network, SpikeRaster Input) Setup()
    {
        var network = new PlasticNet();
        network.InitializeWeights(seed: 3, scale: 3f);
        return (network, SpikeRaster.Bernoulli(Batch, Steps, 9, 0.3, seed: 4));
    }

    private static float Modulator(int sample, int step) => MathF.Sin(0.3f * step + sample);

    /// <summary>R-STDP from the input, Hebb on the recurrent weights, the kitchen-sink rule (delay 2, both neurons' U) onto Out.</summary>
    private static Plasticity Rules(PlasticNet network)
    {
        var rules = new Plasticity(network) { Modulator = context => Modulator(context.Sample, context.Step) };
        rules.Add<RewardStdp>(nameof(PlasticNet.InToHidden)).Parameters["LearningRate"][0] = 0.1f;
        rules.Add<DecayingHebb>(nameof(PlasticNet.Recurrent));
        rules.Add<KitchenSinkRule>(nameof(PlasticNet.HiddenToOut));
        return rules;
    }

    [Fact]
    public void Gradients_are_the_reference_rules_run_on_the_reference_trace()
    {
        (PlasticNet network, SpikeRaster input) = Setup();
        Plasticity rules = Rules(network);
        var random = new Random(5);
        float[] spikeGradient = Enumerable.Range(0, Batch * Steps * 37).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var upstream = new BackwardUpstream().WithSpikes("Out", spikeGradient);

        NetworkGradients gradients = rules.Gradients([input], upstream, new NetworkGradients(network));

        ReferenceTrace trace = ReferenceInterpreter.Forward(network, [input]);
        foreach (RuleBinding binding in rules.Rules)
        {
            Connection connection = binding.Connection;
            int pre = connection.Pre, post = connection.Post;
            var expected = new double[pre * post];
            for (int b = 0; b < Batch; b++)
            {
                var reference = new ReferenceRule(binding.Rule, pre, post, binding.Rule.Parameters.Select((_, k) => binding.Parameters[k][0]).ToArray());
                for (int t = 0; t < Steps; t++)
                {
                    int source = t - connection.Delay;
                    float[] Row(Func<int, float> value, int n) => Enumerable.Range(0, n).Select(value).ToArray();
                    float[] preSpikes = Row(j => source < 0 ? 0f
                        : connection.From == "In" ? (input[b, source, j] ? 1f : 0f)
                        : trace.Spikes(connection.From)[b, source, j] ? 1f : 0f, pre);
                    float[] postSpikes = Row(i => trace.Spikes(connection.To)[b, t, i] ? 1f : 0f, post);
                    // The source precedes the target (or is it), so its state is the one after step t.
                    float[][] preReads = binding.Rule.PresynapticReads.Select(s => Row(j => trace.State(connection.From, s)[b, t, j], pre)).ToArray();
                    float[][] postReads = binding.Rule.PostsynapticReads.Select(s => Row(i => trace.State(connection.To, s)[b, t, i], post)).ToArray();
                    float[] g = Row(i => connection.To == "Out" ? spikeGradient[(b * Steps + t) * post + i] : 0f, post);
                    float[] delta = reference.Step(new ReferenceRule.Inputs(preSpikes, postSpikes, preReads, postReads, connection.Weights,
                        Modulator(b, t), Row(i => postSpikes[i] - g[i], post), Row(i => -g[i], post)));
                    for (int k = 0; k < delta.Length; k++) expected[k] -= delta[k];
                }
            }
            float[] actual = gradients.Weight(connection.Name);
            double scale = expected.Max(Math.Abs);
            Assert.True(scale > 0, $"{binding.Rule.Name} on {connection.Name} changed nothing: the test would not see a wrong signal.");
            for (int k = 0; k < expected.Length; k++)
                Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-4 * scale, $"{binding.Rule.Name} on {connection.Name}, weight {k}: {actual[k]} vs reference {expected[k]}");
        }
        Assert.All(gradients.Weight(nameof(PlasticNet.InToOut)), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Gradients_do_not_depend_on_the_number_of_threads()
    {
        (PlasticNet network, SpikeRaster input) = Setup();
        Plasticity rules = Rules(network);
        var upstream = new BackwardUpstream().WithSpikes("Out", Enumerable.Range(0, Batch * Steps * 37).Select(k => MathF.Cos(k)).ToArray());

        NetworkGradients one = rules.Gradients([input], upstream, new NetworkGradients(network), maxDegreeOfParallelism: 1);
        NetworkGradients all = rules.Gradients([input], upstream, new NetworkGradients(network), maxDegreeOfParallelism: 0);

        for (int c = 0; c < one.Weights.Length; c++) Assert.Equal(one.Weights[c], all.Weights[c]);
    }

    [Fact]
    public void Plasticity_that_applies_at_the_end_of_the_sample_adds_what_the_trainer_would_subtract()
    {
        (PlasticNet network, _) = Setup();
        SpikeRaster first = SpikeRaster.Bernoulli(1, Steps, 9, 0.3, seed: 4);
        var rules = new Plasticity(network) { Modulator = context => Modulator(context.Sample, context.Step), UpdateEvery = Steps };
        rules.Add<RewardStdp>(nameof(PlasticNet.InToHidden)).Parameters["LearningRate"][0] = 0.1f;
        rules.Add<DecayingHebb>(nameof(PlasticNet.Recurrent));
        float[][] before = network.Connections.Select(c => (float[])c.Weights.Clone()).ToArray();
        NetworkGradients gradients = rules.Gradients([first], new BackwardUpstream(), new NetworkGradients(network));

        rules.Simulate([first]);

        for (int c = 0; c < before.Length; c++)
        {
            float[] expected = before[c].Zip(gradients.Weights[c], (w, g) => w - g).ToArray();
            Assert.Equal(expected, network.Connections[c].Weights);
        }
        Assert.NotEqual(before[0], network.Connections[0].Weights);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Weights_change_every_k_steps_within_the_sample(int updateEvery)
    {
        // No input: nothing spikes, so Hebb's Δw = η(0·0 − λw) only decays the weights — once every k steps, by the k terms gathered since.
        var network = new PlasticNet();
        network.InitializeWeights(seed: 1);
        var rules = new Plasticity(network) { UpdateEvery = updateEvery };
        RuleBinding hebb = rules.Add<DecayingHebb>(nameof(PlasticNet.Recurrent));
        float rate = hebb.Parameters["Rate"][0], leak = hebb.Parameters["Leak"][0];
        float[] expected = (float[])network.Recurrent.Weights.Clone();

        rules.Simulate([new SpikeRaster(1, 10, 9)]);

        for (int k = 0; k < expected.Length; k++)
        {
            float w = expected[k], change = 0f;
            for (int t = 0; t < 10; t++)
            {
                change += rate * (0f * 0f - leak * w);
                if ((t + 1) % updateEvery != 0 && t != 9) continue;
                w += change;
                change = 0f;
            }
            expected[k] = w;
        }
        Assert.Equal(expected, network.Recurrent.Weights);
    }

    [Fact]
    public void Weight_bounds_clip_what_plasticity_changes()
    {
        var network = new PlasticNet();
        network.InitializeWeights(seed: 1, scale: 5f);
        var rules = new Plasticity(network);
        RuleBinding hebb = rules.Add<DecayingHebb>(nameof(PlasticNet.InToHidden));
        hebb.Parameters["Rate"][0] = 1f;
        hebb.WeightBounds = (0f, 0.5f);

        rules.Simulate([SpikeRaster.Bernoulli(2, 20, 9, 0.5, seed: 2)]);

        Assert.All(network.InToHidden.Weights, w => Assert.InRange(w, 0f, 0.5f));
        Assert.Contains(network.InToHidden.Weights, w => w is > 0f and < 0.5f);
    }

    [Fact]
    public void A_rule_that_reads_a_signal_without_a_callback_is_an_error_naming_rule_and_connection()
    {
        var network = new PlasticNet();
        var rules = new Plasticity(network);
        rules.Add<RewardStdp>(nameof(PlasticNet.InToHidden));

        var error = Assert.Throws<InvalidOperationException>(() => rules.Simulate([new SpikeRaster(1, 5, 9)]));

        Assert.Contains("Rule 'RewardStdp' on connection 'InToHidden' reads a modulator signal; set Plasticity.Modulator", error.Message);
    }

    [Fact]
    public void A_rule_on_a_sparse_connection_is_not_supported()
    {
        var rules = new Plasticity(new PlasticNet());

        var error = Assert.Throws<NotSupportedException>(() => rules.Add<DecayingHebb>(nameof(PlasticNet.InToOut)));

        Assert.Contains("Rule 'DecayingHebb' on connection 'InToOut': the connection is sparse", error.Message);
    }

    [Fact]
    public void A_rule_that_reads_a_state_the_neuron_lacks_or_an_input_state_is_an_error()
    {
        var rules = new Plasticity(new PlasticNet());

        var fromInput = Assert.Throws<ArgumentException>(() => rules.Add<KitchenSinkRule>(nameof(PlasticNet.InToHidden)));
        var second = Assert.Throws<ArgumentException>(() => { rules.Add<DecayingHebb>(nameof(PlasticNet.Recurrent)); rules.Add<RewardStdp>(nameof(PlasticNet.Recurrent)); });

        Assert.Contains("reads the presynaptic state 'U', but the connection's source 'In' is an input layer", fromInput.Message);
        Assert.Contains("Connection 'Recurrent' has the rule 'DecayingHebb' already", second.Message);
    }

    [Fact]
    public void The_trainer_needs_a_spike_gradient_for_a_rule_that_reads_a_target()
    {
        (PlasticNet network, SpikeRaster input) = Setup();
        var rules = new Plasticity(network);
        rules.Add<SuperSpike>(nameof(PlasticNet.HiddenToOut));
        var readout = new BackwardUpstream().WithState("Out", "U", new float[Batch * Steps * 37]);

        var error = Assert.Throws<InvalidOperationException>(() => rules.Gradients([input], readout, new NetworkGradients(network)));

        Assert.Contains("Rule 'SuperSpike' on connection 'HiddenToOut' reads a target or an error, but the objective gives no spike gradient ∂L/∂S for population 'Out'", error.Message);
    }
}
