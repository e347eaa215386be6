namespace AnalyticsHub.Events;

/// <summary>The result of a compliance check against a framework.</summary>
public sealed record ComplianceCheckEvent : GovernancePayload
{
    /// <inheritdoc/>
    public override GovernanceType GovernanceType => GovernanceType.ComplianceCheck;

    /// <summary>The check.</summary>
    public required string CheckId { get; init; }

    /// <summary>The framework, e.g. SOC2.</summary>
    public required string Framework { get; init; }

    /// <summary>The controls checked.</summary>
    public IReadOnlyList<string> ControlsChecked { get; init; } = [];

    /// <summary>Whether the check passed.</summary>
    public required bool Passed { get; init; }

    /// <summary>Findings per control.</summary>
    public IReadOnlyList<ComplianceFinding> Findings { get; init; } = [];

    /// <summary>The compliance score.</summary>
    public required double Score { get; init; }
}
