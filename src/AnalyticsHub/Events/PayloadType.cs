namespace AnalyticsHub.Events;

/// <summary>The module family of an event's payload: the <c>payload_type</c> tag of the wire form.</summary>
public enum PayloadType
{
    /// <summary><c>telemetry</c>: a <see cref="TelemetryPayload"/>.</summary>
    Telemetry,

    /// <summary><c>security</c>: a <see cref="SecurityPayload"/>.</summary>
    Security,

    /// <summary><c>cost</c>: a <see cref="CostPayload"/>.</summary>
    Cost,

    /// <summary><c>governance</c>: a <see cref="GovernancePayload"/>.</summary>
    Governance,

    /// <summary><c>custom</c>: a <see cref="CustomPayload"/>.</summary>
    Custom,
}
