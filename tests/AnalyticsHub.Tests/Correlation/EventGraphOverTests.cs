using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>The event graph over several incidents and the traversal from a seed event, checked by hand.</summary>
public class EventGraphOverTests
{
    internal static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    internal static Guid Id(int i) => new(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, 2]);

    internal static EventCorrelation Incident(int id, int[] members, params (int From, int To, double Strength)[] links) => new()
    {
        CorrelationId = Id(1000 + id),
        CorrelationType = CorrelationType.Temporal,
        Events = [.. members.Select(m => new CorrelatedEvent
        {
            EventId = Id(m), SourceModule = SourceModule.LlmObservatory, EventType = EventType.Telemetry, Severity = Severity.Warning,
            Timestamp = T0.AddMinutes(m), Role = m == members[0] ? EventRole.RootCause : EventRole.Effect, Summary = $"member {m} of {id}",
        })],
        CausalLinks = [.. links.Select(l => new CausalLink
        {
            FromEventId = Id(l.From), ToEventId = Id(l.To), Relationship = CausalRelationship.DirectCause, Strength = l.Strength, TimeDeltaMs = (l.To - l.From) * 60_000L,
        })],
        Strength = 0.9,
        Confidence = 0.8,
        TimeWindow = new TimeRange(T0.AddMinutes(members.Min()), T0.AddMinutes(members.Max())),
        DetectedAt = T0.AddMinutes(members.Max()),
    };

    /// <summary>A: a → b (0.9), b → c (0.6); B: b → c (0.8), c → d (0.5). With a = 1, b = 2, c = 3, d = 4.</summary>
    private static EventGraph TwoIncidents() => EventGraph.Over(
        [Incident(1, [1, 2, 3], (1, 2, 0.9), (2, 3, 0.6)), Incident(2, [2, 3, 4], (2, 3, 0.8), (3, 4, 0.5))],
        new TimeRange(T0, T0.AddHours(1)));

    private static string Node(int i) => Id(i).ToString("D");

    [Fact]
    public void Over_SharedEventsAreOneNode_SharedLinksOneEdgeWithTheStrongestWeight()
    {
        var graph = TwoIncidents();

        Assert.Equal([Node(1), Node(2), Node(3), Node(4)], graph.Nodes.Select(n => n.NodeId));
        Assert.Equal([(Node(1), Node(2), 0.9), (Node(2), Node(3), 0.8), (Node(3), Node(4), 0.5)], graph.Edges.Select(e => (e.FromNode, e.ToNode, e.Weight)));
        var a = Id(1001).ToString("D");
        var b = Id(1002).ToString("D");
        Assert.Equal([a, a + "," + b, a + "," + b, b], graph.Nodes.Select(n => n.Attributes["correlation_ids"]));
        Assert.Equal([a, a + "," + b, b], graph.Edges.Select(e => e.Properties["correlation_ids"]));
        Assert.Equal("member 2 of 1", graph.Nodes[1].Attributes["summary"]);
        // n = 4, m = 3: one component, average degree 2 × 3 / 4 = 1.5, density 3 / (4 × 3) = 0.25.
        Assert.Equal((4ul, 3ul, 1ul, 1.5, 0.25), (graph.Metadata.NodeCount, graph.Metadata.EdgeCount, graph.Metadata.ConnectedComponents, graph.Metadata.AvgDegree, graph.Metadata.Density));
        Assert.Equal("range:2026-03-02T12:00:00.0000000+00:00/2026-03-02T13:00:00.0000000+00:00", graph.GraphId);
    }

    [Fact]
    public void Traverse_FollowsEdgesBothWays_UpToTheDepth()
    {
        var graph = TwoIncidents();

        var fromA = graph.Traverse(Id(1), 1);
        var fromD = graph.Traverse(Id(4), 2);
        var seedOnly = graph.Traverse(Id(3), 0);

        Assert.Equal([(Node(1), "0"), (Node(2), "1")], fromA.Nodes.Select(n => (n.NodeId, n.Attributes["depth"])));
        Assert.Equal([(Node(1), Node(2))], fromA.Edges.Select(e => (e.FromNode, e.ToNode)));
        // n = 2, m = 1: average degree 1, density 1 / (2 × 1) = 0.5.
        Assert.Equal((2ul, 1ul, 1ul, 1.0, 0.5), (fromA.Metadata.NodeCount, fromA.Metadata.EdgeCount, fromA.Metadata.ConnectedComponents, fromA.Metadata.AvgDegree, fromA.Metadata.Density));
        Assert.Equal([(Node(2), "2"), (Node(3), "1"), (Node(4), "0")], fromD.Nodes.Select(n => (n.NodeId, n.Attributes["depth"])));
        Assert.Equal([(Node(2), Node(3)), (Node(3), Node(4))], fromD.Edges.Select(e => (e.FromNode, e.ToNode)));
        Assert.Equal([Node(3)], seedOnly.Nodes.Select(n => n.NodeId));
        Assert.Empty(seedOnly.Edges);
        Assert.EndsWith("|seed:" + Node(4), fromD.GraphId, StringComparison.Ordinal);
    }

    [Fact]
    public void Traverse_ASeedNotInTheGraph_GivesAnEmptyGraph()
    {
        var graph = TwoIncidents().Traverse(Id(99), 5);

        Assert.Empty(graph.Nodes);
        Assert.Equal((0ul, 0ul, 0.0), (graph.Metadata.NodeCount, graph.Metadata.EdgeCount, graph.Metadata.AvgDegree));
    }

    [Fact]
    public void Of_AQueryAnswer_MergesItsIncidents_AndTraversesFromItsSeed_ARefusalThrows()
    {
        CorrelationQueryResult result = new()
        {
            Correlations = [Incident(1, [1, 2, 3], (1, 2, 0.9), (2, 3, 0.6)), Incident(2, [2, 3, 4], (2, 3, 0.8), (3, 4, 0.5))],
            Window = new TimeRange(T0, T0.AddHours(1)),
        };

        var whole = EventGraph.Of(result, new CorrelationQuery { SeedEventId = Guid.Empty, TimeWindowMinutes = 60 });
        var seeded = EventGraph.Of(result, new CorrelationQuery { SeedEventId = Id(1), TimeWindowMinutes = 60, MaxDepth = 2 });

        Assert.Equal(4, whole.Nodes.Count);
        Assert.Equal([Node(1), Node(2), Node(3)], seeded.Nodes.Select(n => n.NodeId));
        Assert.Throws<ArgumentException>(() => EventGraph.Of(new CorrelationQueryResult { Problems = [new Problem(ProblemCodes.NumberOutOfRange, "$.max_depth", "no")] }, new CorrelationQuery { TimeWindowMinutes = 60 }));
    }
}
