using Microsoft.AspNetCore.Routing;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// The route groups of the hub's HTTP API, for the host to secure, version and rate-limit with ASP.NET Core's own
/// features (<c>RequireAuthorization</c>, <c>RequireRateLimiting</c>, <c>WithGroupName</c>, ...).
/// </summary>
/// <remarks>
/// <see cref="All"/> holds every endpoint (and <c>GET /health</c> and <c>GET /openapi.json</c> directly); <see cref="Ingest"/>, <see cref="Read"/> and
/// <see cref="Admin"/> are groups inside it, so a convention on <see cref="All"/> applies to them too. Nothing is
/// secured by default: a host that exposes the API beyond loopback sets policies, e.g.
/// <c>groups.Ingest.RequireAuthorization("ingest")</c>.
/// </remarks>
public sealed class AnalyticsHubRouteGroups
{
    internal AnalyticsHubRouteGroups(RouteGroupBuilder all, RouteGroupBuilder ingest, RouteGroupBuilder read, RouteGroupBuilder admin)
    {
        All = all;
        Ingest = ingest;
        Read = read;
        Admin = admin;
    }

    /// <summary>Every endpoint of the API, under the prefix given to <c>MapAnalyticsHub</c>.</summary>
    public RouteGroupBuilder All { get; }

    /// <summary>What writes data: <c>POST /events</c>, <c>POST /metrics</c>.</summary>
    public RouteGroupBuilder Ingest { get; }

    /// <summary>
    /// What reads data: <c>GET /events</c>, <c>/events/{id}</c>, <c>/events/{id}/correlated</c>, <c>/events/rate</c>, <c>/correlations</c>, <c>/correlations/{id}</c>,
    /// <c>POST /timeseries/query</c>, <c>/metrics/query</c>, <c>GET /stream</c>, <c>/ws</c>, <c>/stats</c>, <c>/budgets</c>.
    /// Endpoints added later join this group.
    /// </summary>
    public RouteGroupBuilder Read { get; }

    /// <summary>What operates the hub: <c>POST /admin/retention</c> (apply the retention policy now).</summary>
    public RouteGroupBuilder Admin { get; }
}
