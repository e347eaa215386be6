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
    private static HubIncidentEngine.Episode Episode(int open, int? close, int startMinute, int endMinute, string model) => new(
        Event(open, T0.AddMinutes(startMinute), new CustomPayload { CustomType = "anomaly" }, SourceModule.LlmAnalyticsHub),
        close is { } c ? Event(c, T0.AddMinutes(endMinute), new CustomPayload { CustomType = "anomaly" }, SourceModule.LlmAnalyticsHub) : null,
        T0.AddMinutes(startMinute).UtcTicks,
        close is null ? long.MaxValue : T0.AddMinutes(endMinute).UtcTicks,
        model);

    [Fact]
    public void GroupEpisodes_OverlappingEpisodesOfOneModel_ChainIntoOneIncident()
    {
        var incidents = HubIncidentEngine.GroupEpisodes(
        [
            Episode(1, 2, 0, 10, "gpt-4o"),
            Episode(3, 4, 5, 20, "gpt-4o"),   // overlaps the first
            Episode(5, 6, 15, 25, "gpt-4o"),  // overlaps the second only: chained
            Episode(7, 8, 30, 40, "gpt-4o"),  // after a gap
            Episode(9, 10, 2, 8, "o3-mini"),  // another model
            Episode(11, null, 35, 0, ""),     // still open, no model
        ]);

        Assert.Equal([Ids(1, 2, 3, 4, 5, 6), Ids(9, 10), Ids(7, 8), Ids(11)], incidents.Select(i => i.EventIds.ToArray()));
        Assert.All(incidents, i => Assert.Equal([CorrelationType.Anomaly], i.CorrelationTypes));
        Assert.All(incidents, i => Assert.Empty(i.RootCandidates));
    }

    [Fact]
    public void GroupEpisodes_None_GivesNoIncident()
    {
        Assert.Empty(HubIncidentEngine.GroupEpisodes([]));
    }

    [Fact]
    public void StoreCapacity_HoldsTheWholeScenario()
    {
        var config = ScenarioConfig.Hard;
        var scenario = new IncidentScenario { Config = config, End = Scenarios.End, PlannedTruth = Truth() };
        Assert.True(HubIncidentEngine.StoreCapacity(scenario) >= 2L * 48 * 3600 * config.World.PeakRequestsPerSecond * 4);
        Assert.Equal(1_000_000, HubIncidentEngine.StoreCapacity(scenario with { Config = Scenarios.Small(new ScenarioKnobs()) }));
    }

    [Fact]
    public async Task ReadResults_PairsEachOpeningWithItsClosing_AndReturnsEveryDerivedEvent()
    {
        var store = new InMemoryEventStore();
        var open = Tagged(1, 0, ("episode_start", "2025-03-12T12:00:00Z"), ("model_id", "gpt-4o"));
        var close = Tagged(2, 5, ("episode_start", "2025-03-12T12:00:00Z"), ("episode_end", "2025-03-12T12:05:00Z"), ("model_id", "gpt-4o"));
        close = close with { Common = close.Common with { ParentEventId = Id(1) } };
        var stillOpen = Tagged(3, 7, ("episode_start", "2025-03-12T12:07:00Z"));
        await store.AppendAsync([Event(9, T0, Latency()), open, close, stillOpen]);

        var results = HubIncidentEngine.ReadResults(store);

        Assert.Equal(Ids(1, 2, 3), results.Derived.Select(e => e.EventId));
        Assert.Equal(2, results.Episodes.Count);
        Assert.Equal((Id(1), Id(2), T0.AddMinutes(5).UtcTicks, "gpt-4o"), (results.Episodes[0].Open.EventId, results.Episodes[0].Close!.EventId, results.Episodes[0].End, results.Episodes[0].Model));
        Assert.Equal((Id(3), (AnalyticsEvent?)null, long.MaxValue, ""), (results.Episodes[1].Open.EventId, results.Episodes[1].Close, results.Episodes[1].End, results.Episodes[1].Model));
    }

    private static AnalyticsEvent Tagged(int id, int minute, params (string Key, string Value)[] tags) =>
        Event(id, T0.AddMinutes(minute), new CustomPayload { CustomType = "anomaly" }, SourceModule.LlmAnalyticsHub, tags.ToDictionary(t => t.Key, t => t.Value));
}
