using System.Diagnostics.Metrics;
using AnalyticsHub.Pipeline;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The <c>time_series</c> stage: writes every newly stored event's time-series point (the batch's columns,
/// <see cref="TimeSeriesHandOffs.Points"/>, extracted by <see cref="PointExtractor"/>) to the <see cref="ITimeSeriesStore"/>
/// in one call (<see cref="ITimeSeriesStore.WriteColumnsAsync"/>).
/// </summary>
/// <remarks>
/// The store rejects a whole batch when one point breaks a limit (cardinality, series count); the
/// stage then writes the points one by one so one bad series costs only its own points, which are
/// counted (<c>analyticshub.timeseries.rejected_points</c>) and logged, never retried in vain.
/// </remarks>
internal sealed partial class TimeSeriesStage : IIngestionStage
{
    private static readonly HandOff[] Consumed = [TimeSeriesHandOffs.Points];

    /// <summary>The concurrency group of the stages that write raw points to the time-series store (one order of series creation).</summary>
    internal const string Group = "time_series";

    private readonly ITimeSeriesStore _store;
    private readonly ILogger<TimeSeriesStage> _logger;
    private readonly Counter<long> _rejected;
    private long _rejectedCount;

    public TimeSeriesStage(ITimeSeriesStore store, HubMeter meter, ILogger<TimeSeriesStage> logger)
    {
        _store = store;
        _logger = logger;
        _rejected = meter.Meter.CreateCounter<long>("analyticshub.timeseries.rejected_points", "{point}", "Points the time-series store refused, by error.type (the store's error code).");
    }

    public string Name => "time_series";

    /// <summary>
    /// <see cref="Group"/>: the store's raw series are written by this stage alone, and by the <c>metrics</c> stage only when
    /// it writes histogram or summary points (it then joins this group).
    /// </summary>
    public string? ConcurrencyGroup => Group;

    public IReadOnlyList<HandOff> Consumes => Consumed;

    /// <summary>Points the store refused so far; their events stay stored.</summary>
    public long RejectedPoints => Interlocked.Read(ref _rejectedCount);

    public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        var columns = batch.Get(TimeSeriesHandOffs.Points);
        var result = await _store.WriteColumnsAsync(columns, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            return;
        }

        for (var row = 0; row < columns.Count; row++)
        {
            // Rare (a limit broken): only here does a row become a point object.
            var point = columns.ToPoint(row);
            var single = await _store.WritePointsAsync([point], cancellationToken).ConfigureAwait(false);
            if (!single.IsSuccess)
            {
                Interlocked.Increment(ref _rejectedCount);
                _rejected.Add(1, new KeyValuePair<string, object?>("error.type", single.Errors[0].Code));
                PointRejected(_logger, point.Measurement, single.Errors[0].Code, single.Errors[0].Message);
            }
        }
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "A {Measurement} point was not stored ({Code}): {Message}")]
    private static partial void PointRejected(ILogger logger, string measurement, string code, string message);
}
