namespace AnalyticsHub.Events;

/// <summary>The latency of one model request, with an optional breakdown.</summary>
public sealed record LatencyMetrics : TelemetryPayload
{
    /// <inheritdoc/>
    public override TelemetryType TelemetryType => TelemetryType.Latency;

    /// <summary>The request this measurement belongs to.</summary>
    public required string RequestId { get; init; }

    /// <summary>End-to-end latency in milliseconds.</summary>
    public required double TotalLatencyMs { get; init; }

    /// <summary>Time to first token in milliseconds, when streamed.</summary>
    public double? TtftMs { get; init; }

    /// <summary>Output tokens per second.</summary>
    public double? TokensPerSecond { get; init; }

    /// <summary>Where the time went.</summary>
    public LatencyBreakdown? Breakdown { get; init; }
}
