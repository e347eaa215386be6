namespace AnalyticsHub.Policies;

/// <summary>One rule of a policy (wire format 1.7 <c>PolicyRule</c>): when its condition holds, its action applies.</summary>
public sealed record PolicyRule
{
    /// <summary>The rule's id, unique within its policy.</summary>
    public required string RuleId { get; init; }

    /// <summary>Its name, for people.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The condition in the expression language (docs/expressions.md), e.g. <c>budget.team_a.percent &gt;= 100</c>; it is
    /// compiled when the policy is written, and a condition that does not compile refuses the write with its position.
    /// </summary>
    public required string Condition { get; init; }

    /// <summary>What a match asks for.</summary>
    public required PolicyAction Action { get; init; }

    /// <summary>How serious a match is.</summary>
    public required RuleSeverity Severity { get; init; }

    /// <summary>Whether the rule is evaluated.</summary>
    public required bool Enabled { get; init; }
}
