using AnalyticsHub.Events;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// Stores time-series points and answers <see cref="TimeSeriesQuery"/>s. Every backend (in-memory, PostgreSQL, ...)
/// runs the same contract test suite.
/// </summary>
/// <remarks>
/// Writes are atomic per call: all points stored or none (bad input and cardinality limits come back as errors in
/// the result, never as exceptions). Queries see a consistent snapshot: every write completed before the query
/// started, nothing of a write still in progress. Implementations are safe for concurrent use.
/// </remarks>
public interface ITimeSeriesStore
{
    /// <summary>Writes a batch; every point must carry the batch's measurement.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">Cancels before anything is stored.</param>
    /// <returns>The points written, or the errors that rejected the whole batch.</returns>
    ValueTask<TimeSeriesWriteResult> WriteAsync(TimeSeriesBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Writes points of any measurements, atomically.</summary>
    /// <param name="points">The points.</param>
    /// <param name="cancellationToken">Cancels before anything is stored.</param>
    /// <returns>The points written, or the errors that rejected all of them.</returns>
    ValueTask<TimeSeriesWriteResult> WritePointsAsync(IReadOnlyList<TimeSeriesPoint> points, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes points held in columns (the hub's per-batch hand-off, <see cref="TimeSeriesHandOffs.Points"/>), atomically,
    /// with the same checks and result as <see cref="WritePointsAsync"/> (error paths name the row: <c>points[row]</c>).
    /// A backend that stores a series' run in one call implements it; by default the rows are written as points.
    /// </summary>
    /// <param name="columns">The points in columns.</param>
    /// <param name="cancellationToken">Cancels before anything is stored.</param>
    /// <returns>The points written, or the errors that rejected all of them.</returns>
    ValueTask<TimeSeriesWriteResult> WriteColumnsAsync(PointColumns columns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var points = new TimeSeriesPoint[columns.Count];
        for (var row = 0; row < points.Length; row++)
        {
            points[row] = columns.ToPoint(row);
        }

        return WritePointsAsync(points, cancellationToken);
    }

    /// <summary>Runs a query.</summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The result, or validation errors with codes and JSON paths.</returns>
    ValueTask<TimeSeriesQueryOutcome> QueryAsync(TimeSeriesQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes the points of a measurement in a time range, optionally only of series whose tags equal the filters.</summary>
    /// <param name="measurement">The measurement.</param>
    /// <param name="range">The range, start inclusive, end exclusive.</param>
    /// <param name="tagFilters">Tags the series must have (ANDed); null or empty means every series.</param>
    /// <param name="cancellationToken">Cancels before anything is deleted.</param>
    /// <returns>The number of points deleted.</returns>
    ValueTask<long> DeleteRangeAsync(string measurement, TimeRange range, IReadOnlyDictionary<string, string>? tagFilters = null, CancellationToken cancellationToken = default);

    /// <summary>Describes the stored series of one measurement, or of all when <paramref name="measurement"/> is null.</summary>
    /// <param name="measurement">The measurement, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The series, by measurement and id.</returns>
    ValueTask<IReadOnlyList<SeriesDescription>> DescribeSeriesAsync(string? measurement = null, CancellationToken cancellationToken = default);

    /// <summary>Reports the series and distinct tag values of a measurement against the limits.</summary>
    /// <param name="measurement">The measurement.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report (zero counts for an unknown measurement).</returns>
    ValueTask<CardinalityReport> GetCardinalityAsync(string measurement, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes rollup buckets (statistics + sketch per field, spec decision 9) into the measurement's rollup series,
    /// merging with a bucket already stored at the same series, resolution, start and field. Atomic: every bucket is
    /// validated (code and path per problem) before any is stored.
    /// </summary>
    /// <param name="buckets">The buckets.</param>
    /// <param name="cancellationToken">Cancels before anything is stored.</param>
    /// <returns>The values summarised (<see cref="TimeSeriesWriteResult.PointsWritten"/>) and rollup series created, or the errors.</returns>
    ValueTask<TimeSeriesWriteResult> WriteRollupsAsync(IReadOnlyList<RollupBucket> buckets, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies the store's <see cref="RetentionPolicy"/> as of <paramref name="now"/>: data past <c>max_retention_days</c>
    /// is dropped (raw data with its whole shard), raw points older than <c>full_resolution_days</c> are replaced by
    /// rollups at the first step's resolution, and rollups older than each step's <c>after_days</c> are merged into that
    /// step's resolution. Idempotent: applying it again at the same instant changes nothing. Hosts run it on a schedule.
    /// </summary>
    /// <param name="now">The instant ages are measured from (the host's clock; decision 14).</param>
    /// <param name="cancellationToken">Cancels before anything changes.</param>
    /// <returns>What changed.</returns>
    ValueTask<RetentionResult> ApplyRetentionAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers a continuous query: its source's points inside the query's time range are rolled up now (backfill)
    /// and every point written afterwards as it arrives, into rollup series of the destination measurement — one per
    /// combination of the group-by tags, at the query window's resolution, a bucket per field (the aggregation
    /// functions only name the fields; the buckets keep every statistic and a sketch, so any function can be asked of
    /// the destination later).
    /// </summary>
    /// <param name="query">The query; its window must be whole minutes dividing a day, or a day.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The problems with codes and paths; empty when registered.</returns>
    ValueTask<IReadOnlyList<Problem>> RegisterContinuousQueryAsync(ContinuousQuery query, CancellationToken cancellationToken = default);

    /// <summary>Stops maintaining a continuous query; its destination data stays.</summary>
    /// <param name="queryId">The query id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether a query with that id was registered.</returns>
    ValueTask<bool> RemoveContinuousQueryAsync(string queryId, CancellationToken cancellationToken = default);

    /// <summary>Lists the registered continuous queries by id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queries.</returns>
    ValueTask<IReadOnlyList<ContinuousQuery>> GetContinuousQueriesAsync(CancellationToken cancellationToken = default);
}
