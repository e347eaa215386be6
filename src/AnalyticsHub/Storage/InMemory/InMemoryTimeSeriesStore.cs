using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.Pipeline;
using AnalyticsHub.Storage.InMemory.Rollups;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// The reference <see cref="ITimeSeriesStore"/>: a columnar in-memory store. A series is a measurement plus a tag
/// set; its points live in chunks of about 1,024 rows (a timestamp column and one column per field) inside
/// time shards of <c>shard_duration_hours</c>; an inverted index maps tag=value to sorted series ids.
/// </summary>
/// <remarks>
/// <para>
/// Concurrency: one writer at a time (a lock held only while a batch is validated and appended, never while a
/// query runs). Readers read one immutable <c>StoreSnapshot</c> (series states, chunk views with published row counts,
/// index), so a query sees every batch completed before it started and nothing of one in progress. The snapshot is
/// built when a reader asks for one, not after every batch: a batch only marks the series it touched, and the first
/// reader after it publishes them all at once (taking the write lock for that, so it waits at most for the batch in
/// progress; with no new writes readers take no lock). Ingest without queries thus publishes nothing, and a series
/// written by many batches between two queries is published once. Chunks are append-only, rows under a published
/// count never change, and deletions rewrite chunks as copies (copy-on-write), so old snapshots stay valid.
/// </para>
/// <para>
/// Writes are atomic: the whole batch is validated and checked against the cardinality guard before anything is
/// stored. Out-of-order and late points are accepted (they go to their time shard's open chunk).
/// Closed chunks (full, left behind by a later shard, or on <see cref="SealOpenChunks"/>) are sealed: encoded column
/// by column with the smallest codec (see <see cref="DescribeMemory"/>).
/// </para>
/// </remarks>
public sealed partial class InMemoryTimeSeriesStore : ITimeSeriesStore, IDisposable
{
    private static int s_stores;

    private readonly Lock _writeLock = new();

    // This store's number in the series hints it leaves on tag sets (TagSet.SeriesHint): the upper half of the hint.
    private readonly long _hintStore = (long)Interlocked.Increment(ref s_stores) << 32;
    private readonly InMemoryTimeSeriesStoreOptions _options;
    private readonly long _shardTicks;
    private readonly Dictionary<SeriesKey, SeriesWriter> _series = [];
    private readonly List<SeriesWriter> _seriesById = [];
    private readonly RollupStore _rollups = new();
    private readonly Dictionary<string, MeasurementIndex> _indexes = new(StringComparer.Ordinal);
    private StoreSnapshot _snapshot = StoreSnapshot.Empty;

    // Series written (or created) since the last publication, each once (SeriesWriter.Dirty); published on a reader's
    // demand (CurrentSnapshot) or before a writer-side operation that reads the snapshot (PublishPending). Per-batch
    // publication made a new state per touched series and a copy of its leaf every batch: objects that lived until
    // the series' next batch, long enough to be promoted twice before dying.
    private readonly List<SeriesWriter> _unpublished = [];
    private readonly List<SeriesWriter> _unpublishedCreated = [];
    private volatile bool _stale;

    // A write's scratch (under the write lock): the series it creates, by key, and the tag values and series counts it
    // adds per measurement. Kept from one write to the next and emptied when a write ends (and when one starts, in
    // case the one before threw), so a batch that creates hundreds of series does not grow a dictionary, a list and a
    // set per tag key from empty every time; the emptied sets of tag values wait in a pool for the next write. Their
    // capacity stays at what the largest write needed (a few entries per series that write created).
    private readonly List<SeriesWriter> _pending = [];
    private readonly Dictionary<SeriesKey, SeriesWriter> _pendingByKey = [];
    private readonly Dictionary<(string Measurement, string Tag), HashSet<string>> _pendingValues = [];
    private readonly Dictionary<string, int> _pendingSeries = new(StringComparer.Ordinal);
    private readonly Stack<HashSet<string>> _spareValueSets = new();

    /// <summary>Creates a store.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    public InMemoryTimeSeriesStore(InMemoryTimeSeriesStoreOptions? options = null)
    {
        _options = options ?? new InMemoryTimeSeriesStoreOptions();
        if (_options.ChunkSize is < 64 or > 65_536)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.ChunkSize, "ChunkSize must be 64 to 65,536.");
        }

        if (_options.QueryParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.QueryParallelism, "QueryParallelism must be at least 1.");
        }

        if ((_options.Retention ?? throw new ArgumentException("Retention is required.", nameof(options))).Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("Invalid retention policy: " + string.Join(" ", problems.Select(p => $"{p.Path}: {p.Message}")), nameof(options));
        }

        if ((_options.Cardinality ?? throw new ArgumentException("Cardinality is required.", nameof(options))).Validate() is { Count: > 0 } limitProblems)
        {
            throw new ArgumentException("Invalid cardinality limits: " + string.Join(" ", limitProblems), nameof(options));
        }

        _shardTicks = _options.Retention.ShardDurationHours * TimeSpan.TicksPerHour;
    }

    /// <summary>The settings.</summary>
    public InMemoryTimeSeriesStoreOptions Options => _options;

    /// <inheritdoc/>
    public ValueTask<TimeSeriesWriteResult> WriteAsync(TimeSeriesBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrEmpty(batch.Measurement))
        {
            return ValueTask.FromResult(Rejected([new(ProblemCodes.MeasurementRequired, "measurement", "The batch measurement is required.")]));
        }

        return ValueTask.FromResult(Write(batch.Points ?? [], batch.Measurement));
    }

    /// <inheritdoc/>
    /// <remarks>Each series' run is appended with one call; <see cref="WriteAsync"/> and <see cref="WritePointsAsync"/> write their points as columns too.</remarks>
    public ValueTask<TimeSeriesWriteResult> WriteColumnsAsync(PointColumns columns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Write(columns, null));
    }

    /// <inheritdoc/>
    public ValueTask<TimeSeriesWriteResult> WritePointsAsync(IReadOnlyList<TimeSeriesPoint> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Write(points, null));
    }

    /// <inheritdoc/>
    public ValueTask<TimeSeriesQueryOutcome> QueryAsync(TimeSeriesQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!TimeSeriesQueryPlan.TryCreate(query, _options.QueryLimits, out var plan, out var errors))
        {
            return ValueTask.FromResult(TimeSeriesQueryOutcome.Failure(errors));
        }

        return ValueTask.FromResult(Query(plan!, cancellationToken));
    }

    /// <inheritdoc/>
    public ValueTask<long> DeleteRangeAsync(string measurement, TimeRange range, IReadOnlyDictionary<string, string>? tagFilters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(measurement);
        cancellationToken.ThrowIfCancellationRequested();
        if (!range.IsValid)
        {
            return ValueTask.FromResult(0L);
        }

        lock (_writeLock)
        {
            var snapshot = PublishPending();
            if (!snapshot.Measurements.TryGetValue(measurement, out var state))
            {
                return ValueTask.FromResult(0L);
            }

            long deleted = 0;
            var touched = new List<SeriesWriter>();
            var ids = _indexes[measurement].SeriesIds.ToArray(state.SeriesCount);
            foreach (var id in ids)
            {
                var writer = _seriesById[id];
                if (!writer.Tags.HasAll(tagFilters))
                {
                    continue;
                }

                var removed = writer.DeleteRange(range.Start.UtcTicks, range.End.UtcTicks);
                if (removed > 0)
                {
                    deleted += removed;
                    touched.Add(writer);
                }
            }

            if (touched.Count > 0)
            {
                Publish(snapshot, touched, []);
            }

            return ValueTask.FromResult(deleted);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SeriesDescription>> DescribeSeriesAsync(string? measurement = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = CurrentSnapshot();
        var result = new List<SeriesDescription>();
        var names = new List<string>(snapshot.Measurements.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (measurement is not null && !string.Equals(name, measurement, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var id in snapshot.Measurements[name].SeriesIds)
            {
                var series = snapshot.Get(id);
                long min = long.MaxValue, max = long.MinValue;
                foreach (var shard in series.Shards)
                {
                    min = Math.Min(min, shard.MinTicks);
                    max = Math.Max(max, shard.MaxTicks);
                }

                result.Add(new SeriesDescription
                {
                    SeriesId = id,
                    Measurement = name,
                    Tags = series.Tags,
                    Fields = series.FieldNames,
                    PointCount = series.PointCount,
                    FirstTimestamp = series.PointCount > 0 ? new DateTimeOffset(min, TimeSpan.Zero) : null,
                    LastTimestamp = series.PointCount > 0 ? new DateTimeOffset(max, TimeSpan.Zero) : null,
                });
            }
        }

        return ValueTask.FromResult<IReadOnlyList<SeriesDescription>>(result);
    }

    /// <inheritdoc/>
    public ValueTask<CardinalityReport> GetCardinalityAsync(string measurement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = CurrentSnapshot();
        var tags = new List<TagCardinality>();
        var seriesCount = 0;
        if (snapshot.Measurements.TryGetValue(measurement, out var state))
        {
            seriesCount = state.SeriesCount;
            foreach (var (key, values) in state.TagCardinalities())
            {
                tags.Add(new TagCardinality(key, values, _options.Cardinality.LimitFor(key)));
            }

            tags.Sort(static (a, b) => string.CompareOrdinal(a.Tag, b.Tag));
        }

        return ValueTask.FromResult(new CardinalityReport
        {
            Measurement = measurement,
            SeriesCount = seriesCount,
            MaxSeries = _options.Cardinality.MaxSeriesPerMeasurement,
            Tags = tags,
        });
    }

    /// <summary>Seals every open chunk now (for example before measuring memory or after a bulk load).</summary>
    /// <remarks>Nothing happens when <see cref="InMemoryTimeSeriesStoreOptions.SealChunks"/> is off.</remarks>
    public void SealOpenChunks()
    {
        lock (_writeLock)
        {
            PublishPending();
            var touched = new List<SeriesWriter>();
            foreach (var writer in _seriesById)
            {
                if (writer.SealOpenChunks())
                {
                    touched.Add(writer);
                }
            }

            if (touched.Count > 0)
            {
                Publish(_snapshot, touched, []);
            }
        }
    }

    /// <summary>Reports the memory the stored points take: bytes per point overall, for sealed data and per column and codec.</summary>
    /// <returns>The report, read from the current snapshot.</returns>
    public TimeSeriesMemoryReport DescribeMemory() => TimeSeriesMemoryReport.Build(CurrentSnapshot());

    private static TimeSeriesWriteResult Rejected(List<Problem> errors) => new() { PointsWritten = 0, SeriesCreated = 0, Errors = errors };

    /// <summary>Writes points: checked one by one for what columns cannot hold (a null point, measurement, tags or fields), then written as columns.</summary>
    private TimeSeriesWriteResult Write(IReadOnlyList<TimeSeriesPoint> points, string? batchMeasurement)
    {
        List<Problem>? errors = null;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (point is null || point.Tags is null || point.Fields is null || string.IsNullOrEmpty(point.Measurement))
            {
                AddPointError(errors ??= [], point, i);
            }
        }

        return errors is null ? Write(PointColumns.From(points), batchMeasurement) : Rejected(errors);
    }

    private TimeSeriesWriteResult Write(PointColumns columns, string? batchMeasurement)
    {
        if (columns.Count == 0)
        {
            return new TimeSeriesWriteResult { PointsWritten = 0, SeriesCreated = 0 };
        }

        // Per series of the columns: its writer once resolved, and whether it was refused (its error reported once).
        var resolved = System.Buffers.ArrayPool<SeriesWriter>.Shared.Rent(columns.SeriesCount);
        var refused = System.Buffers.ArrayPool<bool>.Shared.Rent(columns.SeriesCount);
        Array.Clear(refused, 0, columns.SeriesCount);
        try
        {
            lock (_writeLock)
            {
                var errors = new List<Problem>();
                var pending = _pending;
                ClearScratch(); // empty unless a write before threw half way
                List<(SeriesWriter Writer, int Fields)>? grown = null;
                for (var i = 0; i < columns.Count; i++)
                {
                    var series = columns.SeriesOf(i);
                    var measurement = columns.Measurement(series);
                    if (batchMeasurement is not null && !string.Equals(measurement, batchMeasurement, StringComparison.Ordinal))
                    {
                        errors.Add(new(ProblemCodes.MeasurementMismatch, Path(i, "measurement"), $"The point's measurement '{measurement}' differs from the batch's '{batchMeasurement}'."));
                        continue;
                    }

                    var names = columns.NameArray(i);
                    if (names.Length == 0)
                    {
                        errors.Add(new(ProblemCodes.FieldsRequired, Path(i, "fields"), "A point needs at least one field."));
                        continue;
                    }

                    if (names.Length > _options.Cardinality.MaxFieldsPerPoint)
                    {
                        errors.Add(new(ProblemCodes.FieldLimitExceeded, Path(i, "fields"),
                            $"The point has {names.Length} fields; at most {_options.Cardinality.MaxFieldsPerPoint} are allowed."));
                        continue;
                    }

                    if (refused[series])
                    {
                        continue;
                    }

                    var writer = resolved[series];
                    if (writer is null)
                    {
                        writer = Resolve(measurement, columns.Tags(series), i, errors);
                        if (writer is null)
                        {
                            refused[series] = true;
                            continue;
                        }

                        resolved[series] = writer;
                    }

                    CheckFields(writer, names, measurement, i, ref grown, errors);
                    if (errors.Count >= 100)
                    {
                        break;
                    }
                }

                if (errors.Count > 0)
                {
                    for (var g = (grown?.Count ?? 0) - 1; g >= 0; g--)
                    {
                        grown![g].Writer.TruncateFields(grown[g].Fields);
                    }

                    ClearScratch();
                    return Rejected(errors);
                }

                foreach (var writer in pending)
                {
                    LinkByTags(writer);
                    _series.Add(new SeriesKey(writer.Measurement, writer.Tags), writer);
                    _seriesById.Add(writer);
                    if (!_indexes.TryGetValue(writer.Measurement, out var index))
                    {
                        index = new MeasurementIndex(writer.Measurement, IndexedTagsOf(writer.Measurement));
                        _indexes.Add(writer.Measurement, index);
                    }

                    index.Add(writer.Id, writer.Tags);
                }

                // Series by series: each series' run written with one append, its shard found and its head chunk sized once per run.
                // A batch brings about one point per series, so each append reads a shard and a head chunk untouched since
                // the series' previous batch (its writer too, on a batch of many series): each link of the chain is
                // prefetched some places ahead of the one it leads to — the writer, then (half as far ahead, the writer
                // then loaded) its shard, then (a quarter as far) the shard's head chunk.
                for (var s = 0; s < columns.SeriesCount; s++)
                {
                    if (CacheHint.IsSupported)
                    {
                        if (s + CacheHint.Distance < columns.SeriesCount)
                        {
                            CacheHint.Prefetch(resolved[s + CacheHint.Distance]);
                        }

                        if (s + (CacheHint.Distance / 2) < columns.SeriesCount)
                        {
                            resolved[s + (CacheHint.Distance / 2)].PrefetchShard();
                        }

                        if (s + (CacheHint.Distance / 4) < columns.SeriesCount)
                        {
                            resolved[s + (CacheHint.Distance / 4)].PrefetchHead();
                        }
                    }

                    var writer = resolved[s];
                    if (!writer.Dirty)
                    {
                        _unpublished.Add(writer);
                    }

                    writer.AppendRun(columns, columns.Rows(s));
                }

                _unpublishedCreated.AddRange(pending);
                _stale = true;
                var created = pending.Count;
                ClearScratch();
                MaintainContinuousQueries(columns);
                return new TimeSeriesWriteResult { PointsWritten = columns.Count, SeriesCreated = created };
            }
        }
        finally
        {
            System.Buffers.ArrayPool<SeriesWriter>.Shared.Return(resolved, clearArray: true);
            System.Buffers.ArrayPool<bool>.Shared.Return(refused);
        }
    }

    /// <summary>
    /// The writer of a series: committed (found by the tag set's hint without hashing, else looked up), pending in this
    /// write, or new when its tags and the cardinality limits allow (null, with the problem in <paramref name="errors"/>, when not).
    /// </summary>
    private SeriesWriter? Resolve(string measurement, TagSet tags, int i, List<Problem> errors)
    {
        if (TryHinted(measurement, tags, out var writer))
        {
            return writer;
        }

        if (_series.TryGetValue(new SeriesKey(measurement, tags), out writer))
        {
            if (Hinted(tags) is null)
            {
                // A tag set that names none of this store's series yet names this one; one that does keeps its hint.
                tags.SeriesHint = HintOf(writer);
            }

            return writer;
        }

        if (_pendingByKey.TryGetValue(new SeriesKey(measurement, tags), out writer))
        {
            return writer;
        }

        if (!ValidateTags(tags, i, errors) || !CheckCardinality(measurement, tags, i, _pendingValues, _pendingSeries, errors))
        {
            return null;
        }

        writer = new SeriesWriter(_seriesById.Count + _pending.Count, measurement, tags, _shardTicks, _options.ChunkSize, _options.SealChunks);
        _pending.Add(writer);
        _pendingByKey.Add(new SeriesKey(measurement, tags), writer);
        return writer;
    }

    /// <summary>The hint a tag set keeps for one of this store's committed series: the store's number and the series id plus one.</summary>
    private long HintOf(SeriesWriter writer) => _hintStore | (uint)(writer.Id + 1);

    /// <summary>
    /// The committed series of the point's measurement among those the point's tag set hints at: the hinted series and
    /// the others of equal tags linked to it (<see cref="SeriesWriter.NextOfTags"/>), when the hint is this store's.
    /// </summary>
    private bool TryHinted(string measurement, TagSet tags, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SeriesWriter? writer)
    {
        for (writer = Hinted(tags); writer is not null; writer = writer.NextOfTags)
        {
            if (ReferenceEquals(writer.Measurement, measurement))
            {
                return true;
            }
        }

        writer = null;
        return false;
    }

    /// <summary>The committed series the tag set's hint names, when the hint is this store's (its tags equal the tag set's).</summary>
    private SeriesWriter? Hinted(TagSet tags)
    {
        var hint = tags.SeriesHint;
        var id = (int)(uint)hint - 1;
        return (hint & ~0xFFFF_FFFFL) == _hintStore && (uint)id < (uint)_seriesById.Count ? _seriesById[id] : null;
    }

    /// <summary>
    /// Links a series being committed to the others of its tag set: after the series its tag set's hint names (the first
    /// of the tag set's series this store created, whose tags equal these), or as the one the hint names when there is none.
    /// The hint then stays put, so the points of every measurement that shares a tag set (on the hub's mix, a model's
    /// latency, token usage and error rate) find their series through it without a table lookup, the hint naming the
    /// series of the first measurement seen, usually the most frequent.
    /// </summary>
    private void LinkByTags(SeriesWriter writer)
    {
        var first = Hinted(writer.Tags);
        if (first is null)
        {
            writer.Tags.SeriesHint = HintOf(writer);
            return;
        }

        writer.NextOfTags = first.NextOfTags;
        first.NextOfTags = writer;
    }

    /// <summary>The tags indexed for a measurement: its <see cref="IndexConfig"/>, else the default one (measurement ""), else every tag.</summary>
    private HashSet<string>? IndexedTagsOf(string measurement)
    {
        IndexConfig? chosen = null;
        foreach (var config in _options.Indexes)
        {
            if (config.Measurement == measurement)
            {
                chosen = config;
                break;
            }

            if (config.Measurement.Length == 0)
            {
                chosen ??= config;
            }
        }

        return chosen is null ? null : new HashSet<string>(chosen.IndexedTags, StringComparer.Ordinal);
    }

    private static string Path(int index, string member) => $"points[{index.ToString(CultureInfo.InvariantCulture)}].{member}";

    private static void AddPointError(List<Problem> errors, TimeSeriesPoint? point, int i)
    {
        var index = i.ToString(CultureInfo.InvariantCulture);
        if (point is null)
        {
            errors.Add(new(ProblemCodes.FieldsRequired, $"points[{index}]", "The point is null."));
        }
        else if (string.IsNullOrEmpty(point.Measurement))
        {
            errors.Add(new(ProblemCodes.MeasurementRequired, Path(i, "measurement"), "The measurement is required."));
        }
        else if (point.Tags is null)
        {
            errors.Add(new(ProblemCodes.InvalidTag, Path(i, "tags"), "Tags are required (source_module and environment)."));
        }
        else
        {
            errors.Add(new(ProblemCodes.FieldsRequired, Path(i, "fields"), "A point needs at least one field."));
        }
    }

    /// <summary>
    /// Numbers the point's fields in its series (adding new ones) unless that would give the series more fields than
    /// allowed; a series that grew is remembered in <paramref name="grown"/> so a rejected batch can take the names back.
    /// </summary>
    private bool CheckFields(SeriesWriter writer, string[] names, string measurement, int i, ref List<(SeriesWriter Writer, int Fields)>? grown, List<Problem> errors)
    {
        var before = writer.FieldCount;
        var max = _options.Cardinality.MaxFieldsPerSeries;
        if (!writer.TryAddFields(names, max, out var over))
        {
            errors.Add(new(ProblemCodes.FieldLimitExceeded, Path(i, "fields." + over),
                $"The series of measurement '{measurement}' already has {before} fields; the limit is {max}."));
            return false;
        }

        if (writer.FieldCount != before)
        {
            (grown ??= []).Add((writer, before));
        }

        return true;
    }

    private bool ValidateTags(TagSet tags, int i, List<Problem> errors)
    {
        var before = errors.Count;
        if (tags.SourceModule is null || tags.Environment is null)
        {
            errors.Add(new(ProblemCodes.InvalidTag, Path(i, "tags"), "source_module and environment are required."));
            return false;
        }

        foreach (var (key, value) in tags.Custom)
        {
            if (string.IsNullOrEmpty(key) || TagSet.IsKnownKey(key) || key.Length > _options.MaxTagKeyLength)
            {
                errors.Add(new(ProblemCodes.InvalidTag, Path(i, "tags"), $"Custom tag key '{key}' is empty, too long or repeats a known tag."));
            }
            else if (value is null)
            {
                errors.Add(new(ProblemCodes.InvalidTag, Path(i, "tags." + key), "Tag values must not be null."));
            }
        }

        foreach (var (key, value) in tags.GetSortedPairs())
        {
            if (value is not null && value.Length > _options.MaxTagValueLength)
            {
                errors.Add(new(ProblemCodes.InvalidTag, Path(i, "tags." + key), $"The value is longer than {_options.MaxTagValueLength.ToString(CultureInfo.InvariantCulture)} characters."));
            }
        }

        return errors.Count == before;
    }

    private bool CheckCardinality(
        string measurement, TagSet tags, int i,
        Dictionary<(string, string), HashSet<string>> pendingValues, Dictionary<string, int> pendingSeries, List<Problem> errors)
    {
        // Checked against the writer's index (the committed state) plus the series this batch would add.
        var limits = _options.Cardinality;
        _indexes.TryGetValue(measurement, out var index);
        pendingSeries.TryGetValue(measurement, out var newSeries);
        var existing = index?.SeriesIds.Count ?? 0;
        if (existing + newSeries + 1 > limits.MaxSeriesPerMeasurement)
        {
            errors.Add(new(ProblemCodes.SeriesLimitExceeded, Path(i, "tags"),
                $"Measurement '{measurement}' already has {existing + newSeries} series; the limit is {limits.MaxSeriesPerMeasurement}."));
            return false;
        }

        foreach (var (key, value) in tags.GetSortedPairs())
        {
            if (index is not null && index.HasValue(key, value))
            {
                continue;
            }

            var pendingKey = (measurement, key);
            if (pendingValues.TryGetValue(pendingKey, out var added) && added.Contains(value))
            {
                continue;
            }

            var distinct = (index?.DistinctValues(key) ?? 0) + (added?.Count ?? 0);
            var limit = limits.LimitFor(key);
            if (distinct + 1 > limit)
            {
                errors.Add(new(ProblemCodes.TagCardinalityExceeded, Path(i, "tags." + key),
                    $"Tag '{key}' of measurement '{measurement}' already has {distinct} distinct values; the limit is {limit}. High-cardinality values belong in fields."));
                return false;
            }
        }

        foreach (var (key, value) in tags.GetSortedPairs())
        {
            if (index is not null && index.HasValue(key, value))
            {
                continue;
            }

            var pendingKey = (measurement, key);
            if (!pendingValues.TryGetValue(pendingKey, out var added))
            {
                added = _spareValueSets.Count > 0 ? _spareValueSets.Pop() : new HashSet<string>(StringComparer.Ordinal);
                pendingValues.Add(pendingKey, added);
            }

            added.Add(value);
        }

        pendingSeries[measurement] = newSeries + 1;
        return true;
    }

    /// <summary>Empties the write scratch when a write ends (so it holds no series or tags between writes), keeping its capacity and the sets of tag values.</summary>
    private void ClearScratch()
    {
        _pending.Clear();
        _pendingByKey.Clear();
        _pendingSeries.Clear();
        foreach (var added in _pendingValues.Values)
        {
            added.Clear();
            _spareValueSets.Push(added);
        }

        _pendingValues.Clear();
    }

    /// <summary>The snapshot for a reader: it holds every batch completed before the call (publishing them if needed).</summary>
    private StoreSnapshot CurrentSnapshot()
    {
        if (_stale)
        {
            lock (_writeLock)
            {
                return PublishPending();
            }
        }

        return Volatile.Read(ref _snapshot);
    }

    /// <summary>Publishes the series written since the last publication (under the write lock) and returns the snapshot.</summary>
    private StoreSnapshot PublishPending()
    {
        if (_unpublished.Count > 0 || _unpublishedCreated.Count > 0)
        {
            Publish(_snapshot, _unpublished, _unpublishedCreated);
            _unpublished.Clear();
            _unpublishedCreated.Clear();
        }

        _stale = false;
        return _snapshot;
    }

    /// <summary>Publishes a new snapshot: the touched series' states and, for the measurements of created series, their indexes.</summary>
    private void Publish(StoreSnapshot snapshot, List<SeriesWriter> touched, List<SeriesWriter> created)
    {
        var seriesCount = _seriesById.Count;
        var directories = StoreSnapshot.With(snapshot.Directories, seriesCount, touched);
        var measurements = snapshot.Measurements;
        if (created.Count > 0)
        {
            measurements = new Dictionary<string, MeasurementState>(snapshot.Measurements, StringComparer.Ordinal);
            string? last = null;
            foreach (var writer in created)
            {
                if (ReferenceEquals(writer.Measurement, last))
                {
                    continue;
                }

                last = writer.Measurement;
                var index = _indexes[last];
                if (!measurements.TryGetValue(last, out var state) || state.SeriesCount != index.SeriesIds.Count)
                {
                    measurements[last] = index.Publish();
                }
            }
        }

        Volatile.Write(ref _snapshot, new StoreSnapshot { Measurements = measurements, Directories = directories, SeriesCount = seriesCount });
    }

    /// <summary>A series identity: a measurement and a tag set (hash cached by the tag set).</summary>
    private readonly record struct SeriesKey(string Measurement, TagSet Tags)
    {
        public bool Equals(SeriesKey other) =>
            string.Equals(Measurement, other.Measurement, StringComparison.Ordinal) && Tags.Equals(other.Tags);

        public override int GetHashCode() => HashCode.Combine(Measurement.Length, Measurement[0], Tags.GetHashCode());
    }
}
