using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Api;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// Incident reads: <c>GET /correlations</c> (a <see cref="CorrelationQuery"/> as query string), <c>/correlations/graph</c>
/// (the same query's answer as one event graph), <c>/correlations/{id}</c> and <c>/correlations/{id}/graph</c>.
/// </summary>
internal static class CorrelationEndpoints
{
    public static void Map(RouteGroupBuilder read)
    {
        read.MapGet("/correlations", QueryAsync)
            .WithOperationId("QueryCorrelations")
            .WithSummary("The incidents the correlation stage found: the last time_window_minutes (60 by default) above min_strength (0.7), or those linked to seed_event_id up to max_depth; filtered by correlation_types and include_modules.")
            .Produces<ApiResponse<CorrelationQueryReport>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest);
        read.MapGet("/correlations/graph", QueryGraphAsync)
            .WithOperationId("QueryCorrelationGraph")
            .WithSummary("The event graph over the incidents of a correlation query (the parameters of /correlations): their graphs merged, shared events once; with seed_event_id only the events within max_depth edges of the seed, each with its depth.")
            .Produces<ApiResponse<EventGraph>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest);
        read.MapGet("/correlations/{id}", GetAsync)
            .WithOperationId("GetCorrelation")
            .WithSummary("The latest state of one incident by its correlation_id.")
            .Produces<ApiResponse<EventCorrelation>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status404NotFound);
        read.MapGet("/correlations/{id}/graph", GraphAsync)
            .WithOperationId("GetCorrelationGraph")
            .WithSummary("The event graph of one incident: a node per member, an edge per causal link, with its metadata (node and edge counts, connected components, average degree, density).")
            .Produces<ApiResponse<EventGraph>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> QueryAsync(HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        var (_, result, error) = await RunQueryAsync(context, hub, clock).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var report = new CorrelationQueryReport
        {
            Correlations = [.. result!.Correlations!.Select(c => JsonSerializer.SerializeToElement(c, CorrelationJsonContext.Wire.EventCorrelation))],
            Truncated = result.Truncated,
            Window = result.Window,
        };
        return ApiResults.Success(report, HttpApiJsonContext.Canonical.CorrelationQueryReport, clock);
    }

    private static async Task<IResult> QueryGraphAsync(HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        var (query, result, error) = await RunQueryAsync(context, hub, clock).ConfigureAwait(false);
        return error ?? ApiResults.Success(EventGraph.Of(result!, query!), CorrelationJsonContext.Wire.EventGraph, clock);
    }

    /// <summary>The <see cref="CorrelationQuery"/> of the query string and its answer, or the error to answer (a bad parameter, a refused query).</summary>
    private static async Task<(CorrelationQuery? Query, CorrelationQueryResult? Result, IResult? Error)> RunQueryAsync(HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        var problems = CorrelationQueryString.TryParse(ApiResults.QueryParameters(context.Request), out var query);
        if (problems.Count > 0)
        {
            return (null, null, ApiResults.Problems(problems, clock));
        }

        var result = await hub.QueryCorrelationsAsync(query!, context.RequestAborted).ConfigureAwait(false);
        return result.IsSuccess ? (query, result, null) : (null, null, ApiResults.Problems(result.Problems, clock));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        var (correlation, error) = await FindAsync(id, context, hub, clock).ConfigureAwait(false);
        return error ?? ApiResults.Success(correlation!, CorrelationJsonContext.Wire.EventCorrelation, clock);
    }

    private static async Task<IResult> GraphAsync(string id, HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        var (correlation, error) = await FindAsync(id, context, hub, clock).ConfigureAwait(false);
        return error ?? ApiResults.Success(EventGraph.Of(correlation!), CorrelationJsonContext.Wire.EventGraph, clock);
    }

    /// <summary>The incident named by the route, or the error to answer (a malformed id, or none stored).</summary>
    private static async Task<(EventCorrelation? Correlation, IResult? Error)> FindAsync(string id, HttpContext context, IAnalyticsHub hub, TimeProvider clock)
    {
        if (!Guid.TryParse(id, CultureInfo.InvariantCulture, out var correlationId))
        {
            return (null, ApiResults.Problem(ProblemCodes.InvalidUuid, "id", "The correlation id must be a UUID.", clock));
        }

        var correlation = await hub.GetCorrelationAsync(correlationId, context.RequestAborted).ConfigureAwait(false);
        return correlation is null
            ? (null, ApiResults.Error(ApiError.NotFound($"No incident has the correlation id {correlationId:D} (never found, or evicted from the correlation store).", clock), clock))
            : (correlation, null);
    }
}
