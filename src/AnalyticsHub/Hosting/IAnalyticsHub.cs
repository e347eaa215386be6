using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Hosting;

/// <summary>
/// The hub a host registers with <c>services.AddAnalyticsHub(...)</c>: ingest events (typed, JSON,
/// NDJSON, streams), query what was stored, and subscribe to live events.
/// </summary>
/// <remarks>
/// <para>
/// Resolving the hub does not start it. In a generic host the hosted service that <c>AddAnalyticsHub</c> registers
/// starts it with the host and drains it on shutdown; elsewhere call <see cref="StartAsync"/> before ingesting and
/// <see cref="StopAsync"/> (or <see cref="IAsyncDisposable.DisposeAsync"/>) at the end. Ingesting into a hub that was
/// never started throws <see cref="InvalidOperationException"/>; a stopped hub refuses every item.
/// </para>
/// <para>
/// Ingest calls return at once with each item's status (invalid, refused, dropped or accepted);
/// <see cref="IngestResult.Completion"/> or <see cref="FlushAsync"/> wait for the final outcome.
/// Nothing of an invalid item is stored anywhere. Thread-safe.
/// </para>
/// </remarks>
public interface IAnalyticsHub : IAsyncDisposable
{
    /// <summary>The event store behind the hub, for queries beyond <see cref="QueryEventsAsync"/>.</summary>
    IEventStore Events { get; }

    /// <summary>The time-series store the hub writes every event's point to.</summary>
    ITimeSeriesStore TimeSeries { get; }

    /// <summary>The store of the incidents the <c>correlation</c> stage found (each incident's latest state).</summary>
    ICorrelationStore Correlations { get; }

    /// <summary>
    /// The composite metrics the <c>composite_metrics</c> stage evaluates on every closed window: those of
    /// <see cref="MetricsStageOptions.AddCompositeMetric"/> and the cross-module metrics, plus any a host adds at runtime
    /// (<see cref="CompositeMetricRegistry.TryAdd"/>; refused with the formula position on a cycle). Their values are
    /// queried with <see cref="QueryMetricsAsync"/> under the composite's name.
    /// </summary>
    CompositeMetricRegistry CompositeMetrics { get; }

    /// <summary>The ingestion accounting right now.</summary>
    IngestionStatistics Statistics { get; }

    /// <summary>Whether the hub has been started and not yet stopped, i.e. takes events.</summary>
    bool IsRunning { get; }

    /// <summary>Starts the ingestion pipeline and the scheduled retention; a second call does nothing.</summary>
    /// <param name="cancellationToken">Not used by the start itself, which does not wait; accepted for hosts.</param>
    /// <exception cref="InvalidOperationException">The hub was stopped; a stopped hub cannot start again.</exception>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Validates, redacts and queues one event.</summary>
    /// <exception cref="InvalidOperationException">The hub has not been started.</exception>
    ValueTask<IngestResult> IngestAsync(AnalyticsEvent evt, CancellationToken cancellationToken = default);

    /// <summary>Validates, redacts and queues a batch of events.</summary>
    /// <exception cref="InvalidOperationException">The hub has not been started.</exception>
    ValueTask<IngestResult> IngestAsync(IReadOnlyList<AnalyticsEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Reads, validates, redacts and queues UTF-8 JSON: one event (compact or pretty-printed), a JSON array, or NDJSON.</summary>
    /// <exception cref="InvalidOperationException">The hub has not been started.</exception>
    ValueTask<IngestResult> IngestJsonAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default);

    /// <summary>Reads a JSON array or NDJSON stream incrementally and ingests each item as it arrives.</summary>
    /// <remarks>The results do not hold the events, so memory stays bounded for long streams.</remarks>
    /// <exception cref="InvalidOperationException">The hub has not been started.</exception>
    ValueTask<IngestResult> IngestAsync(Stream utf8Json, CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates metrics (counter, gauge, histogram, summary; spec 1.4) and queues each as a time-series point in the
    /// measurement named after it (<see cref="MetricPoints"/>: the <c>to_fields</c> mapping, histogram buckets and summary
    /// quantiles included). A counter without a rate gets one from the previous counter of its series, a gauge without a
    /// previous value gets that value (and the point a <c>delta</c>).
    /// </summary>
    /// <remarks>
    /// The points go through the pipeline like events' points: the same queue and backpressure, the same accounting
    /// (<see cref="Statistics"/> counts metrics as items), <see cref="FlushAsync"/> waits for them, and every stage
    /// sees them (the <c>time_series</c> stage stores them, the <c>metrics</c> stage aggregates their fields in windows
    /// that anomaly detection and composites read). They skip the event store: a metric is not an event. Invalid
    /// metrics are refused with codes and JSON paths (<c>$[i].tags.environment</c>) and queue nothing.
    /// </remarks>
    ValueTask<MetricIngestResult> IngestMetricsAsync(IReadOnlyList<Metric> metrics, CancellationToken cancellationToken = default);


    /// <summary>Completes when everything accepted before the call, and all it derived, has passed every stage.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops ingestion, drains the queue until the timeout passes or the token fires, and says how many accepted events
    /// it had to fail.
    /// </summary>
    /// <remarks>
    /// The bound holds even when the store or a stage ignores cancellation: at the deadline the hub stops waiting,
    /// fails what is queued and what the store still holds (each with a reason, counted once in
    /// <see cref="IngestionStatistics.Failed"/>), and returns. Every call returns the first call's result.
    /// </remarks>
    /// <param name="timeout">How long to drain; <see cref="IngestionOptions.ShutdownTimeout"/> by default.</param>
    /// <param name="cancellationToken">Ends the drain early, like the timeout (a host's shutdown token).</param>
    Task<int> StopAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Queries stored events.</summary>
    ValueTask<EventPage> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>Queries the time series extracted from stored events (see <c>docs/timeseries.md</c> for the measurements).</summary>
    ValueTask<TimeSeriesQueryOutcome> QueryTimeSeriesAsync(TimeSeriesQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queries a metric's windows (spec 1.4): the <c>metrics</c> stage's closed windows, kept as rollups, merged into the
    /// requested window per group. Metric names are <c>&lt;measurement&gt;.&lt;field&gt;</c>, e.g. <c>llm_latency.latency_ms</c>.
    /// </summary>
    ValueTask<MetricQueryResult> QueryMetricsAsync(MetricQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queries the incidents the <c>correlation</c> stage found (wire format 1.6 <c>CorrelationQuery</c>): the latest
    /// window above a strength, or the incidents linked to a seed event up to a depth, filtered by type and module.
    /// </summary>
    /// <remarks>The rules are <see cref="CorrelationQueryPlan"/>'s; an invalid query comes back with its problems (codes and JSON paths) and no items.</remarks>
    ValueTask<CorrelationQueryResult> QueryCorrelationsAsync(CorrelationQuery query, CancellationToken cancellationToken = default);

    /// <summary>The latest state of one incident by its <c>correlation_id</c>, or null when the store has none.</summary>
    ValueTask<EventCorrelation?> GetCorrelationAsync(Guid correlationId, CancellationToken cancellationToken = default);

    /// <summary>Applies the time-series store's retention policy now (the hub also does so every <see cref="AnalyticsHubOptions.RetentionInterval"/>).</summary>
    ValueTask<RetentionResult> ApplyRetentionAsync(CancellationToken cancellationToken = default);

    /// <summary>Subscribes to stored events matching <paramref name="filter"/>, optionally resuming after a sequence.</summary>
    IEventSubscription Subscribe(EventQuery filter, ulong? resumeAfterSequence = null);

    /// <summary>
    /// Subscribes to the incident lifecycle events of the <c>correlation</c> stage (open, update, close; each carries the
    /// incident as it stood) whose incident matches <paramref name="filter"/>: by type, least strength and module.
    /// </summary>
    /// <remarks>Frames, heartbeats, gaps and resumption are those of <see cref="Subscribe"/>; see <see cref="CorrelationStreamFilter"/>.</remarks>
    /// <exception cref="InvalidQueryException">The filter is invalid; its problems carry codes and paths.</exception>
    IEventSubscription SubscribeCorrelations(CorrelationStreamFilter filter, ulong? resumeAfterSequence = null);
}
