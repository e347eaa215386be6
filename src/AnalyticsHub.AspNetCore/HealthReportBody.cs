using System.Text.Json;

namespace AnalyticsHub.AspNetCore;

/// <summary>The body of <c>GET /health</c>: the overall status and each check's.</summary>
public sealed record HealthReportBody
{
    /// <summary><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c> (the worst of the checks).</summary>
    public required string Status { get; init; }

    /// <summary>How long the checks took, in milliseconds.</summary>
    public required double DurationMs { get; init; }

    /// <summary>Each check by name.</summary>
    public required IReadOnlyList<HealthCheckBody> Checks { get; init; }
}

/// <summary>One health check's result.</summary>
public sealed record HealthCheckBody
{
    /// <summary>The check's registered name, e.g. <c>analyticshub</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Why, in words.</summary>
    public string? Description { get; init; }

    /// <summary>The figures the check judged (for the hub: <c>queue_depth</c>, <c>queue_capacity</c>, ...).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Data { get; init; }
}
