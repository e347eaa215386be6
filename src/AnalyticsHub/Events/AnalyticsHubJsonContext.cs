using System.Text.Json.Serialization;

namespace AnalyticsHub.Events;

/// <summary>
/// The System.Text.Json source-generated context of the wire types (no reflection at run time).
/// Events go through the library's own converter, so this context and <see cref="AnalyticsEventJson"/>
/// read and write the same shape.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AnalyticsEvent))]
[JsonSerializable(typeof(IReadOnlyList<AnalyticsEvent>))]
[JsonSerializable(typeof(EventProblem))]
[JsonSerializable(typeof(IReadOnlyList<EventProblem>))]
public sealed partial class AnalyticsHubJsonContext : JsonSerializerContext;
