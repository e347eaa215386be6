namespace AnalyticsHub.Events;

/// <summary>An authentication or authorisation event.</summary>
public sealed record AuthEvent : SecurityPayload
{
    /// <inheritdoc/>
    public override SecurityType SecurityType => SecurityType.Auth;

    /// <summary>The acting user or key.</summary>
    public required string UserId { get; init; }

    /// <summary>What was attempted.</summary>
    public required AuthAction Action { get; init; }

    /// <summary>The resource acted on.</summary>
    public required string Resource { get; init; }

    /// <summary>Whether it succeeded.</summary>
    public required bool Success { get; init; }

    /// <summary>Why it failed, when it did.</summary>
    public string? FailureReason { get; init; }
}
