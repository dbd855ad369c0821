using SnnDsl.Tests.Reference;
using static SnnDsl.Tests.Reference.Ir;

namespace SnnDsl.Tests.Rules;

/// <summary>
/// The scalar reference for learning rules: reads a rule's methods from the IR text of its descriptor (docs/ir.md) and
/// runs them one presynaptic neuron, one postsynaptic neuron, one synapse at a time in float32, in the order the rule
/// semantics give (Presynaptic for every j, Postsynaptic for every i, then Update for every synapse), with the
/// evaluator of the network reference interpreter.
/// </summary>
internal sealed class ReferenceRule
{
    private readonly LearningRuleDescriptor _rule;
    private readonly float[] _parameters;
    private readonly int _pre, _post;
    private readonly float[][] _preStates, _postStates, _synapticStates;

    public ReferenceRule(LearningRuleDescriptor rule, int pre, int post, float[]? parameters = null)
    {
        _rule = rule;
        _pre = pre;
        _post = post;
        _parameters = parameters ?? rule.Parameters.Select(p => p.DefaultValue).ToArray();
        _preStates = rule.PresynapticStates.Select(_ => new float[pre]).ToArray();
        _postStates = rule.PostsynapticStates.Select(_ => new float[post]).ToArray();
        _synapticStates = rule.SynapticStates.Select(_ => new float[pre * post]).ToArray();
    }

    /// <summary>What the rule reads at one step; per presynaptic neuron [pre], per postsynaptic neuron [post], per synapse [pre·post].</summary>
    public sealed record Inputs(float[] PreSpikes, float[] PostSpikes, float[][] PresynapticReads, float[][] PostsynapticReads, float[] Weights,
        float Modulator, float[] Target, float[] Error);

    /// <summary>One step; returns Δw_ij, row-major [pre, post].</summary>
    public float[] Step(Inputs inputs)
    {
        var tape = new Tape();
        if (_rule.Presynaptic is { } presynaptic)
            for (int j = 0; j < _pre; j++)
                Run(presynaptic, tape, j, -1, inputs, out _);
        if (_rule.Postsynaptic is { } postsynaptic)
            for (int i = 0; i < _post; i++)
                Run(postsynaptic, tape, -1, i, inputs, out _);
        var delta = new float[_pre * _post];
        for (int j = 0; j < _pre; j++)
            for (int i = 0; i < _post; i++)
            {
                Run(_rule.Update, tape, j, i, inputs, out float change);
                delta[j * _post + i] = change;
            }
        return delta;
    }

    /// <summary>Runs a method for presynaptic neuron <paramref name="j"/> and/or postsynaptic neuron <paramref name="i"/> (−1: not indexed).</summary>
    private void Run(RuleMethodDescriptor method, Tape tape, int j, int i, Inputs inputs, out float result)
    {
        var names = new List<string>();
        var values = new List<Scalar>();
        void Bind(IReadOnlyList<string> states, float[][] buffers, int index)
        {
            for (int k = 0; k < states.Count; k++)
            {
                names.Add(states[k]);
                values.Add(Scalar.Constant(buffers[k][index]));
            }
        }
        if (j >= 0) Bind(_rule.PresynapticStates, _preStates, j);
        if (i >= 0) Bind(_rule.PostsynapticStates, _postStates, i);
        if (j >= 0 && i >= 0) Bind(_rule.SynapticStates, _synapticStates, j * _post + i);
        Scalar[] states = [.. values];

        var arguments = new Dictionary<string, Scalar>();
        foreach (RuleInputDescriptor input in method.Inputs)
        {
            float value = input.Kind switch
            {
                RuleInputKind.PreSpike => inputs.PreSpikes[j],
                RuleInputKind.PostSpike => inputs.PostSpikes[i],
                RuleInputKind.PresynapticState => inputs.PresynapticReads[IndexOf(_rule.PresynapticReads, input.State!)][j],
                RuleInputKind.PostsynapticState => inputs.PostsynapticReads[IndexOf(_rule.PostsynapticReads, input.State!)][i],
                RuleInputKind.Weight => inputs.Weights[j * _post + i],
                RuleInputKind.Modulator => inputs.Modulator,
                RuleInputKind.Target => inputs.Target[i],
                _ => inputs.Error[i],
            };
            arguments[input.Name] = Scalar.Constant(value);
        }
        var scope = new Scope(tape, $"{_rule.Name}", names, states, name => IndexOf(_rule.Parameters.Select(p => p.Name).ToList(), name) is int p and >= 0 ? Scalar.Constant(_parameters[p]) : null, arguments);
        Evaluator.Run(ParseBlock(method.Body), scope);
        result = method.Result is null ? 0f : Evaluator.Eval(ParseExpr(method.Result), scope).Value;

        // Write back the states the method may change.
        int offset = 0;
        void Store(IReadOnlyList<string> stateNames, float[][] buffers, int index)
        {
            for (int k = 0; k < stateNames.Count; k++) buffers[k][index] = states[offset + k].Value;
            offset += stateNames.Count;
        }
        if (j >= 0) Store(_rule.PresynapticStates, _preStates, j);
        if (i >= 0) Store(_rule.PostsynapticStates, _postStates, i);
        if (j >= 0 && i >= 0) Store(_rule.SynapticStates, _synapticStates, j * _post + i);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int k = 0; k < names.Count; k++) if (names[k] == name) return k;
        return -1;
    }
}
