using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Metrics.Json;

namespace AnalyticsHub.Anomalies;

/// <summary>The System.Text.Json source-generated context of the anomaly wire types (spec 1.6 <c>AnomalyEvent</c>).</summary>
/// <remarks>
/// snake_case keys; every key is required, duplicate keys are rejected, unknown keys are ignored, numbers must be
/// finite, timestamps need a zone and are written in RFC 3339 with <c>Z</c>.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(RfcTimestampJsonConverter), typeof(FiniteDoubleJsonConverter)])]
[JsonSerializable(typeof(AnomalyEvent))]
[JsonSerializable(typeof(AnomalyType))]
public sealed partial class AnomaliesJsonContext : JsonSerializerContext
{
    private static readonly Lazy<AnomaliesJsonContext> LazyWire = new(CreateWire);

    /// <summary>
    /// Gets the context to write with: the same settings as <c>Default</c>, without HTML escaping of
    /// &lt;, &gt;, &amp;, ' and non-ASCII letters, as the producers write (decision 6).
    /// </summary>
    public static AnomaliesJsonContext Wire => LazyWire.Value;

    private static AnomaliesJsonContext CreateWire() => new(WireJsonOptions.Relaxed(Default.Options));
}
