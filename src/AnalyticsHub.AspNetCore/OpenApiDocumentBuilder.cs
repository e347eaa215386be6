using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AnalyticsHub.Api;
using AnalyticsHub.Correlation;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;
using AnalyticsHub.Metadata;
using AnalyticsHub.Metrics;
using AnalyticsHub.TimeSeries;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.WebUtilities;

namespace AnalyticsHub.AspNetCore;

/// <summary>
/// Writes the OpenAPI 3.1 document of the endpoints one <c>MapAnalyticsHub</c> call mapped: paths, operations and
/// parameters from the endpoints' own metadata (so the document is the routes as mapped, the host's conventions
/// included), event schemas from the payload catalog (<see cref="EventJsonSchema"/>), and the other bodies' schemas
/// exported from the source-generated JSON contexts the API reads and writes them with.
/// </summary>
/// <remarks>
/// Microsoft.AspNetCore.OpenApi would infer every schema from the host's <c>JsonOptions</c>, while the hub writes with
/// its own contexts (snake_case names, RFC 3339 timestamps, hand-written event converters): each schema would need a
/// transformer, and the package adds Microsoft.OpenApi to every host. Writing the document from the same metadata is
/// smaller and gives the names the API really uses.
/// </remarks>
internal static class OpenApiDocumentBuilder
{
    private const string SchemaPrefix = "#/components/schemas/";
    private const string ErrorSchemaName = "ApiErrorResponse";

    /// <summary>The contexts the API reads and writes its bodies with, searched in order for a body's type.</summary>
    private static readonly JsonSerializerContext[] Contexts =
    [
        ApiJsonContext.Canonical, HttpApiJsonContext.Canonical, TimeSeriesJsonContext.Default, MetricsJsonContext.Default,
        CorrelationJsonContext.Wire, MetadataJsonContext.Wire,
    ];

    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Transform,
    };

    /// <summary>Builds the document of the endpoints marked with <paramref name="api"/>.</summary>
    public static JsonObject Build(AnalyticsHubApiMetadata api, IEnumerable<Endpoint> endpoints)
    {
        var paths = new JsonObject();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>().OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal))
        {
            var metadata = endpoint.Metadata;
            if (!ReferenceEquals(metadata.GetMetadata<AnalyticsHubApiMetadata>(), api)
                || metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            {
                continue;
            }

            var path = PathOf(endpoint.RoutePattern);
            var item = paths[path] as JsonObject ?? new JsonObject();
            paths[path] = item;
            foreach (var method in metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                item[method.ToLowerInvariant()] = Operation(endpoint);
            }
        }

        var schemas = new JsonObject();
        foreach (var (name, schema) in EventJsonSchema.Build(SchemaPrefix).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            schemas[name] = schema;
        }

        schemas[ErrorSchemaName] = Export(typeof(ApiResponse<NoContent>));
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "AnalyticsHub HTTP API",
                ["version"] = typeof(OpenApiDocumentBuilder).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
                ["description"] = "Event ingest, event, time-series and metric queries, live streams, statistics, budgets and health. "
                    + "Every response is an ApiResponse envelope; errors carry an ApiError with a code and the JSON path of each problem.",
            },
            ["jsonSchemaDialect"] = "https://spec.openapis.org/oas/3.1/dialect/base",
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string PathOf(RoutePattern pattern)
    {
        var path = new System.Text.StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
                    RoutePatternSeparatorPart separator => separator.Content,
                    _ => throw new InvalidOperationException($"Route part {part.GetType().Name} has no OpenAPI form."),
                });
            }
        }

        return path.Length == 0 ? "/" : path.ToString();
    }

    private static JsonObject Operation(RouteEndpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        var operation = new JsonObject();
        if (metadata.GetMetadata<AnalyticsHubOperation>() is { } name)
        {
            operation["operationId"] = name.OperationId;
        }

        if (metadata.GetMetadata<IEndpointSummaryMetadata>() is { } summary)
        {
            operation["summary"] = summary.Summary;
        }

        if (metadata.GetMetadata<IEndpointDescriptionMetadata>() is { } description)
        {
            operation["description"] = description.Description;
        }

        var tags = metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).Distinct(StringComparer.Ordinal).ToArray();
        if (tags.Length > 0)
        {
            operation["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)t)]);
        }

        var parameters = new JsonArray();
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            parameters.Add((JsonNode)new JsonObject { ["name"] = parameter.Name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var query in metadata.GetOrderedMetadata<QueryParameterMetadata>())
        {
            parameters.Add((JsonNode)new JsonObject { ["name"] = query.Name, ["in"] = "query", ["description"] = query.Description, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: { } requestType } accepts)
        {
            var content = new JsonObject();
            foreach (var contentType in accepts.ContentTypes)
            {
                content[contentType] = new JsonObject { ["schema"] = RequestSchema(requestType, contentType) };
            }

            operation["requestBody"] = new JsonObject { ["required"] = !accepts.IsOptional, ["content"] = content };
        }

        var responses = new JsonObject();
        foreach (var produces in metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>())
        {
            var response = new JsonObject { ["description"] = ResponseDescription(produces.StatusCode) };
            if (produces.Type is { } type && type != typeof(void))
            {
                var content = new JsonObject();
                foreach (var contentType in produces.ContentTypes.DefaultIfEmpty("application/json"))
                {
                    content[contentType] = new JsonObject { ["schema"] = ResponseSchema(type) };
                }

                response["content"] = content;
            }

            responses[produces.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }

        if (responses.Count == 0)
        {
            throw new InvalidOperationException($"The endpoint {endpoint.RoutePattern.RawText} declares no response (Produces).");
        }

        operation["responses"] = responses;
        return operation;
    }

    /// <summary>
    /// An ingest body is one event or an array of them as JSON, one event per line as NDJSON; a metrics body likewise
    /// with metrics.
    /// </summary>
    private static JsonObject RequestSchema(Type type, string contentType)
    {
        JsonObject single;
        string noun;
        if (type == typeof(AnalyticsEvent))
        {
            single = new JsonObject { ["$ref"] = SchemaPrefix + EventJsonSchema.EventSchemaName };
            noun = "event";
        }
        else if (type == typeof(Metric))
        {
            single = Export(type);
            noun = "metric";
        }
        else
        {
            return Export(type);
        }

        if (contentType == "application/x-ndjson")
        {
            single["description"] = $"Each line of the body is one {noun}.";
            return single;
        }

        return new JsonObject { ["anyOf"] = new JsonArray(single, new JsonObject { ["type"] = "array", ["items"] = single.DeepClone() }) };
    }

    private static JsonObject ResponseSchema(Type type) =>
        type == typeof(ApiResponse<NoContent>) ? new JsonObject { ["$ref"] = SchemaPrefix + ErrorSchemaName } : Export(type);

    /// <summary>
    /// The schema of a body type from the context that writes it; an <c>ApiResponse&lt;T&gt;</c> whose whole type no context
    /// holds is the envelope (written around a <see cref="JsonElement"/>) with <c>data</c> in T's schema.
    /// </summary>
    private static JsonObject Export(Type type)
    {
        if (TypeInfo(type) is { } info)
        {
            return AsObject(JsonSchemaExporter.GetJsonSchemaAsNode(info, ExporterOptions));
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ApiResponse<>))
        {
            var envelope = Export(typeof(ApiResponse<JsonElement>));
            envelope["properties"]!["data"] = Export(type.GetGenericArguments()[0]);
            return envelope;
        }

        throw new InvalidOperationException($"No JSON context of the HTTP API holds {type}: add it to HttpApiJsonContext.");
    }

    private static JsonTypeInfo? TypeInfo(Type type)
    {
        foreach (var context in Contexts)
        {
            if (context.GetTypeInfo(type) is { } info)
            {
                return info;
            }
        }

        return null;
    }

    private static JsonObject AsObject(JsonNode node) => node as JsonObject ?? new JsonObject();

    /// <summary>Types written by hand-written converters get their wire schema; events point to the catalog's.</summary>
    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema)
    {
        var type = context.TypeInfo.Type;
        if (type == typeof(AnalyticsEvent))
        {
            return new JsonObject { ["$ref"] = SchemaPrefix + EventJsonSchema.EventSchemaName };
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
        {
            return new JsonObject { ["type"] = type == typeof(DateTimeOffset) ? "string" : new JsonArray("string", "null"), ["format"] = "date-time" };
        }

        return schema;
    }

    private static string ResponseDescription(int status) => status switch
    {
        StatusCodes.Status101SwitchingProtocols => "The connection switches to the WebSocket protocol.",
        StatusCodes.Status200OK => "Success.",
        StatusCodes.Status202Accepted => "Accepted: every item was queued.",
        StatusCodes.Status400BadRequest => "The request is invalid: the error lists each problem with its code and path.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status413PayloadTooLarge => "The body is larger than the configured limit.",
        StatusCodes.Status429TooManyRequests => "The ingestion queue is full: retry after the Retry-After delay.",
        StatusCodes.Status503ServiceUnavailable => "The hub cannot take the request now (stopped, unhealthy, or too many subscribers).",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };
}
