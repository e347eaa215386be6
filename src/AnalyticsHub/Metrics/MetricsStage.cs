using System.Diagnostics.Metrics;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Statistics;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Metrics;

/// <summary>
/// The <c>metrics</c> stage: aggregates every numeric field of every point (the batch's columns, read row by row:
/// <see cref="TimeSeriesHandOffs.Points"/>; the aggregator records the values as runs per metric series) in a
/// <see cref="WindowedAggregator"/>, one metric series per measurement, field and value of the configured dimensions
/// (<see cref="MetricsStageOptions.Dimensions"/>: source module, environment and model by default), named
/// <c>&lt;measurement&gt;.&lt;field&gt;</c> (e.g. <c>llm_latency.latency_ms</c>). The windows a batch closes are
/// written to the time-series store's rollups (where <see cref="MetricQuery"/> reads them) and handed to later stages
/// as <see cref="MetricsHandOffs.ClosedWindows"/> (where the <c>composite_metrics</c> stage evaluates the composite
/// metrics). With <see cref="MetricsStageOptions.CrossModuleMetrics"/> on it also records the paired per-point inputs of
/// the cross-module metrics (<see cref="CrossModuleInputs"/>) as series of their own. The metrics configured in
/// <see cref="MetricsStageOptions.Histograms"/> and <see cref="MetricsStageOptions.Summaries"/> are also written, per
/// closed window, as histogram and summary points (<c>&lt;metric&gt;.histogram</c>, <c>&lt;metric&gt;.summary</c>).
/// </summary>
/// <remarks>
/// Windows run on event time (decision 14): they close when the newest event time minus the allowed lateness passes
/// their end. Late values and values of series beyond the limit are counted
/// (<c>analyticshub.metrics.skipped_values</c>), never silently lost. The stage sees one batch at a time (on the thread
/// that runs its lane), so the series-key cache needs no lock and the aggregator keeps one writer shard.
/// </remarks>
internal sealed partial class MetricsStage : IIngestionStage
{
    private static readonly HandOff[] Produced = [MetricsHandOffs.ClosedWindows];
    private static readonly HandOff[] Consumed = [TimeSeriesHandOffs.Points];

    private readonly WindowedAggregator _aggregator;
    private readonly WindowCollector _collector = new();
    private readonly CrossModuleInputs? _inputs;
    private readonly ITimeSeriesStore _store;
    private readonly Counter<long> _skipped;
    private readonly ILogger<MetricsStage> _logger;
    // A cache from a point's series to its metric keys by field; cleared when it grows past MaxCachedSeries.
    private const int MaxCachedSeries = 100_000;
    private readonly Dictionary<SeriesIdentity, FieldKeys> _keys = [];
    // Before it, the same keys by the point's tag set instance (the extractor shares one tag set per tag combination,
    // TagSetInterner): the tag set's hint (TagSet.MetricKeysHint) names its chain of entries here, one per measurement,
    // so a point finds its keys without reading its dimensions or hashing anything. A hint's upper half is this stage's
    // number (a new one each time the entries are forgotten, at the same size, so no older hint is read), its lower
    // half one more than the chain's first entry.
    private static int s_hintOwners;
    private long _hintOwner = NewHintOwner();
    private readonly List<TagSetEntry> _entries = [];
    private readonly string[] _dimensions;
    private readonly SeriesIdentity _probe;
    // The metric keys of each series of the batch being recorded (by the columns' series number), emptied after it.
    private FieldKeys?[] _keysOfSeries = [];
    // The batch's values in arrival order with their metric keys and times, for the aggregator (reused batch after batch).
    private readonly PointsInOrder _points = new();
    // The windows queued for the rollups, and those written whose sketches go back to the collector with the next batch.
    private List<ClosedWindow> _unwritten = [];
    private List<ClosedWindow> _written = [];
    private readonly Dictionary<string, Distribution[]> _distributions = new(StringComparer.Ordinal);
    private readonly List<TimeSeriesPoint> _unwrittenDistributions = [];
    private IngestionBatch? _recorded;
    private bool _limitLogged;

    public MetricsStage(MetricsStageOptions options, ITimeSeriesStore store, HubMeter meter, ILogger<MetricsStage> logger)
    {
        _inputs = options.CrossModuleMetrics ? new CrossModuleInputs() : null;
        // One batch at a time, on whichever thread runs the stage's lane: one shard, not one per thread that ever ran it.
        _aggregator = new WindowedAggregator(options.ToAggregatorOptions(), _collector, singleWriter: true);
        _dimensions = [.. options.Dimensions ?? MetricsStageOptions.DefaultDimensions];
        _probe = new SeriesIdentity(_dimensions.Length);
        _store = store;
        _skipped = meter.Meter.CreateCounter<long>("analyticshub.metrics.skipped_values", "{value}", "Field values the metrics stage did not aggregate, by reason (late, series_limit), and histogram or summary points it did not store (distribution_tags: the series lacks source_module or environment; distribution_refused: the store refused them).");
        _logger = logger;
        foreach (var group in (options.Histograms ?? []).Select(o => new Distribution(o, Histogram: true))
            .Concat((options.Summaries ?? []).Select(o => new Distribution(o, Histogram: false)))
            .GroupBy(d => d.Options.Metric, StringComparer.Ordinal))
        {
            _distributions.Add(group.Key, [.. group]);
        }
    }

    public string Name => "metrics";

    /// <summary>
    /// The concurrency group of the stages that aggregate the points into metric windows and read those windows
    /// (<c>metrics</c>, <c>composite_metrics</c>, <c>anomalies</c>).
    /// </summary>
    internal const string Group = "metrics";

    /// <summary>
    /// <see cref="Group"/>, a lane beside the <c>time_series</c> stage's: what this stage writes to the time-series store
    /// is rollups, which live apart from the raw series (per metric name, each window's bucket written once), so their
    /// writes need no order against the raw points'. With histograms or summaries configured it also writes raw points
    /// (new series), and then joins the <c>time_series</c> stage's group so the store creates series in one order.
    /// </summary>
    public string? ConcurrencyGroup => _distributions.Count > 0 ? TimeSeriesStage.Group : Group;

    public IReadOnlyList<HandOff> Produces => Produced;

    public IReadOnlyList<HandOff> Consumes => Consumed;

    public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        // A retried batch (the rollup write failed) is recorded once and hands its windows to later stages once.
        if (!ReferenceEquals(_recorded, batch))
        {
            // The previous batch has left every stage: its hand-off (the collector's list) and sketch copies come back.
            _collector.Return(_written);
            _collector.Clear();
            Record(batch);
            Hand(batch);
        }

        await WriteRollupsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes every open window (event time is over when the hub stops) and delivers them like a batch's.</summary>
    public async ValueTask CompleteAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(_recorded, batch))
        {
            _collector.Return(_written);
            _collector.Clear();
            _aggregator.Flush();
            Hand(batch);
        }

        await WriteRollupsAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Record(IngestionBatch batch)
    {
        int overLimit = 0;
        var columns = batch.Get(TimeSeriesHandOffs.Points);
        // The rows' values in the batch's order (the aggregator's watermark moves with event time, so the order decides
        // what is late and when windows close), each with its metric key: the aggregator groups them into runs per
        // series between the points that move the watermark. Each series' metric keys are found once per batch.
        if (_keysOfSeries.Length < columns.SeriesCount)
        {
            _keysOfSeries = new FieldKeys?[Math.Max(columns.SeriesCount, _keysOfSeries.Length * 2)];
        }

        var keysOfSeries = _keysOfSeries.AsSpan(0, columns.SeriesCount);
        keysOfSeries.Clear();
        _points.Clear();
        for (var row = 0; row < columns.Count; row++)
        {
            // A batch brings about one point per series, so each row's tag set and its chain entry are cold: the row some
            // places ahead gets its tag set prefetched, and (half as far ahead, the tag set then loaded) its first entry.
            if (CacheHint.IsSupported)
            {
                if (row + CacheHint.Distance < columns.Count)
                {
                    CacheHint.Prefetch(columns.Tags(columns.SeriesOf(row + CacheHint.Distance)));
                }

                if (row + (CacheHint.Distance / 2) < columns.Count)
                {
                    PrefetchKeys(columns.Tags(columns.SeriesOf(row + (CacheHint.Distance / 2))));
                }
            }

            var series = columns.SeriesOf(row);
            var measurement = columns.Measurement(series);
            var tags = columns.Tags(series);
            var keys = keysOfSeries[series] ??= KeysOf(measurement, tags);
            var names = columns.NameArray(row);
            var byPosition = keys.Align(names);
            var values = columns.FieldValues(row);
            var ticks = columns.Ticks(row);
            for (var i = 0; i < names.Length; i++)
            {
                var field = names[i];
                var value = values[i];
                if (value.Kind is FieldValueKind.String or FieldValueKind.Boolean || !value.TryGetDouble(out var number))
                {
                    continue;
                }

                if (byPosition[i] is not { } key)
                {
                    if (!keys.ByName.TryGetValue(field, out key))
                    {
                        if (!_aggregator.TryGetKey(measurement + "." + field, Dimensions(tags), out key))
                        {
                            overLimit++;
                            continue;
                        }

                        keys.ByName.Add(field, key);
                    }

                    byPosition[i] = key;
                }

                _points.Add(key, ticks, number);
            }

            if (_inputs is not null)
            {
                switch (_inputs.TryGet(measurement, columns, row, _aggregator, out var inputKey, out var input))
                {
                    case CrossModuleInputs.Outcome.Value:
                        _points.Add(inputKey, ticks, input);
                        break;
                    case CrossModuleInputs.Outcome.SeriesLimit:
                        overLimit++;
                        break;
                }
            }
        }

        keysOfSeries.Clear();
        var counts = _aggregator.RecordAll(_points.Keys, _points.Ticks, _points.Values);
        Skipped("late", counts.Late);
        Skipped("series_limit", overLimit);
        if (overLimit > 0 && !_limitLogged)
        {
            _limitLogged = true;
            MetricSeriesLimitReached(_logger, _aggregator.Options.MaxKeys);
        }
    }

    /// <summary>
    /// Puts the windows the batch closed on it for later stages (once) and queues them for the rollups. The hand-off is
    /// the collector's own list, not a copy: a hand-off lives for its batch, and the list is emptied only when the next
    /// batch reaches this stage, after every stage of this one has finished.
    /// </summary>
    private void Hand(IngestionBatch batch)
    {
        var closed = _collector.Closed;
        if (closed.Count > 0)
        {
            batch.Put(MetricsHandOffs.ClosedWindows, closed);
        }

        _unwritten.AddRange(closed);
        if (_distributions.Count > 0)
        {
            AddDistributions(closed);
        }

        _recorded = batch;
    }

    /// <summary>The histogram and summary points of the closed windows of configured metrics, queued for the store.</summary>
    private void AddDistributions(List<ClosedWindow> closed)
    {
        var missingTags = 0;
        foreach (var window in closed)
        {
            if (!_distributions.TryGetValue(window.Series.Name, out var distributions))
            {
                continue;
            }

            foreach (var distribution in distributions)
            {
                if (distribution.Options.Window is { } only && only != window.Window)
                {
                    continue;
                }

                if (!window.Series.Tags.ContainsKey("source_module") || !window.Series.Tags.ContainsKey("environment"))
                {
                    // A point needs both tags; a host whose Metrics.Dimensions leave one out gets no distribution points.
                    missingTags++;
                    continue;
                }

                var tags = new Dictionary<string, string>(window.Series.Tags, StringComparer.Ordinal) { ["window"] = window.Window.ToLabel() };
                Metric metric = distribution.Histogram
                    ? window.ToHistogramMetric(distribution.Options.UpperBounds) with { Name = window.Series.Name + ".histogram", Tags = tags }
                    : window.ToSummaryMetric(distribution.Options.Quantiles) with { Name = window.Series.Name + ".summary", Tags = tags };
                _unwrittenDistributions.Add(MetricPoints.ToPoint(metric));
            }
        }

        Skipped("distribution_tags", missingTags);
    }

    /// <summary>Writes the queued windows to the store's rollups; on failure they stay queued for the retry or the next batch.</summary>
    private async ValueTask WriteRollupsAsync(CancellationToken cancellationToken)
    {
        if (_unwrittenDistributions.Count > 0)
        {
            // A refusal here is the store's limit on these points (cardinality, fields): retrying cannot help.
            var written = await _store.WritePointsAsync(_unwrittenDistributions, cancellationToken).ConfigureAwait(false);
            if (!written.IsSuccess)
            {
                Skipped("distribution_refused", _unwrittenDistributions.Count);
            }

            _unwrittenDistributions.Clear();
        }

        if (_unwritten.Count == 0)
        {
            return;
        }

        var buckets = RollupsOf(_unwritten);
        var result = await _store.WriteRollupsAsync(buckets, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The time-series store refused the closed metric windows: {result.Errors[0].Code} at {result.Errors[0].Path}: {result.Errors[0].Message}");
        }

        if (_written.Count == 0)
        {
            // The usual case (the previous batch's were given back when this one started): the lists trade places
            // instead of the windows being copied.
            (_written, _unwritten) = (_unwritten, _written);
        }
        else
        {
            _written.AddRange(_unwritten);
            _unwritten.Clear();
        }
    }

    private void Skipped(string reason, int count)
    {
        if (count > 0)
        {
            _skipped.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The metrics stage tracks its limit of {MaxSeries} series; values of new series are counted as skipped (analyticshub.metrics.skipped_values).")]
    private static partial void MetricSeriesLimitReached(ILogger logger, int maxSeries);

    /// <summary>
    /// The metric keys by field of a series' metric identity (measurement + dimension values), looked up without
    /// allocating: in the tag set's chain of entries first (<see cref="TagSet.MetricKeysHint"/>), then by the identity's
    /// values, the chain then growing by an entry.
    /// </summary>
    private FieldKeys KeysOf(string measurement, TagSet tags)
    {
        var first = FirstEntryOf(tags);
        for (var next = first; next > 0;)
        {
            var entry = _entries[next - 1];
            if (string.Equals(entry.Measurement, measurement, StringComparison.Ordinal))
            {
                return entry.Keys;
            }

            next = entry.Next;
        }

        _probe.Set(measurement, tags, _dimensions);
        if (!_keys.TryGetValue(_probe, out var keys))
        {
            if (_keys.Count >= MaxCachedSeries)
            {
                _keys.Clear();
            }

            keys = new FieldKeys();
            _keys.Add(_probe.Copy(), keys);
        }

        if (_entries.Count >= MaxCachedSeries)
        {
            // Every tag set's chain is forgotten at once: a new number makes every hint left so far a stranger's.
            _entries.Clear();
            _hintOwner = NewHintOwner();
            first = 0;
        }

        _entries.Add(new TagSetEntry(measurement, keys, first));
        tags.MetricKeysHint = _hintOwner | (uint)_entries.Count;
        return keys;
    }

    /// <summary>Starts loading the first entry of the tag set's chain (<see cref="KeysOf"/>'s first read after the hint), when the hint is this stage's.</summary>
    private void PrefetchKeys(TagSet tags)
    {
        var first = FirstEntryOf(tags);
        var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_entries);
        if (first > 0 && first <= entries.Length)
        {
            CacheHint.Prefetch(ref entries[first - 1]);
        }
    }

    /// <summary>The first entry (1-based) of the tag set's chain when its hint is this stage's, else 0.</summary>
    private int FirstEntryOf(TagSet tags)
    {
        var hint = tags.MetricKeysHint;
        return (hint & ~0xFFFF_FFFFL) == _hintOwner ? (int)(uint)hint : 0;
    }

    /// <summary>A number for this stage's hints no other stage of the process uses: the upper half of a hint.</summary>
    private static long NewHintOwner() => (long)Interlocked.Increment(ref s_hintOwners) << 32;

    /// <summary>The tags of the point's metric series: its values of the configured dimensions.</summary>
    private Dictionary<string, string> Dimensions(TagSet tags)
    {
        var kept = new Dictionary<string, string>(_dimensions.Length, StringComparer.Ordinal);
        foreach (var dimension in _dimensions)
        {
            if (tags.TryGetValue(dimension, out var value))
            {
                kept[dimension] = value;
            }
        }

        return kept;
    }

    /// <summary>The rollup buckets of the windows a store keeps (fixed widths of up to a day).</summary>
    private static List<RollupBucket> RollupsOf(List<ClosedWindow> windows)
    {
        var buckets = new List<RollupBucket>(windows.Count);
        foreach (var window in windows)
        {
            if (window.Window > TimeWindow.OneDay)
            {
                continue;
            }

            buckets.Add(new RollupBucket
            {
                Measurement = window.Series.Name,
                Tags = window.Series.Tags,
                Field = RollupBucket.ValueField,
                Start = window.Start,
                Resolution = window.End - window.Start,
                Stats = window.Stats,
                Sketch = window.Sketch,
            });
        }

        return buckets;
    }

    /// <summary>The values a batch records, in arrival order: three parallel arrays that grow and are reused.</summary>
    private sealed class PointsInOrder
    {
        private MetricKey[] _keys = new MetricKey[1_024];
        private long[] _ticks = new long[1_024];
        private double[] _values = new double[1_024];
        private int _count;

        public ReadOnlySpan<MetricKey> Keys => _keys.AsSpan(0, _count);

        public ReadOnlySpan<long> Ticks => _ticks.AsSpan(0, _count);

        public ReadOnlySpan<double> Values => _values.AsSpan(0, _count);

        public void Add(MetricKey key, long ticks, double value)
        {
            if (_count == _keys.Length)
            {
                Array.Resize(ref _keys, _count * 2);
                Array.Resize(ref _ticks, _count * 2);
                Array.Resize(ref _values, _count * 2);
            }

            _keys[_count] = key;
            _ticks[_count] = ticks;
            _values[_count] = value;
            _count++;
        }

        public void Clear() => _count = 0;
    }

    /// <summary>A metric reported as a histogram or a summary on each closed window.</summary>
    private sealed record Distribution(MetricDistributionOptions Options, bool Histogram);

    /// <summary>Keeps the windows one batch closes, with sketches copied (the aggregator lends them for the call only).</summary>
    private sealed class WindowCollector : IClosedWindowSink
    {
        private readonly List<ClosedWindow> _windows = [];

        // Copies of closed windows' sketches live only while their batch goes through the stages (their rollups are
        // stored packed); they come back here when the next batch starts, so steady state allocates none.
        private const int PoolSize = 4_096;
        private readonly Stack<QuantileSketch> _pool = new();

        public void OnWindowClosed(in ClosedWindow window)
        {
            QuantileSketch copy;
            if (_pool.TryPop(out var pooled) && pooled.MaxBucketsPerSign == window.Sketch.MaxBucketsPerSign)
            {
                copy = pooled;
                copy.Merge(window.Sketch);
            }
            else
            {
                copy = window.Sketch.Clone();
            }

            _windows.Add(new ClosedWindow(window.Series, window.Window, window.Start.UtcTicks, window.End.UtcTicks, window.Stats, copy));
        }

        /// <summary>Takes back the sketches of windows no stage reads any more.</summary>
        public void Return(List<ClosedWindow> windows)
        {
            foreach (var window in windows)
            {
                if (_pool.Count >= PoolSize)
                {
                    break;
                }

                window.Sketch.Reset();
                _pool.Push(window.Sketch);
            }

            windows.Clear();
        }

        public void OnClosePassCompleted(DateTimeOffset closedUpTo)
        {
        }

        /// <summary>The windows closed since the last <see cref="Clear"/>: the collector's own list, reused batch after batch.</summary>
        public List<ClosedWindow> Closed => _windows;

        /// <summary>Forgets the closed windows (the stage has handed them on).</summary>
        public void Clear() => _windows.Clear();
    }

    /// <summary>
    /// The metric keys of one metric series identity by field name, and by position in the field-names array last seen
    /// (the points of one payload kind share that array), so a point's keys are found without hashing its field names.
    /// </summary>
    private sealed class FieldKeys
    {
        private string[]? _names;
        private MetricKey?[] _byPosition = [];

        public Dictionary<string, MetricKey> ByName { get; } = new(StringComparer.Ordinal);

        /// <summary>The keys by position in <paramref name="names"/> (unknown positions null), reset when the array is another one.</summary>
        public MetricKey?[] Align(string[] names)
        {
            if (!ReferenceEquals(names, _names))
            {
                if (_byPosition.Length < names.Length)
                {
                    _byPosition = new MetricKey?[names.Length];
                }
                else
                {
                    Array.Clear(_byPosition);
                }

                _names = names;
            }

            return _byPosition;
        }
    }

    /// <summary>
    /// One link of a tag set's chain: the keys of the tag set under <paramref name="Measurement"/>, and one more than the
    /// place of the chain's next entry (0 at its end).
    /// </summary>
    private readonly record struct TagSetEntry(string Measurement, FieldKeys Keys, int Next);

    /// <summary>A metric series' identity before its fields: the measurement and the values of the dimensions (reused as a probe).</summary>
    private sealed class SeriesIdentity(int dimensions) : IEquatable<SeriesIdentity>
    {
        private readonly string?[] _values = new string?[dimensions];
        private string _measurement = string.Empty;
        private int _hash;

        public void Set(string measurement, TagSet tags, string[] dimensions)
        {
            _measurement = measurement;
            var hash = new HashCode();
            hash.Add(measurement, StringComparer.Ordinal);
            for (var i = 0; i < dimensions.Length; i++)
            {
                _values[i] = tags.TryGetValue(dimensions[i], out var value) ? value : null;
                hash.Add(_values[i], StringComparer.Ordinal);
            }

            _hash = hash.ToHashCode();
        }

        public SeriesIdentity Copy()
        {
            var copy = new SeriesIdentity(_values.Length) { _measurement = _measurement, _hash = _hash };
            _values.CopyTo(copy._values, 0);
            return copy;
        }

        public bool Equals(SeriesIdentity? other)
        {
            if (other is null || _hash != other._hash || !string.Equals(_measurement, other._measurement, StringComparison.Ordinal))
            {
                return false;
            }

            for (var i = 0; i < _values.Length; i++)
            {
                if (!string.Equals(_values[i], other._values[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as SeriesIdentity);

        public override int GetHashCode() => _hash;
    }
}
