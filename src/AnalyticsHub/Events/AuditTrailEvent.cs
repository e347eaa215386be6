using System.Collections.ObjectModel;
using System.Text.Json;

namespace AnalyticsHub.Events;

/// <summary>An audited action; change actions (deploy, config_change, ...) can be named root causes.</summary>
public sealed record AuditTrailEvent : GovernancePayload
{
    /// <inheritdoc/>
    public override GovernanceType GovernanceType => GovernanceType.AuditTrail;

    /// <summary>What was done, e.g. <c>deploy</c> or <c>config_change</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Who did it.</summary>
    public required string Actor { get; init; }

    /// <summary>The kind of resource acted on.</summary>
    public required string ResourceType { get; init; }

    /// <summary>The resource acted on.</summary>
    public required string ResourceId { get; init; }

    /// <summary>What changed, as JSON values by name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Changes { get; init; } = ReadOnlyDictionary<string, JsonElement>.Empty;

    /// <summary>Where it came from, when known.</summary>
    public string? IpAddress { get; init; }

    /// <summary>The client, when known.</summary>
    public string? UserAgent { get; init; }
}
