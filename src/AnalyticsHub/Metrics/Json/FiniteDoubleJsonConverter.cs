using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Metrics.Json;

/// <summary>Doubles of the metric wire types: finite only (<c>1e400</c> is "number out of range", decision 5), integers accepted.</summary>
internal sealed class FiniteDoubleJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw new JsonException("Expected a finite number.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
