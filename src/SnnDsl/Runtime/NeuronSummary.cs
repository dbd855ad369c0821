using System.Globalization;
using System.Text;

namespace SnnDsl;

/// <summary>Writes <see cref="NeuronDescriptor.Summary"/>: states, parameters, ports, equations and surrogate, aligned for a terminal.</summary>
internal static class NeuronSummary
{
    public static string Write(NeuronDescriptor neuron)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line($"Neuron {neuron.Name} ({(neuron.IsSpiking ? "spiking" : "non-spiking")})");

        Line("  States (initial value):");
        Table(neuron.States.Select(s => s == neuron.PreviousSpike
            ? (s, "0", "S[t−1], the previous step's spike (set by the kernel)")
            : (s, Number(neuron.InitialValue(s)), "")).ToList());

        if (neuron.Parameters.Count == 0) Line("  Parameters: none");
        else
        {
            Line("  Parameters (default):");
            Table(neuron.Parameters.Select(p => (p.Name, Number(p.DefaultValue), $"{(p.PerNeuron ? "per neuron" : "shared")}, {(p.Trainable ? "trainable" : "fixed")}")).ToList());
        }

        Line($"  Ports: {string.Join(", ", neuron.Ports)}");
        Line("  Equations:");
        string equations = neuron.Equations ?? string.Join("\n", new[]
        {
            $"Integrate: {neuron.Integrate}",
            neuron.Fires is null ? null : $"S = Fires(): {neuron.Fires}",
            neuron.Reset is null ? null : $"Reset() where S: {neuron.Reset}",
        }.Where(l => l is not null));
        foreach (string equation in equations.Split('\n')) Line("    " + equation);

        if (neuron.Surrogate is { } surrogate)
        {
            string parameters = string.Join(", ", surrogate.Parameters.Select(p => $"{p.Name} = {Number(p.DefaultValue)}"));
            Line($"  Surrogate: {surrogate.Name}{(parameters.Length == 0 ? "" : $" ({parameters})")}, reset gradient {(neuron.AttachResetGradient ? "attached" : "detached")}");
        }
        return text.ToString();

        void Table(List<(string Name, string Value, string Note)> rows)
        {
            int names = rows.Max(r => r.Name.Length), values = rows.Max(r => r.Value.Length);
            foreach ((string name, string value, string note) in rows)
                Line(note.Length == 0 ? $"    {name.PadRight(names)}  {value}" : $"    {name.PadRight(names)}  {value.PadRight(values)}  {note}");
        }
    }

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
