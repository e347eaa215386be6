using System.Text.Json.Serialization;

namespace AnalyticsHub.Metadata;

/// <summary>Who owns an asset, a dashboard or a policy (wire format 1.7 <c>OwnerInfo</c>).</summary>
public sealed record OwnerInfo
{
    /// <summary>The owner's user id; the <c>owner</c> list filter matches it.</summary>
    public required string UserId { get; init; }

    /// <summary>The owner's user name.</summary>
    public required string Username { get; init; }

    /// <summary>The owner's e-mail address (written as null when absent).</summary>
    public string? Email { get; init; }

    /// <summary>The owner's team (written as null when absent); the <c>team</c> list filter matches it.</summary>
    public string? Team { get; init; }

    /// <summary>The owner's department (written as null when absent).</summary>
    public string? Department { get; init; }

    [JsonIgnore]
    internal static OwnerInfo Empty { get; } = new() { UserId = string.Empty, Username = string.Empty };
}
