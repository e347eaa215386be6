namespace AnalyticsHub.Events;

/// <summary>The kind of a security payload: the <c>security_type</c> tag.</summary>
public enum SecurityType
{
    /// <summary><c>threat</c>.</summary>
    Threat,

    /// <summary><c>vulnerability</c>.</summary>
    Vulnerability,

    /// <summary><c>compliance_violation</c>.</summary>
    ComplianceViolation,

    /// <summary><c>auth</c>.</summary>
    Auth,

    /// <summary><c>privacy</c>.</summary>
    Privacy,
}
