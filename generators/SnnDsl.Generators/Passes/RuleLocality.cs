using System.Collections.Generic;
using System.Linq;
using SnnDsl.Generators.Helpers;
using SnnDsl.Generators.Model;

namespace SnnDsl.Generators.Passes;

/// <summary>
/// Classifies every quantity a learning rule reads (docs/learning-rules.md), after the locality definition of Neftci,
/// Mostafa &amp; Zenke (2019, "The RNN learning problem"): for a synapse from B onto A, its weight w_BA, A's spike and
/// A's state are local; another neuron's state (U_B) is spatially non-local and needs a dedicated channel; past activity
/// of another neuron beyond what the synapse receives, a future step and an error computed by a backward pass are
/// non-local. A global (broadcast) signal such as a neuromodulator is acceptable. Only what the IR reads counts: a
/// parameter the body never uses is not a read.
/// </summary>
internal static class RuleLocality
{
    public static EquatableArray<LocalityRead> Of(LearningRuleModel rule)
    {
        var reads = new List<LocalityRead>();
        var states = new HashSet<string>();
        foreach (RuleMethod method in rule.Methods)
        {
            var read = new List<Expr>();
            foreach (Assign assign in method.Body.Statements) IrWalker.Any(assign.Value, e => { read.Add(e); return false; });
            if (method.Result is not null) IrWalker.Any(method.Result, e => { read.Add(e); return false; });

            // The rule's own states, in declaration order, once each.
            foreach (string state in rule.PresynapticStates.Concat(rule.PostsynapticStates).Concat(rule.SynapticStates))
            {
                if (!read.Any(e => e is StateRef s && s.Name == state) || !states.Add(state)) continue;
                reads.Add(rule.PresynapticStates.Contains(state)
                    ? new LocalityRead($"presynaptic state {state}", method.Kind, state, Locality.SynapseLocal,
                        "a trace of the spikes the synapse receives, kept where they arrive")
                    : rule.PostsynapticStates.Contains(state)
                        ? new LocalityRead($"postsynaptic state {state}", method.Kind, state, Locality.NeuronLocal, "kept by the postsynaptic neuron")
                        : new LocalityRead($"synaptic state {state}", method.Kind, state, Locality.SynapseLocal, "kept by the synapse itself"));
            }

            // The method's inputs, each where it is read.
            foreach (RuleInput input in method.Inputs)
            {
                if (!read.Any(e => e is InputRef i && i.Name == input.Name)) continue;
                (string quantity, Locality locality, string reason) = Classify(input);
                reads.Add(new LocalityRead($"{quantity} ('{input.Name}')", method.Kind, input.Name, locality, reason));
            }
        }
        return reads.ToEquatableArray();
    }

    private static (string Quantity, Locality Locality, string Reason) Classify(RuleInput input) => input.Kind switch
    {
        RuleInputKind.PreSpike => ("the presynaptic spike", Locality.SynapseLocal, "the spike the synapse receives"),
        RuleInputKind.PostSpike => ("the postsynaptic spike", Locality.NeuronLocal, "the postsynaptic neuron's own spike"),
        RuleInputKind.PostsynapticState => ($"the postsynaptic neuron's state {input.State}", Locality.NeuronLocal, "the postsynaptic neuron's own state"),
        RuleInputKind.PresynapticState => ($"the presynaptic neuron's state {input.State}", Locality.NonLocal,
            "another neuron's state: a synapse receives only the spikes of its presynaptic neuron"),
        RuleInputKind.Weight => ("the weight W_ij", Locality.SynapseLocal, "the synapse's own weight"),
        RuleInputKind.Modulator => ("the modulator", Locality.Broadcast, "one value per step for every synapse, like a neuromodulator"),
        RuleInputKind.Target => ("the target", Locality.NeuronLocal, "delivered to the postsynaptic neuron at the step"),
        _ => ("the error", Locality.NonLocal, "an error computed outside the neuron, by a backward pass or from a loss over the whole sequence"),
    };
}
