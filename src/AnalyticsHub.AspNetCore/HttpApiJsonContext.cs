using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnalyticsHub.Cost;
using AnalyticsHub.Events.Json;
using AnalyticsHub.TimeSeries;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// The source-generated JSON of the data of the HTTP API's own responses, in the wire format's conventions (snake_case,
/// RFC 3339 timestamps, no HTML escaping). The envelopes around them are the core's (<c>ApiJsonContext</c>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    Converters = [typeof(RfcTimestampJsonConverter), typeof(BudgetPeriodJsonConverter)])]
[JsonSerializable(typeof(HubStatusReport))]
[JsonSerializable(typeof(IReadOnlyList<BudgetState>))]
[JsonSerializable(typeof(EventRateReport))]
[JsonSerializable(typeof(CorrelationQueryReport))]
[JsonSerializable(typeof(DashboardListReport))]
[JsonSerializable(typeof(HealthReportBody))]
[JsonSerializable(typeof(RetentionResult))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class HttpApiJsonContext : JsonSerializerContext
{
    /// <summary>The context to write with: only what JSON requires is escaped (decision 6).</summary>
    public static HttpApiJsonContext Canonical { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowDuplicateProperties = false,
        Converters = { new RfcTimestampJsonConverter(), new BudgetPeriodJsonConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Budget periods by their snake_case names (<c>day</c>, <c>week</c>, <c>month</c>, ...).</summary>
    internal sealed class BudgetPeriodJsonConverter() : JsonStringEnumConverter<BudgetPeriod>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);
}
