using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AnalyticsHub.AspNetCore;

/// <summary><c>GET /openapi.json</c>: the OpenAPI 3.1 document of the API as mapped (see <see cref="OpenApiDocumentBuilder"/>).</summary>
internal static class OpenApiEndpoint
{
    public static void Map(RouteGroupBuilder all, AnalyticsHubApiMetadata api) =>
        all.MapGet("/openapi.json", (HttpContext context) =>
            Results.Bytes(api.Document(context.RequestServices.GetRequiredService<EndpointDataSource>()), "application/json; charset=utf-8"))
            .WithOperationId("OpenApiDocument")
            .ExcludeFromDescription();
}
