using AnalyticsHub.Anomalies;

namespace AnalyticsHub.Evaluation.Nab;

/// <summary>A named detector the harness can run: how to make a fresh instance per series and its frozen threshold.</summary>
public sealed record StreamingAnomalyScorerRegistration
{
    /// <summary>Gets the name used on the command line, for example <c>zscore</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the threshold chosen once on the tuning set and frozen: a row is a detection iff its score is at least this.</summary>
    public required double DefaultThreshold { get; init; }

    /// <summary>Gets the factory that makes a fresh, untrained detector for one series.</summary>
    public required Func<IStreamingAnomalyDetector> Create { get; init; }

    /// <summary>Gets a one-line description for listings.</summary>
    public string Description { get; init; } = string.Empty;
}
