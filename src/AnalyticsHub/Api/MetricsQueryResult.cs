namespace AnalyticsHub.Api;

/// <summary>The API's answer to a metric query (spec 1.8): the metric, the window and one value per window and group.</summary>
public sealed record MetricsQueryResult
{
    /// <summary>The metric queried, e.g. <c>llm_latency.latency_ms</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The window label (<c>one_minute</c> ... <c>one_month</c>) of the values.</summary>
    public required string Window { get; init; }

    /// <summary>The values, by group then by window start.</summary>
    public required IReadOnlyList<AggregatedValue> Values { get; init; }

    /// <summary>What the query cost.</summary>
    public required QueryMetrics Metrics { get; init; }

    /// <summary>What the caller should know about the answer; left out of the JSON when absent.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}
