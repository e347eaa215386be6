using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Metrics.Json;

namespace AnalyticsHub.Correlation;

/// <summary>The System.Text.Json source-generated context of the correlation wire types (wire format 1.6).</summary>
/// <remarks>
/// snake_case keys; required keys are the non-optional fields of 1.6, optional ones read as absent when missing;
/// duplicate keys are rejected, unknown keys ignored, numbers must be finite, timestamps need a zone and are written
/// in RFC 3339 with <c>Z</c>.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(RfcTimestampJsonConverter), typeof(FiniteDoubleJsonConverter), typeof(SourceModuleJsonConverter), typeof(SnakeCaseEnumConverter<Events.EventType>), typeof(SnakeCaseEnumConverter<Events.Severity>)])]
[JsonSerializable(typeof(EventCorrelation))]
[JsonSerializable(typeof(AnomalyCorrelation))]
[JsonSerializable(typeof(EventGraph))]
[JsonSerializable(typeof(CorrelationQuery))]
[JsonSerializable(typeof(CorrelationConfig))]
public sealed partial class CorrelationJsonContext : JsonSerializerContext
{
    private static readonly Lazy<CorrelationJsonContext> LazyWire = new(CreateWire);

    /// <summary>
    /// Gets the context to write with: the same settings as <c>Default</c>, without HTML escaping of &lt;, &gt;, &amp;,
    /// ' and non-ASCII letters, as the producers write.
    /// </summary>
    public static CorrelationJsonContext Wire => LazyWire.Value;

    private static CorrelationJsonContext CreateWire() => new(WireJsonOptions.Relaxed(Default.Options));
}
