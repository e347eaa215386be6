using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// Saved dashboards (the metadata registry's <see cref="DashboardConfig"/>): <c>GET /dashboards</c> (a page in id order)
/// and <c>GET /dashboards/{id}</c>. Reads only: dashboards are written through <see cref="MetadataRegistry"/>.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly string[] Parameters = ["limit", "cursor"];

    public static void Map(RouteGroupBuilder read)
    {
        read.MapGet("/dashboards", ListAsync)
            .WithOperationId("ListDashboards")
            .WithSummary("The saved dashboards (DashboardConfig), in id order: limit per page (1..1000, 50 by default) and the cursor of the previous page; deleted ones are left out.")
            .WithMetadata(
                new QueryParameterMetadata("limit", "Dashboards per page, 1 to 1000 (50 by default)."),
                new QueryParameterMetadata("cursor", "The next_cursor of the previous page."))
            .Produces<ApiResponse<DashboardListReport>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest);
        read.MapGet("/dashboards/{id}", GetAsync)
            .WithOperationId("GetDashboard")
            .WithSummary("One saved dashboard by its dashboard_id, with its store revision as ETag; 404 when unknown or deleted.")
            .Produces<ApiResponse<DashboardConfig>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext context, MetadataRegistry registry, TimeProvider clock)
    {
        var problems = new List<Problem>();
        int limit = 50;
        string? cursor = null;
        foreach (var (name, value) in ApiResults.QueryParameters(context.Request))
        {
            switch (name)
            {
                case "limit" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                    limit = parsed;
                    break;
                case "limit":
                    problems.Add(new(ProblemCodes.NotAnInteger, ProblemSeverity.Error, "limit", "limit must be a whole number."));
                    break;
                case "cursor":
                    cursor = value;
                    break;
                default:
                    problems.Add(new(ProblemCodes.UnknownField, ProblemSeverity.Error, name, $"Unknown parameter {name}; known: {string.Join(", ", Parameters)}."));
                    break;
            }
        }

        if (problems.Count > 0)
        {
            return ApiResults.Problems(problems, clock);
        }

        var page = await registry.Dashboards.ListAsync(null, limit, cursor, includeDeleted: false, context.RequestAborted).ConfigureAwait(false);
        if (page.Problems.Count > 0)
        {
            return ApiResults.Problems(page.Problems, clock);
        }

        var report = new DashboardListReport
        {
            Dashboards = [.. page.Items.Select(e => JsonSerializer.SerializeToElement(e.Item, MetadataJsonContext.Wire.DashboardConfig))],
            TotalCount = page.TotalCount,
            NextCursor = page.NextCursor,
        };
        return ApiResults.Success(report, HttpApiJsonContext.Canonical.DashboardListReport, clock);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, MetadataRegistry registry, TimeProvider clock)
    {
        var entry = await registry.Dashboards.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (entry is null || entry.IsDeleted)
        {
            return ApiResults.Error(ApiError.NotFound($"No dashboard has the id '{id}'{(entry is null ? string.Empty : " (it was deleted)")}.", clock), clock);
        }

        context.Response.Headers[HeaderNames.ETag] = "\"" + entry.Revision.ToString(CultureInfo.InvariantCulture) + "\"";
        return ApiResults.Success(entry.Item, MetadataJsonContext.Wire.DashboardConfig, clock);
    }
}
