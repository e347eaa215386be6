using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AnalyticsHub.Api;
using AnalyticsHub.Events;
using AnalyticsHub.Hosting;
using AnalyticsHub.Metrics;
using AnalyticsHub.TimeSeries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.AspNetCore;

/// <summary><c>POST /timeseries/query</c> and <c>POST /metrics/query</c>: bodies in the query models, answers in the API's result types.</summary>
internal static class QueryEndpoints
{
    public static void Map(RouteGroupBuilder read)
    {
        read.MapPost("/timeseries/query", TimeSeriesAsync)
            .WithOperationId("QueryTimeSeries")
            .WithSummary("Runs a time-series query (raw points or aggregations per bucket and group).")
            .Accepts<TimeSeriesQuery>("application/json")
            .Produces<ApiResponse<Api.TimeSeriesQueryResult>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status413PayloadTooLarge);
        read.MapPost("/metrics/query", MetricsAsync)
            .WithOperationId("QueryMetrics")
            .WithSummary("Reads a metric's windows (statistics, counters or gauges) per group.")
            .Accepts<MetricQuery>("application/json")
            .Produces<ApiResponse<MetricsQueryResult>>()
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status400BadRequest)
            .Produces<ApiResponse<NoContent>>(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> TimeSeriesAsync(HttpContext context, IAnalyticsHub hub, IOptions<AnalyticsHubHttpOptions> options, TimeProvider clock)
    {
        var (query, error) = await ReadBodyAsync(context, TimeSeriesJsonContext.Default.TimeSeriesQuery, options.Value.MaxQueryBodySize, clock).ConfigureAwait(false);
        if (query is null)
        {
            return error!;
        }

        var outcome = await hub.QueryTimeSeriesAsync(query, context.RequestAborted).ConfigureAwait(false);
        if (!outcome.IsSuccess)
        {
            return ApiResults.Problems(outcome.Errors, clock);
        }

        return ApiResults.Success(ApiResultMapping.ToApi(query, outcome.Result), ApiJsonContext.Canonical.ApiResponseTimeSeriesQueryResult, clock);
    }

    private static async Task<IResult> MetricsAsync(HttpContext context, IAnalyticsHub hub, IOptions<AnalyticsHubHttpOptions> options, TimeProvider clock)
    {
        var (query, error) = await ReadBodyAsync(context, MetricsJsonContext.Default.MetricQuery, options.Value.MaxQueryBodySize, clock).ConfigureAwait(false);
        if (query is null)
        {
            return error!;
        }

        var result = await hub.QueryMetricsAsync(query, context.RequestAborted).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return ApiResults.Problems(result.Errors, clock);
        }

        return ApiResults.Success(ApiResultMapping.ToApi(query, result), ApiJsonContext.Canonical.ApiResponseMetricsQueryResult, clock);
    }

    /// <summary>Reads a JSON body of at most <paramref name="limit"/> bytes; a syntax or type error becomes a <c>validation_error</c> at its JSON path.</summary>
    internal static async Task<(T? Value, IResult? Error)> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, int limit, TimeProvider clock)
        where T : class
    {
        if (context.Request.ContentLength is { } length && length > limit)
        {
            return (null, ApiResults.Error(ApiError.PayloadTooLarge(Invariant($"The query has {length} bytes; at most {limit} are allowed."), clock), clock));
        }

        var body = new BodyLimitStream(context.Request.Body, limit);
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(body, typeInfo, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException exception) when (!body.Exceeded)
        {
            var path = exception.Path is { } p ? (p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : p) : "$";
            var message = exception.Message;
            var code = exception.InnerException is null && exception.LineNumber is null && exception.BytePositionInLine is null
                ? ProblemCodes.InvalidType
                : ProblemCodes.InvalidJson;
            return (null, ApiResults.Problem(code, path, message, clock));
        }
        catch (JsonException)
        {
            value = null;
        }

        if (body.Exceeded)
        {
            return (null, ApiResults.Error(ApiError.PayloadTooLarge(Invariant($"The query exceeds {limit} bytes."), clock), clock));
        }

        return value is null
            ? (null, ApiResults.Problem(ProblemCodes.NullNotAllowed, "$", "The body must be a JSON object holding the query.", clock))
            : (value, null);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
