namespace AnalyticsHub.Correlation.Alerts;

/// <summary>An alert about an incident, raised when it reaches a new severity step (see <see cref="IAlertSink"/>).</summary>
public sealed record CorrelationAlert
{
    /// <summary>The alert's id, the same for the same incident and step on every replay.</summary>
    public required Guid AlertId { get; init; }

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

    /// <summary>One line for people: the type, the first root-cause candidate (or "no cause found") and the severity.</summary>
    public required string Summary { get; init; }
}
