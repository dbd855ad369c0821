using SnnDsl.Rules;

namespace SnnDsl.Tests.Rules;

/// <summary>The classification every generated rule descriptor carries (Passes/RuleLocality, docs/learning-rules.md).</summary>
public class RuleLocalityTests
{
    // A state is listed once, with the first method that reads it; an input with every method that reads it.
    private static Dictionary<string, Locality> Reads(LearningRuleDescriptor rule) =>
        rule.Reads.ToDictionary(r => $"{r.Method}:{r.Name}", r => r.Locality);

    [Fact]
    public void Reward_modulated_STDP_reads_synapse_and_neuron_local_quantities_and_a_broadcast_modulator()
    {
        Assert.Equal(new Dictionary<string, Locality>
        {
            ["Presynaptic:X"] = Locality.SynapseLocal,
            ["Presynaptic:spike"] = Locality.SynapseLocal,
            ["Postsynaptic:Y"] = Locality.NeuronLocal,
            ["Postsynaptic:spike"] = Locality.NeuronLocal,
            ["Update:C"] = Locality.SynapseLocal,
            ["Update:pre"] = Locality.SynapseLocal,
            ["Update:post"] = Locality.NeuronLocal,
            ["Update:dopamine"] = Locality.Broadcast,
        }, Reads(RewardStdp.Descriptor));
        Assert.True(RewardStdp.Descriptor.IsLocal);
    }

    [Fact]
    public void SuperSpike_is_local_its_target_and_membrane_belong_to_the_postsynaptic_neuron()
    {
        Dictionary<string, Locality> reads = Reads(SuperSpike.Descriptor);

        Assert.Equal(Locality.NeuronLocal, reads["Postsynaptic:target"]);
        Assert.Equal(Locality.NeuronLocal, reads["Postsynaptic:membrane"]);
        Assert.Equal(Locality.SynapseLocal, reads["Presynaptic:Psp"]);
        Assert.Equal(Locality.NeuronLocal, reads["Postsynaptic:Error"]);
        Assert.Equal(Locality.SynapseLocal, reads["Update:Eligibility"]);
        Assert.True(SuperSpike.Descriptor.IsLocal);
        Assert.False(SuperSpike.Descriptor.Offline);
    }

    [Fact]
    public void Another_neurons_state_and_a_backward_pass_error_are_non_local_with_the_reason()
    {
        LearningRuleDescriptor rule = KitchenSinkRule.Descriptor;

        LocalityRead[] nonLocal = [.. rule.Reads.Where(r => r.Locality == Locality.NonLocal)];

        Assert.Equal(["Presynaptic:u", "Postsynaptic:error", "Update:e"], nonLocal.Select(r => $"{r.Method}:{r.Name}"));
        Assert.Equal("the presynaptic neuron's state U ('u')", nonLocal[0].Quantity);
        Assert.Contains("another neuron's state", nonLocal[0].Reason);
        Assert.Contains("backward pass", nonLocal[1].Reason);
        Assert.Equal(Locality.NeuronLocal, Reads(rule)["Update:u"]);
        Assert.Equal(Locality.SynapseLocal, Reads(rule)["Update:w"]);
        Assert.Equal(Locality.Broadcast, Reads(rule)["Presynaptic:m"]);
        Assert.False(rule.IsLocal);
        Assert.True(rule.Offline);
    }

    [Fact]
    public void Only_what_the_body_reads_is_classified()
    {
        Assert.Equal(["Update:pre"], DeclaredButUnread.Descriptor.Reads.Select(r => $"{r.Method}:{r.Name}"));
        Assert.True(DeclaredButUnread.Descriptor.IsLocal);
        Assert.True(DeclaredButUnread.Descriptor.Declares(RuleInputKind.Error));
    }
}
