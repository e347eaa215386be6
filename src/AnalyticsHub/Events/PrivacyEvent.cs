namespace AnalyticsHub.Events;

/// <summary>An operation on personal data.</summary>
public sealed record PrivacyEvent : SecurityPayload
{
    /// <inheritdoc/>
    public override SecurityType SecurityType => SecurityType.Privacy;

    /// <summary>The kind of personal data.</summary>
    public required string DataType { get; init; }

    /// <summary>What was done with it.</summary>
    public required PrivacyOperation Operation { get; init; }

    /// <summary>Whether the data subjects consented.</summary>
    public required bool UserConsent { get; init; }

    /// <summary>The data subjects concerned.</summary>
    public IReadOnlyList<string> DataSubjects { get; init; } = [];

    /// <summary>Why it was done.</summary>
    public required string Purpose { get; init; }
}
