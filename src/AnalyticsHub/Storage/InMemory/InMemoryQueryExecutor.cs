using System.Diagnostics;
using System.Runtime.ExceptionServices;
using AnalyticsHub.Storage.InMemory.Rollups;
using AnalyticsHub.TimeSeries;
using AnalyticsHub.Events;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// Runs a <see cref="TimeSeriesQueryPlan"/> over one <see cref="StoreSnapshot"/>: the inverted index picks the
/// series, shard and chunk time bounds skip what lies outside the range, and the remaining rows are aggregated
/// per (group, bucket) cell column by column. The part of the range that retention has downsampled (or all of it, for
/// a measurement of rollups only) is answered from rollup buckets (<see cref="RollupSelection"/>) merged into the same
/// cells.
/// </summary>
internal static class InMemoryQueryExecutor
{
    /// <summary>Runs a plan over a snapshot and the measurement's rollups (read under the rollup read lock).</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="rollups">The measurement's rollups, if any.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="parallelism">The most threads an aggregated query scans with (<see cref="InMemoryTimeSeriesStoreOptions.QueryParallelism"/>).</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    public static TimeSeriesQueryOutcome Execute(
        StoreSnapshot snapshot, RollupMeasurement? rollups, TimeSeriesQueryPlan plan, int parallelism, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var warnings = new List<string>();
        snapshot.Measurements.TryGetValue(plan.Measurement, out var measurement);
        var selection = RollupSelection.Create(rollups, plan, hasRaw: measurement is not null, warnings);
        if (measurement is null && selection.IsEmpty)
        {
            return QueryScanStatistics.NoData(plan, warnings, started);
        }

        var seriesIds = measurement is null ? [] : ResolveSeries(measurement, plan, snapshot);
        foreach (var condition in plan.Conditions)
        {
            if (condition.TimedOut)
            {
                warnings.Add($"The regex on tag '{condition.Tag}' timed out on some values; they were treated as not matching.");
            }
        }

        return plan.IsAggregated
            ? Aggregate(snapshot, selection, plan, seriesIds, parallelism, warnings, started, cancellationToken)
            : Raw(snapshot, selection, plan, seriesIds, warnings, started, cancellationToken);
    }

    /// <summary>
    /// The sorted ids of the series matching every filter and condition: through the tag index for indexed tags, then,
    /// for tags an <see cref="IndexConfig"/> leaves out, by reading the remaining series' tags (the same answer, by scan).
    /// </summary>
    internal static int[] ResolveSeries(MeasurementState measurement, TimeSeriesQueryPlan plan, StoreSnapshot snapshot)
    {
        int[]? current = null;
        var scan = false;
        foreach (var (key, value) in plan.EqualityFilters)
        {
            if (!measurement.IsIndexed(key))
            {
                scan = true;
                continue;
            }

            if (!measurement.TagIndex.TryGetValue(key, out var values) || !values.TryGetValue(value, out var posting))
            {
                return [];
            }

            current = current is null ? posting : Intersect(current, posting);
        }

        foreach (var condition in plan.Conditions)
        {
            if (!measurement.IsIndexed(condition.Tag))
            {
                scan = true;
                continue;
            }

            measurement.TagIndex.TryGetValue(condition.Tag, out var values);
            if (condition.Op == TagConditionOperator.Ne)
            {
                if (values is not null && values.TryGetValue(condition.Value!, out var excluded))
                {
                    current = Except(current ?? measurement.SeriesIds, excluded);
                }

                continue;
            }

            var matching = new List<int>();
            if (values is not null)
            {
                foreach (var (value, posting) in values)
                {
                    if (condition.Matches(value))
                    {
                        matching.AddRange(posting);
                    }
                }
            }

            matching.Sort();
            current = Intersect(current ?? measurement.SeriesIds, matching.ToArray());
        }

        current ??= measurement.SeriesIds;
        return scan ? Scan(current, measurement, plan, snapshot) : current;
    }

    /// <summary>Keeps the series whose tags satisfy the filters and conditions on tags that are not indexed.</summary>
    private static int[] Scan(int[] candidates, MeasurementState measurement, TimeSeriesQueryPlan plan, StoreSnapshot snapshot)
    {
        var kept = new List<int>(candidates.Length);
        foreach (var id in candidates)
        {
            var tags = snapshot.Get(id).Tags;
            if (MatchesUnindexed(tags, measurement, plan))
            {
                kept.Add(id);
            }
        }

        return [.. kept];
    }

    private static bool MatchesUnindexed(TagSet tags, MeasurementState measurement, TimeSeriesQueryPlan plan)
    {
        foreach (var (key, value) in plan.EqualityFilters)
        {
            if (!measurement.IsIndexed(key) && !(tags.TryGetValue(key, out var actual) && string.Equals(actual, value, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        foreach (var condition in plan.Conditions)
        {
            if (!measurement.IsIndexed(condition.Tag) && !condition.Matches(tags.TryGetValue(condition.Tag, out var actual) ? actual : null))
            {
                return false;
            }
        }

        return true;
    }

    private static int[] Intersect(int[] a, int[] b)
    {
        var result = new List<int>(Math.Min(a.Length, b.Length));
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                if (result.Count == 0 || result[^1] != a[i])
                {
                    result.Add(a[i]);
                }

                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return [.. result];
    }

    private static int[] Except(int[] a, int[] b)
    {
        var result = new List<int>(a.Length);
        var j = 0;
        foreach (var id in a)
        {
            while (j < b.Length && b[j] < id)
            {
                j++;
            }

            if (j >= b.Length || b[j] != id)
            {
                result.Add(id);
            }
        }

        return [.. result];
    }

    private static TimeSeriesQueryOutcome Aggregate(
        StoreSnapshot snapshot, RollupSelection selection, TimeSeriesQueryPlan plan, int[] seriesIds, int parallelism, List<string> warnings,
        long started, CancellationToken cancellationToken)
    {
        using var grid = new AggregationGrid(plan, warnings);

        // Groups are decided per series (not per point): raw series first, then the rollup series.
        var groupOf = new int[seriesIds.Length + selection.Parts.Count];
        Problem? error;
        for (var s = 0; s < groupOf.Length; s++)
        {
            var added = s < seriesIds.Length
                ? grid.TryAddSeries(snapshot.Get(seriesIds[s]).Tags, static (t, key) => t.TryGetValue(key, out var value) ? value : null, out groupOf[s], out error)
                : grid.TryAddSeries(selection.Parts[s - seriesIds.Length].Series.Tags, static (t, key) => t.TryGetValue(key, out var value) ? value : null, out groupOf[s], out error);
            if (!added)
            {
                return TimeSeriesQueryOutcome.Failure([error!]);
            }
        }

        if (!grid.TryAllocate(grid.NeedsDefaultFields ? AllFields(snapshot, seriesIds, selection) : null, !selection.IsEmpty, out error))
        {
            return TimeSeriesQueryOutcome.Failure([error!]);
        }

        var parts = ScanPart.Split(snapshot, plan, selection.RawStart, seriesIds, groupOf, grid.GroupCount, parallelism);
        try
        {
            if (grid.NeedsCountingPass)
            {
                ScanAll(parts, snapshot, grid, seriesIds, groupOf, counting: true, cancellationToken);
                grid.EndCountingPass();
            }

            ScanAll(parts, snapshot, grid, seriesIds, groupOf, counting: false, cancellationToken);
            long scanned = 0;
            foreach (var part in parts)
            {
                scanned += part.Scanned;
            }

            var rollupsRead = AddRollups(selection, grid, groupOf, seriesIds.Length);
            grid.SelectPercentiles(parts.Length);
            return grid.ToResult(new QueryScanStatistics(started, scanned, rollupsRead, [.. selection.Labels()]));
        }
        finally
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>Runs one pass of every part, the first on the calling thread and the others beside it.</summary>
    private static void ScanAll(
        ScanPart[] parts, StoreSnapshot snapshot, AggregationGrid grid, int[] seriesIds, int[] groupOf, bool counting, CancellationToken cancellationToken)
    {
        if (parts.Length == 1)
        {
            parts[0].Scan(snapshot, grid, seriesIds, groupOf, counting, cancellationToken);
            return;
        }

        try
        {
            Parallel.For(0, parts.Length, new ParallelOptions { MaxDegreeOfParallelism = parts.Length }, p =>
                parts[p].Scan(snapshot, grid, seriesIds, groupOf, counting, cancellationToken));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // A cancelled (or failed) part surfaces as itself, as on one thread.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }

    private static List<string> AllFields(StoreSnapshot snapshot, int[] seriesIds, RollupSelection selection)
    {
        var names = new List<string>();
        foreach (var id in seriesIds)
        {
            names.AddRange(snapshot.Get(id).FieldNames);
        }

        foreach (var (_, level, _) in selection.Parts)
        {
            names.AddRange(level.Fields);
        }

        return names;
    }

    /// <summary>Merges the selected rollup buckets into the cells of their series' groups; returns the buckets read.</summary>
    private static long AddRollups(RollupSelection selection, AggregationGrid grid, int[] groupOf, int rawSeriesCount)
    {
        long read = 0;
        var fieldIndex = new int[grid.Fields.Count];
        for (var p = 0; p < selection.Parts.Count; p++)
        {
            var (_, level, buckets) = selection.Parts[p];
            for (var f = 0; f < fieldIndex.Length; f++)
            {
                fieldIndex[f] = level.FieldIndex(grid.Fields[f]);
            }

            var group = groupOf[rawSeriesCount + p];
            foreach (var b in buckets)
            {
                var start = level.StartAt(b);
                var cells = level.CellsAt(b);
                read++;
                for (var f = 0; f < fieldIndex.Length; f++)
                {
                    if (fieldIndex[f] >= 0 && fieldIndex[f] < cells.Length && cells[fieldIndex[f]] is { } rollup)
                    {
                        grid.AddRollup(group, start, f, rollup);
                    }
                }
            }
        }

        return read;
    }

    private static TimeSeriesQueryOutcome Raw(
        StoreSnapshot snapshot, RollupSelection selection, TimeSeriesQueryPlan plan, int[] seriesIds, List<string> warnings, long started, CancellationToken cancellationToken)
    {
        var rawStart = selection.RawStart;
        var builder = new RawResultBuilder(plan, warnings);
        long scanned = 0;
        var rows = new List<(long Ticks, int Order, ColumnChunk Chunk, int Row)>();
        foreach (var id in seriesIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var series = snapshot.Get(id);
            var fields = builder.FieldsOf(series.FieldNames);
            var fieldNumbers = new int[fields.Count];
            for (var f = 0; f < fields.Count; f++)
            {
                fieldNumbers[f] = Array.IndexOf(series.FieldNames, fields[f]);
            }

            rows.Clear();
            foreach (var shard in series.Shards)
            {
                if (shard.MaxTicks < rawStart || shard.MinTicks >= plan.EndTicks)
                {
                    continue;
                }

                foreach (var view in shard.Chunks)
                {
                    if (view.MaxTicks < rawStart || view.MinTicks >= plan.EndTicks)
                    {
                        continue;
                    }

                    scanned += view.Count;
                    var chunk = view.Materialize(fieldNumbers);
                    for (var r = 0; r < view.Count; r++)
                    {
                        var t = chunk.Timestamps[r];
                        if (t >= rawStart && t < plan.EndTicks)
                        {
                            rows.Add((t, rows.Count, chunk, r));
                        }
                    }
                }
            }

            rows.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Order.CompareTo(b.Order));
            if (!builder.TryTake(rows.Count, out var first, out var count))
            {
                continue;
            }

            var points = new List<TimeSeriesDataPoint>(count);
            for (var i = first; i < first + count; i++)
            {
                var (ticks, _, chunk, row) = rows[i];
                var values = new Dictionary<string, FieldValue?>(fields.Count, StringComparer.Ordinal);
                for (var f = 0; f < fields.Count; f++)
                {
                    if (fieldNumbers[f] >= 0 && chunk.GetColumn(fieldNumbers[f]) is { } column && column.TryReadValue(row, out var value))
                    {
                        values[fields[f]] = value;
                    }
                }

                points.Add(new TimeSeriesDataPoint { Timestamp = new DateTimeOffset(ticks, TimeSpan.Zero), Values = values });
            }

            builder.AddSeries(series.Tags.GetSortedPairs(), points);
            if (builder.IsTruncated)
            {
                break;
            }
        }

        if (!builder.IsTruncated)
        {
            foreach (var (series, level, buckets) in selection.Parts)
            {
                var handle = builder.BeginRollupSeries(series.Tags);
                foreach (var b in buckets)
                {
                    builder.AddRollupBucket(handle, level.StartAt(b), level.Fields, level.CellsAt(b));
                }
            }
        }

        return builder.ToResult(started, scanned, [.. selection.Labels()]);
    }
}
