using AnalyticsHub.Correlation;
using AnalyticsHub.Evaluation.Incidents;
using AnalyticsHub.Events;
using static AnalyticsHub.Evaluation.Tests.Incidents.IncidentTruths;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class BaselineEngineTests
{
    private static Dictionary<string, string> Tags(string tenant, string region) => new() { ["tenant"] = tenant, ["region"] = region };

    [Fact]
    public void TimeBucket_Finish_GroupsByFixedFiveMinuteBucketsWithTheEarliestEventsAsRoots()
    {
        var engine = new TimeBucketIncidentEngine();
        engine.Observe(Event(1, T0.AddMinutes(1), Latency()));
        engine.Observe(Event(2, T0.AddMinutes(4.9), IncidentTruths.Cost(1.0)));
        engine.Observe(Event(3, T0.AddMinutes(0.5), Latency()));
        engine.Observe(Event(4, T0.AddMinutes(5), IncidentTruths.Cost(0.25)));
        engine.Observe(Event(5, T0.AddMinutes(3), Latency()));
        engine.Observe(Event(6, T0.AddMinutes(2), Latency()));

        var incidents = engine.Finish();

        Assert.Equal(2, incidents.Count);
        Assert.Equal(Ids(1, 2, 3, 5, 6), incidents[0].EventIds);
        Assert.Equal(Ids(3, 1, 6), incidents[0].RootCandidates.Select(c => c.EventId!.Value));
        Assert.Equal([CorrelationType.Temporal], incidents[0].CorrelationTypes);
        Assert.Equal(Ids(4), incidents[1].EventIds);
        // Median bucket cost is (1.0 + 0.25) / 2; only the first bucket lies above it.
        Assert.Equal(0.375, incidents[0].Impact.AdditionalCostUsd, 12);
        Assert.Equal(0.0, incidents[1].Impact.AdditionalCostUsd);
    }

    [Fact]
    public void TimeBucket_DuplicateDelivery_IsNotRankedTwice()
    {
        var engine = new TimeBucketIncidentEngine();
        engine.Observe(Event(1, T0, Latency()));
        engine.Observe(Event(1, T0, Latency()));
        engine.Observe(Event(2, T0.AddSeconds(1), Latency()));

        var incident = Assert.Single(engine.Finish());

        Assert.Equal(Ids(1, 2), incident.RootCandidates.Select(c => c.EventId!.Value));
    }

    [Fact]
    public void Attribute_Finish_GroupsByTenantModelRegionWithChangeEventsAsRoots()
    {
        var engine = new AttributeIncidentEngine();
        engine.Observe(Event(1, T0.AddMinutes(1), Latency("gpt-4o"), tags: Tags("acme", "us-east")));
        engine.Observe(Event(2, T0.AddMinutes(2), IncidentTruths.Cost(0.5, "gpt-4o"), tags: Tags("acme", "us-east")));
        engine.Observe(Event(3, T0.AddMinutes(3), Latency("claude"), tags: Tags("acme", "us-east")));
        engine.Observe(Event(4, T0.AddMinutes(9), Audit("deploy"), SourceModule.LlmRegistry, new Dictionary<string, string> { ["model"] = "gpt-4o", ["tenant"] = "acme", ["region"] = "us-east" }));
        engine.Observe(Event(5, T0.AddMinutes(8), Audit("view_dashboard"), SourceModule.LlmGovernanceDashboard));
        engine.Observe(Event(6, T0.AddMinutes(7), new AuthEvent { UserId = "u", Action = AuthAction.Login, Resource = "api", Success = true }, SourceModule.LlmSentinel));

        var incidents = engine.Finish();

        Assert.Equal(3, incidents.Count);
        Assert.Equal(Ids(1, 2, 4), incidents[0].EventIds);
        Assert.Equal(Ids(4), incidents[0].RootCandidates.Select(c => c.EventId!.Value));
        Assert.Equal([CorrelationType.CausalChain], incidents[0].CorrelationTypes);
        Assert.Equal(0.5, incidents[0].Impact.AdditionalCostUsd);
        Assert.Equal(Ids(3), incidents[1].EventIds);
        Assert.Empty(incidents[1].RootCandidates);
        Assert.Equal([CorrelationType.Temporal], incidents[1].CorrelationTypes);
        // The untagged group: the auth event (7 min) is a change, the routine audit (8 min) is not.
        Assert.Equal(Ids(5, 6), incidents[2].EventIds);
        Assert.Equal(Ids(6), incidents[2].RootCandidates.Select(c => c.EventId!.Value));
    }

    [Fact]
    public void ChangeEvents_IsChangeEvent_FollowsDecision17()
    {
        Assert.True(ChangeEvents.IsChangeEvent(Event(1, T0, Audit("policy_update"))));
        Assert.True(ChangeEvents.IsChangeEvent(Event(1, T0, Audit("KEY_REVOKED"))));
        Assert.False(ChangeEvents.IsChangeEvent(Event(1, T0, Audit("export_report"))));
        Assert.False(ChangeEvents.IsChangeEvent(Event(1, T0, Latency())));
    }

    [Fact]
    public void Registry_CreateWithBaselines_HoldsBothBaselinesAndTheOracleInOrderAndNoHub()
    {
        var registry = IncidentEngineRegistry.CreateWithBaselines();
        var scenario = new IncidentScenario { Config = Simulation.Traffic.ScenarioConfig.Easy, End = T0, PlannedTruth = Truth() };

        Assert.Equal(["time_bucket", "attribute", "oracle"], registry.Registrations.Select(r => r.Name));
        Assert.False(registry.TryGet(IncidentEngineRegistry.HubName, out _));
        Assert.True(registry.TryGet("ATTRIBUTE", out var attribute));
        Assert.IsType<AttributeIncidentEngine>(attribute.Create(scenario));
        Assert.True(registry.TryGet("oracle", out var oracle));
        Assert.IsType<OracleIncidentEngine>(oracle.Create(scenario));
        Assert.Throws<ArgumentException>(() => registry.Register(new IncidentEngineRegistration { Name = "Time_Bucket", Create = _ => new TimeBucketIncidentEngine() }));
    }

    [Fact]
    public void CorrelationTypeNames_RoundTrip_AllEightWireNames()
    {
        Assert.Equal(8, CorrelationTypeNames.All.Count);
        foreach (var type in Enum.GetValues<CorrelationType>())
        {
            Assert.True(CorrelationTypeNames.TryParse(CorrelationTypeNames.ToWire(type).ToUpperInvariant(), out var parsed));
            Assert.Equal(type, parsed);
        }

        Assert.False(CorrelationTypeNames.TryParse("causal", out _));
    }
}
