namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>An engine's estimate of an incident's impact; only <see cref="AdditionalCostUsd"/> is scored today.</summary>
public sealed record PredictedImpact
{
    /// <summary>An estimate of zero extra cost and nothing else.</summary>
    public static PredictedImpact None { get; } = new() { AdditionalCostUsd = 0 };

    /// <summary>Spend above what would have happened without the incident, in USD (may be negative).</summary>
    public required double AdditionalCostUsd { get; init; }

    /// <summary>Mean latency change of the affected requests, in percent, when estimated.</summary>
    public double? LatencyChangePercent { get; init; }

    /// <summary>Error-rate change in percentage points, when estimated.</summary>
    public double? ErrorRateChangePercent { get; init; }

    /// <summary>Requests the incident changed or added, when estimated.</summary>
    public long? AffectedRequests { get; init; }
}
