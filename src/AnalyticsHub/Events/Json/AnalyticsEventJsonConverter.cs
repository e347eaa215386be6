using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// Lets <see cref="JsonSerializer"/> (and so API envelopes holding events) use the one event wire
/// format of <see cref="AnalyticsEventJson"/>.
/// </summary>
internal sealed class AnalyticsEventJsonConverter : JsonConverter<AnalyticsEvent>
{
    public override AnalyticsEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var result = EventJsonReader.Read(JsonMarshal.GetRawUtf8Value(document.RootElement));
        if (result.Event is { } evt)
        {
            return evt;
        }

        // Inside the serializer the contract is an exception; the message carries every problem.
        throw new JsonException(string.Join("; ", result.Problems));
    }

    // The serializer's writer HTML-escapes by default and its encoder cannot be set from a source-generated
    // context; the wire format is not escaped (decision 6), so the event is written with the library's own
    // writer options and copied in as raw JSON.
    public override void Write(Utf8JsonWriter writer, AnalyticsEvent value, JsonSerializerOptions options) =>
        writer.WriteRawValue(AnalyticsEventJson.SerializeToUtf8Bytes(value), skipInputValidation: true);
}
