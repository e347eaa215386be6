namespace AnalyticsHub.Events;

/// <summary>The outcome of one control in a compliance check.</summary>
public sealed record ComplianceFinding
{
    /// <summary>The control.</summary>
    public required string ControlId { get; init; }

    /// <summary>The outcome.</summary>
    public required ComplianceStatus Status { get; init; }

    /// <summary>What was found.</summary>
    public required string Description { get; init; }

    /// <summary>Evidence, when recorded.</summary>
    public string? Evidence { get; init; }
}
