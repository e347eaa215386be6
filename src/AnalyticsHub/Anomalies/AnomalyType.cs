using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Anomalies;

/// <summary>What kind of anomaly a detector saw (the wire enum of <c>AnomalyEvent.anomaly_type</c>, snake_case on the wire).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AnomalyType>))]
public enum AnomalyType
{
    /// <summary><c>spike</c>: a point far above what the recent level predicts.</summary>
    Spike = 0,

    /// <summary><c>drop</c>: a point far below what the recent level predicts.</summary>
    Drop = 1,

    /// <summary><c>pattern_deviation</c>: a point that breaks the learned daily profile (a missed peak, a flat stretch where the day should move).</summary>
    PatternDeviation = 2,

    /// <summary><c>frequency_anomaly</c>: the rate of change moved (denser bursts, or a series that stopped moving).</summary>
    FrequencyAnomaly = 3,

    /// <summary><c>distribution_shift</c>: the level of the series moved and stayed (a change point).</summary>
    DistributionShift = 4,
}
