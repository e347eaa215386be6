using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.TimeSeries.Json;

/// <summary><see cref="FillStrategy"/>: <c>"null"</c>, <c>"previous"</c>, <c>"linear"</c>, <c>"zero"</c> (read case-insensitively) or <c>{"value": i64}</c>.</summary>
internal sealed class FillStrategyJsonConverter : JsonConverter<FillStrategy>
{
    private const string Allowed = "\"null\", \"previous\", \"linear\", \"zero\" or {\"value\": integer}";

    public override FillStrategy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString()!.ToUpperInvariant() switch
            {
                "NULL" => FillStrategy.Null,
                "PREVIOUS" => FillStrategy.Previous,
                "LINEAR" => FillStrategy.Linear,
                "ZERO" => FillStrategy.Zero,
                _ => throw new JsonException("Unknown fill strategy; expected " + Allowed + "."),
            };
        }

        if (reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("value"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value)
            || !reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("Invalid fill strategy; expected " + Allowed + ".");
        }

        return FillStrategy.WithValue(value);
    }

    public override void Write(Utf8JsonWriter writer, FillStrategy value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case FillStrategyKind.Value:
                writer.WriteStartObject();
                writer.WriteNumber("value"u8, value.Value);
                writer.WriteEndObject();
                break;
            case FillStrategyKind.Previous:
                writer.WriteStringValue("previous"u8);
                break;
            case FillStrategyKind.Linear:
                writer.WriteStringValue("linear"u8);
                break;
            case FillStrategyKind.Zero:
                writer.WriteStringValue("zero"u8);
                break;
            default:
                writer.WriteStringValue("null"u8);
                break;
        }
    }
}
