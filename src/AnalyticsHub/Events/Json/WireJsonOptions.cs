using System.Text.Encodings.Web;
using System.Text.Json;

namespace AnalyticsHub.Events.Json;

/// <summary>The options of a source-generated context's <c>Wire</c> instance, made from its <c>Default</c> options.</summary>
internal static class WireJsonOptions
{
    /// <summary>
    /// A copy of <paramref name="defaults"/> (naming, strictness, converters) that writes without HTML escaping of
    /// &lt;, &gt;, &amp;, ' and non-ASCII letters, as the producers write (decision 6), and is not yet bound to a
    /// context, so the caller's context constructor can take it.
    /// </summary>
    public static JsonSerializerOptions Relaxed(JsonSerializerOptions defaults) => new(defaults)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = null,
    };
}
