using System.Text.Json;
using AnalyticsHub.Events;

namespace AnalyticsHub.AspNetCore;

/// <summary>The data of <c>GET /correlations</c>: the matching incidents and what the query covered.</summary>
internal sealed record CorrelationQueryReport
{
    /// <summary>The incidents, each an <c>EventCorrelation</c> in its wire JSON, in the query's order.</summary>
    public required IReadOnlyList<JsonElement> Correlations { get; init; }

    /// <summary>Whether more incidents matched than one answer holds.</summary>
    public required bool Truncated { get; init; }

    /// <summary>The event-time range searched; absent when nothing was (an empty store, an unknown seed).</summary>
    public TimeRange? Window { get; init; }
}
