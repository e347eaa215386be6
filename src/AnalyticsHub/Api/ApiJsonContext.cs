using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Api;

/// <summary>
/// The System.Text.Json source-generated context of the API envelopes (spec 1.8): snake_case names,
/// duplicate keys refused, RFC 3339 timestamps, optional members left out when null unless the spec writes null.
/// </summary>
/// <remarks>
/// Events inside envelopes go through the event model's own converter, so they have the one wire shape.
/// Use <see cref="Canonical"/> to write as the producers do (no HTML escaping, decision 6);
/// <see cref="JsonSerializerContext"/>'s default instance escapes HTML-sensitive characters.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    Converters = [typeof(RfcTimestampJsonConverter)])]
[JsonSerializable(typeof(ApiResponse<AnalyticsEvent>))]
[JsonSerializable(typeof(ApiResponse<IReadOnlyList<AnalyticsEvent>>))]
[JsonSerializable(typeof(ApiResponse<NoContent>))]
[JsonSerializable(typeof(ApiResponse<ulong>))]
[JsonSerializable(typeof(PaginatedResponse<AnalyticsEvent>))]
[JsonSerializable(typeof(StreamEvent<AnalyticsEvent>))]
[JsonSerializable(typeof(BatchResponse<NoContent>))]
[JsonSerializable(typeof(BatchResponse<AnalyticsEvent>))]
[JsonSerializable(typeof(QueryResult<IReadOnlyList<AnalyticsEvent>>))]
[JsonSerializable(typeof(ApiResponse<BatchResponse<NoContent>>))]
[JsonSerializable(typeof(ApiResponse<JsonElement>))]
[JsonSerializable(typeof(ApiResponse<TimeSeriesQueryResult>))]
[JsonSerializable(typeof(ApiResponse<MetricsQueryResult>))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(PaginationParams))]
[JsonSerializable(typeof(ulong))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>The context with the producers' output escaping: only what JSON requires is escaped.</summary>
    public static ApiJsonContext Canonical { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowDuplicateProperties = false,
        Converters = { new RfcTimestampJsonConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
