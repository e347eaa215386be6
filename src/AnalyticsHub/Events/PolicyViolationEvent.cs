namespace AnalyticsHub.Events;

/// <summary>A violation of a governance policy.</summary>
public sealed record PolicyViolationEvent : GovernancePayload
{
    /// <inheritdoc/>
    public override GovernanceType GovernanceType => GovernanceType.PolicyViolation;

    /// <summary>The violated policy.</summary>
    public required string PolicyId { get; init; }

    /// <summary>The policy's display name.</summary>
    public required string PolicyName { get; init; }

    /// <summary>What happened.</summary>
    public required string ViolationDescription { get; init; }

    /// <summary>The rules violated.</summary>
    public IReadOnlyList<string> ViolatedRules { get; init; } = [];

    /// <summary>The resource concerned.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The acting user, when known.</summary>
    public string? UserId { get; init; }

    /// <summary>How serious the violation is.</summary>
    public required PolicyViolationSeverity Severity { get; init; }

    /// <summary>Whether it was remediated automatically.</summary>
    public required bool AutoRemediated { get; init; }
}
