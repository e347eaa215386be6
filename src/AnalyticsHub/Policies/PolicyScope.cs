namespace AnalyticsHub.Policies;

/// <summary>
/// What a policy applies to (wire format 1.7 <c>PolicyScope</c>): the values of one scope key, minus exclusions.
/// docs/policies.md maps each <see cref="ScopeType"/> to the request's and the event's fields.
/// </summary>
public sealed record PolicyScope
{
    /// <summary>Which key <see cref="Targets"/> are values of.</summary>
    public required ScopeType ScopeType { get; init; }

    /// <summary>The values of the scope key the policy applies to (exact, case-sensitive); empty for <see cref="ScopeType.Global"/>.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>
    /// Values that take a request or event out of scope (empty by default): a bare value is one of the scope key,
    /// <c>&lt;scope_type&gt;:&lt;value&gt;</c> one of another key (e.g. <c>user:u-7</c> within a team, or any key of a global scope).
    /// </summary>
    public IReadOnlyList<string> Exclusions { get; init => field = value ?? []; } = [];
}
