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

    public override void Write(Utf8JsonWriter writer, AnalyticsEvent value, JsonSerializerOptions options) =>
        EventJsonWriter.Write(writer, value);
}
