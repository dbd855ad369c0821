using System;
using System.Collections.Generic;
using System.Linq;

// Shared with the generator (generators/SnnDsl.Generators/SnnDsl.Generators.csproj), which compiles this file into
// a namespace of its own, so that its tests, which reference both assemblies, see one NirGraph, not two.
#if SNNDSL_ANALYZERS
namespace SnnDsl.Generators.RuntimeNir;
#else
namespace SnnDsl.Export.Nir;
#endif

/// <summary>
/// The order in which a NIR graph's nodes are evaluated within a time step, and which edges therefore carry the
/// previous step's value. NIR itself does not say (reference note §1.1); SnnDsl adopts NIRTorch's convention — a
/// node reads an input's value of this step when that input is already evaluated, else of the previous step (zero at
/// t = 0). The order: the one in the graph metadata <c>snndsl_order</c> when SnnDsl wrote the file (its declaration
/// order); otherwise a depth-first order over predecessors, starting from the nodes in the order they first appear as
/// an edge target (nodes never targeted, the inputs, first, by name), in which an edge that closes a cycle is the
/// lagged one. An acyclic graph gets no lag at all.
/// </summary>
internal static class NirOrder
{
    /// <summary>The metadata key of the evaluation order SnnDsl writes (node names joined by commas).</summary>
    public const string MetadataKey = "snndsl_order";

    /// <summary>The evaluation order of <paramref name="nodes"/> and the indices of the lagged edges.</summary>
    public static (IReadOnlyList<string> Order, ISet<int> Lagged) Evaluate(
        IReadOnlyList<string> nodes, IReadOnlyList<(string From, string To)> edges, IReadOnlyList<string>? declared = null)
    {
        List<string> order;
        if (declared is not null && declared.Count == nodes.Count && new HashSet<string>(declared).SetEquals(nodes)) order = declared.ToList();
        else
        {
            var priority = nodes.ToDictionary(n => n, _ => int.MaxValue);
            for (int e = edges.Count - 1; e >= 0; e--)
                if (priority.ContainsKey(edges[e].To)) priority[edges[e].To] = e;
            var roots = nodes.OrderBy(n => priority[n] == int.MaxValue ? -1 : priority[n]).ThenBy(n => n, StringComparer.Ordinal);
            order = [];
            var done = new HashSet<string>();
            var onStack = new HashSet<string>();
            void Visit(string node)
            {
                if (done.Contains(node) || !onStack.Add(node)) return;    // on the stack: this edge closes a cycle
                for (int e = 0; e < edges.Count; e++)
                    if (edges[e].To == node) Visit(edges[e].From);
                onStack.Remove(node);
                done.Add(node);
                order.Add(node);
            }
            foreach (string root in roots) Visit(root);
        }
        var position = new Dictionary<string, int>();
        for (int k = 0; k < order.Count; k++) position[order[k]] = k;
        var lagged = new HashSet<int>();
        for (int e = 0; e < edges.Count; e++)
            if (position[edges[e].From] >= position[edges[e].To]) lagged.Add(e);
        return (order, lagged);
    }
}
