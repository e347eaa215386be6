using System.Text.Json.Nodes;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// The JSON Schema (2020-12, as OpenAPI 3.1 uses it) of the canonical event, built from the tables the reader uses: the
/// event's fields (<see cref="EventJsonReader.Common"/>) and every payload variant of <see cref="PayloadCatalog"/>. The
/// events are read and written by hand-written converters, so a schema inferred from the records would be wrong.
/// </summary>
/// <remarks>
/// It describes what the writer writes (the nested payload envelope, canonical enum names) and what every producer
/// should send. The reader is more lenient than the schema in a few documented ways (the flattened <c>payload_type</c>/
/// <c>data</c> form, enum names in any case and the <c>llm-costops</c> alias, a missing <c>event_id</c> or
/// <c>schema_version</c>), and the validator adds what a schema cannot say (the token total, the configurable tag limits).
/// </remarks>
internal static class EventJsonSchema
{
    /// <summary>The name of the event's schema.</summary>
    public const string EventSchemaName = "AnalyticsEvent";

    /// <summary>The name of the payload envelope's schema.</summary>
    public const string PayloadSchemaName = "EventPayload";

    /// <summary>
    /// The schemas of the event, its payload envelope, every payload variant and their nested objects, by name; their
    /// references to each other are <paramref name="referencePrefix"/> + name (<c>#/components/schemas/</c>).
    /// </summary>
    public static Dictionary<string, JsonObject> Build(string referencePrefix)
    {
        var schemas = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var builder = new Builder(referencePrefix, schemas);
        schemas[EventSchemaName] = builder.Event();
        var branches = new JsonArray();
        foreach (var variant in PayloadCatalog.Variants)
        {
            var name = builder.Object(variant.Schema, variant.Variant);
            branches.Add((JsonNode)new JsonObject
            {
                ["title"] = $"{variant.FamilyName}/{variant.Variant}",
                ["type"] = "object",
                ["required"] = new JsonArray("payload_type", "data"),
                ["properties"] = new JsonObject
                {
                    ["payload_type"] = new JsonObject { ["const"] = variant.FamilyName },
                    ["data"] = builder.Reference(name),
                },
            });
        }

        schemas[PayloadSchemaName] = new JsonObject
        {
            ["description"] = "The payload envelope: the family in payload_type, the variant's fields in data (its variant tag first).",
            ["oneOf"] = branches,
        };
        return schemas;
    }

    private sealed class Builder(string referencePrefix, Dictionary<string, JsonObject> schemas)
    {
        public JsonObject Reference(string name) => new() { ["$ref"] = referencePrefix + name };

        public JsonObject Event()
        {
            var properties = new JsonObject();
            var required = new JsonArray();
            foreach (var field in EventJsonReader.Common.Fields)
            {
                switch (field.Kind)
                {
                    // The flattened form's keys: the schema describes the nested envelope the writer writes.
                    case FieldKind.Deferred:
                        continue;
                    case FieldKind.Inline:
                        properties[field.Name] = Reference(PayloadSchemaName);
                        required.Add((JsonNode)field.Name);
                        continue;
                    case FieldKind.DefaultedString:
                        // schema_version: any 1.minor.patch (SchemaVersion.IsSupported); absent reads as the current version.
                        properties[field.Name] = new JsonObject { ["type"] = "string", ["pattern"] = "^1\\.[0-9]{1,9}\\.[0-9]{1,9}$" };
                        continue;
                    case FieldKind.Uuid:
                        // event_id: a missing one gets a fresh UUID (spec decision 4), so it is not required.
                        properties[field.Name] = new JsonObject { ["type"] = "string", ["format"] = "uuid" };
                        continue;
                    default:
                        properties[field.Name] = Value(field, null);
                        if (field.IsRequired)
                        {
                            required.Add((JsonNode)field.Name);
                        }

                        continue;
                }
            }

            return new JsonObject
            {
                ["description"] = "One analytics event in the wire format: the common fields and the payload envelope.",
                ["type"] = "object",
                ["required"] = required,
                ["properties"] = properties,
            };
        }

        /// <summary>Adds the schema of an object (a payload variant or a nested object) and returns its name.</summary>
        public string Object(ObjectSchema schema, string? variant)
        {
            var name = schema.ClrType.Name;
            if (schemas.ContainsKey(name))
            {
                return name;
            }

            var properties = new JsonObject();
            var required = new JsonArray();
            schemas[name] = new JsonObject { ["type"] = "object", ["required"] = required, ["properties"] = properties };
            foreach (var field in schema.Fields)
            {
                properties[field.Name] = Value(field, variant);
                if (field.IsRequired || field.Kind == FieldKind.VariantTag)
                {
                    required.Add((JsonNode)field.Name);
                }
            }

            return name;
        }

        private JsonObject Value(FieldSpec field, string? variant)
        {
            var schema = field.Kind switch
            {
                FieldKind.String => new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                FieldKind.OptionalString => new JsonObject { ["type"] = Types("string", "null") },
                FieldKind.DefaultedString => new JsonObject { ["type"] = "string" },
                FieldKind.Double => Number(field, "number"),
                FieldKind.OptionalDouble => Number(field, "number", "null"),
                FieldKind.UInt32 => Integer(uint.MaxValue, "integer"),
                FieldKind.OptionalUInt32 => Integer(uint.MaxValue, "integer", "null"),
                FieldKind.UInt64 => Integer(ulong.MaxValue, "integer"),
                FieldKind.Boolean => new JsonObject { ["type"] = "boolean" },
                FieldKind.StringList => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                FieldKind.StringMap => Map(new JsonObject { ["type"] = "string" }),
                FieldKind.UInt64Map => Map(Integer(ulong.MaxValue, "integer")),
                FieldKind.DoubleMap => Map(new JsonObject { ["type"] = "number" }),
                FieldKind.JsonMap => new JsonObject { ["type"] = "object" },
                FieldKind.Json => new JsonObject { ["description"] = "Any JSON value, null included." },
                FieldKind.Enum => Enum(field.EnumTable!),
                FieldKind.OpenEnum => OpenEnum(field.EnumTable!),
                FieldKind.VariantTag => new JsonObject { ["const"] = variant },
                FieldKind.OptionalObject => new JsonObject { ["anyOf"] = new JsonArray(Reference(Object(field.Nested!, null)), new JsonObject { ["type"] = "null" }) },
                FieldKind.ObjectList => new JsonObject { ["type"] = "array", ["items"] = Reference(Object(field.Nested!, null)) },
                FieldKind.Timestamp => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                FieldKind.OptionalUuid => new JsonObject { ["type"] = Types("string", "null"), ["format"] = "uuid" },
                _ => throw new InvalidOperationException($"The field '{field.Name}' ({field.Kind}) has no JSON Schema form."),
            };
            if (field.Unit is { } unit && unit != "1")
            {
                schema["description"] = $"Unit: {unit}.";
            }

            return schema;
        }

        private static JsonNode Types(params string[] types) => types.Length == 1 ? types[0] : new JsonArray([.. types.Select(t => (JsonNode)t)]);

        private static JsonObject Number(FieldSpec field, params string[] types)
        {
            var schema = new JsonObject { ["type"] = Types(types) };
            switch (field.Range)
            {
                case NumberRange.NonNegative:
                    schema["minimum"] = 0;
                    break;
                case NumberRange.Percent:
                    schema["minimum"] = 0;
                    schema["maximum"] = 100;
                    break;
                default:
                    // Finite, or a score outside 0..10 that is accepted with a warning.
                    break;
            }

            return schema;
        }

        private static JsonObject Integer(ulong maximum, params string[] types) =>
            new() { ["type"] = Types(types), ["minimum"] = 0, ["maximum"] = maximum };

        private static JsonObject Map(JsonObject values) => new() { ["type"] = "object", ["additionalProperties"] = values };

        private static JsonObject Enum(WireEnum table) =>
            new() { ["type"] = "string", ["enum"] = new JsonArray([.. table.Names.Select(n => (JsonNode)n)]) };

        /// <summary>A known name, any other name (read as <c>Other(name)</c>, spec decision 2) or <c>{"other": name}</c>.</summary>
        private static JsonObject OpenEnum(WireEnum table) => new()
        {
            ["description"] = $"One of {table.Allowed} (the last for any other kind), a bare unknown name, or {{\"other\": name}}.",
            ["anyOf"] = new JsonArray(
                new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("other"),
                    ["properties"] = new JsonObject { ["other"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } },
                    ["additionalProperties"] = false,
                }),
        };
    }
}
