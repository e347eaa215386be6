using AnalyticsHub.Events;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Storage;

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

    /// <summary>Runs a query.</summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The result, or validation errors with codes and JSON paths.</returns>
    ValueTask<TimeSeriesQueryResult> QueryAsync(TimeSeriesQuery query, CancellationToken cancellationToken = default);

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
}
