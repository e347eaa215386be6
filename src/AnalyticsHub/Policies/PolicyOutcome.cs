namespace AnalyticsHub.Policies;

/// <summary>The answer to a <see cref="PolicyRequest"/>, from the matched rules of active policies, strongest first: block, require approval, warn, allow.</summary>
public enum PolicyOutcome
{
    /// <summary>Go ahead: no rule of an active policy asks for more (log and auto_remediate matches are listed, not enforced).</summary>
    Allow,

    /// <summary>Go ahead, and tell someone: a <c>warn</c> rule matched.</summary>
    Warn,

    /// <summary>Hold the request until someone approves it: a <c>require_approval</c> rule matched.</summary>
    RequireApproval,

    /// <summary>Do not make the call: a <c>block</c> rule matched.</summary>
    Block,
}
