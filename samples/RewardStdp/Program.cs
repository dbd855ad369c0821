// Reward-modulated STDP (Izhikevich 2007; Frémaux & Gerstner 2016) learns a two-choice task by trial and error: in
// each trial one of two input patterns plays for 60 ms, the output neuron that fires more is the network's choice,
// and a dopamine signal rewards every spike of the neuron that should answer and punishes every spike of the other.
// No error and no gradient reach the synapses, only the global reward; the eligibility traces bridge the delay
// between the spike pairings and the dopamine. Prints the reward the network earns per trial while it learns and its
// accuracy on fresh trials (without plasticity) before, during and after learning; a trial in which both neurons fire
// equally often (or not at all) counts as wrong, so chance is below 50 %.
// Usage: dotnet run -c Release --project samples/RewardStdp [-- --trials N --seed N --rate η]
using SnnDsl;
using SnnDsl.Rules;
using SnnDsl.Samples;
using SnnDsl.Samples.RewardStdp;
using SnnDsl.Training;

int trials = CommandLine.Int(args, "--trials", 400);
int seed = CommandLine.Int(args, "--seed", 1);
float rate = CommandLine.Float(args, "--rate", 2e-4f);
const int steps = 60, block = 20;

var network = new ChoiceNetwork();
var random = new Random(seed);
for (int k = 0; k < network.Sensory.Weights.Length; k++) network.Sensory.Weights[k] = 0.15f + 0.1f * random.NextSingle();

var plasticity = new Plasticity(network);
RuleBinding stdp = plasticity.Add<RewardStdp>(nameof(ChoiceNetwork.Sensory));
stdp.Parameters["LearningRate"][0] = rate;
stdp.WeightBounds = (0f, 0.6f);

Console.WriteLine($"Reward-modulated STDP: {ChoiceNetwork.Inputs} inputs → 2 LIF neurons, trials of {steps} steps, SIMD {SpikeOps.ActiveSimdWidth}");
Console.WriteLine($"accuracy before learning: {Accuracy(network, 200, seed + 1):P1}");

// Dopamine d(t) = 0.8·d(t−1) + r(t): r = +1 per spike of the neuron that should answer, −1 per spike of the other.
int[] labels = [];
float dopamine = 0f, earned = 0f;
plasticity.Modulator = context =>
{
    if (context.Step == 0) dopamine = 0f;
    int correct = labels[context.Sample];
    float reward = (context.Fired("Choice", correct) ? 1f : 0f) - (context.Fired("Choice", 1 - correct) ? 1f : 0f);
    earned += reward;
    dopamine = 0.8f * dopamine + reward;
    return dopamine;
};
for (int done = 0; done < trials; done += block)
{
    (SpikeRaster inputs, labels) = Trials(block, seed + 100 + done);
    earned = 0f;
    plasticity.Simulate([inputs]);
    Console.WriteLine($"trials {done + 1,3}–{done + block,3}: reward per trial {earned / block,5:F2}, accuracy {Accuracy(network, 200, seed + 2),6:P1}, " +
        $"mean weight onto the right choice {MeanWeight(true):F3}, onto the wrong one {MeanWeight(false):F3}");
}
Console.WriteLine($"accuracy after learning: {Accuracy(network, 200, seed + 3):P1}");

// Pattern c: the inputs of group c fire with p = 0.08 per step, the others with p = 0.01.
static (SpikeRaster Inputs, int[] Labels) Trials(int count, int seed)
{
    var random = new Random(seed);
    var raster = new SpikeRaster(count, steps, ChoiceNetwork.Inputs);
    int[] labels = Enumerable.Range(0, count).Select(_ => random.Next(2)).ToArray();
    for (int b = 0; b < count; b++)
        for (int t = 0; t < steps; t++)
            for (int j = 0; j < ChoiceNetwork.Inputs; j++)
                if (random.NextDouble() < (j / (ChoiceNetwork.Inputs / 2) == labels[b] ? 0.08 : 0.01)) raster.Row(b, t)[j >> 6] |= 1UL << (j & 63);
    return (raster, labels);
}

// The fraction of trials in which the neuron of the pattern fires more than the other (plain simulation, no learning).
static float Accuracy(ChoiceNetwork network, int count, int seed)
{
    (SpikeRaster inputs, int[] labels) = Trials(count, seed);
    SpikeRaster spikes = network.Simulate([inputs]).Spikes("Choice");
    int correct = 0;
    for (int b = 0; b < count; b++)
    {
        int[] counts = spikes.CountPerNeuron(b);
        if (counts[labels[b]] > counts[1 - labels[b]]) correct++;
    }
    return (float)correct / count;
}

// Mean weight from the inputs of a pattern onto the neuron that should (or should not) answer it.
float MeanWeight(bool right)
{
    double sum = 0;
    for (int j = 0; j < ChoiceNetwork.Inputs; j++)
    {
        int group = j / (ChoiceNetwork.Inputs / 2);
        sum += network.Sensory[j, right ? group : 1 - group];
    }
    return (float)(sum / ChoiceNetwork.Inputs);
}
