using System.Diagnostics;

namespace AnalyticsHub.TimeSeries;

/// <summary>What a backend's scan read for one query, reported in the result's <see cref="QueryMetadata"/>.</summary>
/// <param name="StartedTimestamp">When the query started (<see cref="Stopwatch.GetTimestamp"/>), for the execution time.</param>
/// <param name="RawPointsScanned">Raw points examined (chunks or rows read, in range or not).</param>
/// <param name="RollupBucketsRead">Rollup buckets read.</param>
/// <param name="RollupResolutions">The rollup resolutions read, finest first, as labels (<see cref="RollupBucket.LabelOf"/>); <c>raw</c> is added when raw points were scanned.</param>
public readonly record struct QueryScanStatistics(long StartedTimestamp, long RawPointsScanned, long RollupBucketsRead, IReadOnlyList<string> RollupResolutions)
{
    private const string RawResolution = "raw";

    /// <summary>The success result with its metadata: points, series, groups, truncation, warnings and resolutions.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="series">The result series.</param>
    /// <param name="warnings">The warnings.</param>
    /// <param name="scan">What was read.</param>
    /// <param name="groups">Groups (or series) with data.</param>
    /// <param name="truncated">Whether the result-point budget cut the result.</param>
    /// <returns>The result.</returns>
    public static TimeSeriesQueryOutcome Complete(
        TimeSeriesQueryPlan plan, List<TimeSeriesResultSeries> series, List<string> warnings, in QueryScanStatistics scan, long groups, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(warnings);
        var resolutions = new List<string>();
        if (scan.RawPointsScanned > 0)
        {
            resolutions.Add(RawResolution);
        }

        resolutions.AddRange(scan.RollupResolutions ?? []);
        ulong points = 0;
        foreach (var s in series)
        {
            points += (ulong)s.Points.Count;
        }

        var elapsed = Stopwatch.GetElapsedTime(scan.StartedTimestamp);
        return TimeSeriesQueryOutcome.Success(new TimeSeriesResult
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
                PointsScanned = (ulong)(scan.RawPointsScanned + scan.RollupBucketsRead),
                GroupCount = (ulong)groups,
                Resolutions = resolutions,
            },
        });
    }

    /// <summary>The result of a query over a measurement with no data: empty, with a warning saying so.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="warnings">The warnings so far.</param>
    /// <param name="startedTimestamp">When the query started (<see cref="Stopwatch.GetTimestamp"/>).</param>
    /// <returns>The result.</returns>
    public static TimeSeriesQueryOutcome NoData(TimeSeriesQueryPlan plan, List<string> warnings, long startedTimestamp)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(warnings);
        warnings.Add($"Measurement '{plan.Measurement}' has no data.");
        return Complete(plan, [], warnings, new QueryScanStatistics(startedTimestamp, 0, 0, []), 0, false);
    }
}
