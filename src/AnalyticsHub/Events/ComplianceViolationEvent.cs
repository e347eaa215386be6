namespace AnalyticsHub.Events;

/// <summary>A violation of a regulatory requirement.</summary>
public sealed record ComplianceViolationEvent : SecurityPayload
{
    /// <inheritdoc/>
    public override SecurityType SecurityType => SecurityType.ComplianceViolation;

    /// <summary>The violation's identifier.</summary>
    public required string ViolationId { get; init; }

    /// <summary>The regulation, e.g. GDPR.</summary>
    public required string Regulation { get; init; }

    /// <summary>The requirement that was violated.</summary>
    public required string Requirement { get; init; }

    /// <summary>What happened.</summary>
    public required string ViolationDescription { get; init; }

    /// <summary>The kinds of data affected.</summary>
    public IReadOnlyList<string> AffectedDataTypes { get; init; } = [];

    /// <summary>Whether remediation is required.</summary>
    public required bool RemediationRequired { get; init; }
}
