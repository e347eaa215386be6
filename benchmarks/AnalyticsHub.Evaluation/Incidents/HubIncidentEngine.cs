using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>
/// The <c>hub</c> engine: runs the real hub (<c>AddAnalyticsHub</c>, every default stage) over the scenario and reports
/// what it derived. The hub's clock is a <see cref="FakeTimeProvider"/> fixed at the scenario's end, its event store is
/// sized for the whole scenario, its incidents list every member (<see cref="ListEveryMember"/>), and events go in as they arrive, in batches of <see cref="IncidentBenchmark.BatchSize"/>;
/// <see cref="Finish"/> flushes, stops the hub and reads its derived events back from the store.
/// </summary>
/// <remarks>
/// <para>
/// The incidents are the hub's own: <see cref="ReadResults"/> reads the <c>correlation</c> stage's lifecycle events and
/// its <c>anomaly_correlation</c> events, and reports each incident's latest state (members, types, the ranked root-cause
/// candidates and the additional cost of its impact assessment).
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
        services.AddAnalyticsHub(o =>
        {
            ListEveryMember(o);
            configure?.Invoke(o);
        });
        _provider = services.BuildServiceProvider();
        _hub = _provider.GetRequiredService<IAnalyticsHub>();
        _hub.StartAsync().GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public string Name => EngineName;

    /// <inheritdoc/>
    public IReadOnlyList<AnalyticsEvent> DerivedEvents => _derived;

    /// <summary>What the <c>correlation</c> stage retained at the end of the stream, before it closed its incidents; <see langword="null"/> before <see cref="Finish"/> or with the stage disabled.</summary>
    public CorrelationMemoryReport? MemoryReport { get; private set; }

    /// <summary>
    /// Lets the <c>correlation</c> stage list an incident's members up to the cap the scorer gives the truth
    /// (<see cref="IncidentBenchmark.ScoringMemberCap"/>), as the event store is sized for the whole scenario. The stage's
    /// own default (<see cref="CorrelationStageOptions.MaxMembersPerIncident"/>, 2,000) bounds a host's lifecycle events,
    /// a count that does not grow with the traffic: a policy that blocks a fifth of the requests of a world at 20
    /// requests per second raises about 10,000 violations in half an hour, and a member list cut short at 2,000 scores as
    /// members the grouping left out (the incident unmatched), not as what the grouping did.
    /// </summary>
    internal static void ListEveryMember(AnalyticsHubOptions options) =>
        options.Correlation.MaxMembersPerIncident = Math.Max(options.Correlation.MaxMembersPerIncident, IncidentBenchmark.ScoringMemberCap);

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
        var stage = _provider.GetServices<IIngestionStage>().OfType<CorrelationStage>().FirstOrDefault();
        _hub.StopAsync().GetAwaiter().GetResult();
        MemoryReport = stage?.MemoryReport;
        var results = ReadResults(_store);
        _derived = results.Derived;
        return results.Incidents;
    }

    /// <inheritdoc/>
    public void Dispose() => _provider.Dispose();

    /// <summary>
    /// Reads every event the hub derived, oldest first, and turns its <c>correlation</c> lifecycle events into incidents:
    /// per <c>correlation_id</c> the latest event (the close, or the last update of an incident still open) is the
    /// incident, its members the group and its types the types; the latest <c>anomaly_correlation</c> event of the same
    /// <c>correlation_id</c> gives the ranked root-cause candidates and the additional cost.
    /// </summary>
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

        var latest = new Dictionary<Guid, (int Order, EventCorrelation Correlation)>();
        var analyses = new Dictionary<Guid, AnomalyCorrelation>();
        foreach (var evt in derived)
        {
            if (evt.Payload is CustomPayload { CustomType: CorrelationStage.AnalysisCustomType } analysis)
            {
                var result = analysis.Data.Deserialize(CorrelationJsonContext.Wire.AnomalyCorrelation)
                    ?? throw new InvalidDataException($"anomaly_correlation event {evt.EventId} has no data.");
                analyses[result.CorrelationId] = result;
            }
            else if (evt.Payload is CustomPayload { CustomType: CorrelationStage.CustomType } custom)
            {
                var correlation = custom.Data.Deserialize(CorrelationJsonContext.Wire.EventCorrelation)
                    ?? throw new InvalidDataException($"correlation event {evt.EventId} has no data.");
                var order = latest.TryGetValue(correlation.CorrelationId, out var seen) ? seen.Order : latest.Count;
                latest[correlation.CorrelationId] = (order, correlation);
            }
        }

        var incidents = latest.Values.OrderBy(v => v.Order).Select(v => ToPrediction(v.Correlation, analyses.GetValueOrDefault(v.Correlation.CorrelationId))).ToList();
        return new HubResults(derived, incidents);
    }

    /// <summary>
    /// An incident as the scorer reads it: the members' ids, the types, the analysis' ranked candidates (none without an
    /// analysis) and its additional cost (0 when the impact has no cost part).
    /// </summary>
    internal static PredictedIncident ToPrediction(EventCorrelation correlation, AnomalyCorrelation? analysis) => new()
    {
        EventIds = [.. correlation.Events.Select(e => e.EventId)],
        CorrelationTypes = correlation.CorrelationTypes.Count > 0 ? correlation.CorrelationTypes : [correlation.CorrelationType],
        RootCandidates = [.. (analysis?.RootCause?.Candidates ?? []).Select(c => (c.Kind == RootCauseCandidateKind.External
            ? RootCandidate.External(c.Provider ?? string.Empty, c.Region ?? string.Empty)
            : RootCandidate.ForEvent(c.EventId ?? Guid.Empty)) with { Confidence = c.Confidence, Why = string.Join(" ", c.Evidence) })],
        Impact = analysis?.Impact is { } impact ? new PredictedImpact
        {
            AdditionalCostUsd = (double)(impact.CostImpact?.AdditionalCostUsd ?? 0),
            LatencyChangePercent = impact.PerformanceImpact?.LatencyIncreasePercent,
            ErrorRateChangePercent = impact.PerformanceImpact?.ErrorRateIncreasePercent,
            AffectedRequests = impact.PerformanceImpact is { } p ? (long)p.AffectedRequests : null,
        } : PredictedImpact.None,
    };

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

    /// <summary>What the hub derived over a scenario: every derived event, and the incidents its correlation events report.</summary>
    internal sealed record HubResults(IReadOnlyList<AnalyticsEvent> Derived, IReadOnlyList<PredictedIncident> Incidents);
}
