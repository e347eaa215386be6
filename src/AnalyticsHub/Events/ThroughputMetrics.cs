namespace AnalyticsHub.Events;

/// <summary>Request and token throughput of a model over a window.</summary>
public sealed record ThroughputMetrics : TelemetryPayload
{
    /// <inheritdoc/>
    public override TelemetryType TelemetryType => TelemetryType.Throughput;

    /// <summary>Requests per second.</summary>
    public required double RequestsPerSecond { get; init; }

    /// <summary>Tokens per second.</summary>
    public required double TokensPerSecond { get; init; }

    /// <summary>Requests in flight.</summary>
    public required uint ConcurrentRequests { get; init; }

    /// <summary>The length of the measurement window in seconds.</summary>
    public required uint WindowDurationSeconds { get; init; }
}
