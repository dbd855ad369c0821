using SnnDsl.Rules;

namespace SnnDsl.Tests.Rules;

/// <summary>
/// The built-in rules against independent implementations of the papers' own formulations: reward-modulated STDP as
/// Izhikevich (2007) writes it — an eligibility trace that sums the STDP window over every pair of spikes and decays
/// with τ_c, times the dopamine — and SuperSpike as Zenke &amp; Ganguli (2018) write it — explicit convolutions with the
/// double-exponential kernels, not the recursive filters the rule uses.
/// </summary>
[Trait("Category", "Kernels")]
public class PaperFormulationTests
{
    [Fact]
    public void Reward_modulated_STDP_is_the_pair_sum_of_Izhikevich_2007()
    {
        const int pre = 3, post = 21, steps = 200;
        LearningRuleDescriptor rule = RewardStdp.Descriptor;
        var step = new LearningRuleStep(rule, pre, post);
        float Parameter(string name) => rule.Parameters.First(p => p.Name == name).DefaultValue;
        double decayPlus = Parameter("DecayPlus"), decayMinus = Parameter("DecayMinus"), decayC = Parameter("DecayEligibility");
        double aPlus = Parameter("APlus"), aMinus = Parameter("AMinus"), eta = Parameter("LearningRate");

        var random = new Random(7);
        bool[,] preSpikes = new bool[steps, pre], postSpikes = new bool[steps, post];
        var dopamine = new float[steps];
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < pre; j++) preSpikes[t, j] = random.NextDouble() < 0.08;
            for (int i = 0; i < post; i++) postSpikes[t, i] = random.NextDouble() < 0.08;
            dopamine[t] = random.NextDouble() < 0.1 ? random.NextSingle() : 0f;
        }

        // STDP window of n = t_post − t_pre steps; coincident spikes count both halves.
        double Window(int n) => n > 0 ? aPlus * Math.Pow(decayPlus, n) : n < 0 ? -aMinus * Math.Pow(decayMinus, -n) : aPlus - aMinus;

        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < pre; j++) step.PreSpikes[j] = preSpikes[t, j] ? 1f : 0f;
            for (int i = 0; i < post; i++) step.PostSpikes[i] = postSpikes[t, i] ? 1f : 0f;
            step.Modulator = dopamine[t];
            Run(rule, step);

            for (int j = 0; j < pre; j++)
                for (int i = 0; i < post; i++)
                {
                    // c_ij(t) = Σ over pairs (t_pre, t_post ≤ t) of STDP(t_post − t_pre)·e^{−(t − max(t_pre, t_post))Δt/τ_c}
                    double c = 0;
                    for (int tp = 0; tp <= t; tp++)
                        for (int tq = 0; tq <= t; tq++)
                            if (preSpikes[tp, j] && postSpikes[tq, i]) c += Window(tq - tp) * Math.Pow(decayC, t - Math.Max(tp, tq));
                    double expected = eta * dopamine[t] * c;   // ṡ = c·d
                    Assert.True(Math.Abs(step.WeightChanges[j * post + i] - expected) <= 1e-6 + 1e-5 * Math.Abs(expected),
                        $"step {t}, synapse ({j}, {i}): rule {step.WeightChanges[j * post + i]}, Izhikevich {expected}");
                }
        }
    }

    [Fact]
    public void SuperSpike_is_the_convolution_form_of_Zenke_and_Ganguli_2018()
    {
        const int pre = 2, post = 19, steps = 150;
        LearningRuleDescriptor rule = SuperSpike.Descriptor;
        var step = new LearningRuleStep(rule, pre, post);
        float Parameter(string name) => rule.Parameters.First(p => p.Name == name).DefaultValue;
        double rise = Parameter("RiseFactor"), decay = Parameter("DecayFactor"), threshold = Parameter("Threshold");
        double beta = Parameter("Steepness"), eta = Parameter("LearningRate");

        var random = new Random(11);
        var s = new double[steps, pre];
        var spikes = new double[steps, post];
        var target = new double[steps, post];
        var u = new double[steps, post];
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < pre; j++) s[t, j] = random.NextDouble() < 0.1 ? 1 : 0;
            for (int i = 0; i < post; i++)
            {
                spikes[t, i] = random.NextDouble() < 0.05 ? 1 : 0;
                target[t, i] = random.NextDouble() < 0.05 ? 1 : 0;
                u[t, i] = 1.6 * random.NextDouble() - 0.2;
            }
        }

        // ε(n) = α(n): the double exponential, rise a_r, decay a_d, with ε(0) = 1.
        double Kernel(int n) => (Math.Pow(decay, n + 1) - Math.Pow(rise, n + 1)) / (decay - rise);
        double Surrogate(double membrane) => beta / Math.Pow(1 + Math.Abs(beta * (membrane - threshold)), 2);
        var psp = new double[steps, pre];                // (ε ∗ S_j)(t)
        var error = new double[steps, post];             // e_i(t) = (α ∗ (Ŝ_i − S_i))(t)
        for (int t = 0; t < steps; t++)
            for (int tau = 0; tau <= t; tau++)
            {
                for (int j = 0; j < pre; j++) psp[t, j] += Kernel(t - tau) * s[tau, j];
                for (int i = 0; i < post; i++) error[t, i] += Kernel(t - tau) * (target[tau, i] - spikes[tau, i]);
            }

        var membrane = new float[post];
        step.PostsynapticReads[0] = membrane;
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < pre; j++) step.PreSpikes[j] = (float)s[t, j];
            for (int i = 0; i < post; i++)
            {
                step.PostSpikes[i] = (float)spikes[t, i];
                step.Target[i] = (float)target[t, i];
                membrane[i] = (float)u[t, i];
            }
            Run(rule, step);

            for (int j = 0; j < pre; j++)
                for (int i = 0; i < post; i++)
                {
                    // λ_ij(t) = (α ∗ (σ′(U_i) (ε ∗ S_j)))(t); Δw_ij = η e_i λ_ij
                    double eligibility = 0;
                    for (int tau = 0; tau <= t; tau++) eligibility += Kernel(t - tau) * Surrogate(u[tau, i]) * psp[tau, j];
                    double expected = eta * error[t, i] * eligibility;
                    Assert.True(Math.Abs(step.WeightChanges[j * post + i] - expected) <= 1e-6 + 1e-4 * Math.Abs(expected),
                        $"step {t}, synapse ({j}, {i}): rule {step.WeightChanges[j * post + i]}, paper {expected}");
                }
        }
    }

    /// <summary>One step of the rule's kernels; Δw_ij of this step alone in <c>WeightChanges</c>.</summary>
    private static void Run(LearningRuleDescriptor rule, LearningRuleStep step)
    {
        rule.Kernels.Presynaptic!(step);
        rule.Kernels.Postsynaptic!(step);
        Array.Clear(step.WeightChanges);
        rule.Kernels.Update(step);
    }
}
