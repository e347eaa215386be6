using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AnalyticsHub.Pipeline;

/// <summary>
/// The pipeline's instruments on the hub's meter (<see cref="HubMeter"/>): the ingestion accounting, exact counters
/// behind <see cref="IngestionStatistics"/>, and each stage's duration and failures. Stages make their own instruments.
/// </summary>
internal sealed class PipelineTelemetry
{
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
    private readonly Histogram<double> _stageDuration;
    private readonly ConcurrentDictionary<string, long> _invalidByCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _stageFailuresByName = new(StringComparer.Ordinal);

    private long _offeredCount;
    private long _invalidCount;
    private long _refusedCount;
    private long _droppedCount;
    private long _acceptedCount;
    private long _storedCount;
    private long _duplicateCount;
    private long _failedCount;
    private long _derivedCount;

    private Func<int> _queueDepth = static () => 0;

    public PipelineTelemetry(HubMeter meter)
    {
        _meter = meter.Meter;
        _offered = _meter.CreateCounter<long>("analyticshub.ingest.offered", "{event}", "Items offered to ingestion.");
        _invalid = _meter.CreateCounter<long>("analyticshub.ingest.invalid", "{event}", "Items rejected by reading or validation, by error code.");
        _refused = _meter.CreateCounter<long>("analyticshub.ingest.refused", "{event}", "Items refused by backpressure.");
        _dropped = _meter.CreateCounter<long>("analyticshub.ingest.dropped", "{event}", "Items dropped by the drop-newest mode.");
        _stored = _meter.CreateCounter<long>("analyticshub.ingest.stored", "{event}", "Items newly stored.");
        _duplicates = _meter.CreateCounter<long>("analyticshub.ingest.duplicates", "{event}", "Items already stored.");
        _failed = _meter.CreateCounter<long>("analyticshub.ingest.failed", "{event}", "Items whose storing failed after retries.");
        _derived = _meter.CreateCounter<long>("analyticshub.ingest.derived", "{event}", "Events the hub derived and stored.");
        _stageFailures = _meter.CreateCounter<long>("analyticshub.stage.failures", "{batch}", "Batches a stage gave up on, by stage.");
        _stageDuration = _meter.CreateHistogram<double>("analyticshub.stage.duration", "s", "Time a stage spent on a batch, by stage.");
        _meter.CreateObservableGauge("analyticshub.ingest.queue_depth", () => _queueDepth(), "{event}", "Events waiting in the ingestion queue.");
    }

    /// <summary>Where the queue depth gauge reads from, once the pipeline exists.</summary>
    public void ObserveQueue(Func<int> queueDepth) => _queueDepth = queueDepth;

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
            _invalid.Add(1, new KeyValuePair<string, object?>("code", code));
        }
    }

    public void Refused()
    {
        Interlocked.Increment(ref _refusedCount);
        _refused.Add(1);
    }

    public void Dropped()
    {
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

    public void Failed(int count)
    {
        Interlocked.Add(ref _failedCount, count);
        _failed.Add(count);
    }

    public void Derived(int count)
    {
        Interlocked.Add(ref _derivedCount, count);
        _derived.Add(count);
    }

    public void StageFailed(string stage)
    {
        _stageFailuresByName.AddOrUpdate(stage, 1, static (_, n) => n + 1);
        _stageFailures.Add(1, new KeyValuePair<string, object?>("stage", stage));
    }

    public void StageDuration(string stage, long startTimestamp)
    {
        if (_stageDuration.Enabled)
        {
            _stageDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("stage", stage));
        }
    }

    public IngestionStatistics Snapshot(int queueDepth, long rejectedPoints, IReadOnlyDictionary<string, long> redactions) => new()
    {
        Offered = Interlocked.Read(ref _offeredCount),
        Invalid = Interlocked.Read(ref _invalidCount),
        Refused = Interlocked.Read(ref _refusedCount),
        Dropped = Interlocked.Read(ref _droppedCount),
        Accepted = Interlocked.Read(ref _acceptedCount),
        Stored = Interlocked.Read(ref _storedCount),
        Duplicates = Interlocked.Read(ref _duplicateCount),
        Failed = Interlocked.Read(ref _failedCount),
        Derived = Interlocked.Read(ref _derivedCount),
        RejectedPoints = rejectedPoints,
        InvalidByCode = new Dictionary<string, long>(_invalidByCode, StringComparer.Ordinal),
        StageFailures = new Dictionary<string, long>(_stageFailuresByName, StringComparer.Ordinal),
        Redactions = redactions,
        QueueDepth = queueDepth,
    };
}
