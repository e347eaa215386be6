namespace AnalyticsHub.Events;

/// <summary>The kind of a telemetry payload: the <c>telemetry_type</c> tag.</summary>
public enum TelemetryType
{
    /// <summary><c>latency</c>.</summary>
    Latency,

    /// <summary><c>throughput</c>.</summary>
    Throughput,

    /// <summary><c>error_rate</c>.</summary>
    ErrorRate,

    /// <summary><c>token_usage</c>.</summary>
    TokenUsage,

    /// <summary><c>model_performance</c>.</summary>
    ModelPerformance,
}
