
namespace AnalyticsHub.Anomalies;

/// <summary>One metric the <c>anomalies</c> stage watches, and which statistic of its one-minute windows it scores.</summary>
public sealed class AnomalySeriesRule
{
    /// <summary>The metric name as the <c>metrics</c> stage names it, <c>&lt;measurement&gt;.&lt;field&gt;</c>, e.g. <c>llm_latency.latency_ms</c>.</summary>
    public string Metric { get; set; } = "";

    /// <summary>The statistic of each window fed to the detector (default <see cref="AnomalyStatistic.Mean"/>).</summary>
    public AnomalyStatistic Statistic { get; set; } = AnomalyStatistic.Mean;

    /// <summary>
    /// When each value of the metric is a rate per second measured over a window of this many seconds (a throughput
    /// aggregate of requests a second over a minute: 60), the evidence by volume judges a
    /// <see cref="AnomalyStatistic.Mean"/> window as the count of events its values imply, a Poisson count of
    /// rate × seconds × values, instead of by the spread of the values; 0 (the default) for values that are not rates.
    /// </summary>
    public double RateWindowSeconds { get; set; }

    /// <summary>The name of the detection series: the statistic applied to the metric, e.g. <c>mean(llm_latency.latency_ms)</c>.</summary>
    public string SeriesName => StatisticName(Statistic) + "(" + Metric + ")";

    internal static string StatisticName(AnomalyStatistic statistic) => statistic switch
    {
        AnomalyStatistic.Mean => "mean",
        AnomalyStatistic.Sum => "sum",
        AnomalyStatistic.Count => "count",
        AnomalyStatistic.Max => "max",
        AnomalyStatistic.P95 => "p95",
        _ => statistic.ToString().ToLowerInvariant(),
    };
}
