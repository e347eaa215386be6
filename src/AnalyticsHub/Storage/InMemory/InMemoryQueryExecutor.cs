using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Storage.InMemory.Rollups;
using AnalyticsHub.TimeSeries;

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
    private const string RawResolution = "raw";

    /// <summary>Runs a plan over a snapshot and the measurement's rollups (read under the rollup read lock).</summary>
    public static TimeSeriesQueryResult Execute(StoreSnapshot snapshot, RollupMeasurement? rollups, TimeSeriesQueryPlan plan, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var warnings = new List<string>();
        snapshot.Measurements.TryGetValue(plan.Measurement, out var measurement);
        var selection = RollupSelection.Create(rollups, plan, hasRaw: measurement is not null, warnings);
        if (measurement is null && selection.IsEmpty)
        {
            warnings.Add($"Measurement '{plan.Measurement}' has no data.");
            return Finish(plan, selection, [], warnings, started, 0, 0, 0, false);
        }

        var seriesIds = measurement is null ? [] : ResolveSeries(measurement, plan);
        foreach (var condition in plan.Conditions)
        {
            if (condition.TimedOut)
            {
                warnings.Add($"The regex on tag '{condition.Tag}' timed out on some values; they were treated as not matching.");
            }
        }

        return plan.IsAggregated
            ? Aggregate(snapshot, selection, plan, seriesIds, warnings, started, cancellationToken)
            : Raw(snapshot, selection, plan, seriesIds, warnings, started, cancellationToken);
    }

    /// <summary>The sorted ids of the series matching every filter and condition.</summary>
    internal static int[] ResolveSeries(MeasurementState measurement, TimeSeriesQueryPlan plan)
    {
        int[]? current = null;
        foreach (var (key, value) in plan.EqualityFilters)
        {
            if (!measurement.TagIndex.TryGetValue(key, out var values) || !values.TryGetValue(value, out var posting))
            {
                return [];
            }

            current = current is null ? posting : Intersect(current, posting);
        }

        foreach (var condition in plan.Conditions)
        {
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

        return current ?? measurement.SeriesIds;
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

    private static TimeSeriesQueryResult Aggregate(
        StoreSnapshot snapshot, RollupSelection selection, TimeSeriesQueryPlan plan, int[] seriesIds, List<string> warnings, long started, CancellationToken cancellationToken)
    {
        // Groups: one per distinct combination of the group-by tags, decided per series (not per point); raw series
        // first, then the rollup series.
        var groupOf = new int[seriesIds.Length + selection.Parts.Count];
        var groupKeys = new List<string?[]>();
        var groupIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var keyBuilder = new System.Text.StringBuilder();
        for (var s = 0; s < groupOf.Length; s++)
        {
            var values = new string?[plan.GroupBy.Length];
            keyBuilder.Clear();
            for (var g = 0; g < values.Length; g++)
            {
                if (s < seriesIds.Length)
                {
                    snapshot.Get(seriesIds[s]).Tags.TryGetValue(plan.GroupBy[g], out values[g]);
                }
                else
                {
                    selection.Parts[s - seriesIds.Length].Series.Tags.TryGetValue(plan.GroupBy[g], out values[g]);
                }

                keyBuilder.Append(values[g] is null ? "\u0000" : values[g]).Append('\u001f');
            }

            var key = keyBuilder.ToString();
            if (!groupIndex.TryGetValue(key, out var group))
            {
                group = groupKeys.Count;
                groupIndex.Add(key, group);
                groupKeys.Add(values);
                if (groupKeys.Count > plan.Limits.MaxGroups)
                {
                    return TimeSeriesQueryResult.Failure([new(TimeSeriesErrorCodes.TooManyGroups, "group_by",
                        $"The query has more than {plan.Limits.MaxGroups.ToString(CultureInfo.InvariantCulture)} groups; filter further or group by fewer tags.")]);
                }
            }

            groupOf[s] = group;
        }

        var bucketCount = plan.BucketCount;
        var cells = (long)Math.Max(1, groupKeys.Count) * bucketCount;
        if (cells > plan.Limits.MaxCells)
        {
            return TimeSeriesQueryResult.Failure([new(TimeSeriesErrorCodes.TooManyGroups, "group_by",
                $"{groupKeys.Count.ToString(CultureInfo.InvariantCulture)} groups x {bucketCount.ToString(CultureInfo.InvariantCulture)} buckets exceed {plan.Limits.MaxCells.ToString(CultureInfo.InvariantCulture)} cells; use a wider window, a shorter range or fewer groups.")]);
        }

        // Outputs: (field, function) pairs; the fields are resolved against the matched series.
        var defaultFields = plan.SelectFields.Length > 0 ? plan.SelectFields : AllFields(snapshot, seriesIds, selection);
        var useSketch = plan.UseSketch;
        if (!useSketch && !selection.IsEmpty && Array.Exists(plan.Terms, t => t.Function.Kind is AggregationFunctionKind.Median or AggregationFunctionKind.Percentile))
        {
            useSketch = true;
            warnings.Add($"Percentiles over downsampled data come from the rollups' sketches (relative error at most {RollupSelection.SketchAccuracy}), for the raw part too.");
        }

        var fieldNames = new List<string>();
        var outputs = new List<(int Field, AggregationFunction Function, string Name)>();
        foreach (var term in plan.Terms)
        {
            foreach (var field in term.Fields ?? defaultFields)
            {
                var f = fieldNames.IndexOf(field);
                if (f < 0)
                {
                    f = fieldNames.Count;
                    fieldNames.Add(field);
                }

                var name = field + "_" + term.Function.Label;
                if (!outputs.Exists(o => o.Name == name))
                {
                    outputs.Add((f, term.Function, name));
                }
            }
        }

        var accumulators = new FieldAccumulator[fieldNames.Count];
        for (var f = 0; f < accumulators.Length; f++)
        {
            bool sum = false, spread = false, minMax = false, first = false, last = false, values = false, sketch = false;
            foreach (var output in outputs)
            {
                if (output.Field != f)
                {
                    continue;
                }

                switch (output.Function.Kind)
                {
                    case AggregationFunctionKind.Mean or AggregationFunctionKind.Sum: sum = true; break;
                    case AggregationFunctionKind.Stddev: spread = true; break;
                    case AggregationFunctionKind.Min or AggregationFunctionKind.Max: minMax = true; break;
                    case AggregationFunctionKind.First: first = true; break;
                    case AggregationFunctionKind.Last: last = true; break;
                    case AggregationFunctionKind.Median or AggregationFunctionKind.Percentile:
                        values |= !useSketch;
                        sketch |= useSketch;
                        break;
                    default: break;
                }
            }

            accumulators[f] = new FieldAccumulator(fieldNames[f], (int)cells, sum, spread, minMax, first, last, values, sketch);
        }

        var cellHasData = new bool[cells];
        var rows = ArrayPool<int>.Shared.Rent(65_536);
        var cellOfRow = ArrayPool<int>.Shared.Rent(65_536);
        long scanned = 0;
        try
        {
            var needsCounting = false;
            foreach (var accumulator in accumulators)
            {
                needsCounting |= accumulator.NeedsValues;
            }

            if (needsCounting)
            {
                Scan(snapshot, plan, selection.RawStart, seriesIds, groupOf, fieldNames, accumulators, cellHasData, rows, cellOfRow, counting: true, cancellationToken);
                foreach (var accumulator in accumulators)
                {
                    if (accumulator.NeedsValues)
                    {
                        accumulator.PrepareValues();
                    }
                }
            }

            scanned = Scan(snapshot, plan, selection.RawStart, seriesIds, groupOf, fieldNames, accumulators, cellHasData, rows, cellOfRow, counting: false, cancellationToken);
            var rollupsRead = AddRollups(selection, plan, groupOf, seriesIds.Length, accumulators, cellHasData);
            var result = BuildAggregatedSeries(plan, groupKeys, outputs, accumulators, cellHasData, warnings, out var truncated, out var groupsWithData);
            if (Array.Exists(accumulators, a => a.HasUnknownEnds) && Array.Exists(plan.Terms, t => t.Function.Kind is AggregationFunctionKind.First or AggregationFunctionKind.Last))
            {
                warnings.Add("Some rollup buckets were written as summaries without their individual values: first and last are null where they fall.");
            }

            return Finish(plan, selection, result, warnings, started, scanned, rollupsRead, groupsWithData, truncated);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rows);
            ArrayPool<int>.Shared.Return(cellOfRow);
            foreach (var accumulator in accumulators)
            {
                accumulator.Dispose();
            }
        }
    }

    private static string[] AllFields(StoreSnapshot snapshot, int[] seriesIds, RollupSelection selection)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in seriesIds)
        {
            names.UnionWith(snapshot.Get(id).FieldNames);
        }

        foreach (var (_, level, _) in selection.Parts)
        {
            names.UnionWith(level.Fields);
        }

        var result = names.ToArray();
        Array.Sort(result, StringComparer.Ordinal);
        return result;
    }

    /// <summary>
    /// One pass over the matching chunks: rows in range are mapped to cells once per chunk, then each field's
    /// column is folded into its accumulator (dense float columns without per-row kind checks).
    /// </summary>
    private static long Scan(
        StoreSnapshot snapshot, TimeSeriesQueryPlan plan, long rawStart, int[] seriesIds, int[] groupOf, List<string> fieldNames,
        FieldAccumulator[] accumulators, bool[] cellHasData, int[] rows, int[] cellOfRow, bool counting, CancellationToken cancellationToken)
    {
        long scanned = 0;
        var start = rawStart;
        var end = plan.EndTicks;
        var firstBucket = plan.FirstBucketStart;
        var width = plan.BucketTicks;
        var fieldNumbers = new int[fieldNames.Count];
        var summaryOnly = !counting;
        foreach (var accumulator in accumulators)
        {
            summaryOnly &= accumulator.SummaryOnly;
        }

        var timestampBuffer = ArrayPool<long>.Shared.Rent(65_536);
        var columnBuffer = ArrayPool<long>.Shared.Rent(65_536);
        try
        {
            for (var s = 0; s < seriesIds.Length; s++)
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
                    if (shard.MaxTicks < start || shard.MinTicks >= end)
                    {
                        continue;
                    }

                    foreach (var view in shard.Chunks)
                    {
                        if (view.MaxTicks < start || view.MinTicks >= end)
                        {
                            continue;
                        }

                        scanned += view.Count;
                        var inside = view.MinTicks >= start && view.MaxTicks < end;
                        var sealedChunk = view.Sealed;
                        if (sealedChunk is not null && inside && summaryOnly
                            && (view.MinTicks - firstBucket) / width == (view.MaxTicks - firstBucket) / width)
                        {
                            // The whole chunk falls in one cell and only count/min/max are asked: the column headers answer.
                            var summaryCell = cellBase + (int)((view.MinTicks - firstBucket) / width);
                            cellHasData[summaryCell] = true;
                            for (var f = 0; f < accumulators.Length; f++)
                            {
                                if (fieldNumbers[f] >= 0 && sealedChunk.GetColumn(fieldNumbers[f]) is { } header)
                                {
                                    accumulators[f].AddSummary(summaryCell, header.NumericCount, header.Min, header.Max);
                                }
                            }

                            continue;
                        }

                        var timestamps = sealedChunk is not null ? sealedChunk.DecodeTimestamps(timestampBuffer) : view.Chunk!.Timestamps.AsSpan(0, view.Count);
                        long bucketStart = long.MaxValue, bucketEnd = long.MinValue;
                        var cell = 0;
                        var m = 0;
                        for (var r = 0; r < timestamps.Length; r++)
                        {
                            var t = timestamps[r];
                            if (!inside && (t < start || t >= end))
                            {
                                continue;
                            }

                            if (t < bucketStart || t >= bucketEnd)
                            {
                                var bucket = (t - firstBucket) / width;
                                bucketStart = firstBucket + (bucket * width);
                                bucketEnd = bucketStart + width;
                                cell = cellBase + (int)bucket;
                                cellHasData[cell] = true;
                            }

                            rows[m] = r;
                            cellOfRow[m] = cell;
                            m++;
                        }

                        if (m == 0)
                        {
                            continue;
                        }

                        for (var f = 0; f < accumulators.Length; f++)
                        {
                            var accumulator = accumulators[f];
                            if (counting && !accumulator.NeedsValues)
                            {
                                continue;
                            }

                            var column = fieldNumbers[f] < 0 ? null
                                : sealedChunk is not null ? sealedChunk.GetColumn(fieldNumbers[f])?.Decode(view.Count, columnBuffer)
                                : view.Chunk!.GetColumn(fieldNumbers[f]);
                            if (column is null)
                            {
                                continue;
                            }

                            if (column.TryGetDense(view.Count, out var dense))
                            {
                                if (counting)
                                {
                                    for (var k = 0; k < m; k++)
                                    {
                                        accumulator.CountValue(cellOfRow[k]);
                                    }
                                }
                                else
                                {
                                    for (var k = 0; k < m; k++)
                                    {
                                        var r = rows[k];
                                        accumulator.Add(cellOfRow[k], timestamps[r], dense[r]);
                                    }
                                }

                                continue;
                            }

                            for (var k = 0; k < m; k++)
                            {
                                var r = rows[k];
                                if (!column.TryRead(r, out var kind, out var bits) || kind == FieldValueKind.String)
                                {
                                    continue;
                                }

                                if (counting)
                                {
                                    accumulator.CountValue(cellOfRow[k]);
                                }
                                else
                                {
                                    accumulator.Add(cellOfRow[k], timestamps[r], FieldValue.ToDouble(kind, bits));
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

        return scanned;
    }

    /// <summary>Merges the selected rollup buckets into the cells of their series' groups; returns the buckets read.</summary>
    private static long AddRollups(RollupSelection selection, TimeSeriesQueryPlan plan, int[] groupOf, int rawSeriesCount, FieldAccumulator[] accumulators, bool[] cellHasData)
    {
        long read = 0;
        var fieldIndex = new int[accumulators.Length];
        for (var p = 0; p < selection.Parts.Count; p++)
        {
            var (_, level, buckets) = selection.Parts[p];
            for (var f = 0; f < accumulators.Length; f++)
            {
                fieldIndex[f] = level.FieldIndex(accumulators[f].Field);
            }

            var cellBase = groupOf[rawSeriesCount + p] * plan.BucketCount;
            foreach (var b in buckets)
            {
                var cell = cellBase + (int)((level.StartAt(b) - plan.FirstBucketStart) / plan.BucketTicks);
                var cells = level.CellsAt(b);
                read++;
                for (var f = 0; f < accumulators.Length; f++)
                {
                    if (fieldIndex[f] >= 0 && fieldIndex[f] < cells.Length && cells[fieldIndex[f]] is { } rollup && rollup.Stats.Count > 0)
                    {
                        accumulators[f].AddRollup(cell, rollup);
                        cellHasData[cell] = true;
                    }
                }
            }
        }

        return read;
    }

    private static List<TimeSeriesResultSeries> BuildAggregatedSeries(
        TimeSeriesQueryPlan plan, List<string?[]> groupKeys, List<(int Field, AggregationFunction Function, string Name)> outputs,
        FieldAccumulator[] accumulators, bool[] cellHasData, List<string> warnings, out bool truncated, out long groupsWithData)
    {
        truncated = false;
        groupsWithData = 0;
        var order = new int[groupKeys.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => CompareKeys(groupKeys[a], groupKeys[b]));
        var result = new List<TimeSeriesResultSeries>();
        var budget = (long)plan.Limits.MaxResultPoints;
        var buckets = plan.BucketCount;
        foreach (var group in order)
        {
            var cellBase = group * buckets;
            var any = false;
            for (var b = 0; b < buckets && !any; b++)
            {
                any = cellHasData[cellBase + b];
            }

            if (!any)
            {
                continue;
            }

            groupsWithData++;
            var computed = new FieldValue?[buckets][];
            for (var b = 0; b < buckets; b++)
            {
                var cell = cellBase + b;
                if (!cellHasData[cell])
                {
                    continue;
                }

                var values = new FieldValue?[outputs.Count];
                for (var o = 0; o < outputs.Count; o++)
                {
                    values[o] = Compute(accumulators[outputs[o].Field], outputs[o].Function, cell);
                }

                computed[b] = values;
            }

            if (plan.Fill is { } fill)
            {
                ApplyFill(fill, computed, outputs);
            }

            var points = new List<TimeSeriesDataPoint>();
            ulong index = 0;
            for (var b = 0; b < buckets; b++)
            {
                var values = computed[b];
                if (values is null)
                {
                    continue;
                }

                if (index++ < plan.Offset || (ulong)points.Count >= plan.Limit)
                {
                    continue;
                }

                if (budget-- <= 0)
                {
                    truncated = true;
                    break;
                }

                var map = new Dictionary<string, FieldValue?>(outputs.Count, StringComparer.Ordinal);
                for (var o = 0; o < outputs.Count; o++)
                {
                    map[outputs[o].Name] = values[o];
                }

                points.Add(new TimeSeriesDataPoint
                {
                    Timestamp = new DateTimeOffset(plan.FirstBucketStart + (b * plan.BucketTicks), TimeSpan.Zero),
                    Values = map,
                });
            }

            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var g = 0; g < plan.GroupBy.Length; g++)
            {
                if (groupKeys[group][g] is { } value)
                {
                    tags[plan.GroupBy[g]] = value;
                }
            }

            result.Add(new TimeSeriesResultSeries { Tags = tags, Points = points });
            if (truncated)
            {
                warnings.Add($"The result was cut at {plan.Limits.MaxResultPoints.ToString(CultureInfo.InvariantCulture)} points.");
                break;
            }
        }

        return result;
    }

    private static int CompareKeys(string?[] a, string?[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var c = (a[i], b[i]) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    private static FieldValue? Compute(FieldAccumulator accumulator, AggregationFunction function, int cell)
    {
        var n = accumulator.Count[cell];
        if (function.Kind == AggregationFunctionKind.Count)
        {
            return FieldValue.FromInt64(n);
        }

        if (n == 0)
        {
            return null;
        }

        double value;
        switch (function.Kind)
        {
            case AggregationFunctionKind.Sum:
                value = accumulator.Sum![cell] + accumulator.SumCompensation![cell];
                break;
            case AggregationFunctionKind.Mean:
                value = (accumulator.Sum![cell] + accumulator.SumCompensation![cell]) / n;
                break;
            case AggregationFunctionKind.Min:
                value = accumulator.Min![cell];
                break;
            case AggregationFunctionKind.Max:
                value = accumulator.Max![cell];
                break;
            case AggregationFunctionKind.First:
                if (accumulator.EndsUnknown?[cell] == true)
                {
                    return null;
                }

                value = accumulator.FirstValue![cell];
                break;
            case AggregationFunctionKind.Last:
                if (accumulator.EndsUnknown?[cell] == true)
                {
                    return null;
                }

                value = accumulator.LastValue![cell];
                break;
            case AggregationFunctionKind.Stddev:
                if (n < 2)
                {
                    return null;
                }

                var shiftedSum = accumulator.ShiftedSum![cell];
                var variance = (accumulator.ShiftedSquares![cell] - (shiftedSum * shiftedSum / n)) / (n - 1);
                value = Math.Sqrt(Math.Max(0, variance));
                break;
            default:
                var q = function.Kind == AggregationFunctionKind.Median ? 0.5 : function.Percentile / 100.0;
                value = accumulator.NeedsSketch
                    ? accumulator.Sketches![cell]!.Quantile(q)
                    : Selection.PercentileR7(accumulator.CellValues(cell), q);
                break;
        }

        return double.IsFinite(value) ? FieldValue.FromDouble(value) : null;
    }

    private static void ApplyFill(FillStrategy fill, FieldValue?[]?[] computed, List<(int Field, AggregationFunction Function, string Name)> outputs)
    {
        var buckets = computed.Length;
        switch (fill.Kind)
        {
            case FillStrategyKind.Null:
                for (var b = 0; b < buckets; b++)
                {
                    computed[b] ??= new FieldValue?[outputs.Count];
                }

                break;
            case FillStrategyKind.Zero:
            case FillStrategyKind.Value:
                var constant = FieldValue.FromInt64(fill.Kind == FillStrategyKind.Zero ? 0 : fill.Value);
                for (var b = 0; b < buckets; b++)
                {
                    if (computed[b] is null)
                    {
                        var values = new FieldValue?[outputs.Count];
                        values.AsSpan().Fill(constant);
                        computed[b] = values;
                    }
                }

                break;
            case FillStrategyKind.Previous:
                var previous = new FieldValue?[outputs.Count];
                for (var b = 0; b < buckets; b++)
                {
                    if (computed[b] is { } values)
                    {
                        for (var o = 0; o < values.Length; o++)
                        {
                            previous[o] = values[o] ?? previous[o];
                        }
                    }
                    else
                    {
                        computed[b] = (FieldValue?[])previous.Clone();
                    }
                }

                break;
            default:
                FillLinear(computed, outputs.Count);
                break;
        }
    }

    private static void FillLinear(FieldValue?[]?[] computed, int outputCount)
    {
        var buckets = computed.Length;
        var empty = new bool[buckets];
        for (var b = 0; b < buckets; b++)
        {
            empty[b] = computed[b] is null;
            if (empty[b])
            {
                computed[b] = new FieldValue?[outputCount];
            }
        }

        for (var o = 0; o < outputCount; o++)
        {
            var previous = -1;
            for (var b = 0; b < buckets; b++)
            {
                if (empty[b])
                {
                    continue;
                }

                if (computed[b]![o] is { } value && value.TryGetDouble(out var current))
                {
                    if (previous >= 0 && b - previous > 1 && computed[previous]![o]!.Value.TryGetDouble(out var before))
                    {
                        for (var k = previous + 1; k < b; k++)
                        {
                            if (empty[k])
                            {
                                computed[k]![o] = FieldValue.FromDouble(before + ((current - before) * (k - previous) / (b - previous)));
                            }
                        }
                    }

                    previous = b;
                }
            }
        }
    }

    private static TimeSeriesQueryResult Raw(
        StoreSnapshot snapshot, RollupSelection selection, TimeSeriesQueryPlan plan, int[] seriesIds, List<string> warnings, long started, CancellationToken cancellationToken)
    {
        var rawStart = selection.RawStart;
        if (plan.GroupBy.Length > 0)
        {
            warnings.Add("group_by applies to aggregations; raw points are returned per stored series.");
        }

        var result = new List<TimeSeriesResultSeries>();
        var budget = (long)plan.Limits.MaxResultPoints;
        long scanned = 0, seriesWithData = 0;
        var truncated = false;
        var rows = new List<(long Ticks, int Order, ColumnChunk Chunk, int Row)>();
        foreach (var id in seriesIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var series = snapshot.Get(id);
            var fields = plan.SelectFields.Length > 0 ? plan.SelectFields : series.FieldNames;
            var fieldNumbers = new int[fields.Length];
            for (var f = 0; f < fields.Length; f++)
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

            if (rows.Count == 0)
            {
                continue;
            }

            seriesWithData++;
            rows.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Order.CompareTo(b.Order));
            var points = new List<TimeSeriesDataPoint>();
            for (var i = 0; i < rows.Count; i++)
            {
                if ((ulong)i < plan.Offset || (ulong)points.Count >= plan.Limit)
                {
                    continue;
                }

                if (budget-- <= 0)
                {
                    truncated = true;
                    break;
                }

                var (ticks, _, chunk, row) = rows[i];
                var values = new Dictionary<string, FieldValue?>(fields.Length, StringComparer.Ordinal);
                for (var f = 0; f < fields.Length; f++)
                {
                    if (fieldNumbers[f] >= 0 && chunk.GetColumn(fieldNumbers[f]) is { } column && column.TryReadValue(row, out var value))
                    {
                        values[fields[f]] = value;
                    }
                }

                points.Add(new TimeSeriesDataPoint { Timestamp = new DateTimeOffset(ticks, TimeSpan.Zero), Values = values });
            }

            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in series.Tags.GetSortedPairs())
            {
                tags[key] = value;
            }

            result.Add(new TimeSeriesResultSeries { Tags = tags, Points = points });
            if (truncated)
            {
                warnings.Add($"The result was cut at {plan.Limits.MaxResultPoints.ToString(CultureInfo.InvariantCulture)} points.");
                break;
            }
        }

        long rollupsRead = 0;
        if (!selection.IsEmpty && !truncated)
        {
            warnings.Add($"Part of the range is kept at {string.Join(", ", selection.Labels())}: those points are bucket means, time-stamped with the bucket start.");
            rollupsRead = AddRollupPoints(selection, plan, result, ref budget, ref truncated);
            seriesWithData = result.Count;
        }

        return Finish(plan, selection, result, warnings, started, scanned, rollupsRead, seriesWithData, truncated);
    }

    /// <summary>
    /// Raw queries over downsampled time: one point per stored bucket, at its start, with each field's mean, put
    /// before the raw points of the series with the same tags (older data is the downsampled data).
    /// </summary>
    private static long AddRollupPoints(RollupSelection selection, TimeSeriesQueryPlan plan, List<TimeSeriesResultSeries> result, ref long budget, ref bool truncated)
    {
        var byTags = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < result.Count; i++)
        {
            byTags[RollupStore.Identity(result[i].Tags, out _)] = i;
        }

        long read = 0;
        var merged = new Dictionary<string, List<TimeSeriesDataPoint>>(StringComparer.Ordinal);
        var tagsOf = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (series, level, buckets) in selection.Parts)
        {
            var identity = RollupStore.Identity(series.Tags, out _);
            if (!merged.TryGetValue(identity, out var points))
            {
                merged.Add(identity, points = []);
                tagsOf.Add(identity, series.Tags);
            }

            foreach (var b in buckets)
            {
                read++;
                var cells = level.CellsAt(b);
                var values = new Dictionary<string, FieldValue?>(StringComparer.Ordinal);
                for (var f = 0; f < cells.Length; f++)
                {
                    var name = level.Fields[f];
                    if (cells[f] is { } cell && cell.Stats.Count > 0 && (plan.SelectFields.Length == 0 || Array.IndexOf(plan.SelectFields, name) >= 0))
                    {
                        values[name] = FieldValue.FromDouble(cell.Stats.Mean);
                    }
                }

                points.Add(new TimeSeriesDataPoint { Timestamp = new DateTimeOffset(level.StartAt(b), TimeSpan.Zero), Values = values });
            }
        }

        foreach (var (identity, points) in merged)
        {
            points.Sort(static (a, b) => a.Timestamp.CompareTo(b.Timestamp));
            if (points.Count > budget)
            {
                points.RemoveRange((int)Math.Max(0, budget), points.Count - (int)Math.Max(0, budget));
                truncated = true;
            }

            budget -= points.Count;
            if (byTags.TryGetValue(identity, out var index))
            {
                result[index] = result[index] with { Points = [.. points, .. result[index].Points] };
            }
            else
            {
                result.Add(new TimeSeriesResultSeries { Tags = new Dictionary<string, string>(tagsOf[identity], StringComparer.Ordinal), Points = points });
            }
        }

        return read;
    }

    private static TimeSeriesQueryResult Finish(
        TimeSeriesQueryPlan plan, RollupSelection selection, List<TimeSeriesResultSeries> series, List<string> warnings, long started, long rawScanned, long rollupsRead, long groups, bool truncated)
    {
        var scanned = rawScanned + rollupsRead;
        var resolutions = new List<string>();
        if (rawScanned > 0)
        {
            resolutions.Add(RawResolution);
        }

        resolutions.AddRange(selection.Labels());
        ulong points = 0;
        foreach (var s in series)
        {
            points += (ulong)s.Points.Count;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return TimeSeriesQueryResult.Success(new TimeSeriesResult
        {
            Measurement = plan.Measurement,
            Series = series,
            Metadata = new QueryMetadata
            {
                ExecutionTimeMs = (ulong)Math.Ceiling(elapsed.TotalMilliseconds),
                PointCount = points,
                SeriesCount = (ulong)series.Count,
                Truncated = truncated,
                Warnings = warnings,
                PointsScanned = (ulong)scanned,
                GroupCount = (ulong)groups,
                Resolutions = resolutions,
            },
        });
    }
}
