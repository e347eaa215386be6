using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using static AnalyticsHub.Tests.Correlation.IncidentBuilderTests;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>
/// The builder passes over, without looking their keys up, the candidates whose affinity to a piece of evidence cannot
/// reach 1 (docs/correlation.md, "Cost per event"). These cases sit on that ceiling: a change that names only a region
/// and a tenant (0.75 by entities) joins by the 0.5 of time a following signal gives it, and by nothing else.
/// </summary>
public class IncidentBuilderCostTests
{
    private static readonly (string, string)[] RegionAndTenant = [("region", "eu-west-1"), ("tenant", "t1")];

    /// <summary>A latency episode of model m1 in eu-west-1 for tenant t1, opening at <paramref name="minute"/>.</summary>
    private static AnalyticsEvent Episode(int id, double minute)
    {
        var evt = Anomaly(id, minute, "llm_latency.latency_ms", "m1");
        var tags = new Dictionary<string, string>(evt.Common.Tags) { ["region"] = "eu-west-1", ["tenant"] = "t1" };
        return evt with { Common = evt.Common with { Tags = tags } };
    }

    private static IEnumerable<AnalyticsEvent> Ticks(int firstId, int minutes) =>
        Enumerable.Range(0, minutes).Select(m => Event(firstId + m, m + 0.25, new LatencyMetrics { ModelId = "m", RequestId = "r", TotalLatencyMs = 100 }, SourceModule.LlmObservatory));

    [Fact]
    public void ChangeNamingARegionAndTenant_JoinsTheIncidentWhoseSignalFollowsIt()
    {
        // Same minute, the episode's id first: it is grouped first, and its signal is not before the change.
        List<AnalyticsEvent> events = [Episode(1, 0), Audit(2, 0, "config_change", RegionAndTenant), .. Ticks(1_000, 60)];

        var close = Assert.Single(Run(events), l => l.Phase == IncidentPhase.Close).Correlation;

        Assert.Equal(new[] { Id(1), Id(2) }, close.Events.Select(e => e.EventId).Order());
    }

    [Theory]
    [InlineData("config_change", false)] // an earlier change holds no signal: 0.75, below 1
    [InlineData("rollback", true)] // a rollback cannot root the signal: 0.75, below 1
    public void ChangeNamingARegionAndTenant_WithoutATimeRule_OpensItsOwnCandidate(string action, bool episodeFirst)
    {
        List<AnalyticsEvent> events = episodeFirst
            ? [Episode(1, 0), Audit(2, 0, action, RegionAndTenant), .. Ticks(1_000, 60)]
            : [Audit(1, 0, "config_change", RegionAndTenant), Audit(2, 0, action, RegionAndTenant), .. Ticks(1_000, 60)];

        // Two one-source candidates: neither is reported.
        Assert.Empty(Run(events));
    }
}
