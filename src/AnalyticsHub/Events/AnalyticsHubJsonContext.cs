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
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(IReadOnlyList<Problem>))]
public sealed partial class AnalyticsHubJsonContext : JsonSerializerContext
{
    private static readonly Lazy<AnalyticsHubJsonContext> LazyWire = new(() => new AnalyticsHubJsonContext(
        new System.Text.Json.JsonSerializerOptions
        {
            // The same settings as the attribute above, plus the encoder an attribute cannot name.
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            AllowDuplicateProperties = false,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));

    /// <summary>
    /// The context to write with: like <see cref="JsonSerializerContext"/>'s <c>Default</c>, but without HTML
    /// escaping of &lt;, &gt;, &amp;, ' and non-ASCII letters, as the producers write (decision 6).
    /// </summary>
    public static AnalyticsHubJsonContext Wire => LazyWire.Value;
}
