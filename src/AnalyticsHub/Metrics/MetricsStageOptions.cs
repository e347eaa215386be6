
namespace AnalyticsHub.Metrics;

/// <summary>
/// The <c>metrics</c> stage: every numeric field of every time-series point is aggregated per series
/// (measurement + field + tags) in tumbling event-time windows; closed windows go to the time-series store's
/// rollups (queried with <see cref="MetricQuery"/>) and to later stages such as anomaly detection.
/// </summary>
public sealed class MetricsStageOptions
{
    /// <summary>The default windows: one minute (the anomaly detectors' resolution) and one hour.</summary>
    public static IReadOnlyList<TimeWindow> DefaultWindows { get; } = [TimeWindow.OneMinute, TimeWindow.OneHour];

    /// <summary>The default dimensions: the spec's default indexed tags (<c>IndexConfig</c>).</summary>
    public static IReadOnlyList<string> DefaultDimensions { get; } = ["source_module", "environment", "model_id"];

    /// <summary>
    /// The point tags a metric series keeps; <see langword="null"/> for <see cref="DefaultDimensions"/>. Points whose
    /// kept tags agree share a series, so high-cardinality tags (tenant, region) stay out of the aggregator and
    /// the detectors; they remain queryable in the raw time series.
    /// </summary>
    public string[]? Dimensions { get; set; }

    /// <summary>The windows kept, finest first after sorting; <see langword="null"/> for <see cref="DefaultWindows"/>.</summary>
    /// <remarks>Windows up to one day are persisted as rollups; weeks and months are aggregated but not persisted.</remarks>
    public TimeWindow[]? Windows { get; set; }

    /// <summary>How far behind the newest event time a point may arrive and still count (default one minute).</summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most metric series tracked (default 100,000); points of further series are counted and skipped.</summary>
    public int MaxSeries { get; set; } = 100_000;

    /// <summary>The aggregator settings these options stand for.</summary>
    /// <returns>The settings.</returns>
    public WindowedAggregatorOptions ToAggregatorOptions() => new()
    {
        Windows = Windows ?? DefaultWindows,
        AllowedLateness = AllowedLateness,
        MaxKeys = MaxSeries,
    };

    internal void Validate(List<string> problems)
    {
        foreach (var dimension in Dimensions ?? [])
        {
            if (string.IsNullOrEmpty(dimension))
            {
                problems.Add("Metrics.Dimensions must not hold empty names.");
                break;
            }
        }

        foreach (var problem in ToAggregatorOptions().Validate())
        {
            problems.Add("Metrics." + problem);
        }
    }
}
