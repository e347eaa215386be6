using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AnalyticsHub.Metrics.Json;

/// <summary>The untagged <see cref="MetricValues"/>: the variant is chosen by the keys present (decision 12).</summary>
internal sealed class MetricValuesJsonConverter : JsonConverter<MetricValues>
{
    public override MetricValues Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Metric values must be a JSON object.");
        }

        // The serializer buffers a converter's whole value, so a copy of the reader can look ahead.
        var scan = reader;
        var hasStatsKey = false;
        var hasRate = false;
        while (scan.Read() && scan.TokenType == JsonTokenType.PropertyName)
        {
            if (IsStatsKey(ref scan))
            {
                hasStatsKey = true;
            }
            else if (scan.ValueTextEquals("rate"u8))
            {
                hasRate = true;
            }

            scan.Read();
            scan.Skip();
        }

        if (hasStatsKey)
        {
            var typeInfo = (JsonTypeInfo<StatisticalMeasures>)options.GetTypeInfo(typeof(StatisticalMeasures));
            var stats = JsonSerializer.Deserialize(ref reader, typeInfo) ?? throw new JsonException("Statistics must not be null.");
            return new StatsMetricValues(stats);
        }

        return hasRate ? ReadCounter(ref reader) : ReadGauge(ref reader);
    }

    public override void Write(Utf8JsonWriter writer, MetricValues value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case StatsMetricValues stats:
                JsonSerializer.Serialize(writer, stats.Stats, (JsonTypeInfo<StatisticalMeasures>)options.GetTypeInfo(typeof(StatisticalMeasures)));
                break;
            case CounterMetricValues counter:
                writer.WriteStartObject();
                writer.WriteNumber("value"u8, counter.Value);
                writer.WriteNumber("rate"u8, counter.Rate);
                writer.WriteEndObject();
                break;
            case GaugeMetricValues gauge:
                writer.WriteStartObject();
                writer.WriteNumber("value"u8, gauge.Value);
                if (gauge.Delta is { } delta)
                {
                    writer.WriteNumber("delta"u8, delta);
                }
                else
                {
                    writer.WriteNull("delta"u8);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new JsonException($"Unknown metric values type {value?.GetType().Name ?? "null"}.");
        }
    }

    private static bool IsStatsKey(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("avg"u8) || reader.ValueTextEquals("min"u8) || reader.ValueTextEquals("max"u8)
        || reader.ValueTextEquals("p50"u8) || reader.ValueTextEquals("p95"u8) || reader.ValueTextEquals("p99"u8)
        || reader.ValueTextEquals("stddev"u8) || reader.ValueTextEquals("count"u8) || reader.ValueTextEquals("sum"u8);

    private static CounterMetricValues ReadCounter(ref Utf8JsonReader reader)
    {
        ulong? value = null;
        double? rate = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("value"u8))
            {
                EnsureFirst(value.HasValue, "value");
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out var count))
                {
                    throw new JsonException("A counter's \"value\" must be an unsigned integer.");
                }

                value = count;
            }
            else if (reader.ValueTextEquals("rate"u8))
            {
                EnsureFirst(rate.HasValue, "rate");
                reader.Read();
                rate = ReadFinite(ref reader, "rate");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new CounterMetricValues(
            value ?? throw new JsonException("A counter is missing the required key \"value\"."),
            rate ?? throw new JsonException("A counter is missing the required key \"rate\"."));
    }

    private static GaugeMetricValues ReadGauge(ref Utf8JsonReader reader)
    {
        double? value = null;
        double? delta = null;
        var seenDelta = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("value"u8))
            {
                EnsureFirst(value.HasValue, "value");
                reader.Read();
                value = ReadFinite(ref reader, "value");
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                EnsureFirst(seenDelta, "delta");
                seenDelta = true;
                reader.Read();
                delta = reader.TokenType == JsonTokenType.Null ? null : ReadFinite(ref reader, "delta");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new GaugeMetricValues(value ?? throw new JsonException("Metric values need \"value\" (a gauge), \"rate\" as well (a counter), or statistics."), delta);
    }

    private static void EnsureFirst(bool seen, string name)
    {
        if (seen)
        {
            throw new JsonException($"Duplicate key \"{name}\" in metric values.");
        }
    }

    private static double ReadFinite(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw new JsonException($"\"{name}\" must be a finite number.");
        }

        return number;
    }
}
