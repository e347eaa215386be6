using AnalyticsHub.Storage.InMemory.Rollups;
using AnalyticsHub.TimeSeries;
using AnalyticsHub.Events;

namespace AnalyticsHub.Storage.InMemory;

/// <content>Rollups, retention and continuous queries (spec 1.5 and decision 9).</content>
public sealed partial class InMemoryTimeSeriesStore
{
    private readonly Dictionary<string, ContinuousQueryState> _continuousQueries = new(StringComparer.Ordinal);
    private ContinuousQueryState[] _activeQueries = [];

    /// <inheritdoc/>
    public ValueTask<TimeSeriesWriteResult> WriteRollupsAsync(IReadOnlyList<RollupBucket> buckets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_rollups.Write(buckets));
    }

    /// <inheritdoc/>
    public ValueTask<RetentionResult> ApplyRetentionAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            _rollups.EnterWrite();
            try
            {
                return ValueTask.FromResult(new RetentionRun(this, now).Apply());
            }
            finally
            {
                _rollups.ExitWrite();
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Problem>> RegisterContinuousQueryAsync(ContinuousQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        if (!ContinuousQueryPlan.TryCreate(query, out var plan, out var errors))
        {
            return ValueTask.FromResult<IReadOnlyList<Problem>>(errors);
        }

        var state = new ContinuousQueryState(plan!);

        lock (_writeLock)
        {
            if (_continuousQueries.ContainsKey(query.QueryId))
            {
                return ValueTask.FromResult<IReadOnlyList<Problem>>([ContinuousQueryPlan.AlreadyRegistered(query.QueryId)]);
            }

            _continuousQueries.Add(query.QueryId, state);
            if (query.Enabled)
            {
                _rollups.EnterWrite();
                try
                {
                    Backfill(state);
                }
                finally
                {
                    _rollups.ExitWrite();
                }

                _activeQueries = [.. _activeQueries, state];
            }
        }

        return ValueTask.FromResult<IReadOnlyList<Problem>>([]);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveContinuousQueryAsync(string queryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queryId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (!_continuousQueries.Remove(queryId, out var state))
            {
                return ValueTask.FromResult(false);
            }

            _activeQueries = Array.FindAll(_activeQueries, q => !ReferenceEquals(q, state));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ContinuousQuery>> GetContinuousQueriesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            var list = new List<ContinuousQuery>(_continuousQueries.Count);
            foreach (var state in _continuousQueries.Values)
            {
                list.Add(state.Definition);
            }

            list.Sort(static (a, b) => string.CompareOrdinal(a.QueryId, b.QueryId));
            return ValueTask.FromResult<IReadOnlyList<ContinuousQuery>>(list);
        }
    }

    /// <summary>Releases the rollup lock.</summary>
    public void Dispose() => _rollups.Dispose();

    /// <summary>Runs a validated query: raw data from the snapshot, rollups below each measurement's raw horizon.</summary>
    private TimeSeriesQueryOutcome Query(TimeSeriesQueryPlan plan, CancellationToken cancellationToken)
    {
        // Pending writes are published before the rollup lock is taken (the writer takes the write lock, then the
        // rollup lock); what the lock then reads holds them, or a later snapshot retention published.
        CurrentSnapshot();
        _rollups.EnterRead();
        try
        {
            // Read inside the lock: retention publishes the snapshot and moves data into rollups under it.
            var snapshot = Volatile.Read(ref _snapshot);
            _rollups.Measurements.TryGetValue(plan.Measurement, out var rollups);
            return InMemoryQueryExecutor.Execute(snapshot, rollups, plan, _options.QueryParallelism, cancellationToken);
        }
        finally
        {
            _rollups.ExitRead();
        }
    }

    /// <summary>Rolls freshly written points into every enabled continuous query reading their measurement (under the write lock).</summary>
    private void MaintainContinuousQueries(PointColumns columns)
    {
        var active = _activeQueries;
        if (active.Length == 0)
        {
            return;
        }

        _rollups.EnterWrite();
        try
        {
            foreach (var state in active)
            {
                for (var series = 0; series < columns.SeriesCount; series++)
                {
                    var tags = columns.Tags(series);
                    if (!string.Equals(columns.Measurement(series), state.Definition.SourceMeasurement, StringComparison.Ordinal) || !state.Matches(tags))
                    {
                        continue;
                    }

                    foreach (var row in columns.Rows(series))
                    {
                        state.Add(_rollups, tags, columns.Ticks(row), FieldSet.FromArrays(columns.NameArray(row), columns.FieldValues(row).ToArray()));
                    }
                }
            }
        }
        finally
        {
            _rollups.ExitWrite();
        }
    }

    /// <summary>Rolls the source's stored raw points inside the query's time range into the destination (under both locks).</summary>
    private void Backfill(ContinuousQueryState state)
    {
        var snapshot = PublishPending();
        if (!snapshot.Measurements.TryGetValue(state.Definition.SourceMeasurement, out var measurement))
        {
            return;
        }

        var plan = state.Plan.Query;
        foreach (var id in InMemoryQueryExecutor.ResolveSeries(measurement, plan, snapshot))
        {
            var series = snapshot.Get(id);
            var all = new int[series.FieldNames.Length];
            for (var f = 0; f < all.Length; f++)
            {
                all[f] = f;
            }

            foreach (var shard in series.Shards)
            {
                foreach (var view in shard.Chunks)
                {
                    if (view.MaxTicks < plan.StartTicks || view.MinTicks >= plan.EndTicks)
                    {
                        continue;
                    }

                    var chunk = view.Materialize(all);
                    for (var r = 0; r < view.Count; r++)
                    {
                        var t = chunk.Timestamps[r];
                        if (t < plan.StartTicks || t >= plan.EndTicks)
                        {
                            continue;
                        }

                        var values = new List<KeyValuePair<string, FieldValue>>(all.Length);
                        for (var f = 0; f < all.Length; f++)
                        {
                            if (chunk.GetColumn(f) is { } column && column.TryReadValue(r, out var value))
                            {
                                values.Add(new(series.FieldNames[f], value));
                            }
                        }

                        state.Add(_rollups, series.Tags, t, new FieldSet(values));
                    }
                }
            }
        }
    }

    /// <summary>One application of the retention policy, under the write lock and the rollup write lock.</summary>
    private sealed class RetentionRun(InMemoryTimeSeriesStore store, DateTimeOffset now)
    {
        private readonly RetentionPolicy _policy = store._options.Retention;
        private long _rawDropped;
        private long _rawDownsampled;
        private long _created;
        private long _merged;
        private long _rollupsDropped;

        public RetentionResult Apply()
        {
            var plan = RetentionPlan.Create(_policy, now);
            var snapshot = store.PublishPending();
            var touched = new List<SeriesWriter>();

            // Full resolution: points past the maximum age go with their whole shard; points past full-resolution age
            // become buckets of the first step's resolution.
            var rawCutoff = plan.RawCutoff;
            foreach (var (name, measurement) in snapshot.Measurements)
            {
                foreach (var id in measurement.SeriesIds)
                {
                    var series = snapshot.Get(id);
                    if (plan.Downsamples)
                    {
                        Downsample(name, series, rawCutoff, plan.ShardDropBefore, plan.RawResolutionTicks);
                    }

                    var removed = store._seriesById[id].DeleteRange(long.MinValue, rawCutoff);
                    if (removed > 0)
                    {
                        touched.Add(store._seriesById[id]);
                        _rawDropped += plan.Downsamples ? 0 : removed;
                    }
                }

                if (plan.Downsamples)
                {
                    var state = store._rollups.GetOrAddMeasurement(name);
                    state.RawHorizon = Math.Max(state.RawHorizon, rawCutoff);
                }
            }

            // Rollups: each step folds the finer buckets older than its age into its resolution; the oldest go.
            foreach (var (_, measurement) in store._rollups.Measurements)
            {
                var emptied = new List<string>();
                foreach (var (identity, series) in measurement.Series)
                {
                    foreach (var fold in plan.Folds)
                    {
                        Fold(series, fold.ResolutionTicks, fold.Before);
                    }

                    foreach (var level in series.Levels)
                    {
                        // A bucket goes once all of it is past the maximum age; the rest is packed but for the newest
                        // bucket, which may still be filling.
                        _rollupsDropped += level.RemoveBefore(plan.RollupDropBefore(level.ResolutionTicks)).Count;
                        level.Compact(level.Count == 0 ? long.MinValue : level.StartAt(level.Count - 1));
                    }

                    series.Levels.RemoveAll(l => l.Count == 0);
                    if (series.IsEmpty)
                    {
                        emptied.Add(identity);
                    }
                }

                foreach (var identity in emptied)
                {
                    measurement.Series.Remove(identity);
                }
            }

            if (touched.Count > 0)
            {
                store.Publish(snapshot, touched, []);
            }

            store._rollups.Generation++;
            return new RetentionResult
            {
                Now = now,
                RawPointsDropped = _rawDropped,
                RawPointsDownsampled = _rawDownsampled,
                RollupBucketsCreated = _created,
                RollupBucketsMerged = _merged,
                RollupBucketsDropped = _rollupsDropped,
            };
        }

        /// <summary>Turns the series' raw points before <paramref name="cutoff"/> into buckets; those in shards wholly past the maximum age (before <paramref name="dropBefore"/>) are only counted as dropped.</summary>
        private void Downsample(string measurement, SeriesState series, long cutoff, long dropBefore, long resolution)
        {
            RollupLevel? level = null;
            var all = new int[series.FieldNames.Length];
            for (var f = 0; f < all.Length; f++)
            {
                all[f] = f;
            }

            foreach (var shard in series.Shards)
            {
                if (shard.MinTicks >= cutoff)
                {
                    continue;
                }

                foreach (var view in shard.Chunks)
                {
                    if (view.MinTicks >= cutoff)
                    {
                        continue;
                    }

                    var chunk = view.Materialize(all);
                    for (var r = 0; r < view.Count; r++)
                    {
                        var t = chunk.Timestamps[r];
                        if (t >= cutoff)
                        {
                            continue;
                        }

                        if (t < dropBefore)
                        {
                            _rawDropped++;
                            continue;
                        }

                        _rawDownsampled++;
                        level ??= store._rollups.GetOrAddSeries(measurement, series.Tags.ToDictionary(), out _).GetOrAddLevel(resolution);
                        var start = RetentionPlan.Floor(t, resolution);
                        for (var f = 0; f < all.Length; f++)
                        {
                            if (chunk.GetColumn(f) is { } column && column.TryReadValue(r, out var value)
                                && value.Kind is not (FieldValueKind.String or FieldValueKind.Boolean) && value.TryGetDouble(out var number))
                            {
                                level.GetOrAdd(start, series.FieldNames[f], RollupCell.Empty, out var created).Add(t, number);
                                _created += created ? 1 : 0;
                            }
                        }
                    }
                }
            }

            // Every bucket written here is older than full resolution: pack it now, so a large backlog never holds
            // all its live sketches at once.
            level?.Compact();
        }

        /// <summary>
        /// Folds the buckets of levels finer than <paramref name="resolution"/> that start before <paramref name="cutoff"/>
        /// into buckets of that resolution. Levels of one series summarise the same values, so each target bucket takes
        /// one source: itself when it already exists, else the finer level holding the most values in it.
        /// </summary>
        private void Fold(RollupSeries series, long resolution, long cutoff)
        {
            var finer = series.Levels.FindAll(l => l.ResolutionTicks < resolution && l.FirstStart < cutoff);
            if (finer.Count == 0)
            {
                return;
            }

            var target = series.GetOrAddLevel(resolution);
            var sources = new Dictionary<long, List<(RollupLevel Level, long Start, RollupCell?[] Cells)>>();
            foreach (var level in finer)
            {
                foreach (var (start, cells) in level.RemoveBefore(cutoff))
                {
                    var targetStart = RetentionPlan.Floor(start, resolution);
                    if (!sources.TryGetValue(targetStart, out var list))
                    {
                        sources.Add(targetStart, list = []);
                    }

                    list.Add((level, start, cells));
                    _merged++;
                }
            }

            foreach (var (targetStart, list) in sources.OrderBy(p => p.Key))
            {
                if (target.Contains(targetStart))
                {
                    continue;
                }

                // The source level with the most values in this bucket.
                RollupLevel? best = null;
                ulong bestCount = 0;
                foreach (var level in finer)
                {
                    ulong count = 0;
                    foreach (var item in list)
                    {
                        if (ReferenceEquals(item.Level, level))
                        {
                            count += MaxCount(item.Cells);
                        }
                    }

                    if (count > bestCount)
                    {
                        best = level;
                        bestCount = count;
                    }
                }

                foreach (var item in list)
                {
                    if (!ReferenceEquals(item.Level, best))
                    {
                        continue;
                    }

                    for (var f = 0; f < item.Cells.Length; f++)
                    {
                        if (item.Cells[f] is { } cell)
                        {
                            target.GetOrAdd(targetStart, item.Level.Fields[f], RollupCell.Empty, out var created).Merge(cell);
                            _created += created ? 1 : 0;
                        }
                    }
                }
            }

            target.Compact(cutoff);
        }

        private static ulong MaxCount(RollupCell?[] cells)
        {
            ulong max = 0;
            foreach (var cell in cells)
            {
                max = Math.Max(max, cell?.Stats.Count ?? 0);
            }

            return max;
        }
    }
}
