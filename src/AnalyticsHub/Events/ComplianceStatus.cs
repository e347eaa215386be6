namespace AnalyticsHub.Events;

/// <summary>The outcome of one control in a compliance check (wire form: snake_case).</summary>
public enum ComplianceStatus
{
    /// <summary><c>pass</c>.</summary>
    Pass,

    /// <summary><c>fail</c>.</summary>
    Fail,

    /// <summary><c>not_applicable</c>.</summary>
    NotApplicable,

    /// <summary><c>manual</c>.</summary>
    Manual,
}
