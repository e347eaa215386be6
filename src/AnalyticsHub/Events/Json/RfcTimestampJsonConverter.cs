using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// Timestamps in every wire type other than events (which have their own reader): RFC 3339 with a
/// zone on input, normalised to UTC; <c>Z</c> with 0, 3, 6 or 9 fractional digits on output (decision 5).
/// </summary>
/// <remarks>Public so that adapter packages' own JSON contexts write timestamps the one way.</remarks>
public sealed class RfcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !RfcTimestamp.TryParse(reader.ValueSpan, out var value))
        {
            throw new JsonException("Expected an RFC 3339 timestamp with a zone, e.g. 2024-01-15T10:30:00Z.");
        }

        return value;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[RfcTimestamp.MaxLength];
        var length = RfcTimestamp.Format(value, buffer);
        writer.WriteStringValue(buffer[..length]);
    }
}
