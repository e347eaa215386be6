using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>The merged graph and its traversal against slow references: distinct members and links, and distances by repeated relaxation.</summary>
public class EventGraphProperties
{
    private static List<EventCorrelation> Incidents(Random random)
    {
        var incidents = new List<EventCorrelation>();
        var count = random.Next(1, 6);
        for (var id = 1; id <= count; id++)
        {
            var members = Enumerable.Range(1, 12).Where(_ => random.Next(3) == 0).ToArray();
            if (members.Length == 0)
            {
                continue;
            }

            var links = Enumerable.Range(0, random.Next(0, 2 * members.Length))
                .Select(_ => (members[random.Next(members.Length)], members[random.Next(members.Length)], Math.Round(random.NextDouble(), 2)))
                .Where(l => l.Item1 < l.Item2)
                .DistinctBy(l => (l.Item1, l.Item2))
                .ToArray();
            incidents.Add(EventGraphOverTests.Incident(id, members, links));
        }

        return incidents;
    }

    [Property(MaxTest = 200)]
    public bool Over_HasEachDistinctMemberAndLinkOnce_WithTheStrongestWeight(int seed)
    {
        var incidents = Incidents(new Random(seed));
        var graph = EventGraph.Over(incidents, new TimeRange(EventGraphOverTests.T0, EventGraphOverTests.T0.AddHours(1)));
        var members = incidents.SelectMany(i => i.Events.Select(e => e.EventId.ToString("D"))).ToHashSet();
        var links = incidents.SelectMany(i => i.CausalLinks)
            .GroupBy(l => (l.FromEventId.ToString("D"), l.ToEventId.ToString("D")))
            .ToDictionary(g => g.Key, g => g.Max(l => l.Strength));
        return graph.Nodes.Count == members.Count && members.SetEquals(graph.Nodes.Select(n => n.NodeId))
            && graph.Edges.Count == links.Count && graph.Edges.All(e => links.TryGetValue((e.FromNode, e.ToNode), out var w) && w == e.Weight)
            && graph.Metadata.NodeCount == (ulong)members.Count && graph.Metadata.EdgeCount == (ulong)links.Count;
    }

    [Property(MaxTest = 200)]
    public bool Traverse_ReachesExactlyTheNodesWithinTheDepth_AtTheirDistance(int seed, byte depth)
    {
        var random = new Random(seed);
        var graph = EventGraph.Over(Incidents(random), new TimeRange(EventGraphOverTests.T0, EventGraphOverTests.T0.AddHours(1)));
        var start = EventGraphOverTests.Id(random.Next(1, 14)).ToString("D");
        var maxDepth = (uint)(depth % 7);

        // Reference: distances by relaxing every edge, both ways, n times.
        var distance = graph.Nodes.ToDictionary(n => n.NodeId, n => n.NodeId == start ? 0 : int.MaxValue);
        for (var round = 0; round < graph.Nodes.Count; round++)
        {
            foreach (var edge in graph.Edges)
            {
                foreach (var (u, v) in new[] { (edge.FromNode, edge.ToNode), (edge.ToNode, edge.FromNode) })
                {
                    if (distance[u] != int.MaxValue && distance[u] + 1 < distance[v])
                    {
                        distance[v] = distance[u] + 1;
                    }
                }
            }
        }

        var expected = distance.Where(d => d.Value <= maxDepth).ToDictionary(d => d.Key, d => d.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var traversed = graph.Traverse(Guid.Parse(start), maxDepth);
        var edges = graph.Edges.Where(e => expected.ContainsKey(e.FromNode) && expected.ContainsKey(e.ToNode)).Select(e => e.EdgeId);
        return traversed.Nodes.Count == expected.Count
            && traversed.Nodes.All(n => expected.TryGetValue(n.NodeId, out var d) && n.Attributes["depth"] == d)
            && traversed.Edges.Select(e => e.EdgeId).SequenceEqual(edges);
    }
}
