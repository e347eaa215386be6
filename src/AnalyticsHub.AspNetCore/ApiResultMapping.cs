using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.Metrics;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// Turns the core's query answers into the API's result types (spec 1.8). A point's first value (for aggregations,
/// the first aggregation's first field) becomes <c>value</c>; the others keep their result names (<c>latency_ms_p95</c>)
/// flat beside it. A value whose name is <c>timestamp</c> or <c>value</c> itself goes out as <c>field_timestamp</c> or
/// <c>field_value</c>, so no key is written twice.
/// </summary>
internal static class ApiResultMapping
{
    public static Api.TimeSeriesQueryResult ToApi(TimeSeriesQuery query, TimeSeriesResult result)
    {
        var series = new SeriesData[result.Series.Count];
        for (var s = 0; s < series.Length; s++)
        {
            var source = result.Series[s];
            var points = new DataPoint[source.Points.Count];
            for (var p = 0; p < points.Length; p++)
            {
                points[p] = ToApi(source.Points[p]);
            }

            series[s] = new SeriesData { Name = result.Measurement, Tags = source.Tags, Points = points };
        }

        var metadata = result.Metadata;
        return new Api.TimeSeriesQueryResult
        {
            Query = result.Measurement,
            TimeRange = query.TimeRange,
            Series = series,
            Metrics = Metrics(metadata),
            Warnings = metadata.Warnings.Count > 0 ? metadata.Warnings : null,
            Resolutions = metadata.Resolutions,
        };
    }

    public static DataPoint ToApi(TimeSeriesDataPoint point)
    {
        double? value = null;
        Dictionary<string, JsonElement>? fields = null;
        var first = true;
        foreach (var (name, fieldValue) in point.Values)
        {
            if (first)
            {
                first = false;
                if (fieldValue is null)
                {
                    continue;
                }

                if (fieldValue.Value.Kind is FieldValueKind.Float or FieldValueKind.Integer or FieldValueKind.UnsignedInteger && fieldValue.Value.TryGetDouble(out var number))
                {
                    value = number;
                    continue;
                }
            }

            fields ??= new Dictionary<string, JsonElement>(point.Values.Count, StringComparer.Ordinal);
            var key = name is "timestamp" or "value" ? "field_" + name : name;
            fields[key] = fieldValue is { } v ? JsonSerializer.SerializeToElement(v, TimeSeriesJsonContext.Default.FieldValue) : NullElement;
        }

        return new DataPoint { Timestamp = point.Timestamp, Value = value, Fields = fields };
    }

    public static MetricsQueryResult ToApi(MetricQuery query, MetricQueryResult result)
    {
        var metrics = result.Metrics!;
        var values = new AggregatedValue[metrics.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ToApi(metrics[i], query.GroupBy.Count > 0);
        }

        var window = query.Window ?? (metrics.Count > 0 ? metrics[0].Window : null);
        var metadata = result.Metadata;
        return new MetricsQueryResult
        {
            Metric = query.MetricName,
            Window = window is { } w ? JsonSerializer.Serialize(w, MetricsJsonContext.Default.TimeWindow).Trim('"') : "auto",
            Values = values,
            Metrics = metadata is null ? new QueryMetrics { RecordsReturned = (ulong)values.Length } : Metrics(metadata) with { RecordsReturned = (ulong)values.Length },
            Warnings = metadata is { Warnings.Count: > 0 } ? metadata.Warnings : null,
        };
    }

    private static AggregatedValue ToApi(AggregatedMetric metric, bool grouped)
    {
        var tags = grouped ? metric.Tags : null;
        return metric.Values switch
        {
            StatsMetricValues { Stats: var s } => new AggregatedValue
            {
                Timestamp = metric.WindowStart,
                Tags = tags,
                Avg = s.Avg,
                Min = s.Min,
                Max = s.Max,
                P50 = s.P50,
                P95 = s.P95,
                P99 = s.P99,
                Count = s.Count,
                Stddev = s.StdDev,
                Sum = s.Sum,
            },
            CounterMetricValues counter => new AggregatedValue { Timestamp = metric.WindowStart, Tags = tags, Count = counter.Value, Rate = counter.Rate },
            GaugeMetricValues gauge => new AggregatedValue { Timestamp = metric.WindowStart, Tags = tags, Count = 1, Value = gauge.Value, Delta = gauge.Delta },
            _ => throw new InvalidOperationException($"Unknown metric values {metric.Values.GetType().Name}."),
        };
    }

    private static QueryMetrics Metrics(QueryMetadata metadata) => new()
    {
        ExecutionTimeMs = metadata.ExecutionTimeMs,
        RecordsScanned = metadata.PointsScanned ?? 0,
        RecordsReturned = metadata.PointCount,
    };

    private static JsonElement NullElement { get; } = JsonDocument.Parse("null").RootElement.Clone();
}
