using System.Text.Json.Serialization;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Policies;

/// <summary>The System.Text.Json source-generated context of <see cref="PolicyDefinition"/> (wire format 1.7).</summary>
/// <remarks>
/// The rules of the metadata context: snake_case keys, duplicate keys rejected, unknown keys ignored, enums as
/// strings, <c>null</c> refused for the defaulted <c>metadata</c> and <c>exclusions</c>, timestamps with a zone,
/// written in RFC 3339 with <c>Z</c>.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(RfcTimestampJsonConverter)])]
[JsonSerializable(typeof(PolicyDefinition))]
public sealed partial class PolicyJsonContext : JsonSerializerContext
{
    private static readonly Lazy<PolicyJsonContext> LazyWire = new(CreateWire);

    /// <summary>Gets the context to write with: the same settings as <c>Default</c>, without HTML escaping.</summary>
    public static PolicyJsonContext Wire => LazyWire.Value;

    private static PolicyJsonContext CreateWire() => new(WireJsonOptions.Relaxed(Default.Options));
}
