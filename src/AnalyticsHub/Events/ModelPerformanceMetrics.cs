using System.Collections.ObjectModel;

namespace AnalyticsHub.Events;

/// <summary>Quality measurements of a model.</summary>
public sealed record ModelPerformanceMetrics : TelemetryPayload
{
    /// <inheritdoc/>
    public override TelemetryType TelemetryType => TelemetryType.ModelPerformance;

    /// <summary>Accuracy, when measured.</summary>
    public double? Accuracy { get; init; }

    /// <summary>A quality score, when measured.</summary>
    public double? QualityScore { get; init; }

    /// <summary>User satisfaction, when measured.</summary>
    public double? UserSatisfaction { get; init; }

    /// <summary>Further named measurements.</summary>
    public IReadOnlyDictionary<string, double> CustomMetrics { get; init; } = ReadOnlyDictionary<string, double>.Empty;
}
