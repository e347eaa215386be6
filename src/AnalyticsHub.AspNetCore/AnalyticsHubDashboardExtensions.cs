using AnalyticsHub.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the analytics hub's dashboard page.</summary>
public static class AnalyticsHubDashboardExtensions
{
    /// <summary>
    /// Serves the dashboard, a single page that reads the hub's HTTP API, under <paramref name="prefix"/>: the page at
    /// <c>GET {prefix}</c> and its script and style sheet at <c>GET {prefix}/assets/{name}</c>, embedded in this package.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="prefix">The route prefix, e.g. <c>/hub</c>.</param>
    /// <param name="configure">Sets <see cref="AnalyticsHubDashboardOptions.ApiBasePath"/> (the prefix given to <c>MapAnalyticsHub</c>) and the title.</param>
    /// <returns>The dashboard's route group, for the host to secure like the API's <c>Read</c> group.</returns>
    /// <remarks>
    /// The page makes no request outside the host (no fonts, scripts or images from elsewhere) and is served with a
    /// strict Content-Security-Policy; it needs the API's read endpoints, so a host that secures those secures the
    /// dashboard's group with the same policy. Nothing is secured by default.
    /// </remarks>
    /// <exception cref="ArgumentException">The prefix or the API base path is not a route path (or an absolute http(s) URL for the API).</exception>
    public static RouteGroupBuilder MapAnalyticsHubDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/hub", Action<AnalyticsHubDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var options = new AnalyticsHubDashboardOptions();
        configure?.Invoke(options);
        var page = DashboardPage.Create(prefix, options);
        var group = endpoints.MapGroup(page.Prefix);
        group.MapGet("/", page.Index).ExcludeFromDescription();
        group.MapGet("/assets/{name}", page.Asset).ExcludeFromDescription();
        return group;
    }
}
