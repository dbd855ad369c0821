namespace SnnDsl.Training;

/// <summary>
/// A learning-rate schedule, applied by <see cref="Trainer"/> after every epoch (set it in
/// <see cref="TrainerOptions.Schedule"/>). The trainer calls <see cref="Restart"/> when <see cref="Trainer.Fit"/>
/// starts, then after epoch e (1-based) sets η ← <see cref="Next"/>(e, η₀, η, monitored loss), where η₀ is the
/// optimizer's rate when Fit started and the monitored loss is the validation loss if there is a validation set,
/// else the training loss.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The rate for epoch <paramref name="epoch"/> + 1.</summary>
    /// <param name="epoch">The epoch just completed, 1-based.</param>
    /// <param name="initialRate">η₀, the rate of epoch 1.</param>
    /// <param name="currentRate">η of the epoch just completed.</param>
    /// <param name="monitoredLoss">Validation loss after the epoch, or the epoch's training loss without a validation set.</param>
    public abstract float Next(int epoch, float initialRate, float currentRate, float monitoredLoss);

    /// <summary>Forgets the state of a previous run (plateau counters); stateless schedules do nothing.</summary>
    public virtual void Restart()
    {
    }

    /// <summary>
    /// What the schedule remembers between epochs (e.g. the plateau counters), by name, for checkpoints; empty for a
    /// stateless schedule. <see cref="ImportState"/> restores it.
    /// </summary>
    public virtual IReadOnlyDictionary<string, double> ExportState() => new Dictionary<string, double>();

    /// <summary>Restores what <see cref="ExportState"/> returned.</summary>
    /// <exception cref="ArgumentException">The state does not belong to this kind of schedule.</exception>
    public virtual void ImportState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count > 0)
            throw new ArgumentException($"{GetType().Name} keeps no state, but the saved schedule state has {string.Join(", ", state.Keys)}.", nameof(state));
    }

    /// <summary>
    /// PyTorch's <c>StepLR(step_size, gamma)</c>: η ← γ·η after every <paramref name="stepSize"/> epochs, so epoch e
    /// runs at η₀·γ^⌊(e − 1)/stepSize⌋. The product is taken in single precision step by step, as
    /// <c>optimizer.LearningRate *= γ</c> would. <c>Step(1, γ)</c> is exponential decay (<c>ExponentialLR</c>).
    /// </summary>
    public static LearningRateSchedule Step(int stepSize, float gamma) => new StepDecay(stepSize, gamma);

    /// <summary>
    /// PyTorch's <c>CosineAnnealingLR(T_max, eta_min)</c> in closed form (SGDR without restarts, Loshchilov &amp;
    /// Hutter 2017): after e epochs, η = η_min + (η₀ − η_min)(1 + cos(π·e/T_max))/2, and η_min after T_max epochs.
    /// </summary>
    public static LearningRateSchedule Cosine(int periodEpochs, float minRate = 0f) => new CosineAnnealing(periodEpochs, minRate);

    /// <summary>
    /// PyTorch's <c>ReduceLROnPlateau(mode='min', factor, patience, threshold, threshold_mode='rel', cooldown,
    /// min_lr)</c>: a loss counts as better when it is below best·(1 − threshold); after more than
    /// <paramref name="patience"/> epochs in a row without a better loss, η ← max(η·factor, minRate), then
    /// <paramref name="cooldown"/> epochs pass in which bad epochs are not counted.
    /// </summary>
    public static LearningRateSchedule ReduceOnPlateau(float factor = 0.1f, int patience = 10, float threshold = 1e-4f, int cooldown = 0, float minRate = 0f) =>
        new PlateauReduction(factor, patience, threshold, cooldown, minRate);

    private sealed class StepDecay : LearningRateSchedule
    {
        private readonly int _stepSize;
        private readonly float _gamma;

        public StepDecay(int stepSize, float gamma)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
            if (!(gamma > 0f) || !float.IsFinite(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be positive and finite.");
            (_stepSize, _gamma) = (stepSize, gamma);
        }

        public override float Next(int epoch, float initialRate, float currentRate, float monitoredLoss) =>
            epoch % _stepSize == 0 ? currentRate * _gamma : currentRate;
    }

    private sealed class CosineAnnealing : LearningRateSchedule
    {
        private readonly int _period;
        private readonly float _minRate;

        public CosineAnnealing(int period, float minRate)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(period);
            if (!(minRate >= 0f) || !float.IsFinite(minRate)) throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "η_min must be finite and non-negative.");
            (_period, _minRate) = (period, minRate);
        }

        public override float Next(int epoch, float initialRate, float currentRate, float monitoredLoss)
        {
            if (epoch >= _period) return _minRate;
            return (float)(_minRate + (initialRate - _minRate) * (1 + Math.Cos(Math.PI * epoch / _period)) / 2);
        }
    }

    private sealed class PlateauReduction : LearningRateSchedule
    {
        private const float Eps = 1e-8f;   // PyTorch's eps: smaller changes of η are ignored
        private readonly float _factor, _threshold, _minRate;
        private readonly int _patience, _cooldown;
        private float _best;
        private int _badEpochs, _cooldownLeft;

        public PlateauReduction(float factor, int patience, float threshold, int cooldown, float minRate)
        {
            if (!(factor > 0f && factor < 1f)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must lie in (0, 1).");
            ArgumentOutOfRangeException.ThrowIfNegative(patience);
            ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
            if (!(threshold >= 0f) || !float.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be finite and non-negative.");
            if (!(minRate >= 0f) || !float.IsFinite(minRate)) throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "The minimum rate must be finite and non-negative.");
            (_factor, _patience, _threshold, _cooldown, _minRate) = (factor, patience, threshold, cooldown, minRate);
            Restart();
        }

        public override void Restart()
        {
            _best = float.PositiveInfinity;
            _badEpochs = 0;
            _cooldownLeft = 0;
        }

        public override IReadOnlyDictionary<string, double> ExportState() =>
            new Dictionary<string, double> { ["best"] = _best, ["bad-epochs"] = _badEpochs, ["cooldown-left"] = _cooldownLeft };

        public override void ImportState(IReadOnlyDictionary<string, double> state)
        {
            ArgumentNullException.ThrowIfNull(state);
            string[] keys = ["best", "bad-epochs", "cooldown-left"];
            foreach (string key in keys)
                if (!state.ContainsKey(key)) throw new ArgumentException($"The saved plateau state has no '{key}'.", nameof(state));
            if (state.Count != keys.Length)
                throw new ArgumentException($"The saved plateau state has {string.Join(", ", state.Keys)}; expected {string.Join(", ", keys)}.", nameof(state));
            (_best, _badEpochs, _cooldownLeft) = ((float)state["best"], checked((int)state["bad-epochs"]), checked((int)state["cooldown-left"]));
        }

        public override float Next(int epoch, float initialRate, float currentRate, float monitoredLoss)
        {
            // Relative improvement in 'min' mode: better when below best·(1 − threshold).
            if (monitoredLoss < _best * (1 - _threshold))
            {
                _best = monitoredLoss;
                _badEpochs = 0;
            }
            else _badEpochs++;
            if (_cooldownLeft > 0)
            {
                _cooldownLeft--;
                _badEpochs = 0;   // bad epochs in the cooldown do not count
            }
            if (_badEpochs <= _patience) return currentRate;
            _cooldownLeft = _cooldown;
            _badEpochs = 0;
            float reduced = MathF.Max(currentRate * _factor, _minRate);
            return currentRate - reduced > Eps ? reduced : currentRate;
        }
    }
}
