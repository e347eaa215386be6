using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Correlation;

public class EventGraphOfTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static Guid Id(int i) => new(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    private static CorrelatedEvent Member(int i, EventRole role, SourceModule module) => new()
    {
        EventId = Id(i),
        SourceModule = module,
        EventType = EventType.Telemetry,
        Severity = Severity.Warning,
        Timestamp = T0.AddMinutes(i),
        Role = role,
        Summary = "member " + i,
    };

    private static CausalLink Link(int from, int to, CausalRelationship relationship, double strength) => new()
    {
        FromEventId = Id(from),
        ToEventId = Id(to),
        Relationship = relationship,
        Strength = strength,
        TimeDeltaMs = (to - from) * 60_000L,
    };

    private static EventCorrelation Incident(params CausalLink[] links) => new()
    {
        CorrelationId = Id(100),
        CorrelationType = CorrelationType.CausalChain,
        Events =
        [
            Member(1, EventRole.RootCause, SourceModule.LlmRegistry),
            Member(2, EventRole.Effect, SourceModule.LlmObservatory),
            Member(3, EventRole.Effect, SourceModule.LlmCostOps),
            Member(4, EventRole.Contributor, SourceModule.LlmSentinel),
        ],
        CausalLinks = links,
        Strength = 0.9,
        Confidence = 0.8,
        TimeWindow = new TimeRange(T0, T0.AddMinutes(10)),
        DetectedAt = T0.AddMinutes(10),
    };

    [Fact]
    public void Of_AnIncident_NodePerMember_EdgePerLink_MetadataByHand()
    {
        var graph = EventGraph.Of(Incident(
            Link(1, 2, CausalRelationship.DirectCause, 0.9),
            Link(2, 3, CausalRelationship.Amplification, 0.7),
            Link(1, 4, CausalRelationship.IndirectCause, 0.6)));

        Assert.Equal(Id(100).ToString("D"), graph.GraphId);
        Assert.Equal(new TimeRange(T0, T0.AddMinutes(10)), graph.TimeRange);
        Assert.Equal([Id(1), Id(2), Id(3), Id(4)], graph.Nodes.Select(n => n.EventId));
        Assert.Equal(("root_cause", "warning", "member 1"), (graph.Nodes[0].Attributes["role"], graph.Nodes[0].Attributes["severity"], graph.Nodes[0].Attributes["summary"]));
        Assert.Equal(
            [
                (Id(1).ToString("D"), Id(2).ToString("D"), EdgeRelationship.Causes, 0.9, "direct_cause"),
                (Id(2).ToString("D"), Id(3).ToString("D"), EdgeRelationship.Amplifies, 0.7, "amplification"),
                (Id(1).ToString("D"), Id(4).ToString("D"), EdgeRelationship.Causes, 0.6, "indirect_cause"),
            ],
            graph.Edges.Select(e => (e.FromNode, e.ToNode, e.RelationshipType, e.Weight, e.Properties["causal_relationship"])));
        Assert.Equal("60000", graph.Edges[0].Properties["time_delta_ms"]);

        // By hand: n = 4, m = 3, one weakly connected component, degree 2m/n = 1.5, density m/(n(n-1)) = 0.25.
        Assert.Equal((4UL, 3UL, 1UL, 1.5, 0.25), (graph.Metadata.NodeCount, graph.Metadata.EdgeCount, graph.Metadata.ConnectedComponents, graph.Metadata.AvgDegree, graph.Metadata.Density));
    }

    [Fact]
    public void Of_NoLinks_EveryMemberItsOwnComponent_AndALinkToAnUnlistedMemberIsLeftOut()
    {
        var unlinked = EventGraph.Of(Incident());
        var partial = EventGraph.Of(Incident(Link(1, 2, CausalRelationship.Correlation, 0.3), Link(2, 99, CausalRelationship.DirectCause, 0.9)));

        Assert.Equal((4UL, 0UL, 4UL, 0.0, 0.0), (unlinked.Metadata.NodeCount, unlinked.Metadata.EdgeCount, unlinked.Metadata.ConnectedComponents, unlinked.Metadata.AvgDegree, unlinked.Metadata.Density));
        var edge = Assert.Single(partial.Edges);
        Assert.Equal(EdgeRelationship.CorrelatesWith, edge.RelationshipType);
        Assert.Equal(3UL, partial.Metadata.ConnectedComponents);
    }

    [Fact]
    public void Of_Null_Throws() => Assert.Throws<ArgumentNullException>(() => EventGraph.Of(null!));
}
