using System.Collections.ObjectModel;

namespace AnalyticsHub.Events;

/// <summary>The error rate of a model over a window.</summary>
public sealed record ErrorRateMetrics : TelemetryPayload
{
    /// <inheritdoc/>
    public override TelemetryType TelemetryType => TelemetryType.ErrorRate;

    /// <summary>Requests in the window.</summary>
    public required ulong TotalRequests { get; init; }

    /// <summary>Failed requests in the window.</summary>
    public required ulong FailedRequests { get; init; }

    /// <summary>Failed requests as a percentage, 0..100.</summary>
    public required double ErrorRatePercent { get; init; }

    /// <summary>Failed requests by error kind.</summary>
    public IReadOnlyDictionary<string, ulong> ErrorBreakdown { get; init; } = ReadOnlyDictionary<string, ulong>.Empty;

    /// <summary>The length of the measurement window in seconds.</summary>
    public required uint WindowDurationSeconds { get; init; }
}
