using System.Globalization;
using System.Text;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The semantics of a raw (unaggregated) query, shared by every backend: per stored series, its points in time order
/// with the query's offset and limit, within the result-point budget; downsampled time as one point per rollup bucket
/// (each field's mean, at the bucket start) before the raw points of the series with the same tags.
/// </summary>
/// <remarks>
/// <para>A backend, per matching series in ascending series order:</para>
/// <list type="number">
/// <item>collects the series' rows in range, ordered by time (ties in the order they were written);</item>
/// <item>asks <see cref="TryTake"/> which of them to return, reads only those, and passes them to <see cref="AddSeries"/>;</item>
/// <item>stops when <see cref="IsTruncated"/>.</item>
/// </list>
/// <para>
/// Then, when rollups answer part of the range, <see cref="BeginRollupSeries"/> and <see cref="AddRollupBucket"/> per
/// rollup series and bucket, and finally <see cref="ToResult"/>. Not thread-safe.
/// </para>
/// </remarks>
public sealed class RawResultBuilder
{
    private readonly List<TimeSeriesResultSeries> _series = [];
    private readonly List<(IReadOnlyDictionary<string, string> Tags, List<TimeSeriesDataPoint> Points)> _rollupSeries = [];
    private long _budget;
    private long _seriesWithData;
    private long _rollupBucketsRead;

    /// <summary>Starts the result of a planned raw query.</summary>
    /// <param name="plan">The plan; must not be aggregated.</param>
    /// <param name="warnings">Warnings the backend gathered so far; a new list when null.</param>
    public RawResultBuilder(TimeSeriesQueryPlan plan, List<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.IsAggregated)
        {
            throw new ArgumentException("The plan aggregates; aggregated queries use AggregationGrid.", nameof(plan));
        }

        Plan = plan;
        Warnings = warnings ?? [];
        _budget = plan.Limits.MaxResultPoints;
        if (plan.GroupBy.Length > 0)
        {
            Warnings.Add("group_by applies to aggregations; raw points are returned per stored series.");
        }
    }

    /// <summary>The plan.</summary>
    public TimeSeriesQueryPlan Plan { get; }

    /// <summary>The result's warnings; a backend adds its own.</summary>
    public List<string> Warnings { get; }

    /// <summary>Whether the result-point budget is spent: the backend stops scanning.</summary>
    public bool IsTruncated { get; private set; }

    /// <summary>The fields returned for a series: the query's <c>select_fields</c>, or every field of the series.</summary>
    /// <param name="seriesFields">The series' field names.</param>
    /// <returns>The fields, in the order values are reported.</returns>
    public IReadOnlyList<string> FieldsOf(IReadOnlyList<string> seriesFields) => Plan.SelectFields.Length > 0 ? Plan.SelectFields : seriesFields;

    /// <summary>Which of a series' time-ordered rows the result takes: after the offset, at most the limit, within the budget.</summary>
    /// <param name="rowCount">The series' rows in range.</param>
    /// <param name="first">The first row taken.</param>
    /// <param name="count">How many rows from <paramref name="first"/> are taken (possibly 0).</param>
    /// <returns>False when the series has no rows in range (it is then left out of the result).</returns>
    public bool TryTake(int rowCount, out int first, out int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        first = (ulong)rowCount <= Plan.Offset ? rowCount : (int)Plan.Offset;
        count = (int)Math.Min((ulong)(rowCount - first), Plan.Limit);
        if (rowCount == 0)
        {
            return false;
        }

        if (count > _budget)
        {
            count = (int)Math.Max(0, _budget);
            IsTruncated = true;
        }

        _budget -= count;
        return true;
    }

    /// <summary>Adds a series with the rows <see cref="TryTake"/> chose.</summary>
    /// <param name="tags">The series' tags.</param>
    /// <param name="points">The points, in time order.</param>
    public void AddSeries(IEnumerable<KeyValuePair<string, string>> tags, List<TimeSeriesDataPoint> points)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(points);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            map[key] = value;
        }

        _seriesWithData++;
        _series.Add(new TimeSeriesResultSeries { Tags = map, Points = points });
        if (IsTruncated)
        {
            Warnings.Add($"The result was cut at {Plan.Limits.MaxResultPoints.ToString(CultureInfo.InvariantCulture)} points.");
        }
    }

    /// <summary>Starts a rollup series whose buckets answer downsampled time (only while not <see cref="IsTruncated"/>).</summary>
    /// <param name="tags">The rollup series' tags.</param>
    /// <returns>The handle for <see cref="AddRollupBucket"/>.</returns>
    public int BeginRollupSeries(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        _rollupSeries.Add((tags, []));
        return _rollupSeries.Count - 1;
    }

    /// <summary>Adds one rollup bucket as a point: each selected field's mean, at the bucket start.</summary>
    /// <param name="rollupSeries">The handle from <see cref="BeginRollupSeries"/>.</param>
    /// <param name="startTicks">The bucket start (UTC ticks).</param>
    /// <param name="fields">The field names, by position in <paramref name="cells"/>.</param>
    /// <param name="cells">The bucket's cells (null or empty for fields it lacks; may be shorter than <paramref name="fields"/>).</param>
    public void AddRollupBucket(int rollupSeries, long startTicks, IReadOnlyList<string> fields, IReadOnlyList<RollupCell?> cells)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(cells);
        _rollupBucketsRead++;
        var values = new Dictionary<string, FieldValue?>(StringComparer.Ordinal);
        for (var f = 0; f < cells.Count; f++)
        {
            var name = fields[f];
            if (cells[f] is { } cell && cell.Stats.Count > 0 && (Plan.SelectFields.Length == 0 || Array.IndexOf(Plan.SelectFields, name) >= 0))
            {
                values[name] = FieldValue.FromDouble(cell.Stats.Mean);
            }
        }

        _rollupSeries[rollupSeries].Points.Add(new TimeSeriesDataPoint { Timestamp = new DateTimeOffset(startTicks, TimeSpan.Zero), Values = values });
    }

    /// <summary>The result with its metadata.</summary>
    /// <param name="startedTimestamp">When the query started (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
    /// <param name="rawPointsScanned">Raw points examined.</param>
    /// <param name="rollupResolutions">The rollup resolutions read, finest first, as labels.</param>
    /// <returns>The result.</returns>
    public TimeSeriesQueryOutcome ToResult(long startedTimestamp, long rawPointsScanned, IReadOnlyList<string> rollupResolutions)
    {
        ArgumentNullException.ThrowIfNull(rollupResolutions);
        if (_rollupSeries.Count > 0 && !IsTruncated)
        {
            Warnings.Add($"Part of the range is kept at {string.Join(", ", rollupResolutions)}: those points are bucket means, time-stamped with the bucket start.");
            MergeRollupPoints();
            _seriesWithData = _series.Count;
        }
        else
        {
            _rollupBucketsRead = 0;
        }

        return QueryScanStatistics.Complete(
            Plan, _series, Warnings, new QueryScanStatistics(startedTimestamp, rawPointsScanned, _rollupBucketsRead, rollupResolutions), _seriesWithData, IsTruncated);
    }

    /// <summary>Rollup points go before the raw points of the series with the same tags (older data is the downsampled data).</summary>
    private void MergeRollupPoints()
    {
        var byTags = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _series.Count; i++)
        {
            byTags[Identity(_series[i].Tags)] = i;
        }

        var merged = new Dictionary<string, List<TimeSeriesDataPoint>>(StringComparer.Ordinal);
        var tagsOf = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (tags, points) in _rollupSeries)
        {
            var identity = Identity(tags);
            if (!merged.TryGetValue(identity, out var list))
            {
                merged.Add(identity, list = []);
                tagsOf.Add(identity, tags);
            }

            list.AddRange(points);
        }

        foreach (var (identity, points) in merged)
        {
            points.Sort(static (a, b) => a.Timestamp.CompareTo(b.Timestamp));
            if (points.Count > _budget)
            {
                points.RemoveRange((int)Math.Max(0, _budget), points.Count - (int)Math.Max(0, _budget));
                IsTruncated = true;
            }

            _budget -= points.Count;
            if (byTags.TryGetValue(identity, out var index))
            {
                _series[index] = _series[index] with { Points = [.. points, .. _series[index].Points] };
            }
            else
            {
                var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in tagsOf[identity])
                {
                    sorted[key] = value;
                }

                _series.Add(new TimeSeriesResultSeries { Tags = new Dictionary<string, string>(sorted, StringComparer.Ordinal), Points = points });
            }
        }
    }

    /// <summary>The identity of a tag set: sorted key/value pairs with lengths, so no two sets share one.</summary>
    private static string Identity(IReadOnlyDictionary<string, string> tags)
    {
        var keys = new string[tags.Count];
        var i = 0;
        foreach (var pair in tags)
        {
            keys[i++] = pair.Key;
        }

        Array.Sort(keys, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var key in keys)
        {
            var value = tags[key];
            text.Append(CultureInfo.InvariantCulture, $"{key.Length}:{key}{value.Length}:{value}|");
        }

        return text.ToString();
    }
}
