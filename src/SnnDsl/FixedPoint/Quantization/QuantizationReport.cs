using System.Globalization;
using System.Text;

namespace SnnDsl.FixedPoint;

/// <summary>A parameter the profile could not hold exactly: what was asked, what the chip gets, and how it is encoded.</summary>
/// <param name="Owner">Population or connection.</param>
/// <param name="Parameter">Parameter name (Alpha, Beta, Threshold, …).</param>
/// <param name="Requested">The float value.</param>
/// <param name="Represented">The value the integer parameters stand for, in the same units.</param>
/// <param name="Encoding">The integers, e.g. "du = 742" or "dash_syn = 3".</param>
public sealed record ParameterChange(string Owner, string Parameter, double Requested, double Represented, string Encoding)
{
    /// <summary>|represented − requested| / |requested| (0 when both are 0).</summary>
    public double RelativeError => Requested == 0 ? (Represented == 0 ? 0 : double.PositiveInfinity) : Math.Abs(Represented - Requested) / Math.Abs(Requested);
}

/// <summary>How a connection's weights were quantized.</summary>
/// <param name="Connection">Connection name.</param>
/// <param name="Encoding">The integer format, e.g. "8-bit mixed, weight_exp −2" or "int8 « 4".</param>
/// <param name="Step">The float value of one integer step (the quantization step), for the largest per-channel step.</param>
/// <param name="Clipped">Weights outside the integer range, clipped.</param>
/// <param name="Zeroed">Non-zero float weights that became 0.</param>
/// <param name="RmsError">Root-mean-square of (quantized − float) over all weights, in float units.</param>
public sealed record WeightQuantization(string Connection, string Encoding, double Step, int Clipped, int Zeroed, double RmsError);

/// <summary>
/// What quantizing a float network to a profile changed: parameters snapped to representable values (with their relative
/// error), how each weight matrix was encoded, and the behavioural differences between the float neuron and the chip's.
/// </summary>
public sealed class QuantizationReport
{
    /// <summary>A report.</summary>
    public QuantizationReport(TargetProfile profile, IReadOnlyList<ParameterChange> parameters, IReadOnlyList<WeightQuantization> weights, IReadOnlyList<string> notes)
    {
        Profile = profile;
        Parameters = parameters;
        Weights = weights;
        Notes = notes;
    }

    /// <summary>A report with nothing in it (a network built from integers).</summary>
    public static QuantizationReport Empty(TargetProfile profile) => new(profile, [], [], []);

    /// <summary>The profile.</summary>
    public TargetProfile Profile { get; }

    /// <summary>Decays, thresholds and biases with their represented values.</summary>
    public IReadOnlyList<ParameterChange> Parameters { get; }

    /// <summary>Weight matrices.</summary>
    public IReadOnlyList<WeightQuantization> Weights { get; }

    /// <summary>Behavioural differences and mapping decisions, one sentence each.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The largest relative error of a decay parameter (0 when there is none).</summary>
    public double MaxDecayError => Parameters.Where(p => p.Parameter is "Alpha" or "Beta").Select(p => p.RelativeError).DefaultIfEmpty(0).Max();

    /// <summary>A plain-text table of the report.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine($"Quantized to {Profile.Name}");
        foreach (ParameterChange p in Parameters)
            text.AppendLine(string.Create(c, $"  {p.Owner}.{p.Parameter}: {p.Requested:G6} → {p.Represented:G6} ({p.Encoding}), relative error {100 * p.RelativeError:F2}%"));
        foreach (WeightQuantization w in Weights)
            text.AppendLine(string.Create(c, $"  {w.Connection}: {w.Encoding}, step {w.Step:G4}, rms error {w.RmsError:G3}, {w.Clipped} clipped, {w.Zeroed} rounded to 0"));
        foreach (string note in Notes) text.AppendLine("  note: " + note);
        return text.ToString();
    }
}
