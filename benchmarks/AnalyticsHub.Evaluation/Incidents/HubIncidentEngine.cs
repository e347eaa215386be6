using System.Globalization;
using AnalyticsHub.Api;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// The <c>hub</c> engine: runs the real hub (<c>AddAnalyticsHub</c>, every default stage) over the scenario and reports
/// what it derived. The hub's clock is a <see cref="FakeTimeProvider"/> fixed at the scenario's end, its event store is
/// sized for the whole scenario, and events go in as they arrive, in batches of <see cref="IncidentBenchmark.BatchSize"/>;
/// <see cref="Finish"/> flushes, stops the hub and reads its derived events back from the store.
/// </summary>
/// <remarks>
/// <para>
/// The hub has no correlation stage yet. Until it has, this engine groups the hub's anomaly episodes the simplest honest
/// way, a <b>placeholder</b>: episodes of the same <c>model_id</c> tag (or none) whose intervals overlap, chained, make one
/// incident of type <c>anomaly</c> with no root and no cost estimate; its events are the episodes' derived events, which
/// the scorer maps to their evidence. Its score is a third baseline, not a target. The correlation stage replaces the
/// grouping: <see cref="ReadResults"/> is where its <c>correlation</c> events are read.
/// </para>
/// Memory: the hub's (events, series, detectors) for the scenario. Not thread-safe.
/// </remarks>
public sealed class HubIncidentEngine : IIncidentEngine, IDisposable
{
    /// <summary>The engine's name.</summary>
    public const string EngineName = "hub";

    private readonly ServiceProvider _provider;
    private readonly IAnalyticsHub _hub;
    private readonly IEventStore _store;
    private readonly AnalyticsEvent[] _batch = new AnalyticsEvent[IncidentBenchmark.BatchSize];
    private int _filled;
    private IReadOnlyList<AnalyticsEvent> _derived = [];

    /// <summary>Starts a hub for one scenario.</summary>
    /// <param name="scenario">The scenario: its end is the hub's clock, its size the event store's.</param>
    /// <param name="configure">Changes to the hub's options (ablations, a later stage's settings), applied after the defaults.</param>
    public HubIncidentEngine(IncidentScenario scenario, Action<AnalyticsHubOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var clock = new FakeTimeProvider(scenario.End);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        _store = new InMemoryEventStore(new InMemoryEventStoreOptions { MaxEvents = StoreCapacity(scenario), MaxAge = null }, clock);
        services.AddSingleton(_store);
        services.AddAnalyticsHub(o => configure?.Invoke(o));
        _provider = services.BuildServiceProvider();
        _hub = _provider.GetRequiredService<IAnalyticsHub>();
    }

    /// <inheritdoc/>
    public string Name => EngineName;

    /// <inheritdoc/>
    public IReadOnlyList<AnalyticsEvent> DerivedEvents => _derived;

    /// <summary>
    /// The event store's capacity for a scenario: four events per request at the peak rate for the whole timeline (three
    /// per attempt plus retries, well above the daily mean) plus every window aggregate, doubled for the derived events
    /// and the background, and at least a million.
    /// </summary>
    internal static long StoreCapacity(IncidentScenario scenario)
    {
        var config = scenario.Config;
        var seconds = config.DurationHours * 3600;
        var aggregates = seconds / config.World.AggregateIntervalSeconds * 7 * 3 * 2;
        var requests = seconds * config.World.PeakRequestsPerSecond * 4;
        return Math.Max(1_000_000, (long)(2 * (requests + aggregates)));
    }

    /// <inheritdoc/>
    public void Observe(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        _batch[_filled++] = evt;
        if (_filled == _batch.Length)
        {
            Ingest();
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<PredictedIncident> Finish()
    {
        Ingest();
        _hub.FlushAsync().GetAwaiter().GetResult();
        _hub.StopAsync().GetAwaiter().GetResult();
        var results = ReadResults(_store);
        _derived = results.Derived;
        return GroupEpisodes(results.Episodes);
    }

    /// <inheritdoc/>
    public void Dispose() => _provider.Dispose();

    /// <summary>Reads every event the hub derived, oldest first, and picks out its anomaly episodes.</summary>
    internal static HubResults ReadResults(IEventStore store)
    {
        var derived = new List<AnalyticsEvent>();
        var query = new EventQuery { SourceModules = [SourceModule.LlmAnalyticsHub], Order = SortOrder.Asc, PerPage = PaginationParams.MaxPerPage };
        while (true)
        {
            var page = store.QueryAsync(query).AsTask().GetAwaiter().GetResult();
            derived.AddRange(page.Events);
            if (!page.HasMore || page.NextCursor is null)
            {
                break;
            }

            query = query with { Cursor = page.NextCursor };
        }

        var closing = new Dictionary<Guid, AnalyticsEvent>();
        foreach (var evt in derived)
        {
            if (IsEpisode(evt) && evt.Common.Tags.ContainsKey("episode_end") && evt.Common.ParentEventId is { } open)
            {
                closing[open] = evt;
            }
        }

        var episodes = new List<Episode>();
        foreach (var evt in derived)
        {
            if (!IsEpisode(evt) || evt.Common.Tags.ContainsKey("episode_end") || !TryTicks(evt, "episode_start", out var start))
            {
                continue;
            }

            var close = closing.GetValueOrDefault(evt.EventId);
            var end = close is not null && TryTicks(close, "episode_end", out var e) ? e : long.MaxValue;
            episodes.Add(new Episode(evt, close, start, end, evt.Common.Tags.GetValueOrDefault("model_id") ?? string.Empty));
        }

        return new HubResults(derived, episodes);
    }

    /// <summary>
    /// The placeholder grouping: episodes of the same model whose [start, end] intervals overlap, chained in order of
    /// start, make one incident (type <c>anomaly</c>, no root, no cost estimate), ordered by start.
    /// </summary>
    internal static IReadOnlyList<PredictedIncident> GroupEpisodes(IReadOnlyList<Episode> episodes)
    {
        var groups = new List<(long Start, List<Guid> Ids)>();
        foreach (var byModel in episodes.GroupBy(e => e.Model, StringComparer.Ordinal))
        {
            List<Guid>? current = null;
            long currentStart = 0, currentEnd = long.MinValue;
            foreach (var episode in byModel.OrderBy(e => e.Start).ThenBy(e => e.Open.EventId))
            {
                if (current is null || episode.Start > currentEnd)
                {
                    current = [];
                    currentStart = episode.Start;
                    groups.Add((currentStart, current));
                }

                currentEnd = Math.Max(currentEnd, episode.End);
                current.Add(episode.Open.EventId);
                if (episode.Close is { } close)
                {
                    current.Add(close.EventId);
                }
            }
        }

        return [.. groups.OrderBy(g => g.Start).Select(g => new PredictedIncident { EventIds = g.Ids, CorrelationTypes = [CorrelationType.Anomaly] })];
    }

    private static bool IsEpisode(AnalyticsEvent evt) => evt.Payload is CustomPayload { CustomType: IncidentEventLabeler.AnomalyCustomType };

    private static bool TryTicks(AnalyticsEvent evt, string tag, out long ticks)
    {
        ticks = 0;
        if (!evt.Common.Tags.TryGetValue(tag, out var text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return false;
        }

        ticks = instant.UtcTicks;
        return true;
    }

    private void Ingest()
    {
        if (_filled == 0)
        {
            return;
        }

        _hub.IngestAsync(new ArraySegment<AnalyticsEvent>(_batch, 0, _filled)).AsTask().GetAwaiter().GetResult();
        Array.Clear(_batch, 0, _filled);
        _filled = 0;
    }

    /// <summary>An anomaly episode the hub reported: its opening and (when it closed) closing events.</summary>
    internal sealed record Episode(AnalyticsEvent Open, AnalyticsEvent? Close, long Start, long End, string Model);

    /// <summary>What the hub derived over a scenario: every derived event, and the anomaly episodes among them.</summary>
    internal sealed record HubResults(IReadOnlyList<AnalyticsEvent> Derived, IReadOnlyList<Episode> Episodes);
}
