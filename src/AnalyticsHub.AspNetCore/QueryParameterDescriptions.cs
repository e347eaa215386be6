using AnalyticsHub.Storage;
using Microsoft.AspNetCore.Builder;

namespace AnalyticsHub.AspNetCore;

/// <summary>The query-string parameters of the event endpoints, declared on them for the OpenAPI document.</summary>
internal static class QueryParameterDescriptions
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["from"] = "Events at or after this RFC 3339 time.",
        ["to"] = "Events before this RFC 3339 time.",
        ["source_module"] = "Only events of this source module (repeat for several).",
        ["event_type"] = "Only events of this type (repeat for several).",
        ["min_severity"] = "Only events of this severity or higher.",
        ["environment"] = "Only events of this environment.",
        ["tag"] = "Only events with this tag, as key:value (repeat: all must match).",
        ["correlation_id"] = "Only events with this correlation id.",
        ["payload_type"] = "Only events of this payload family.",
        ["subtype"] = "Only events of this payload variant (e.g. latency).",
        ["order"] = "asc or desc (the default) by timestamp.",
        ["page"] = "The page number, from 1 (offset paging).",
        ["per_page"] = "The page size.",
        ["cursor"] = "The next_cursor of the previous page (keyset paging).",
    };

    private static readonly string[] Paging = ["order", "page", "per_page", "cursor"];

    /// <summary>Declares the filters of <see cref="EventQueryString"/>, its paging parameters when <paramref name="paging"/>, and the endpoint's own.</summary>
    public static RouteHandlerBuilder WithEventQueryParameters(this RouteHandlerBuilder builder, bool paging, params QueryParameterMetadata[] own)
    {
        foreach (var name in EventQueryString.Parameters)
        {
            if (paging || !Paging.Contains(name))
            {
                builder.WithMetadata(new QueryParameterMetadata(name, Descriptions[name]));
            }
        }

        foreach (var parameter in own)
        {
            builder.WithMetadata(parameter);
        }

        return builder;
    }
}
