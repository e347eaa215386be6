using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.TimeSeries.Json;

/// <summary><see cref="AggregationFunction"/>: a lowercase name (read case-insensitively) or <c>{"percentile": u8}</c>.</summary>
internal sealed class AggregationFunctionJsonConverter : JsonConverter<AggregationFunction>
{
    private const string Allowed = "mean, sum, min, max, count, first, last, stddev, median or {\"percentile\": 0..255}";

    public override AggregationFunction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString()!.ToUpperInvariant() switch
            {
                "MEAN" => AggregationFunction.Mean,
                "SUM" => AggregationFunction.Sum,
                "MIN" => AggregationFunction.Min,
                "MAX" => AggregationFunction.Max,
                "COUNT" => AggregationFunction.Count,
                "FIRST" => AggregationFunction.First,
                "LAST" => AggregationFunction.Last,
                "STDDEV" => AggregationFunction.Stddev,
                "MEDIAN" => AggregationFunction.Median,
                _ => throw new JsonException("Unknown aggregation function; expected " + Allowed + "."),
            };
        }

        if (reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("percentile"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetByte(out var percentile)
            || !reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("Invalid aggregation function; expected " + Allowed + ".");
        }

        return AggregationFunction.ForPercentile(percentile);
    }

    public override void Write(Utf8JsonWriter writer, AggregationFunction value, JsonSerializerOptions options)
    {
        if (value.Kind == AggregationFunctionKind.Percentile)
        {
            writer.WriteStartObject();
            writer.WriteNumber("percentile"u8, value.Percentile);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStringValue(value.WireName);
        }
    }
}
