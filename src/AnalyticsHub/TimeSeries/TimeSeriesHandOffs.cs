using AnalyticsHub.Pipeline;

namespace AnalyticsHub.TimeSeries;

/// <summary>The time-series domain's hand-offs between pipeline stages.</summary>
public static class TimeSeriesHandOffs
{
    /// <summary>
    /// The time-series points of a batch: first the point of each event (<see cref="PointExtractor"/>), index for index
    /// with <see cref="IngestionBatch.Events"/>, then the points of the metrics ingested in the batch
    /// (<c>IAnalyticsHub.IngestMetricsAsync</c>), in the order they were queued. Computed once per batch, on first use,
    /// for every stage that consumes it.
    /// </summary>
    public static HandOff<IReadOnlyList<TimeSeriesPoint>> Points { get; } = HandOff.Computed<IReadOnlyList<TimeSeriesPoint>>(
        "time_series.points",
        static batch =>
        {
            var events = batch.Events;
            var records = batch.Records;
            var points = new TimeSeriesPoint[events.Count + records.Count];
            PointExtractor.ExtractAll(events, points);

            for (var i = 0; i < records.Count; i++)
            {
                points[events.Count + i] = (TimeSeriesPoint)records[i];
            }

            return points;
        });
}
