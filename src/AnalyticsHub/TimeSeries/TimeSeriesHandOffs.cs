using AnalyticsHub.Pipeline;

namespace AnalyticsHub.TimeSeries;

/// <summary>The time-series domain's hand-offs between pipeline stages.</summary>
public static class TimeSeriesHandOffs
{
    /// <summary>
    /// The time-series point of each event of a batch (<see cref="PointExtractor"/>), index for index with
    /// <see cref="IngestionBatch.Events"/>: computed once per batch, on first use, for every stage that consumes it.
    /// </summary>
    public static HandOff<IReadOnlyList<TimeSeriesPoint>> Points { get; } = HandOff.Computed<IReadOnlyList<TimeSeriesPoint>>(
        "time_series.points",
        static batch =>
        {
            var events = batch.Events;
            var points = new TimeSeriesPoint[events.Count];
            for (var i = 0; i < points.Length; i++)
            {
                points[i] = PointExtractor.Extract(events[i]);
            }

            return points;
        });
}
