using System.Globalization;
using AnalyticsHub.Events;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.Metrics;

/// <summary>
/// Runs <see cref="MetricQuery"/>s (spec 1.4) on any <see cref="ITimeSeriesStore"/>: the metric's windows are read
/// from its rollups — the windowed aggregator's closed windows, which the hub's <c>metrics</c> stage writes under the
/// measurement named like the metric (e.g. <c>llm_latency.latency_ms</c>, field <c>value</c>) — merged into the
/// requested window per group.
/// </summary>
/// <remarks>
/// A name with no data of its own is read as <c>&lt;measurement&gt;.&lt;field&gt;</c> of the stored points (raw data and
/// retention rollups), so metric queries also work on a store the hub's metrics stage never wrote to. Percentiles come
/// from the merged sketches (relative error at most <see cref="Statistics.QuantileSketch.RelativeAccuracy"/>); counts, minima and
/// maxima are exact; sums and moments within decision 10's tolerance.
/// </remarks>
public static class MetricQueryExtensions
{
    private const string Value = RollupBucket.ValueField;

    private static readonly TimeWindow[] AutomaticWindows =
        [TimeWindow.OneMinute, TimeWindow.FiveMinutes, TimeWindow.FifteenMinutes, TimeWindow.OneHour, TimeWindow.SixHours, TimeWindow.OneDay];

    /// <summary>The most windows per group a query without a window is answered with.</summary>
    public const int MaxAutomaticWindows = 1_440;

    /// <summary>Runs a metric query.</summary>
    /// <param name="store">The store.</param>
    /// <param name="query">The query; <see cref="MetricQuery.Window"/> null picks the finest window that keeps at most
    /// <see cref="MaxAutomaticWindows"/> windows per group; <c>one_month</c> (a calendar month) is not supported.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The windows, or the problems with codes and paths.</returns>
    public static async ValueTask<MetricQueryResult> QueryMetricsAsync(this ITimeSeriesStore store, MetricQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var errors = Validate(query);
        if (errors.Count > 0)
        {
            return new MetricQueryResult { Errors = errors };
        }

        var window = query.Window ?? Automatic(query.TimeRange);
        var result = await store.QueryAsync(ToTimeSeriesQuery(query, query.MetricName, Value, window), cancellationToken).ConfigureAwait(false);
        var field = Value;
        var dot = query.MetricName.IndexOf('.', StringComparison.Ordinal);
        if (result.IsSuccess && result.Result.Series.Count == 0 && dot > 0 && dot < query.MetricName.Length - 1)
        {
            field = query.MetricName[(dot + 1)..];
            var fallback = await store.QueryAsync(ToTimeSeriesQuery(query, query.MetricName[..dot], field, window), cancellationToken).ConfigureAwait(false);
            if (!fallback.IsSuccess || fallback.Result.Series.Count > 0)
            {
                result = fallback;
            }
            else
            {
                field = Value;
            }
        }

        if (!result.IsSuccess)
        {
            return new MetricQueryResult { Errors = result.Errors };
        }

        return new MetricQueryResult { Metrics = ToMetrics(query, result.Result, field, window), Metadata = result.Result.Metadata };
    }

    internal static List<Problem> Validate(MetricQuery? query)
    {
        var errors = new List<Problem>();
        if (query is null)
        {
            errors.Add(new(ProblemCodes.MeasurementRequired, "$", "A query is required."));
            return errors;
        }

        if (string.IsNullOrEmpty(query.MetricName))
        {
            errors.Add(new(ProblemCodes.MeasurementRequired, "metric_name", "The metric name is required."));
        }

        if (!query.TimeRange.IsValid)
        {
            errors.Add(new(ProblemCodes.InvalidTimeRange, "time_range", "The range's end must be after its start."));
        }

        if (query.Window is { } window && (!Enum.IsDefined(window) || window == TimeWindow.OneMonth))
        {
            errors.Add(new(ProblemCodes.InvalidWindow, "window",
                window == TimeWindow.OneMonth ? "one_month is a calendar month without a fixed width; ask for one_day or one_week windows." : $"Unknown window {(int)window}."));
        }

        for (var i = 0; i < query.IncludeStats.Count; i++)
        {
            if (!Enum.IsDefined(query.IncludeStats[i]))
            {
                errors.Add(new(ProblemCodes.InvalidName, $"include_stats[{i.ToString(CultureInfo.InvariantCulture)}]", $"Unknown statistic {(int)query.IncludeStats[i]}."));
            }
        }

        return errors;
    }

    private static TimeWindow Automatic(TimeRange range)
    {
        foreach (var window in AutomaticWindows)
        {
            if (range.Duration.Ticks / (window.ToSeconds() * TimeSpan.TicksPerSecond) <= MaxAutomaticWindows)
            {
                return window;
            }
        }

        return TimeWindow.OneWeek;
    }

    private static TimeSeriesQuery ToTimeSeriesQuery(MetricQuery query, string measurement, string field, TimeWindow window)
    {
        var label = window.ToLabel();
        Aggregation Of(AggregationFunction function) => new() { Function = function, Window = label, Fields = [field] };
        return new TimeSeriesQuery
        {
            Measurement = measurement,
            TimeRange = query.TimeRange,
            TagFilters = query.TagFilters,
            GroupBy = query.GroupBy,
            PercentileMode = PercentileMode.Sketch,
            Aggregations =
            [
                Of(AggregationFunction.Count), Of(AggregationFunction.Sum), Of(AggregationFunction.Mean), Of(AggregationFunction.Min),
                Of(AggregationFunction.Max), Of(AggregationFunction.Stddev), Of(AggregationFunction.ForPercentile(50)),
                Of(AggregationFunction.ForPercentile(95)), Of(AggregationFunction.ForPercentile(99)),
            ],
        };
    }

    private static List<AggregatedMetric> ToMetrics(MetricQuery query, TimeSeriesResult result, string field, TimeWindow window)
    {
        var width = TimeSpan.FromSeconds(window.ToSeconds());
        var counter = query.IncludeStats.Contains(StatType.Rate) && query.IncludeStats.All(s => s is StatType.Rate or StatType.Count);
        var metrics = new List<AggregatedMetric>();
        foreach (var series in result.Series)
        {
            foreach (var point in series.Points)
            {
                var count = Number(point, field, "count");
                if (count is not > 0)
                {
                    continue;
                }

                MetricValues values = counter
                    ? new CounterMetricValues((ulong)count.Value, count.Value / width.TotalSeconds)
                    : new StatsMetricValues(new StatisticalMeasures
                    {
                        Count = (ulong)count.Value,
                        Sum = Number(point, field, "sum") ?? 0,
                        Avg = Number(point, field, "mean") ?? 0,
                        Min = Number(point, field, "min") ?? 0,
                        Max = Number(point, field, "max") ?? 0,
                        StdDev = Number(point, field, "stddev"),
                        P50 = Number(point, field, "p50") ?? 0,
                        P95 = Number(point, field, "p95") ?? 0,
                        P99 = Number(point, field, "p99") ?? 0,
                    });
                metrics.Add(new AggregatedMetric
                {
                    Name = query.MetricName,
                    Window = window,
                    WindowStart = point.Timestamp,
                    WindowEnd = point.Timestamp + width,
                    Values = values,
                    Tags = series.Tags,
                });
            }
        }

        return metrics;
    }

    private static double? Number(TimeSeriesDataPoint point, string field, string function) =>
        point.Values.TryGetValue(field + "_" + function, out var value) && value is { } v && v.TryGetDouble(out var number) ? number : null;
}
