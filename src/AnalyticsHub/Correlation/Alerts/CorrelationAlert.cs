using AnalyticsHub.Alerts;

namespace AnalyticsHub.Correlation.Alerts;

/// <summary>An alert about an incident, raised when it reaches a new severity step (see <see cref="IAlertSink"/>).</summary>
/// <remarks><see cref="Alert.AlertId"/> is derived from the incident and step; <see cref="Alert.Timestamp"/> is the incident's <c>detected_at</c>.</remarks>
public sealed record CorrelationAlert : Alert
{
    /// <summary>Always <see cref="AlertKind.Incident"/>.</summary>
    public override AlertKind Kind => AlertKind.Incident;

    /// <summary>The incident's id (<see cref="EventCorrelation.CorrelationId"/>).</summary>
    public required Guid CorrelationId { get; init; }

    /// <summary>The severity step reached.</summary>
    public required ImpactSeverity Severity { get; init; }

    /// <summary>The impact score the step comes from, in [0, 1].</summary>
    public required double ImpactScore { get; init; }

    /// <summary>How soon to respond (<see cref="ImpactAssessment.ResponseTimeOf"/>); null for a negligible step.</summary>
    public TimeSpan? RespondWithin { get; init; }

    /// <summary>The incident as it stood when the alert was raised.</summary>
    public required EventCorrelation Correlation { get; init; }

    /// <summary>Its root cause and impact.</summary>
    public required AnomalyCorrelation Analysis { get; init; }

    internal override string SeverityName => Severity switch
    {
        ImpactSeverity.Negligible => "negligible",
        ImpactSeverity.Low => "low",
        ImpactSeverity.Medium => "medium",
        ImpactSeverity.High => "high",
        _ => "critical",
    };
}
