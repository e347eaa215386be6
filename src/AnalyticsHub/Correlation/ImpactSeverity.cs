using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Correlation;

/// <summary>How bad an incident is, ordered (wire form: lowercase); from a 0..1 score with the bands of <see cref="ImpactAssessment.SeverityOf"/>.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ImpactSeverity>))]
public enum ImpactSeverity
{
    /// <summary><c>negligible</c>: score below 0.2; no response needed.</summary>
    Negligible = 0,

    /// <summary><c>low</c>: score 0.2 to 0.4; respond within 24 hours.</summary>
    Low = 1,

    /// <summary><c>medium</c>: score 0.4 to 0.6; respond within 4 hours.</summary>
    Medium = 2,

    /// <summary><c>high</c>: score 0.6 to 0.8; respond within an hour.</summary>
    High = 3,

    /// <summary><c>critical</c>: score 0.8 or more; respond immediately.</summary>
    Critical = 4,
}
