namespace AnalyticsHub.Policies;

/// <summary>The verdict on a <see cref="PolicyRequest"/>: the outcome and every rule that matched, enforced or monitored.</summary>
/// <param name="Outcome">What the host should do.</param>
/// <param name="Matches">The matched rules in evaluation order (global scope first); empty when none matched.</param>
/// <param name="RulesEvaluated">How many rule conditions were evaluated (the rules whose scope applied).</param>
/// <param name="SnapshotVersion">The version of the policy snapshot that was evaluated; it grows with every change.</param>
public readonly record struct PolicyDecision(PolicyOutcome Outcome, IReadOnlyList<PolicyMatch> Matches, int RulesEvaluated, long SnapshotVersion)
{
    /// <summary>Whether the call may go ahead now (allow or warn).</summary>
    public bool IsAllowed => Outcome is PolicyOutcome.Allow or PolicyOutcome.Warn;
}
