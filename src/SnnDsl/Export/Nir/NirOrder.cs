namespace SnnDsl.Export.Nir;

/// <summary>
/// The order in which a NIR graph's nodes are evaluated within a time step, and which edges therefore carry the
/// previous step's value. NIR itself does not say (reference note §1.1); SnnDsl adopts NIRTorch's convention — a
/// node reads its inputs' values of this step when they are already computed, else of the previous step (zero at
/// t = 0) — and fixes the order: Kahn's topological order, preferring among the ready nodes the one that appears
/// first as an edge target in the file (nodes that are never a target, the inputs, come first, by name); when every
/// remaining node waits on a cycle, the first remaining one (same preference) is evaluated and its edges from
/// unevaluated nodes become one-step lags. An acyclic graph gets no lag at all; the exporter lists edges so that this
/// order is the network's declaration order.
/// </summary>
internal static class NirOrder
{
    /// <summary>The evaluation order of <paramref name="nodes"/> and the indices of the lagged edges.</summary>
    public static (IReadOnlyList<string> Order, IReadOnlySet<int> Lagged) Evaluate(IReadOnlyList<string> nodes, IReadOnlyList<(string From, string To)> edges)
    {
        var priority = new Dictionary<string, int>();
        foreach (string node in nodes) priority[node] = -1;
        for (int e = 0; e < edges.Count; e++)
            if (priority.TryGetValue(edges[e].To, out int p) && p < 0) priority[edges[e].To] = e;
        var preference = nodes.OrderBy(n => priority[n]).ThenBy(n => n, StringComparer.Ordinal).ToList();

        var done = new HashSet<string>();
        var lagged = new HashSet<int>();
        var order = new List<string>();
        while (order.Count < nodes.Count)
        {
            string? next = preference.FirstOrDefault(n => !done.Contains(n) && Incoming(n).All(e => lagged.Contains(e) || done.Contains(edges[e].From)));
            if (next is null)
            {
                next = preference.First(n => !done.Contains(n));
                foreach (int e in Incoming(next))
                    if (!done.Contains(edges[e].From)) lagged.Add(e);
            }
            done.Add(next);
            order.Add(next);
        }
        return (order, lagged);

        IEnumerable<int> Incoming(string node)
        {
            for (int e = 0; e < edges.Count; e++)
                if (edges[e].To == node) yield return e;
        }
    }
}
