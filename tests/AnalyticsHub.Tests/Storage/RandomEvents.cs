using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Storage;
using AnalyticsHub.Tests.Events;

namespace AnalyticsHub.Tests.Storage;

/// <summary>Seeded random events (built from <see cref="SampleEvents"/>) and queries, plus the list-scan baseline.</summary>
internal static class RandomEvents
{
    public static readonly DateTimeOffset Base = SampleEvents.Now.AddHours(-2);
    public static readonly Guid[] Correlations = [.. Enumerable.Range(1, 5).Select(i => new Guid(i, 0, 0, new byte[8]))];
    public static readonly string[] Environments = ["production", "staging"];
    private static readonly EventPayload[] Payloads = [.. SampleEvents.AllPayloads()];
    private static readonly EventType[] ExtraTypes = [EventType.Alert, EventType.Audit, EventType.Lifecycle];

    public static Guid NewGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    public static AnalyticsEvent Event(Random random, DateTimeOffset? timestamp = null, SourceModule? module = null, Severity? severity = null)
    {
        var payload = Payloads[random.Next(Payloads.Length)];
        var type = payload is CustomPayload || random.Next(4) == 0
            ? (payload is CustomPayload ? (EventType)random.Next(7) : ExtraTypes[random.Next(3)])
            : AnalyticsEventFactory.DefaultEventType(payload);
        var tags = new Dictionary<string, string>();
        if (random.Next(2) == 0)
        {
            tags["team"] = random.Next(2) == 0 ? "ml" : "infra";
        }

        if (random.Next(2) == 0)
        {
            tags["region"] = random.Next(2) == 0 ? "eu" : "us";
        }

        return new AnalyticsEvent
        {
            Common = new CommonEventFields
            {
                EventId = NewGuid(random),
                // Coarse steps, so ties in time are common and the sequence tie-break is exercised.
                Timestamp = timestamp ?? Base.AddSeconds(random.Next(0, 720) * 10),
                SourceModule = module ?? (SourceModule)random.Next(7),
                EventType = type,
                Severity = severity ?? (Severity)random.Next(5),
                Environment = Environments[random.Next(Environments.Length)],
                Tags = tags,
                CorrelationId = random.Next(3) == 0 ? Correlations[random.Next(Correlations.Length)] : null,
                ParentEventId = random.Next(4) == 0 ? Correlations[random.Next(Correlations.Length)] : null,
            },
            Payload = payload,
        };
    }

    public static List<AnalyticsEvent> Events(Random random, int count)
    {
        var events = new List<AnalyticsEvent>(count);
        for (var i = 0; i < count; i++)
        {
            events.Add(Event(random));
        }

        return events;
    }

    public static EventQuery Query(Random random)
    {
        var query = new EventQuery
        {
            Order = random.Next(2) == 0 ? SortOrder.Desc : SortOrder.Asc,
            PerPage = (uint)random.Next(1, 30),
            Page = (uint)random.Next(1, 4),
        };
        if (random.Next(3) == 0)
        {
            var from = Base.AddSeconds(random.Next(0, 720) * 10);
            query = query with { From = from, To = random.Next(2) == 0 ? null : from.AddSeconds(random.Next(1, 400) * 10) };
        }
        else if (random.Next(4) == 0)
        {
            query = query with { To = Base.AddSeconds(random.Next(1, 720) * 10) };
        }

        if (random.Next(3) == 0)
        {
            query = query with { SourceModules = [.. Enumerable.Range(0, 7).Where(_ => random.Next(3) == 0).Select(m => (SourceModule)m).DefaultIfEmpty((SourceModule)random.Next(7))] };
        }

        if (random.Next(3) == 0)
        {
            query = query with { EventTypes = [.. Enumerable.Range(0, 7).Where(_ => random.Next(3) == 0).Select(t => (EventType)t).DefaultIfEmpty((EventType)random.Next(7))] };
        }

        if (random.Next(3) == 0)
        {
            query = query with { MinSeverity = (Severity)random.Next(5) };
        }

        if (random.Next(4) == 0)
        {
            query = query with { Environment = Environments[random.Next(Environments.Length)] };
        }

        if (random.Next(4) == 0)
        {
            query = query with { Tags = new Dictionary<string, string> { [random.Next(2) == 0 ? "team" : "region"] = random.Next(2) == 0 ? "ml" : "eu" } };
        }

        if (random.Next(5) == 0)
        {
            query = query with { CorrelationId = Correlations[random.Next(Correlations.Length)] };
        }

        if (random.Next(4) == 0)
        {
            query = query with { PayloadType = (PayloadType)random.Next(5) };
        }

        if (random.Next(5) == 0)
        {
            query = query with { Subtype = Payloads[random.Next(Payloads.Length)].Subtype };
        }

        return query;
    }

    /// <summary>The obvious answer: filter a list in append order, sort by (time, append position), page.</summary>
    public static List<AnalyticsEvent> Baseline(IReadOnlyList<AnalyticsEvent> stored, EventQuery query, out int total)
    {
        var matches = stored
            .Select((e, i) => (Event: e, Index: i))
            .Where(x => Matches(x.Event, query))
            .ToList();
        total = matches.Count;
        var ordered = query.Order == SortOrder.Asc
            ? matches.OrderBy(x => x.Event.Timestamp.UtcTicks).ThenBy(x => x.Index)
            : matches.OrderByDescending(x => x.Event.Timestamp.UtcTicks).ThenByDescending(x => x.Index);
        return [.. ordered.Select(x => x.Event)];
    }

    public static bool Matches(AnalyticsEvent e, EventQuery q) =>
        (q.From is null || e.Timestamp >= q.From)
        && (q.To is null || e.Timestamp < q.To)
        && (q.SourceModules is null || q.SourceModules.Contains(e.SourceModule))
        && (q.EventTypes is null || q.EventTypes.Contains(e.EventType))
        && (q.MinSeverity is null || e.Severity >= q.MinSeverity)
        && (q.Environment is null || e.Common.Environment == q.Environment)
        && (q.Tags is null || q.Tags.All(t => e.Common.Tags.TryGetValue(t.Key, out var v) && v == t.Value))
        && (q.CorrelationId is null || e.Common.CorrelationId == q.CorrelationId)
        && (q.PayloadType is null || e.Payload.PayloadType == q.PayloadType)
        && (q.Subtype is null || e.Payload.Subtype == q.Subtype);
}
