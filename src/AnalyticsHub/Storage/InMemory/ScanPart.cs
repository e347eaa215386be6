using System.Buffers;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage.InMemory;

/// <summary>
/// One thread's share of an aggregated query's scan: some of the matching series over a time window. The shares of one
/// query own disjoint cells (whole groups, or whole buckets of every group), so threads write the
/// <see cref="AggregationGrid"/>'s cell arrays without locks, and each cell sees its values in the same order as a scan
/// on one thread: the result is the same, bit for bit.
/// </summary>
/// <remarks>
/// A chunk's rows are mapped to cells once, as runs of consecutive rows in one cell; the counting pass (exact
/// percentiles) records the runs and the value pass reuses them, so timestamps are decoded once unless first or last is
/// asked. Values are folded run by run (<see cref="FieldAccumulator.AddRun"/>).
/// </remarks>
internal sealed class ScanPart : IDisposable
{
    /// <summary>Below this many points per thread a query stays on one thread: splitting would cost more than it saves.</summary>
    internal const long MinPointsPerThread = 32_768;

    private const int BufferLength = 65_536;

    // Runs are kept between the passes up to this many per part (12 MB); past it the value pass maps rows again.
    private const int MaxRecordedRuns = 1 << 20;

    private readonly int[] _series;
    private readonly long _rawStart;
    private Run[] _runs = [];
    private int _runCount;
    private readonly List<int> _chunkRuns = [];
    private bool _recorded;

    private ScanPart(int[] series, long rawStart, long start, long end)
    {
        _series = series;
        _rawStart = rawStart;
        Start = start;
        End = end;
    }

    /// <summary>The window's start (UTC ticks, inclusive).</summary>
    public long Start { get; }

    /// <summary>The window's end (UTC ticks, exclusive).</summary>
    public long End { get; }

    /// <summary>Rows of the chunks this part read (a chunk read by two time windows counts in the first).</summary>
    public long Scanned { get; private set; }

    /// <summary>
    /// Splits a scan over at most <paramref name="parallelism"/> threads: by groups when a longest-first assignment
    /// gives no thread more than 1.25 times its share of the points, otherwise by time at bucket boundaries; one part
    /// when the scan is small. Points are counted from the chunk headers.
    /// </summary>
    public static ScanPart[] Split(
        StoreSnapshot snapshot, TimeSeriesQueryPlan plan, long rawStart, int[] seriesIds, int[] groupOf, int groupCount, int parallelism)
    {
        var end = plan.EndTicks;
        var everySeries = new int[seriesIds.Length];
        for (var s = 0; s < everySeries.Length; s++)
        {
            everySeries[s] = s;
        }

        if (parallelism <= 1 || seriesIds.Length == 0)
        {
            return [new ScanPart(everySeries, rawStart, rawStart, end)];
        }

        var groupPoints = new long[Math.Max(1, groupCount)];
        var bucketPoints = new long[plan.BucketCount];
        long total = 0;
        for (var s = 0; s < seriesIds.Length; s++)
        {
            foreach (var shard in snapshot.Get(seriesIds[s]).Shards)
            {
                if (shard.MaxTicks < rawStart || shard.MinTicks >= end)
                {
                    continue;
                }

                foreach (var view in shard.Chunks)
                {
                    if (view.MaxTicks < rawStart || view.MinTicks >= end)
                    {
                        continue;
                    }

                    total += view.Count;
                    groupPoints[groupOf[s]] += view.Count;
                    var bucket = (Math.Max(view.MinTicks, rawStart) - plan.FirstBucketStart) / plan.BucketTicks;
                    bucketPoints[Math.Clamp(bucket, 0, bucketPoints.Length - 1)] += view.Count;
                }
            }
        }

        var threads = (int)Math.Min(parallelism, total / MinPointsPerThread);
        if (threads <= 1)
        {
            return [new ScanPart(everySeries, rawStart, rawStart, end)];
        }

        return ByGroups(seriesIds.Length, groupOf, groupPoints, total, threads, rawStart, end)
            ?? ByTime(plan, bucketPoints, total, threads, everySeries, rawStart, end);
    }

    private static ScanPart[]? ByGroups(int seriesCount, int[] groupOf, long[] groupPoints, long total, int threads, long rawStart, long end)
    {
        if (groupPoints.Length < threads)
        {
            return null;
        }

        var order = new int[groupPoints.Length];
        for (var g = 0; g < order.Length; g++)
        {
            order[g] = g;
        }

        Array.Sort(order, (a, b) => groupPoints[b].CompareTo(groupPoints[a]));
        var load = new long[threads];
        var owner = new int[groupPoints.Length];
        foreach (var g in order)
        {
            var lightest = 0;
            for (var t = 1; t < threads; t++)
            {
                if (load[t] < load[lightest])
                {
                    lightest = t;
                }
            }

            owner[g] = lightest;
            load[lightest] += groupPoints[g];
        }

        if (load.Max() * threads > total * 5 / 4)
        {
            return null;
        }

        var parts = new ScanPart[threads];
        for (var t = 0; t < threads; t++)
        {
            var series = new List<int>();
            for (var s = 0; s < seriesCount; s++)
            {
                if (owner[groupOf[s]] == t)
                {
                    series.Add(s);
                }
            }

            parts[t] = new ScanPart([.. series], rawStart, rawStart, end);
        }

        return parts;
    }

    private static ScanPart[] ByTime(TimeSeriesQueryPlan plan, long[] bucketPoints, long total, int threads, int[] everySeries, long rawStart, long end)
    {
        var parts = new List<ScanPart>(threads);
        var firstBucket = 0;
        long running = 0;
        for (var b = 0; b < bucketPoints.Length && parts.Count < threads - 1; b++)
        {
            running += bucketPoints[b];
            if (running * threads >= total * (parts.Count + 1))
            {
                var windowEnd = plan.FirstBucketStart + ((b + 1) * plan.BucketTicks);
                parts.Add(new ScanPart(everySeries, rawStart, Math.Max(rawStart, plan.FirstBucketStart + (firstBucket * plan.BucketTicks)), Math.Min(end, windowEnd)));
                firstBucket = b + 1;
            }
        }

        parts.Add(new ScanPart(everySeries, rawStart, Math.Max(rawStart, plan.FirstBucketStart + (firstBucket * plan.BucketTicks)), end));
        parts.RemoveAll(p => p.Start >= p.End);
        return [.. parts];
    }

    /// <summary>
    /// Scans this part: in the counting pass, counts each cell's numeric values for the fields that keep their values
    /// (and records the runs); otherwise folds the values into the accumulators.
    /// </summary>
    public void Scan(StoreSnapshot snapshot, AggregationGrid grid, int[] seriesIds, int[] groupOf, bool counting, CancellationToken cancellationToken)
    {
        var plan = grid.Plan;
        var firstBucket = plan.FirstBucketStart;
        var width = plan.BucketTicks;
        var fieldNames = grid.Fields;
        var fieldNumbers = new int[fieldNames.Count];
        var accumulators = new FieldAccumulator[fieldNames.Count];
        var needsTicks = false;
        for (var f = 0; f < accumulators.Length; f++)
        {
            accumulators[f] = grid.Accumulator(f);
            needsTicks |= accumulators[f].NeedsTicks;
        }

        var summaryOnly = !counting && grid.SummaryOnly;
        var replay = !counting && _recorded;
        if (counting)
        {
            _runCount = 0;
            _chunkRuns.Clear();
        }

        var runCursor = 0;
        var chunkCursor = 0;
        var dropped = false;
        long scanned = 0;
        var timestampBuffer = ArrayPool<long>.Shared.Rent(BufferLength);
        var columnBuffer = ArrayPool<long>.Shared.Rent(BufferLength);
        try
        {
            foreach (var s in _series)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var series = snapshot.Get(seriesIds[s]);
                for (var f = 0; f < fieldNumbers.Length; f++)
                {
                    fieldNumbers[f] = Array.IndexOf(series.FieldNames, fieldNames[f]);
                }

                var cellBase = groupOf[s] * plan.BucketCount;
                foreach (var shard in series.Shards)
                {
                    if (shard.MaxTicks < Start || shard.MinTicks >= End)
                    {
                        continue;
                    }

                    foreach (var view in shard.Chunks)
                    {
                        if (view.MaxTicks < Start || view.MinTicks >= End)
                        {
                            continue;
                        }

                        if (Math.Max(view.MinTicks, _rawStart) >= Start)
                        {
                            scanned += view.Count;
                        }

                        var inside = view.MinTicks >= Start && view.MaxTicks < End;
                        var sealedChunk = view.Sealed;
                        if (sealedChunk is not null && inside && summaryOnly
                            && (view.MinTicks - firstBucket) / width == (view.MaxTicks - firstBucket) / width)
                        {
                            // The whole chunk falls in one cell and only count/min/max are asked: the column headers answer.
                            var summaryCell = cellBase + (int)((view.MinTicks - firstBucket) / width);
                            grid.MarkData(summaryCell);
                            for (var f = 0; f < accumulators.Length; f++)
                            {
                                if (fieldNumbers[f] >= 0 && sealedChunk.GetColumn(fieldNumbers[f]) is { } header)
                                {
                                    accumulators[f].AddSummary(summaryCell, header.NumericCount, header.Min, header.Max);
                                }
                            }

                            continue;
                        }

                        ReadOnlySpan<long> timestamps = default;
                        ReadOnlySpan<Run> runs;
                        if (replay)
                        {
                            var n = _chunkRuns[chunkCursor++];
                            runs = _runs.AsSpan(runCursor, n);
                            runCursor += n;
                            if (needsTicks)
                            {
                                timestamps = Timestamps(view, timestampBuffer);
                            }
                        }
                        else
                        {
                            timestamps = Timestamps(view, timestampBuffer);
                            var first = _runCount;
                            AddRuns(grid, timestamps, inside, cellBase, firstBucket, width);
                            runs = _runs.AsSpan(first, _runCount - first);
                            if (counting && _runCount <= MaxRecordedRuns)
                            {
                                _chunkRuns.Add(runs.Length);
                            }
                            else
                            {
                                _runCount = first;
                                dropped |= counting;
                            }
                        }

                        if (runs.IsEmpty)
                        {
                            continue;
                        }

                        for (var f = 0; f < accumulators.Length; f++)
                        {
                            var accumulator = accumulators[f];
                            if (fieldNumbers[f] < 0 || (counting && !accumulator.NeedsValues))
                            {
                                continue;
                            }

                            if (counting && AllNumeric(view, fieldNumbers[f]))
                            {
                                foreach (var run in runs)
                                {
                                    accumulator.CountValues(run.Cell, run.End - run.Start);
                                }

                                continue;
                            }

                            var column = sealedChunk is not null ? sealedChunk.GetColumn(fieldNumbers[f])?.Decode(view.Count, columnBuffer)
                                : view.Chunk!.GetColumn(fieldNumbers[f]);
                            if (column is null)
                            {
                                continue;
                            }

                            if (!counting && column.TryGetDense(view.Count, out var dense))
                            {
                                foreach (var run in runs)
                                {
                                    accumulator.AddRun(
                                        run.Cell, needsTicks ? timestamps[run.Start..run.End] : default, dense[run.Start..run.End]);
                                }

                                continue;
                            }

                            foreach (var run in runs)
                            {
                                for (var r = run.Start; r < run.End; r++)
                                {
                                    if (!column.TryRead(r, out var kind, out var bits) || kind == FieldValueKind.String)
                                    {
                                        continue;
                                    }

                                    if (counting)
                                    {
                                        accumulator.CountValue(run.Cell);
                                    }
                                    else
                                    {
                                        accumulator.Add(run.Cell, needsTicks ? timestamps[r] : 0, FieldValue.ToDouble(kind, bits));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(timestampBuffer);
            ArrayPool<long>.Shared.Return(columnBuffer);
        }

        _recorded = counting && !dropped;
        Scanned = scanned;
    }

    /// <summary>Drops the recorded runs.</summary>
    public void Dispose()
    {
        _runs = [];
        _chunkRuns.Clear();
    }

    private static ReadOnlySpan<long> Timestamps(ChunkView view, long[] buffer) =>
        view.Sealed is { } sealedChunk ? sealedChunk.DecodeTimestamps(buffer) : view.Chunk!.Timestamps.AsSpan(0, view.Count);

    /// <summary>Whether every one of the chunk's rows has a numeric value of the field (counted without decoding).</summary>
    private static bool AllNumeric(ChunkView view, int field)
    {
        if (view.Sealed is { } sealedChunk)
        {
            return sealedChunk.GetColumn(field) is { Kinds: null } header && header.Kind != FieldValueKind.String && header.RowCount >= view.Count;
        }

        return view.Chunk!.GetColumn(field) is { } column && column.Kind != FieldValueKind.String && column.RowCount >= view.Count && column.Kinds is null;
    }

    /// <summary>Appends the chunk's runs of consecutive in-window rows of one cell, marking each run's cell.</summary>
    private void AddRuns(AggregationGrid grid, ReadOnlySpan<long> timestamps, bool inside, int cellBase, long firstBucket, long width)
    {
        long bucketStart = long.MaxValue, bucketEnd = long.MinValue;
        var cell = -1;
        var runStart = -1;
        for (var r = 0; r < timestamps.Length; r++)
        {
            var t = timestamps[r];
            if (!inside && (t < Start || t >= End))
            {
                if (runStart >= 0)
                {
                    Append(cell, runStart, r);
                    runStart = -1;
                }

                continue;
            }

            if (t < bucketStart || t >= bucketEnd)
            {
                var bucket = (t - firstBucket) / width;
                bucketStart = firstBucket + (bucket * width);
                bucketEnd = bucketStart + width;
                if (runStart >= 0)
                {
                    Append(cell, runStart, r);
                }

                cell = cellBase + (int)bucket;
                runStart = r;
                grid.MarkData(cell);
            }
            else if (runStart < 0)
            {
                runStart = r;
            }
        }

        if (runStart >= 0)
        {
            Append(cell, runStart, timestamps.Length);
        }
    }

    private void Append(int cell, int start, int end)
    {
        if (_runCount == _runs.Length)
        {
            Array.Resize(ref _runs, Math.Max(256, _runs.Length * 2));
        }

        _runs[_runCount++] = new Run(cell, start, end);
    }

    /// <summary>A chunk's rows from Start up to End (exclusive), all in one cell.</summary>
    private readonly record struct Run(int Cell, int Start, int End);
}
