using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Redaction;
using AnalyticsHub.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage;
using AnalyticsHub.Storage.Streams;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Hosting;

/// <summary>The hub: validation and redaction in front of the ingestion pipeline, queries behind it.</summary>
internal sealed class DefaultAnalyticsHub : IAnalyticsHub, IDisposable
{
    private readonly EventBatchReader _reader;
    private readonly EventRedactor? _redactor;
    private readonly IngestionPipeline _pipeline;
    private readonly PipelineTelemetry _telemetry;
    private readonly TimeSeriesStage? _timeSeriesStage;
    private readonly TimeSpan _shutdownTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _retentionInterval;
    private readonly Lock _timerGate = new();
    private readonly MetricContinuity _continuity = new();
    private ITimer? _retentionTimer;
    private int _retentionRunning;

    public DefaultAnalyticsHub(
        AnalyticsHubOptions options,
        IEventStore store,
        ITimeSeriesStore timeSeries,
        ICorrelationStore correlations,
        CompositeMetricRegistry compositeMetrics,
        IEnumerable<IIngestionStage> stages,
        TimeProvider timeProvider,
        HubMeter meter,
        ILoggerFactory loggerFactory)
    {
        // The options validator has already run (DI resolves IOptions<T>.Value first); the redaction
        // rules are compiled here once, and a rule that still fails to build is a bug worth stopping for.
        var problems = new List<string>();
        var rules = options.Redaction.Build(problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid analytics hub options: " + string.Join(" ", problems), nameof(options));
        }

        Events = store;
        TimeSeries = timeSeries;
        Correlations = correlations;
        CompositeMetrics = compositeMetrics;
        _reader = new EventBatchReader(new EventValidator(options.Validation, timeProvider));
        var privacy = options.Privacy;
        var privacyOn = !privacy.StoreContent || privacy.PseudonymizationKey is not null;
        _redactor = (options.Redaction.Enabled && rules.Count > 0) || privacyOn
            ? new EventRedactor(options.Redaction.Enabled ? rules : [], privacy)
            : null;
        _shutdownTimeout = options.Ingestion.ShutdownTimeout;

        _telemetry = new PipelineTelemetry(meter);
        _timeProvider = timeProvider;
        var logger = loggerFactory.CreateLogger("AnalyticsHub");
        _logger = logger;
        _pipeline = new IngestionPipeline(store, stages, options.DisabledStages ?? [], options.Ingestion, _telemetry, timeProvider, logger);
        _timeSeriesStage = _pipeline.Stages.OfType<TimeSeriesStage>().FirstOrDefault();
        _telemetry.ObserveQueue(() => _pipeline.QueueDepth);
        _retentionInterval = options.RetentionInterval;
    }

    public IEventStore Events { get; }

    public ITimeSeriesStore TimeSeries { get; }

    public ICorrelationStore Correlations { get; }

    public CompositeMetricRegistry CompositeMetrics { get; }

    public bool IsRunning => _pipeline.IsRunning;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!_pipeline.Start())
        {
            return Task.CompletedTask;
        }

        if (_retentionInterval > TimeSpan.Zero)
        {
            lock (_timerGate)
            {
                _retentionTimer = _timeProvider.CreateTimer(static state => _ = ((DefaultAnalyticsHub)state!).RunScheduledRetentionAsync(), this, _retentionInterval, _retentionInterval);
            }
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var stageList = string.Join(", ", [PipelineTelemetry.EventStoreStep, .. _pipeline.StageNames]);
            Log.Started(_logger, stageList);
        }

        return Task.CompletedTask;
    }

    public IngestionStatistics Statistics =>
        _telemetry.Snapshot(_pipeline.QueueDepth, _timeSeriesStage?.RejectedPoints ?? 0, _redactor?.Counts ?? new Dictionary<string, long>());

    public ValueTask<IngestResult> IngestAsync(AnalyticsEvent evt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ThrowIfNotStarted();
        return IngestAsync([evt], cancellationToken);
    }

    public async ValueTask<IngestResult> IngestAsync(IReadOnlyList<AnalyticsEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ThrowIfNotStarted();
        for (var i = 0; i < events.Count; i++)
        {
            _ = events[i] ?? throw new ArgumentException($"Item {i} is null.", nameof(events));
        }

        // Validated as offered, so no array of results is made beside the tracker's compact one.
        var tracker = new BatchTracker(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var evt = events[i];
            var problems = _reader.Validator.Validate(evt);
            var valid = !HasError(problems);
            var item = new EventItemResult(i, null, evt.EventId, valid ? EventItemStatus.Accepted : EventItemStatus.Invalid, valid ? evt : null, problems);
            tracker.Add(await OfferOneAsync(item, tracker, keepEvent: true, cancellationToken).ConfigureAwait(false));
        }

        return tracker.Seal();
    }

    public async ValueTask<IngestResult> IngestJsonAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        ThrowIfNotStarted();
        var items = _reader.ReadBatch(utf8Json.Span);
        var tracker = new BatchTracker(items.Count);
        foreach (var item in items)
        {
            tracker.Add(await OfferOneAsync(item, tracker, keepEvent: true, cancellationToken).ConfigureAwait(false));
        }

        return tracker.Seal();
    }

    public async ValueTask<IngestResult> IngestAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ThrowIfNotStarted();
        var tracker = new BatchTracker();
        await foreach (var item in _reader.ReadBatchAsync(utf8Json, cancellationToken).ConfigureAwait(false))
        {
            tracker.Add(await OfferOneAsync(item, tracker, keepEvent: false, cancellationToken).ConfigureAwait(false));
        }

        return tracker.Seal();
    }

    public async ValueTask<MetricIngestResult> IngestMetricsAsync(IReadOnlyList<Metric> metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ThrowIfNotStarted();
        for (var i = 0; i < metrics.Count; i++)
        {
            _ = metrics[i] ?? throw new ArgumentException($"Item {i} is null.", nameof(metrics));
        }

        // Metrics share the events' queue, accounting and flush: each valid metric's point is a pipeline record.
        var queued = new Metric?[metrics.Count];
        var completion = new TaskCompletionSource<IReadOnlyList<MetricItemResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tracker = new BatchTracker(metrics.Count) { Completed = final => completion.TrySetResult(ToMetricResults(final, queued)) };
        for (var i = 0; i < metrics.Count; i++)
        {
            _telemetry.Offered(1);
            var problems = MetricPoints.Validate(metrics[i], $"$[{i}]");
            if (problems.Count > 0)
            {
                _telemetry.Invalid(problems[0].Code);
                tracker.Add(new EventItemResult(i, null, null, EventItemStatus.Invalid, null, problems));
                continue;
            }

            var completed = _continuity.Complete(metrics[i]);
            queued[i] = completed;
            var (status, reason) = await EnqueueAsync(null, MetricPoints.ToPoint(completed), tracker, i, cancellationToken).ConfigureAwait(false);
            tracker.Add(new EventItemResult(i, null, null, status, null, [], reason));
        }

        var result = tracker.Seal();
        return new MetricIngestResult(ToMetricResults(result.Items, queued), completion.Task);
    }

    private static MetricItemResult[] ToMetricResults(IReadOnlyList<EventItemResult> items, Metric?[] queued)
    {
        var results = new MetricItemResult[items.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var item = items[i];
            results[i] = new MetricItemResult(item.Index, item.Status, queued[item.Index], item.Problems, item.Reason);
        }

        return results;
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => _pipeline.FlushAsync(cancellationToken);

    public async Task<int> StopAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var failed = await _pipeline.StopAsync(timeout ?? _shutdownTimeout, cancellationToken).ConfigureAwait(false);
        await StopRetentionAsync().ConfigureAwait(false);
        return failed;
    }

    public ValueTask<EventPage> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken = default) =>
        Events.QueryAsync(query, cancellationToken);

    public IEventSubscription Subscribe(EventQuery filter, ulong? resumeAfterSequence = null) =>
        Events.Subscribe(filter, resumeAfterSequence);

    public IEventSubscription SubscribeCorrelations(CorrelationStreamFilter filter, ulong? resumeAfterSequence = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Validate() is { Count: > 0 } problems)
        {
            throw new InvalidQueryException("The correlation stream filter is invalid: " + string.Join("; ", problems), problems);
        }

        return new FilteredEventSubscription(Events.Subscribe(CorrelationStreamFilter.ToEventQuery(), resumeAfterSequence), filter.Matches);
    }

    public ValueTask<TimeSeriesQueryOutcome> QueryTimeSeriesAsync(TimeSeriesQuery query, CancellationToken cancellationToken = default) =>
        TimeSeries.QueryAsync(query, cancellationToken);

    public ValueTask<CorrelationQueryResult> QueryCorrelationsAsync(CorrelationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Correlations.QueryAsync(query, cancellationToken);
    }

    public ValueTask<EventCorrelation?> GetCorrelationAsync(Guid correlationId, CancellationToken cancellationToken = default) =>
        Correlations.GetAsync(correlationId, cancellationToken);

    public ValueTask<MetricQueryResult> QueryMetricsAsync(MetricQuery query, CancellationToken cancellationToken = default) =>
        TimeSeries.QueryMetricsAsync(query, cancellationToken);

    public ValueTask<RetentionResult> ApplyRetentionAsync(CancellationToken cancellationToken = default) =>
        TimeSeries.ApplyRetentionAsync(_timeProvider.GetUtcNow(), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _pipeline.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One scheduled retention pass; skipped when the previous one is still running, failures logged.</summary>
    private async Task RunScheduledRetentionAsync()
    {
        if (Interlocked.Exchange(ref _retentionRunning, 1) != 0)
        {
            return;
        }

        try
        {
            var result = await ApplyRetentionAsync().ConfigureAwait(false);
            if (result.Changed)
            {
                Log.RetentionApplied(_logger, result.RawPointsDropped, result.RawPointsDownsampled, result.RollupBucketsMerged, result.RollupBucketsDropped);
            }
        }
#pragma warning disable CA1031 // A timer callback must not throw: the failure is logged and the next pass tries again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.RetentionFailed(_logger, exception);
        }
        finally
        {
            Volatile.Write(ref _retentionRunning, 0);
        }
    }

    /// <summary>
    /// For containers disposed synchronously: stops at once without draining or blocking (what is still queued fails
    /// with a reason). Stop the hub first, or dispose the container asynchronously, to drain.
    /// </summary>
    public void Dispose()
    {
        _pipeline.Abort();
        ITimer? timer;
        lock (_timerGate)
        {
            timer = _retentionTimer;
            _retentionTimer = null;
        }

        timer?.Dispose();
    }

    private async ValueTask StopRetentionAsync()
    {
        ITimer? timer;
        lock (_timerGate)
        {
            timer = _retentionTimer;
            _retentionTimer = null;
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ThrowIfNotStarted()
    {
        if (!_pipeline.IsRunning && !_pipeline.IsStopped)
        {
            throw new InvalidOperationException(
                "The analytics hub has not been started. Call IAnalyticsHub.StartAsync before ingesting, or run it in a generic host, " +
                "where the hosted service that AddAnalyticsHub registers starts it with the host.");
        }
    }

    /// <summary>Counts the item, redacts it when it is valid, and offers it to the queue.</summary>
    private async ValueTask<EventItemResult> OfferOneAsync(EventItemResult item, BatchTracker tracker, bool keepEvent, CancellationToken cancellationToken)
    {
        _telemetry.Offered(1);
        if (item.Status != EventItemStatus.Accepted || item.Event is null)
        {
            _telemetry.Invalid(FirstErrorCode(item.Problems));
            return item with { Status = EventItemStatus.Invalid, Event = null };
        }

        var evt = _redactor?.Redact(item.Event) ?? item.Event;
        var (status, reason) = await EnqueueAsync(evt, null, tracker, item.Index, cancellationToken).ConfigureAwait(false);
        return item with { Status = status, Event = keepEvent ? evt : null, Reason = reason };
    }

    /// <summary>Offers an accepted event, or a record (an ingested metric's point), to the queue and counts the answer.</summary>
    private async ValueTask<(EventItemStatus Status, string? Reason)> EnqueueAsync(AnalyticsEvent? evt, object? record, BatchTracker tracker, int index, CancellationToken cancellationToken)
    {
        tracker.Expect();

        // Counted as accepted before the queue can hand it to the loop, so no snapshot sees it stored but not accepted.
        _telemetry.Accepted();
        EventItemStatus status;
        try
        {
            status = evt is not null
                ? await _pipeline.OfferAsync(evt, tracker, index, cancellationToken).ConfigureAwait(false)
                : await _pipeline.OfferRecordAsync(record!, tracker, index, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The caller gave up waiting for room: the item never entered the queue, and is counted as refused.
            _telemetry.Refused();
            tracker.Cancel();
            throw;
        }

        switch (status)
        {
            case EventItemStatus.Accepted:
                return (status, null);
            case EventItemStatus.Dropped:
                _telemetry.Dropped();
                tracker.Cancel();
                return (status, evt is null
                    ? "The ingestion queue was full; the drop-newest mode dropped the metric."
                    : "The ingestion queue was full; the drop-newest mode dropped the event.");
            default:
                _telemetry.Refused();
                tracker.Cancel();
                return (status, evt is null
                    ? "The ingestion queue was full; backpressure refused the metric."
                    : "The ingestion queue was full; backpressure refused the event.");
        }
    }

    private static bool HasError(IReadOnlyList<Problem> problems)
    {
        foreach (var problem in problems)
        {
            if (problem.IsError)
            {
                return true;
            }
        }

        return false;
    }

    private static string FirstErrorCode(IReadOnlyList<Problem> problems)
    {
        foreach (var problem in problems)
        {
            if (problem.IsError)
            {
                return problem.Code;
            }
        }

        return problems.Count > 0 ? problems[0].Code : ProblemCodes.InvalidJson;
    }
}
