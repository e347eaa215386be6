using System.Globalization;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>The causal links of any incident form a chain over its sources: one link into each source after the first, forward in time.</summary>
public class CausalLinkerProperties
{
    private static readonly string[] Metrics =
    [
        "llm_latency.latency_ms", "llm_error_rate.error_rate_percent", "llm_throughput.requests_per_second",
        "llm_token_usage.total_tokens", "cost_tracking.total_cost_usd",
    ];

    private static readonly string[] Actions = ["deploy", "rollback", "config_change", "model_switch"];

    private static List<AnalyticsEvent> Generate(Random random)
    {
        var events = new List<AnalyticsEvent>();
        var count = random.Next(1, 14);
        for (var i = 0; i < count; i++)
        {
            var minute = random.Next(0, 40) + (random.Next(4) * 0.25);
            var model = random.Next(3) == 0 ? "b" : "a";
            events.Add(random.Next(5) == 0
                ? IncidentBuilderTests.Audit(100 + i, minute, Actions[random.Next(Actions.Length)], ("model_id", model))
                : IncidentBuilderTests.Anomaly(100 + i, minute, Metrics[random.Next(Metrics.Length)], model, observed: random.Next(2) == 0 ? 10 : 0.1));
        }

        events.AddRange(IncidentBuilderTests.Ticks(0, 90));
        return [.. events.OrderBy(e => e.Timestamp).ThenBy(e => e.EventId)];
    }

    [Property(MaxTest = 60)]
    public bool Links_AnyIncident_OneForwardLinkIntoEachSourceAfterTheFirst(int seed)
    {
        foreach (var (_, correlation, _) in IncidentBuilderTests.Run(Generate(new Random(seed))))
        {
            var members = correlation.Events.ToDictionary(e => e.EventId, e => e.Timestamp);
            var sources = int.Parse(correlation.Metadata["sources"], CultureInfo.InvariantCulture);
            var links = correlation.CausalLinks;
            var ordered = links.Zip(links.Skip(1)).All(p => members[p.First.ToEventId] <= members[p.Second.ToEventId]);
            var valid = links.All(l => members.ContainsKey(l.FromEventId) && members.ContainsKey(l.ToEventId) && l.TimeDeltaMs >= 0
                && l.TimeDeltaMs == (long)(members[l.ToEventId] - members[l.FromEventId]).TotalMilliseconds
                && l.Strength is >= 0 and <= 1 && l.FromEventId != l.ToEventId);
            var oneIntoEach = links.Select(l => l.ToEventId).Distinct().Count() == links.Count;
            if (!(ordered && valid && oneIntoEach && links.Count == Math.Min(sources, CausalLinker.MaxLinkedSources) - 1))
            {
                return false;
            }
        }

        return true;
    }
}
