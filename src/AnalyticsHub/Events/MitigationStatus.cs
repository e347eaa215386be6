namespace AnalyticsHub.Events;

/// <summary>Where the response to a threat stands (wire form: snake_case).</summary>
public enum MitigationStatus
{
    /// <summary><c>detected</c>.</summary>
    Detected,

    /// <summary><c>blocked</c>.</summary>
    Blocked,

    /// <summary><c>mitigated</c>.</summary>
    Mitigated,

    /// <summary><c>investigating</c>.</summary>
    Investigating,

    /// <summary><c>resolved</c>.</summary>
    Resolved,
}
