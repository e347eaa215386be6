using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// The pipeline's instruments on the hub's meter (<see cref="HubMeter"/>): the ingestion accounting, exact counters
/// behind <see cref="IngestionStatistics"/>, each stage's duration, retries, failures and circuit. Stages make their
/// own instruments.
/// </summary>
/// <remarks>
/// Tags follow the OpenTelemetry conventions: <c>error.type</c> carries what went wrong (an exception's full type name,
/// <c>timeout</c>, <c>shutdown_timeout</c>, or a validation code), <c>stage</c> the stage's name (<c>event_store</c>
/// for the store's retries).
/// </remarks>
internal sealed class PipelineTelemetry
{
    /// <summary>The <c>error.type</c> tag's name.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>The <c>error.type</c> of a step that ran out of <see cref="IngestionOptions.MaxRetryTime"/>.</summary>
    public const string Timeout = "timeout";

    /// <summary>The <c>error.type</c> of items failed because a stop ran out of time.</summary>
    public const string ShutdownTimeout = "shutdown_timeout";

    /// <summary>The stage name the event store's retries are counted under.</summary>
    public const string EventStoreStep = "event_store";

    /// <summary>
    /// Bucket boundaries (seconds) for stage durations: a stage takes microseconds to seconds per batch, which the
    /// OpenTelemetry default buckets (0, 5, 10, 25 ... seconds) would put all in the first.
    /// </summary>
    internal static readonly IReadOnlyList<double> DurationBuckets =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly Counter<long> _offered;
    private readonly Counter<long> _invalid;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _derived;
    private readonly Counter<long> _stageFailures;
    private readonly Counter<long> _stageRetries;
    private readonly Counter<long> _stageSkipped;
    private readonly Counter<long> _circuitChanges;
    private readonly Histogram<double> _stageDuration;
    private readonly ConcurrentDictionary<string, long> _invalidByCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _stageFailuresByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _stageSkipsByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitStatus> _circuits = new(StringComparer.Ordinal);

    private long _offeredCount;
    private long _invalidCount;
    private long _refusedCount;
    private long _droppedCount;
    private long _acceptedCount;
    private long _storedCount;
    private long _duplicateCount;
    private long _failedCount;
    private long _derivedCount;
    private int _storeFailuresInARow;
    private string? _lastStoreError;

    private Func<int> _queueDepth = static () => 0;

    public PipelineTelemetry(HubMeter meter)
    {
        _meter = meter.Meter;
        _offered = _meter.CreateCounter<long>("analyticshub.ingest.offered", "{event}", "Items offered to ingestion.");
        _invalid = _meter.CreateCounter<long>("analyticshub.ingest.invalid", "{event}", "Items rejected by reading or validation, by error.type (the first error code).");
        _refused = _meter.CreateCounter<long>("analyticshub.ingest.refused", "{event}", "Items refused by backpressure.");
        _dropped = _meter.CreateCounter<long>("analyticshub.ingest.dropped", "{event}", "Items dropped by the drop-newest mode.");
        _stored = _meter.CreateCounter<long>("analyticshub.ingest.stored", "{event}", "Items newly stored.");
        _duplicates = _meter.CreateCounter<long>("analyticshub.ingest.duplicates", "{event}", "Items already stored.");
        _failed = _meter.CreateCounter<long>("analyticshub.ingest.failed", "{event}", "Items whose storing failed after retries or was cut short by a stop, by error.type.");
        _derived = _meter.CreateCounter<long>("analyticshub.ingest.derived", "{event}", "Events the hub derived and stored.");
        _stageFailures = _meter.CreateCounter<long>("analyticshub.stage.failures", "{batch}", "Batches a stage gave up on, by stage and error.type.");
        _stageRetries = _meter.CreateCounter<long>("analyticshub.stage.retries", "{retry}", "Retries of a stage or of the event store (stage event_store), by stage and error.type.");
        _stageSkipped = _meter.CreateCounter<long>("analyticshub.stage.skipped", "{batch}", "Batches a stage skipped because its circuit was open, by stage.");
        _circuitChanges = _meter.CreateCounter<long>("analyticshub.stage.circuit.changes", "{change}", "Circuit breaker transitions, by stage and circuit.state (open, half_open, closed).");
        _stageDuration = _meter.CreateHistogram(
            "analyticshub.stage.duration",
            "s",
            "Time a stage spent on a batch, retries included, by stage (and error.type when it gave up).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _meter.CreateObservableGauge("analyticshub.ingest.queue_depth", () => _queueDepth(), "{event}", "Events waiting in the ingestion queue.");
        _meter.CreateObservableGauge("analyticshub.stage.circuit.open", ObserveCircuits, "{circuit}", "1 while a stage's circuit is open or half-open (probing), else 0, by stage.");
    }

    /// <summary>How a stage's circuit stands.</summary>
    public enum CircuitStatus
    {
        /// <summary>The stage runs on every batch.</summary>
        Closed,

        /// <summary>The stage is skipped until its break ends.</summary>
        Open,

        /// <summary>The break is over; the next batch probes the stage.</summary>
        HalfOpen,
    }

    /// <summary>Where the queue depth gauge reads from, once the pipeline exists.</summary>
    public void ObserveQueue(Func<int> queueDepth) => _queueDepth = queueDepth;

    /// <summary>Announces a stage with a circuit breaker, so the circuit gauge reports it while closed too.</summary>
    public void TrackCircuit(string stage) => _circuits.TryAdd(stage, CircuitStatus.Closed);

    public void Offered(int count)
    {
        Interlocked.Add(ref _offeredCount, count);
        if (_offered.Enabled)
        {
            _offered.Add(count);
        }
    }

    public void Invalid(string code)
    {
        Interlocked.Increment(ref _invalidCount);
        _invalidByCode.AddOrUpdate(code, 1, static (_, n) => n + 1);
        if (_invalid.Enabled)
        {
            _invalid.Add(1, new KeyValuePair<string, object?>(ErrorTypeTag, code));
        }
    }

    public void Refused()
    {
        // Takes back the acceptance counted before the offer first, so a snapshot never counts the item twice.
        Interlocked.Decrement(ref _acceptedCount);
        Interlocked.Increment(ref _refusedCount);
        _refused.Add(1);
    }

    public void Dropped()
    {
        Interlocked.Decrement(ref _acceptedCount);
        Interlocked.Increment(ref _droppedCount);
        _dropped.Add(1);
    }

    public void Accepted() => Interlocked.Increment(ref _acceptedCount);

    public void Stored(int count)
    {
        Interlocked.Add(ref _storedCount, count);
        _stored.Add(count);
    }

    public void Duplicates(int count)
    {
        Interlocked.Add(ref _duplicateCount, count);
        _duplicates.Add(count);
    }

    public void Failed(int count, string errorType)
    {
        if (count == 0)
        {
            return;
        }

        Interlocked.Add(ref _failedCount, count);
        _failed.Add(count, new KeyValuePair<string, object?>(ErrorTypeTag, errorType));
    }

    public void Derived(int count)
    {
        Interlocked.Add(ref _derivedCount, count);
        _derived.Add(count);
    }

    /// <summary>A store write succeeded: the run of failures, if any, is over.</summary>
    public void StoreSucceeded()
    {
        if (Volatile.Read(ref _storeFailuresInARow) != 0)
        {
            Volatile.Write(ref _storeFailuresInARow, 0);
        }
    }

    /// <summary>A store write gave up on its batch.</summary>
    public void StoreFailed(string errorType)
    {
        Volatile.Write(ref _lastStoreError, errorType);
        Interlocked.Increment(ref _storeFailuresInARow);
    }

    public void Retrying(string stage, string errorType) =>
        _stageRetries.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>(ErrorTypeTag, errorType));

    public void StageFailed(string stage, string errorType)
    {
        _stageFailuresByName.AddOrUpdate(stage, 1, static (_, n) => n + 1);
        _stageFailures.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>(ErrorTypeTag, errorType));
    }

    public void StageSkipped(string stage)
    {
        _stageSkipsByName.AddOrUpdate(stage, 1, static (_, n) => n + 1);
        _stageSkipped.Add(1, new KeyValuePair<string, object?>("stage", stage));
    }

    public void CircuitChanged(string stage, CircuitStatus status)
    {
        _circuits[stage] = status;
        var state = status switch
        {
            CircuitStatus.Open => "open",
            CircuitStatus.HalfOpen => "half_open",
            _ => "closed",
        };
        _circuitChanges.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("circuit.state", state));
    }

    public void StageDuration(string stage, long startTimestamp, string? errorType)
    {
        if (!_stageDuration.Enabled)
        {
            return;
        }

        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        if (errorType is null)
        {
            _stageDuration.Record(seconds, new KeyValuePair<string, object?>("stage", stage));
        }
        else
        {
            _stageDuration.Record(seconds, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>(ErrorTypeTag, errorType));
        }
    }

    public IngestionStatistics Snapshot(int queueDepth, long rejectedPoints, IReadOnlyDictionary<string, long> redactions)
    {
        var open = new List<string>();
        foreach (var (stage, status) in _circuits)
        {
            if (status != CircuitStatus.Closed)
            {
                open.Add(stage);
            }
        }

        open.Sort(StringComparer.Ordinal);

        // Read against the order an item is counted in (offered, accepted, then its outcome; or offered, then invalid,
        // refused or dropped, the acceptance taken back first): outcomes first, offers last. Every counter only grows
        // along an item's way, so each snapshot keeps both identities with the unfinished part non-negative:
        // InFlight >= 0 and Offered >= Invalid + Refused + Dropped + Accepted.
        var stored = Interlocked.Read(ref _storedCount);
        var duplicates = Interlocked.Read(ref _duplicateCount);
        var failed = Interlocked.Read(ref _failedCount);
        var invalid = Interlocked.Read(ref _invalidCount);
        var refused = Interlocked.Read(ref _refusedCount);
        var dropped = Interlocked.Read(ref _droppedCount);
        var accepted = Interlocked.Read(ref _acceptedCount);
        var offered = Interlocked.Read(ref _offeredCount);
        return new()
        {
            Offered = offered,
            Invalid = invalid,
            Refused = refused,
            Dropped = dropped,
            Accepted = accepted,
            Stored = stored,
            Duplicates = duplicates,
            Failed = failed,
            Derived = Interlocked.Read(ref _derivedCount),
            RejectedPoints = rejectedPoints,
            InvalidByCode = new Dictionary<string, long>(_invalidByCode, StringComparer.Ordinal),
            StageFailures = new Dictionary<string, long>(_stageFailuresByName, StringComparer.Ordinal),
            StageSkips = new Dictionary<string, long>(_stageSkipsByName, StringComparer.Ordinal),
            OpenCircuits = open,
            StoreFailuresInARow = Volatile.Read(ref _storeFailuresInARow),
            LastStoreError = Volatile.Read(ref _lastStoreError),
            Redactions = redactions,
            QueueDepth = queueDepth,
        };
    }

    private IEnumerable<Measurement<int>> ObserveCircuits()
    {
        foreach (var (stage, status) in _circuits)
        {
            yield return new Measurement<int>(status == CircuitStatus.Closed ? 0 : 1, new KeyValuePair<string, object?>("stage", stage));
        }
    }
}
