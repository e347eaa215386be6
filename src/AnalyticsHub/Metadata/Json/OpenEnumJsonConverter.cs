using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Metadata.Json;

/// <summary>
/// Reads and writes an <see cref="IOpenEnum{TSelf}"/>: a known value as its wire name, a custom one as
/// <c>{"custom": "name"}</c> (spec 1.1). Reading is lenient (decision 2): known names match case-insensitively and a
/// bare unknown string reads as the custom variant; an object must hold exactly one <c>custom</c> string.
/// </summary>
/// <typeparam name="T">The open enum.</typeparam>
internal sealed class OpenEnumJsonConverter<T> : JsonConverter<T>
    where T : struct, IOpenEnum<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var name = reader.GetString()!;
            foreach (var known in T.KnownNames)
            {
                if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
                {
                    return T.FromKnown(known);
                }
            }

            return T.FromCustom(name);
        }

        if (reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("custom"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected one of {string.Join(", ", T.KnownNames)} or {{\"custom\": \"name\"}}.");
        }

        var custom = reader.GetString()!;
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("A custom value is an object with the one key \"custom\".");
        }

        return T.FromCustom(custom);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        if (value.CustomName is { } custom)
        {
            writer.WriteStartObject();
            writer.WriteString("custom"u8, custom);
            writer.WriteEndObject();
            return;
        }

        writer.WriteStringValue(value.KnownName ?? throw new JsonException($"A default {typeof(T).Name} has no wire name."));
    }
}
