using AnalyticsHub.Correlation.Topology;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation.Topology;

/// <summary>Laws of the dependency graph, checked against an obvious reference.</summary>
public class DependencyGraphProperties
{
    /// <summary>The dependencies are exactly the services reachable along calls (a fixed-point closure as reference).</summary>
    [Property]
    public bool DependenciesOf_IsTheReachableSet(byte[] edges, byte start)
    {
        var graph = new DependencyGraph();
        var pairs = new List<(int, int)>();
        for (var i = 0; i + 1 < edges.Length; i += 2)
        {
            var (from, to) = (edges[i] % 8, edges[i + 1] % 8);
            if (from != to)
            {
                graph.AddCall($"s{from}", $"s{to}");
                pairs.Add((from, to));
            }
        }

        var origin = $"s{start % 8}";
        if (!graph.Contains(origin))
        {
            return graph.DependenciesOf(origin).Count == 0;
        }

        var reach = new HashSet<int> { start % 8 };
        while (pairs.Where(p => reach.Contains(p.Item1)).Select(p => p.Item2).Where(reach.Add).ToList().Count > 0)
        {
        }

        var found = graph.DependenciesOf(origin);
        return found[0] == origin && found.Count == reach.Count && found.ToHashSet().SetEquals(reach.Select(r => $"s{r}"));
    }
}
