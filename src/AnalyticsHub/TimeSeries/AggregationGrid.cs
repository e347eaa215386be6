using System.Globalization;
using System.Text;
using AnalyticsHub.Events;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The semantics of an aggregated query, shared by every backend: groups, the (group, bucket) cells, the
/// per-cell statistics of each field, the aggregation functions, fill, ordering, offset/limit, the result-point
/// budget and the metadata. A backend only scans: it feeds raw values and rollup cells into the grid's cells and asks
/// for the <see cref="TimeSeriesQueryOutcome"/>.
/// </summary>
/// <remarks>
/// <para>Use it in this order:</para>
/// <list type="number">
/// <item><see cref="TryAddSeries{TTags}"/> for every matching series (raw series first, then rollup series), keeping the
/// group it returns;</item>
/// <item><see cref="TryAllocate"/> with the fields of those series (only read when <see cref="NeedsDefaultFields"/>)
/// and whether rollups take part;</item>
/// <item>when <see cref="NeedsCountingPass"/>: a pass calling <see cref="FieldAccumulator.CountValue"/> per value,
/// then <see cref="EndCountingPass"/>;</item>
/// <item>the scan: per value <see cref="FieldAccumulator.Add"/> on <see cref="Accumulator"/>(field) and
/// <see cref="MarkData"/> on its cell (rows of one cell in a row need one mark); rollup cells through
/// <see cref="AddRollup"/>;</item>
/// <item><see cref="ToResult"/>, then <see cref="Dispose"/>.</item>
/// </list>
/// <para>
/// Cells are numbered <c>group * BucketCount + bucket</c> (<see cref="CellOf"/>); the accumulators are arrays indexed
/// by cell, with no virtual call or allocation per value. Not thread-safe, except that threads owning disjoint cells may
/// feed their cells at the same time (<see cref="MarkData"/>, the counting pass and the scan); everything else runs on one thread.
/// </para>
/// </remarks>
public sealed class AggregationGrid : IDisposable
{
    private readonly List<string?[]> _groupKeys = [];
    private readonly Dictionary<string, int> _groupIndex = new(StringComparer.Ordinal);
    private readonly StringBuilder _keyBuilder = new();
    private readonly List<string> _fieldNames = [];
    private readonly List<(int Field, AggregationFunction Function, string Name)> _outputs = [];
    private FieldAccumulator[] _accumulators = [];
    private bool[] _cellHasData = [];

    // Exact percentiles selected ahead of the result (by output, then cell), when a backend asked for it.
    private double[]?[]? _selected;

    // Below this many values per thread, percentiles are selected on one thread.
    private const long MinValuesPerThread = 32_768;

    /// <summary>Starts the aggregation of a planned query.</summary>
    /// <param name="plan">The plan; must be aggregated (<see cref="TimeSeriesQueryPlan.IsAggregated"/>).</param>
    /// <param name="warnings">Warnings the backend gathered so far (the grid adds its own); a new list when null.</param>
    public AggregationGrid(TimeSeriesQueryPlan plan, List<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.IsAggregated)
        {
            throw new ArgumentException("The plan has no aggregations; raw queries use RawResultBuilder.", nameof(plan));
        }

        Plan = plan;
        Warnings = warnings ?? [];
    }

    /// <summary>The plan.</summary>
    public TimeSeriesQueryPlan Plan { get; }

    /// <summary>The result's warnings; a backend adds its own (e.g. a timed-out regex).</summary>
    public List<string> Warnings { get; }

    /// <summary>The number of groups so far.</summary>
    public int GroupCount => _groupKeys.Count;

    /// <summary>Whether <see cref="TryAllocate"/> reads its field list: the query names no fields, so every field of the matching series is aggregated.</summary>
    public bool NeedsDefaultFields => Plan.SelectFields.Length == 0 && Array.Exists(Plan.Terms, t => t.Fields is null);

    /// <summary>The fields aggregated, by index (after <see cref="TryAllocate"/>).</summary>
    public IReadOnlyList<string> Fields => _fieldNames;

    /// <summary>Whether a counting pass must run before the scan (some field keeps its values for exact percentiles).</summary>
    public bool NeedsCountingPass { get; private set; }

    /// <summary>Whether every field needs only count, min and max: a column's header (count, min, max) may stand in for its rows when they fall in one cell.</summary>
    public bool SummaryOnly { get; private set; }

    /// <summary>
    /// Puts a series into the group of its group-by tag values; groups are decided per series, not per point.
    /// </summary>
    /// <param name="tags">The series' tags, in any container.</param>
    /// <param name="get">Reads one tag's value, null when absent (a static lambda, so nothing is allocated).</param>
    /// <param name="group">The group, when added.</param>
    /// <param name="error">The <c>too_many_groups</c> problem when the series would open one group too many.</param>
    /// <typeparam name="TTags">The tag container.</typeparam>
    /// <returns>Whether the series was added.</returns>
    public bool TryAddSeries<TTags>(TTags tags, Func<TTags, string, string?> get, out int group, out Problem? error)
    {
        ArgumentNullException.ThrowIfNull(get);
        var values = new string?[Plan.GroupBy.Length];
        _keyBuilder.Clear();
        for (var g = 0; g < values.Length; g++)
        {
            values[g] = get(tags, Plan.GroupBy[g]);
            _keyBuilder.Append(values[g] is null ? "\u0000" : values[g]).Append('\u001f');
        }

        error = null;
        var key = _keyBuilder.ToString();
        if (!_groupIndex.TryGetValue(key, out group))
        {
            group = _groupKeys.Count;
            _groupIndex.Add(key, group);
            _groupKeys.Add(values);
            if (_groupKeys.Count > Plan.Limits.MaxGroups)
            {
                error = new(ProblemCodes.TooManyGroups, "group_by",
                    $"The query has more than {Plan.Limits.MaxGroups.ToString(CultureInfo.InvariantCulture)} groups; filter further or group by fewer tags.");
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Checks the cell limit, resolves the (field, function) outputs and allocates the statistics each field needs.
    /// </summary>
    /// <param name="defaultFields">Every field of the matching raw and rollup series (read only when <see cref="NeedsDefaultFields"/>; sorted ordinally here).</param>
    /// <param name="readsRollups">Whether rollup buckets take part: percentiles then come from sketches for the raw part too, with a warning.</param>
    /// <param name="error">The <c>too_many_groups</c> problem when groups × buckets exceed the cell limit.</param>
    /// <returns>Whether the grid is ready for the scan.</returns>
    public bool TryAllocate(IEnumerable<string>? defaultFields, bool readsRollups, out Problem? error)
    {
        var bucketCount = Plan.BucketCount;
        var cells = (long)Math.Max(1, _groupKeys.Count) * bucketCount;
        if (cells > Plan.Limits.MaxCells)
        {
            error = new(ProblemCodes.TooManyGroups, "group_by",
                $"{_groupKeys.Count.ToString(CultureInfo.InvariantCulture)} groups x {bucketCount.ToString(CultureInfo.InvariantCulture)} buckets exceed {Plan.Limits.MaxCells.ToString(CultureInfo.InvariantCulture)} cells; use a wider window, a shorter range or fewer groups.");
            return false;
        }

        error = null;
        string[] fields;
        if (Plan.SelectFields.Length > 0)
        {
            fields = Plan.SelectFields;
        }
        else
        {
            fields = defaultFields is null || !NeedsDefaultFields ? [] : [.. new HashSet<string>(defaultFields, StringComparer.Ordinal)];
            Array.Sort(fields, StringComparer.Ordinal);
        }

        var useSketch = Plan.UseSketch;
        if (!useSketch && readsRollups && Array.Exists(Plan.Terms, t => t.Function.Kind is AggregationFunctionKind.Median or AggregationFunctionKind.Percentile))
        {
            useSketch = true;
            Warnings.Add($"Percentiles over downsampled data come from the rollups' sketches (relative error at most {SketchAccuracy}), for the raw part too.");
        }

        foreach (var term in Plan.Terms)
        {
            foreach (var field in term.Fields ?? fields)
            {
                var f = _fieldNames.IndexOf(field);
                if (f < 0)
                {
                    f = _fieldNames.Count;
                    _fieldNames.Add(field);
                }

                var name = field + "_" + term.Function.Label;
                if (!_outputs.Exists(o => o.Name == name))
                {
                    _outputs.Add((f, term.Function, name));
                }
            }
        }

        _accumulators = new FieldAccumulator[_fieldNames.Count];
        var summaryOnly = true;
        for (var f = 0; f < _accumulators.Length; f++)
        {
            bool sum = false, spread = false, minMax = false, first = false, last = false, values = false, sketch = false;
            foreach (var output in _outputs)
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

            var accumulator = new FieldAccumulator(_fieldNames[f], (int)cells, sum, spread, minMax, first, last, values, sketch);
            _accumulators[f] = accumulator;
            NeedsCountingPass |= values;
            summaryOnly &= accumulator.SummaryOnly;
        }

        SummaryOnly = summaryOnly;
        _cellHasData = new bool[cells];
        return true;
    }

    /// <summary>The accumulator of a field (an index into <see cref="Fields"/>).</summary>
    /// <param name="field">The field's index.</param>
    /// <returns>The accumulator.</returns>
    public FieldAccumulator Accumulator(int field) => _accumulators[field];

    /// <summary>The cell of a group's bucket holding <paramref name="ticks"/> (which must lie in the plan's range).</summary>
    /// <param name="group">The group.</param>
    /// <param name="ticks">An instant in the range (UTC ticks).</param>
    /// <returns>The cell.</returns>
    public int CellOf(int group, long ticks) => (group * Plan.BucketCount) + (int)((ticks - Plan.FirstBucketStart) / Plan.BucketTicks);

    /// <summary>Records that a cell holds data (a point was in range there, numeric or not), so its bucket is reported.</summary>
    /// <param name="cell">The cell.</param>
    public void MarkData(int cell) => _cellHasData[cell] = true;

    /// <summary>Ends the counting pass: the cells' value buffers are laid out.</summary>
    public void EndCountingPass()
    {
        foreach (var accumulator in _accumulators)
        {
            if (accumulator.NeedsValues)
            {
                accumulator.PrepareValues();
            }
        }
    }

    /// <summary>
    /// Merges one field's rollup bucket into the cell of <paramref name="group"/> holding the bucket's start, as adding
    /// its values would (percentiles from its sketch). Empty cells are ignored.
    /// </summary>
    /// <param name="group">The group of the rollup series.</param>
    /// <param name="bucketStartTicks">The bucket's start (UTC ticks), inside the plan's range.</param>
    /// <param name="field">The field's index in <see cref="Fields"/>.</param>
    /// <param name="rollup">The bucket's summary of the field.</param>
    public void AddRollup(int group, long bucketStartTicks, int field, RollupCell rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        if (rollup.Stats.Count == 0)
        {
            return;
        }

        var cell = CellOf(group, bucketStartTicks);
        _accumulators[field].AddRollup(cell, rollup);
        _cellHasData[cell] = true;
    }

    /// <summary>
    /// Selects every cell's exact percentiles ahead of <see cref="ToResult"/>, on up to <paramref name="parallelism"/>
    /// threads, each owning a contiguous range of cells (the selection reorders only its own cells' values).
    /// </summary>
    /// <param name="parallelism">The most threads; 1 selects on the calling thread.</param>
    internal void SelectPercentiles(int parallelism)
    {
        var outputs = new List<int>();
        for (var o = 0; o < _outputs.Count; o++)
        {
            if (_outputs[o].Function.Kind is AggregationFunctionKind.Median or AggregationFunctionKind.Percentile && _accumulators[_outputs[o].Field].NeedsValues)
            {
                outputs.Add(o);
            }
        }

        if (outputs.Count == 0)
        {
            return;
        }

        var cells = _cellHasData.Length;
        var selected = new double[]?[_outputs.Count];
        var weight = new long[cells];
        long total = 0;
        foreach (var o in outputs)
        {
            selected[o] = new double[cells];
            var counts = _accumulators[_outputs[o].Field].Count;
            for (var c = 0; c < cells; c++)
            {
                weight[c] += counts[c];
                total += counts[c];
            }
        }

        var threads = (int)Math.Clamp(total / MinValuesPerThread, 1, Math.Max(1, parallelism));
        var bounds = new int[threads + 1];
        long running = 0;
        for (int c = 0, t = 1; c < cells && t < threads; c++)
        {
            running += weight[c];
            if (running * threads >= total * t)
            {
                bounds[t++] = c + 1;
            }
        }

        for (var t = 1; t <= threads; t++)
        {
            bounds[t] = t == threads ? cells : Math.Max(bounds[t], bounds[t - 1]);
        }

        void Select(int t)
        {
            for (var c = bounds[t]; c < bounds[t + 1]; c++)
            {
                foreach (var o in outputs)
                {
                    var accumulator = _accumulators[_outputs[o].Field];
                    if (accumulator.Count[c] > 0)
                    {
                        var function = _outputs[o].Function;
                        var q = function.Kind == AggregationFunctionKind.Median ? 0.5 : function.Percentile / 100.0;
                        selected[o]![c] = Selection.PercentileR7(accumulator.CellValues(c), q);
                    }
                }
            }
        }

        if (threads == 1)
        {
            Select(0);
        }
        else
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, Select);
        }

        _selected = selected;
    }

    /// <summary>
    /// The result: groups in order of their tag values (absent tags first), each with its buckets' outputs
    /// (<c>field_function</c>), filled, offset and limited per group, within the result-point budget.
    /// </summary>
    /// <param name="scan">What the scan read.</param>
    /// <returns>The result.</returns>
    public TimeSeriesQueryOutcome ToResult(in QueryScanStatistics scan)
    {
        var series = BuildSeries(out var truncated, out var groupsWithData);
        if (Array.Exists(_accumulators, a => a.HasUnknownEnds) && Array.Exists(Plan.Terms, t => t.Function.Kind is AggregationFunctionKind.First or AggregationFunctionKind.Last))
        {
            Warnings.Add("Some rollup buckets were written as summaries without their individual values: first and last are null where they fall.");
        }

        return QueryScanStatistics.Complete(Plan, series, Warnings, scan, groupsWithData, truncated);
    }

    /// <summary>Returns the pooled value buffers.</summary>
    public void Dispose()
    {
        foreach (var accumulator in _accumulators)
        {
            accumulator.Release();
        }
    }

    internal static string SketchAccuracy => Statistics.QuantileSketch.RelativeAccuracy.ToString("P2", CultureInfo.InvariantCulture);

    private List<TimeSeriesResultSeries> BuildSeries(out bool truncated, out long groupsWithData)
    {
        truncated = false;
        groupsWithData = 0;
        var order = new int[_groupKeys.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => CompareKeys(_groupKeys[a], _groupKeys[b]));
        var result = new List<TimeSeriesResultSeries>();
        var budget = (long)Plan.Limits.MaxResultPoints;
        var buckets = Plan.BucketCount;
        foreach (var group in order)
        {
            var cellBase = group * buckets;
            var any = false;
            for (var b = 0; b < buckets && !any; b++)
            {
                any = _cellHasData[cellBase + b];
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
                if (!_cellHasData[cell])
                {
                    continue;
                }

                var values = new FieldValue?[_outputs.Count];
                for (var o = 0; o < _outputs.Count; o++)
                {
                    values[o] = _selected?[o] is { } selected && _accumulators[_outputs[o].Field].Count[cell] > 0
                        ? (double.IsFinite(selected[cell]) ? FieldValue.FromDouble(selected[cell]) : null)
                        : AggregationFunctions.Compute(_accumulators[_outputs[o].Field], _outputs[o].Function, cell);
                }

                computed[b] = values;
            }

            if (Plan.Fill is { } fill)
            {
                BucketFill.Apply(fill, computed, _outputs.Count);
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

                if (index++ < Plan.Offset || (ulong)points.Count >= Plan.Limit)
                {
                    continue;
                }

                if (budget-- <= 0)
                {
                    truncated = true;
                    break;
                }

                var map = new Dictionary<string, FieldValue?>(_outputs.Count, StringComparer.Ordinal);
                for (var o = 0; o < _outputs.Count; o++)
                {
                    map[_outputs[o].Name] = values[o];
                }

                points.Add(new TimeSeriesDataPoint
                {
                    Timestamp = new DateTimeOffset(Plan.FirstBucketStart + (b * Plan.BucketTicks), TimeSpan.Zero),
                    Values = map,
                });
            }

            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var g = 0; g < Plan.GroupBy.Length; g++)
            {
                if (_groupKeys[group][g] is { } value)
                {
                    tags[Plan.GroupBy[g]] = value;
                }
            }

            result.Add(new TimeSeriesResultSeries { Tags = tags, Points = points });
            if (truncated)
            {
                Warnings.Add($"The result was cut at {Plan.Limits.MaxResultPoints.ToString(CultureInfo.InvariantCulture)} points.");
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
}
