namespace AnalyticsHub.Policies;

/// <summary>A rule whose condition held: which policy and rule, what it asks for, and whether it is enforced.</summary>
/// <remarks>Built once per rule when the policies are loaded; evaluations hand out the same instances.</remarks>
public sealed record PolicyMatch
{
    /// <summary>The policy's id.</summary>
    public required string PolicyId { get; init; }

    /// <summary>The policy's name.</summary>
    public required string PolicyName { get; init; }

    /// <summary>The policy's own version.</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>The store's revision of the policy that was evaluated.</summary>
    public required long Revision { get; init; }

    /// <summary>The rule's id.</summary>
    public required string RuleId { get; init; }

    /// <summary>The rule's name.</summary>
    public required string RuleName { get; init; }

    /// <summary>What the rule asks for.</summary>
    public required PolicyAction Action { get; init; }

    /// <summary>How serious the match is.</summary>
    public required RuleSeverity Severity { get; init; }

    /// <summary>The policy's mode: <see cref="EnforcementMode.Active"/> matches decide, <see cref="EnforcementMode.Monitor"/> ones are only recorded.</summary>
    public required EnforcementMode Enforcement { get; init; }

    /// <summary>Whether the match counts towards the outcome (its policy is active).</summary>
    public bool IsEnforced => Enforcement == EnforcementMode.Active;
}
