using AnalyticsHub.Storage;
using AnalyticsHub.TimeSeries;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Hosting;

/// <summary>
/// The stage that writes every newly stored event's time-series point (<see cref="IngestionBatch.Points"/>,
/// extracted by <see cref="PointExtractor"/>) to the <see cref="ITimeSeriesStore"/>.
/// </summary>
/// <remarks>
/// The store rejects a whole batch when one point breaks a limit (cardinality, series count); the
/// stage then writes the points one by one so one bad series costs only its own points, which are
/// counted (<c>analyticshub.timeseries.rejected_points</c>) and logged, never retried in vain.
/// </remarks>
internal sealed class TimeSeriesStage(ITimeSeriesStore store, HubTelemetry telemetry, ILogger<TimeSeriesStage> logger) : IIngestionStage
{
    public string Name => "time_series";

    public async ValueTask ProcessAsync(IngestionBatch batch, CancellationToken cancellationToken)
    {
        var points = batch.Points;
        var result = await store.WritePointsAsync(points, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            return;
        }

        foreach (var point in points)
        {
            var single = await store.WritePointsAsync([point], cancellationToken).ConfigureAwait(false);
            if (!single.IsSuccess)
            {
                telemetry.PointRejected(single.Errors[0].Code);
                Log.PointRejected(logger, point.Measurement, single.Errors[0].Code, single.Errors[0].Message);
            }
        }
    }
}
