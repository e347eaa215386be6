using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.TimeSeries.Json;

/// <summary><see cref="FieldSet"/> as a flat JSON object of field values; a repeated key is an error.</summary>
internal sealed class FieldSetJsonConverter : JsonConverter<FieldSet>
{
    public override FieldSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Fields must be a JSON object.");
        }

        var names = new List<string>();
        var values = new List<FieldValue>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (name.Length == 0 || names.Contains(name, StringComparer.Ordinal))
            {
                throw new JsonException(name.Length == 0 ? "Empty field name." : $"Duplicate field '{name}'.");
            }

            reader.Read();
            names.Add(name);
            values.Add(FieldValueJsonConverter.ReadValue(ref reader));
        }

        return FieldSet.FromArrays([.. names], [.. values]);
    }

    public override void Write(Utf8JsonWriter writer, FieldSet value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        var names = value.NameSpan;
        var values = value.ValueSpan;
        for (var i = 0; i < names.Length; i++)
        {
            writer.WritePropertyName(names[i]);
            FieldValueJsonConverter.WriteValue(writer, values[i]);
        }

        writer.WriteEndObject();
    }
}
