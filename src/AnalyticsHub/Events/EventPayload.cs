namespace AnalyticsHub.Events;

/// <summary>
/// The module-specific part of an event. Sealed subclasses per variant; grouped by module family
/// (<see cref="TelemetryPayload"/>, <see cref="SecurityPayload"/>, <see cref="CostPayload"/>,
/// <see cref="GovernancePayload"/>, <see cref="CustomPayload"/>).
/// </summary>
public abstract record EventPayload
{
    private protected EventPayload()
    {
    }

    /// <summary>The module family: the <c>payload_type</c> tag on the wire.</summary>
    public abstract PayloadType PayloadType { get; }

    /// <summary>
    /// The variant's wire name, e.g. <c>latency</c> or <c>budget_alert</c>; for a custom payload its
    /// <c>custom_type</c>.
    /// </summary>
    public abstract string Subtype { get; }
}
