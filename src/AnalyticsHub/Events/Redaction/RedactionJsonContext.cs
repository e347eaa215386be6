using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Events.Redaction;

/// <summary>Source-generated serialization of the JSON tree that redaction rewrites.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class RedactionJsonContext : JsonSerializerContext;
