using AnalyticsHub.Alerts;
using AnalyticsHub.Events;

namespace AnalyticsHub.Policies;

/// <summary>
/// A blocking policy violation on the stream: the <c>policies</c> stage recorded a <c>policy_violation</c> whose action
/// is <see cref="PolicyAction.Block"/> for an <see cref="EnforcementMode.Active"/> policy, and tells the host's
/// <see cref="IAlertSink"/>s (stored events are never retracted; this is how a "block" on the stream reaches someone).
/// </summary>
/// <remarks>
/// <see cref="Alert.AlertId"/> is the violation event's id (derived from the policy and the trigger, so a replay raises it
/// once); <see cref="Alert.Timestamp"/> is the trigger's event time.
/// </remarks>
public sealed record PolicyAlert : Alert
{
    /// <summary>Always <see cref="AlertKind.PolicyViolation"/>.</summary>
    public override AlertKind Kind => AlertKind.PolicyViolation;

    /// <summary>The policy's id.</summary>
    public required string PolicyId { get; init; }

    /// <summary>The strongest action among the matched rules (<see cref="PolicyAction.Block"/>).</summary>
    public required PolicyAction Action { get; init; }

    /// <summary>The highest severity among the matched rules.</summary>
    public required RuleSeverity Severity { get; init; }

    /// <summary>The event that matched the rules.</summary>
    public required Guid TriggerEventId { get; init; }

    /// <summary>The recorded <c>policy_violation</c> event (its id is <see cref="Alert.AlertId"/>).</summary>
    public required AnalyticsEvent Violation { get; init; }

    internal override string SeverityName => Severity switch
    {
        RuleSeverity.Low => "low",
        RuleSeverity.Medium => "medium",
        RuleSeverity.High => "high",
        _ => "critical",
    };
}
