namespace AnalyticsHub.Alerts;

/// <summary>
/// Something the hub found that a person should act on, handed to the host's <see cref="IAlertSink"/>s: an incident
/// (<c>Correlation.Alerts.CorrelationAlert</c>) or a blocking policy violation (<c>Policies.PolicyAlert</c>). Switch on
/// the type, or on <see cref="Kind"/>.
/// </summary>
/// <remarks>The kinds are the hub's own: a host receives alerts, it does not derive new kinds.</remarks>
public abstract record Alert
{
    private protected Alert()
    {
    }

    /// <summary>The alert's id, derived from what raised it: the same on every replay of the stream.</summary>
    public required Guid AlertId { get; init; }

    /// <summary>What the alert is about.</summary>
    public abstract AlertKind Kind { get; }

    /// <summary>The event time of what raised it (an incident's latest evidence, a violation's trigger); never the clock.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>One line for people.</summary>
    public required string Summary { get; init; }

    /// <summary>The alert's severity as its telemetry tag (<c>high</c>, <c>critical</c>, ...).</summary>
    internal abstract string SeverityName { get; }
}
