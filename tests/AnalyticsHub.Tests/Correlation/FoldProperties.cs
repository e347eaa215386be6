using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Correlation;

/// <summary>
/// The fold of two open pieces of one move (docs/correlation.md, "Grouping", the fold): whatever the stream, a folded piece
/// holds no change, and the two pieces were first shown within the alignment window of each other, with the tie within
/// the alignment window of the later one's first evidence.
/// </summary>
public class FoldProperties
{
    private static readonly string[] Metrics =
    [
        "llm_latency.latency_ms", "llm_latency.time_to_first_token_ms", "llm_token_usage.token_count", "cost_token.cost_usd",
    ];

    private static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "o3-mini"];

    private static readonly TimeSpan Window = new CorrelationStageOptions().AlignmentWindow;

    /// <summary>Rising episodes of three models of one provider at random minutes over half an hour, and a few deploys.</summary>
    private static List<AnalyticsEvent> Generate(Random random)
    {
        var events = new List<AnalyticsEvent>();
        var count = random.Next(2, 16);
        for (var i = 0; i < count; i++)
        {
            var minute = random.Next(0, 30) + (random.Next(4) * 0.25);
            var model = Models[random.Next(Models.Length)];
            events.Add(random.Next(8) == 0
                ? IncidentBuilderTests.Audit(100 + i, minute, "deploy", ("model_id", model))
                : Provider(IncidentBuilderTests.Anomaly(100 + i, minute, Metrics[random.Next(Metrics.Length)], model)));
        }

        events.AddRange(IncidentBuilderTests.Ticks(0, 90));
        return [.. events.OrderBy(e => e.Timestamp).ThenBy(e => e.EventId)];
    }

    private static AnalyticsEvent Provider(AnalyticsEvent evt) =>
        evt with { Common = evt.Common with { Tags = new Dictionary<string, string>(evt.Common.Tags) { ["provider"] = "openai" } } };

    [Property(MaxTest = 200)]
    public bool Fold_AnyStream_FoldsOnlyRootlessPiecesFirstShownTogether_TiedWithinTheAlignmentWindow(int seed)
    {
        var events = Generate(new Random(seed));
        var times = events.ToDictionary(e => e.EventId, e => e.Timestamp);
        var deploys = events.Where(e => e.Payload is AuditTrailEvent).Select(e => e.EventId).ToHashSet();
        var lifecycle = IncidentBuilderTests.RunWithReasons(events);
        foreach (var merged in lifecycle.Where(l => l.Reason.StartsWith("merged into ", StringComparison.Ordinal)))
        {
            // Evidence is grouped in time order, so the absorbed piece's members and the survivor's members before the
            // last of them were all there at the fold, and the tie came no earlier than any of them.
            var survivor = Guid.ParseExact(merged.Reason["merged into ".Length..], "N");
            var absorbed = merged.Correlation.Events.Select(e => e.EventId).ToList();
            var lastAbsorbed = absorbed.Max(id => times[id]);
            var own = lifecycle.Last(l => l.Incident == survivor).Correlation.Events.Select(e => e.EventId)
                .Where(id => !absorbed.Contains(id) && times[id] < lastAbsorbed).ToList();
            if (absorbed.Any(deploys.Contains) || own.Any(deploys.Contains))
            {
                return false;
            }

            if (own.Count == 0)
            {
                continue;
            }

            var firstAbsorbed = absorbed.Min(id => times[id]);
            var firstOwn = own.Min(id => times[id]);
            var later = firstAbsorbed > firstOwn ? firstAbsorbed : firstOwn;
            if ((firstAbsorbed - firstOwn).Duration() > Window || lastAbsorbed - later > Window || own.Max(id => times[id]) - later > Window)
            {
                return false;
            }
        }

        return true;
    }
}
