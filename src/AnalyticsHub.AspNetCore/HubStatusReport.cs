using AnalyticsHub.Pipeline;

namespace AnalyticsHub.AspNetCore;

/// <summary>The body of <c>GET /stats</c>: whether the hub runs, its health, the ingestion accounting and the live subscribers.</summary>
public sealed record HubStatusReport
{
    /// <summary>Whether the hub takes events.</summary>
    public required bool Running { get; init; }

    /// <summary>The hub's health check: <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</summary>
    public required string Health { get; init; }

    /// <summary>Why the health is what it is.</summary>
    public string? HealthDescription { get; init; }

    /// <summary>How many events the ingestion queue holds at most.</summary>
    public required int QueueCapacity { get; init; }

    /// <summary>The ingestion accounting (offered, invalid, refused, dropped, accepted, stored, ..., queue depth).</summary>
    public required IngestionStatistics Ingestion { get; init; }

    /// <summary>Live subscribers on <c>/stream</c> and <c>/ws</c> now.</summary>
    public required int StreamSubscribers { get; init; }

    /// <summary>The most live subscribers allowed.</summary>
    public required int MaxStreamSubscribers { get; init; }
}
