using AnalyticsHub.Pipeline;

namespace AnalyticsHub.TimeSeries;

/// <summary>The time-series domain's hand-offs between pipeline stages.</summary>
public static class TimeSeriesHandOffs
{
    /// <summary>
    /// The time-series points of a batch in columns, grouped by series (<see cref="PointColumns"/>): first a row per event
    /// (<see cref="PointExtractor"/>), index for index with <see cref="IngestionBatch.Events"/>, then the points of the
    /// metrics ingested in the batch (<c>IAnalyticsHub.IngestMetricsAsync</c>), in the order they were queued. Computed
    /// once per batch, on first use, for every stage that consumes it. Valid only during a stage's call: once the batch
    /// has passed every stage, its columns are reused for a later batch (a consumer keeps what it needs, never the
    /// columns or a span read from them).
    /// </summary>
    public static HandOff<PointColumns> Points { get; } = HandOff.Computed(
        "time_series.points",
        static batch =>
        {
            var events = batch.Events;
            var records = batch.Records;
            var columns = PointColumnsPool.Shared.Rent(events.Count + records.Count);
            PointExtractor.ExtractAll(events, columns);
            foreach (var record in records)
            {
                columns.Add((TimeSeriesPoint)record);
            }

            return columns.Complete();
        },
        static columns => columns.Release());
}
