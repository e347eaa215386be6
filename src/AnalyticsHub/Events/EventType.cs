namespace AnalyticsHub.Events;

/// <summary>The kind of an event (wire form: snake_case).</summary>
/// <remarks>
/// A telemetry, security, cost or governance payload needs the matching type or one of
/// <see cref="Lifecycle"/>, <see cref="Audit"/> and <see cref="Alert"/>; a custom payload may carry any.
/// </remarks>
public enum EventType
{
    /// <summary><c>telemetry</c>.</summary>
    Telemetry,

    /// <summary><c>security</c>.</summary>
    Security,

    /// <summary><c>cost</c>.</summary>
    Cost,

    /// <summary><c>governance</c>.</summary>
    Governance,

    /// <summary><c>lifecycle</c>.</summary>
    Lifecycle,

    /// <summary><c>audit</c>.</summary>
    Audit,

    /// <summary><c>alert</c>.</summary>
    Alert,
}
