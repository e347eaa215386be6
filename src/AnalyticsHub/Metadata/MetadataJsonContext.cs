using System.Text.Json.Serialization;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Metrics.Json;
using AnalyticsHub.Storage;

namespace AnalyticsHub.Metadata;

/// <summary>The System.Text.Json source-generated context of the metadata wire types (wire format 1.7).</summary>
/// <remarks>
/// snake_case keys; required keys are the non-optional fields of 1.7, optional ones read as absent when missing and
/// are written as <c>null</c> (except <c>axes</c> and <c>effective_from</c>, left out); the defaulted maps and lists
/// refuse <c>null</c>. Duplicate keys are rejected, unknown keys ignored, numbers must be finite, unsigned fields
/// refuse negatives and fractions, timestamps need a zone and are written in RFC 3339 with <c>Z</c>, and the
/// <c>metadata_type</c> tag may come anywhere in its object. Also reads the JSON of an <see cref="EventQuery"/>, which
/// widget data sources and saved queries hold.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    AllowDuplicateProperties = false,
    AllowOutOfOrderMetadataProperties = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(RfcTimestampJsonConverter), typeof(FiniteDoubleJsonConverter), typeof(SourceModuleJsonConverter), typeof(SnakeCaseEnumConverter<EventType>), typeof(SnakeCaseEnumConverter<Severity>), typeof(SnakeCaseEnumConverter<PayloadType>)])]
[JsonSerializable(typeof(AssetMetadata))]
[JsonSerializable(typeof(DashboardConfig))]
[JsonSerializable(typeof(UserPreferences))]
[JsonSerializable(typeof(EventQuery))]
public sealed partial class MetadataJsonContext : JsonSerializerContext
{
    private static readonly Lazy<MetadataJsonContext> LazyWire = new(CreateWire);

    /// <summary>
    /// Gets the context to write with: the same settings as <c>Default</c>, without HTML escaping of &lt;, &gt;, &amp;,
    /// ' and non-ASCII letters, as the producers write.
    /// </summary>
    public static MetadataJsonContext Wire => LazyWire.Value;

    private static MetadataJsonContext CreateWire() => new(WireJsonOptions.Relaxed(Default.Options));
}
