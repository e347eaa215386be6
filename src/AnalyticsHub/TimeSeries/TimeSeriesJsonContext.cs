using System.Text.Json;
using System.Text.Json.Serialization;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The System.Text.Json source-generated context of the time-series wire types (spec 1.5, decisions 9 and 11):
/// snake_case names, duplicate keys rejected, RFC 3339 timestamps, optional values left out when absent.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    Converters = [typeof(RfcTimestampJsonConverter)])]
[JsonSerializable(typeof(TimeSeriesPoint))]
[JsonSerializable(typeof(IReadOnlyList<TimeSeriesPoint>))]
[JsonSerializable(typeof(TimeSeriesBatch))]
[JsonSerializable(typeof(TimeSeriesQuery))]
[JsonSerializable(typeof(TimeSeriesResult))]
[JsonSerializable(typeof(TimeSeriesQueryOutcome))]
[JsonSerializable(typeof(TimeSeriesWriteResult))]
[JsonSerializable(typeof(RetentionPolicy))]
[JsonSerializable(typeof(IndexConfig))]
[JsonSerializable(typeof(ContinuousQuery))]
[JsonSerializable(typeof(TimeRange))]
[JsonSerializable(typeof(TagSet))]
[JsonSerializable(typeof(FieldSet))]
[JsonSerializable(typeof(FieldValue))]
[JsonSerializable(typeof(AggregationFunction))]
[JsonSerializable(typeof(FillStrategy))]
public sealed partial class TimeSeriesJsonContext : JsonSerializerContext
{
    private static readonly Lazy<TimeSeriesJsonContext> LazyWire = new(() => new TimeSeriesJsonContext(
        new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            AllowDuplicateProperties = false,
            Converters = { new RfcTimestampJsonConverter() },
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));

    /// <summary>The context to write with: like <c>Default</c>, without HTML escaping (decision 6).</summary>
    public static TimeSeriesJsonContext Wire => LazyWire.Value;
}
