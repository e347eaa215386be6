namespace AnalyticsHub.Metrics;

/// <summary>The cross-module metrics of one window; each is <see langword="null"/> (written as <c>null</c>) when it could not be computed.</summary>
public sealed record CrossModuleMetrics
{
    /// <summary>Gets the cost per request: total_cost_usd / request_count.</summary>
    public double? CostPerRequest { get; init; }

    /// <summary>Gets the throughput discounted by errors: throughput × (1 − error_rate).</summary>
    public double? ErrorAdjustedThroughput { get; init; }

    /// <summary>Gets the compliance-weighted performance (no formula is on record; set by the host).</summary>
    public double? ComplianceWeightedPerformance { get; init; }

    /// <summary>Gets the cost efficiency discounted by threats: cost_efficiency × (1 − threat_score).</summary>
    public double? SecurityAdjustedCostEfficiency { get; init; }

    /// <summary>Gets the weighted average of the module health scores.</summary>
    public double? SystemHealthScore { get; init; }
}
