namespace AnalyticsHub.Policies;

/// <summary>Evaluates the stored policies before an LLM call: the host asks, then obeys the outcome.</summary>
/// <remarks>
/// Thread-safe. Each call sees one consistent snapshot of the policies; a change to a policy is seen by the next call,
/// without a restart. Only the rules whose scope applies to the request are evaluated.
/// </remarks>
public interface IPolicyEvaluator
{
    /// <summary>Evaluates every enabled rule of every active policy in scope of <paramref name="request"/>.</summary>
    /// <param name="request">The call about to be made.</param>
    /// <returns>Allow, warn, block or require approval, with the matched rules; allocates only when a rule matched.</returns>
    PolicyDecision Evaluate(PolicyRequest request);
}
