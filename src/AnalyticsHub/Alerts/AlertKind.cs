namespace AnalyticsHub.Alerts;

/// <summary>What an <see cref="Alert"/> is about, tagged snake_case on the alert counters.</summary>
public enum AlertKind
{
    /// <summary><c>incident</c>: an incident of the <c>correlation</c> stage reached a new severity step (<c>CorrelationAlert</c>).</summary>
    Incident,

    /// <summary><c>policy_violation</c>: the <c>policies</c> stage recorded a violation whose action is <c>block</c> (<c>PolicyAlert</c>).</summary>
    PolicyViolation,
}
