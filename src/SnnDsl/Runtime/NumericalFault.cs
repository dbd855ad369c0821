namespace SnnDsl;

/// <summary>Where a numerical fault was found.</summary>
public enum NumericalFaultKind
{
    /// <summary>
    /// A neuron or synapse parameter is NaN, or its value makes the dynamics undefined (division by zero, Log or Sqrt of
    /// a value out of range, Pow with a negative base, Exp overflow in an expression of parameters only).
    /// </summary>
    Parameter,

    /// <summary>A weight of a connection or a bias value is NaN or infinite.</summary>
    Weight,

    /// <summary>A state of a population or of a connection's synapse became NaN or infinite during a forward pass.</summary>
    State,

    /// <summary>The loss of a batch is NaN or infinite.</summary>
    Loss,

    /// <summary>A gradient (of a weight, bias or trainable parameter) is NaN or infinite after the backward pass.</summary>
    Gradient,
}

/// <summary>
/// A NaN or infinity found by <see cref="NumericalChecks"/> or the trainer, with the place it was found: the
/// population, connection or bias (<see cref="Owner"/>), the state, parameter or array (<see cref="Variable"/>), and
/// where it applies the sample, step and neuron or element index.
/// </summary>
/// <param name="Kind">What kind of value is not finite.</param>
/// <param name="Owner">The population, connection or bias; for a loss, the objective's type name.</param>
/// <param name="Variable">The state or parameter name; "weights" for a connection's weights, "values" for a bias.</param>
/// <param name="Value">The offending value (NaN, ±∞, or for a parameter the value that makes the dynamics undefined).</param>
/// <param name="Description">What was found, naming owner, variable and position (without the epoch and batch).</param>
public sealed record NumericalFault(NumericalFaultKind Kind, string Owner, string Variable, float Value, string Description)
{
    /// <summary>The sample within the batch, or −1.</summary>
    public int Sample { get; init; } = -1;

    /// <summary>The time step, or −1.</summary>
    public int Step { get; init; } = -1;

    /// <summary>The neuron (for states and per-neuron parameters) or the element of the array (weights, gradients), or −1.</summary>
    public int Index { get; init; } = -1;

    /// <summary>The 1-based epoch of training, or 0 outside <see cref="Training.Trainer.Fit"/>.</summary>
    public int Epoch { get; init; }

    /// <summary>The 1-based mini-batch within the epoch, or 0 when the fault does not belong to a batch.</summary>
    public int Batch { get; init; }

    /// <summary>The description, prefixed with the epoch and batch when there are.</summary>
    public string Message =>
        Epoch > 0 ? (Batch > 0 ? FormattableString.Invariant($"Epoch {Epoch}, batch {Batch}: ") : FormattableString.Invariant($"Epoch {Epoch}: ")) + Description
                  : Description;

    /// <inheritdoc/>
    public override string ToString() => Message;
}

/// <summary>Thrown when a numerical fault stops a simulation or training; <see cref="Fault"/> says where.</summary>
public sealed class NumericalFaultException : ArithmeticException
{
    /// <summary>Wraps <paramref name="fault"/>; the message is <see cref="NumericalFault.Message"/>.</summary>
    public NumericalFaultException(NumericalFault fault) : base(fault.Message)
    {
        Fault = fault;
    }

    /// <summary>Wraps <paramref name="fault"/> and the exception that stopped handling it (e.g. a checkpoint that could not be read).</summary>
    public NumericalFaultException(NumericalFault fault, Exception innerException) : base(fault.Message, innerException)
    {
        Fault = fault;
    }

    /// <summary>Where the fault is.</summary>
    public NumericalFault Fault { get; }
}
