using AnalyticsHub.Correlation;
using AnalyticsHub.Events;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// Naive baseline <c>attribute</c>: one incident per distinct (tenant, model, region), read from the
/// <c>tenant</c> tag, the payload's model id (or the <c>model</c>/<c>model_id</c> tag) and the
/// <c>region</c> tag, a missing value being its own value. The three earliest change events of a group
/// (spec decision 17) are its ranked roots; its types are <c>causal_chain</c> when it names a root, else
/// <c>temporal</c>; its extra cost is all of its token cost.
/// </summary>
/// <remarks>Memory: the ids of every event observed, plus one small state per key. Not thread-safe.</remarks>
public sealed class AttributeIncidentEngine : IIncidentEngine
{
    /// <summary>The engine's name.</summary>
    public const string EngineName = "attribute";

    private readonly Dictionary<(string Tenant, string Model, string Region), Group> _groups = [];
    private long _sequence;

    /// <inheritdoc/>
    public string Name => EngineName;

    /// <inheritdoc/>
    public void Observe(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var tags = evt.Common.Tags;
        var tenant = tags.TryGetValue("tenant", out var t) ? t : string.Empty;
        var region = tags.TryGetValue("region", out var r) ? r : string.Empty;
        var model = evt.Payload switch
        {
            TelemetryPayload telemetry => telemetry.ModelId,
            TokenCostEvent cost => cost.ModelId,
            _ => tags.TryGetValue("model", out var m) ? m : tags.TryGetValue("model_id", out var mid) ? mid : string.Empty,
        };
        var key = (tenant, model, region);
        var ticks = evt.Timestamp.UtcTicks;
        var sequence = _sequence++;
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new Group(ticks, sequence);
            _groups.Add(key, group);
        }
        else if (ticks < group.FirstTicks)
        {
            group.FirstTicks = ticks;
        }

        group.Ids.Add(evt.EventId);
        if (ChangeEvents.IsChangeEvent(evt))
        {
            group.Changes.Add(ticks, sequence, evt.EventId);
        }

        if (evt.Payload is TokenCostEvent tokenCost)
        {
            group.CostUsd += tokenCost.TotalCostUsd;
            group.Requests++;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<PredictedIncident> Finish()
    {
        var ordered = _groups.ToArray();
        Array.Sort(ordered, static (a, b) =>
        {
            var c = a.Value.FirstTicks.CompareTo(b.Value.FirstTicks);
            return c != 0 ? c : a.Value.FirstSequence.CompareTo(b.Value.FirstSequence);
        });
        var incidents = new PredictedIncident[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            var group = ordered[i].Value;
            incidents[i] = new PredictedIncident
            {
                EventIds = group.Ids,
                CorrelationTypes = group.Changes.Count > 0 ? [CorrelationType.CausalChain] : [CorrelationType.Temporal],
                RootCandidates = group.Changes.ToCandidates(),
                Impact = new PredictedImpact { AdditionalCostUsd = group.CostUsd, AffectedRequests = group.Requests },
            };
        }

        _groups.Clear();
        return incidents;
    }

    private sealed class Group(long firstTicks, long firstSequence)
    {
        public long FirstTicks { get; set; } = firstTicks;

        public long FirstSequence { get; } = firstSequence;

        public List<Guid> Ids { get; } = [];

        public EarliestEvents Changes { get; } = new();

        public double CostUsd { get; set; }

        public long Requests { get; set; }
    }
}
