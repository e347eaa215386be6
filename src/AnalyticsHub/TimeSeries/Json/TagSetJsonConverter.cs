using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.TimeSeries.Json;

/// <summary>
/// <see cref="TagSet"/> flattened: the known tags and the custom ones are sibling keys of one object.
/// <c>source_module</c> and <c>environment</c> are required; a null optional known tag means absent; a repeated key is an error.
/// </summary>
internal sealed class TagSetJsonConverter : JsonConverter<TagSet>
{
    public override TagSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Tags must be a JSON object.");
        }

        string? sourceModule = null, environment = null, region = null, modelId = null, service = null, version = null;
        Dictionary<string, string>? custom = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            if (!seen.Add(key))
            {
                throw new JsonException($"Duplicate tag '{key}'.");
            }

            reader.Read();
            string? value;
            if (reader.TokenType == JsonTokenType.Null && key is "region" or "model_id" or "service" or "version")
            {
                value = null;
            }
            else if (reader.TokenType == JsonTokenType.String)
            {
                value = reader.GetString();
            }
            else
            {
                throw new JsonException($"Tag '{key}' must be a string.");
            }

            switch (key)
            {
                case "source_module": sourceModule = value; break;
                case "environment": environment = value; break;
                case "region": region = value; break;
                case "model_id": modelId = value; break;
                case "service": service = value; break;
                case "version": version = value; break;
                default: (custom ??= new(StringComparer.Ordinal))[key] = value!; break;
            }
        }

        if (sourceModule is null || environment is null)
        {
            throw new JsonException(sourceModule is null ? "Missing required tag 'source_module'." : "Missing required tag 'environment'.");
        }

        return new TagSet
        {
            SourceModule = sourceModule,
            Environment = environment,
            Region = region,
            ModelId = modelId,
            Service = service,
            Version = version,
            Custom = custom is null ? System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty : custom,
        };
    }

    public override void Write(Utf8JsonWriter writer, TagSet value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("source_module", value.SourceModule);
        writer.WriteString("environment", value.Environment);
        WriteIfPresent(writer, "region", value.Region);
        WriteIfPresent(writer, "model_id", value.ModelId);
        WriteIfPresent(writer, "service", value.Service);
        WriteIfPresent(writer, "version", value.Version);
        foreach (var (key, tag) in value.Custom)
        {
            writer.WriteString(key, tag);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(key, value);
        }
    }
}
