using System.Text.Encodings.Web;
using System.Text.Json;

namespace AnalyticsHub.Events.Json;

/// <summary>Writes an event in the canonical wire shape: common fields at the top, the payload nested.</summary>
internal static class EventJsonWriter
{
    /// <summary>No HTML escaping of &lt;, &gt;, &amp;, ' or non-ASCII letters, as the producers write (decision 6).</summary>
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The same, indented for people.</summary>
    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public static void Write(Utf8JsonWriter writer, AnalyticsEvent evt)
    {
        var common = evt.Common;
        writer.WriteStartObject();
        writer.WriteString("event_id"u8, common.EventId);
        WriteTimestamp(writer, "timestamp"u8, common.Timestamp);
        writer.WriteString("source_module"u8, WireEnums.SourceModule.Utf8Name(common.SourceModule));
        writer.WriteString("event_type"u8, WireEnums.EventType.Utf8Name(common.EventType));
        if (common.CorrelationId is { } correlationId)
        {
            writer.WriteString("correlation_id"u8, correlationId);
        }

        if (common.ParentEventId is { } parentEventId)
        {
            writer.WriteString("parent_event_id"u8, parentEventId);
        }

        writer.WriteString("schema_version"u8, common.SchemaVersion);
        writer.WriteString("severity"u8, WireEnums.Severity.Utf8Name(common.Severity));
        writer.WriteString("environment"u8, common.Environment);
        PayloadWriter.WriteMap(writer, "tags"u8, common.Tags);

        writer.WriteStartObject("payload"u8);
        writer.WriteString("payload_type"u8, WireEnums.PayloadType.Utf8Name(evt.Payload.PayloadType));
        writer.WritePropertyName("data"u8);
        PayloadWriter.WriteData(writer, evt.Payload);
        writer.WriteEndObject();

        writer.WriteEndObject();
    }

    public static void WriteTimestamp(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[RfcTimestamp.MaxLength];
        var length = RfcTimestamp.Format(value, buffer);
        writer.WriteString(name, buffer[..length]);
    }
}
