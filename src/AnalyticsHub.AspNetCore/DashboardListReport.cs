using System.Text.Json;

namespace AnalyticsHub.AspNetCore;

/// <summary>The data of <c>GET /dashboards</c>: one page of saved dashboards in id order.</summary>
internal sealed record DashboardListReport
{
    /// <summary>The dashboards of this page, each a <c>DashboardConfig</c> (wire format 1.7).</summary>
    public required IReadOnlyList<JsonElement> Dashboards { get; init; }

    /// <summary>The number of saved dashboards, paging aside (deleted ones not counted).</summary>
    public required long TotalCount { get; init; }

    /// <summary>The cursor of the next page; null on the last one.</summary>
    public string? NextCursor { get; init; }
}
