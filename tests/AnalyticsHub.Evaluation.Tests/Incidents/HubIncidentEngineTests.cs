using AnalyticsHub.Correlation;
using AnalyticsHub.Evaluation.Incidents;
using AnalyticsHub.Events;
using AnalyticsHub.Simulation.Tests.Traffic;
using AnalyticsHub.Simulation.Traffic;
using AnalyticsHub.Storage.InMemory;
using static AnalyticsHub.Evaluation.Tests.Incidents.IncidentTruths;

namespace AnalyticsHub.Evaluation.Tests.Incidents;

public class HubIncidentEngineTests
{
    [Fact]
    public void StoreCapacity_HoldsTheWholeScenario()
    {
        var config = ScenarioConfig.Hard;
        var scenario = new IncidentScenario { Config = config, End = Scenarios.End, PlannedTruth = Truth() };
        Assert.True(HubIncidentEngine.StoreCapacity(scenario) >= 2L * 48 * 3600 * config.World.PeakRequestsPerSecond * 4);
        Assert.Equal(1_000_000, HubIncidentEngine.StoreCapacity(scenario with { Config = Scenarios.Small(new ScenarioKnobs()) }));
    }

    [Fact]
    public void Finish_ListsEveryMemberOfAnIncidentLargerThanTheStagesDefaultCap()
    {
        // A policy update and 2,500 of its violations over ten minutes (a busy world's blocking policy), then quiet
        // traffic past the incident gap: the stage's default cap (2,000) would list 2,000 of them and omit the rest.
        const int violations = 2_500;
        Assert.True(violations > new CorrelationStageOptions().MaxMembersPerIncident);
        var scenario = new IncidentScenario { Config = Scenarios.Small(new ScenarioKnobs()), End = Scenarios.End, PlannedTruth = Truth() };
        using var engine = new HubIncidentEngine(scenario);
        var policy = new Dictionary<string, string> { ["policy_id"] = "pol-filter" };
        engine.Observe(Event(1, T0, Audit("policy_update") with { ResourceType = "policy", ResourceId = "pol-filter" }, SourceModule.LlmPolicyEngine, policy));
        for (var i = 0; i < violations; i++)
        {
            engine.Observe(Event(100 + i, T0.AddMilliseconds(1_000 + (i * 240)), new PolicyViolationEvent
            {
                PolicyId = "pol-filter", PolicyName = "Content filter", ViolationDescription = "blocked", ResourceId = "feature:chat",
                UserId = "user-" + (i % 50), Severity = PolicyViolationSeverity.Medium, AutoRemediated = true,
            }, SourceModule.LlmPolicyEngine, new Dictionary<string, string> { ["tenant"] = "t1", ["policy_id"] = "pol-filter" }));
        }

        for (var minute = 11; minute <= 60; minute++)
        {
            engine.Observe(Event(10_000 + minute, T0.AddMinutes(minute), Latency()));
        }

        var incident = Assert.Single(engine.Finish(), i => i.EventIds.Contains(Id(1)));

        Assert.All(Enumerable.Range(100, violations), n => Assert.Contains(Id(n), incident.EventIds));
    }

    [Fact]
    public async Task ReadResults_TakesTheLatestLifecycleAndAnalysisEventOfEachIncident_AndReturnsEveryDerivedEvent()
    {
        var store = new InMemoryEventStore();
        var first = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
        var second = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
        await store.AppendAsync(
        [
            Event(9, T0, Latency()),
            Lifecycle(1, 0, Correlation(first, [Member(20, EventRole.Effect), Member(21, EventRole.Effect)])),
            Lifecycle(2, 1, Correlation(second, [Member(30, EventRole.RootCause), Member(31, EventRole.Effect)])),
            Lifecycle(3, 2, Correlation(first, [Member(20, EventRole.Effect), Member(21, EventRole.Effect), Member(22, EventRole.Effect)])),
            Analysis(4, 3, second, 0.5m, [Candidate(31, null)]),
            Analysis(5, 4, second, 1.25m, [Candidate(30, null), Candidate(null, ("openai", "eu-west-1"))]),
        ]);

        var results = HubIncidentEngine.ReadResults(store);

        Assert.Equal(Ids(1, 2, 3, 4, 5), results.Derived.Select(e => e.EventId));
        Assert.Equal([Ids(20, 21, 22), Ids(30, 31)], results.Incidents.Select(i => i.EventIds.ToArray()));
        Assert.Empty(results.Incidents[0].RootCandidates);
        Assert.Equal(0, results.Incidents[0].Impact.AdditionalCostUsd);
        Assert.Equal(
            [RootCandidate.ForEvent(Id(30)) with { Confidence = 0.9, Why = "hand-made" }, RootCandidate.External("openai", "eu-west-1") with { Confidence = 0.9, Why = "hand-made" }],
            results.Incidents[1].RootCandidates);
        Assert.Equal(1.25, results.Incidents[1].Impact.AdditionalCostUsd);
        Assert.Equal([CorrelationType.CausalChain, CorrelationType.CostImpact], results.Incidents[1].CorrelationTypes);
    }

    private static CorrelatedEvent Member(int id, EventRole role) => new()
    {
        EventId = Id(id),
        SourceModule = SourceModule.LlmRegistry,
        EventType = EventType.Governance,
        Severity = Severity.Info,
        Timestamp = T0,
        Role = role,
        Summary = "member " + id,
    };

    private static EventCorrelation Correlation(Guid id, CorrelatedEvent[] members) => new()
    {
        CorrelationId = id,
        CorrelationType = CorrelationType.CausalChain,
        CorrelationTypes = [CorrelationType.CausalChain, CorrelationType.CostImpact],
        Events = members,
        Strength = 0.8,
        Confidence = 0.7,
        TimeWindow = new TimeRange(T0, T0.AddMinutes(5)),
        DetectedAt = T0.AddMinutes(5),
    };

    private static RootCauseCandidate Candidate(int? eventId, (string Provider, string Region)? external) => new()
    {
        Kind = external is null ? RootCauseCandidateKind.Event : RootCauseCandidateKind.External,
        EventId = eventId is { } id ? Id(id) : null,
        Provider = external?.Provider,
        Region = external?.Region,
        Confidence = 0.9,
        Evidence = ["hand-made"],
    };

    private static AnalyticsEvent Analysis(int id, int minute, Guid correlationId, decimal extraUsd, RootCauseCandidate[] candidates) =>
        Event(id, T0.AddMinutes(minute), new CustomPayload
        {
            CustomType = "anomaly_correlation",
            Data = System.Text.Json.JsonSerializer.SerializeToElement(new AnomalyCorrelation
            {
                CorrelationId = correlationId,
                Anomalies = [],
                Strength = 0.8,
                RootCause = new RootCauseAnalysis { Confidence = 0.9, CausalChain = [], ContributingFactors = [], Recommendations = [], Candidates = candidates },
                Impact = new ImpactAssessment
                {
                    Severity = ImpactSeverity.Low,
                    AffectedModules = [],
                    CostImpact = new CostImpact { AdditionalCostUsd = extraUsd, CostIncreasePercent = 10, WastedResourcesUsd = 0 },
                },
                DetectedAt = T0.AddMinutes(minute),
            }, CorrelationJsonContext.Wire.AnomalyCorrelation),
        }, SourceModule.LlmAnalyticsHub);

    private static AnalyticsEvent Lifecycle(int id, int minute, EventCorrelation correlation) =>
        Event(id, T0.AddMinutes(minute), new CustomPayload
        {
            CustomType = "correlation",
            Data = System.Text.Json.JsonSerializer.SerializeToElement(correlation, CorrelationJsonContext.Wire.EventCorrelation),
        }, SourceModule.LlmAnalyticsHub);
}
