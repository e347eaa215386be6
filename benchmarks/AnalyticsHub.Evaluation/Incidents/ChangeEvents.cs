using AnalyticsHub.Events;

namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>Spec decision 17: the events that may be named a root cause.</summary>
public static class ChangeEvents
{
    private static readonly string[] Actions =
    [
        "deploy", "rollback", "config_change", "prompt_template_change", "model_switch", "policy_update",
        "scaling_change", "key_created", "key_revoked",
    ];

    /// <summary>The audit-trail actions that make a change event.</summary>
    public static IReadOnlyList<string> AuditActions => Actions;

    /// <summary>Whether <paramref name="evt"/> is a change event: a governance audit trail with a change action, or a security auth event.</summary>
    /// <param name="evt">The event.</param>
    /// <returns><see langword="true"/> for a change event.</returns>
    /// <remarks>Traffic surges (decision 17's third kind) are detections, not events in the stream, so they are not recognised here.</remarks>
    public static bool IsChangeEvent(AnalyticsEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        switch (evt.Payload)
        {
            case AuthEvent:
                return true;
            case AuditTrailEvent audit:
                foreach (var action in Actions)
                {
                    if (string.Equals(audit.Action, action, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
