using AnalyticsHub.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the analytics hub's HTTP API.</summary>
public static class AnalyticsHubEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the hub's HTTP API under <paramref name="prefix"/> and returns its route groups, for the host to secure,
    /// version and rate-limit (see <see cref="AnalyticsHubRouteGroups"/>).
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="prefix">The route prefix, e.g. <c>/api/v1</c>.</param>
    /// <returns>The groups: all endpoints, ingest, read and admin.</returns>
    /// <remarks>
    /// Needs <c>services.AddAnalyticsHub()</c> and <c>services.AddAnalyticsHubHttpApi()</c>; <c>GET /ws</c> needs
    /// <c>app.UseWebSockets()</c>. Nothing is secured by default. The API's OpenAPI document is
    /// served at <c>GET {prefix}/openapi.json</c>.
    /// </remarks>
    public static AnalyticsHubRouteGroups MapAnalyticsHub(this IEndpointRouteBuilder endpoints, string prefix = "/api/v1")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService(typeof(StreamSubscriberGate)) is null)
        {
            throw new InvalidOperationException("MapAnalyticsHub needs services.AddAnalyticsHubHttpApi() (and services.AddAnalyticsHub()) at registration.");
        }

        var all = endpoints.MapGroup(prefix);
        var api = new AnalyticsHubApiMetadata();
        all.WithTags("AnalyticsHub").WithMetadata(api);
        var ingest = all.MapGroup(string.Empty);
        var read = all.MapGroup(string.Empty);
        var admin = all.MapGroup(string.Empty);
        IngestEndpoints.Map(ingest);
        MetricIngestEndpoints.Map(ingest);
        EventEndpoints.Map(read);
        CorrelationEndpoints.Map(read);
        DashboardEndpoints.Map(read);
        QueryEndpoints.Map(read);
        StreamEndpoints.Map(read);
        StatusEndpoints.MapRead(read);
        StatusEndpoints.MapAdmin(admin);
        StatusEndpoints.MapHealth(all);
        OpenApiEndpoint.Map(all, api);
        return new AnalyticsHubRouteGroups(all, ingest, read, admin);
    }
}
