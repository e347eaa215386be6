using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AnalyticsHub.Api;
using AnalyticsHub.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AnalyticsHub.AspNetCore;

/// <summary>Writes the wire format's envelopes as HTTP results: the status code is the error's, or the one given.</summary>
internal static class ApiResults
{
    public static IResult Success<T>(T data, JsonTypeInfo<ApiResponse<T>> typeInfo, TimeProvider clock, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(ApiResponse.Success(data, clock), typeInfo, statusCode: statusCode);

    /// <summary>A success envelope around data of this package's own types (the envelope's JSON is the core's).</summary>
    public static IResult Success<T>(T data, JsonTypeInfo<T> dataTypeInfo, TimeProvider clock) =>
        TypedResults.Json(ApiResponse.Success(JsonSerializer.SerializeToElement(data, dataTypeInfo), clock), ApiJsonContext.Canonical.ApiResponseJsonElement);

    public static IResult Error(ApiError error, TimeProvider clock) =>
        TypedResults.Json(ApiResponse.Error<NoContent>(error, clock), ApiJsonContext.Canonical.ApiResponseNoContent, statusCode: error.StatusCode);

    /// <summary>A <c>validation_error</c> (or <c>invalid_cursor</c>) from problems; paths are the fields' or parameters'.</summary>
    public static IResult Problems(IReadOnlyList<Problem> problems, TimeProvider clock) => Error(ApiError.FromProblems(problems, timeProvider: clock), clock);

    /// <summary>One problem as a <c>validation_error</c>.</summary>
    public static IResult Problem(string code, string path, string message, TimeProvider clock) =>
        Problems([new Problem(code, ProblemSeverity.Error, path, message)], clock);

    /// <summary>Sets <c>Retry-After</c> in whole seconds (at least 1) for a 429 or 503.</summary>
    public static void SetRetryAfter(HttpContext context, TimeSpan retryAfter) =>
        context.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>A <c>service_unavailable</c> with <c>Retry-After</c>.</summary>
    public static IResult Unavailable(HttpContext context, string message, TimeSpan retryAfter, TimeProvider clock)
    {
        SetRetryAfter(context, retryAfter);
        return Error(ApiError.ServiceUnavailable(message, clock), clock);
    }

    /// <summary>The request's query string as name/value pairs, a repeated name once per value.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> QueryParameters(HttpRequest request)
    {
        foreach (var (name, values) in request.Query)
        {
            foreach (var value in values)
            {
                yield return new(name, value);
            }
        }
    }
}
