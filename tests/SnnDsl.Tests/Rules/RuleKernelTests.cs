using SnnDsl.Rules;

namespace SnnDsl.Tests.Rules;

/// <summary>
/// The generated kernels of every built-in rule and of two user rules against <see cref="ReferenceRule"/>, which
/// interprets the same rules from their IR text one element at a time, over many steps (the states carry over) and at
/// sizes that run the Vector512 loop, the Vector256 loop and the scalar tail (CI runs this category at each width).
/// </summary>
[Trait("Category", "Kernels")]
public class RuleKernelTests
{
    public static TheoryData<string> Rules => ["RewardStdp", "SuperSpike", "KitchenSinkRule", "DecayingHebb"];

    internal static LearningRuleDescriptor Descriptor(string name) => name switch
    {
        "RewardStdp" => RewardStdp.Descriptor,
        "SuperSpike" => SuperSpike.Descriptor,
        "KitchenSinkRule" => KitchenSinkRule.Descriptor,
        _ => DecayingHebb.Descriptor,
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Generated_kernels_equal_the_reference_step_after_step(string name)
    {
        LearningRuleDescriptor rule = Descriptor(name);
        // 37 = 16 + 16 + 5 and 27 = 16 + 8 + 3 postsynaptic neurons along a row; 23 presynaptic neurons for Presynaptic's loop.
        foreach ((int pre, int post) in new[] { (23, 37), (3, 27), (1, 1) })
        {
            var random = new Random(pre * 1000 + post);
            var step = new LearningRuleStep(rule, pre, post);
            var reference = new ReferenceRule(rule, pre, post);
            for (int t = 0; t < 30; t++)
            {
                ReferenceRule.Inputs inputs = RandomInputs(random, rule, pre, post);
                Load(step, inputs);
                rule.Kernels.Presynaptic?.Invoke(step);
                rule.Kernels.Postsynaptic?.Invoke(step);
                Array.Clear(step.WeightChanges);
                rule.Kernels.Update(step);

                float[] expected = reference.Step(inputs);
                for (int k = 0; k < expected.Length; k++)
                {
                    float tolerance = 1e-5f * MathF.Max(1f, MathF.Abs(expected[k]));
                    Assert.True(MathF.Abs(step.WeightChanges[k] - expected[k]) <= tolerance,
                        $"{name} {pre}×{post}, step {t}, synapse ({k / post}, {k % post}): kernel {step.WeightChanges[k]}, reference {expected[k]}");
                }
            }
        }
    }

    /// <summary>Random spikes (p = 0.3), states of both neurons, weights, a modulator, targets and errors.</summary>
    internal static ReferenceRule.Inputs RandomInputs(Random random, LearningRuleDescriptor rule, int pre, int post)
    {
        float[] Values(int n, float low, float high) => Enumerable.Range(0, n).Select(_ => low + (high - low) * random.NextSingle()).ToArray();
        float[] Spikes(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? 1f : 0f).ToArray();
        return new ReferenceRule.Inputs(
            Spikes(pre), Spikes(post),
            rule.PresynapticReads.Select(_ => Values(pre, -0.5f, 1.5f)).ToArray(),
            rule.PostsynapticReads.Select(_ => Values(post, -0.5f, 1.5f)).ToArray(),
            Values(pre * post, -1f, 1f), Values(1, -1f, 1f)[0], Spikes(post), Values(post, -0.2f, 0.2f));
    }

    internal static void Load(LearningRuleStep step, ReferenceRule.Inputs inputs)
    {
        inputs.PreSpikes.CopyTo(step.PreSpikes, 0);
        inputs.PostSpikes.CopyTo(step.PostSpikes, 0);
        for (int k = 0; k < inputs.PresynapticReads.Length; k++) step.PresynapticReads[k] = inputs.PresynapticReads[k];
        for (int k = 0; k < inputs.PostsynapticReads.Length; k++) step.PostsynapticReads[k] = inputs.PostsynapticReads[k];
        step.Weights = inputs.Weights;
        step.Modulator = inputs.Modulator;
        inputs.Target.CopyTo(step.Target, 0);
        inputs.Error.CopyTo(step.Error, 0);
    }
}
